package syscat

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Catalogs of features this server does not have: they exist, with
// PostgreSQL 15's columns, so that clients' catalog queries bind and
// find nothing.
var emptyCatalogs = []struct {
	name string
	oid  uint32
	kind byte
	cols string
}{
	{"pg_trigger", 2620, 'r', `oid oid, tgrelid oid, tgparentid oid, tgname name, tgfoid oid, tgtype smallint,
		tgenabled "char", tgisinternal boolean, tgconstrrelid oid, tgconstrindid oid, tgconstraint oid,
		tgdeferrable boolean, tginitdeferred boolean, tgnargs smallint, tgattr int2vector, tgargs bytea,
		tgqual pg_node_tree, tgoldtable name, tgnewtable name`},
	{"pg_policy", 3256, 'r', `oid oid, polname name, polrelid oid, polcmd "char", polpermissive boolean,
		polroles oid[], polqual pg_node_tree, polwithcheck pg_node_tree`},
	{"pg_publication_namespace", 6237, 'r', `oid oid, pnpubid oid, pnnspid oid`},
	{"pg_subscription", 6100, 'r', `oid oid, subdbid oid, subskiplsn pg_lsn, subname name, subowner oid,
		subenabled boolean, subbinary boolean, substream boolean, subtwophasestate "char", subdisableonerr boolean,
		subconninfo text, subslotname name, subsynccommit text, subpublications text[]`},
	{"pg_shdepend", 1214, 'r', `dbid oid, classid oid, objid oid, objsubid integer, refclassid oid, refobjid oid, deptype "char"`},
	{"pg_foreign_table", 3118, 'r', `ftrelid oid, ftserver oid, ftoptions text[]`},
	{"pg_foreign_server", 1417, 'r', `oid oid, srvname name, srvowner oid, srvfdw oid, srvtype text, srvversion text,
		srvacl aclitem[], srvoptions text[]`},
	{"pg_foreign_data_wrapper", 2328, 'r', `oid oid, fdwname name, fdwowner oid, fdwhandler oid, fdwvalidator oid,
		fdwacl aclitem[], fdwoptions text[]`},
	{"pg_user_mapping", 1418, 'r', `oid oid, umuser oid, umserver oid, umoptions text[]`},
	{"pg_statistic_ext", 3381, 'r', `oid oid, stxrelid oid, stxname name, stxnamespace oid, stxowner oid,
		stxstattarget integer, stxkeys int2vector, stxkind "char"[], stxexprs pg_node_tree`},
	{"pg_event_trigger", 3466, 'r', `oid oid, evtname name, evtevent name, evtowner oid, evtfoid oid,
		evtenabled "char", evttags text[]`},
	{"pg_conversion", 2607, 'r', `oid oid, conname name, connamespace oid, conowner oid, conforencoding integer,
		contoencoding integer, conproc regproc, condefault boolean`},
	{"pg_opfamily", 2753, 'r', `oid oid, opfmethod oid, opfname name, opfnamespace oid, opfowner oid`},
	{"pg_largeobject_metadata", 2995, 'r', `oid oid, lomowner oid, lomacl aclitem[]`},
	{"pg_enum", 3501, 'r', `oid oid, enumtypid oid, enumsortorder real, enumlabel name`},
	{"pg_range", 3541, 'r', `rngtypid oid, rngsubtype oid, rngmultitypid oid, rngcollation oid, rngsubopc oid,
		rngcanonical regproc, rngsubdiff regproc`},
	{"pg_seclabel", 3596, 'r', `objoid oid, classoid oid, objsubid integer, provider text, label text`},
	{"pg_shseclabel", 3592, 'r', `objoid oid, classoid oid, provider text, label text`},
	{"pg_default_acl", 826, 'r', `oid oid, defaclrole oid, defaclnamespace oid, defaclobjtype "char", defaclacl aclitem[]`},
	{"pg_transform", 3576, 'r', `oid oid, trftype oid, trflang oid, trffromsql regproc, trftosql regproc`},
	{"pg_cast", 2605, 'r', `oid oid, castsource oid, casttarget oid, castfunc oid, castcontext "char", castmethod "char"`},
	{"pg_ts_config", 3602, 'r', `oid oid, cfgname name, cfgnamespace oid, cfgowner oid, cfgparser oid`},
	{"pg_ts_dict", 3600, 'r', `oid oid, dictname name, dictnamespace oid, dictowner oid, dicttemplate oid, dictinitoption text`},
	{"pg_ts_parser", 3601, 'r', `oid oid, prsname name, prsnamespace oid, prsstart regproc, prstoken regproc,
		prsend regproc, prsheadline regproc, prslextype regproc`},
	{"pg_ts_template", 3764, 'r', `oid oid, tmplname name, tmplnamespace oid, tmplinit regproc, tmpllexize regproc`},
	{"pg_amop", 2602, 'r', `oid oid, amopfamily oid, amoplefttype oid, amoprighttype oid, amopstrategy smallint,
		amoppurpose "char", amopopr oid, amopmethod oid, amopsortfamily oid`},
	{"pg_amproc", 2603, 'r', `oid oid, amprocfamily oid, amproclefttype oid, amprocrighttype oid, amprocnum smallint, amproc regproc`},
	{"pg_seclabels", 12099, 'v', `objoid oid, classoid oid, objsubid integer, objtype text, objnamespace oid, objname text,
		provider text, label text`},
	{"pg_policies", 12018, 'v', `schemaname name, tablename name, policyname name, permissive text, roles name[], cmd text,
		qual text, with_check text`},
	{"pg_rules", 12023, 'v', `schemaname name, tablename name, rulename name, definition text`},
	{"pg_group", 12010, 'v', `groname name, grosysid oid, grolist oid[]`},
	{"pg_prepared_xacts", 12090, 'v', `transaction xid, gid text, prepared timestamp with time zone, owner name, database name`},
}

// plpgsqlOID is the extension every PostgreSQL 15 database has.
const plpgsqlOID = 13559

func init() {
	for _, e := range emptyCatalogs {
		register(&View{Schema: "pg_catalog", Name: e.name, OID: e.oid, Kind: e.kind, Cols: cols(e.cols),
			Rows: func(bound.Env) ([][]types.Datum, error) { return nil, nil }})
	}
	register(&View{Schema: "pg_catalog", Name: "pg_available_extensions", OID: 12081,
		Cols: cols(`name name, default_version text, installed_version text, comment text`),
		Rows: func(bound.Env) ([][]types.Datum, error) {
			return [][]types.Datum{{text("plpgsql"), text("1.0"), text("1.0"), text("PL/pgSQL procedural language")}}, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_operator", OID: 2617, Kind: 'r',
		Cols: cols(`oid oid, oprname name, oprnamespace oid, oprowner oid, oprkind "char", oprcanmerge boolean,
			oprcanhash boolean, oprleft oid, oprright oid, oprresult oid, oprcom oid, oprnegate oid, oprcode regproc,
			oprrest regproc, oprjoin regproc`),
		Rows: func(bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, op := range builtins.Operators() {
				kind := byte('b')
				if op.Left == 0 {
					kind = 'l'
				}
				rows = append(rows, []types.Datum{oid(op.OID), text(op.Name), oid(catalog.PgCatalogOID), oid(catalog.PostgresRoleOID),
					char(kind), boolean(false), boolean(false), oid(op.Left), oid(op.Right), oid(op.Result.OID), oid(0), oid(0),
					oid(0), oid(0), oid(0)})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_extension", OID: 3079, Kind: 'r',
		Cols: cols(`oid oid, extname name, extowner oid, extnamespace oid, extrelocatable boolean, extversion text,
			extconfig oid[], extcondition text[]`),
		Rows: func(bound.Env) ([][]types.Datum, error) {
			return [][]types.Datum{{oid(plpgsqlOID), text("plpgsql"), oid(catalog.PostgresRoleOID), oid(catalog.PgCatalogOID),
				boolean(false), text("1.0"), null, null}}, nil
		}})
}
