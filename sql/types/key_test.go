package types

import (
	"bytes"
	"math/rand"
	"sort"
	"testing"
)

// Composite keys compare column by column, NULLs last ascending and first
// descending, and decode back.
func TestCompositeKeys(t *testing.T) {
	type row struct {
		a Datum // text ASC
		b Datum // int4 DESC
	}
	rows := []row{
		{NewText("a"), NewInt(1)}, {NewText("a"), NewInt(2)}, {NewText("a"), Null()},
		{NewText(""), NewInt(5)}, {NewText("a\x00"), NewInt(0)}, {NewText("ab"), NewInt(-1)},
		{Null(), NewInt(3)}, {Null(), Null()}, {NewText("b"), NewInt(-2147483648)},
		{NewText("a"), NewInt(2147483647)},
	}
	enc := func(r row) []byte {
		k := AppendKey(nil, r.a, Text, false)
		return AppendKey(k, r.b, Int4, true)
	}
	sqlLess := func(x, y row) bool {
		if c := CompareNulls(x.a, y.a, false); c != 0 {
			return c < 0
		}
		// DESC NULLS FIRST
		switch {
		case x.b.IsNull() || y.b.IsNull():
			return x.b.IsNull() && !y.b.IsNull()
		}
		return Compare(x.b, y.b) > 0
	}
	for i := range rows {
		for j := range rows {
			want := sqlLess(rows[i], rows[j])
			got := bytes.Compare(enc(rows[i]), enc(rows[j])) < 0
			if want != got {
				t.Errorf("rows %d vs %d: key less = %v, SQL less = %v", i, j, got, want)
			}
		}
		k := enc(rows[i])
		a, rest, err := DecodeKey(k, Text, false)
		if err != nil {
			t.Fatal(err)
		}
		b, rest, err := DecodeKey(rest, Int4, true)
		if err != nil || len(rest) != 0 || Compare(a, rows[i].a) != 0 || Compare(b, rows[i].b) != 0 {
			t.Errorf("decode row %d: %v %v rest=%x err=%v", i, a, b, rest, err)
		}
	}
}

func TestKeyNullsFirstAscending(t *testing.T) {
	n := AppendKeyNulls(nil, Null(), Int8, false, true)
	v := AppendKeyNulls(nil, NewInt(-1<<63), Int8, false, true)
	if bytes.Compare(n, v) >= 0 {
		t.Fatal("ASC NULLS FIRST: NULL must sort first")
	}
	n = AppendKeyNulls(nil, Null(), Int8, true, false)
	v = AppendKeyNulls(nil, NewInt(-1<<63), Int8, true, false)
	if bytes.Compare(n, v) <= 0 {
		t.Fatal("DESC NULLS LAST: NULL must sort last")
	}
	if d, _, err := DecodeKey(n, Int8, true); err != nil || !d.IsNull() {
		t.Fatal("decode NULLS LAST null")
	}
}

// Random ints, floats and numerics: key order equals Compare order.
func TestKeyOrderRandom(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	set := DefaultSettings()
	for _, typ := range []Type{Int8, Float8, Numeric, Interval, TimestampTZ} {
		var ds []Datum
		for i := 0; i < 300; i++ {
			var s string
			switch typ {
			case Int8:
				s = itoa(r.Int63() - r.Int63())
			case Float8:
				s = ftoa(r.NormFloat64() * float64(int64(1)<<uint(r.Intn(60))))
			case Numeric:
				s = itoa(r.Int63n(2000000)-1000000) + "." + itoa(r.Int63n(1000)) + "e" + itoa(r.Int63n(40)-20)
			case Interval:
				s = itoa(r.Int63n(100)-50) + " mons " + itoa(r.Int63n(100)-50) + " days " + itoa(r.Int63n(1e6)-5e5) + " seconds"
			case TimestampTZ:
				s = "2000-01-01 00:00:00+00"
			}
			d, err := ParseText(typ, s, set)
			if err != nil {
				t.Fatalf("%s %q: %v", typ, s, err)
			}
			if typ == TimestampTZ {
				d.I = r.Int63n(1<<50) - 1<<49
			}
			ds = append(ds, d)
		}
		keys := make([][]byte, len(ds))
		for i, d := range ds {
			keys[i] = AppendKey(nil, d, typ, false)
		}
		idx := make([]int, len(ds))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return bytes.Compare(keys[idx[a]], keys[idx[b]]) < 0 })
		for k := 1; k < len(idx); k++ {
			if Compare(ds[idx[k-1]], ds[idx[k]]) > 0 {
				t.Fatalf("%s: key order breaks Compare at %s > %s", typ, FormatText(ds[idx[k-1]], typ, set), FormatText(ds[idx[k]], typ, set))
			}
		}
	}
}

func TestKeyCorrupt(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	types := []Type{Int4, Text, Numeric, JSONB, Int4Array, Interval, UUID, Float4, BPCharN(4), Date}
	for i := 0; i < 30000; i++ {
		b := make([]byte, r.Intn(24))
		r.Read(b)
		if len(b) > 0 && r.Intn(2) == 0 {
			b[0] = keyValue
		}
		_, _, _ = DecodeKey(b, types[r.Intn(len(types))], r.Intn(2) == 0)
	}
}

func itoa(i int64) string   { return FormatText(NewInt(i), Int8, nil) }
func ftoa(f float64) string { return FormatText(NewFloat(f), Float8, nil) }
