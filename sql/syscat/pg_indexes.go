package syscat

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// IndexDef renders CREATE INDEX as pg_get_indexdef does.
func IndexDef(schema string, t *catalog.Table, ix *catalog.Index) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.Unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX " + quoteIdent(ix.Name) + " ON " + quoteIdent(schema) + "." + quoteIdent(t.Name) + " USING btree (")
	for i, c := range ix.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(t.Columns[c].Name))
		if len(ix.Desc) > i && ix.Desc[i] {
			b.WriteString(" DESC")
		}
	}
	b.WriteString(")")
	return b.String()
}

// Indexes lists a table's real indexes: the primary key's (if declared)
// and the secondary ones.
func Indexes(t *catalog.Table) []*catalog.Index {
	var out []*catalog.Index
	if t.Primary.Primary {
		out = append(out, &t.Primary)
	}
	for i := range t.Indexes {
		out = append(out, &t.Indexes[i])
	}
	return out
}

func init() {
	register(&View{Schema: "pg_catalog", Name: "pg_indexes", OID: 12000,
		Cols: []Column{{"schemaname", tName}, {"tablename", tName}, {"indexname", tName}, {"tablespace", tName}, {"indexdef", tText}},
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			cat := env.Catalog()
			for _, s := range cat.Schemas(env.DatabaseOID()) {
				for _, t := range cat.Tables(s.OID) {
					for _, ix := range Indexes(t) {
						rows = append(rows, []types.Datum{text(s.Name), text(t.Name), text(ix.Name), null, text(IndexDef(s.Name, t, ix))})
					}
				}
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_tables", OID: 12001,
		Cols: []Column{{"schemaname", tName}, {"tablename", tName}, {"tableowner", tName}, {"tablespace", tName},
			{"hasindexes", tBool}, {"hasrules", tBool}, {"hastriggers", tBool}, {"rowsecurity", tBool}},
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			cat := env.Catalog()
			for _, s := range cat.Schemas(env.DatabaseOID()) {
				for _, t := range cat.Tables(s.OID) {
					if t.Kind != catalog.RelTable {
						continue
					}
					owner := "postgres"
					if r := cat.Role(t.Owner); r != nil {
						owner = r.Name
					}
					rows = append(rows, []types.Datum{text(s.Name), text(t.Name), text(owner), null,
						boolean(len(Indexes(t)) > 0), boolean(false), boolean(len(t.ForeignKeys) > 0), boolean(false)})
				}
			}
			return rows, nil
		}})
}

func quoteIdent(s string) string {
	plain := s != ""
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || (i > 0 && (r >= '0' && r <= '9' || r == '$'))) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
