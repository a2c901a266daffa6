package planner

import (
	"math"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Cost units follow PostgreSQL's defaults (doc: runtime-config-query.html)
// so EXPLAIN's figures read as PostgreSQL users expect, though rows live
// in an in-memory B-tree rather than 8 kB pages: a "page" here is 8 kB of
// row data read in key order.
const (
	seqPageCost       = 1.0
	randomPageCost    = 4.0
	cpuTupleCost      = 0.01
	cpuIndexTupleCost = 0.005
	cpuOperatorCost   = 0.0025
	// unanalyzedRows is assumed for a table without statistics (an
	// automatic ANALYZE is started when one is first planned).
	unanalyzedRows = 1000
	// defaultFuncRows is PostgreSQL's prorows for set-returning functions.
	defaultFuncRows = 1000
	tupleOverhead   = 24 // PostgreSQL's heap tuple header, for page counts
)

func tableRows(r *bound.ScanRel) float64 {
	if r.Stats == nil {
		return unanalyzedRows
	}
	return r.Stats.Rows
}

// estOf returns n's estimate (a throw-away one for foreign nodes).
func estOf(n executor.Node) *executor.Estimate {
	if e, ok := n.(executor.Estimator); ok {
		return e.Est()
	}
	return &executor.Estimate{}
}

func setEst(n executor.Node, startup, total, rows float64, width int) {
	e := estOf(n)
	e.Startup, e.Total, e.Rows, e.Width = startup, total, clampRows(rows), width
}

// clampRows rounds a row estimate as PostgreSQL's clamp_row_est does: at
// least one row, a whole number.
func clampRows(r float64) float64 {
	if r <= 1 || math.IsNaN(r) {
		return 1
	}
	return math.Round(r)
}

// typeWidth is a value's estimated width: the analyzed average, the
// type's fixed length, or PostgreSQL's 32-byte guess for variable ones.
func typeWidth(t types.Type, cs *catalog.ColumnStats) int {
	if cs != nil && cs.Width > 0 {
		return int(math.Round(cs.Width))
	}
	if l := t.Len(); l > 0 {
		return int(l)
	}
	return 32
}

// tableWidth is the width of t's visible columns (those in need, when
// the query reads only some).
func tableWidth(r *bound.ScanRel, need []bool) int {
	w := 0
	for i, c := range r.Table.Columns {
		if !c.Dropped && !c.Hidden && (need == nil || need[i]) {
			w += typeWidth(c.Type, r.Stats.Col(i))
		}
	}
	return w
}

func exprsWidth(es []bound.Expr, rc relCols) int {
	w := 0
	for _, e := range es {
		var cs *catalog.ColumnStats
		if c, ok := e.(*bound.ColRef); ok {
			cs = rc.col(c.Idx)
		}
		w += typeWidth(e.Type(), cs)
	}
	return w
}

func pages(rows float64, width int) float64 {
	return math.Max(1, math.Ceil(rows*float64(width+tupleOverhead)/8192))
}

// costScan fills in a table scan's estimate: rows matched by the whole
// WHERE clause; cost by access path.
func costScan(s *executor.Scan, r *bound.ScanRel, where bound.Expr, idxSel float64, nIndexed int) {
	rc := relStats(r)
	rows := rc.rows * selectivity(where, rc)
	width := tableWidth(r, s.Need)
	nFilter := float64(len(bound.Conjuncts(where)) - nIndexed)
	switch {
	case s.Point:
		// One Get per key (an IN list on the key makes several).
		setEst(s, 0, 0.29+math.Max(1, rows)*(seqPageCost+cpuTupleCost), rows, width)
	case s.IndexName == "":
		total := pages(rc.rows, width)*seqPageCost + rc.rows*(cpuTupleCost+nFilter*cpuOperatorCost)
		setEst(s, 0, total, rows, width)
	default:
		fetched := math.Max(1, rc.rows*idxSel)
		perRow := cpuIndexTupleCost + cpuTupleCost + nFilter*cpuOperatorCost
		if s.Index != nil {
			perRow += cpuTupleCost // the row fetch behind each index entry
		}
		io := pages(fetched, width) * seqPageCost
		setEst(s, 0.29, 0.29+io+fetched*perRow+float64(nIndexed)*cpuOperatorCost, rows, width)
	}
}

// costFilter: a Filter (or a filter folded into a join) keeps sel of its
// input at one operator evaluation per row per conjunct.
func costFilter(n, in executor.Node, where bound.Expr, rc relCols) {
	ie := estOf(in)
	ops := float64(len(bound.Conjuncts(where)))
	setEst(n, ie.Startup, ie.Total+ie.Rows*ops*cpuOperatorCost, ie.Rows*selectivity(where, rc), ie.Width)
}

// costSort: n log n comparisons before the first row.
func costSort(n, in executor.Node, keys int) {
	ie := estOf(in)
	r := math.Max(ie.Rows, 2)
	startup := ie.Total + 2*cpuOperatorCost*float64(keys)*r*math.Log2(r)
	setEst(n, startup, startup+ie.Rows*cpuOperatorCost, ie.Rows, ie.Width)
}

// costLimit: a Limit stops its input early, paying the share of its cost
// for the rows it takes (PostgreSQL's limit costing).
func costLimit(n, in executor.Node, count, offset bound.Expr) {
	ie := estOf(in)
	rows := ie.Rows
	take := rows
	if c, ok := count.(*bound.Const); ok && c.Val.K == types.KindInt {
		take = math.Min(rows, float64(c.Val.I))
	} else if count != nil {
		take = math.Min(rows, math.Max(1, rows*0.1))
	}
	skip := 0.0
	if o, ok := offset.(*bound.Const); ok && o.Val.K == types.KindInt {
		skip = math.Min(rows, float64(o.Val.I))
	}
	out := math.Max(0, math.Min(take, rows-skip))
	frac := 1.0
	if rows > 0 {
		frac = math.Min(1, (skip+out)/rows)
	}
	run := ie.Total - ie.Startup
	setEst(n, ie.Startup+run*skip/math.Max(rows, 1), ie.Startup+run*frac, out, ie.Width)
}

// costAgg: every input row is hashed into one of groups groups.
func costAgg(n, in executor.Node, groupBy []bound.Expr, naggs int, rc relCols, width int) {
	ie := estOf(in)
	groups := 1.0
	if len(groupBy) > 0 {
		groups = groupCount(groupBy, rc, ie.Rows)
	}
	startup := ie.Total + ie.Rows*cpuOperatorCost*float64(len(groupBy)+naggs)
	setEst(n, startup, startup+groups*cpuTupleCost, groups, width)
}

// groupCount estimates distinct combinations of the grouping expressions:
// the product of the columns' ndistinct, at most the input rows
// (PostgreSQL's estimate_num_groups, without its correlation damping).
func groupCount(groupBy []bound.Expr, rc relCols, inRows float64) float64 {
	g := 1.0
	for _, e := range groupBy {
		if c, ok := e.(*bound.ColRef); ok {
			g *= ndistinct(rc.col(c.Idx), inRows)
		} else {
			g *= defaultNDistinct
		}
	}
	return math.Min(g, math.Max(inRows, 1))
}

// copyEst gives a pass-through node (Project) its input's estimate with
// its own width.
func copyEst(n, in executor.Node, width int) {
	ie := estOf(in)
	setEst(n, ie.Startup, ie.Total, ie.Rows, width)
}

// costModify: INSERT/UPDATE/DELETE return no rows of their own (without
// RETURNING), which PostgreSQL shows as rows=0 width=0 on ModifyTable.
func costModify(n, in executor.Node) {
	ie := estOf(in)
	*estOf(n) = executor.Estimate{Startup: ie.Startup, Total: ie.Total + ie.Rows*cpuTupleCost}
}

// setTopN tells a Sort directly under a LIMIT of constants how many rows
// anyone will read, so it keeps only those (a bounded heap) rather than
// sorting its whole input: LIMIT pushed into the sort.
func setTopN(n executor.Node, count, offset bound.Expr) {
	srt, ok := n.(*executor.Sort)
	c, cok := count.(*bound.Const)
	if !ok || !cok || c.Val.K != types.KindInt || c.Val.I < 0 {
		return
	}
	total := c.Val.I
	if offset != nil {
		o, ok := offset.(*bound.Const)
		if !ok || o.Val.K != types.KindInt || o.Val.I < 0 {
			return
		}
		total += o.Val.I
	}
	if total > 0 {
		srt.TopN = total
	}
}
