package types

import (
	"fmt"
	"testing"
)

// TestGoldenTypeNames replays testdata/typenames.txt: a column declared
// with each spelling, as pg_attribute/pg_type describe it.
func TestGoldenTypeNames(t *testing.T) {
	for _, c := range readGolden(t, "typenames.txt") {
		if c.fields == nil {
			continue
		}
		typ, err := ParseTypeName(c.fields[0])
		var got string
		if err != nil {
			got = errResult(err)
		} else {
			got = fmt.Sprintf("%s | %s | %d | %c | %d", FormatType(typ), typ.Name(), typ.Len(), typ.Category(), typ.Typmod)
		}
		if got != c.result {
			t.Errorf("%q:\n got  %s\n want %s", c.fields[0], got, c.result)
		}
	}
}

func TestTypeByNameForms(t *testing.T) {
	cases := []struct {
		name    string
		typmods []int32
		want    Type
	}{
		{"character varying", []int32{10}, VarcharN(10)},
		{"numeric", []int32{10, 2}, NumericPS(10, 2)},
		{"int[]", nil, Int4Array},
		{"timestamp with time zone", []int32{3}, Type{TimestamptzOID, 3}},
		{"char", nil, BPCharN(1)},
		{`"char"`, nil, Char},
		{"bpchar", nil, BPChar},
		{"pg_catalog.varchar", []int32{5}, VarcharN(5)},
		{"serial", nil, Int4},
		{"float", []int32{10}, Float4},
	}
	for _, c := range cases {
		got, ok := TypeByName(c.name, c.typmods)
		if !ok || got != c.want {
			t.Errorf("TypeByName(%q, %v) = %v %v, want %v", c.name, c.typmods, got, ok, c.want)
		}
	}
	if _, ok := TypeByName("nosuchtype", nil); ok {
		t.Error("TypeByName(nosuchtype) succeeded")
	}
	if got, err := TypeByTypname("char", nil); err != nil || got != Char {
		t.Errorf(`TypeByTypname("char") = %v %v, want "char"`, got, err)
	}
	if got, err := TypeByTypname("_int8", nil); err != nil || got != Int8Array {
		t.Errorf(`TypeByTypname("_int8") = %v %v`, got, err)
	}
	if p, s, ok := NumericPS(5, -2).NumericPrecisionScale(); !ok || p != 5 || s != -2 {
		t.Errorf("NumericPrecisionScale(5,-2) = %d %d %v", p, s, ok)
	}
}
