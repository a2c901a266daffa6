package bound

// SelectExprs lists the expressions of a query block evaluated by the
// block's own operators (FROM subqueries are blocks of their own).
func SelectExprs(s *Select) []Expr {
	out := []Expr{s.Where, s.Having, s.Limit, s.Offset}
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
		if w.Agg != nil {
			out = append(out, w.Agg.Filter) // sum(x) FILTER (WHERE f) OVER ...
		}
	}
	out = append(out, relExprs(s.From)...)
	return out
}

func relExprs(r Rel) []Expr {
	switch r := r.(type) {
	case *JoinRel:
		return append(append(relExprs(r.Left), relExprs(r.Right)...), r.On)
	case *ValuesRel:
		var out []Expr
		for _, row := range r.Rows {
			out = append(out, row...)
		}
		return out
	case *FuncRel:
		return r.Args
	}
	return nil
}

// OuterRefsTo calls f for every OuterRef in s (and its set operations and
// expression subqueries) that reads the query depth levels out from s:
// depth 1 is the query s is a subquery of.
func OuterRefsTo(s *Select, depth int, f func(*OuterRef)) {
	if s == nil {
		return
	}
	for _, e := range SelectExprs(s) {
		Walk(e, func(x Expr) bool {
			switch x := x.(type) {
			case *OuterRef:
				if x.Depth == depth {
					f(x)
				}
			case *Subquery:
				OuterRefsTo(x.Plan, depth+1, f)
			}
			return true
		})
	}
	if s.SetOp != nil {
		OuterRefsTo(s.SetOp.Left, depth, f)
		OuterRefsTo(s.SetOp.Right, depth, f)
	}
}
