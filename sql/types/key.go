package types

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Order-preserving key encoding. For every type, bytes.Compare of two
// encodings equals Compare of the values (with the type's PostgreSQL btree
// order), and every encoding is self-delimiting, so the concatenation of a
// row's key columns compares like the row, column by column.
//
// Layout of one column, in "ascending space":
//
//	0x01 <value>   a value
//	0x02           NULL, sorting after values (ASC NULLS LAST, the default)
//	0x00           NULL, sorting before values (ASC NULLS FIRST)
//
// A descending column is the bitwise complement of its ascending encoding,
// so DESC's default NULLS FIRST is the complement of 0x02. Values:
//
//	bool                 1 byte
//	int2/int4/int8       2/4/8 bytes big-endian, sign bit flipped
//	oid, reg*            4 bytes big-endian
//	float4/float8        IEEE bits made sortable (sign flip / complement);
//	                     -0 encodes as 0, every NaN as one NaN above +Inf
//	numeric              class byte (-Inf, <0, 0, >0, +Inf, NaN), then for
//	                     nonzero values a base-100 exponent and base-100
//	                     digits (complemented when negative); trailing zeros
//	                     are dropped, so 1.0 and 1.00 encode equally
//	text, varchar, name, "char", bytea, json
//	                     the bytes with 0x00 escaped as 0x00 0xFF, ending 0x00 0x01
//	char(n)              as text without the trailing spaces (bpchar order);
//	                     DecodeKey pads them back to n
//	date                 4 bytes, time/timestamp/timestamptz 8 bytes, sign flipped
//	interval             16 bytes: total microseconds (30-day months) as int128
//	uuid                 the 16 bytes
//	jsonb                a tagged tree in jsonb's btree order
//	arrays               0x01/0x02 per element (value/NULL) ending 0x00, then
//	                     the number of dimensions and each (length, lower bound)
//
// Lossy decodings (equal values share one key): numeric keeps its value but
// not its display scale; float -0 decodes as 0; an interval decodes in
// justified form (30-day months, 24-hour days); json/jsonb whitespace and
// number spelling are normalized. Callers needing the exact value read it
// from the row.

const (
	keyNullFirst byte = 0x00
	keyValue     byte = 0x01
	keyNullLast  byte = 0x02
)

// AppendKey appends the key encoding of d as type t with PostgreSQL's
// default NULL placement: NULLS LAST for ascending, NULLS FIRST for descending.
func AppendKey(dst []byte, d Datum, t Type, descending bool) []byte {
	return AppendKeyNulls(dst, d, t, descending, descending)
}

// AppendKeyNulls is AppendKey with an explicit NULLS FIRST/LAST.
func AppendKeyNulls(dst []byte, d Datum, t Type, descending, nullsFirst bool) []byte {
	start := len(dst)
	if d.K == KindNull {
		m := keyNullLast
		if nullsFirst != descending {
			m = keyNullFirst
		}
		dst = append(dst, m)
	} else {
		dst = append(dst, keyValue)
		dst = appendKeyValue(dst, d, t)
	}
	if descending {
		for i := start; i < len(dst); i++ {
			dst[i] = ^dst[i]
		}
	}
	return dst
}

func appendKeyValue(dst []byte, d Datum, t Type) []byte {
	switch d.K {
	case KindBool:
		return append(dst, byte(d.I&1))
	case KindInt:
		switch t.OID {
		case Int2OID:
			return binary.BigEndian.AppendUint16(dst, uint16(int16(d.I))^0x8000)
		case Int4OID:
			return binary.BigEndian.AppendUint32(dst, uint32(int32(d.I))^0x80000000)
		case OIDOID, RegclassOID, RegtypeOID, RegprocOID, RegprocedureOID, RegoperOID, RegnamespaceOID, RegroleOID:
			return binary.BigEndian.AppendUint32(dst, uint32(d.I))
		}
		return binary.BigEndian.AppendUint64(dst, uint64(d.I)^(1<<63))
	case KindFloat:
		if t.OID == Float4OID {
			return binary.BigEndian.AppendUint32(dst, sortableFloat32(float32(d.F)))
		}
		return binary.BigEndian.AppendUint64(dst, sortableFloat64(d.F))
	case KindText:
		s := d.S
		if t.OID == BPCharOID {
			s = bpcharTrim(s)
		}
		return appendKeyBytes(dst, s)
	case KindBytes, KindTSVector, KindTSQuery:
		return appendKeyBytes(dst, d.S)
	case KindDate:
		return binary.BigEndian.AppendUint32(dst, uint32(int32(d.I))^0x80000000)
	case KindTime, KindTimestamp, KindTimestampTZ:
		return binary.BigEndian.AppendUint64(dst, uint64(d.I)^(1<<63))
	case KindNumeric:
		return appendKeyNumeric(dst, d.Numeric())
	case KindInterval:
		hi, lo := intervalSpan(d.Interval())
		dst = binary.BigEndian.AppendUint64(dst, uint64(hi)^(1<<63))
		return binary.BigEndian.AppendUint64(dst, lo)
	case KindUUID:
		return append(dst, d.S...)
	case KindJSON:
		if t.OID == JSONOID {
			return appendKeyBytes(dst, d.S)
		}
		v, err := parseJSONValue(d.S)
		if err != nil {
			return appendKeyBytes(dst, d.S)
		}
		return appendKeyJSONTop(dst, &v)
	case KindArray:
		return appendKeyArray(dst, d.Array(), t)
	}
	return dst
}

func sortableFloat64(f float64) uint64 {
	if math.IsNaN(f) {
		return 0xFFF8000000000000
	}
	if f == 0 {
		f = 0
	}
	b := math.Float64bits(f)
	if b&(1<<63) != 0 {
		return ^b
	}
	return b | 1<<63
}

func sortableFloat32(f float32) uint32 {
	if f != f {
		return 0xFFC00000
	}
	if f == 0 {
		f = 0
	}
	b := math.Float32bits(f)
	if b&(1<<31) != 0 {
		return ^b
	}
	return b | 1<<31
}

func appendKeyBytes(dst []byte, s string) []byte {
	for {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			break
		}
		dst = append(dst, s[:i+1]...)
		dst = append(dst, 0xFF)
		s = s[i+1:]
	}
	dst = append(dst, s...)
	return append(dst, 0x00, 0x01)
}

// numeric classes
const (
	numKeyNegInf byte = 0x01
	numKeyNeg    byte = 0x02
	numKeyZero   byte = 0x03
	numKeyPos    byte = 0x04
	numKeyPosInf byte = 0x05
	numKeyNaN    byte = 0x06
)

// appendKeyNumeric: class, then for nonzero finite values E (int32,
// sign-flipped; complemented if negative) such that |v| = 0.d1d2... × 100^E,
// then base-100 digits as bytes 1..100 ending with 0x00 (all complemented
// for negative values, so larger magnitudes sort first).
func appendKeyNumeric(dst []byte, d *apd.Decimal) []byte {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return append(dst, numKeyNaN)
	case apd.Infinite:
		if d.Negative {
			return append(dst, numKeyNegInf)
		}
		return append(dst, numKeyPosInf)
	}
	if d.Coeff.Sign() == 0 {
		return append(dst, numKeyZero)
	}
	var scratch [48]byte
	digits := d.Coeff.Append(scratch[:0], 10)
	if digits[0] == '-' {
		digits = digits[1:]
	}
	// drop trailing zeros
	exp := int(d.Exponent)
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	// decimal exponent of the point: value = 0.digits × 10^pointExp
	pointExp := len(digits) + exp
	// align to base 100: pad one leading zero if pointExp is odd
	lead := 0
	if pointExp%2 != 0 {
		lead = 1
		pointExp++
	}
	e100 := pointExp / 2
	neg := d.Negative
	mask := byte(0)
	if neg {
		mask = 0xFF
		dst = append(dst, numKeyNeg)
	} else {
		dst = append(dst, numKeyPos)
	}
	eb := uint32(int32(e100)) ^ 0x80000000
	dst = append(dst, byte(eb>>24)^mask, byte(eb>>16)^mask, byte(eb>>8)^mask, byte(eb)^mask)
	total := lead + len(digits)
	for i := 0; i < total; i += 2 {
		hi := digitAt(digits, i-lead)
		lo := digitAt(digits, i+1-lead)
		dst = append(dst, byte(hi*10+lo+1)^mask)
	}
	return append(dst, 0x00^mask)
}

func digitAt(digits []byte, i int) int {
	if i < 0 || i >= len(digits) {
		return 0
	}
	return int(digits[i] - '0')
}

// jsonb key encoding follows compareJsonbContainers: objects after
// arrays and scalars; a top-level scalar is a one-element pseudo-array that
// sorts by element count with the arrays, then before a real one-element
// array; inside containers null < string < number < bool < array < object,
// and containers order by size first.
func appendKeyJSONTop(dst []byte, v *jsonValue) []byte {
	switch v.kind {
	case jObject:
		return appendKeyJSON(append(dst, 0x30), v)
	case jArray:
		dst = binary.BigEndian.AppendUint32(append(dst, 0x20), uint32(len(v.arr)))
		dst = append(dst, 1)
		for i := range v.arr {
			dst = appendKeyJSON(dst, &v.arr[i])
		}
		return dst
	}
	dst = binary.BigEndian.AppendUint32(append(dst, 0x20), 1)
	dst = append(dst, 0)
	return appendKeyJSON(dst, v)
}

func appendKeyJSON(dst []byte, v *jsonValue) []byte {
	switch v.kind {
	case jNull:
		return append(dst, 0x01)
	case jString:
		return appendKeyBytes(append(dst, 0x02), v.str)
	case jNumber:
		return appendKeyNumeric(append(dst, 0x03), v.num)
	case jFalse:
		return append(dst, 0x04, 0)
	case jTrue:
		return append(dst, 0x04, 1)
	case jArray:
		dst = binary.BigEndian.AppendUint32(append(dst, 0x05), uint32(len(v.arr)))
		for i := range v.arr {
			dst = appendKeyJSON(dst, &v.arr[i])
		}
		return dst
	}
	dst = binary.BigEndian.AppendUint32(append(dst, 0x06), uint32(len(v.obj)))
	for i := range v.obj {
		dst = appendKeyBytes(dst, v.obj[i].key)
		dst = appendKeyJSON(dst, &v.obj[i].val)
	}
	return dst
}

func appendKeyArray(dst []byte, a *Array, t Type) []byte {
	elem, _ := t.Elem()
	if a != nil {
		for _, e := range a.Elems {
			if e.IsNull() {
				dst = append(dst, keyNullLast)
				continue
			}
			dst = append(dst, keyValue)
			dst = appendKeyValue(dst, e, elem)
		}
	}
	dst = append(dst, 0x00)
	if a == nil {
		return append(dst, 0)
	}
	dst = append(dst, byte(len(a.Dims)))
	for _, d := range a.Dims {
		dst = binary.BigEndian.AppendUint32(dst, uint32(d.Len)^0x80000000)
		dst = binary.BigEndian.AppendUint32(dst, uint32(d.Lower)^0x80000000)
	}
	return dst
}

// --- decoding ---

var errKeyCorrupt = pgerror.New(pgerror.DataCorrupted, "corrupt key encoding")

// keyReader reads an ascending-space encoding, complementing bytes of a
// descending column on the fly.
type keyReader struct {
	b    []byte
	i    int
	mask byte
	err  bool
}

func (r *keyReader) byte1() byte {
	if r.i >= len(r.b) {
		r.err = true
		return 0
	}
	c := r.b[r.i] ^ r.mask
	r.i++
	return c
}

func (r *keyReader) uint(n int) uint64 {
	if r.i+n > len(r.b) {
		r.err = true
		r.i = len(r.b)
		return 0
	}
	var v uint64
	for k := 0; k < n; k++ {
		v = v<<8 | uint64(r.b[r.i+k]^r.mask)
	}
	r.i += n
	return v
}

func (r *keyReader) bytes() string {
	var out []byte
	for {
		if r.i >= len(r.b) {
			r.err = true
			return ""
		}
		c := r.b[r.i] ^ r.mask
		r.i++
		if c != 0 {
			out = append(out, c)
			continue
		}
		n := r.byte1()
		switch n {
		case 0xFF:
			out = append(out, 0)
		case 0x01:
			return string(out)
		default:
			r.err = true
			return ""
		}
	}
}

// DecodeKey decodes one column encoded by AppendKey/AppendKeyNulls (either
// NULL placement) and returns the rest of b. See the lossy cases above.
// Malformed input gives an XX001 error, never a panic.
func DecodeKey(b []byte, t Type, descending bool) (Datum, []byte, error) {
	r := keyReader{b: b}
	if descending {
		r.mask = 0xFF
	}
	m := r.byte1()
	if r.err {
		return Datum{}, b, errKeyCorrupt
	}
	if m == keyNullFirst || m == keyNullLast {
		return Datum{}, b[r.i:], nil
	}
	if m != keyValue {
		return Datum{}, b, errKeyCorrupt
	}
	d := decodeKeyValue(&r, t)
	if r.err {
		return Datum{}, b, errKeyCorrupt
	}
	return d, b[r.i:], nil
}

func decodeKeyValue(r *keyReader, t Type) Datum {
	switch t.Kind() {
	case KindBool:
		return NewBool(r.byte1() != 0)
	case KindInt:
		switch t.OID {
		case Int2OID:
			return NewInt(int64(int16(uint16(r.uint(2)) ^ 0x8000)))
		case Int4OID:
			return NewInt(int64(int32(uint32(r.uint(4)) ^ 0x80000000)))
		case Int8OID:
			return NewInt(int64(r.uint(8) ^ 1<<63))
		}
		return NewInt(int64(r.uint(4)))
	case KindFloat:
		if t.OID == Float4OID {
			u := uint32(r.uint(4))
			if u&(1<<31) != 0 {
				u &^= 1 << 31
			} else {
				u = ^u
			}
			return NewFloat(float64(math.Float32frombits(u)))
		}
		u := r.uint(8)
		if u&(1<<63) != 0 {
			u &^= 1 << 63
		} else {
			u = ^u
		}
		return NewFloat(math.Float64frombits(u))
	case KindText:
		s := r.bytes()
		if t.OID == BPCharOID {
			s, _ = coerceBPChar(s, t.Typmod, true)
		}
		return NewText(s)
	case KindBytes:
		return NewBytesString(r.bytes())
	case KindTSVector, KindTSQuery:
		return Datum{K: t.Kind(), S: r.bytes()}
	case KindDate:
		return NewDate(int32(uint32(r.uint(4)) ^ 0x80000000))
	case KindTime:
		return NewTime(int64(r.uint(8) ^ 1<<63))
	case KindTimestamp:
		return NewTimestamp(int64(r.uint(8) ^ 1<<63))
	case KindTimestampTZ:
		return NewTimestampTZ(int64(r.uint(8) ^ 1<<63))
	case KindNumeric:
		return Datum{K: KindNumeric, X: decodeKeyNumeric(r)}
	case KindInterval:
		hi := int64(r.uint(8) ^ 1<<63)
		lo := r.uint(8)
		return NewInterval(intervalFromSpan(hi, lo))
	case KindUUID:
		if r.i+16 > len(r.b) {
			r.err = true
			return Datum{}
		}
		var u [16]byte
		for k := range u {
			u[k] = r.b[r.i+k] ^ r.mask
		}
		r.i += 16
		return NewUUID(u)
	case KindJSON:
		if t.OID == JSONOID {
			return NewJSON(r.bytes())
		}
		var v jsonValue
		switch r.byte1() {
		case 0x30:
			v = decodeKeyJSON(r, 0)
		case 0x20:
			n := int(r.uint(4))
			if r.byte1() == 0 {
				v = decodeKeyJSON(r, 0)
				break
			}
			if n > len(r.b)-r.i {
				r.err = true
				return Datum{}
			}
			v = jsonValue{kind: jArray, arr: make([]jsonValue, 0, n)}
			for k := 0; k < n && !r.err; k++ {
				v.arr = append(v.arr, decodeKeyJSON(r, 1))
			}
		default:
			r.err = true
			return Datum{}
		}
		return NewJSONB(string(appendJSONValue(nil, &v)))
	case KindArray:
		return decodeKeyArray(r, t)
	}
	r.err = true
	return Datum{}
}

func decodeKeyNumeric(r *keyReader) *apd.Decimal {
	d := new(apd.Decimal)
	switch r.byte1() {
	case numKeyNaN:
		d.Form = apd.NaN
		return d
	case numKeyPosInf:
		d.Form = apd.Infinite
		return d
	case numKeyNegInf:
		d.Form = apd.Infinite
		d.Negative = true
		return d
	case numKeyZero:
		return d
	case numKeyPos:
	case numKeyNeg:
		d.Negative = true
	default:
		r.err = true
		return d
	}
	inner := byte(0)
	if d.Negative {
		inner = 0xFF
	}
	e100 := int32(uint32(r.uint(4)^uint64(uint32(inner)*0x01010101)) ^ 0x80000000)
	var digits []byte
	for {
		c := r.byte1() ^ inner
		if r.err {
			return d
		}
		if c == 0 {
			break
		}
		if c > 100 {
			r.err = true
			return d
		}
		v := c - 1
		digits = append(digits, '0'+v/10, '0'+v%10)
	}
	// value = 0.digits × 100^e100 = digits × 10^(2*e100 - len(digits))
	exp := int(2*e100) - len(digits)
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	if _, ok := d.Coeff.SetString(string(digits), 10); !ok {
		r.err = true
		return d
	}
	d.Exponent = int32(exp)
	normalizeNumeric(d)
	return d
}

func decodeKeyJSON(r *keyReader, depth int) jsonValue {
	if depth > jsonMaxDepth {
		r.err = true
		return jsonValue{}
	}
	switch r.byte1() {
	case 0x01:
		return jsonValue{kind: jNull}
	case 0x02:
		return jsonValue{kind: jString, str: r.bytes()}
	case 0x03:
		return jsonValue{kind: jNumber, num: decodeKeyNumeric(r)}
	case 0x04:
		if r.byte1() != 0 {
			return jsonValue{kind: jTrue}
		}
		return jsonValue{kind: jFalse}
	case 0x05:
		n := int(r.uint(4))
		if n > len(r.b)-r.i {
			r.err = true
			return jsonValue{}
		}
		v := jsonValue{kind: jArray, arr: make([]jsonValue, 0, n)}
		for k := 0; k < n && !r.err; k++ {
			v.arr = append(v.arr, decodeKeyJSON(r, depth+1))
		}
		return v
	case 0x06:
		n := int(r.uint(4))
		if n > len(r.b)-r.i {
			r.err = true
			return jsonValue{}
		}
		v := jsonValue{kind: jObject, obj: make([]jsonPair, 0, n)}
		for k := 0; k < n && !r.err; k++ {
			key := r.bytes()
			v.obj = append(v.obj, jsonPair{key: key, val: decodeKeyJSON(r, depth+1)})
		}
		return v
	}
	r.err = true
	return jsonValue{}
}

func decodeKeyArray(r *keyReader, t Type) Datum {
	elem, _ := t.Elem()
	var elems []Datum
	for {
		m := r.byte1()
		if r.err {
			return Datum{}
		}
		if m == 0x00 {
			break
		}
		if m == keyNullLast {
			elems = append(elems, Datum{})
			continue
		}
		if m != keyValue {
			r.err = true
			return Datum{}
		}
		elems = append(elems, decodeKeyValue(r, elem))
		if r.err {
			return Datum{}
		}
	}
	nd := int(r.byte1())
	if nd > maxArrayDims {
		r.err = true
		return Datum{}
	}
	var dims []ArrayDim
	for k := 0; k < nd; k++ {
		l := int32(uint32(r.uint(4)) ^ 0x80000000)
		lo := int32(uint32(r.uint(4)) ^ 0x80000000)
		dims = append(dims, ArrayDim{Len: l, Lower: lo})
	}
	return Datum{K: KindArray, X: &Array{Elem: elem, Dims: dims, Elems: elems}}
}

// intervalFromSpan splits a 128-bit microsecond total into a justified
// interval: days of 24 hours and months of 30 days.
func intervalFromSpan(hi int64, lo uint64) IntervalValue {
	neg := hi < 0
	uh, ul := uint64(hi), lo
	if neg {
		ul = ^ul + 1
		uh = ^uh
		if ul == 0 {
			uh++
		}
	}
	if uh >= uint64(usecsPerDay) {
		return IntervalValue{} // outside any interval's range: corrupt
	}
	days, micros := bits.Div64(uh, ul, uint64(usecsPerDay))
	months := days / daysPerMonth
	days %= daysPerMonth
	iv := IntervalValue{Months: int32(months), Days: int32(days), Micros: int64(micros)}
	if neg {
		iv = IntervalValue{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}
	}
	return iv
}
