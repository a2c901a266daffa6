package planner

import (
	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
)

// keyPair is one equality between a left column and a right column.
type keyPair struct{ l, r *bound.ColRef }

// indexJoin plans the join as an index nested loop when that is cheaper
// than the hash join already planned (hj): for each left row, the right
// table's index is searched with the left row's key values, instead of
// reading and hashing the whole right table. Only inner and left joins of
// a base table on the right qualify, with keys of identical types (the
// index then answers the equality exactly). The left row reaches the
// right scan's span as an outer reference, exactly as for LATERAL.
func indexJoin(j *bound.JoinRel, hj *executor.NestedLoop, keys []keyPair, rightW []bound.Expr, need []bool) *executor.NestedLoop {
	sr, ok := j.Right.(*bound.ScanRel)
	if !ok || j.Lateral || (j.Kind != bound.JoinInner && j.Kind != bound.JoinCross && j.Kind != bound.JoinLeft) {
		return nil
	}
	for _, c := range rightW {
		if refersOutside(c) {
			return nil // would read an enclosing row at the wrong depth
		}
	}
	lw := j.Left.Width()
	var extra []colBound
	for _, k := range keys {
		if k.l.T.OID != k.r.T.OID || !keyExact(k.r.T) {
			continue
		}
		rcol := &bound.ColRef{Idx: k.r.Idx - lw, T: k.r.T, Name: k.r.Name}
		// Only for EXPLAIN and selectivity: the outer value, printed as
		// PostgreSQL does (Idx -1: not a column of this table).
		shown := &bound.ColRef{Idx: -1, T: k.l.T, Name: qualified(k.l)}
		extra = append(extra, colBound{col: rcol.Idx, op: bound.CmpEQ,
			val:  &bound.OuterRef{Depth: 1, Idx: k.l.Idx, T: k.l.T},
			expr: &bound.Compare{Op: bound.CmpEQ, L: rcol, R: shown}})
	}
	if len(extra) == 0 {
		return nil
	}
	p := chooseWith(sr, andOrNil(rightW), extra)
	if p == nil || !usesExtra(p, extra) {
		return nil
	}
	right, _ := scanBounds(sr, andOrNil(rightW), nil, need, extra)
	le, re := estOf(hj.Left), estOf(right)
	loops := max(le.Rows, 1)
	total := le.Total + loops*re.Total
	if total >= estOf(hj).Total {
		return nil
	}
	n := &executor.NestedLoop{Left: hj.Left, Right: right, Kind: j.Kind, LeftWidth: hj.LeftWidth,
		RightWidth: hj.RightWidth, Lateral: true, On: hj.On, OnText: hj.OnText}
	rows := estOf(hj).Rows
	setEst(n, le.Startup+re.Startup, total+rows*cpuTupleCost, rows, le.Width+re.Width)
	return n
}

// chooseWith is the index choice scanBounds will make.
func chooseWith(r *bound.ScanRel, where bound.Expr, extra []colBound) *indexPlan {
	conj := bound.Conjuncts(where)
	bounds := whereBounds(tableExprKeys(r.Table), conj)
	return chooseOrdered(r.Table, append(bounds, extra...), nil, conj)
}

func usesExtra(p *indexPlan, extra []colBound) bool {
	for _, b := range p.eq {
		for _, x := range extra {
			if b.expr == x.expr {
				return true
			}
		}
	}
	return false
}

// refersOutside reports whether e reads anything but its own row.
func refersOutside(e bound.Expr) bool {
	found := false
	bound.Walk(e, func(x bound.Expr) bool {
		switch x.(type) {
		case *bound.OuterRef, *bound.Subquery:
			found = true
		}
		return !found
	})
	return found
}
