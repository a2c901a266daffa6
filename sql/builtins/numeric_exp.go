package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// exp(numeric) as numeric.c's numeric_exp: 16 significant digits from the
// result's estimated decimal weight (x * log10(e)), never fewer decimals
// than x has; |x| of 6000 or more overflows (exp_var's limit), and the
// integer digits of a large result are exact. Without it exp(numeric)
// resolved to exp(float8): a float result, and Infinity for exp(12345).

// expOverflowArg is NUMERIC_MAX_RESULT_SCALE * 3 (exp_var).
const expOverflowArg = 6000

func numericExp(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
	x := numArg(a[0])
	if x.Form != apd.Finite {
		return types.NewNumeric(x), nil
	}
	f, _ := x.Float64()
	if math.Abs(f) >= expOverflowArg {
		if f < 0 {
			return scaled(apd.New(0, 0), max(minSigDigits+expOverflowArg/2, dscale(x)))
		}
		return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	weight := int64(f * math.Log10E) // truncated, as the C cast does
	rscale := max(minSigDigits-weight, dscale(x), 0)
	c := numCtx
	c.Precision = uint32(max(weight, 0) + rscale + 20)
	r := new(apd.Decimal)
	if _, err := c.Exp(r, x); err != nil {
		return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
	}
	return scaled(r, rscale)
}

func init() {
	fn("exp", sig(types.Numeric, numericExp, types.Numeric))
}
