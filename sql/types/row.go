package types

import (
	"encoding/binary"
	"math"
	"unsafe"

	"github.com/cockroachdb/apd/v3"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Row encoding: the compact value stored for a table row.
//
//	uvarint  n                 number of columns encoded
//	[(n+7)/8]byte              NULL bitmap, bit i set = column i is NULL
//	values of the non-NULL columns, in column order:
//	  bool                     1 byte
//	  int2/int4/int8/oid/reg*  zigzag varint
//	  date                     zigzag varint (days)
//	  time                     uvarint (µs)
//	  timestamp/timestamptz    8 bytes little-endian
//	  float4                   4 bytes little-endian IEEE
//	  float8                   8 bytes little-endian IEEE
//	  interval                 zigzag varints: months, days, µs
//	  uuid                     16 bytes
//	  numeric                  form byte (0 finite, 1 NaN, 2 +Inf, 3 -Inf; +4 if
//	                           negative; +8 if the coefficient is big), uvarint
//	                           scale, then uvarint coefficient, or uvarint length
//	                           + big-endian bytes when it exceeds 64 bits
//	  text-like, bytea, json   uvarint length + bytes
//	  arrays                   uvarint length + the binary send format
//
// Schema evolution: a row holding fewer columns than the table now has
// decodes the missing trailing columns as NULL (the caller substitutes
// defaults), so ALTER TABLE ADD COLUMN needs no rewrite; columns beyond
// len(cols) are ignored (dropped columns keep their position in cols).
//
// Aliasing contract: DecodeRow and DecodeColumn return text, bytea, json
// and uuid values whose strings point into b (unsafe.String). The caller
// guarantees that b is never modified afterwards (the kv store's buffers
// are immutable), and keeps b alive as long as the datums (the GC does
// that automatically). Fixed-size values decode without allocating;
// numeric, non-zero interval months/days and arrays allocate their payload.

var errRowCorrupt = pgerror.New(pgerror.DataCorrupted, "corrupt row encoding")

// AppendRow appends the encoding of row (len(row) must equal len(cols)).
// A datum whose kind does not fit its column type is encoded by its kind,
// which the decoder then rejects as corrupt; the binder prevents that.
func AppendRow(dst []byte, row []Datum, cols []Type) []byte {
	n := len(row)
	dst = binary.AppendUvarint(dst, uint64(n))
	bm := len(dst)
	for i := 0; i < (n+7)/8; i++ {
		dst = append(dst, 0)
	}
	for i := range row {
		d := row[i]
		if d.K == KindNull {
			dst[bm+i/8] |= 1 << (i % 8)
			continue
		}
		dst = appendRowValue(dst, d, cols[i])
	}
	return dst
}

func appendRowValue(dst []byte, d Datum, t Type) []byte {
	switch t.OID {
	case Int4OID, Int8OID, Int2OID, OIDOID, RegclassOID, RegtypeOID, RegprocOID, RegprocedureOID, RegoperOID, RegnamespaceOID, RegroleOID:
		return binary.AppendVarint(dst, d.I)
	case TextOID, VarcharOID, BPCharOID, NameOID, CharOID, UnknownOID, ByteaOID, JSONOID, JSONBOID, TSVectorOID, TSQueryOID:
		dst = binary.AppendUvarint(dst, uint64(len(d.S)))
		return append(dst, d.S...)
	case TimestamptzOID, TimestampOID:
		return binary.LittleEndian.AppendUint64(dst, uint64(d.I))
	case BoolOID:
		return append(dst, byte(d.I&1))
	case Float8OID:
		return binary.LittleEndian.AppendUint64(dst, math.Float64bits(d.F))
	case Float4OID:
		return binary.LittleEndian.AppendUint32(dst, math.Float32bits(float32(d.F)))
	case NumericOID:
		return appendRowNumeric(dst, d.Numeric())
	case DateOID:
		return binary.AppendVarint(dst, d.I)
	case TimeOID:
		return binary.AppendUvarint(dst, uint64(d.I))
	case IntervalOID:
		iv := d.Interval()
		dst = binary.AppendVarint(dst, int64(iv.Months))
		dst = binary.AppendVarint(dst, int64(iv.Days))
		return binary.AppendVarint(dst, iv.Micros)
	case UUIDOID:
		return append(dst, d.S...)
	}
	if t.IsArray() {
		at := len(dst)
		body, err := AppendBinary(nil, d, t)
		if err != nil {
			body = nil
		}
		dst = binary.AppendUvarint(dst[:at], uint64(len(body)))
		return append(dst, body...)
	}
	dst = binary.AppendUvarint(dst, uint64(len(d.S)))
	return append(dst, d.S...)
}

func appendRowNumeric(dst []byte, d *apd.Decimal) []byte {
	if d == nil {
		return append(dst, 1)
	}
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return append(dst, 1)
	case apd.Infinite:
		if d.Negative {
			return append(dst, 3)
		}
		return append(dst, 2)
	}
	form := byte(0)
	if d.Negative {
		form |= 4
	}
	scale := uint64(0)
	if d.Exponent < 0 {
		scale = uint64(-d.Exponent)
	}
	if d.Coeff.IsUint64() {
		dst = append(dst, form)
		dst = binary.AppendUvarint(dst, scale)
		return binary.AppendUvarint(dst, d.Coeff.Uint64())
	}
	dst = append(dst, form|8)
	dst = binary.AppendUvarint(dst, scale)
	b := d.Coeff.MathBigInt().Bytes()
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// rowHeader parses the column count and bitmap.
func rowHeader(b []byte) (n int, bitmap []byte, rest []byte, err error) {
	v, k := binary.Uvarint(b)
	if k <= 0 || v > uint64(len(b))*8+8 {
		return 0, nil, nil, errRowCorrupt
	}
	n = int(v)
	nb := (n + 7) / 8
	if len(b) < k+nb {
		return 0, nil, nil, errRowCorrupt
	}
	return n, b[k : k+nb], b[k+nb:], nil
}

// DecodeRow decodes a row into dst[:0] (grown as needed) and returns it.
// len(result) == len(cols) always. Errors (XX001) only for corrupt input.
func DecodeRow(b []byte, cols []Type, dst []Datum) ([]Datum, error) {
	n, bitmap, rest, err := rowHeader(b)
	if err != nil {
		return dst[:0], err
	}
	if cap(dst) < len(cols) {
		dst = make([]Datum, len(cols))
	}
	dst = dst[:len(cols)]
	for i := range cols {
		if i >= n || bitmap[i/8]&(1<<(i%8)) != 0 {
			dst[i] = Datum{}
			continue
		}
		d, r, err := decodeRowValue(rest, cols[i])
		if err != nil {
			return dst[:0], err
		}
		dst[i] = d
		rest = r
	}
	return dst, nil
}

// DecodeColumn decodes only column i, skipping the ones before it.
func DecodeColumn(b []byte, cols []Type, i int) (Datum, error) {
	n, bitmap, rest, err := rowHeader(b)
	if err != nil {
		return Datum{}, err
	}
	if i >= n || i >= len(cols) {
		return Datum{}, nil
	}
	for j := 0; j <= i; j++ {
		if bitmap[j/8]&(1<<(j%8)) != 0 {
			if j == i {
				return Datum{}, nil
			}
			continue
		}
		if j == i {
			d, _, err := decodeRowValue(rest, cols[j])
			return d, err
		}
		if rest, err = skipRowValue(rest, cols[j]); err != nil {
			return Datum{}, err
		}
	}
	return Datum{}, nil
}

// RowColumnCount returns the number of columns a row was encoded with.
func RowColumnCount(b []byte) (int, error) {
	n, _, _, err := rowHeader(b)
	return n, err
}

func aliasString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func lenPrefixed(b []byte) ([]byte, []byte, error) {
	l, k := binary.Uvarint(b)
	if k <= 0 || l > uint64(len(b)-k) {
		return nil, nil, errRowCorrupt
	}
	return b[k : k+int(l)], b[k+int(l):], nil
}

func decodeRowValue(b []byte, t Type) (Datum, []byte, error) {
	switch t.OID {
	case Int4OID, Int8OID, Int2OID, OIDOID, RegclassOID, RegtypeOID, RegprocOID, RegprocedureOID, RegoperOID, RegnamespaceOID, RegroleOID:
		v, k := binary.Varint(b)
		if k <= 0 {
			return Datum{}, nil, errRowCorrupt
		}
		return Datum{K: KindInt, I: v}, b[k:], nil
	case TextOID, VarcharOID, BPCharOID, NameOID, CharOID, UnknownOID:
		s, rest, err := lenPrefixed(b)
		return Datum{K: KindText, S: aliasString(s)}, rest, err
	case ByteaOID:
		s, rest, err := lenPrefixed(b)
		return Datum{K: KindBytes, S: aliasString(s)}, rest, err
	case JSONOID, JSONBOID:
		s, rest, err := lenPrefixed(b)
		return Datum{K: KindJSON, S: aliasString(s)}, rest, err
	case TSVectorOID, TSQueryOID:
		s, rest, err := lenPrefixed(b)
		return Datum{K: t.Kind(), S: aliasString(s)}, rest, err
	case TimestamptzOID, TimestampOID:
		if len(b) < 8 {
			return Datum{}, nil, errRowCorrupt
		}
		k := KindTimestamp
		if t.OID == TimestamptzOID {
			k = KindTimestampTZ
		}
		return Datum{K: k, I: int64(binary.LittleEndian.Uint64(b))}, b[8:], nil
	case BoolOID:
		if len(b) < 1 {
			return Datum{}, nil, errRowCorrupt
		}
		return Datum{K: KindBool, I: int64(b[0] & 1)}, b[1:], nil
	case Float8OID:
		if len(b) < 8 {
			return Datum{}, nil, errRowCorrupt
		}
		return Datum{K: KindFloat, F: math.Float64frombits(binary.LittleEndian.Uint64(b))}, b[8:], nil
	case Float4OID:
		if len(b) < 4 {
			return Datum{}, nil, errRowCorrupt
		}
		return Datum{K: KindFloat, F: float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))}, b[4:], nil
	case NumericOID:
		return decodeRowNumeric(b)
	case DateOID:
		v, k := binary.Varint(b)
		if k <= 0 {
			return Datum{}, nil, errRowCorrupt
		}
		return Datum{K: KindDate, I: v}, b[k:], nil
	case TimeOID:
		v, k := binary.Uvarint(b)
		if k <= 0 {
			return Datum{}, nil, errRowCorrupt
		}
		return Datum{K: KindTime, I: int64(v)}, b[k:], nil
	case IntervalOID:
		m, k1 := binary.Varint(b)
		if k1 <= 0 {
			return Datum{}, nil, errRowCorrupt
		}
		d, k2 := binary.Varint(b[k1:])
		if k2 <= 0 {
			return Datum{}, nil, errRowCorrupt
		}
		us, k3 := binary.Varint(b[k1+k2:])
		if k3 <= 0 {
			return Datum{}, nil, errRowCorrupt
		}
		return NewInterval(IntervalValue{Months: int32(m), Days: int32(d), Micros: us}), b[k1+k2+k3:], nil
	case UUIDOID:
		if len(b) < 16 {
			return Datum{}, nil, errRowCorrupt
		}
		return Datum{K: KindUUID, S: aliasString(b[:16])}, b[16:], nil
	}
	if t.IsArray() {
		body, rest, err := lenPrefixed(b)
		if err != nil {
			return Datum{}, nil, err
		}
		d, err := ParseBinary(t, body)
		if err != nil {
			return Datum{}, nil, errRowCorrupt
		}
		return d, rest, nil
	}
	s, rest, err := lenPrefixed(b)
	return Datum{K: KindText, S: aliasString(s)}, rest, err
}

func decodeRowNumeric(b []byte) (Datum, []byte, error) {
	if len(b) < 1 {
		return Datum{}, nil, errRowCorrupt
	}
	form := b[0]
	b = b[1:]
	d := new(apd.Decimal)
	switch form & 3 {
	case 1:
		d.Form = apd.NaN
		return Datum{K: KindNumeric, X: d}, b, nil
	case 2:
		d.Form = apd.Infinite
		return Datum{K: KindNumeric, X: d}, b, nil
	case 3:
		d.Form = apd.Infinite
		d.Negative = true
		return Datum{K: KindNumeric, X: d}, b, nil
	}
	scale, k := binary.Uvarint(b)
	if k <= 0 || scale > numericMaxDscale {
		return Datum{}, nil, errRowCorrupt
	}
	b = b[k:]
	if form&8 == 0 {
		c, k := binary.Uvarint(b)
		if k <= 0 {
			return Datum{}, nil, errRowCorrupt
		}
		d.Coeff.SetUint64(c)
		b = b[k:]
	} else {
		body, rest, err := lenPrefixed(b)
		if err != nil {
			return Datum{}, nil, err
		}
		d.Coeff.SetBytes(body)
		b = rest
	}
	d.Exponent = -int32(scale)
	d.Negative = form&4 != 0
	return Datum{K: KindNumeric, X: d}, b, nil
}

func skipRowValue(b []byte, t Type) ([]byte, error) {
	switch t.OID {
	case TimestamptzOID, TimestampOID, Float8OID:
		if len(b) < 8 {
			return nil, errRowCorrupt
		}
		return b[8:], nil
	case Float4OID:
		if len(b) < 4 {
			return nil, errRowCorrupt
		}
		return b[4:], nil
	case BoolOID:
		if len(b) < 1 {
			return nil, errRowCorrupt
		}
		return b[1:], nil
	case UUIDOID:
		if len(b) < 16 {
			return nil, errRowCorrupt
		}
		return b[16:], nil
	case Int4OID, Int8OID, Int2OID, OIDOID, RegclassOID, RegtypeOID, RegprocOID, RegprocedureOID, RegoperOID, RegnamespaceOID, RegroleOID, DateOID, TimeOID:
		_, k := binary.Uvarint(b)
		if k <= 0 {
			return nil, errRowCorrupt
		}
		return b[k:], nil
	case NumericOID, IntervalOID:
		_, rest, err := decodeRowValue(b, t)
		return rest, err
	}
	_, rest, err := lenPrefixed(b)
	return rest, err
}
