package types

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// TestGoldenOrder replays testdata/order.txt: for every pair of values,
// Compare, the ascending and descending key encodings and Hash agree with
// PostgreSQL's ORDER BY ranks; DecodeKey gives back an equal value.
func TestGoldenOrder(t *testing.T) {
	set := DefaultSettings()
	for _, c := range readGolden(t, "order.txt") {
		if c.fields == nil {
			continue
		}
		typ := mustType(t, c.fields[0])
		vals := splitQuoted(t, c.fields[1])
		var ranks []int
		for _, r := range strings.Fields(c.result) {
			n, _ := strconv.Atoi(r)
			ranks = append(ranks, n)
		}
		ds := make([]Datum, len(vals))
		asc := make([][]byte, len(vals))
		desc := make([][]byte, len(vals))
		for i, v := range vals {
			d, err := ParseText(typ, v, set)
			if err != nil {
				t.Fatalf("%s %q: %v", c.fields[0], v, err)
			}
			ds[i] = d
			asc[i] = AppendKey(nil, d, typ, false)
			desc[i] = AppendKey(nil, d, typ, true)
			for _, k := range []struct {
				b    []byte
				desc bool
			}{{asc[i], false}, {desc[i], true}} {
				got, rest, err := DecodeKey(append(k.b, 0xAB), typ, k.desc)
				if err != nil || len(rest) != 1 || Compare(got, d) != 0 {
					t.Errorf("%s %q desc=%v: DecodeKey = %v %q rest=%x err=%v", c.fields[0], v, k.desc, got, FormatText(got, typ, set), rest, err)
				}
			}
		}
		for i := range ds {
			for j := range ds {
				want := sign(ranks[i] - ranks[j])
				if got := Compare(ds[i], ds[j]); got != want {
					t.Errorf("%s: Compare(%q, %q) = %d, PostgreSQL %d", c.fields[0], vals[i], vals[j], got, want)
				}
				if got := bytes.Compare(asc[i], asc[j]); got != want {
					t.Errorf("%s: asc key(%q) vs key(%q) = %d, PostgreSQL %d", c.fields[0], vals[i], vals[j], got, want)
				}
				if got := bytes.Compare(desc[i], desc[j]); got != -want {
					t.Errorf("%s: desc key(%q) vs key(%q) = %d, want %d", c.fields[0], vals[i], vals[j], got, -want)
				}
				if want == 0 && Hash(ds[i], 7) != Hash(ds[j], 7) {
					t.Errorf("%s: Hash(%q) != Hash(%q) but they are equal", c.fields[0], vals[i], vals[j])
				}
			}
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
