package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

func numArg(d types.Datum) *apd.Decimal {
	if x, ok := d.X.(*apd.Decimal); ok {
		return x
	}
	return apd.New(d.I, 0)
}

// roundNumeric rounds (or truncates) to scale digits after the point;
// negative scales round to tens, hundreds... PostgreSQL rounds half away
// from zero for numeric and keeps max(scale, 0) digits.
func roundNumeric(x *apd.Decimal, scale int64, mode apd.Rounder) (types.Datum, error) {
	if x.Form != apd.Finite {
		return types.NewNumeric(x), nil
	}
	c := numCtx
	c.Rounding = mode
	r := new(apd.Decimal)
	if _, err := c.Quantize(r, x, int32(-scale)); err != nil {
		return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	if scale < 0 {
		// Quantize to 10^k leaves exponent k; PostgreSQL prints 1200, not 12E+2.
		if _, err := c.Quantize(r, r, 0); err != nil {
			return types.Datum{}, err
		}
	}
	if r.IsZero() {
		r.Negative = false
	}
	return types.NewNumeric(r), nil
}

// numericFloorCeil is floor or ceil of a numeric. apd's Quantize with
// RoundFloor/RoundCeiling drops a remainder below one half when nothing is
// left of the coefficient (floor(-0.01) came out 0, ceil(0.01) 0), so
// this uses Floor and Ceil, then the usual zero-scale form.
func numericFloorCeil(x *apd.Decimal, ceil bool) (types.Datum, error) {
	if x.Form != apd.Finite {
		return types.NewNumeric(x), nil
	}
	r := new(apd.Decimal)
	var err error
	if ceil {
		_, err = numCtx.Ceil(r, x)
	} else {
		_, err = numCtx.Floor(r, x)
	}
	if err != nil {
		return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	return roundNumeric(r, 0, apd.RoundHalfUp)
}

func init() {
	tNumeric := types.Numeric
	fn("round",
		sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return roundNumeric(numArg(a[0]), 0, apd.RoundHalfUp)
		}, tNumeric),
		sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return roundNumeric(numArg(a[0]), a[1].I, apd.RoundHalfUp)
		}, tNumeric, tInt4),
		// float8 rounds half to even, as C's rint().
		sig(tFloat8, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewFloat(math.RoundToEven(a[0].F)), nil
		}, tFloat8))
	fn("trunc",
		sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return roundNumeric(numArg(a[0]), 0, apd.RoundDown)
		}, tNumeric),
		sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return roundNumeric(numArg(a[0]), a[1].I, apd.RoundDown)
		}, tNumeric, tInt4),
		sig(tFloat8, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewFloat(math.Trunc(a[0].F)), nil
		}, tFloat8))
	for _, name := range []string{"ceil", "ceiling"} {
		fn(name,
			sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return numericFloorCeil(numArg(a[0]), true)
			}, tNumeric),
			sig(tFloat8, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return types.NewFloat(math.Ceil(a[0].F)), nil
			}, tFloat8))
	}
	fn("floor",
		sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return numericFloorCeil(numArg(a[0]), false)
		}, tNumeric),
		sig(tFloat8, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewFloat(math.Floor(a[0].F)), nil
		}, tFloat8))
	fn("sqrt",
		sig(tFloat8, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[0].F < 0 {
				return types.Datum{}, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "cannot take square root of a negative number")
			}
			return types.NewFloat(math.Sqrt(a[0].F)), nil
		}, tFloat8))
	pow := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x, y := a[0].F, a[1].F
		if x == 0 && y < 0 {
			return types.Datum{}, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined")
		}
		if x < 0 && y != math.Trunc(y) {
			return types.Datum{}, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result")
		}
		r := math.Pow(x, y)
		if math.IsInf(r, 0) {
			return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
		}
		return types.NewFloat(r), nil
	}
	fn("power", sig(tFloat8, pow, tFloat8, tFloat8))
	fn("pow", sig(tFloat8, pow, tFloat8, tFloat8))
	binops["^"] = append(binops["^"], Overload{Args: []types.Type{tFloat8, tFloat8}, Ret: tFloat8, RetFromArg: -1, Fn: pow})
	binops["^"] = append(binops["^"], Overload{Args: []types.Type{tNumeric, tNumeric}, Ret: tNumeric, RetFromArg: -1, Fn: numericPower})
	fn("power", sig(tNumeric, numericPower, tNumeric, tNumeric))
	fn("sign", sig(tNumeric, numericSign, tNumeric), sig(tFloat8, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		switch {
		case a[0].F > 0:
			return types.NewFloat(1), nil
		case a[0].F < 0:
			return types.NewFloat(-1), nil
		}
		return types.NewFloat(0), nil
	}, tFloat8))
	fn("pi", sig(tFloat8, func(*bound.EvalCtx, []types.Datum) (types.Datum, error) { return types.NewFloat(math.Pi), nil }))
	// ln and log10 of zero or a negative number fail (2201E) rather than
	// give -Infinity or NaN; exp fails on overflow and underflow (22003).
	fn("ln", sig(tFloat8, floatLog(math.Log), tFloat8))
	fn("log10", sig(tFloat8, floatLog(math.Log10), tFloat8))
	fn("cbrt", sig(tFloat8, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewFloat(math.Cbrt(a[0].F)), nil
	}, tFloat8))
	fn("exp", sig(tFloat8, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x := a[0].F
		r := math.Exp(x)
		if math.IsInf(r, 1) && !math.IsInf(x, 1) {
			return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
		}
		if r == 0 && !math.IsInf(x, -1) {
			return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: underflow")
		}
		return types.NewFloat(r), nil
	}, tFloat8))
}

// Results of sign(numeric), shared and never modified.
var (
	numericSignPos  = types.NewNumeric(apd.New(1, 0))
	numericSignNeg  = types.NewNumeric(apd.New(-1, 0))
	numericSignZero = types.NewNumeric(apd.New(0, 0))
)

// numericSign is sign(numeric): -1, 0 or 1 with scale 0, NaN for NaN and
// ±1 for ±Infinity, as PostgreSQL's numeric_sign.
func numericSign(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
	d := numArg(a[0])
	switch {
	case d.Form == apd.NaN || d.Form == apd.NaNSignaling:
		return a[0], nil
	case d.Form == apd.Finite && d.Coeff.Sign() == 0:
		return numericSignZero, nil
	case d.Negative:
		return numericSignNeg, nil
	}
	return numericSignPos, nil
}

// numericPower is numeric ^ numeric with power_var's result scale: for a
// non-integer exponent enough digits for 16 significant ones, and no fewer
// than either input's scale; an integer exponent is numericPowerInt.
func numericPower(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
	x, y := numArg(a[0]), numArg(a[1])
	if x.IsZero() && y.Negative {
		return types.Datum{}, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined")
	}
	yInt := new(apd.Decimal)
	numCtx.RoundToIntegralExact(yInt, y)
	if x.Negative && yInt.Cmp(y) != 0 {
		return types.Datum{}, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result")
	}
	if yInt.Cmp(y) == 0 {
		if d, ok, err := numericPowerInt(x, yInt); ok {
			return d, err
		}
	}
	c := numCtx
	c.Precision = 60
	r := new(apd.Decimal)
	if _, err := c.Pow(r, x, y); err != nil {
		return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	var lg int64
	if !r.IsZero() {
		lg = int64(r.NumDigits()) + int64(r.Exponent) - 1 // floor(log10 |r|)
	}
	scale := max(16-lg, int64(max(-x.Exponent, 0)), int64(max(-y.Exponent, 0)), 0)
	return roundNumeric(r, min(scale, 1000), apd.RoundHalfUp)
}
