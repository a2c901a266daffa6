package types

import (
	"github.com/cockroachdb/apd/v3"
)

// Kind is the physical representation of a Datum.
type Kind uint8

const (
	KindNull Kind = iota
	KindBool
	KindInt
	KindFloat
	KindNumeric
	KindText
	KindBytes
	KindDate
	KindTime
	KindTimestamp
	KindTimestampTZ
	KindInterval
	KindUUID
	KindJSON
	KindArray
	KindTSVector
	KindTSQuery
)

var kindNames = [...]string{"null", "bool", "int", "float", "numeric", "text", "bytes",
	"date", "time", "timestamp", "timestamptz", "interval", "uuid", "json", "array", "tsvector", "tsquery"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Datum is one SQL value: a small tagged union passed by value. The zero
// value is NULL. Fields by kind:
//
//	KindBool         I = 0 or 1
//	KindInt          I (int2, int4, int8, oid and reg* types)
//	KindFloat        F (float4 values are held exactly as float64)
//	KindNumeric      X = *apd.Decimal, finite values with Exponent <= 0 and
//	                 -Exponent the display scale (PostgreSQL's dscale); NaN and
//	                 ±Infinity as apd forms. Never negative zero.
//	KindText         S (text, varchar, bpchar padded to its length, name, "char", unknown)
//	KindBytes        S = raw bytes (bytea)
//	KindDate         I = days since 2000-01-01; ±infinity = math.MaxInt32 / math.MinInt32
//	KindTime         I = microseconds since midnight (0 .. 86_400_000_000)
//	KindTimestamp,
//	KindTimestampTZ  I = microseconds since 2000-01-01 00:00:00 (UTC for timestamptz);
//	                 ±infinity = math.MaxInt64 / math.MinInt64
//	KindInterval     I = microseconds; X = IntervalExt{Months, Days} or nil when both are 0
//	KindUUID         S = the 16 raw bytes
//	KindJSON         S = json text as given, or jsonb text as PostgreSQL prints jsonb
//	KindArray        X = *Array
//	KindTSVector     S = tsvector text as tsvectorout prints it; X = *TSVector or nil
//	KindTSQuery      S = tsquery text as tsqueryout prints it; X = *TSQuery or nil
//
// A Datum is immutable once built: never write through X or into the bytes
// behind S (they may alias a row buffer, see DecodeRow). Use the accessors
// rather than reading X directly: they handle the nil forms.
type Datum struct {
	K Kind
	I int64
	F float64
	S string
	X any
}

// IntervalExt is the months/days part of an interval, held in Datum.X.
type IntervalExt struct {
	Months int32
	Days   int32
}

// IntervalValue is an interval as PostgreSQL stores it (three independent fields).
type IntervalValue struct {
	Months int32
	Days   int32
	Micros int64
}

// Array is a PostgreSQL array: elements in row-major order, with one
// ArrayDim per dimension. A zero-dimensional (empty) array has no Dims and
// no Elems. Elem carries the element typmod too.
type Array struct {
	Elem  Type
	Dims  []ArrayDim
	Elems []Datum
}

// ArrayDim is one dimension: its length and lower bound (1 by default).
type ArrayDim struct {
	Len   int32
	Lower int32
}

// Null returns the NULL datum (the zero value).
func Null() Datum { return Datum{} }

func NewBool(b bool) Datum {
	if b {
		return Datum{K: KindBool, I: 1}
	}
	return Datum{K: KindBool}
}

// NewInt is an int2/int4/int8/oid value; the caller keeps it in the type's range.
func NewInt(i int64) Datum     { return Datum{K: KindInt, I: i} }
func NewFloat(f float64) Datum { return Datum{K: KindFloat, F: f} }
func NewText(s string) Datum   { return Datum{K: KindText, S: s} }

// NewBytes copies b into a bytea datum.
func NewBytes(b []byte) Datum { return Datum{K: KindBytes, S: string(b)} }

// NewBytesString is NewBytes without the copy.
func NewBytesString(s string) Datum { return Datum{K: KindBytes, S: s} }

// NewDate takes days since 2000-01-01 (DateInfinity/DateNegInfinity for ±infinity).
func NewDate(days int32) Datum { return Datum{K: KindDate, I: int64(days)} }

// NewTime takes microseconds since midnight.
func NewTime(us int64) Datum { return Datum{K: KindTime, I: us} }

// NewTimestamp and NewTimestampTZ take microseconds since 2000-01-01 00:00:00 UTC.
func NewTimestamp(us int64) Datum   { return Datum{K: KindTimestamp, I: us} }
func NewTimestampTZ(us int64) Datum { return Datum{K: KindTimestampTZ, I: us} }

// NewNumeric wraps d, which must not be modified afterwards. A finite value
// with a positive exponent is rescaled to exponent 0, and -0 becomes 0, so
// the invariants documented on Datum hold.
func NewNumeric(d *apd.Decimal) Datum {
	if d.Form == apd.Finite {
		if d.Exponent > 0 || (d.Negative && d.Coeff.Sign() == 0) {
			n := new(apd.Decimal)
			n.Set(d)
			normalizeNumeric(n)
			d = n
		}
	}
	return Datum{K: KindNumeric, X: d}
}

// NewInterval builds an interval; X is nil when months and days are zero.
func NewInterval(iv IntervalValue) Datum {
	d := Datum{K: KindInterval, I: iv.Micros}
	if iv.Months != 0 || iv.Days != 0 {
		d.X = IntervalExt{iv.Months, iv.Days}
	}
	return d
}

func NewUUID(u [16]byte) Datum { return Datum{K: KindUUID, S: string(u[:])} }

// NewJSON takes json text (not validated here: use ParseText to validate).
func NewJSON(s string) Datum { return Datum{K: KindJSON, S: s} }

// NewJSONB takes jsonb text already normalized as PostgreSQL prints jsonb
// (ParseText(JSONB, ...) normalizes arbitrary json text).
func NewJSONB(s string) Datum { return Datum{K: KindJSON, S: s} }

// NewArray builds a one-dimensional array with lower bound 1 (an empty
// elems gives the empty array '{}').
func NewArray(elem Type, elems []Datum) Datum {
	a := &Array{Elem: elem, Elems: elems}
	if len(elems) > 0 {
		a.Dims = []ArrayDim{{Len: int32(len(elems)), Lower: 1}}
	}
	return Datum{K: KindArray, X: a}
}

// NewArrayDims builds a multi-dimensional array; len(elems) must equal the
// product of the dimension lengths.
func NewArrayDims(elem Type, dims []ArrayDim, elems []Datum) Datum {
	return Datum{K: KindArray, X: &Array{Elem: elem, Dims: dims, Elems: elems}}
}

// IsNull reports whether d is SQL NULL.
func (d Datum) IsNull() bool { return d.K == KindNull }

func (d Datum) Bool() bool        { return d.I != 0 }
func (d Datum) Int() int64        { return d.I }
func (d Datum) Float() float64    { return d.F }
func (d Datum) Text() string      { return d.S }
func (d Datum) Bytes() string     { return d.S }
func (d Datum) Date() int32       { return int32(d.I) }
func (d Datum) TimeMicros() int64 { return d.I }
func (d Datum) Timestamp() int64  { return d.I }

// Numeric returns the decimal of a numeric datum (nil otherwise). Do not modify it.
func (d Datum) Numeric() *apd.Decimal {
	n, _ := d.X.(*apd.Decimal)
	return n
}

// Interval returns the interval fields of an interval datum.
func (d Datum) Interval() IntervalValue {
	iv := IntervalValue{Micros: d.I}
	if e, ok := d.X.(IntervalExt); ok {
		iv.Months, iv.Days = e.Months, e.Days
	}
	return iv
}

// UUID returns the 16 bytes of a uuid datum.
func (d Datum) UUID() (u [16]byte) {
	copy(u[:], d.S)
	return u
}

// JSON returns the json/jsonb text.
func (d Datum) JSON() string { return d.S }

// Array returns the array of an array datum (nil otherwise). Do not modify it.
func (d Datum) Array() *Array {
	a, _ := d.X.(*Array)
	return a
}

// NDims is the number of dimensions (0 for an empty array).
func (a *Array) NDims() int { return len(a.Dims) }
