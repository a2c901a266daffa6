package sql

import (
	"context"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
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
	cat, _, t, err := s.indexTarget(ctx, st)
	if err != nil {
		return err
	}
	ix := catalog.Index{Method: "gin"}
	ie := st.IndexParams[0].GetIndexElem()
	nameHint := ie.Name
	if ie.Expr != nil {
		if err := s.ginExpression(t, ie.Expr, &ix); err != nil {
			return err
		}
		nameHint = "to_tsvector"
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

// ginExpression reads to_tsvector('config'[::regconfig], document), the
// one expression a GIN index may have here. The document is a text column,
// or text columns and literals joined by || and coalesce (the usual
// title || ' ' || body with each column in a coalesce), which the executor
// evaluates itself (executor/gin.go).
func (s *Session) ginExpression(t *catalog.Table, e *pg_query.Node, ix *catalog.Index) error {
	unsupported := pgerror.New(pgerror.FeatureNotSupported, "GIN indexes on expressions other than to_tsvector('config', text columns joined by || and coalesce) are not supported yet")
	fc := e.GetFuncCall()
	if fc == nil || len(fc.Funcname) == 0 {
		return unsupported
	}
	name := fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	if !strings.EqualFold(name, "to_tsvector") {
		return unsupported
	}
	if len(fc.Args) == 1 {
		return pgerror.New(pgerror.InvalidObjectDefinition, "functions in index expression must be marked IMMUTABLE")
	}
	if len(fc.Args) != 2 {
		return unsupported
	}
	cfgNode := fc.Args[0]
	if tc := cfgNode.GetTypeCast(); tc != nil {
		cfgNode = tc.Arg
	}
	k := cfgNode.GetAConst()
	if k == nil || k.GetSval() == nil {
		return unsupported
	}
	cfg, err := types.ParseRegconfig(k.GetSval().Sval)
	if err != nil {
		return err
	}
	ix.TSConfig = cfg
	if cr := fc.Args[1].GetColumnRef(); cr != nil {
		col, err := ginColumn(t, cr)
		if err != nil {
			return err
		}
		ix.Columns = []int{col}
		return nil
	}
	doc, err := ginDoc(t, fc.Args[1], &ix.Columns)
	if err != nil {
		return err
	}
	if doc == nil {
		return unsupported
	}
	sqlText, err := deparseExpr(e)
	if err != nil {
		return err
	}
	b := newBinder(s, nil)
	be, err := b.bindExpr(e, &scope{cols: tableScope(t, t.Name, 0)}, types.TSVectorType)
	if err != nil {
		return err
	}
	ix.GIN = &catalog.GINExpr{SQL: sqlText, Match: bound.Format(finalize(be)), Doc: doc}
	return nil
}

// ginColumn resolves a column of the document; it must be of a string type.
func ginColumn(t *catalog.Table, cr *pg_query.ColumnRef) (int, error) {
	if len(cr.Fields) == 0 || cr.Fields[len(cr.Fields)-1].GetString_() == nil {
		return 0, pgerror.New(pgerror.FeatureNotSupported, "GIN index expressions need plain column references")
	}
	colName := cr.Fields[len(cr.Fields)-1].GetString_().GetSval()
	col, _ := t.ColumnByName(colName)
	if col < 0 {
		return 0, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" does not exist", colName)
	}
	if !t.Columns[col].Type.IsString() {
		return 0, pgerror.New(pgerror.FeatureNotSupported, "GIN index documents must be text columns (column \"%s\" is %s)", colName, types.FormatType(t.Columns[col].Type))
	}
	return col, nil
}

// ginDoc translates a document expression (nil: not one this server can
// index), adding the columns it reads to cols.
func ginDoc(t *catalog.Table, n *pg_query.Node, cols *[]int) (*catalog.TSDocExpr, error) {
	switch {
	case n.GetColumnRef() != nil:
		col, err := ginColumn(t, n.GetColumnRef())
		if err != nil {
			return nil, err
		}
		if !slices.Contains(*cols, col) {
			*cols = append(*cols, col)
		}
		return &catalog.TSDocExpr{Op: "col", Col: col}, nil
	case n.GetAConst() != nil:
		if sv := n.GetAConst().GetSval(); sv != nil {
			return &catalog.TSDocExpr{Op: "lit", Lit: sv.Sval}, nil
		}
	case n.GetTypeCast() != nil:
		tc := n.GetTypeCast()
		if names := tc.TypeName.GetNames(); len(names) > 0 && names[len(names)-1].GetString_().GetSval() == "text" {
			return ginDoc(t, tc.Arg, cols)
		}
	case n.GetAExpr() != nil:
		ae := n.GetAExpr()
		if ae.Kind != pg_query.A_Expr_Kind_AEXPR_OP || len(ae.Name) != 1 || ae.Name[0].GetString_().GetSval() != "||" || ae.Lexpr == nil {
			return nil, nil
		}
		l, err := ginDoc(t, ae.Lexpr, cols)
		if l == nil || err != nil {
			return nil, err
		}
		r, err := ginDoc(t, ae.Rexpr, cols)
		if r == nil || err != nil {
			return nil, err
		}
		return &catalog.TSDocExpr{Op: "cat", Args: []catalog.TSDocExpr{*l, *r}}, nil
	case n.GetCoalesceExpr() != nil:
		out := &catalog.TSDocExpr{Op: "coalesce"}
		for _, a := range n.GetCoalesceExpr().Args {
			x, err := ginDoc(t, a, cols)
			if x == nil || err != nil {
				return nil, err
			}
			out.Args = append(out.Args, *x)
		}
		return out, nil
	}
	return nil, nil
}
