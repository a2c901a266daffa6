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
	validUntil                           *int64
}

// validUntil is rolvaliduntil: NULL, or a timestamptz.
func (r roleRow) validUntilDatum() types.Datum {
	if r.validUntil == nil {
		return null
	}
	return types.NewTimestampTZ(*r.validUntil)
}

func roleRows(env bound.Env) []roleRow {
	var out []roleRow
	cat := env.Catalog()
	roles := cat.Roles()
	i := 0
	emit := func(r *catalog.Role) {
		out = append(out, roleRow{oid: r.OID, name: r.Name, super: r.Superuser, inherit: !r.NoInherit, createRole: r.CreateRole,
			createDB: r.CreateDB, login: r.Login, replication: r.Replication, bypassRLS: r.BypassRLS,
			connLimit: int64(r.ConnLimit), password: r.Password, validUntil: r.ValidUntil})
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
					boolean(r.bypassRLS), i64(r.connLimit), textOrNull(r.password), r.validUntilDatum()})
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
					r.validUntilDatum(), boolean(r.bypassRLS), null, oid(r.oid)})
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
					boolean(r.replication), boolean(r.bypassRLS), text("********"), r.validUntilDatum(), null})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_shadow", OID: 12005,
		Cols: cols(`usename name, usesysid oid, usecreatedb boolean, usesuper boolean, userepl boolean,
			usebypassrls boolean, passwd text, valuntil timestamp with time zone, useconfig text[]`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, r := range roleRows(env) {
				if !r.login {
					continue
				}
				rows = append(rows, []types.Datum{text(r.name), oid(r.oid), boolean(r.createDB), boolean(r.super),
					boolean(r.replication), boolean(r.bypassRLS), textOrNull(r.password), r.validUntilDatum(), null})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_stat_database", OID: 12266,
		Cols: cols(`datid oid, datname name, numbackends integer, xact_commit bigint, xact_rollback bigint,
			blks_read bigint, blks_hit bigint, tup_returned bigint, tup_fetched bigint, tup_inserted bigint,
			tup_updated bigint, tup_deleted bigint, conflicts bigint, temp_files bigint, temp_bytes bigint,
			deadlocks bigint, checksum_failures bigint, checksum_last_failure timestamp with time zone,
			blk_read_time double precision, blk_write_time double precision, session_time double precision,
			active_time double precision, idle_in_transaction_time double precision, sessions bigint,
			sessions_abandoned bigint, sessions_fatal bigint, sessions_killed bigint,
			stats_reset timestamp with time zone`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, d := range env.Catalog().Databases() {
				r := make([]types.Datum, 28)
				for i := range r {
					r[i] = i64(0)
				}
				for _, i := range []int{18, 19, 20, 21, 22} {
					r[i] = float(0)
				}
				r[0], r[1], r[16], r[17], r[27] = oid(d.OID), text(d.Name), null, null, null
				rows = append(rows, r)
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
				acl := null
				if d.Template {
					// initdb revokes CREATE and TEMP from PUBLIC on the templates.
					owner := "postgres"
					if r := env.Catalog().Role(d.Owner); r != nil {
						owner = r.Name
					}
					acl = textArray([]string{"=c/" + owner, owner + "=CTc/" + owner})
				}
				rows = append(rows, []types.Datum{oid(d.OID), text(d.Name), oid(d.Owner), i64(6), char('c'), boolean(d.Template),
					boolean(!d.NoConnections), i64(-1), oid(716), oid(1), oid(1663), text("C"), text("C"), null, null, acl})
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
