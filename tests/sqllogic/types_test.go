package sqllogic

import "testing"

func TestTypeSpec(t *testing.T) {
	const (
		int4, int8, text, numeric, boolean, jsonb, bpchar, timetz = 23, 20, 25, 1700, 16, 3802, 1042, 1266
	)
	cases := []struct {
		spec  string
		oids  []uint32
		match bool
	}{
		{"ITRB", []uint32{int4, text, numeric, boolean}, true},
		{"IT", []uint32{int8, bpchar}, true},
		{"I", []uint32{numeric}, false},
		{"T", []uint32{jsonb}, false},
		{"A", []uint32{jsonb}, true},
		{"int4,text", []uint32{int4, text}, true},
		{"int4,text", []uint32{int8, text}, false},
		{"jsonb", []uint32{jsonb}, true},
		{"I,jsonb", []uint32{int8, jsonb}, true},
		{"timetz", []uint32{timetz}, true},
		{"3802", []uint32{jsonb}, true},
	}
	for _, c := range cases {
		cts, err := parseTypeSpec(c.spec)
		if err != nil {
			t.Errorf("%s: %v", c.spec, err)
			continue
		}
		if len(cts) != len(c.oids) {
			t.Errorf("%s: %d columns, want %d", c.spec, len(cts), len(c.oids))
			continue
		}
		if got := typesMatch(cts, c.oids); got != c.match {
			t.Errorf("%s vs %v: match %v, want %v", c.spec, c.oids, got, c.match)
		}
	}
}

func TestTypeNames(t *testing.T) {
	for oid, want := range map[uint32]string{23: "int4", 1043: "varchar", 1184: "timestamptz", 1007: "_int4", 1266: "timetz", 999999: "999999"} {
		if got := TypeName(oid); got != want {
			t.Errorf("TypeName(%d) = %q, want %q", oid, got, want)
		}
	}
	if got := specFor([]uint32{23, 25}); got != "int4,text" {
		t.Errorf("specFor = %q", got)
	}
}
