package executor

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// BindIndexExpr binds an index's key expression or predicate (SQL text
// from the catalog) over the table's storage row. The binder lives in the
// sql package, above this one, so sql sets it at init; the executor only
// compiles what it returns. want is the expected type (bool for a
// predicate).
var BindIndexExpr func(t *catalog.Table, sql string, want types.Type) (bound.Expr, error)

// IndexExprs returns the bound key expressions of ix (nil entries for
// plain columns) and its bound predicate (nil when it has none). The
// planner compares them with a query's expressions.
func IndexExprs(t *catalog.Table, ix *catalog.Index) ([]bound.Expr, bound.Expr, error) {
	var exprs []bound.Expr
	if ix.HasExprs() {
		exprs = make([]bound.Expr, len(ix.Columns))
		for i := range ix.Columns {
			if x := ix.KeyExpr(i); x != nil {
				e, err := bindIndexExpr(t, x.SQL, x.Type)
				if err != nil {
					return nil, nil, err
				}
				exprs[i] = e
			}
		}
	}
	var pred bound.Expr
	if ix.Predicate != "" {
		e, err := bindIndexExpr(t, ix.Predicate, types.Bool)
		if err != nil {
			return nil, nil, err
		}
		pred = e
	}
	return exprs, pred, nil
}

func bindIndexExpr(t *catalog.Table, sql string, want types.Type) (bound.Expr, error) {
	if BindIndexExpr == nil {
		return nil, pgerror.New(pgerror.InternalError, "index expressions cannot be bound here")
	}
	return BindIndexExpr(t, sql, want)
}

// compileIndexExprs compiles ic's key expressions and predicate once, when
// the codec is built. A failure (which CREATE INDEX would have caught) is
// kept and returned by every Entry, so a damaged descriptor fails writes
// instead of silently skipping index entries.
func (ic *IndexCodec) compileIndexExprs(t *catalog.Table) {
	ix := ic.Index
	ic.keyTypes = make([]types.Type, len(ix.Columns))
	for i := range ix.Columns {
		ic.keyTypes[i] = ix.KeyType(t, i)
	}
	if !ix.HasExprs() && ix.Predicate == "" {
		return
	}
	exprs, pred, err := IndexExprs(t, ix)
	if err != nil {
		ic.err = err
		return
	}
	if exprs != nil {
		ic.exprs = make([]Eval, len(exprs))
		for i, e := range exprs {
			if e != nil {
				ic.exprs[i] = Compile(e)
			}
		}
	}
	if pred != nil {
		ic.pred = Compile(pred)
	}
}

// keyValues is the index key of row: the key columns' values, with the
// expressions evaluated. in is false when a partial index's predicate is
// not true for row (the row has no entry).
func (ic *IndexCodec) keyValues(ev *bound.EvalCtx, row []types.Datum, dst []types.Datum) (vals []types.Datum, in bool, err error) {
	if ic.err != nil {
		return nil, false, ic.err
	}
	if ic.pred != nil {
		v, err := ic.pred(ev, row)
		if err != nil {
			return nil, false, err
		}
		if v.K != types.KindBool || v.I == 0 {
			return nil, false, nil
		}
	}
	vals = dst[:0]
	for i, c := range ic.Index.Columns {
		if ic.exprs != nil && ic.exprs[i] != nil {
			v, err := ic.exprs[i](ev, row)
			if err != nil {
				return nil, false, err
			}
			vals = append(vals, v)
			continue
		}
		vals = append(vals, row[c])
	}
	return vals, true, nil
}

// indexViolation is the 23505 of a secondary index, with its key columns
// named as PostgreSQL names them (an expression as pg_get_indexdef prints
// it: Key (lower(email))=(x) already exists.).
func indexViolation(c *Ctx, tc *TableCodec, ic *IndexCodec, row []types.Datum) error {
	ix := ic.Index
	vals, _, err := ic.keyValues(c.Eval, row, nil)
	if err != nil {
		return err
	}
	names := make([]string, len(vals))
	texts := make([]string, len(vals))
	for i, v := range vals {
		if x := ix.KeyExpr(i); x != nil {
			names[i] = x.Text
		} else {
			names[i] = tc.Table.Columns[ix.Columns[i]].Name
		}
		if v.K == types.KindNull {
			texts[i] = "null"
		} else {
			texts[i] = string(types.AppendText(nil, v, ic.keyTypes[i], c.Eval.Settings))
		}
	}
	return pgerror.New(pgerror.UniqueViolation, "duplicate key value violates unique constraint \"%s\"", ix.Name).
		WithDetail("Key (%s)=(%s) already exists.", strings.Join(names, ", "), strings.Join(texts, ", ")).
		WithConstraint(tc.Table.Name, ix.Name)
}

func hasNullValue(vals []types.Datum) bool {
	for _, v := range vals {
		if v.K == types.KindNull {
			return true
		}
	}
	return false
}

// KeyValues is the index key of row (expressions evaluated); in is false
// when a partial index has no entry for it.
func (ic *IndexCodec) KeyValues(ev *bound.EvalCtx, row []types.Datum) (vals []types.Datum, in bool, err error) {
	return ic.keyValues(ev, row, nil)
}
