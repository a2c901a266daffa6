package builtins

import (
	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

var (
	tInt4   = types.Int4
	tInt8   = types.Int8
	tFloat8 = types.Float8
	tText   = types.Text
	tBool   = types.Bool
)

// numCtx is the context numeric helpers outside sql/types share.
var numCtx = apd.Context{Precision: 1000, MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent, Rounding: apd.RoundHalfUp}

// NumericCtx is the arithmetic context numeric operations share.
func NumericCtx() *apd.Context { return &numCtx }

// fromOperator defines a function as an operator of the same meaning
// (abs is @, mod is %), so both share the implementation in sql/types.
func fromOperator(name, op string, unary bool) {
	var src []Overload
	if unary {
		src = unops[op]
	} else {
		src = binops[op]
	}
	funcs[name] = append(funcs[name], src...)
}

func init() {
	registerOperators()
	fromOperator("abs", "@", true)
	fromOperator("mod", "%", false)
}

var _ bound.Fn
