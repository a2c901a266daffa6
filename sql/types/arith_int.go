package types

import "math"

// Integer operators: int2/int4/int8 and their cross-type forms
// (int24pl, int48mul, ... in src/backend/utils/adt/int.c and int8.c). The
// result has the wider operand's type and overflow is 22003 "<type> out of
// range"; division truncates toward zero and x/0 is 22012.

// intResultOID is the wider of two integer types.
func intResultOID(a, b uint32) uint32 {
	if a == Int8OID || b == Int8OID {
		return Int8OID
	}
	if a == Int4OID || b == Int4OID {
		return Int4OID
	}
	return Int2OID
}

// AddInt returns a+b checked against the range of result type oid.
func AddInt(a, b int64, oid uint32) (int64, error) {
	r := a + b
	if (r > a) != (b > 0) && b != 0 {
		return 0, errIntOutOfRange(oid)
	}
	return r, checkIntRange(r, oid)
}

// SubInt returns a-b checked.
func SubInt(a, b int64, oid uint32) (int64, error) {
	r := a - b
	if (r < a) != (b > 0) && b != 0 {
		return 0, errIntOutOfRange(oid)
	}
	return r, checkIntRange(r, oid)
}

// MulInt returns a*b checked.
func MulInt(a, b int64, oid uint32) (int64, error) {
	if a == 0 || b == 0 {
		return 0, nil
	}
	r := a * b
	if r/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, errIntOutOfRange(oid)
	}
	return r, checkIntRange(r, oid)
}

// DivInt returns a/b truncated toward zero; 22012 for b = 0.
func DivInt(a, b int64, oid uint32) (int64, error) {
	if b == 0 {
		return 0, errDivByZero
	}
	if b == -1 {
		// -MIN overflows the result type
		return SubInt(0, a, oid)
	}
	return a / b, nil
}

// ModInt returns a%b with the sign of a; 22012 for b = 0.
func ModInt(a, b int64, oid uint32) (int64, error) {
	if b == 0 {
		return 0, errDivByZero
	}
	if b == -1 {
		return 0, nil
	}
	return a % b, nil
}

// NegInt is unary minus; AbsInt is @ / abs().
func NegInt(a int64, oid uint32) (int64, error) { return SubInt(0, a, oid) }

func AbsInt(a int64, oid uint32) (int64, error) {
	if a < 0 {
		return NegInt(a, oid)
	}
	return a, nil
}
