package types

import (
	"math"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Float operators (float.c: float8pl, float8mi, float8mul, float8div and the
// float4/float48/float84 variants): IEEE arithmetic with PostgreSQL's
// checks, 22003 "value out of range: overflow/underflow" when a finite
// computation leaves the type's range and 22012 for x/0 (NaN/0 is NaN).

var (
	errFloatOverflow  = pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
	errFloatUnderflow = pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: underflow")
)

// roundFloat makes a float64 result a float4 one when the result type is real.
func roundFloat(f float64, float4 bool) float64 {
	if float4 {
		return float64(float32(f))
	}
	return f
}

func checkFloatResult(r, a, b float64, zeroOK bool) error {
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		return errFloatOverflow
	}
	if !zeroOK && r == 0 && a != 0 && b != 0 {
		return errFloatUnderflow
	}
	return nil
}

// FloatOp evaluates + - * / on floats; float4 selects real arithmetic
// (PostgreSQL computes float4 op float4 in single precision).
func FloatOp(op byte, a, b float64, float4 bool) (float64, error) {
	var r float64
	switch op {
	case '+':
		if float4 {
			r = float64(float32(a) + float32(b))
		} else {
			r = a + b
		}
		return r, checkFloatResult(r, a, b, true)
	case '-':
		if float4 {
			r = float64(float32(a) - float32(b))
		} else {
			r = a - b
		}
		return r, checkFloatResult(r, a, b, true)
	case '*':
		if float4 {
			r = float64(float32(a) * float32(b))
		} else {
			r = a * b
		}
		return r, checkFloatResult(r, a, b, false)
	case '/':
		if b == 0 && !math.IsNaN(a) {
			return 0, errDivByZero
		}
		if float4 {
			r = float64(float32(a) / float32(b))
		} else {
			r = a / b
		}
		if math.IsInf(r, 0) && !math.IsInf(a, 0) {
			return 0, errFloatOverflow
		}
		if r == 0 && a != 0 && !math.IsInf(b, 0) {
			return 0, errFloatUnderflow
		}
		return r, nil
	}
	return 0, pgerror.New(pgerror.InternalError, "unknown float operator %c", op)
}
