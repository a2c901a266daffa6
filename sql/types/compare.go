package types

import (
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// Compare orders two values as PostgreSQL's btree comparison functions do
// and returns -1, 0 or +1:
//
//   - int2/int4/int8 compare exactly across widths; int vs float8 compares
//     as float8 (PostgreSQL casts the int); numeric vs int is exact;
//     numeric vs float compares the numeric converted to float8 (the
//     implicit numeric -> float8 cast). -0 = 0.
//   - float8 and numeric: NaN equals NaN and sorts above everything, +Infinity
//     below NaN (PostgreSQL's float8_cmp and cmp_numerics).
//   - text, varchar, name, bytea, uuid: bytewise (collation "C"). bpchar
//     values of one column carry the same padding, so bytewise order is
//     PostgreSQL's bpchar order for them; CompareBPChar strips the padding.
//   - date vs timestamp: the date at midnight; date/timestamp vs timestamptz
//     compare the raw microseconds (the binder must cast one side first, as
//     the result depends on the session time zone).
//   - interval: total microseconds with 30-day months (interval_cmp).
//   - jsonb (and json): jsonb's btree order (objects > arrays > booleans >
//     numbers > strings > null; longer containers first by size).
//   - arrays: element by element (NULL elements after non-NULL ones), then
//     length, number of dimensions, dimensions and lower bounds (array_cmp).
//
// NULL is treated as larger than any value and equal to NULL, i.e. the
// order of ASC NULLS LAST; SQL three-valued logic is the caller's job. Values
// of kinds that PostgreSQL cannot compare are ordered by kind so that
// Compare stays a total order.
func Compare(a, b Datum) int {
	if a.K == b.K {
		switch a.K {
		case KindInt, KindBool, KindDate, KindTime, KindTimestamp, KindTimestampTZ:
			return cmpInt(a.I, b.I)
		case KindText, KindBytes, KindUUID, KindTSVector, KindTSQuery:
			return strings.Compare(a.S, b.S)
		case KindFloat:
			return cmpFloat(a.F, b.F)
		case KindNumeric:
			return cmpNumeric(a.Numeric(), b.Numeric())
		case KindInterval:
			return cmpInterval(a.Interval(), b.Interval())
		case KindNull:
			return 0
		case KindJSON:
			return cmpJSON(a.S, b.S)
		case KindArray:
			return cmpArray(a.Array(), b.Array())
		}
		return 0
	}
	if a.K == KindNull {
		return 1
	}
	if b.K == KindNull {
		return -1
	}
	switch {
	case a.K == KindInt && b.K == KindFloat:
		return cmpFloat(float64(a.I), b.F)
	case a.K == KindFloat && b.K == KindInt:
		return cmpFloat(a.F, float64(b.I))
	case a.K == KindNumeric && b.K == KindInt:
		return cmpNumericInt(a.Numeric(), b.I)
	case a.K == KindInt && b.K == KindNumeric:
		return -cmpNumericInt(b.Numeric(), a.I)
	case a.K == KindNumeric && b.K == KindFloat:
		return cmpFloat(numericToFloat(a.Numeric(), 64), b.F)
	case a.K == KindFloat && b.K == KindNumeric:
		return cmpFloat(a.F, numericToFloat(b.Numeric(), 64))
	case isTimeKind(a.K) && isTimeKind(b.K):
		return cmpInt(timestampOf(a), timestampOf(b))
	}
	return cmpInt(int64(a.K), int64(b.K))
}

// CompareNulls is Compare with an explicit NULL placement (NULLS FIRST when
// nullsFirst). Use it with descending=true sorts by negating the result of
// the non-NULL comparison only.
func CompareNulls(a, b Datum, nullsFirst bool) int {
	an, bn := a.K == KindNull, b.K == KindNull
	switch {
	case an && bn:
		return 0
	case an:
		if nullsFirst {
			return -1
		}
		return 1
	case bn:
		if nullsFirst {
			return 1
		}
		return -1
	}
	return Compare(a, b)
}

// Equal reports whether Compare(a, b) == 0 (IS NOT DISTINCT FROM: two NULLs
// are equal here).
func Equal(a, b Datum) bool {
	if a.K == b.K {
		switch a.K {
		case KindInt, KindBool, KindDate, KindTime, KindTimestamp, KindTimestampTZ:
			return a.I == b.I
		case KindText, KindBytes, KindUUID:
			return a.S == b.S
		}
	}
	return Compare(a, b) == 0
}

// BPCharTrim is a char(n) value without its trailing blanks, the part
// that counts in comparisons and hashing (hashbpchar).
func BPCharTrim(s string) string { return bpcharTrim(s) }

// CompareBPChar compares two char(n) values ignoring trailing spaces (bpcharcmp).
func CompareBPChar(a, b string) int {
	return strings.Compare(bpcharTrim(a), bpcharTrim(b))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpFloat is float8_cmp_internal: NaN = NaN > everything.
func cmpFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpNumeric is cmp_numerics: NaN > +Inf > finite > -Inf.
func cmpNumeric(a, b *apd.Decimal) int {
	ra, rb := numericRank(a), numericRank(b)
	if ra != rb || ra != 0 {
		return cmpInt(int64(ra), int64(rb))
	}
	return a.Cmp(b)
}

// numericRank: -1 for -Inf, 0 finite, 1 +Inf, 2 NaN.
func numericRank(d *apd.Decimal) int {
	if d == nil {
		return 0
	}
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return 2
	case apd.Infinite:
		if d.Negative {
			return -1
		}
		return 1
	}
	return 0
}

func cmpNumericInt(a *apd.Decimal, i int64) int {
	if r := numericRank(a); r != 0 {
		return cmpInt(int64(r), 0)
	}
	var b apd.Decimal
	b.SetInt64(i)
	return a.Cmp(&b)
}

func cmpInterval(a, b IntervalValue) int {
	ah, al := intervalSpan(a)
	bh, bl := intervalSpan(b)
	if ah != bh {
		return cmpInt(ah, bh)
	}
	switch {
	case al < bl:
		return -1
	case al > bl:
		return 1
	}
	return 0
}

func isTimeKind(k Kind) bool {
	return k == KindDate || k == KindTimestamp || k == KindTimestampTZ
}

// timestampOf maps date/timestamp/timestamptz to comparable microseconds.
func timestampOf(d Datum) int64 {
	if d.K != KindDate {
		return d.I
	}
	return dateToTimestampRaw(d.I)
}

// dateToTimestampRaw is date2timestamp_no_overflow: infinities map to
// timestamp infinities; finite dates always fit.
func dateToTimestampRaw(days int64) int64 {
	switch days {
	case DateInfinity:
		return TimestampInfinity
	case DateNegInfinity:
		return TimestampNegInfinity
	}
	return days * usecsPerDay
}

// cmpArray is array_cmp.
func cmpArray(a, b *Array) int {
	var ae, be []Datum
	if a != nil {
		ae = a.Elems
	}
	if b != nil {
		be = b.Elems
	}
	n := len(ae)
	if len(be) < n {
		n = len(be)
	}
	for i := 0; i < n; i++ {
		if c := Compare(ae[i], be[i]); c != 0 {
			return c
		}
	}
	if len(ae) != len(be) {
		return cmpInt(int64(len(ae)), int64(len(be)))
	}
	var ad, bd []ArrayDim
	if a != nil {
		ad = a.Dims
	}
	if b != nil {
		bd = b.Dims
	}
	if len(ad) != len(bd) {
		return cmpInt(int64(len(ad)), int64(len(bd)))
	}
	for i := range ad {
		if ad[i].Len != bd[i].Len {
			return cmpInt(int64(ad[i].Len), int64(bd[i].Len))
		}
		if ad[i].Lower != bd[i].Lower {
			return cmpInt(int64(ad[i].Lower), int64(bd[i].Lower))
		}
	}
	return 0
}

// cmpJSON is compareJsonbContainers over the parsed values.
func cmpJSON(a, b string) int {
	if a == b {
		return 0
	}
	va, errA := parseJSONValue(a)
	vb, errB := parseJSONValue(b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	return cmpJSONTop(&va, &vb)
}

// jsonb types in btree order (jbvType: null < string < numeric < bool < array < object).
func jsonRank(v *jsonValue) int {
	switch v.kind {
	case jNull:
		return 0
	case jString:
		return 1
	case jNumber:
		return 2
	case jFalse, jTrue:
		return 3
	case jArray:
		return 4
	}
	return 5
}

// cmpJSONTop handles the "raw scalar" pseudo-array: PostgreSQL stores a
// top-level scalar as a one-element array flagged rawScalar, so it compares
// with arrays by element count first (then below a real one-element array),
// and below every object.
func cmpJSONTop(a, b *jsonValue) int {
	ao, bo := a.kind == jObject, b.kind == jObject
	if ao || bo {
		if ao && bo {
			return cmpJSONValue(a, b)
		}
		if ao {
			return 1
		}
		return -1
	}
	na, nb := jsonTopCount(a), jsonTopCount(b)
	if na != nb {
		return cmpInt(int64(na), int64(nb))
	}
	as, bs := a.kind != jArray, b.kind != jArray
	if as != bs {
		if as {
			return -1
		}
		return 1
	}
	if as {
		return cmpJSONValue(a, b)
	}
	return cmpJSONValue(a, b)
}

func jsonTopCount(v *jsonValue) int {
	if v.kind == jArray {
		return len(v.arr)
	}
	return 1
}

func cmpJSONValue(a, b *jsonValue) int {
	ra, rb := jsonRank(a), jsonRank(b)
	if ra != rb {
		return cmpInt(int64(ra), int64(rb))
	}
	switch a.kind {
	case jNull:
		return 0
	case jString:
		return strings.Compare(a.str, b.str)
	case jNumber:
		return cmpNumeric(a.num, b.num)
	case jFalse, jTrue:
		return cmpInt(int64(a.kind), int64(b.kind))
	case jArray:
		if len(a.arr) != len(b.arr) {
			return cmpInt(int64(len(a.arr)), int64(len(b.arr)))
		}
		for i := range a.arr {
			if c := cmpJSONValue(&a.arr[i], &b.arr[i]); c != 0 {
				return c
			}
		}
		return 0
	}
	if len(a.obj) != len(b.obj) {
		return cmpInt(int64(len(a.obj)), int64(len(b.obj)))
	}
	for i := range a.obj {
		if c := strings.Compare(a.obj[i].key, b.obj[i].key); c != 0 {
			return c
		}
		if c := cmpJSONValue(&a.obj[i].val, &b.obj[i].val); c != 0 {
			return c
		}
	}
	return 0
}
