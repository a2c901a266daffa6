package planner

import (
	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// colRange reports the lowest and highest input column e reads (-1 if none).
func colRange(e bound.Expr) (lo, hi int) {
	lo, hi = -1, -1
	bound.Walk(e, func(x bound.Expr) bool {
		if c, ok := x.(*bound.ColRef); ok {
			if lo < 0 || c.Idx < lo {
				lo = c.Idx
			}
			if c.Idx > hi {
				hi = c.Idx
			}
		}
		return true
	})
	return lo, hi
}

// shift renumbers ColRefs by -off (an expression over the right side of a
// join, moved below it).
func shift(e bound.Expr, off int) bound.Expr {
	out, _ := bound.Rewrite(e, func(x bound.Expr) (bound.Expr, error) {
		if c, ok := x.(*bound.ColRef); ok {
			cc := *c
			cc.Idx -= off
			return &cc, nil
		}
		return x, nil
	})
	return out
}

// join plans a join. WHERE conjuncts that read only one side are pushed
// below the join when that keeps the result the same (the inner side of
// outer joins keeps them above); equalities between the sides make it a
// hash join.
func join(j *bound.JoinRel, where bound.Expr, need []bool) (executor.Node, error) {
	lw, rw := j.Left.Width(), j.Right.Width()
	var leftW, rightW, above []bound.Expr
	pushLeft := j.Kind == bound.JoinInner || j.Kind == bound.JoinCross || j.Kind == bound.JoinLeft
	pushRight := j.Kind == bound.JoinInner || j.Kind == bound.JoinCross || j.Kind == bound.JoinRight
	for _, c := range bound.Conjuncts(where) {
		lo, hi := colRange(c)
		switch {
		case hi >= 0 && hi < lw && pushLeft && bound.RowFree(withoutCols(c)):
			leftW = append(leftW, c)
		case lo >= lw && pushRight && bound.RowFree(withoutCols(c)):
			rightW = append(rightW, shift(c, lw))
		default:
			above = append(above, c)
		}
	}
	// ON conditions of inner joins can be pushed the same way.
	var on []bound.Expr
	if j.Kind == bound.JoinInner || j.Kind == bound.JoinCross {
		// For an inner join a WHERE conjunct over both sides means what it
		// would in ON, where it can become a hash key: FROM a, b WHERE
		// a.x = b.y is a hash join, not a filtered cross product.
		var keep []bound.Expr
		for _, c := range above {
			if lo, hi := colRange(c); lo >= 0 && lo < lw && hi >= lw && hi < lw+rw && bound.RowFree(withoutCols(c)) {
				on = append(on, c)
			} else {
				keep = append(keep, c)
			}
		}
		above = keep
	}
	for _, c := range bound.Conjuncts(j.On) {
		lo, hi := colRange(c)
		switch {
		case (j.Kind == bound.JoinInner) && hi >= 0 && hi < lw && bound.RowFree(withoutCols(c)):
			leftW = append(leftW, c)
		case (j.Kind == bound.JoinInner || j.Kind == bound.JoinLeft) && lo >= lw && bound.RowFree(withoutCols(c)):
			rightW = append(rightW, shift(c, lw))
		default:
			on = append(on, c)
		}
	}
	left, err := ginRel(j.Left, andOrNil(leftW), subNeed(need, 0, lw))
	if err != nil {
		return nil, err
	}
	right, err := ginRel(j.Right, andOrNil(rightW), subNeed(need, lw, rw))
	if err != nil {
		return nil, err
	}
	n := &executor.NestedLoop{Left: left, Right: right, Kind: j.Kind, LeftWidth: lw, RightWidth: rw, Lateral: j.Lateral}
	if j.Lateral {
		if j.Kind == bound.JoinRight || j.Kind == bound.JoinFull {
			return nil, pgerror.New(pgerror.InvalidColumnReference, "the combining JOIN type must be INNER or LEFT for a LATERAL reference")
		}
		if len(on) > 0 {
			f := and(on)
			n.On, n.OnText = executor.Compile(f), bound.Format(f)
		}
		costJoin(n, j.Kind, selectivity(andOrNil(on), relStats(j)), 0)
		return filtered(n, andOrNil(above)), nil
	}
	// Equalities left.col = right.col of comparable kinds become hash keys.
	var rest []bound.Expr
	var hashConds []string
	var keys []keyPair
	hashSel := 1.0
	rc := relStats(j)
	for _, c := range on {
		if cmp, ok := c.(*bound.Compare); ok && cmp.Op == bound.CmpEQ {
			l, lok := cmp.L.(*bound.ColRef)
			r, rok := cmp.R.(*bound.ColRef)
			if lok && rok && r.Idx < lw && l.Idx >= lw {
				l, r = r, l
			}
			if lok && rok && l.Idx < lw && r.Idx >= lw && hashable(l.T, r.T) {
				n.HashLeft = append(n.HashLeft, l.Idx)
				n.HashRight = append(n.HashRight, r.Idx-lw)
				hashConds = append(hashConds, "("+qualified(l)+" = "+qualified(r)+")")
				keys = append(keys, keyPair{l, r})
				hashSel *= eqSel(l, r, rc)
				continue
			}
		}
		rest = append(rest, c)
	}
	if len(rest) > 0 {
		f := and(rest)
		n.On, n.OnText = executor.Compile(f), bound.Format(f)
	}
	n.HashText = joinCond(hashConds)
	sel := hashSel * selectivity(andOrNil(rest), rc)
	costJoin(n, j.Kind, sel, len(hashConds))
	if nl := indexJoin(j, n, keys, rightW, subNeed(need, lw, rw)); nl != nil {
		return filtered(nl, andOrNil(above)), nil
	}
	return filtered(swapBuildSide(n, j.Kind, keys, rest, sel), andOrNil(above)), nil
}

// qualified prints a join key as PostgreSQL's EXPLAIN does when a plan
// reads several relations: table.column.
func qualified(c *bound.ColRef) string {
	if c.Table == "" {
		return c.Name
	}
	return c.Table + "." + c.Name
}

// costJoin: a hash join builds a table of its inner (right) side before
// its first row and probes it once per outer row; a nested loop rescans
// the materialized inner side per outer row.
func costJoin(n *executor.NestedLoop, kind bound.JoinKind, sel float64, keys int) {
	le, re := estOf(n.Left), estOf(n.Right)
	rows := le.Rows * re.Rows * sel
	switch kind {
	case bound.JoinLeft:
		rows = max(rows, le.Rows)
	case bound.JoinRight:
		rows = max(rows, re.Rows)
	case bound.JoinFull:
		rows = max(rows, le.Rows+re.Rows)
	}
	width := le.Width + re.Width
	if keys > 0 {
		startup := re.Total + re.Rows*(cpuOperatorCost*float64(keys)+cpuTupleCost)
		setEst(n, startup, startup+le.Total+le.Rows*cpuOperatorCost*float64(keys)+rows*cpuTupleCost, rows, width)
		return
	}
	setEst(n, le.Startup+re.Total, le.Total+re.Total+le.Rows*re.Rows*cpuOperatorCost+rows*cpuTupleCost, rows, width)
}

// hashable: the two sides' values hash equal exactly when they are equal
// (types.Hash agrees with Compare within a type, and across integers).
func hashable(a, b types.Type) bool {
	switch {
	case a.Kind() == types.KindJSON || a.Kind() == types.KindArray:
		return false
	case a.OID == b.OID:
		return true
	}
	return a.Kind() == types.KindInt && b.Kind() == types.KindInt
}

// withoutCols replaces column reads with constants, so RowFree reports
// whether anything else (subqueries, volatile calls) pins the expression
// to its place.
func withoutCols(e bound.Expr) bound.Expr {
	out, _ := bound.Rewrite(e, func(x bound.Expr) (bound.Expr, error) {
		if c, ok := x.(*bound.ColRef); ok {
			return &bound.Const{T: c.T}, nil
		}
		return x, nil
	})
	return out
}

func andOrNil(es []bound.Expr) bound.Expr {
	if len(es) == 0 {
		return nil
	}
	return and(es)
}
