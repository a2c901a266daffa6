package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// maxExactPowerDigits bounds the digits numericPowerInt computes exactly;
// a longer power keeps its integer digits and scale, and one beyond that
// is left to the general path.
const maxExactPowerDigits = 4000

// numericPowerInt is numeric ^ numeric for an exponent that is an integer
// in int4's range, as PostgreSQL 15's power_var does: the result scale is
// max(16, the base's scale) whatever the size of the result (power_var
// selects it before calling power_var_int), and the integer digits are
// exact (2::numeric ^ 200 has all 61 of them). ok is false when the
// exponent is not such an integer or the power is too long.
func numericPowerInt(x, y *apd.Decimal) (types.Datum, bool, error) {
	n, err := y.Int64()
	if err != nil || n < math.MinInt32 || n > math.MaxInt32 {
		return types.Datum{}, false, nil
	}
	scale := max(16, int64(max(-x.Exponent, 0)))
	abs := n
	if abs < 0 {
		abs = -abs
	}
	digits := int64(x.NumDigits()) * abs
	c := numCtx
	c.Precision = uint32(digits + 2)
	if digits > maxExactPowerDigits {
		// Too long to be exact: the integer digits and the scale, with
		// guard digits (the value itself bounds what can be printed).
		xf, _ := x.Float64()
		est := float64(abs) * math.Log10(math.Abs(xf))
		if math.IsNaN(est) || math.IsInf(est, 0) || est > maxExactPowerDigits || -est > maxExactPowerDigits {
			return types.Datum{}, false, nil
		}
		c.Precision = uint32(max(int64(est), 0) + scale + 20)
	}
	p := new(apd.Decimal)
	if _, err := c.Pow(p, x, apd.New(abs, 0)); err != nil {
		return types.Datum{}, true, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	if n >= 0 {
		d, err := roundNumeric(p, min(scale, 1000), apd.RoundHalfUp)
		return d, true, err
	}
	// 1 / x^|n|: enough significant digits for its integer part and scale.
	lg := int64(p.NumDigits()) + int64(p.Exponent) - 1 // floor(log10 x^|n|)
	c.Precision = uint32(max(-lg+1, 0) + scale + 10)
	q := new(apd.Decimal)
	if _, err := c.Quo(q, apd.New(1, 0), p); err != nil {
		return types.Datum{}, true, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	d, err := roundNumeric(q, min(scale, 1000), apd.RoundHalfUp)
	return d, true, err
}
