package sql

import (
	"context"
	"fmt"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// execCreateView stores a view as its query text (deparsed by PostgreSQL's
// own deparser) with the result columns and the relations it reads.
func (s *Session) execCreateView(ctx context.Context, st *pg_query.ViewStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	sel := st.Query.GetSelectStmt()
	if sel == nil {
		return pgerror.New(pgerror.FeatureNotSupported, "view query must be a SELECT")
	}
	b := newBinder(s, nil)
	b.cat = cat
	b.viewDef = true
	var colDeps []catalog.ColDep
	b.colDeps = &colDeps
	q, err := b.bindSelect(sel, nil)
	if err != nil {
		return err
	}
	if len(b.params) > 0 {
		return pgerror.New(pgerror.UndefinedParameter, "there is no parameter $1")
	}
	deps := withColumnRelations(relationsRead(q), colDeps)
	// A view reading a temporary table is temporary itself, as in
	// PostgreSQL (view.c DefineView, isQueryUsingTempRelation).
	temp := st.View.Relpersistence == "t" || st.View.Schemaname == "pg_temp"
	if !temp {
		for _, d := range deps {
			if t := cat.Table(d); t != nil && isTempRelation(cat, t) {
				w.Notice(pgerror.Notice("view \"%s\" will be a temporary view", st.View.Relname))
				temp = true
				break
			}
		}
	}
	var schema uint32
	if temp {
		schema, err = s.tempCreationSchema(cat, st.View.Schemaname)
	} else {
		schema, err = s.creationSchema(cat, st.View.Schemaname)
	}
	if err != nil {
		return err
	}
	text, err := pg_query.Deparse(&pg_query.ParseResult{Version: parseTreeVersion(), Stmts: []*pg_query.RawStmt{{Stmt: st.Query}}})
	if err != nil {
		return pgerror.New(pgerror.InternalError, "cannot store view: %v", err)
	}
	var aliases []string
	for _, a := range st.Aliases {
		aliases = append(aliases, strVal(a))
	}
	if len(aliases) > q.Visible {
		return pgerror.New(pgerror.SyntaxError, "CREATE VIEW specifies more column names than columns")
	}
	existing, kind, exists := cat.Relation(schema, st.View.Relname)
	names := make([]string, q.Visible)
	seen := make(map[string]bool, q.Visible)
	for i := range names {
		names[i] = q.Targets[i].Name
		if i < len(aliases) {
			names[i] = aliases[i]
		}
		if seen[names[i]] {
			// A new view's columns are checked as a new table's
			// (MergeAttributes, before the name is looked up); a
			// replaced view's extra columns are added as ALTER TABLE ADD
			// COLUMN adds them (view.c, DefineVirtualRelation).
			if exists && st.Replace && kind == catalog.RelView {
				return pgerror.New(pgerror.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", names[i], st.View.Relname)
			}
			return pgerror.New(pgerror.DuplicateColumn, "column \"%s\" specified more than once", names[i])
		}
		seen[names[i]] = true
	}
	if exists && !(st.Replace && kind == catalog.RelView) {
		return pgerror.New(pgerror.DuplicateTable, "relation \"%s\" already exists", st.View.Relname)
	}
	v := &catalog.Table{OID: cat.AllocOID(), Schema: schema, Name: st.View.Relname, Kind: catalog.RelView, Owner: catalog.PostgresRoleOID, Query: text}
	if exists {
		v.OID = existing
	}
	for i, name := range names {
		v.Columns = append(v.Columns, catalog.Column{Name: name, Type: q.Targets[i].Expr.Type(), Attnum: int16(i + 1)})
	}
	v.Deps = deps
	v.ColDeps, v.ColDepsKnown = colDeps, true
	cat.PutTable(v)
	s.kvTxn()
	return w.Complete("CREATE VIEW")
}

// withColumnRelations adds to deps the relations of columns read only
// in subqueries of expressions, which relationsRead does not walk.
func withColumnRelations(deps []uint32, cols []catalog.ColDep) []uint32 {
	for _, c := range cols {
		if !slices.Contains(deps, c.Rel) {
			deps = append(deps, c.Rel)
		}
	}
	return deps
}

// relationsRead lists the tables and views a bound query reads.
func relationsRead(q *bound.Select) []uint32 {
	var out []uint32
	var walk func(r bound.Rel)
	walk = func(r bound.Rel) {
		switch r := r.(type) {
		case *bound.ScanRel:
			out = append(out, r.Table.OID)
		case *bound.SubqueryRel:
			if r.View != 0 {
				out = append(out, r.View)
			}
			walk(r.Query.From)
		case *bound.JoinRel:
			walk(r.Left)
			walk(r.Right)
		}
	}
	walk(q.From)
	return out
}

// dependentViews lists views reading relation oid.
func dependentViews(cat *catalog.Catalog, oid uint32) []*catalog.Table {
	var out []*catalog.Table
	for _, t := range cat.Tables(0) {
		if t.Kind != catalog.RelView && t.Kind != catalog.RelMatView {
			continue
		}
		for _, d := range t.Deps {
			if d == oid {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// dropDependentViews drops (cascade) or refuses (restrict) the views that
// read relation t.
func (s *Session) dropDependentViews(cat *catalog.Catalog, t *catalog.Table, cascade bool, w ResultWriter) error {
	for _, v := range dependentViews(cat, t.OID) {
		if !cascade {
			kind := kindWord(t.Kind, false)
			return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop %s %s because other objects depend on it", kind, t.Name).
				WithDetail("%s %s depends on %s %s", kindWord(v.Kind, false), v.Name, kind, t.Name).
				WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
		w.Notice(pgerror.Notice("drop cascades to %s %s", kindWord(v.Kind, false), v.Name))
		if err := s.dropDependentViews(cat, v, true, w); err != nil {
			return err
		}
		if err := s.dropView(cat, v); err != nil {
			return err
		}
	}
	return nil
}

// dropView drops a dependent view, or a materialized view with its
// stored rows.
func (s *Session) dropView(cat *catalog.Catalog, v *catalog.Table) error {
	if v.Kind == catalog.RelMatView {
		return s.dropTable(cat, v)
	}
	cat.DropTable(v.OID)
	return nil
}

// columnDependentViews lists the views and materialized views reading
// column attnum of relation rel.
func columnDependentViews(cat *catalog.Catalog, rel uint32, attnum int16) []*catalog.Table {
	var out []*catalog.Table
	for _, v := range dependentViews(cat, rel) {
		if v.DependsOnColumn(rel, attnum) {
			out = append(out, v)
		}
	}
	return out
}

// dropColumnDependents refuses (restrict) or drops (cascade) the views
// reading column c of table t, and the views over them, as ALTER TABLE
// DROP COLUMN does; the DETAIL or NOTICE lists them all, as PostgreSQL's
// reportDependentObjects.
func (s *Session) dropColumnDependents(cat *catalog.Catalog, t *catalog.Table, c catalog.Column, cascade bool, w ResultWriter) error {
	var order []*catalog.Table
	var lines []string
	seen := map[uint32]bool{}
	var add func(v *catalog.Table, why string)
	add = func(v *catalog.Table, why string) {
		if seen[v.OID] {
			return
		}
		seen[v.OID] = true
		order = append(order, v)
		lines = append(lines, fmt.Sprintf("%s %s depends on %s", kindWord(v.Kind, false), v.Name, why))
		for _, d := range dependentViews(cat, v.OID) {
			add(d, fmt.Sprintf("%s %s", kindWord(v.Kind, false), v.Name))
		}
	}
	for _, v := range columnDependentViews(cat, t.OID, c.Attnum) {
		add(v, fmt.Sprintf("column %s of %s %s", c.Name, kindWord(t.Kind, false), t.Name))
	}
	if len(order) == 0 {
		return nil
	}
	if !cascade {
		return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop column %s of %s %s because other objects depend on it", c.Name, kindWord(t.Kind, false), t.Name).
			WithDetail("%s", strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	if len(order) == 1 {
		w.Notice(pgerror.Notice("drop cascades to %s %s", kindWord(order[0].Kind, false), order[0].Name))
	} else {
		var drops []string
		for _, v := range order {
			drops = append(drops, fmt.Sprintf("drop cascades to %s %s", kindWord(v.Kind, false), v.Name))
		}
		w.Notice(pgerror.Notice("drop cascades to %d other objects", len(order)).WithDetail("%s", strings.Join(drops, "\n")))
	}
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		if err := s.dropView(cat, v); err != nil {
			return err
		}
	}
	return nil
}

// alterTypeDependents refuses ALTER COLUMN TYPE of a column a view reads.
func alterTypeDependents(cat *catalog.Catalog, t *catalog.Table, c catalog.Column) error {
	views := columnDependentViews(cat, t.OID, c.Attnum)
	if len(views) == 0 {
		return nil
	}
	v := views[0]
	return pgerror.New(pgerror.FeatureNotSupported, "cannot alter type of a column used by a view or rule").
		WithDetail("rule _RETURN on %s %s depends on column \"%s\"", kindWord(v.Kind, false), v.Name, c.Name)
}
