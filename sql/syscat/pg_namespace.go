package syscat

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// The schemas every database has without a catalog entry of its own.
var builtinSchemas = []*catalog.Schema{
	{OID: 99, Name: "pg_toast", Owner: catalog.PostgresRoleOID},
	{OID: catalog.PgCatalogOID, Name: "pg_catalog", Owner: catalog.PostgresRoleOID},
	{OID: catalog.InfoSchemaOID, Name: "information_schema", Owner: catalog.PostgresRoleOID},
}

// Schemas lists the schemas of the session's database, built-in ones first.
func Schemas(env bound.Env) []*catalog.Schema {
	out := append([]*catalog.Schema(nil), builtinSchemas...)
	return append(out, env.Catalog().Schemas(env.DatabaseOID())...)
}

// SchemaByOID finds a schema of the session's database (built-in ones
// included).
func SchemaByOID(env bound.Env, oid uint32) *catalog.Schema {
	for _, s := range builtinSchemas {
		if s.OID == oid {
			return s
		}
	}
	if s := env.Catalog().Schema(oid); s != nil && s.Database == env.DatabaseOID() {
		return s
	}
	return nil
}

func init() {
	register(&View{Schema: "pg_catalog", Name: "pg_namespace", OID: 2615, Kind: 'r',
		Cols: cols(`oid oid, nspname name, nspowner oid, nspacl aclitem[]`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, s := range Schemas(env) {
				acl := null
				if a := builtins.SchemaACL(s); a != nil {
					acl = textArray(a)
				}
				rows = append(rows, []types.Datum{oid(s.OID), text(s.Name), oid(builtins.SchemaOwner(s)), acl})
			}
			return rows, nil
		}})
}
