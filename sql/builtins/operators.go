package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// The operators themselves (pg_operator) live in sql/types with their
// implementations; this registers them for overload resolution, so there
// is one table of operators. Comparisons are not registered: the binder
// makes bound.Compare nodes for them.
var operatorNames = []string{"+", "-", "*", "/", "%", "^", "||", "->", "->>", "#>", "#>>", "@>", "<@", "?", "?|", "?&", "#-", "&&", "&", "|", "#", "<<", ">>", "~", "~*", "!~", "!~*", "@@"}

var unaryArgOIDs = []uint32{types.Int2OID, types.Int4OID, types.Int8OID, types.Float4OID, types.Float8OID, types.NumericOID, types.IntervalOID}

func registerOperators() {
	for _, name := range operatorNames {
		for _, op := range types.BinaryOpsNamed(name) {
			op := op
			binops[name] = append(binops[name], Overload{
				Args:       []types.Type{{OID: op.Left, Typmod: -1}, {OID: op.Right, Typmod: -1}},
				Ret:        op.Result,
				RetFromArg: -1,
				Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
					return op.Fn(a[0], a[1], c.Settings)
				},
			})
		}
	}
	for _, name := range []string{"-", "+", "@", "~"} {
		for _, oid := range unaryArgOIDs {
			op, ok := types.LookupUnaryOp(name, oid)
			if !ok {
				continue
			}
			unops[name] = append(unops[name], Overload{
				Args:       []types.Type{{OID: op.Arg, Typmod: -1}},
				Ret:        op.Result,
				RetFromArg: -1,
				Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
					return op.Fn(a[0], c.Settings)
				},
			})
		}
	}
}
