package sql

import (
	"context"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/planner"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// preparedStmt is a parsed statement with its parameter types and result
// columns, and (for data statements) a cached plan.
type preparedStmt struct {
	name       string
	p          parsed
	paramTypes []types.Type
	cols       []Column // nil: returns no rows
	utility    bool
	plan       *plan
	// What pg_prepared_statements shows of a named statement: the query
	// string it came from (for SQL PREPARE the whole string holding the
	// PREPARE, as PostgreSQL keeps it), when, whether by SQL PREPARE,
	// and how often it was executed (every execution uses the cached,
	// generic plan: prkdb-sql never plans for particular parameter values).
	source   string
	prepared time.Time
	fromSQL  bool
	generic  int64
}

// isData reports whether a statement is planned (SELECT/INSERT/UPDATE/DELETE).
func isData(n *pg_query.Node) bool {
	if sel := n.GetSelectStmt(); sel != nil {
		return selectInto(sel) == nil // SELECT INTO creates a table (ddl_create_table_as.go)
	}
	return n.GetInsertStmt() != nil || n.GetUpdateStmt() != nil || n.GetDeleteStmt() != nil
}

// prepareParsed binds and plans one statement. paramTypes are the types the
// client declared (0 or unknown entries are inferred).
func (s *Session) prepareParsed(ctx context.Context, p *parsed, paramTypes []types.Type, deferErrors bool) (*preparedStmt, error) {
	ps := &preparedStmt{p: *p}
	if !isData(p.stmt) {
		ps.utility = true
		ps.paramTypes = paramTypes
		ps.cols = utilityColumns(s, p.stmt)
		// EXPLAIN of a statement with $n: infer the parameters' types
		// from the explained statement, as PostgreSQL does.
		if ex := p.stmt.GetExplainStmt(); ex != nil && isData(ex.Query) {
			if _, _, params, err := s.bindAndPlan(&parsed{stmt: ex.Query}, paramTypes, true); err == nil {
				ps.paramTypes = params
			}
		}
		// So may CREATE TABLE AS and SELECT INTO, from their query.
		if q, ok := ctasQuery(p.stmt); ok {
			if _, _, params, err := s.bindAndPlan(&parsed{stmt: q}, paramTypes, true); err == nil {
				ps.paramTypes = params
			}
		}
		return ps, nil
	}
	pl, cols, params, err := s.bindAndPlan(p, paramTypes, deferErrors)
	if err != nil {
		return nil, err
	}
	ps.plan, ps.cols, ps.paramTypes = pl, cols, params
	return ps, nil
}

// bindAndPlan turns a data statement into a plan.
func (s *Session) bindAndPlan(p *parsed, paramTypes []types.Type, deferErrors bool) (*plan, []Column, []types.Type, error) {
	b := newBinder(s, paramTypes)
	b.deferErrors = deferErrors
	// Only the simple protocol binds without deferring errors, and it has
	// no parameters.
	b.simple = !deferErrors && paramTypes == nil
	cat := b.cat
	pl := &plan{gen: cat.Gen(), settingsGen: s.settingsGen, statsGen: s.e.stats.gen.Load()}
	var cols []Column
	n := p.stmt
	switch {
	case n.GetSelectStmt() != nil:
		sel, err := b.bindSelect(n.GetSelectStmt(), nil)
		if err != nil {
			return nil, nil, nil, err
		}
		pre, err := planner.ModifyingCTEs(b.mods)
		if err != nil {
			return nil, nil, nil, err
		}
		root, err := planner.Select(sel)
		if err != nil {
			return nil, nil, nil, err
		}
		pl.root, pl.tag = withModifying(pre, root), "SELECT"
		cols = targetColumns(sel.Targets[:sel.Visible])
	case n.GetInsertStmt() != nil:
		ins, err := b.bindInsert(n.GetInsertStmt())
		if err != nil {
			return nil, nil, nil, err
		}
		pre, err := planner.ModifyingCTEs(b.mods)
		if err != nil {
			return nil, nil, nil, err
		}
		w, err := planner.Insert(ins)
		if err != nil {
			return nil, nil, nil, err
		}
		pl.root, pl.writer, pl.tag, pl.table = withModifying(pre, w), w, "INSERT", ins.Table.OID
		cols = targetColumns(ins.Returning)
	case n.GetUpdateStmt() != nil:
		u, err := b.bindUpdate(n.GetUpdateStmt())
		if err != nil {
			return nil, nil, nil, err
		}
		pre, err := planner.ModifyingCTEs(b.mods)
		if err != nil {
			return nil, nil, nil, err
		}
		w, err := planner.Update(u)
		if err != nil {
			return nil, nil, nil, err
		}
		pl.root, pl.writer, pl.tag, pl.table = withModifying(pre, w), w, "UPDATE", u.Table.OID
		cols = targetColumns(u.Returning)
	case n.GetDeleteStmt() != nil:
		d, err := b.bindDelete(n.GetDeleteStmt())
		if err != nil {
			return nil, nil, nil, err
		}
		pre, err := planner.ModifyingCTEs(b.mods)
		if err != nil {
			return nil, nil, nil, err
		}
		w, err := planner.Delete(d)
		if err != nil {
			return nil, nil, nil, err
		}
		pl.root, pl.writer, pl.tag, pl.table = withModifying(pre, w), w, "DELETE", d.Table.OID
		cols = targetColumns(d.Returning)
	}
	for i, t := range b.params {
		if t.OID == types.UnknownOID || t.OID == 0 {
			// PostgreSQL reports 42P18 for a parameter whose type nothing
			// determines, except where text is the natural reading.
			b.params[i] = types.Text
		}
	}
	return pl, cols, b.params, nil
}

// withModifying runs a statement's data-modifying WITH queries before its
// main plan root.
func withModifying(pre []*executor.CTEBuffer, root executor.Node) executor.Node {
	if len(pre) == 0 {
		return root
	}
	return &executor.ModifyingWith{CTEs: pre, Main: root}
}

func targetColumns(ts []bound.Target) []Column {
	if ts == nil {
		return nil
	}
	cols := make([]Column, len(ts))
	for i, t := range ts {
		typ := t.Expr.Type()
		if typ.OID == types.UnknownOID {
			typ = types.Text
		}
		cols[i] = Column{Name: t.Name, TableOID: t.TableOID, AttrNum: t.AttrNum, Type: typ}
	}
	return cols
}

// planFor returns a usable plan for a prepared statement: the cached one
// while neither the catalog, the session's settings nor (markedly) the
// table statistics have changed and no open portal is using it.
func (s *Session) planFor(ctx context.Context, ps *preparedStmt) (*plan, error) {
	if ps.plan != nil && ps.plan.gen == s.catalog().Gen() && ps.plan.settingsGen == s.settingsGen &&
		ps.plan.statsGen == s.e.stats.gen.Load() && !ps.plan.inUse {
		return ps.plan, nil
	}
	pl, cols, params, err := s.bindAndPlan(&ps.p, ps.paramTypes, true)
	if err != nil {
		return nil, err
	}
	if len(params) != len(ps.paramTypes) || !sameColumns(cols, ps.cols) {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "cached plan must not change result type")
	}
	if ps.plan == nil || !ps.plan.inUse {
		ps.plan = pl
	}
	return pl, nil
}

func sameColumns(a, b []Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Type.OID != b[i].Type.OID {
			return false
		}
	}
	return true
}

var _ executor.Node
