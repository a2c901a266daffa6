package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Logarithms, factorial, gcd/lcm, div, width_bucket and num_nulls
// (functions-math.html, functions-comparison.html). Numeric logarithms
// choose their result scale as PostgreSQL's numeric.c does: 16 significant
// digits (NUMERIC_MIN_SIG_DIGITS) from an estimate of the result's weight,
// and never fewer decimals than the inputs have.

const minSigDigits = 16

func logArgError(zero bool) error {
	if zero {
		return pgerror.New(pgerror.InvalidArgumentForLogarithm, "cannot take logarithm of zero")
	}
	return pgerror.New(pgerror.InvalidArgumentForLogarithm, "cannot take logarithm of a negative number")
}

// dscale is the number of decimals a numeric shows.
func dscale(x *apd.Decimal) int64 { return max(int64(-x.Exponent), 0) }

// lnDweight estimates the decimal weight of ln(x) (estimate_ln_dweight).
func lnDweight(x *apd.Decimal) int64 {
	f, _ := x.Float64()
	if f >= 0.9 && f <= 1.1 {
		d := new(apd.Decimal)
		numCtx.Sub(d, x, apd.New(1, 0))
		if d.IsZero() {
			return 0
		}
		return int64(d.NumDigits()) + int64(d.Exponent) - 1
	}
	return int64(math.Log10(math.Abs(math.Log(f)))) // truncated, as the C cast does
}

// numericLn is ln(x) for x > 0 at high precision.
func numericLn(x *apd.Decimal) (*apd.Decimal, error) {
	if x.IsZero() || x.Negative {
		return nil, logArgError(x.IsZero())
	}
	c := numCtx
	c.Precision = 60
	r := new(apd.Decimal)
	if _, err := c.Ln(r, x); err != nil {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	return r, nil
}

func scaled(r *apd.Decimal, rscale int64) (types.Datum, error) {
	return roundNumeric(r, min(max(rscale, 0), 1000), apd.RoundHalfUp)
}

// numericLog is log(base, x): ln(x) / ln(base).
func numericLog(base, x *apd.Decimal) (types.Datum, error) {
	lb, err := numericLn(base)
	if err != nil {
		return types.Datum{}, err
	}
	lx, err := numericLn(x)
	if err != nil {
		return types.Datum{}, err
	}
	if lb.IsZero() {
		return types.Datum{}, pgerror.New(pgerror.DivisionByZero, "division by zero")
	}
	c := numCtx
	c.Precision = 60
	r := new(apd.Decimal)
	c.Quo(r, lx, lb)
	rscale := minSigDigits - (lnDweight(x) - lnDweight(base))
	return scaled(r, max(rscale, dscale(base), dscale(x)))
}

func floatLog(f func(float64) float64) bound.Fn {
	return func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0].F <= 0 {
			return types.Datum{}, logArgError(a[0].F == 0)
		}
		return types.NewFloat(f(a[0].F)), nil
	}
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	if a < 0 {
		return -a
	}
	return a
}

func init() {
	tFloat8, tNumeric, tInt4, tInt8 := types.Float8, types.Numeric, types.Int4, types.Int8
	fn("log", sig(tFloat8, floatLog(math.Log10), tFloat8),
		sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return numericLog(apd.New(10, 0), numArg(a[0]))
		}, tNumeric),
		sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return numericLog(numArg(a[0]), numArg(a[1]))
		}, tNumeric, tNumeric))
	fn("log10", sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return numericLog(apd.New(10, 0), numArg(a[0]))
	}, tNumeric))
	fn("ln", sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x := numArg(a[0])
		r, err := numericLn(x)
		if err != nil {
			return types.Datum{}, err
		}
		return scaled(r, max(minSigDigits-lnDweight(x), dscale(x)))
	}, tNumeric))
	// numeric sqrt keeps 16 significant digits from the result's weight in
	// base-10000 digits (numeric_sqrt's sweight).
	fn("sqrt", sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x := numArg(a[0])
		if x.Negative && !x.IsZero() {
			return types.Datum{}, pgerror.New(pgerror.InvalidArgumentForPowerFunction, "cannot take square root of a negative number")
		}
		c := numCtx
		c.Precision = 60
		r := new(apd.Decimal)
		c.Sqrt(r, x)
		var weight int64
		if !x.IsZero() {
			e10 := int64(x.NumDigits()) + int64(x.Exponent) - 1
			weight = e10 / 4
			if e10 < 0 && e10%4 != 0 {
				weight--
			}
		}
		return scaled(r, max(minSigDigits-(2*weight+1), dscale(x)))
	}, tNumeric))
	fn("scale", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if d := numArg(a[0]); d.Form != apd.Finite {
			return types.Datum{}, nil // NaN and ±Infinity have no scale
		}
		return types.NewInt(dscale(numArg(a[0]))), nil
	}, tNumeric))
	// min_scale and trim_scale: the scale without trailing fractional
	// zeros (NULL, and the value itself, for NaN and ±Infinity).
	trimmed := func(d *apd.Decimal) *apd.Decimal {
		r := new(apd.Decimal)
		r.Reduce(d)
		if r.Exponent > 0 || r.IsZero() { // an integer: scale 0
			numCtx.Quantize(r, d, 0)
			r.Negative = r.Negative && !r.IsZero()
		}
		return r
	}
	fn("min_scale", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		d := numArg(a[0])
		if d.Form != apd.Finite {
			return types.Datum{}, nil
		}
		return types.NewInt(dscale(trimmed(d))), nil
	}, tNumeric))
	fn("trim_scale", sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		d := numArg(a[0])
		if d.Form != apd.Finite {
			return a[0], nil
		}
		return types.NewNumeric(trimmed(d)), nil
	}, tNumeric))
	fn("factorial", sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		n := a[0].I
		if n < 0 {
			return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "factorial of a negative number is undefined")
		}
		if n > 32177 {
			return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
		}
		r := apd.New(1, 0)
		for i := int64(2); i <= n; i++ {
			numCtx.Mul(r, r, apd.New(i, 0))
		}
		return types.NewNumeric(r), nil
	}, tInt8))
	for _, t := range []types.Type{tInt4, tInt8} {
		lim := int64(math.MaxInt64)
		if t.OID == types.Int4OID {
			lim = math.MaxInt32
		}
		fn("gcd", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			g := gcd(a[0].I, a[1].I)
			if g > lim || g < 0 {
				return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "%s out of range", types.FormatType(t))
			}
			return types.NewInt(g), nil
		}, t, t))
		fn("lcm", sig(t, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[0].I == 0 || a[1].I == 0 {
				return types.NewInt(0), nil
			}
			l := new(apd.Decimal)
			numCtx.Mul(l, apd.New(a[0].I/gcd(a[0].I, a[1].I), 0), apd.New(a[1].I, 0))
			l.Abs(l)
			v, err := l.Int64()
			if err != nil || v > lim {
				return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "%s out of range", types.FormatType(t))
			}
			return types.NewInt(v), nil
		}, t, t))
	}
	fn("div", sig(tNumeric, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		y := numArg(a[1])
		if y.IsZero() {
			return types.Datum{}, pgerror.New(pgerror.DivisionByZero, "division by zero")
		}
		r := new(apd.Decimal)
		numCtx.QuoInteger(r, numArg(a[0]), y)
		return types.NewNumeric(r), nil
	}, tNumeric, tNumeric))
	fn("width_bucket", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		x, lo, hi, n := a[0].F, a[1].F, a[2].F, a[3].I
		if n <= 0 {
			return types.Datum{}, pgerror.New(pgerror.InvalidWidthBucketArgument, "count must be greater than zero")
		}
		if lo == hi || math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return types.Datum{}, pgerror.New(pgerror.InvalidWidthBucketArgument, "lower bound cannot equal upper bound")
		}
		var b int64
		if lo < hi {
			switch {
			case x < lo:
				b = 0
			case x >= hi:
				b = n + 1
			default:
				b = int64(float64(n)*((x-lo)/(hi-lo))) + 1
			}
		} else {
			switch {
			case x > lo:
				b = 0
			case x <= hi:
				b = n + 1
			default:
				b = int64(float64(n)*((lo-x)/(lo-hi))) + 1
			}
		}
		return types.NewInt(min(b, n+1)), nil
	}, tFloat8, tFloat8, tFloat8, tInt4))
	countNulls := func(wantNull bool) bound.Fn {
		return func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			n := 0
			for _, d := range a {
				if (d.K == types.KindNull) == wantNull {
					n++
				}
			}
			return types.NewInt(int64(n)), nil
		}
	}
	fn("num_nulls", Overload{Args: []types.Type{Any}, Variadic: true, Ret: tInt4, RetFromArg: -1, NullCall: true, Fn: countNulls(true)})
	fn("num_nonnulls", Overload{Args: []types.Type{Any}, Variadic: true, Ret: tInt4, RetFromArg: -1, NullCall: true, Fn: countNulls(false)})
}
