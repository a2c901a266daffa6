package types

// Bitwise integer operators: & | # between two integers of one type, <<
// and >> by an int4 count, and prefix ~ (int2and ... int8not in int.c
// and int8.c). A shift count is taken modulo the width of the machine
// word PostgreSQL shifts in (32 bits for int2 and int4, 64 for int8), as
// the C shift does on the platforms it runs on; an int2 result is
// truncated to 16 bits, as its cast from int is.

func init() {
	for _, oid := range intOIDs {
		oid := oid
		t := Type{oid, -1}
		regBinary("&", oid, oid, t, func(a, b Datum, _ *Settings) (Datum, error) { return NewInt(a.I & b.I), nil })
		regBinary("|", oid, oid, t, func(a, b Datum, _ *Settings) (Datum, error) { return NewInt(a.I | b.I), nil })
		regBinary("#", oid, oid, t, func(a, b Datum, _ *Settings) (Datum, error) { return NewInt(a.I ^ b.I), nil })
		regUnary("~", oid, t, func(a Datum, _ *Settings) (Datum, error) { return NewInt(^a.I), nil })
		regBinary("<<", oid, Int4OID, t, func(a, b Datum, _ *Settings) (Datum, error) {
			return NewInt(shiftInt(a.I, b.I, oid, true)), nil
		})
		regBinary(">>", oid, Int4OID, t, func(a, b Datum, _ *Settings) (Datum, error) {
			return NewInt(shiftInt(a.I, b.I, oid, false)), nil
		})
	}
}

// shiftInt shifts v of integer type oid by n bits, left or right
// (arithmetic).
func shiftInt(v, n int64, oid uint32, left bool) int64 {
	if oid == Int8OID {
		s := uint(n) & 63
		if left {
			return v << s
		}
		return v >> s
	}
	s := uint(n) & 31
	var r int32
	if left {
		r = int32(v) << s
	} else {
		r = int32(v) >> s
	}
	if oid == Int2OID {
		return int64(int16(r))
	}
	return int64(r)
}
