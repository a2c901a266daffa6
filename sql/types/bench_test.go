package types

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// Benchmarks of the hot paths. BenchmarkPgtype* run the same encodings
// through pgx's pgtype.Map for comparison.

type benchCase struct {
	name string
	typ  Type
	text string
}

var benchCases = []benchCase{
	{"int8", Int8, "1234567890123"},
	{"text", Text, "the quick brown fox jumps over"},
	{"timestamptz", TimestampTZ, "2024-01-15 12:34:56.789012+00"},
	{"numeric", Numeric, "12345.6789"},
}

func benchDatum(b *testing.B, c benchCase) Datum {
	d, err := ParseText(c.typ, c.text, nil)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func BenchmarkAppendText(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			d := benchDatum(b, c)
			set := DefaultSettings()
			set.TimeZone, _ = LoadTimeZone("America/New_York")
			buf := make([]byte, 0, 64)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				buf = AppendText(buf[:0], d, c.typ, set)
			}
		})
	}
}

func BenchmarkAppendBinary(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			d := benchDatum(b, c)
			buf := make([]byte, 0, 64)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				buf, _ = AppendBinary(buf[:0], d, c.typ)
			}
		})
	}
}

func BenchmarkParseText(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := ParseText(c.typ, c.text, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseBinary(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			bin, _ := AppendBinary(nil, benchDatum(b, c), c.typ)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := ParseBinary(c.typ, bin); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAppendKey(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			d := benchDatum(b, c)
			buf := make([]byte, 0, 64)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				buf = AppendKey(buf[:0], d, c.typ, false)
			}
		})
	}
}

func BenchmarkCompare(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			x := benchDatum(b, c)
			y := benchDatum(b, c)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if Compare(x, y) != 0 {
					b.Fatal("not equal")
				}
			}
		})
	}
}

func BenchmarkHash(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			d := benchDatum(b, c)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_ = Hash(d, 1)
			}
		})
	}
}

var benchRowCols = []Type{Int8, Text, TimestampTZ, Numeric, Bool}

func benchRow(b *testing.B) []Datum {
	row := make([]Datum, len(benchRowCols))
	for i, s := range []string{"1234567890123", "the quick brown fox", "2024-01-15 12:34:56.789012+00", "12345.6789", "t"} {
		d, err := ParseText(benchRowCols[i], s, nil)
		if err != nil {
			b.Fatal(err)
		}
		row[i] = d
	}
	return row
}

func BenchmarkAppendRow(b *testing.B) {
	row := benchRow(b)
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendRow(buf[:0], row, benchRowCols)
	}
}

func BenchmarkDecodeRow(b *testing.B) {
	enc := AppendRow(nil, benchRow(b), benchRowCols)
	dst := make([]Datum, len(benchRowCols))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var err error
		if dst, err = DecodeRow(enc, benchRowCols, dst); err != nil {
			b.Fatal(err)
		}
	}
}

// DecodeRow of the same row without the numeric column, to show the
// allocation-free path for fixed-size and text columns.
func BenchmarkDecodeRowNoNumeric(b *testing.B) {
	cols := []Type{Int8, Text, TimestampTZ, Float8, Bool}
	row := []Datum{NewInt(1234567890123), NewText("the quick brown fox"), NewTimestampTZ(758637296789012), NewFloat(12345.6789), NewBool(true)}
	enc := AppendRow(nil, row, cols)
	dst := make([]Datum, len(cols))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst, _ = DecodeRow(enc, cols, dst)
	}
}

// Comparison: pgx's pgtype codecs encoding the same values.
func BenchmarkPgtypeEncode(b *testing.B) {
	m := pgtype.NewMap()
	ts := time.Date(2024, 1, 15, 12, 34, 56, 789012000, time.UTC)
	var num pgtype.Numeric
	_ = num.Scan("12345.6789")
	vals := []struct {
		name string
		oid  uint32
		v    any
	}{
		{"int8", pgtype.Int8OID, int64(1234567890123)},
		{"text", pgtype.TextOID, "the quick brown fox jumps over"},
		{"timestamptz", pgtype.TimestamptzOID, ts},
		{"numeric", pgtype.NumericOID, num},
	}
	for _, format := range []int16{pgtype.TextFormatCode, pgtype.BinaryFormatCode} {
		for _, v := range vals {
			name := v.name + "/text"
			if format == pgtype.BinaryFormatCode {
				name = v.name + "/binary"
			}
			b.Run(name, func(b *testing.B) {
				buf := make([]byte, 0, 64)
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					var err error
					if buf, err = m.Encode(v.oid, format, v.v, buf[:0]); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
