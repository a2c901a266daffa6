package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// likeOps are the operator names of [NOT] LIKE / ILIKE.
var likeOps = map[string]struct{ ci, not bool }{
	"~~": {false, false}, "!~~": {false, true}, "~~*": {true, false}, "!~~*": {true, true},
}

// bindLikeArray binds x [NOT] [I]LIKE ANY/ALL (array of patterns), with
// ANY/ALL's NULL rules: a NULL pattern makes an undecided result NULL.
func (b *binder) bindLikeArray(a *pg_query.A_Expr, sc *scope, op string, all bool) (bound.Expr, error) {
	lk := likeOps[op]
	x, err := b.bindExpr(a.Lexpr, sc, types.Text)
	if err != nil {
		return nil, err
	}
	arr, err := b.bindExpr(a.Rexpr, sc, types.TextArray)
	if err != nil {
		return nil, err
	}
	if arr.Type().OID == types.UnknownOID {
		if arr, err = b.coerce(arr, types.TextArray, castImplicit); err != nil {
			return nil, err
		}
	}
	x = b.settle(x)
	if et, ok := arr.Type().Elem(); !ok || !arr.Type().IsArray() || et.Kind() != types.KindText || x.Type().Kind() != types.KindText {
		return nil, pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s %s", types.FormatType(x.Type()), op, types.FormatType(arr.Type())).WithPosition(a.Location + 1)
	}
	matchers := map[string]func(string) bool{}
	return quantified(op, all, x, arr, func(x, e types.Datum) (bool, error) {
		m := matchers[e.S]
		if m == nil {
			var err error
			if m, err = types.CompileLike(e.S, lk.ci, "\\"); err != nil {
				return false, err
			}
			if len(matchers) < 256 {
				matchers[e.S] = m
			}
		}
		return m(x.S) != lk.not, nil
	}), nil
}
