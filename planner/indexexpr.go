package planner

import (
	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Expression and partial btree indexes.
//
// An expression key column (CREATE INDEX ON t (lower(email))) is given a
// virtual column number, below every real one, so the access path code
// that matches conjuncts to key columns (colBound.col) serves expressions
// unchanged: a conjunct `expr OP row-free value` whose expr prints the
// same as the index's key expression (catalog.IndexExpr.Match, the bound
// expression as EXPLAIN prints it; column references print by name, and
// names are unique within the scanned table) bounds that column. ORDER BY
// such an expression is matched the same way.
//
// A partial index is a candidate only when the query's WHERE implies its
// predicate (predImplied).

// exprKey is one distinct key expression of a table's btree indexes.
type exprKey struct {
	col int        // virtual column number (< -1)
	t   types.Type // its type
}

// exprKeys maps key expressions (by their printed form) to virtual
// columns; nil for a table without expression indexes.
type exprKeys map[string]exprKey

func tableExprKeys(t *catalog.Table) exprKeys {
	var keys exprKeys
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		for k := range ix.Exprs {
			x := &ix.Exprs[k]
			if x.SQL == "" || x.Match == "" {
				continue
			}
			if keys == nil {
				keys = exprKeys{}
			}
			if _, ok := keys[x.Match]; !ok {
				keys[x.Match] = exprKey{col: -2 - len(keys), t: x.Type}
			}
		}
	}
	return keys
}

// keyCol is key column i of ix as a column number (virtual for an
// expression).
func (k exprKeys) keyCol(ix *catalog.Index, i int) int {
	if x := ix.KeyExpr(i); x != nil {
		if e, ok := k[x.Match]; ok {
			return e.col
		}
		return -1 // matches nothing
	}
	return ix.Columns[i]
}

// match reports the virtual column of an indexed expression.
func (k exprKeys) match(e bound.Expr) (exprKey, bool) {
	if k == nil {
		return exprKey{}, false
	}
	switch e.(type) {
	case *bound.ColRef, *bound.Const, *bound.Param:
		return exprKey{}, false
	}
	x, ok := k[bound.Format(e)]
	return x, ok && bound.Format(e) != "" && !bound.RowFree(e)
}

// typeOf is the type of column col (a real or virtual one).
func (k exprKeys) typeOf(t *catalog.Table, col int) types.Type {
	if col >= 0 {
		return t.Columns[col].Type
	}
	for _, x := range k {
		if x.col == col {
			return x.t
		}
	}
	return types.Type{}
}

// exprBounds reads the conjuncts that bound an indexed expression: a
// comparison with a row-free value, IS NULL, or an IN list.
func (k exprKeys) exprBounds(e bound.Expr) []colBound {
	if k == nil {
		return nil
	}
	switch x := e.(type) {
	case *bound.Compare:
		if x.Op == bound.CmpNE {
			return nil
		}
		if key, ok := k.match(x.L); ok && bound.RowFree(x.R) && comparableForKey(key.t, x.R.Type()) {
			return []colBound{{col: key.col, op: x.Op, val: x.R, expr: e}}
		}
		if key, ok := k.match(x.R); ok && bound.RowFree(x.L) && comparableForKey(key.t, x.L.Type()) {
			return []colBound{{col: key.col, op: x.Op.Commute(), val: x.L, expr: e}}
		}
	case *bound.IsNull:
		if key, ok := k.match(x.X); ok && !x.Not {
			return []colBound{{col: key.col, kind: boundIsNull, expr: e}}
		}
	case *bound.InList:
		key, ok := k.match(x.X)
		if !ok || x.Not || len(x.List) == 0 {
			return nil
		}
		for _, v := range x.List {
			if !bound.RowFree(v) || !comparableForKey(key.t, v.Type()) || v.Type().OID != x.List[0].Type().OID {
				return nil
			}
		}
		return []colBound{{col: key.col, kind: boundIn, list: x.List, expr: e}}
	}
	return nil
}

// exactExprConjunct: like exactConjunct, for a conjunct on an indexed
// expression (the key holds the expression's value, so a value of its own
// type is answered exactly).
func (k exprKeys) exactExprConjunct(c bound.Expr) (exact, isExpr bool) {
	bs := k.exprBounds(c)
	if len(bs) != 1 {
		return false, false
	}
	b := bs[0]
	t := k.typeOf(nil, b.col)
	switch b.kind {
	case boundIsNull:
		return true, true
	case boundIn:
		return sameKeyType(b.list[0].Type(), t) && keyExact(t), true
	}
	return sameKeyType(b.val.Type(), t) && keyExact(t), true
}

// sameKeyType: a value of type v is compared exactly by a key of type k:
// the same type, or an integer no wider than the key's (the span converts
// it without loss; a wider value might not fit, and then the span cannot
// bound the range).
func sameKeyType(v, k types.Type) bool {
	return v.OID == k.OID || intWidth(v) > 0 && intWidth(v) <= intWidth(k)
}

func intWidth(t types.Type) int {
	switch t.OID {
	case types.Int2OID:
		return 2
	case types.Int4OID:
		return 4
	case types.Int8OID:
		return 8
	}
	return 0
}

// whereBounds lists what the conjuncts say about t's key columns and
// indexed expressions.
func whereBounds(keys exprKeys, conj []bound.Expr) []colBound {
	var bounds []colBound
	for _, c := range conj {
		if b, ok := sargable(c); ok {
			bounds = append(bounds, b)
		}
		bounds = append(bounds, extraBounds(c)...)
		bounds = append(bounds, keys.exprBounds(c)...)
	}
	return bounds
}

// partialUsable reports whether a partial index may answer a query with
// these conjuncts: every conjunct of its predicate must be implied by
// one of them. It also returns the query conjuncts that are the
// predicate's own (the index holds only rows satisfying them, so they
// need no filter, as PostgreSQL drops quals its predicate implies).
func partialUsable(t *catalog.Table, ix *catalog.Index, conj []bound.Expr) (bool, []bound.Expr) {
	_, pred, err := executor.IndexExprs(t, ix)
	if err != nil || pred == nil {
		return false, nil
	}
	var implied []bound.Expr
	for _, p := range bound.Conjuncts(pred) {
		ok := false
		for _, q := range conj {
			if bound.Format(q) == bound.Format(p) {
				ok = true
				implied = append(implied, q)
				break
			}
			if implies(q, p) {
				ok = true
				break
			}
		}
		if !ok {
			return false, nil
		}
	}
	return true, implied
}

// implies reports whether conjunct q implies predicate conjunct p for
// the simple forms: ranges of constants on one column (x > 10 implies
// x > 5), and a comparison implying the column IS NOT NULL.
func implies(q, p bound.Expr) bool {
	qb, ok := sargable(q)
	if !ok {
		return false
	}
	if n, ok := p.(*bound.IsNull); ok {
		col, isCol := n.X.(*bound.ColRef)
		qc, isConst := qb.val.(*bound.Const)
		// A comparison is never true for NULL, so it implies NOT NULL.
		return n.Not && isCol && col.Idx == qb.col && isConst && qc.Val.K != types.KindNull
	}
	pb, ok := sargable(p)
	if !ok || pb.col != qb.col {
		return false
	}
	qc, ok1 := qb.val.(*bound.Const)
	pc, ok2 := pb.val.(*bound.Const)
	if !ok1 || !ok2 || qc.Val.K == types.KindNull || qc.Val.K != pc.Val.K {
		return false
	}
	cmp := types.Compare(qc.Val, pc.Val) // q's constant against p's
	switch pb.op {
	case bound.CmpGT:
		return qb.op == bound.CmpGT && cmp >= 0 || (qb.op == bound.CmpGE || qb.op == bound.CmpEQ) && cmp > 0
	case bound.CmpGE:
		return (qb.op == bound.CmpGT || qb.op == bound.CmpGE || qb.op == bound.CmpEQ) && cmp >= 0
	case bound.CmpLT:
		return qb.op == bound.CmpLT && cmp <= 0 || (qb.op == bound.CmpLE || qb.op == bound.CmpEQ) && cmp < 0
	case bound.CmpLE:
		return (qb.op == bound.CmpLT || qb.op == bound.CmpLE || qb.op == bound.CmpEQ) && cmp <= 0
	case bound.CmpEQ:
		return qb.op == bound.CmpEQ && cmp == 0
	}
	return false
}
