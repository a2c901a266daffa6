package types

import (
	"math/rand"
	"testing"
)

var allTestTypes = []Type{Bool, Bytea, Char, Name, Int2, Int4, Int8, Float4, Float8, Numeric, NumericPS(5, 2),
	Text, VarcharN(3), BPCharN(3), OID, Date, Time, Timestamp, TimestampTZ, Interval, UUID, JSON, JSONB,
	Int4Array, TextArray, Type{NumericArrayOID, -1}, Type{JSONBArrayOID, -1}, Type{IntervalOID, IntervalTypmod(IntervalMaskYear|IntervalMaskMonth, -1)},
	Type{TimestamptzOID, 2}, Type{TimeOID, 0}}

// Random text and bytes through every input function: errors are fine,
// panics are not; whatever parses must print and round-trip the binary form.
func TestInputRobustness(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	alphabet := []byte("0123456789-+.:eE /\\{}[]\"',xXaAtTpPnN@ \t\x00\xff\xc3é日")
	set := DefaultSettings()
	for i := 0; i < 40000; i++ {
		typ := allTestTypes[r.Intn(len(allTestTypes))]
		n := r.Intn(20)
		b := make([]byte, n)
		for k := range b {
			b[k] = alphabet[r.Intn(len(alphabet))]
		}
		d, err := ParseText(typ, string(b), set)
		if err == nil {
			_ = AppendText(nil, d, typ, set)
			bin, err := AppendBinary(nil, d, typ)
			if err != nil {
				t.Fatalf("AppendBinary(%s, %q): %v", typ, b, err)
			}
			if _, err := ParseBinary(typ, bin); err != nil {
				t.Fatalf("ParseBinary(%s) of %q's send form: %v", typ, b, err)
			}
			_ = AppendKey(nil, d, typ, false)
			_ = Hash(d, 1)
		}
		raw := make([]byte, r.Intn(40))
		r.Read(raw)
		_, _ = ParseBinary(typ, raw)
	}
}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{"1", "2024-01-15 12:00+05:30", "{1,2,NULL}", `{"a":1}`, "1 day 02:00", "P1Y", "\\x0102", "NaN"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, ti uint8) {
		typ := allTestTypes[int(ti)%len(allTestTypes)]
		d, err := ParseText(typ, s, nil)
		if err == nil {
			_ = AppendText(nil, d, typ, nil)
			_ = AppendKey(nil, d, typ, true)
		}
	})
}

func FuzzParseBinary(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, uint8(9))
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 1, 0, 0, 0, 1}, uint8(23))
	f.Fuzz(func(t *testing.T, b []byte, ti uint8) {
		typ := allTestTypes[int(ti)%len(allTestTypes)]
		_, _ = ParseBinary(typ, b)
	})
}
