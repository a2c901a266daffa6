package planner

import (
	"sort"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Default selectivities where statistics say nothing, PostgreSQL's
// (src/include/utils/selfuncs.h): equality 0.005, inequality 1/3, other
// predicates 0.5 (we use 1/3 for them too, as clause_selectivity does for
// unknown boolean expressions... close enough), ndistinct 200.
const (
	defaultEqSel     = 0.005
	defaultIneqSel   = 1.0 / 3
	defaultMatchSel  = 0.005 // LIKE with a fixed prefix or pattern
	defaultOtherSel  = 1.0 / 3
	defaultNDistinct = 200
)

// relCols are the column statistics of a relation's row, by position (nil
// entries: unknown), and its estimated row count.
type relCols struct {
	rows float64
	cols []*catalog.ColumnStats
}

// relStats derives relCols for a FROM item from table statistics; only
// base tables (and joins of them) have column statistics.
func relStats(r bound.Rel) relCols {
	switch r := r.(type) {
	case *bound.ScanRel:
		rc := relCols{rows: tableRows(r), cols: make([]*catalog.ColumnStats, r.Width())}
		for i := range rc.cols {
			rc.cols[i] = r.Stats.Col(i)
		}
		return rc
	case *bound.JoinRel:
		l, rr := relStats(r.Left), relStats(r.Right)
		return relCols{rows: l.rows * rr.rows, cols: append(append([]*catalog.ColumnStats{}, l.cols...), rr.cols...)}
	case *bound.ValuesRel:
		return relCols{rows: float64(len(r.Rows)), cols: make([]*catalog.ColumnStats, r.Width())}
	case nil:
		return relCols{rows: 1}
	}
	return relCols{rows: 1000, cols: make([]*catalog.ColumnStats, r.Width())}
}

func (rc relCols) col(i int) *catalog.ColumnStats {
	if i < 0 || i >= len(rc.cols) {
		return nil
	}
	return rc.cols[i]
}

// selectivity estimates the fraction of rows for which e is TRUE.
func selectivity(e bound.Expr, rc relCols) float64 {
	s := clauseSel(e, rc)
	return min(max(s, 0), 1)
}

func clauseSel(e bound.Expr, rc relCols) float64 {
	switch e := e.(type) {
	case nil:
		return 1
	case *bound.And:
		return selectivity(e.L, rc) * selectivity(e.R, rc)
	case *bound.Or:
		a, b := selectivity(e.L, rc), selectivity(e.R, rc)
		return a + b - a*b
	case *bound.Not:
		return 1 - selectivity(e.X, rc)
	case *bound.Const:
		if e.Val.K == types.KindBool && e.Val.I == 1 {
			return 1
		}
		return 0
	case *bound.IsNull:
		s := defaultEqSel
		if c, ok := e.X.(*bound.ColRef); ok {
			if cs := rc.col(c.Idx); cs != nil {
				s = cs.NullFrac
			}
		}
		if e.Not {
			return 1 - s
		}
		return s
	case *bound.InList:
		s := 0.0
		for _, v := range e.List {
			s += eqSel(e.X, v, rc)
		}
		s = min(s, 1)
		if e.Not {
			return 1 - s
		}
		return s
	case *bound.Like:
		if e.Not {
			return 1 - defaultMatchSel
		}
		return defaultMatchSel
	case *bound.Compare:
		switch e.Op {
		case bound.CmpEQ:
			return eqSel(e.L, e.R, rc)
		case bound.CmpNE:
			return 1 - eqSel(e.L, e.R, rc)
		}
		if b, ok := sargable(e); ok {
			return rangeSel(b, rc)
		}
		return defaultIneqSel
	}
	return defaultOtherSel
}

// eqSel: col = value is 1/ndistinct of the non-NULL rows; col = col (a
// join clause) is 1/max(ndistinct) as PostgreSQL's eqjoinsel without MCVs.
func eqSel(l, r bound.Expr, rc relCols) float64 {
	lc, lok := l.(*bound.ColRef)
	rcol, rok := r.(*bound.ColRef)
	switch {
	case lok && rok && lc.Idx >= 0 && rcol.Idx >= 0:
		return 1 / max(ndistinct(rc.col(lc.Idx), rc.rows), ndistinct(rc.col(rcol.Idx), rc.rows))
	case lok && lc.Idx >= 0:
		return colEqSel(rc.col(lc.Idx), rc.rows)
	case rok && rcol.Idx >= 0:
		return colEqSel(rc.col(rcol.Idx), rc.rows)
	}
	return defaultEqSel
}

func colEqSel(cs *catalog.ColumnStats, rows float64) float64 {
	if cs == nil {
		return defaultEqSel
	}
	return (1 - cs.NullFrac) / ndistinct(cs, rows)
}

func ndistinct(cs *catalog.ColumnStats, rows float64) float64 {
	if cs == nil || cs.Distinct < 1 {
		return min(defaultNDistinct, max(rows, 1))
	}
	return cs.Distinct
}

// rangeSel estimates col < / <= / > / >= value from the column's
// histogram (the fraction of bucket bounds below the value).
func rangeSel(b colBound, rc relCols) float64 {
	cs := rc.col(b.col)
	c, ok := b.val.(*bound.Const)
	if cs == nil || !ok || len(cs.Bounds) < 2 || c.Val.K != cs.Bounds[0].K {
		return defaultIneqSel
	}
	below := fracBelow(cs.Bounds, c.Val)
	s := below
	if b.op == bound.CmpGT || b.op == bound.CmpGE {
		s = 1 - below
	}
	// At least one row's worth, so an empty-looking range still costs
	// something (PostgreSQL clamps the same way).
	return max(s*(1-cs.NullFrac), 1/max(rc.rows, 1))
}

// fracBelow is the share of values below v, interpolated between the
// bucket bounds around it for numeric values.
func fracBelow(bounds []types.Datum, v types.Datum) float64 {
	n := len(bounds) - 1
	i := sort.Search(len(bounds), func(i int) bool { return types.Compare(bounds[i], v) > 0 })
	switch {
	case i == 0:
		return 0
	case i > n:
		return 1
	}
	lo, hi := bounds[i-1], bounds[i]
	part := 0.5
	if lo.K == types.KindInt && hi.I > lo.I {
		part = float64(v.I-lo.I) / float64(hi.I-lo.I)
	}
	return (float64(i-1) + part) / float64(n)
}
