package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

var (
	tInt2    = types.Int2
	tInt4    = types.Int4
	tInt8    = types.Int8
	tFloat4  = types.Float4
	tFloat8  = types.Float8
	tNumeric = types.Numeric
	tText    = types.Text
	tBool    = types.Bool
)

func intRangeError(t types.Type) error {
	switch t.OID {
	case types.Int2OID:
		return pgerror.New(pgerror.NumericValueOutOfRange, "smallint out of range")
	case types.Int4OID:
		return pgerror.New(pgerror.NumericValueOutOfRange, "integer out of range")
	}
	return pgerror.New(pgerror.NumericValueOutOfRange, "bigint out of range")
}

func fitInt(v int64, t types.Type) (types.Datum, error) {
	switch t.OID {
	case types.Int2OID:
		if v < math.MinInt16 || v > math.MaxInt16 {
			return types.Datum{}, intRangeError(t)
		}
	case types.Int4OID:
		if v < math.MinInt32 || v > math.MaxInt32 {
			return types.Datum{}, intRangeError(t)
		}
	}
	return types.NewInt(v), nil
}

var errDivZero = pgerror.New(pgerror.DivisionByZero, "division by zero")

func intOps(t types.Type) {
	add := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x, y := a[0].I, a[1].I
		s := x + y
		if (x > 0 && y > 0 && s < 0) || (x < 0 && y < 0 && s >= 0) {
			return types.Datum{}, intRangeError(t)
		}
		return fitInt(s, t)
	}
	sub := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x, y := a[0].I, a[1].I
		s := x - y
		if (x >= 0 && y < 0 && s < 0) || (x < 0 && y > 0 && s >= 0) {
			return types.Datum{}, intRangeError(t)
		}
		return fitInt(s, t)
	}
	mul := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x, y := a[0].I, a[1].I
		if x != 0 && y != 0 {
			p := x * y
			if p/y != x || (x == -1 && y == math.MinInt64) || (y == -1 && x == math.MinInt64) {
				return types.Datum{}, intRangeError(t)
			}
			return fitInt(p, t)
		}
		return types.NewInt(0), nil
	}
	div := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[1].I == 0 {
			return types.Datum{}, errDivZero
		}
		if a[1].I == -1 {
			if a[0].I == math.MinInt64 {
				return types.Datum{}, intRangeError(t)
			}
			return fitInt(-a[0].I, t)
		}
		return types.NewInt(a[0].I / a[1].I), nil
	}
	mod := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[1].I == 0 {
			return types.Datum{}, errDivZero
		}
		if a[1].I == -1 {
			return types.NewInt(0), nil
		}
		return types.NewInt(a[0].I % a[1].I), nil
	}
	binop("+", sig(t, add, t, t))
	binop("-", sig(t, sub, t, t))
	binop("*", sig(t, mul, t, t))
	binop("/", sig(t, div, t, t))
	binop("%", sig(t, mod, t, t))
	unop("-", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0].I == math.MinInt64 {
			return types.Datum{}, intRangeError(t)
		}
		return fitInt(-a[0].I, t)
	}, t))
	unop("+", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return a[0], nil }, t))
	fn("abs", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0].I < 0 {
			if a[0].I == math.MinInt64 {
				return types.Datum{}, intRangeError(t)
			}
			return fitInt(-a[0].I, t)
		}
		return a[0], nil
	}, t))
	fn("mod", sig(t, mod, t, t))
}

func checkFloat(f float64, inf bool) (types.Datum, error) {
	if math.IsInf(f, 0) && !inf {
		return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
	}
	return types.NewFloat(f), nil
}

func floatOps(t types.Type) {
	narrow := func(f float64) float64 {
		if t.OID == types.Float4OID {
			return float64(float32(f))
		}
		return f
	}
	op := func(f func(x, y float64) float64) bound.Fn {
		return func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].F, a[1].F
			r := narrow(f(x, y))
			return checkFloat(r, math.IsInf(x, 0) || math.IsInf(y, 0))
		}
	}
	binop("+", sig(t, op(func(x, y float64) float64 { return x + y }), t, t))
	binop("-", sig(t, op(func(x, y float64) float64 { return x - y }), t, t))
	binop("*", sig(t, op(func(x, y float64) float64 { return x * y }), t, t))
	binop("/", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[1].F == 0 {
			return types.Datum{}, errDivZero
		}
		return checkFloat(narrow(a[0].F/a[1].F), math.IsInf(a[0].F, 0))
	}, t, t))
	unop("-", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return types.NewFloat(-a[0].F), nil }, t))
	unop("+", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return a[0], nil }, t))
	fn("abs", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return types.NewFloat(math.Abs(a[0].F)), nil }, t))
}

// Numeric arithmetic is exact (apd) with PostgreSQL's result scales:
// +,- take the larger scale, * the sum of scales, / at least 16
// significant digits (select_div_scale in utils/adt/numeric.c).
var numCtx = apd.Context{Precision: 1000, MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent, Rounding: apd.RoundHalfUp}

func dec(d types.Datum) *apd.Decimal {
	if x, ok := d.X.(*apd.Decimal); ok {
		return x
	}
	return apd.New(d.I, 0)
}

func scaleOf(d *apd.Decimal) int32 {
	if d.Exponent < 0 {
		return -d.Exponent
	}
	return 0
}

func numResult(r *apd.Decimal, scale int32) (types.Datum, error) {
	if r.Form == apd.Finite {
		if _, err := numCtx.Quantize(r, r, -scale); err != nil {
			return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
		}
	}
	return types.NewNumeric(r), nil
}

func numericOps() {
	t := tNumeric
	binop("+", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x, y := dec(a[0]), dec(a[1])
		r := new(apd.Decimal)
		numCtx.Add(r, x, y)
		return numResult(r, max(scaleOf(x), scaleOf(y)))
	}, t, t))
	binop("-", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x, y := dec(a[0]), dec(a[1])
		r := new(apd.Decimal)
		numCtx.Sub(r, x, y)
		return numResult(r, max(scaleOf(x), scaleOf(y)))
	}, t, t))
	binop("*", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x, y := dec(a[0]), dec(a[1])
		r := new(apd.Decimal)
		numCtx.Mul(r, x, y)
		return numResult(r, scaleOf(x)+scaleOf(y))
	}, t, t))
	binop("/", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return NumericDiv(dec(a[0]), dec(a[1]))
	}, t, t))
	binop("%", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x, y := dec(a[0]), dec(a[1])
		if y.IsZero() {
			return types.Datum{}, errDivZero
		}
		r := new(apd.Decimal)
		numCtx.Rem(r, x, y)
		return numResult(r, max(scaleOf(x), scaleOf(y)))
	}, t, t))
	unop("-", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r := new(apd.Decimal)
		r.Neg(dec(a[0]))
		return types.NewNumeric(r), nil
	}, t))
	unop("+", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return a[0], nil }, t))
	fn("abs", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r := new(apd.Decimal)
		r.Abs(dec(a[0]))
		return types.NewNumeric(r), nil
	}, t))
}

// divScale is PostgreSQL's select_div_scale: enough digits that the
// quotient has at least 16 significant ones, and no fewer than either
// input's scale. Weights are in base-10000 digits as numeric stores them.
func divScale(x, y *apd.Decimal) int32 {
	w1, f1 := weightFirst(x)
	w2, f2 := weightFirst(y)
	qweight := w1 - w2
	if f1 <= f2 {
		qweight--
	}
	rscale := 16 - qweight*4
	rscale = max(rscale, scaleOf(x), scaleOf(y), 0)
	return min(rscale, 1000)
}

// weightFirst returns the base-10000 weight of the first non-zero digit
// group and that group's value.
func weightFirst(d *apd.Decimal) (int32, int64) {
	if d.IsZero() {
		return 0, 0
	}
	// Position of the most significant decimal digit relative to the point.
	digits := int32(d.NumDigits())
	msd := digits + d.Exponent - 1 // exponent of the leading digit in base 10
	var w int32
	if msd >= 0 {
		w = msd / 4
	} else {
		w = -((-msd + 3) / 4)
	}
	// The leading group's value: the digits from 10^(4w+3) down to 10^(4w).
	var coeff apd.BigInt
	coeff.Set(&d.Coeff)
	shift := d.Exponent - 4*w // coefficient * 10^shift, keep the integer part below 10^4
	v := new(apd.Decimal)
	v.Coeff.Set(&coeff)
	v.Exponent = shift
	i := new(apd.Decimal)
	numCtx.Floor(i, v)
	f, _ := i.Int64()
	return w, f
}

func init() {
	intOps(tInt2)
	intOps(tInt4)
	intOps(tInt8)
	floatOps(tFloat4)
	floatOps(tFloat8)
	numericOps()
}

// NumericDiv divides with PostgreSQL's result scale (avg uses it too).
func NumericDiv(x, y *apd.Decimal) (types.Datum, error) {
	if y.IsZero() {
		return types.Datum{}, errDivZero
	}
	scale := divScale(x, y)
	r := new(apd.Decimal)
	c := numCtx
	c.Precision = uint32(max(int32(x.NumDigits()+y.NumDigits()), 0) + scale + 8)
	c.Quo(r, x, y)
	return numResult(r, scale)
}

// NumericCtx is the arithmetic context numeric operations share.
func NumericCtx() *apd.Context { return &numCtx }
