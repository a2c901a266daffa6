package planner

import "github.com/prkdb/prkdb-sql/sql/bound"

// neededCols reports which columns of s's FROM row the query reads, so
// table scans decode only those (types.DecodeRowNeed); nil means all, when
// it cannot tell: a subquery or an outer reference may read any column of
// this row through its own scope, a LATERAL item reads the row it
// follows, and a locking read hands whole rows on.
func neededCols(s *bound.Select) []bool {
	if s.From == nil || s.Lock != bound.LockNone || hasLateral(s.From) {
		return nil
	}
	width := s.From.Width()
	need := make([]bool, width)
	all := false
	exprs := bound.SelectExprs(s)
	for _, a := range s.Aggs {
		for _, o := range a.OrderBy {
			exprs = append(exprs, o.Expr)
		}
	}
	for _, e := range exprs {
		bound.Walk(e, func(x bound.Expr) bool {
			switch x := x.(type) {
			case *bound.ColRef:
				if x.Idx < width {
					need[x.Idx] = true
				}
			case *bound.Subquery, *bound.OuterRef:
				all = true
			}
			return !all
		})
		if all {
			return nil
		}
	}
	return need
}

func hasLateral(r bound.Rel) bool {
	j, ok := r.(*bound.JoinRel)
	return ok && (j.Lateral || hasLateral(j.Left) || hasLateral(j.Right))
}

// subNeed is the part of need covering columns [from, from+width) of a
// joined row (nil stays nil: all).
func subNeed(need []bool, from, width int) []bool {
	if need == nil || from+width > len(need) {
		return nil
	}
	return need[from : from+width]
}
