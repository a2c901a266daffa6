package types

import (
	"math/rand"
	"testing"
)

var rowTestCols = []Type{Int4, Text, Float8, Numeric, TimestampTZ, Bool, Int8, Int2, Date, Time,
	Interval, UUID, Bytea, JSONB, VarcharN(10), Float4, Int4Array, OID, BPCharN(3), Timestamp, JSON, Name, Char}

func rowTestValues(t testing.TB) []Datum {
	set := DefaultSettings()
	in := []string{"42", "héllo", "0.1", "-123.4500", "2024-01-15 12:34:56.789+00", "t", "-9223372036854775808", "-5",
		"2024-02-29", "23:59:59.999999", "1 year -2 days 03:04:05.6", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", `\x00ff10`,
		`{"a": [1, 2.50]}`, "short", "1.5", "{1,NULL,3}", "4294967295", "ab", "infinity", `{"x":1}`, "nm", "c"}
	row := make([]Datum, len(in))
	for i, s := range in {
		d, err := ParseText(rowTestCols[i], s, set)
		if err != nil {
			t.Fatalf("col %d %q: %v", i, s, err)
		}
		row[i] = d
	}
	return row
}

func TestRowRoundTrip(t *testing.T) {
	set := DefaultSettings()
	row := rowTestValues(t)
	enc := AppendRow(nil, row, rowTestCols)
	got, err := DecodeRow(enc, rowTestCols, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range row {
		a, b := FormatText(row[i], rowTestCols[i], set), FormatText(got[i], rowTestCols[i], set)
		if a != b || Compare(row[i], got[i]) != 0 {
			t.Errorf("col %d (%s): got %q want %q", i, rowTestCols[i], b, a)
		}
		col, err := DecodeColumn(enc, rowTestCols, i)
		if err != nil || Compare(col, row[i]) != 0 {
			t.Errorf("DecodeColumn %d: %v %v", i, FormatText(col, rowTestCols[i], set), err)
		}
	}
	// NULLs anywhere.
	nulls := append([]Datum(nil), row...)
	for i := 0; i < len(nulls); i += 3 {
		nulls[i] = Null()
	}
	got, err = DecodeRow(AppendRow(nil, nulls, rowTestCols), rowTestCols, got)
	if err != nil {
		t.Fatal(err)
	}
	for i := range nulls {
		if nulls[i].IsNull() != got[i].IsNull() || (!nulls[i].IsNull() && Compare(nulls[i], got[i]) != 0) {
			t.Errorf("col %d with NULLs: got %v", i, got[i])
		}
	}
}

// A row written before ALTER TABLE ADD COLUMN decodes with NULL for the
// new trailing columns; a row with more columns than asked for decodes the prefix.
func TestRowSchemaEvolution(t *testing.T) {
	row := rowTestValues(t)[:3]
	enc := AppendRow(nil, row, rowTestCols[:3])
	got, err := DecodeRow(enc, rowTestCols[:5], nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || !got[3].IsNull() || !got[4].IsNull() || Compare(got[2], row[2]) != 0 {
		t.Fatalf("evolved decode = %v", got)
	}
	if d, err := DecodeColumn(enc, rowTestCols[:5], 4); err != nil || !d.IsNull() {
		t.Fatalf("DecodeColumn of an added column = %v %v", d, err)
	}
	got, err = DecodeRow(enc, rowTestCols[:2], got)
	if err != nil || len(got) != 2 || Compare(got[1], row[1]) != 0 {
		t.Fatalf("prefix decode = %v %v", got, err)
	}
	if n, _ := RowColumnCount(enc); n != 3 {
		t.Fatalf("RowColumnCount = %d", n)
	}
}

// Corrupt rows give errors, never panics.
func TestRowCorrupt(t *testing.T) {
	enc := AppendRow(nil, rowTestValues(t), rowTestCols)
	r := rand.New(rand.NewSource(1))
	var dst []Datum
	for i := 0; i < 20000; i++ {
		b := append([]byte(nil), enc[:r.Intn(len(enc)+1)]...)
		if len(b) > 0 && r.Intn(2) == 0 {
			b[r.Intn(len(b))] ^= byte(1 + r.Intn(255))
		}
		dst, _ = DecodeRow(b, rowTestCols, dst)
		_, _ = DecodeColumn(b, rowTestCols, r.Intn(len(rowTestCols)))
	}
}

// Fixed-size columns decode without allocating; text aliases the buffer.
func TestRowDecodeAllocs(t *testing.T) {
	cols := []Type{Int8, Text, Float8, TimestampTZ, Bool}
	row := []Datum{NewInt(1), NewText("hello world"), NewFloat(2.5), NewTimestampTZ(12345), NewBool(true)}
	enc := AppendRow(nil, row, cols)
	dst := make([]Datum, len(cols))
	allocs := testing.AllocsPerRun(100, func() {
		dst, _ = DecodeRow(enc, cols, dst)
	})
	if allocs != 0 {
		t.Fatalf("DecodeRow allocs = %v, want 0", allocs)
	}
}
