package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// pushWith brings a WITH clause's queries into scope, each seeing the ones
// before it. The caller pops them (truncates b.ctes to its length before
// the call) when the statement's scope ends. A data-modifying query is
// bound here, once, and joins the statement's b.mods, since PostgreSQL runs
// it exactly once whether or not it is referenced.
func (b *binder) pushWith(wc *pg_query.WithClause) error {
	depth := len(b.ctes)
	for _, n := range wc.Ctes {
		ce := n.GetCommonTableExpr()
		for _, prev := range b.ctes[depth:] {
			if prev.name == ce.Ctename {
				return pgerror.New(pgerror.DuplicateAlias, "WITH query name \"%s\" specified more than once", ce.Ctename).WithPosition(ce.Location + 1)
			}
		}
		// SEARCH and CYCLE add columns and stop cycles; ignoring them
		// answered without those columns and could recurse forever.
		if ce.SearchClause != nil {
			return pgerror.New(pgerror.FeatureNotSupported, "SEARCH clause of WITH RECURSIVE is not supported").WithPosition(ce.SearchClause.Location + 1)
		}
		if ce.CycleClause != nil {
			return pgerror.New(pgerror.FeatureNotSupported, "CYCLE clause of WITH RECURSIVE is not supported").WithPosition(ce.CycleClause.Location + 1)
		}
		c := cte{name: ce.Ctename, query: ce.Ctequery.GetSelectStmt(), recursive: wc.Recursive}
		for _, a := range ce.Aliascolnames {
			c.columns = append(c.columns, strVal(a))
		}
		if c.query == nil {
			m, err := b.bindModifyingCTE(ce)
			if err != nil {
				return err
			}
			c.mod = m
		}
		b.ctes = append(b.ctes, c)
	}
	return nil
}

// popWith ends the scope of WITH queries pushed after depth.
func (b *binder) popWith(depth int) { b.ctes = b.ctes[:depth] }

// bindModifyingCTE binds WITH name AS (INSERT | UPDATE | DELETE ...).
func (b *binder) bindModifyingCTE(ce *pg_query.CommonTableExpr) (*bound.ModifyingCTE, error) {
	// The query is bound outside any enclosing SELECT's aggregate, window
	// and set-returning-function context.
	aggs, windows, srfs, lateral := b.aggs, b.windows, b.srfs, b.lateral
	b.aggs, b.windows, b.srfs, b.lateral = nil, nil, nil, nil
	defer func() { b.aggs, b.windows, b.srfs, b.lateral = aggs, windows, srfs, lateral }()
	m := &bound.ModifyingCTE{Name: ce.Ctename}
	var returning []bound.Target
	switch q := ce.Ctequery; {
	case q.GetInsertStmt() != nil:
		ins, err := b.bindInsert(q.GetInsertStmt())
		if err != nil {
			return nil, err
		}
		m.Stmt, returning = ins, ins.Returning
	case q.GetUpdateStmt() != nil:
		u, err := b.bindUpdate(q.GetUpdateStmt())
		if err != nil {
			return nil, err
		}
		m.Stmt, returning = u, u.Returning
	case q.GetDeleteStmt() != nil:
		d, err := b.bindDelete(q.GetDeleteStmt())
		if err != nil {
			return nil, err
		}
		m.Stmt, returning = d, d.Returning
	default:
		return nil, pgerror.New(pgerror.FeatureNotSupported, "this kind of WITH query is not supported").WithPosition(ce.Location + 1)
	}
	m.Returning = returning
	b.mods = append(b.mods, m)
	return m, nil
}

// modifyingCTERef binds a reference to a data-modifying WITH query: its
// columns are the RETURNING list's, renamed by the WITH's column list and
// the reference's alias.
func modifyingCTERef(c cte, rv *pg_query.RangeVar) (bound.Rel, []scopeCol, error) {
	if c.mod.Returning == nil {
		// parse_relation.c: a WITH query without RETURNING has no rows to read.
		return nil, nil, pgerror.New(pgerror.FeatureNotSupported, "WITH query \"%s\" does not have a RETURNING clause", c.name).WithPosition(rv.Location + 1)
	}
	alias := c.name
	if rv.Alias != nil {
		alias = rv.Alias.Aliasname
	}
	cols := make([]scopeCol, len(c.mod.Returning))
	for i, t := range c.mod.Returning {
		name := t.Name
		if i < len(c.columns) {
			name = c.columns[i]
		}
		if rv.Alias != nil && i < len(rv.Alias.Colnames) {
			name = strVal(rv.Alias.Colnames[i])
		}
		typ := t.Expr.Type()
		if typ.OID == types.UnknownOID {
			typ = types.Text
		}
		cols[i] = scopeCol{table: alias, name: name, idx: i, typ: typ}
	}
	r := &bound.ModifyingCTERel{CTE: c.mod}
	if rv.Alias != nil {
		r.Alias = rv.Alias.Aliasname
	}
	return r, cols, nil
}
