package sql

import (
	"context"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// execCreateGINIndex is CREATE INDEX ... USING gin for full-text search:
// on a tsvector column, or on to_tsvector('config', text_column) with the
// configuration spelled out (PostgreSQL refuses the one-argument form in
// an index: it depends on a setting, so it is not immutable). The entries
// are kept by the executor (executor/gin.go); the planner uses the index
// for `indexed @@ query` (planner/gin.go).
func (s *Session) execCreateGINIndex(ctx context.Context, st *pg_query.IndexStmt, w ResultWriter) error {
	if st.Unique {
		return pgerror.New(pgerror.FeatureNotSupported, "access method \"gin\" does not support unique indexes")
	}
	if st.WhereClause != nil {
		return pgerror.New(pgerror.FeatureNotSupported, "partial indexes are not supported yet")
	}
	if len(st.IndexParams) != 1 {
		return pgerror.New(pgerror.FeatureNotSupported, "multicolumn GIN indexes are not supported yet")
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	old, err := s.resolveTable(cat, st.Relation)
	if err != nil {
		return err
	}
	if old.Kind != catalog.RelTable {
		return pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a table", old.Name)
	}
	t := old.Clone()
	ix := catalog.Index{Method: "gin"}
	ie := st.IndexParams[0].GetIndexElem()
	nameHint := ie.Name
	if ie.Expr != nil {
		col, cfg, err := ginExpression(t, ie.Expr)
		if err != nil {
			return err
		}
		ix.Columns, ix.TSConfig, nameHint = []int{col}, cfg, "to_tsvector"
	} else {
		col, _ := t.ColumnByName(ie.Name)
		if col < 0 {
			return pgerror.New(pgerror.UndefinedColumn, "column \"%s\" does not exist", ie.Name)
		}
		if ct := t.Columns[col].Type; ct.OID != types.TSVectorOID {
			return pgerror.New(pgerror.UndefinedObject, "data type %s has no default operator class for access method \"gin\"", types.FormatType(ct)).
				WithHint("You must specify an operator class for the index or define a default operator class for the data type.")
		}
		ix.Columns = []int{col}
	}
	ix.Name = st.Idxname
	if ix.Name == "" {
		ix.Name = uniqueName(cat, t.Schema, t.Name+"_"+nameHint+"_idx")
	} else if _, _, exists := cat.Relation(t.Schema, ix.Name); exists {
		if st.IfNotExists {
			w.Notice(pgerror.Notice("relation \"%s\" already exists, skipping", ix.Name))
			return w.Complete("CREATE INDEX")
		}
		return pgerror.New(pgerror.DuplicateTable, "relation \"%s\" already exists", ix.Name)
	}
	ix.ID, ix.OID = t.NextIndexID, cat.AllocOID()
	t.NextIndexID++
	t.Indexes = append(t.Indexes, ix)
	if err := executor.BackfillGIN(s.execCtx(ctx), executor.NewTableCodec(t), ix.ID); err != nil {
		return err
	}
	cat.PutTable(t)
	return w.Complete("CREATE INDEX")
}

// ginExpression reads to_tsvector('config'[::regconfig], column), the one
// expression a GIN index may have here, and returns the column's position
// and the configuration.
func ginExpression(t *catalog.Table, e *pg_query.Node) (int, uint32, error) {
	unsupported := pgerror.New(pgerror.FeatureNotSupported, "GIN indexes on expressions other than to_tsvector('config', column) are not supported yet")
	fc := e.GetFuncCall()
	if fc == nil || len(fc.Funcname) == 0 {
		return 0, 0, unsupported
	}
	name := fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	if !strings.EqualFold(name, "to_tsvector") {
		return 0, 0, unsupported
	}
	if len(fc.Args) == 1 {
		return 0, 0, pgerror.New(pgerror.InvalidObjectDefinition, "functions in index expression must be marked IMMUTABLE")
	}
	if len(fc.Args) != 2 {
		return 0, 0, unsupported
	}
	cfgNode := fc.Args[0]
	if tc := cfgNode.GetTypeCast(); tc != nil {
		cfgNode = tc.Arg
	}
	k := cfgNode.GetAConst()
	if k == nil || k.GetSval() == nil {
		return 0, 0, unsupported
	}
	cfg, err := types.ParseRegconfig(k.GetSval().Sval)
	if err != nil {
		return 0, 0, err
	}
	cr := fc.Args[1].GetColumnRef()
	if cr == nil || len(cr.Fields) == 0 {
		return 0, 0, unsupported
	}
	colName := cr.Fields[len(cr.Fields)-1].GetString_().GetSval()
	col, _ := t.ColumnByName(colName)
	if col < 0 {
		return 0, 0, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" does not exist", colName)
	}
	if !t.Columns[col].Type.IsString() {
		return 0, 0, unsupported
	}
	return col, cfg, nil
}
