package sql

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Untyped literals and parameters in a select list whose type the consumer
// decides.
//
// PostgreSQL resolves a SELECT's unknown-type outputs to text at the end of
// its analysis (resolveTargetListUnknowns), except where the SELECT feeds
// something that decides their type: INSERT ... SELECT analyses its source
// with p_resolve_unknowns = false and coerce_type reads each still-unknown
// literal as its target column's type (so INSERT INTO t (j) SELECT '{}'
// works as INSERT ... VALUES does), and the leaves of UNION/INTERSECT/EXCEPT
// are analysed the same way so select_common_type sees unknown, not text
// (SELECT '{}'::jsonb UNION SELECT '[]' is jsonb). A bare $n of no type
// yet is typed the same way (INSERT INTO t (n) SELECT $1 makes $1 the
// column's type; variable_coerce_param_hook). An output that the
// SELECT itself sorts or groups by (ORDER BY, DISTINCT) has been made text
// already (addTargetToSortList), as have literals inside expressions,
// subqueries in FROM and VALUES (transformValuesClause).
//
// The binder finalizes every select-list literal to text as it goes; it
// records here which outputs were bare literals or untyped parameters so
// that those two
// consumers can read them again as PostgreSQL would.

// noteUnknownTarget records target i of sel if it is an untyped literal or
// parameter (e as bound, before finalize).
func (b *binder) noteUnknownTarget(sel *bound.Select, i int, e bound.Expr) {
	switch e := e.(type) {
	case *unknownLit:
	case *bound.Param:
		if e.T.OID != types.UnknownOID {
			return
		}
	default:
		return
	}
	if b.unknownTargets == nil {
		b.unknownTargets = map[*bound.Select]map[int]bound.Expr{}
	}
	m := b.unknownTargets[sel]
	if m == nil {
		m = map[int]bound.Expr{}
		b.unknownTargets[sel] = m
	}
	m[i] = e
}

// unresolvedUnknown returns output i of q if PostgreSQL would still see it
// as an untyped literal or parameter (nil otherwise).
func (b *binder) unresolvedUnknown(q *bound.Select, i int) bound.Expr {
	u := b.unknownTargets[q][i]
	if u == nil || q.SetOp != nil || q.Distinct || len(q.DistinctOn) > 0 {
		return nil
	}
	// Still the finalized literal or the parameter, not typed since by
	// another use (grouping may have replaced the target).
	switch e := q.Targets[i].Expr.(type) {
	case *bound.Const:
		if _, lit := u.(*unknownLit); !lit || e.T != types.Text {
			return nil
		}
	case *bound.Param:
		if e != u || e.Idx >= len(b.params) || b.params[e.Idx].OID != types.UnknownOID {
			return nil
		}
	default:
		return nil
	}
	sorted := false
	for _, o := range q.OrderBy {
		bound.Walk(o.Expr, func(e bound.Expr) bool {
			if c, ok := e.(*bound.ColRef); ok && c.Idx == i {
				sorted = true
			}
			return !sorted
		})
	}
	if sorted {
		return nil
	}
	return u
}

// outputExpr is output i of q as its consumer should type it: the untyped
// literal where PostgreSQL would still have one, else the bound target.
func (b *binder) outputExpr(q *bound.Select, i int) bound.Expr {
	if u := b.unresolvedUnknown(q, i); u != nil {
		return u
	}
	return q.Targets[i].Expr
}

// retypeUnknownOutput reads output i of q, if it is still an untyped
// literal, as type t (with the input function's errors, as INSERT ...
// VALUES reads its literals).
func (b *binder) retypeUnknownOutput(q *bound.Select, i int, t types.Type, ctx castContext) error {
	u := b.unresolvedUnknown(q, i)
	if u == nil {
		return nil
	}
	e, err := b.coerce(u, t, ctx)
	if err != nil {
		return err
	}
	q.Targets[i].Expr = finalize(e)
	delete(b.unknownTargets[q], i)
	return nil
}
