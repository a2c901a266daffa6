package sql

import (
	"context"
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// CREATE TABLE AS, CREATE TABLE ... AS EXECUTE and SELECT INTO
// (PostgreSQL's commands/createas.c). The table is created through the
// CREATE TABLE path from a column definition per output column of the
// query (its name and type, typmod included, as createas.c's
// makeColumnDef(..., exprType, exprTypmod, ...) does), then filled by an
// INSERT ... SELECT of the same query through the ordinary INSERT plan, in
// the same transaction. The query is bound twice (once for its columns,
// once inside the INSERT) but runs once.

// ctasSource is what the three forms have in common.
type ctasSource struct {
	into        *pg_query.IntoClause
	ifNotExists bool
	// query is a SelectStmt node without INTO.
	query *pg_query.Node
	// paramTypes and args are the parameters the query may read: those of
	// the extended-protocol statement, or of the EXECUTEd statement.
	paramTypes []types.Type
	args       []types.Datum
	// execute: the query came from CREATE TABLE ... AS EXECUTE, whose
	// WITH NO DATA still reports "SELECT 0" (PostgreSQL runs it with no
	// rows rather than skipping it).
	execute bool
	// matview: CREATE MATERIALIZED VIEW (ddl_matview.go).
	matview bool
}

// ctasQuery returns the SELECT a CREATE TABLE AS or SELECT INTO runs
// (without its INTO), for inferring parameter types at Parse time.
func ctasQuery(n *pg_query.Node) (*pg_query.Node, bool) {
	if st := n.GetCreateTableAsStmt(); st != nil && st.Query.GetSelectStmt() != nil {
		return st.Query, true
	}
	if sel := n.GetSelectStmt(); sel != nil && selectInto(sel) != nil {
		return withoutInto(sel), true
	}
	return nil, false
}

// selectInto returns the INTO clause of a SELECT: in a set operation the
// grammar leaves it on the leftmost SELECT (transformSetOperationStmt takes
// it from there).
func selectInto(sel *pg_query.SelectStmt) *pg_query.IntoClause {
	for sel.Op != pg_query.SetOperation_SETOP_NONE && sel.Larg != nil {
		sel = sel.Larg
	}
	return sel.IntoClause
}

// withoutInto returns a copy of sel without its INTO clause (parse trees
// are shared through the parse cache and never modified).
func withoutInto(sel *pg_query.SelectStmt) *pg_query.Node {
	c := proto.Clone(sel).(*pg_query.SelectStmt)
	leftmost := c
	for leftmost.Op != pg_query.SetOperation_SETOP_NONE && leftmost.Larg != nil {
		leftmost = leftmost.Larg
	}
	leftmost.IntoClause = nil
	return &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: c}}
}

func (s *Session) execCreateTableAs(ctx context.Context, st *pg_query.CreateTableAsStmt, w ResultWriter) error {
	src := ctasSource{into: st.Into, ifNotExists: st.IfNotExists, query: st.Query,
		paramTypes: s.utilityParams, args: s.utilityArgs, matview: st.Objtype == pg_query.ObjectType_OBJECT_MATVIEW}
	if src.matview {
		if st.Query.GetSelectStmt() == nil {
			return pgerror.New(pgerror.FeatureNotSupported, "materialized view query must be a SELECT")
		}
		return s.createTableAs(ctx, src, w)
	}
	if ex := st.Query.GetExecuteStmt(); ex != nil {
		ps, ok := s.stmts[ex.Name]
		if !ok {
			return pgerror.New(pgerror.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", ex.Name)
		}
		if ps.utility || ps.p.stmt.GetSelectStmt() == nil {
			return pgerror.New(pgerror.WrongObjectType, "prepared statement is not a SELECT")
		}
		args, err := s.executeArgs(ps, ex.Params)
		if err != nil {
			return err
		}
		ps.generic++
		src.query, src.paramTypes, src.args, src.execute = ps.p.stmt, ps.paramTypes, args, true
	} else if st.Query.GetSelectStmt() == nil {
		return pgerror.New(pgerror.FeatureNotSupported, "CREATE TABLE AS of %s is not supported", nodeName(st.Query))
	}
	return s.createTableAs(ctx, src, w)
}

func (s *Session) execSelectInto(ctx context.Context, sel *pg_query.SelectStmt, w ResultWriter) error {
	return s.createTableAs(ctx, ctasSource{into: selectInto(sel), query: withoutInto(sel),
		paramTypes: s.utilityParams, args: s.utilityArgs}, w)
}

func (s *Session) createTableAs(ctx context.Context, src ctasSource, w ResultWriter) error {
	into := src.into
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	var schema uint32
	if into.Rel.Relpersistence == "t" {
		schema, err = s.tempCreationSchema(cat, into.Rel.Schemaname)
	} else {
		schema, err = s.creationSchema(cat, into.Rel.Schemaname)
	}
	if err != nil {
		return err
	}
	// IF NOT EXISTS is decided before the query is looked at
	// (CreateTableAsRelExists); otherwise the name is checked when the
	// table is created, after the query is analysed.
	if _, _, exists := cat.Relation(schema, into.Rel.Relname); exists && src.ifNotExists {
		w.Notice(pgerror.Notice("relation \"%s\" already exists, skipping", into.Rel.Relname))
		if src.matview {
			return w.Complete("CREATE MATERIALIZED VIEW")
		}
		return w.Complete("CREATE TABLE AS")
	}

	b := newBinder(s, src.paramTypes)
	b.deferErrors = src.paramTypes != nil
	var colDeps []catalog.ColDep
	if src.matview {
		b.colDeps = &colDeps
	}
	q, err := b.bindSelect(src.query.GetSelectStmt(), nil)
	if err != nil {
		return err
	}
	paramTypes := b.params
	var mv *catalog.Table
	if src.matview {
		if mv, err = s.matviewDesc(cat, src, q, len(paramTypes) > 0); err != nil {
			return err
		}
		mv.ColDeps, mv.ColDepsKnown = colDeps, true
		mv.Deps = withColumnRelations(mv.Deps, colDeps)
	}
	cols := targetColumns(q.Targets[:q.Visible]) // unknown becomes text
	if len(into.ColNames) > len(cols) {
		return pgerror.New(pgerror.SyntaxError, "too many column names were specified")
	}
	create := &pg_query.CreateStmt{Relation: into.Rel, Options: into.Options, Oncommit: into.OnCommit}
	for i, c := range cols {
		name := c.Name
		if i < len(into.ColNames) {
			name = strVal(into.ColNames[i])
		}
		if c.Type.Category() == 'P' {
			// CheckAttributeType (heap.c): no column of record, void ...
			return pgerror.New(pgerror.InvalidTableDefinition, "column \"%s\" has pseudo-type %s", name, types.FormatType(c.Type))
		}
		create.TableElts = append(create.TableElts, &pg_query.Node{Node: &pg_query.Node_ColumnDef{ColumnDef: &pg_query.ColumnDef{
			Colname:  name,
			TypeName: &pg_query.TypeName{TypeOid: c.Type.OID, Typemod: c.Type.Typmod},
			IsLocal:  true,
		}}})
	}
	if err := s.execCreateTable(ctx, create, noCompleteWriter{w}); err != nil {
		return err
	}
	if src.matview {
		// relkind 'm' before the rows go in: they are not decoded
		// (logRowChange), and only this INSERT may write them.
		oid := s.finishMatview(cat, mv, schema, into.Rel.Relname, !into.SkipData)
		if into.SkipData {
			return w.Complete("CREATE MATERIALIZED VIEW")
		}
		s.matviewFill = oid
		defer func() { s.matviewFill = 0 }()
	}
	if into.SkipData {
		if src.execute {
			return w.Complete("SELECT 0")
		}
		return w.Complete("CREATE TABLE AS")
	}

	ins := &pg_query.InsertStmt{Relation: into.Rel, SelectStmt: src.query, Override: pg_query.OverridingKind_OVERRIDING_NOT_SET}
	for i := range paramTypes {
		if paramTypes[i].OID == types.UnknownOID || paramTypes[i].OID == 0 {
			paramTypes[i] = types.Text
		}
	}
	n, err := s.runInsert(ctx, ins, paramTypes, src.paramTypes != nil, src.args)
	if err != nil {
		return err
	}
	return w.Complete(fmt.Sprintf("SELECT %d", n))
}

// runInsert plans and runs ins (filling a table created by CREATE TABLE
// AS, or a materialized view being refreshed) and returns the rows written.
func (s *Session) runInsert(ctx context.Context, ins *pg_query.InsertStmt, paramTypes []types.Type, fixedParams bool, args []types.Datum) (int64, error) {
	pl, _, _, err := s.bindAndPlan(&parsed{stmt: &pg_query.Node{Node: &pg_query.Node_InsertStmt{InsertStmt: ins}}}, paramTypes, fixedParams)
	if err != nil {
		return 0, err
	}
	ec, cancel, err := s.openPlan(ctx, pl, args)
	if err != nil {
		return 0, err
	}
	defer cancel()
	for {
		row, err := pl.root.Next(ec)
		if err != nil {
			s.finishPlan(pl, nil)
			return 0, err
		}
		if row == nil {
			break
		}
	}
	s.finishPlan(pl, nil)
	n := pl.writer.RowsAffected()
	s.e.stats.noteWrites(pl.table, n)
	return n, nil
}

// noCompleteWriter passes everything but the command tag through: CREATE
// TABLE AS reports its own.
type noCompleteWriter struct{ ResultWriter }

func (noCompleteWriter) Complete(string) error { return nil }
