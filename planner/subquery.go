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

// selectExprs lists the expressions of a query block evaluated by this
// block's operators (FROM items plan their own).
func selectExprs(s *bound.Select) []bound.Expr {
	out := []bound.Expr{s.Where, s.Having, s.Limit, s.Offset}
	out = append(out, s.GroupBy...)
	for _, a := range s.Aggs {
		out = append(out, a.Args...)
		out = append(out, a.Filter)
	}
	for _, t := range s.Targets {
		out = append(out, t.Expr)
	}
	for _, f := range s.SRFs {
		out = append(out, f.Args...)
	}
	for _, w := range s.Windows {
		out = append(append(append(out, w.Args...), w.PartitionBy...), w.StartOffset, w.EndOffset)
		for _, o := range w.OrderBy {
			out = append(out, o.Expr)
		}
	}
	out = append(out, relExprs(s.From)...)
	return out
}

func relExprs(r bound.Rel) []bound.Expr {
	switch r := r.(type) {
	case *bound.JoinRel:
		return append(append(relExprs(r.Left), relExprs(r.Right)...), r.On)
	case *bound.ValuesRel:
		var out []bound.Expr
		for _, row := range r.Rows {
			out = append(out, row...)
		}
		return out
	case *bound.FuncRel:
		return r.Args
	}
	return nil
}
