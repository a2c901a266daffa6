package planner

import (
	"math"
	"slices"
	"strings"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// colBound is what one conjunct says about one column: col = v, or a
// lower/upper bound.
type colBound struct {
	col  int
	kind int // boundCmp, boundIsNull or boundIn (sarg.go)
	op   bound.CmpOp
	val  bound.Expr
	list []bound.Expr // boundIn's values
	expr bound.Expr   // the conjunct, for EXPLAIN
}

// sargable reads a conjunct of the form col OP row-free-expr (either side).
func sargable(e bound.Expr) (colBound, bool) {
	c, ok := e.(*bound.Compare)
	if !ok || c.Op == bound.CmpNE {
		return colBound{}, false
	}
	if col, ok := c.L.(*bound.ColRef); ok && bound.RowFree(c.R) && comparableForKey(col.T, c.R.Type()) {
		return colBound{col: col.Idx, op: c.Op, val: c.R, expr: e}, true
	}
	if col, ok := c.R.(*bound.ColRef); ok && bound.RowFree(c.L) && comparableForKey(col.T, c.L.Type()) {
		return colBound{col: col.Idx, op: c.Op.Commute(), val: c.L, expr: e}, true
	}
	return colBound{}, false
}

// comparableForKey: key encoding orders values of the column's type; a
// bound of another kind (text against int) cannot be converted for it.
func comparableForKey(col, val types.Type) bool {
	return col.Kind() == val.Kind() ||
		(isNumeric(col) && isNumeric(val))
}

func isNumeric(t types.Type) bool {
	switch t.Kind() {
	case types.KindInt, types.KindFloat, types.KindNumeric:
		return true
	}
	return false
}

// indexPlan is a candidate access path.
type indexPlan struct {
	ix      *catalog.Index
	eq      []colBound // equalities and IS NULLs on the leading columns
	in      *colBound  // an IN list on the column after them
	lo, hi  *colBound
	score   int
	ordered bool // rows come in the wanted ORDER BY order
	reverse bool // ... when scanned backwards
	// predConj: a partial index's predicate conjuncts as the query spells
	// them (the index answers them).
	predConj []bound.Expr
}

// choose picks the best index for the conjuncts: most leading equalities,
// then a range on the next column. A full primary-key equality is a point
// lookup.
// orderCol is one ORDER BY key on a plain table column.
type orderCol struct {
	col              int
	desc, nullsFirst bool
}

// ordered reports whether scanning ix (after its equality prefix of eq
// columns) returns rows in the wanted order, and whether backwards.
func ordered(keys exprKeys, ix *catalog.Index, eq int, want []orderCol) (ok, reverse bool) {
	if len(want) == 0 || eq+len(want) > len(ix.Columns) {
		return false, false
	}
	for k, w := range want {
		pos := eq + k
		if keys.keyCol(ix, pos) != w.col {
			return false, false
		}
		desc := ix.ColDesc(pos)
		// The scan direction must give the wanted NULL placement too:
		// backwards, the index's NULLS FIRST/LAST turns round with its
		// ASC/DESC.
		rev := desc != w.desc
		if (ix.ColNullsFirst(pos) != w.nullsFirst) != rev {
			return false, false
		}
		if k == 0 {
			reverse = rev
		} else if rev != reverse {
			return false, false
		}
	}
	return true, reverse
}

func choose(t *catalog.Table, bounds []colBound) *indexPlan {
	return chooseOrdered(t, bounds, nil, nil)
}

// chooseOrdered picks the index answering the most of the WHERE clause;
// with want, one that also returns rows in that order wins ties and beats
// a plain scan. conj are the WHERE conjuncts, which decide whether a
// partial index may be used.
func chooseOrdered(t *catalog.Table, bounds []colBound, want []orderCol, conj []bound.Expr) *indexPlan {
	var cands []*catalog.Index
	if t.HasPrimaryKey() {
		cands = append(cands, &t.Primary)
	}
	partial := map[*catalog.Index][]bound.Expr{}
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if ix.Method != "" && ix.Method != "btree" {
			continue
		}
		if ix.Predicate != "" {
			ok, implied := partialUsable(t, ix, conj)
			if !ok {
				continue
			}
			partial[ix] = implied
		}
		cands = append(cands, ix)
	}
	keys := tableExprKeys(t)
	var best *indexPlan
	for _, ix := range cands {
		p := &indexPlan{ix: ix}
		if implied, ok := partial[ix]; ok {
			p.predConj = implied
		}
		for i := range ix.Columns {
			col := keys.keyCol(ix, i)
			if eq := findBound(bounds, col, bound.CmpEQ); eq != nil {
				p.eq = append(p.eq, *eq)
				continue
			}
			if isNull := findKind(bounds, col, boundIsNull); isNull != nil {
				p.eq = append(p.eq, *isNull)
				continue
			}
			if in := findKind(bounds, col, boundIn); in != nil {
				p.in = in
				break
			}
			if ix.ColDesc(i) || ix.ColNullsFirst(i) {
				break
			}
			p.lo = findBound(bounds, col, bound.CmpGT, bound.CmpGE)
			p.hi = findBound(bounds, col, bound.CmpLT, bound.CmpLE)
			break
		}
		p.score = len(p.eq) * 4
		if p.in != nil {
			p.score += 3
		}
		if p.lo != nil {
			p.score++
		}
		if p.hi != nil {
			p.score++
		}
		if p.point() {
			p.score += 2
			if ix.Primary || ix.Unique {
				p.score += 8
			}
		}
		if ok, rev := ordered(keys, ix, len(p.eq), want); ok {
			p.ordered, p.reverse = true, rev
			p.score += 3
		}
		if p.score > 0 && ix.Predicate != "" {
			p.score++ // a partial index holds fewer entries than a full one on the same keys
		}
		if p.score > 0 && (best == nil || p.score > best.score) {
			best = p
		}
	}
	return best
}

func allTrue(bs []bool) bool {
	for _, b := range bs {
		if !b {
			return false
		}
	}
	return true
}

// seqScanShare: an index range expected to return more than this share of
// a table loses to a sequential scan, which reads rows in storage order
// without a lookup per index entry.
// Below seqScanMinRows either path is cheap and the index keeps plans
// stable while a small table's statistics move.
const (
	seqScanShare   = 0.5
	seqScanMinRows = 1000
)

// point reports whether the plan is a lookup of one key.
func (p *indexPlan) point() bool {
	n := len(p.eq)
	if p.in != nil {
		n++
	}
	return n == len(p.ix.Columns)
}

// selectivity is the share of the table the index span reads.
func (p *indexPlan) selectivity(rc relCols) float64 {
	s := 1.0
	for _, b := range p.eq {
		s *= selectivity(b.expr, rc)
	}
	if p.in != nil {
		s *= selectivity(p.in.expr, rc)
	}
	if p.lo != nil {
		s *= selectivity(p.lo.expr, rc)
	}
	if p.hi != nil {
		// lo and hi on one column: the share between them, not the product.
		if p.lo != nil {
			s = s / selectivity(p.lo.expr, rc) * math.Max(selectivity(p.lo.expr, rc)+selectivity(p.hi.expr, rc)-1, 1/math.Max(rc.rows, 1))
		} else {
			s *= selectivity(p.hi.expr, rc)
		}
	}
	return s
}

// findKind finds an IS NULL or IN bound on col.
func findKind(bounds []colBound, col, kind int) *colBound {
	for i := range bounds {
		if bounds[i].col == col && bounds[i].kind == kind {
			return &bounds[i]
		}
	}
	return nil
}

func findBound(bounds []colBound, col int, ops ...bound.CmpOp) *colBound {
	for i := range bounds {
		if bounds[i].col != col || bounds[i].kind != boundCmp {
			continue
		}
		for _, op := range ops {
			if bounds[i].op == op {
				return &bounds[i]
			}
		}
	}
	return nil
}

// scan plans access to one table: a point lookup, an index range scan or a
// sequential scan, with the whole WHERE clause kept as a residual filter
// except for conjuncts the index answers exactly.
func scan(r *bound.ScanRel, where bound.Expr) executor.Node {
	n, _ := scanBounds(r, where, nil, nil, nil)
	return n
}

// scanOrdered plans the scan and reports whether it returns rows in the
// wanted order (so no sort is needed).
func scanOrdered(r *bound.ScanRel, where bound.Expr, want []orderCol, need []bool) (*executor.Scan, bool) {
	return scanBounds(r, where, want, need, nil)
}

// scanBounds is scanOrdered with extra bounds that are not conjuncts of
// where (an index nested loop's key equalities on the outer row).
func scanBounds(r *bound.ScanRel, where bound.Expr, want []orderCol, need []bool, extra []colBound) (*executor.Scan, bool) {
	codec := executor.NewTableCodec(r.Table)
	s := &executor.Scan{Codec: codec, Alias: r.Alias}
	if len(need) == len(codec.ColTypes) && !allTrue(need) {
		s.Need = need
	}
	conj := bound.Conjuncts(where)
	keys := tableExprKeys(r.Table)
	bounds := append(whereBounds(keys, conj), extra...)
	residual := conj
	isOrdered := false
	idxSel, nIndexed := 1.0, 0
	defer func() {
		// Extra bounds narrow the rows like conjuncts the index answers.
		costWhere := where
		for _, x := range extra {
			costWhere = andOrNil(append(bound.Conjuncts(costWhere), x.expr))
		}
		costScan(s, r, costWhere, idxSel, nIndexed+len(extra))
	}()
	p := chooseOrdered(r.Table, bounds, want, conj)
	if p != nil && !p.ordered && !p.point() && r.Stats != nil && r.Stats.Rows >= seqScanMinRows && p.selectivity(relStats(r)) > seqScanShare {
		p = nil // the range covers so much of the table that reading it all in key order is cheaper
	}
	if p != nil {
		idxSel = p.selectivity(relStats(r))
		isOrdered, s.Reverse = p.ordered, p.reverse
		spec := &executor.SpanSpec{}
		var cond []string
		used := map[bound.Expr]bool{}
		for _, b := range p.eq {
			if b.kind == boundIsNull {
				spec.Eq, spec.EqTypes = append(spec.Eq, nil), append(spec.EqTypes, types.Type{})
			} else {
				spec.Eq = append(spec.Eq, executor.Compile(b.val))
				spec.EqTypes = append(spec.EqTypes, b.val.Type())
			}
			spec.EqNull = append(spec.EqNull, b.kind == boundIsNull)
			cond = append(cond, bound.Format(b.expr))
			used[b.expr] = true
		}
		if p.in != nil {
			spec.In, spec.InType = compileAll(p.in.list), p.in.list[0].Type()
			cond = append(cond, bound.Format(p.in.expr))
			used[p.in.expr] = true
		}
		if p.lo != nil {
			spec.Lo, spec.LoType, spec.LoIncl = executor.Compile(p.lo.val), p.lo.val.Type(), p.lo.op == bound.CmpGE
			cond = append(cond, bound.Format(p.lo.expr))
			used[p.lo.expr] = true
		}
		if p.hi != nil {
			spec.Hi, spec.HiType, spec.HiIncl = executor.Compile(p.hi.val), p.hi.val.Type(), p.hi.op == bound.CmpLE
			cond = append(cond, bound.Format(p.hi.expr))
			used[p.hi.expr] = true
		}
		if len(cond) > 0 {
			s.Span = spec
			s.IndexCond = joinCond(cond)
		}
		s.IndexName = p.ix.Name
		if p.ix.ID != catalog.PrimaryIndexID {
			for i := range codec.Indexes {
				if codec.Indexes[i].Index.ID == p.ix.ID {
					s.Index = &codec.Indexes[i]
				}
			}
		}
		s.Point = s.Index == nil && p.point()
		// Equalities on an exactly-typed key need no re-check; anything
		// else (ranges, converted values) stays in the filter.
		for _, c := range p.predConj {
			used[c] = true
		}
		residual = nil
		for _, c := range conj {
			if used[c] && (slices.Contains(p.predConj, c) || exactIndexed(keys, c, r.Table)) {
				nIndexed++
				continue
			}
			residual = append(residual, c)
		}
	}
	if len(residual) > 0 {
		f := and(residual)
		s.Filter = executor.Compile(f)
		s.FilterText = bound.Format(f)
	}
	return s, isOrdered
}

// exactIndexed: conjunct c, used for the span, needs no re-check.
func exactIndexed(keys exprKeys, c bound.Expr, t *catalog.Table) bool {
	if exact, isExpr := keys.exactExprConjunct(c); isExpr {
		return exact
	}
	return exactConjunct(c, t)
}

// exactKey: a bound whose value has the column's own type is answered
// exactly by the key encoding (equal keys for equal values, key order for
// ranges, NULLs excluded by the span).
func exactKey(c bound.Expr, t *catalog.Table) bool {
	b, ok := sargable(c)
	return ok && sameKeyType(b.val.Type(), t.Columns[b.col].Type) && keyExact(t.Columns[b.col].Type)
}

// keyExact: types whose key encoding orders and equates exactly as the SQL
// comparison does. Numeric keys drop the display scale (1.0 = 1 anyway);
// char(n) compares ignoring trailing spaces, which its key also does.
func keyExact(t types.Type) bool {
	switch t.Kind() {
	case types.KindJSON, types.KindArray, types.KindFloat:
		return false // float: -0 = 0 and NaN; json: no btree order for json
	}
	return true
}

func and(es []bound.Expr) bound.Expr {
	e := es[0]
	for _, x := range es[1:] {
		e = &bound.And{L: e, R: x}
	}
	return e
}

func joinCond(cond []string) string {
	if len(cond) == 0 {
		return ""
	}
	if len(cond) == 1 {
		return cond[0]
	}
	return "(" + strings.Join(cond, " AND ") + ")"
}
