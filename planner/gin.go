package planner

import (
	"math"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// GIN access paths (full-text search). A conjunct `x @@ q` (or `q @@ x`)
// where x is exactly what a GIN index of the table indexes (the tsvector
// column, or to_tsvector('config', document) as the index spells it) and
// q references no row is answered by a Bitmap Heap Scan: the index yields
// candidate rows, the conjunct is rechecked on each unless the index's
// answer is exact ("Recheck Cond"), and the other conjuncts are the
// filter. This is a rule, not a cost decision: the index is used whenever
// it applies, for a single-table SELECT and for join inputs. UPDATE,
// DELETE and SELECT ... FOR UPDATE get a Scan fed with the index's row
// keys (they lock and rewrite through the Scan).

// ginSelect plans the FROM of a single-table SELECT through a GIN index,
// or returns nil when none applies (or the rows are to be locked, which
// needs the plain Scan's row keys).
func ginSelect(s *bound.Select) executor.Node {
	r, ok := s.From.(*bound.ScanRel)
	if !ok || s.Lock != bound.LockNone || s.Where == nil {
		return nil
	}
	return ginScan(r, s.Where)
}

// ginRel plans a join input: a table with a GIN-answerable conjunct among
// the predicates pushed down to it gets a Bitmap Heap Scan.
func ginRel(r bound.Rel, where bound.Expr, need []bool) (executor.Node, error) {
	if sr, ok := r.(*bound.ScanRel); ok && where != nil {
		if g := ginScan(sr, where); g != nil {
			return g, nil
		}
	}
	return relNeed(r, where, need)
}

func ginScan(r *bound.ScanRel, where bound.Expr) executor.Node {
	if !hasGIN(r.Table) {
		return nil
	}
	conj := bound.Conjuncts(where)
	for i, c := range conj {
		ix, q, ok := ginConjunct(r.Table, c)
		if !ok {
			continue
		}
		codec := executor.NewTableCodec(r.Table)
		var ic *executor.IndexCodec
		for k := range codec.Indexes {
			if codec.Indexes[k].Index.ID == ix.ID {
				ic = &codec.Indexes[k]
			}
		}
		n := executor.NewBitmapHeapScan(codec, ic, executor.Compile(q), executor.Compile(c), bound.Format(c))
		n.Alias = r.Alias
		rest := append(append([]bound.Expr(nil), conj[:i]...), conj[i+1:]...)
		var filter bound.Expr
		if len(rest) > 0 {
			filter = ginAnd(rest)
			n.Filter, n.FilterText = executor.Compile(filter), bound.Format(filter)
		}
		costGIN(n, r, filter, len(rest))
		return n
	}
	return nil
}

func hasGIN(t *catalog.Table) bool {
	for i := range t.Indexes {
		if t.Indexes[i].Method == "gin" {
			return true
		}
	}
	return false
}

// ginConjunct matches `indexed @@ query` against the table's GIN indexes.
func ginConjunct(t *catalog.Table, e bound.Expr) (*catalog.Index, bound.Expr, bool) {
	call, ok := e.(*bound.Call)
	if !ok || call.Name != "@@" || len(call.Args) != 2 {
		return nil, nil, false
	}
	vec, q := call.Args[0], call.Args[1]
	if vec.Type().OID == types.TSQueryOID {
		vec, q = q, vec
	}
	if vec.Type().OID != types.TSVectorOID || q.Type().OID != types.TSQueryOID || !bound.RowFree(q) {
		return nil, nil, false
	}
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if ix.Method == "gin" && ginIndexes(ix, vec) {
			return ix, q, true
		}
	}
	return nil, nil, false
}

// ginIndexes reports whether vec is the expression ix indexes.
func ginIndexes(ix *catalog.Index, vec bound.Expr) bool {
	if ix.GIN != nil {
		// An expression: the WHERE clause must spell it the same way.
		return bound.Format(vec) == ix.GIN.Match
	}
	if ix.TSConfig == 0 {
		col, ok := vec.(*bound.ColRef)
		return ok && col.Idx == ix.Columns[0]
	}
	call, ok := vec.(*bound.Call)
	if !ok || call.Name != "to_tsvector" || len(call.Args) != 2 {
		return false
	}
	cfg, ok := call.Args[0].(*bound.Const)
	if !ok || cfg.Val.K != types.KindInt || uint32(cfg.Val.I) != ix.TSConfig {
		return false
	}
	arg := call.Args[1]
	if c, ok := arg.(*bound.Cast); ok && !c.Explicit {
		arg = c.X // a varchar column converted to text
	}
	col, ok := arg.(*bound.ColRef)
	return ok && col.Idx == ix.Columns[0]
}

// ginAnd joins the remaining conjuncts.
func ginAnd(es []bound.Expr) bound.Expr {
	e := es[0]
	for _, x := range es[1:] {
		e = &bound.And{L: e, R: x}
	}
	return e
}

// tsMatchSel is PostgreSQL's DEFAULT_TS_MATCH_SEL: the share of rows a
// @@ is assumed to match without lexeme statistics (tsmatchsel).
const tsMatchSel = 0.005

// costGIN estimates the pair of nodes in PostgreSQL's manner: the index
// scan reads an entry per candidate (plus a few pages of posting lists),
// the heap scan fetches each candidate at random, rechecks it and applies
// the filter.
func costGIN(n *executor.BitmapHeapScan, r *bound.ScanRel, filter bound.Expr, nFilter int) {
	rc := relStats(r)
	cand := math.Max(1, rc.rows*tsMatchSel)
	idx := n.Index.Est()
	idx.Startup, idx.Total, idx.Rows, idx.Width = 0, 12+cand*cpuIndexTupleCost, clampRows(cand), 0
	rows := cand
	if filter != nil {
		rows *= selectivity(filter, rc)
	}
	width := tableWidth(r, nil)
	heap := pages(cand, width)*randomPageCost + cand*(cpuTupleCost+float64(1+nFilter)*cpuOperatorCost)
	setEst(n, idx.Total, idx.Total+heap, rows, width)
}

// dmlScan is the scan of an UPDATE or DELETE: when no btree path applies
// and a GIN index answers a conjunct, the Scan reads the index's candidate
// rows and its filter (the whole WHERE clause) rechecks each.
func dmlScan(r *bound.ScanRel, where bound.Expr) *executor.Scan {
	s := scan(r, where).(*executor.Scan)
	attachGIN(s, r, where)
	return s
}

// attachGIN gives a Scan without a btree path the row keys of a GIN index
// that answers a conjunct of where (UPDATE, DELETE, SELECT ... FOR UPDATE).
func attachGIN(s *executor.Scan, rel bound.Rel, where bound.Expr) {
	r, ok := rel.(*bound.ScanRel)
	if !ok || s.Span != nil || s.Point || s.Index != nil || where == nil || !hasGIN(r.Table) {
		return
	}
	conj := bound.Conjuncts(where)
	for i, c := range conj {
		ix, q, ok := ginConjunct(r.Table, c)
		if !ok {
			continue
		}
		for k := range s.Codec.Indexes {
			if s.Codec.Indexes[k].Index.ID == ix.ID {
				s.GIN = executor.NewBitmapIndexScan(s.Codec, &s.Codec.Indexes[k], executor.Compile(q), bound.Format(c))
			}
		}
		rest := append(append([]bound.Expr(nil), conj[:i]...), conj[i+1:]...)
		s.FilterText = ""
		if len(rest) > 0 {
			s.FilterText = bound.Format(ginAnd(rest))
		}
		return
	}
}
