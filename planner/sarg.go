package planner

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Bound kinds beyond comparisons that an index span can answer.
const (
	boundCmp    = iota // col OP value (colBound.op)
	boundIsNull        // col IS NULL: the NULL entries of the index
	boundIn            // col IN (values): one span per value
)

// extraBounds reads the conjuncts that are not plain comparisons but still
// bound an index column: col IS NULL, col IN (row-free values), and
// col LIKE 'prefix%' (as prefix <= col < successor(prefix); the LIKE
// itself stays as a filter, since the range only narrows the rows).
func extraBounds(e bound.Expr) []colBound {
	switch x := e.(type) {
	case *bound.IsNull:
		if col, ok := x.X.(*bound.ColRef); ok && !x.Not {
			return []colBound{{col: col.Idx, kind: boundIsNull, expr: e}}
		}
	case *bound.InList:
		col, ok := x.X.(*bound.ColRef)
		if !ok || x.Not || len(x.List) == 0 {
			return nil
		}
		for _, v := range x.List {
			if !bound.RowFree(v) || !comparableForKey(col.T, v.Type()) || v.Type().OID != x.List[0].Type().OID {
				return nil
			}
		}
		return []colBound{{col: col.Idx, kind: boundIn, list: x.List, expr: e}}
	case *bound.Like:
		return likeBounds(x)
	}
	return nil
}

// likeBounds turns col LIKE 'abc%' into 'abc' <= col < 'abd'. Text keys
// order bytewise, as the C collation every database here uses compares,
// so the prefix range holds exactly the matching strings.
func likeBounds(l *bound.Like) []colBound {
	col, ok := l.X.(*bound.ColRef)
	pat, pok := l.Pattern.(*bound.Const)
	if !ok || !pok || l.Not || l.CaseInsensitive || l.Escape != nil || pat.Val.K != types.KindText ||
		col.T.OID != types.Text.OID || pat.T.OID != types.Text.OID {
		return nil
	}
	prefix, exact := likePrefix(pat.Val.S)
	if prefix == "" {
		return nil
	}
	lit := func(s string) bound.Expr { return &bound.Const{Val: types.NewText(s), T: types.Text} }
	if exact {
		eq := &bound.Compare{Op: bound.CmpEQ, L: col, R: lit(prefix)}
		return []colBound{{col: col.Idx, op: bound.CmpEQ, val: eq.R, expr: eq}}
	}
	lo := &bound.Compare{Op: bound.CmpGE, L: col, R: lit(prefix)}
	out := []colBound{{col: col.Idx, op: bound.CmpGE, val: lo.R, expr: lo}}
	if next, ok := successor(prefix); ok {
		hi := &bound.Compare{Op: bound.CmpLT, L: col, R: lit(next)}
		out = append(out, colBound{col: col.Idx, op: bound.CmpLT, val: hi.R, expr: hi})
	}
	return out
}

// likePrefix is the literal text before the pattern's first wildcard
// (backslash escapes the next character); exact when there is none.
func likePrefix(p string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '%', '_':
			return b.String(), false
		case '\\':
			if i+1 == len(p) {
				// PostgreSQL rejects a trailing escape (22025) when the
				// LIKE runs; no span, so the filter meets every row.
				return "", false
			}
			i++
		}
		b.WriteByte(p[i])
	}
	return b.String(), true
}

// successor is the smallest string greater than every string starting
// with p: p with its last byte below 0xff incremented.
func successor(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// exactConjunct reports whether an index span answers conjunct c by
// itself, so it needs no re-check in the filter.
func exactConjunct(c bound.Expr, t *catalog.Table) bool {
	switch x := c.(type) {
	case *bound.IsNull:
		return true
	case *bound.InList:
		col := x.X.(*bound.ColRef)
		return sameKeyType(x.List[0].Type(), t.Columns[col.Idx].Type) && keyExact(t.Columns[col.Idx].Type)
	}
	return exactKey(c, t)
}
