package sql

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// checkFullJoin rejects what PostgreSQL cannot plan: a FULL JOIN whose
// condition reads columns but has no equality between an expression of the
// left side and one of the right (a merge- or hash-joinable clause; other
// conditions may ride along as join filters). leftWidth splits the row.
func checkFullJoin(on bound.Expr, leftWidth int) error {
	if on == nil {
		return nil
	}
	side := func(e bound.Expr) (left, right bool) {
		bound.Walk(e, func(x bound.Expr) bool {
			if c, ok := x.(*bound.ColRef); ok {
				if c.Idx < leftWidth {
					left = true
				} else {
					right = true
				}
			}
			return true
		})
		return left, right
	}
	if l, r := side(on); !l && !r {
		return nil // ON true, ON false, a parameter ...
	}
	var conj []bound.Expr
	var split func(e bound.Expr)
	split = func(e bound.Expr) {
		if a, ok := e.(*bound.And); ok {
			split(a.L)
			split(a.R)
			return
		}
		conj = append(conj, e)
	}
	split(on)
	for _, c := range conj {
		cmp, ok := c.(*bound.Compare)
		if !ok || cmp.Op != bound.CmpEQ {
			continue
		}
		ll, lr := side(cmp.L)
		rl, rr := side(cmp.R)
		if (ll && !lr && rr && !rl) || (lr && !ll && rl && !rr) {
			return nil
		}
	}
	return pgerror.New(pgerror.FeatureNotSupported, "FULL JOIN is only supported with merge-joinable or hash-joinable join conditions")
}
