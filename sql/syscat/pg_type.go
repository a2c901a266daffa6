package syscat

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// pgTypeRow is what pg_type says of a type beyond sql/types' knowledge.
type pgTypeRow struct {
	typtype, delim, subscript    string
	input, output, receive, send string
	modin, modout, analyze       string
	storage                      string
	collation                    uint32
}

// typeRow describes one pg_type row.
func typeRows() []types.Type { return types.KnownTypes() }

func init() {
	pgType := &View{Schema: "pg_catalog", Name: "pg_type", OID: 1247, Kind: 'r',
		Cols: cols(`oid oid, typname name, typnamespace oid, typowner oid, typlen smallint, typbyval boolean,
			typtype "char", typcategory "char", typispreferred boolean, typisdefined boolean, typdelim "char",
			typrelid oid, typsubscript regproc, typelem oid, typarray oid, typinput regproc, typoutput regproc,
			typreceive regproc, typsend regproc, typmodin regproc, typmodout regproc, typanalyze regproc,
			typalign "char", typstorage "char", typnotnull boolean, typbasetype oid, typtypmod integer,
			typndims integer, typcollation oid, typdefaultbin pg_node_tree, typdefault text, typacl aclitem[]`)}
	pgType.Rows = func(env bound.Env) ([][]types.Datum, error) {
		var rows [][]types.Datum
		for _, t := range typeRows() {
			v := pgType
			r := v.row()
			d, ok := pgTypeData[t.OID]
			if !ok {
				d = pgTypeRow{typtype: "b", delim: ",", subscript: "-", input: "-", output: "-", receive: "-", send: "-",
					modin: "-", modout: "-", analyze: "-", storage: string(typeStorage(t))}
			}
			elem, _ := t.Elem()
			if t.OID == types.NameOID {
				elem = types.Char // name is subscriptable: a fixed array of "char"
			}
			arr, _ := types.ArrayOf(t)
			v.set(r, "oid", oid(t.OID))
			v.set(r, "typname", text(t.Name()))
			v.set(r, "typnamespace", oid(catalog.PgCatalogOID))
			v.set(r, "typowner", oid(catalog.PostgresRoleOID))
			v.set(r, "typlen", i64(int64(t.Len())))
			v.set(r, "typbyval", boolean(t.ByVal()))
			v.set(r, "typtype", text(d.typtype))
			v.set(r, "typcategory", char(t.Category()))
			v.set(r, "typispreferred", boolean(t.Preferred()))
			v.set(r, "typisdefined", boolean(true))
			v.set(r, "typdelim", text(d.delim))
			v.set(r, "typrelid", oid(0))
			v.set(r, "typsubscript", regproc(d.subscript))
			v.set(r, "typelem", oid(elem.OID))
			v.set(r, "typarray", oid(arr.OID))
			if types.IsVectorType(t.OID) {
				v.set(r, "typarray", oid(map[uint32]uint32{types.Int2VectorOID: 1006, types.OIDVectorOID: 1013}[t.OID]))
			}
			v.set(r, "typinput", regproc(d.input))
			v.set(r, "typoutput", regproc(d.output))
			v.set(r, "typreceive", regproc(d.receive))
			v.set(r, "typsend", regproc(d.send))
			v.set(r, "typmodin", regproc(d.modin))
			v.set(r, "typmodout", regproc(d.modout))
			v.set(r, "typanalyze", regproc(d.analyze))
			v.set(r, "typalign", char(t.Align()))
			v.set(r, "typstorage", text(d.storage))
			v.set(r, "typnotnull", boolean(false))
			v.set(r, "typbasetype", oid(0))
			v.set(r, "typtypmod", i64(-1))
			v.set(r, "typndims", i64(0))
			v.set(r, "typcollation", oid(d.collation))
			rows = append(rows, r)
		}
		return rows, nil
	}
	register(pgType)

	am := &View{Schema: "pg_catalog", Name: "pg_am", OID: 2601, Kind: 'r',
		Cols: cols(`oid oid, amname name, amhandler regproc, amtype "char"`)}
	am.Rows = func(bound.Env) ([][]types.Datum, error) {
		return [][]types.Datum{
			{oid(2), text("heap"), regproc("heap_tableam_handler"), char('t')},
			{oid(403), text("btree"), regproc("bthandler"), char('i')},
			{oid(405), text("hash"), regproc("hashhandler"), char('i')},
			{oid(783), text("gist"), regproc("gisthandler"), char('i')},
			{oid(2742), text("gin"), regproc("ginhandler"), char('i')},
			{oid(4000), text("spgist"), regproc("spghandler"), char('i')},
			{oid(3580), text("brin"), regproc("brinhandler"), char('i')},
		}, nil
	}
	register(am)

	coll := &View{Schema: "pg_catalog", Name: "pg_collation", OID: 3456, Kind: 'r',
		Cols: cols(`oid oid, collname name, collnamespace oid, collowner oid, collprovider "char",
			collisdeterministic boolean, collencoding integer, collcollate text, collctype text,
			colliculocale text, collversion text`)}
	coll.Rows = func(bound.Env) ([][]types.Datum, error) {
		mk := func(o uint32, name string, prov byte, enc int64, collate string) []types.Datum {
			return []types.Datum{oid(o), text(name), oid(catalog.PgCatalogOID), oid(catalog.PostgresRoleOID), char(prov),
				boolean(true), i64(enc), textOrNull(collate), textOrNull(collate), null, null}
		}
		return [][]types.Datum{mk(100, "default", 'd', -1, ""), mk(950, "C", 'c', -1, "C"), mk(951, "POSIX", 'c', -1, "POSIX"),
			mk(962, "ucs_basic", 'c', 6, "C")}, nil
	}
	register(coll)

	opclass := &View{Schema: "pg_catalog", Name: "pg_opclass", OID: 2616, Kind: 'r',
		Cols: cols(`oid oid, opcmethod oid, opcname name, opcnamespace oid, opcowner oid, opcfamily oid,
			opcintype oid, opcdefault boolean, opckeytype oid`)}
	opclass.Rows = func(bound.Env) ([][]types.Datum, error) {
		var rows [][]types.Datum
		seen := map[uint32]bool{}
		for _, t := range typeRows() {
			oc := btreeOpclass(t)
			if oc == 0 || seen[oc] || t.OID == types.VarcharOID {
				continue
			}
			seen[oc] = true
			in := t.OID
			name := t.Name() + "_ops"
			if oc == 10000 {
				in, name = types.AnyArrayOID, "array_ops"
			}
			rows = append(rows, []types.Datum{oid(oc), oid(403), text(name), oid(catalog.PgCatalogOID),
				oid(catalog.PostgresRoleOID), oid(0), oid(in), boolean(true), oid(0)})
		}
		return rows, nil
	}
	register(opclass)

	lang := &View{Schema: "pg_catalog", Name: "pg_language", OID: 2612, Kind: 'r',
		Cols: cols(`oid oid, lanname name, lanowner oid, lanispl boolean, lanpltrusted boolean,
			lanplcallfoid oid, laninline oid, lanvalidator oid, lanacl aclitem[]`)}
	lang.Rows = func(bound.Env) ([][]types.Datum, error) {
		mk := func(o uint32, name string, pl, trusted bool) []types.Datum {
			return []types.Datum{oid(o), text(name), oid(catalog.PostgresRoleOID), boolean(pl), boolean(trusted), oid(0), oid(0), oid(0), null}
		}
		return [][]types.Datum{mk(12, "internal", false, false), mk(13, "c", false, false), mk(14, "sql", false, true)}, nil
	}
	register(lang)

	proc := &View{Schema: "pg_catalog", Name: "pg_proc", OID: 1255, Kind: 'r',
		Cols: cols(`oid oid, proname name, pronamespace oid, proowner oid, prolang oid, procost real, prorows real,
			provariadic oid, prosupport regproc, prokind "char", prosecdef boolean, proleakproof boolean,
			proisstrict boolean, proretset boolean, provolatile "char", proparallel "char", pronargs smallint,
			pronargdefaults smallint, prorettype oid, proargtypes oidvector, proallargtypes oid[],
			proargmodes "char"[], proargnames text[], proargdefaults pg_node_tree, protrftypes oid[],
			prosrc text, probin text, prosqlbody pg_node_tree, proconfig text[], proacl aclitem[]`)}
	proc.Rows = func(bound.Env) ([][]types.Datum, error) {
		var rows [][]types.Datum
		for _, p := range builtins.Procs() {
			v := proc
			r := v.row()
			argOIDs := make([]int64, len(p.Args))
			for i, a := range p.Args {
				argOIDs[i] = int64(a.OID)
			}
			variadic := uint32(0)
			if p.Variadic && len(p.Args) > 0 {
				variadic = p.Args[len(p.Args)-1].OID
			}
			rows2 := 0.0
			if p.RetSet {
				rows2 = 1000
			}
			v.set(r, "oid", oid(p.OID))
			v.set(r, "proname", text(p.Name))
			v.set(r, "pronamespace", oid(catalog.PgCatalogOID))
			v.set(r, "proowner", oid(catalog.PostgresRoleOID))
			v.set(r, "prolang", oid(12))
			v.set(r, "procost", float(1))
			v.set(r, "prorows", float(rows2))
			v.set(r, "provariadic", oid(variadic))
			v.set(r, "prosupport", oid(0))
			v.set(r, "prokind", char(p.Kind))
			v.set(r, "prosecdef", boolean(false))
			v.set(r, "proleakproof", boolean(false))
			v.set(r, "proisstrict", boolean(p.Strict))
			v.set(r, "proretset", boolean(p.RetSet))
			v.set(r, "provolatile", char(p.Volatile))
			v.set(r, "proparallel", char('s'))
			v.set(r, "pronargs", i64(int64(len(p.Args))))
			v.set(r, "pronargdefaults", i64(0))
			v.set(r, "prorettype", oid(p.Ret.OID))
			v.set(r, "proargtypes", types.NewVector(types.OID, argOIDs))
			v.set(r, "prosrc", text(p.Name))
			rows = append(rows, r)
		}
		return rows, nil
	}
	register(proc)

	aggregate := &View{Schema: "pg_catalog", Name: "pg_aggregate", OID: 2600, Kind: 'r',
		Cols: cols(`aggfnoid regproc, aggkind "char", aggnumdirectargs smallint, aggtransfn regproc,
			aggfinalfn regproc, aggcombinefn regproc, aggserialfn regproc, aggdeserialfn regproc, aggmtransfn regproc,
			aggminvtransfn regproc, aggmfinalfn regproc, aggfinalextra boolean, aggmfinalextra boolean,
			aggfinalmodify "char", aggmfinalmodify "char", aggsortop oid, aggtranstype oid, aggtransspace integer,
			aggmtranstype oid, aggmtransspace integer, agginitval text, aggminitval text`)}
	aggregate.Rows = func(bound.Env) ([][]types.Datum, error) {
		var rows [][]types.Datum
		for _, p := range builtins.Procs() {
			if p.Kind != 'a' {
				continue
			}
			r := aggregate.row()
			for i, c := range aggregate.Cols {
				if c.Type.OID == types.RegprocOID {
					r[i] = oid(0) // "-"
				}
			}
			for _, c := range []string{"aggfinalextra", "aggmfinalextra"} {
				aggregate.set(r, c, boolean(false))
			}
			for _, c := range []string{"aggsortop", "aggtranstype", "aggmtranstype"} {
				aggregate.set(r, c, oid(0))
			}
			for _, c := range []string{"aggnumdirectargs", "aggtransspace", "aggmtransspace"} {
				aggregate.set(r, c, i64(0))
			}
			aggregate.set(r, "aggfnoid", oid(p.OID))
			aggregate.set(r, "aggkind", char('n'))
			if p.OrderedSet {
				aggregate.set(r, "aggkind", char('o'))
				aggregate.set(r, "aggnumdirectargs", i64(int64(p.NumDirect)))
			}
			aggregate.set(r, "aggfinalmodify", char('r'))
			aggregate.set(r, "aggmfinalmodify", char('r'))
			aggregate.set(r, "agginitval", null)
			aggregate.set(r, "aggminitval", null)
			rows = append(rows, r)
		}
		return rows, nil
	}
	register(aggregate)
}
