package syscat

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Roles, databases, tablespaces: the cluster-wide catalogs.

// roleRow is one pg_authid row.
type roleRow struct {
	oid                                  uint32
	name                                 string
	super, inherit, createRole, createDB bool
	login, replication, bypassRLS        bool
	connLimit                            int64
	password                             string
}

func roleRows(env bound.Env) []roleRow {
	var out []roleRow
	cat := env.Catalog()
	roles := cat.Roles()
	i := 0
	emit := func(r *catalog.Role) {
		out = append(out, roleRow{oid: r.OID, name: r.Name, super: r.Superuser, inherit: true, createRole: r.Superuser,
			createDB: r.Superuser, login: r.Login, replication: r.Superuser, bypassRLS: r.Superuser,
			connLimit: int64(r.ConnLimit), password: r.Password})
	}
	// Catalog roles and the predefined ones, by OID.
	for _, p := range builtins.PredefinedRoles {
		for i < len(roles) && roles[i].OID < p.OID {
			emit(roles[i])
			i++
		}
		if cat.Role(p.OID) == nil {
			out = append(out, roleRow{oid: p.OID, name: p.Name, inherit: true, connLimit: -1})
		}
	}
	for ; i < len(roles); i++ {
		emit(roles[i])
	}
	return out
}

func init() {
	register(&View{Schema: "pg_catalog", Name: "pg_authid", OID: 1260, Kind: 'r',
		Cols: cols(`oid oid, rolname name, rolsuper boolean, rolinherit boolean, rolcreaterole boolean,
			rolcreatedb boolean, rolcanlogin boolean, rolreplication boolean, rolbypassrls boolean,
			rolconnlimit integer, rolpassword text, rolvaliduntil timestamp with time zone`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, r := range roleRows(env) {
				rows = append(rows, []types.Datum{oid(r.oid), text(r.name), boolean(r.super), boolean(r.inherit),
					boolean(r.createRole), boolean(r.createDB), boolean(r.login), boolean(r.replication),
					boolean(r.bypassRLS), i64(r.connLimit), textOrNull(r.password), null})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_roles", OID: 12000,
		Cols: cols(`rolname name, rolsuper boolean, rolinherit boolean, rolcreaterole boolean, rolcreatedb boolean,
			rolcanlogin boolean, rolreplication boolean, rolconnlimit integer, rolpassword text,
			rolvaliduntil timestamp with time zone, rolbypassrls boolean, rolconfig text[], oid oid`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, r := range roleRows(env) {
				rows = append(rows, []types.Datum{text(r.name), boolean(r.super), boolean(r.inherit), boolean(r.createRole),
					boolean(r.createDB), boolean(r.login), boolean(r.replication), i64(r.connLimit), text("********"),
					null, boolean(r.bypassRLS), null, oid(r.oid)})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_user", OID: 12014,
		Cols: cols(`usename name, usesysid oid, usecreatedb boolean, usesuper boolean, userepl boolean,
			usebypassrls boolean, passwd text, valuntil timestamp with time zone, useconfig text[]`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, r := range roleRows(env) {
				if !r.login {
					continue
				}
				rows = append(rows, []types.Datum{text(r.name), oid(r.oid), boolean(r.createDB), boolean(r.super),
					boolean(r.replication), boolean(r.bypassRLS), text("********"), null, null})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_auth_members", OID: 1261, Kind: 'r',
		Cols: cols(`roleid oid, member oid, grantor oid, admin_option boolean`),
		Rows: func(bound.Env) ([][]types.Datum, error) { return nil, nil }})

	register(&View{Schema: "pg_catalog", Name: "pg_database", OID: 1262, Kind: 'r',
		Cols: cols(`oid oid, datname name, datdba oid, encoding integer, datlocprovider "char", datistemplate boolean,
			datallowconn boolean, datconnlimit integer, datfrozenxid xid, datminmxid xid, dattablespace oid,
			datcollate text, datctype text, daticulocale text, datcollversion text, datacl aclitem[]`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, d := range env.Catalog().Databases() {
				rows = append(rows, []types.Datum{oid(d.OID), text(d.Name), oid(d.Owner), i64(6), char('c'), boolean(false),
					boolean(true), i64(-1), oid(716), oid(1), oid(1663), text("C"), text("C"), null, null, null})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_tablespace", OID: 1213, Kind: 'r',
		Cols: cols(`oid oid, spcname name, spcowner oid, spcacl aclitem[], spcoptions text[]`),
		Rows: func(bound.Env) ([][]types.Datum, error) {
			return [][]types.Datum{
				{oid(1663), text("pg_default"), oid(catalog.PostgresRoleOID), null, null},
				{oid(1664), text("pg_global"), oid(catalog.PostgresRoleOID), null, null},
			}, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_db_role_setting", OID: 2964, Kind: 'r',
		Cols: cols(`setdatabase oid, setrole oid, setconfig text[]`),
		Rows: func(bound.Env) ([][]types.Datum, error) { return nil, nil }})
	register(&View{Schema: "pg_catalog", Name: "pg_shdescription", OID: 2396, Kind: 'r',
		Cols: cols(`objoid oid, classoid oid, description text`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, d := range env.Catalog().Databases() {
				if desc := builtins.DatabaseDescription(d); desc != "" {
					rows = append(rows, []types.Datum{oid(d.OID), oid(1262), text(desc)})
				}
			}
			return rows, nil
		}})
}
