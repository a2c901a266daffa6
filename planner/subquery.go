package planner

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
)

// planSubqueries plans every subquery inside the expressions, so that the
// executor can compile them: a Subquery's plan is built once, here.
func planSubqueries(exprs ...bound.Expr) error {
	var err error
	for _, e := range exprs {
		bound.Walk(e, func(x bound.Expr) bool {
			sq, ok := x.(*bound.Subquery)
			if !ok || err != nil {
				return err == nil
			}
			if sq.Planned == nil {
				n, perr := Select(sq.Plan)
				if perr != nil {
					err = perr
					return false
				}
				sq.Planned = n
			}
			return true
		})
	}
	return err
}
