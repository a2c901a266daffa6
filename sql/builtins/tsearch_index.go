package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// GINKeyText is the key of a full-text GIN index as pg_get_indexdef
// prints it: to_tsvector('english'::regconfig, body), or the tsvector
// column's name.
func GINKeyText(t *catalog.Table, ix *catalog.Index) string {
	if ix.GIN != nil {
		d := &Deparser{Rels: []DeparseRel{{Ref: t.Name, Table: t}}}
		return d.DeparseExpr(ix.GIN.SQL, types.TSVectorType)
	}
	col := QuoteIdent(t.Columns[ix.Columns[0]].Name)
	if ix.TSConfig == 0 {
		return col
	}
	return "to_tsvector('" + types.TSConfigName(ix.TSConfig) + "'::regconfig, " + col + ")"
}
