package syscat

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// The schemas every database has without a catalog entry of its own.
var builtinSchemas = []*catalog.Schema{
	{OID: catalog.PgCatalogOID, Name: "pg_catalog", Owner: catalog.PostgresRoleOID},
	{OID: catalog.InfoSchemaOID, Name: "information_schema", Owner: catalog.PostgresRoleOID},
	{OID: 99, Name: "pg_toast", Owner: catalog.PostgresRoleOID},
}

// Schemas lists the schemas of the session's database, built-in ones first.
func Schemas(env bound.Env) []*catalog.Schema {
	out := append([]*catalog.Schema(nil), builtinSchemas...)
	return append(out, env.Catalog().Schemas(env.DatabaseOID())...)
}

func init() {
	register(&View{Schema: "pg_catalog", Name: "pg_namespace", OID: 2615,
		Cols: []Column{{"oid", tOID}, {"nspname", tName}, {"nspowner", tOID}, {"nspacl", types.Type{OID: types.TextArrayOID, Typmod: -1}}},
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, s := range Schemas(env) {
				rows = append(rows, []types.Datum{oid(s.OID), text(s.Name), oid(s.Owner), null})
			}
			return rows, nil
		}})
}
