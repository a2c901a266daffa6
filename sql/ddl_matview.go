package sql

import (
	"context"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Materialized views (PostgreSQL's commands/matview.c). CREATE
// MATERIALIZED VIEW goes through the CREATE TABLE AS path
// (ddl_create_table_as.go): the storage table is created and filled as
// for CREATE TABLE AS, then turned into relkind 'm' with its query text
// (deparsed, as a view's) and the relations it reads (for DROP ...
// RESTRICT). REFRESH deletes the rows and refills them from the stored
// query in the statement's transaction, so other transactions keep
// reading the old contents until it commits; CONCURRENTLY does the same
// (only its preconditions differ from PostgreSQL's diff-based refresh).

// matviewDesc checks a materialized view's query and returns the
// catalog fields its storage table takes once created and filled.
func (s *Session) matviewDesc(cat *catalog.Catalog, src ctasSource, q *bound.Select, params bool) (*catalog.Table, error) {
	if params {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "materialized views may not be defined using bound parameters")
	}
	deps := relationsRead(q)
	for _, d := range deps {
		if t := cat.Table(d); t != nil && isTempRelation(cat, t) {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "materialized views must not use temporary tables or views")
		}
	}
	text, err := pg_query.Deparse(&pg_query.ParseResult{Version: parseTreeVersion(), Stmts: []*pg_query.RawStmt{{Stmt: src.query}}})
	if err != nil {
		return nil, pgerror.New(pgerror.InternalError, "cannot store materialized view: %v", err)
	}
	return &catalog.Table{Query: text, Deps: deps}, nil
}

// finishMatview turns the table CREATE MATERIALIZED VIEW created into the
// materialized view.
func (s *Session) finishMatview(cat *catalog.Catalog, mv *catalog.Table, schema uint32, name string, populated bool) uint32 {
	oid, _, ok := cat.Relation(schema, name)
	if !ok {
		return 0
	}
	t := cat.Table(oid).Clone()
	t.Kind = catalog.RelMatView
	t.Query, t.Deps, t.Unpopulated = mv.Query, mv.Deps, !populated
	t.ColDeps, t.ColDepsKnown = mv.ColDeps, mv.ColDepsKnown
	cat.PutTable(t)
	s.kvTxn()
	return oid
}

func (s *Session) execRefreshMatView(ctx context.Context, st *pg_query.RefreshMatViewStmt, w ResultWriter) error {
	if st.Concurrent && st.SkipData {
		return pgerror.New(pgerror.SyntaxError, "%s and %s options cannot be used together", "CONCURRENTLY", "WITH NO DATA")
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	t, err := s.resolveTable(cat, st.Relation)
	if err != nil {
		return err
	}
	if t.Kind != catalog.RelMatView {
		return pgerror.New(pgerror.FeatureNotSupported, "\"%s\" is not a materialized view", t.Name)
	}
	if st.Concurrent {
		if t.Unpopulated {
			return pgerror.New(pgerror.FeatureNotSupported, "CONCURRENTLY cannot be used when the materialized view is not populated")
		}
		ok := false
		for _, ix := range t.Indexes {
			if ix.Unique && ix.Predicate == "" && len(ix.Exprs) == 0 {
				ok = true
			}
		}
		if !ok {
			return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "cannot refresh materialized view \"%s\" concurrently", cat.Schema(t.Schema).Name+"."+t.Name).
				WithHint("Create a unique index with no WHERE clause on one or more columns of the materialized view.")
		}
	}
	if err := s.deleteRange(catalog.TablePrefix(t.OID)); err != nil {
		return err
	}
	s.e.stats.forget(t.OID)
	nt := t.Clone()
	nt.Unpopulated = st.SkipData
	cat.PutTable(nt)
	s.kvTxn()
	if st.SkipData {
		return w.Complete("REFRESH MATERIALIZED VIEW")
	}
	res, err := pg_query.Parse(t.Query)
	if err != nil || len(res.Stmts) != 1 {
		return pgerror.New(pgerror.InternalError, "cannot read materialized view query: %v", err)
	}
	rel := &pg_query.RangeVar{Schemaname: cat.Schema(t.Schema).Name, Relname: t.Name, Inh: true, Relpersistence: "p"}
	ins := &pg_query.InsertStmt{Relation: rel, SelectStmt: res.Stmts[0].Stmt, Override: pg_query.OverridingKind_OVERRIDING_NOT_SET}
	s.matviewFill = t.OID
	defer func() { s.matviewFill = 0 }()
	if _, err := s.runInsert(ctx, ins, nil, false, nil); err != nil {
		return err
	}
	return w.Complete("REFRESH MATERIALIZED VIEW")
}
