package planner

import (
	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
)

// swapBuildSide returns the inner hash join n with its inputs exchanged
// when that is cheaper: the executor hashes its right input, so the
// smaller input should be on the right whatever order the query wrote.
// A projection puts the columns back in the written order (left || right),
// so nothing above the join sees the exchange. Only inner joins qualify:
// outer joins are not symmetric.
func swapBuildSide(n *executor.NestedLoop, kind bound.JoinKind, keys []keyPair, rest []bound.Expr, sel float64) executor.Node {
	if (kind != bound.JoinInner && kind != bound.JoinCross) || len(n.HashLeft) == 0 || n.Lateral {
		return n
	}
	// Catalog views have no statistics, only a guessed size, and clients
	// read them without ORDER BY expecting PostgreSQL's row order (GORM's
	// ColumnTypes joins information_schema.columns to pg_type and takes
	// the columns in ordinal order): keep the order written.
	if readsCatalogView(n.Left) || readsCatalogView(n.Right) {
		return n
	}
	lw, rw := n.LeftWidth, n.RightWidth
	s := &executor.NestedLoop{Left: n.Right, Right: n.Left, Kind: kind, LeftWidth: rw, RightWidth: lw,
		HashLeft: n.HashRight, HashRight: n.HashLeft}
	var conds []string
	for _, k := range keys {
		conds = append(conds, "("+qualified(k.r)+" = "+qualified(k.l)+")")
	}
	s.HashText = joinCond(conds)
	if len(rest) > 0 {
		f := swapCols(and(rest), lw, rw)
		s.On, s.OnText = executor.Compile(f), bound.Format(f)
	}
	costJoin(s, kind, sel, len(keys))
	if estOf(s).Total >= estOf(n).Total {
		return n
	}
	back := &executor.Project{Input: s}
	for i := 0; i < lw; i++ {
		back.Exprs = append(back.Exprs, executor.Compile(&bound.ColRef{Idx: rw + i}))
	}
	for i := 0; i < rw; i++ {
		back.Exprs = append(back.Exprs, executor.Compile(&bound.ColRef{Idx: i}))
	}
	copyEst(back, s, estOf(s).Width)
	return back
}

// swapCols renumbers an expression over left||right (widths lw, rw) to
// read right||left.
func swapCols(e bound.Expr, lw, rw int) bound.Expr {
	out, _ := bound.Rewrite(e, func(x bound.Expr) (bound.Expr, error) {
		if c, ok := x.(*bound.ColRef); ok {
			cc := *c
			if cc.Idx < lw {
				cc.Idx += rw
			} else {
				cc.Idx -= lw
			}
			return &cc, nil
		}
		return x, nil
	})
	return out
}

// readsCatalogView reports whether the plan under n scans a generated
// (catalog) relation.
func readsCatalogView(n executor.Node) bool {
	if _, ok := n.(*executor.RowsScan); ok {
		return true
	}
	e := n.Explain()
	for _, c := range e.Children {
		if readsCatalogView(c) {
			return true
		}
	}
	for _, sp := range e.SubPlans {
		if readsCatalogView(sp.Node) {
			return true
		}
	}
	return false
}
