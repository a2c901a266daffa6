package builtins

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// The catalog functions clients call (psql's \d family, pg_dump, ORMs):
// format_type, pg_get_*def, the visibility and privilege tests, sizes,
// descriptions. They read the statement's catalog through c.Env.

var (
	tOIDT   = types.OID
	tInt2T  = types.Int2
	tNameT  = types.Name
	tRegcls = types.Regclass
)

// processStart stands in for the engine's start time until the session
// environment reports it (ServerStartTime).
var processStart = time.Now()

// fnIfAbsent registers the overloads that no file registered before (so
// that a function another file also provides is not listed twice).
func fnIfAbsent(name string, ovs ...Overload) {
	var add []Overload
	for _, ov := range ovs {
		dup := false
		for _, ex := range funcs[name] {
			if sameArgs(ex.Args, ov.Args) {
				dup = true
				break
			}
		}
		if !dup {
			add = append(add, ov)
		}
	}
	if len(add) > 0 {
		fn(name, add...)
	}
}

func sameArgs(a, b []types.Type) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].OID != b[i].OID {
			return false
		}
	}
	return true
}

// stable marks a catalog function's overload: reads the catalog, so not
// constant-folded, called with NULLs when nullCall.
func catFn(args []types.Type, ret types.Type, nullCall bool, f bound.Fn) Overload {
	return Overload{Args: args, Ret: ret, RetFromArg: -1, NullCall: nullCall, Volatile: true, Fn: f}
}

func args(ts ...types.Type) []types.Type { return ts }

var nullDatum = types.Datum{}

func textDatum(s string) types.Datum { return types.NewText(s) }

// relArg reads a relation argument given as an OID/regclass or as a name.
func relArg(c *bound.EvalCtx, d types.Datum) (uint32, error) {
	switch d.K {
	case types.KindInt:
		return uint32(d.I), nil
	case types.KindText:
		return c.Env.ResolveRegclass(d.S)
	}
	return 0, pgerror.New(pgerror.DatatypeMismatch, "relation argument must be a name or an OID")
}

func init() {
	// format_type(type oid, typemod integer)
	fnIfAbsent("format_type", catFn(args(tOIDT, tInt4), tText, true, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0].IsNull() {
			return nullDatum, nil
		}
		typmod, given := int32(-1), false
		if !a[1].IsNull() {
			typmod, given = int32(a[1].I), true
		}
		return textDatum(FormatTypeOID(uint32(a[0].I), typmod, given)), nil
	}))

	fnIfAbsent("pg_get_userbyid", catFn(args(tOIDT), tNameT, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if n, ok := RoleName(c.Env.Catalog(), uint32(a[0].I)); ok {
			return textDatum(n), nil
		}
		return textDatum(fmt.Sprintf("unknown (OID=%d)", uint32(a[0].I))), nil
	}))

	indexdef := func(c *bound.EvalCtx, oid uint32, col int, pretty bool) (types.Datum, error) {
		cat := c.Env.Catalog()
		t, ix := cat.IndexOwner(oid)
		if ix == nil {
			return nullDatum, nil
		}
		return textDatum(IndexDef(cat, t, ix, col, pretty, VisibleFunc(c.Env))), nil
	}
	fnIfAbsent("pg_get_indexdef",
		catFn(args(tOIDT), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return indexdef(c, uint32(a[0].I), 0, false)
		}),
		catFn(args(tOIDT, tInt4, tBool), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return indexdef(c, uint32(a[0].I), int(a[1].I), a[2].Bool())
		}))

	condef := func(c *bound.EvalCtx, oid uint32, pretty bool) (types.Datum, error) {
		con, ok := FindConstraint(c.Env.Catalog(), oid)
		if !ok {
			return nullDatum, nil
		}
		return textDatum(ConstraintDef(c.Env.Catalog(), con, pretty, VisibleFunc(c.Env))), nil
	}
	fnIfAbsent("pg_get_constraintdef",
		catFn(args(tOIDT), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return condef(c, uint32(a[0].I), false)
		}),
		catFn(args(tOIDT, tBool), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return condef(c, uint32(a[0].I), a[1].Bool())
		}))

	// pg_get_expr(pg_node_tree, relation oid [, pretty]): the stored trees
	// here are the expressions' canonical text.
	getExpr := func(c *bound.EvalCtx, expr string, rel uint32, pretty bool) (types.Datum, error) {
		cat := c.Env.Catalog()
		d := &Deparser{Cat: cat, Pretty: pretty}
		if t := cat.Table(rel); t != nil {
			d.Rels = []DeparseRel{{Ref: t.Name, Table: t}}
		}
		return textDatum(d.DeparseExpr(expr, types.Type{})), nil
	}
	fnIfAbsent("pg_get_expr",
		catFn(args(tText, tOIDT), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return getExpr(c, a[0].S, uint32(a[1].I), false)
		}),
		catFn(args(tText, tOIDT, tBool), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return getExpr(c, a[0].S, uint32(a[1].I), a[2].Bool())
		}))

	viewdef := func(c *bound.EvalCtx, d types.Datum, pretty bool) (types.Datum, error) {
		oid, err := relArg(c, d)
		if err != nil {
			return nullDatum, err
		}
		cat := c.Env.Catalog()
		t := cat.Table(oid)
		if t == nil || (t.Kind != catalog.RelView && t.Kind != catalog.RelMatView) {
			return nullDatum, nil
		}
		return textDatum(ViewDef(cat, t, pretty, VisibleFunc(c.Env))), nil
	}
	fnIfAbsent("pg_get_viewdef",
		catFn(args(Any), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return viewdef(c, a[0], false)
		}),
		catFn(args(Any, tBool), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return viewdef(c, a[0], a[1].Bool())
		}),
		catFn(args(Any, tInt4), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return viewdef(c, a[0], true)
		}))

	// Visibility: relations through search_path; types and functions are
	// all built-in (pg_catalog), so visible when they exist.
	fnIfAbsent("pg_table_is_visible", catFn(args(tOIDT), tBool, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r, ok := LookupRel(c.Env.Catalog(), uint32(a[0].I))
		if !ok {
			return nullDatum, nil
		}
		return types.NewBool(RelationVisible(c.Env, r.Schema, r.Name)), nil
	}))
	fnIfAbsent("pg_type_is_visible", catFn(args(tOIDT), tBool, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if !(types.Type{OID: uint32(a[0].I), Typmod: -1}).Known() {
			return nullDatum, nil
		}
		return types.NewBool(true), nil
	}))
	fnIfAbsent("pg_function_is_visible", catFn(args(tOIDT), tBool, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if _, ok := ProcByOID(uint32(a[0].I)); !ok {
			return nullDatum, nil
		}
		return types.NewBool(true), nil
	}))
	for _, name := range []string{"pg_conversion_is_visible", "pg_opclass_is_visible", "pg_opfamily_is_visible",
		"pg_collation_is_visible", "pg_operator_is_visible", "pg_statistics_obj_is_visible", "pg_ts_config_is_visible",
		"pg_ts_dict_is_visible", "pg_ts_parser_is_visible", "pg_ts_template_is_visible"} {
		fnIfAbsent(name, catFn(args(tOIDT), tBool, false, func(*bound.EvalCtx, []types.Datum) (types.Datum, error) {
			return types.NewBool(true), nil
		}))
	}
	fnIfAbsent("pg_my_temp_schema", catFn(nil, tOIDT, false, func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
		return types.NewInt(int64(TempSchemaOf(c.Env))), nil
	}))
	fnIfAbsent("pg_is_other_temp_schema", catFn(args(tOIDT), tBool, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		oid := uint32(a[0].I)
		return types.NewBool(oid != TempSchemaOf(c.Env) && IsTempSchema(c.Env.Catalog(), oid)), nil
	}))

	// Descriptions (COMMENT ON): tables, views and columns keep theirs.
	objDesc := func(c *bound.EvalCtx, oid uint32, class string) (types.Datum, error) {
		if class == "pg_namespace" {
			if s := schemaByOID(c.Env, oid); s != nil {
				if d := SchemaDescription(s); d != "" {
					return textDatum(d), nil
				}
			}
			return nullDatum, nil
		}
		if class != "pg_class" {
			return nullDatum, nil
		}
		if t := c.Env.Catalog().Table(oid); t != nil && t.Comment != "" {
			return textDatum(t.Comment), nil
		}
		return nullDatum, nil
	}
	fnIfAbsent("obj_description",
		catFn(args(tOIDT, tNameT), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return objDesc(c, uint32(a[0].I), a[1].S)
		}),
		catFn(args(tOIDT), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return objDesc(c, uint32(a[0].I), "pg_class")
		}))
	fnIfAbsent("col_description", catFn(args(tOIDT, tInt4), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		t := c.Env.Catalog().Table(uint32(a[0].I))
		if t == nil {
			return nullDatum, nil
		}
		for i := range t.Columns {
			col := &t.Columns[i]
			if int64(col.Attnum) == a[1].I && !col.Dropped && col.Comment != "" {
				return textDatum(col.Comment), nil
			}
		}
		return nullDatum, nil
	}))
	fnIfAbsent("shobj_description", catFn(args(tOIDT, tNameT), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[1].S == "pg_database" {
			if d := c.Env.Catalog().Database(uint32(a[0].I)); d != nil && DatabaseDescription(d) != "" {
				return textDatum(DatabaseDescription(d)), nil
			}
		}
		return nullDatum, nil
	}))

	fnIfAbsent("pg_encoding_to_char", sig(tNameT, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return textDatum(EncodingName(a[0].I)), nil
	}, tInt4))
	fnIfAbsent("pg_char_to_encoding", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		for i := int64(0); i < 64; i++ {
			if n := EncodingName(i); n != "" && strings.EqualFold(n, a[0].S) {
				return types.NewInt(i), nil
			}
		}
		return types.NewInt(-1), nil
	}, tNameT))

	registerPrivilegeFuncs()

	fnIfAbsent("pg_get_serial_sequence", catFn(args(tText, tText), tText, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		oid, err := c.Env.ResolveRegclass(a[0].S)
		if err != nil {
			return nullDatum, err
		}
		cat := c.Env.Catalog()
		t := cat.Table(oid)
		if t == nil {
			return nullDatum, nil
		}
		_, col := t.ColumnByName(unquoteIdent(a[1].S))
		if col == nil {
			return nullDatum, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", a[1].S, t.Name)
		}
		for _, s := range cat.Sequences(0) {
			if s.OwnedByTable == t.OID && s.OwnedByColumn == col.Attnum {
				return textDatum(QuoteIdent(SchemaName(cat, s.Schema)) + "." + QuoteIdent(s.Name)), nil
			}
		}
		return nullDatum, nil
	}))

	fnIfAbsent("pg_postmaster_start_time", catFn(nil, types.TimestampTZ, false, func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
		start := processStart
		if st, ok := c.Env.(interface{ ServerStartTime() time.Time }); ok {
			start = st.ServerStartTime()
		}
		return types.NewTimestampTZ(types.TimeToTimestamp(start)), nil
	}))
	fnIfAbsent("pg_conf_load_time", catFn(nil, types.TimestampTZ, false, func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
		start := processStart
		if st, ok := c.Env.(interface{ ServerStartTime() time.Time }); ok {
			start = st.ServerStartTime()
		}
		return types.NewTimestampTZ(types.TimeToTimestamp(start)), nil
	}))
	fnIfAbsent("pg_current_xact_id", Overload{Ret: tInt8, RetFromArg: -1, Volatile: true,
		Fn: func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) { return types.NewInt(c.Env.TxnID()), nil }})
	fnIfAbsent("pg_is_in_recovery", catFn(nil, tBool, false, func(*bound.EvalCtx, []types.Datum) (types.Datum, error) {
		return types.NewBool(false), nil
	}))

	// Sizes: the store is not made of 8 kB pages; these are the sizes
	// PostgreSQL reports for a new, empty relation (an index's metapage, a
	// sequence's page, the TOAST index of a table with TOAST-able columns).
	sizeOf := func(c *bound.EvalCtx, d types.Datum, what string) (types.Datum, error) {
		oid, err := relArg(c, d)
		if err != nil {
			return nullDatum, err
		}
		r, ok := LookupRel(c.Env.Catalog(), oid)
		if !ok {
			return nullDatum, nil
		}
		return types.NewInt(relationSize(r, what)), nil
	}
	for _, name := range []string{"pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size"} {
		name := name
		fnIfAbsent(name, catFn(args(Any), tInt8, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return sizeOf(c, a[0], name)
		}))
	}
	fnIfAbsent("pg_relation_size", catFn(args(Any, tText), tInt8, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[1].S != "main" {
			return types.NewInt(0), nil
		}
		return sizeOf(c, a[0], "pg_relation_size")
	}))
	fnIfAbsent("pg_database_size", catFn(args(Any), tInt8, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		cat := c.Env.Catalog()
		var db *catalog.Database
		if a[0].K == types.KindInt {
			db = cat.Database(uint32(a[0].I))
		} else {
			db = cat.DatabaseByName(a[0].S)
			if db == nil {
				return nullDatum, pgerror.New(pgerror.InvalidCatalogName, "database \"%s\" does not exist", a[0].S)
			}
		}
		if db == nil {
			return nullDatum, nil
		}
		var total int64
		for _, s := range cat.Schemas(db.OID) {
			for _, t := range cat.Tables(s.OID) {
				r, _ := LookupRel(cat, t.OID)
				total += relationSize(r, "pg_total_relation_size")
			}
			total += 8192 * int64(len(cat.Sequences(s.OID)))
		}
		return types.NewInt(total), nil
	}))
	fnIfAbsent("pg_size_pretty",
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return textDatum(SizePretty(a[0].I)), nil
		}, tInt8),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			f, _ := a[0].Numeric().Float64()
			if f > math.MaxInt64 || f < math.MinInt64 {
				return textDatum(strconv.FormatFloat(f, 'f', 0, 64) + " bytes"), nil
			}
			return textDatum(SizePretty(int64(f))), nil
		}, types.Numeric))
	fnIfAbsent("pg_tablespace_location", catFn(args(tOIDT), tText, false, func(*bound.EvalCtx, []types.Datum) (types.Datum, error) {
		return textDatum(""), nil
	}))

	// Objects this server does not have: partitions, triggers, rules,
	// extended statistics, SQL function bodies.
	for _, name := range []string{"pg_get_partkeydef", "pg_get_function_sqlbody", "pg_get_statisticsobjdef_columns",
		"pg_get_statisticsobjdef", "pg_get_functiondef"} {
		fnIfAbsent(name, catFn(args(tOIDT), tText, false, func(*bound.EvalCtx, []types.Datum) (types.Datum, error) {
			return nullDatum, nil
		}))
	}
	for _, name := range []string{"pg_get_triggerdef", "pg_get_ruledef"} {
		fnIfAbsent(name,
			catFn(args(tOIDT), tText, false, func(*bound.EvalCtx, []types.Datum) (types.Datum, error) { return nullDatum, nil }),
			catFn(args(tOIDT, tBool), tText, false, func(*bound.EvalCtx, []types.Datum) (types.Datum, error) { return nullDatum, nil }))
	}
	fnIfAbsent("pg_relation_is_publishable", catFn(args(Any), tBool, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		oid, err := relArg(c, a[0])
		if err != nil {
			return nullDatum, err
		}
		r, ok := LookupRel(c.Env.Catalog(), oid)
		if !ok {
			return nullDatum, nil
		}
		return types.NewBool(r.Kind == catalog.RelTable && r.Sys == nil), nil
	}))

	// Functions of pg_proc rows.
	procText := func(f func(p *Proc) string) Overload {
		return catFn(args(tOIDT), tText, false, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			p, ok := ProcByOID(uint32(a[0].I))
			if !ok {
				return nullDatum, nil
			}
			return textDatum(f(p)), nil
		})
	}
	fnIfAbsent("pg_get_function_result", procText(func(p *Proc) string {
		r := FormatTypeOID(p.Ret.OID, -1, false)
		if p.RetSet {
			r = "SETOF " + r
		}
		return r
	}))
	fnIfAbsent("pg_get_function_arguments", procText(procArgs))
	fnIfAbsent("pg_get_function_identity_arguments", procText(procArgs))

	fnIfAbsent("quote_ident", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return textDatum(QuoteIdent(a[0].S)), nil
	}, tText))

	toReg := func(name string, ret types.Type, find func(c *bound.EvalCtx, s string) (uint32, bool)) {
		fnIfAbsent(name, catFn(args(tText), ret, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			if oid, ok := find(c, a[0].S); ok {
				return types.NewInt(int64(oid)), nil
			}
			return nullDatum, nil
		}))
	}
	toReg("to_regclass", tRegcls, func(c *bound.EvalCtx, s string) (uint32, bool) {
		oid, err := c.Env.ResolveRegclass(s)
		if err == nil {
			return oid, true
		}
		schema, name := splitQualifiedName(s)
		cat := c.Env.Catalog()
		if schema != "" {
			for _, sch := range []uint32{catalog.PgCatalogOID, catalog.InfoSchemaOID} {
				if SchemaName(cat, sch) == schema {
					return relationInSchema(cat, sch, name)
				}
			}
			return 0, false
		}
		for _, sch := range searchSchemas(c.Env) {
			if oid, ok := relationInSchema(cat, sch, name); ok {
				return oid, true
			}
		}
		return 0, false
	})
	toReg("to_regtype", types.Regtype, func(_ *bound.EvalCtx, s string) (uint32, bool) {
		t, ok := types.TypeByName(s, nil)
		return t.OID, ok
	})
	toReg("to_regnamespace", types.Type{OID: types.RegnamespaceOID, Typmod: -1}, func(c *bound.EvalCtx, s string) (uint32, bool) {
		s = unquoteIdent(s)
		for _, sch := range []uint32{catalog.PgCatalogOID, catalog.InfoSchemaOID, 99} {
			if SchemaName(c.Env.Catalog(), sch) == s {
				return sch, true
			}
		}
		if sc := c.Env.Catalog().SchemaByName(c.Env.DatabaseOID(), s); sc != nil {
			return sc.OID, true
		}
		return 0, false
	})
	toReg("to_regrole", types.Type{OID: types.RegroleOID, Typmod: -1}, func(c *bound.EvalCtx, s string) (uint32, bool) {
		return RoleOID(c.Env.Catalog(), unquoteIdent(s))
	})
	toReg("to_regproc", types.Regproc, func(_ *bound.EvalCtx, s string) (uint32, bool) {
		s = strings.TrimPrefix(unquoteIdent(s), "pg_catalog.")
		var found []uint32
		for _, p := range Procs() {
			if p.Name == s {
				found = append(found, p.OID)
			}
		}
		if len(found) == 1 {
			return found[0], true
		}
		return 0, false
	})

	// Arrays (catalog queries use them on indkey, conkey, current_schemas).
	fnIfAbsent("array_position",
		Overload{Args: args(Any, Any), Ret: tInt4, RetFromArg: -1, NullCall: true, Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return arrayPosition(a[0], a[1], nil)
		}},
		Overload{Args: args(Any, Any, tInt4), Ret: tInt4, RetFromArg: -1, NullCall: true, Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[2].IsNull() {
				return nullDatum, pgerror.New(pgerror.NullValueNotAllowed, "initial position must not be null")
			}
			start := a[2].I
			return arrayPosition(a[0], a[1], &start)
		}})
	arrayDim := func(f func(a *types.Array, d int) types.Datum) Overload {
		return Overload{Args: args(Any, tInt4), Ret: tInt4, RetFromArg: -1, Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			arr, ok := a[0].X.(*types.Array)
			if a[0].K != types.KindArray || !ok {
				return nullDatum, pgerror.New(pgerror.DatatypeMismatch, "argument must be an array")
			}
			d := int(a[1].I)
			if d < 1 || d > len(arr.Dims) {
				return nullDatum, nil
			}
			return f(arr, d-1), nil
		}}
	}
	fnIfAbsent("array_length", arrayDim(func(a *types.Array, d int) types.Datum { return types.NewInt(int64(a.Dims[d].Len)) }))
	fnIfAbsent("array_lower", arrayDim(func(a *types.Array, d int) types.Datum { return types.NewInt(int64(a.Dims[d].Lower)) }))
	fnIfAbsent("array_upper", arrayDim(func(a *types.Array, d int) types.Datum {
		return types.NewInt(int64(a.Dims[d].Lower) + int64(a.Dims[d].Len) - 1)
	}))
	fnIfAbsent("array_ndims", Overload{Args: args(Any), Ret: tInt4, RetFromArg: -1, Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		arr, ok := a[0].X.(*types.Array)
		if !ok || len(arr.Dims) == 0 {
			return nullDatum, nil
		}
		return types.NewInt(int64(len(arr.Dims))), nil
	}})
	fnIfAbsent("cardinality", Overload{Args: args(Any), Ret: tInt4, RetFromArg: -1, Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		arr, ok := a[0].X.(*types.Array)
		if !ok {
			return nullDatum, pgerror.New(pgerror.DatatypeMismatch, "argument must be an array")
		}
		return types.NewInt(int64(len(arr.Elems))), nil
	}})
}

// FormatTypeOID is format_type(oid, typmod): typmodGiven false is a NULL
// typmod (bpchar then prints as "character").
func FormatTypeOID(oid uint32, typmod int32, typmodGiven bool) string {
	t := types.Type{OID: oid, Typmod: typmod}
	if !t.Known() {
		if n, ok := extraTypeNames[oid]; ok {
			return n
		}
		return "???"
	}
	if oid == types.BPCharOID && typmod < 0 && !typmodGiven {
		return "character"
	}
	if oid == types.BPCharArrayOID && typmod < 0 && !typmodGiven {
		return "character[]"
	}
	return types.FormatType(t)
}

// extraTypeNames are pg_type entries this server names but has no values
// of (pseudo-types, catalog-internal types).
var extraTypeNames = map[uint32]string{
	types.AnyOID: `"any"`, types.AnyElementOID: "anyelement", types.AnyArrayOID: "anyarray",
	2287: "record[]", types.TimetzOID: "time with time zone", 28: "xid", 27: "tid", 29: "cid", 194: "pg_node_tree",
	1033: "aclitem", 1034: "aclitem[]", 869: "inet", 650: "cidr", 3220: "pg_lsn", 5069: "xid8", 1560: "bit", 1562: "bit varying",
	2275: "cstring", 2279: "trigger", 3838: "event_trigger", 2281: "internal", 1006: "int2vector[]", 1013: "oidvector[]",
	2776: "anynonarray", 3500: "anyenum", 3831: "anyrange", 5077: "anycompatible", 5078: "anycompatiblearray",
}

// EncodingName is pg_encoding_to_char.
func EncodingName(n int64) string {
	names := []string{"SQL_ASCII", "EUC_JP", "EUC_CN", "EUC_KR", "EUC_TW", "EUC_JIS_2004", "UTF8", "MULE_INTERNAL",
		"LATIN1", "LATIN2", "LATIN3", "LATIN4", "LATIN5", "LATIN6", "LATIN7", "LATIN8", "LATIN9", "LATIN10",
		"WIN1256", "WIN1258", "WIN866", "WIN874", "KOI8R", "WIN1251", "WIN1252", "ISO_8859_5", "ISO_8859_6",
		"ISO_8859_7", "ISO_8859_8", "WIN1250", "WIN1253", "WIN1254", "WIN1255", "WIN1257", "KOI8U", "SJIS",
		"BIG5", "GBK", "UHC", "GB18030", "JOHAB", "SHIFT_JIS_2004"}
	if n < 0 || n >= int64(len(names)) {
		return ""
	}
	return names[n]
}

// SizePretty is pg_size_pretty(bigint) of PostgreSQL 15.
func SizePretty(size int64) string {
	units := []struct {
		name  string
		limit int64
		round bool
		bits  uint
	}{{"bytes", 10 * 1024, false, 0}, {"kB", 20*1024 - 1, true, 10}, {"MB", 20*1024 - 1, true, 20},
		{"GB", 20*1024 - 1, true, 30}, {"TB", 20*1024 - 1, true, 40}, {"PB", 20*1024 - 1, true, 50}}
	abs := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	half := func(x int64) int64 {
		if x < 0 {
			return (x - 1) / 2
		}
		return (x + 1) / 2
	}
	for i, u := range units {
		if i == len(units)-1 || abs(size) < u.limit {
			if u.round {
				size = half(size)
			}
			return strconv.FormatInt(size, 10) + " " + u.name
		}
		next := units[i+1]
		bits := next.bits - u.bits
		if next.round {
			bits--
		}
		if u.round {
			bits++
		}
		size /= int64(1) << bits
	}
	return ""
}

// relationSize is the size PostgreSQL reports for a new, empty relation.
func relationSize(r Rel, what string) int64 {
	switch r.Kind {
	case catalog.RelIndex, catalog.RelSequence:
		if what == "pg_indexes_size" {
			return 0
		}
		return 8192
	case catalog.RelTable:
		if r.Sys != nil || r.Table == nil {
			return 0
		}
		toast := int64(0)
		for _, c := range r.Table.Columns {
			// A dropped column's TOAST table stays, as in PostgreSQL.
			if !c.Hidden && c.Type.Len() == -1 && c.Type.OID != types.NumericOID {
				toast = 8192 // the TOAST table's index
				break
			}
		}
		indexes := int64(8192 * len(TableIndexes(r.Table)))
		switch what {
		case "pg_relation_size":
			return 0
		case "pg_table_size":
			return toast
		case "pg_indexes_size":
			return indexes
		default:
			return toast + indexes
		}
	}
	return 0
}

func procArgs(p *Proc) string {
	parts := make([]string, len(p.Args))
	for i, a := range p.Args {
		parts[i] = FormatTypeOID(a.OID, -1, false)
		if p.Variadic && i == len(p.Args)-1 {
			parts[i] = "VARIADIC " + parts[i] + "[]"
		}
	}
	if p.OrderedSet {
		// "double precision ORDER BY interval", "ORDER BY anyelement"
		direct := strings.Join(parts[:p.NumDirect], ", ")
		if direct != "" {
			direct += " "
		}
		return direct + "ORDER BY " + strings.Join(parts[p.NumDirect:], ", ")
	}
	return strings.Join(parts, ", ")
}

func arrayPosition(arr, elem types.Datum, start *int64) (types.Datum, error) {
	if arr.IsNull() {
		return nullDatum, nil
	}
	a, ok := arr.X.(*types.Array)
	if arr.K != types.KindArray || !ok {
		return nullDatum, pgerror.New(pgerror.DatatypeMismatch, "array_position requires an array")
	}
	if len(a.Dims) > 1 {
		return nullDatum, pgerror.New(pgerror.FeatureNotSupported, "searching for elements in multidimensional arrays is not supported")
	}
	if len(a.Elems) == 0 {
		return nullDatum, nil
	}
	lower := int64(a.Dims[0].Lower)
	from := 0
	if start != nil && *start > lower {
		from = int(*start - lower)
	}
	for i := from; i < len(a.Elems); i++ {
		e := a.Elems[i]
		if e.IsNull() != elem.IsNull() {
			continue
		}
		if e.IsNull() || (e.K == elem.K && types.Compare(e, elem) == 0) {
			return types.NewInt(lower + int64(i)), nil
		}
		if e.K != elem.K && types.FormatText(e, a.Elem, nil) == elem.S && elem.K == types.KindText {
			return types.NewInt(lower + int64(i)), nil
		}
	}
	return nullDatum, nil
}

func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return strings.ToLower(s)
}

func splitQualifiedName(s string) (schema, name string) {
	if i := strings.LastIndexByte(s, '.'); i > 0 && !strings.HasSuffix(s, `"`) || i > 0 && strings.Count(s[:i], `"`)%2 == 0 {
		return unquoteIdent(s[:i]), unquoteIdent(s[i+1:])
	}
	return "", unquoteIdent(s)
}

// registerPrivilegeFuncs registers has_*_privilege and pg_has_role. There
// is no privilege system yet: every role may do everything, so they answer
// true for objects that exist (NULL for an unknown OID, an error for an
// unknown name, as PostgreSQL).
func registerPrivilegeFuncs() {
	yes := types.NewBool(true)
	// object check: name (text) must exist; OID unknown gives NULL.
	relCheck := func(c *bound.EvalCtx, d types.Datum) (types.Datum, error) {
		if d.K == types.KindText {
			if _, err := c.Env.ResolveRegclass(d.S); err != nil {
				return nullDatum, err
			}
			return yes, nil
		}
		if _, ok := LookupRel(c.Env.Catalog(), uint32(d.I)); !ok {
			return nullDatum, nil
		}
		return yes, nil
	}
	schemaCheck := func(c *bound.EvalCtx, d types.Datum) (types.Datum, error) {
		cat := c.Env.Catalog()
		if d.K == types.KindText {
			for _, s := range []uint32{catalog.PgCatalogOID, catalog.InfoSchemaOID, 99} {
				if SchemaName(cat, s) == d.S {
					return yes, nil
				}
			}
			if cat.SchemaByName(c.Env.DatabaseOID(), d.S) == nil {
				return nullDatum, pgerror.New(pgerror.InvalidSchemaName, "schema \"%s\" does not exist", d.S)
			}
			return yes, nil
		}
		if SchemaName(cat, uint32(d.I)) == "" {
			return nullDatum, nil
		}
		return yes, nil
	}
	dbCheck := func(c *bound.EvalCtx, d types.Datum) (types.Datum, error) {
		cat := c.Env.Catalog()
		if d.K == types.KindText {
			if cat.DatabaseByName(d.S) == nil {
				return nullDatum, pgerror.New(pgerror.InvalidCatalogName, "database \"%s\" does not exist", d.S)
			}
			return yes, nil
		}
		if cat.Database(uint32(d.I)) == nil {
			return nullDatum, nil
		}
		return yes, nil
	}
	anyCheck := func(*bound.EvalCtx, types.Datum) (types.Datum, error) { return yes, nil }
	roleCheck := func(c *bound.EvalCtx, d types.Datum) error {
		if d.K == types.KindText {
			if _, ok := RoleOID(c.Env.Catalog(), d.S); !ok {
				return pgerror.New(pgerror.UndefinedObject, "role \"%s\" does not exist", d.S)
			}
		}
		return nil
	}
	// Each family: (object, priv) and (user, object, priv); columns add a
	// column argument.
	reg := func(name string, check func(*bound.EvalCtx, types.Datum) (types.Datum, error), extra int) {
		n := 2 + extra
		fnIfAbsent(name,
			catFn(anyArgs(n), tBool, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return check(c, a[0])
			}),
			catFn(anyArgs(n+1), tBool, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				if err := roleCheck(c, a[0]); err != nil {
					return nullDatum, err
				}
				return check(c, a[1])
			}))
	}
	reg("has_table_privilege", relCheck, 0)
	reg("has_sequence_privilege", relCheck, 0)
	reg("has_any_column_privilege", relCheck, 0)
	reg("has_column_privilege", relCheck, 1)
	reg("has_schema_privilege", schemaCheck, 0)
	reg("has_database_privilege", dbCheck, 0)
	reg("has_function_privilege", anyCheck, 0)
	reg("has_language_privilege", anyCheck, 0)
	reg("has_tablespace_privilege", anyCheck, 0)
	reg("has_type_privilege", anyCheck, 0)
	reg("has_foreign_data_wrapper_privilege", anyCheck, 0)
	reg("has_server_privilege", anyCheck, 0)
	reg("pg_has_role", func(c *bound.EvalCtx, d types.Datum) (types.Datum, error) {
		if err := roleCheck(c, d); err != nil {
			return nullDatum, err
		}
		return yes, nil
	}, 0)
}

func anyArgs(n int) []types.Type {
	out := make([]types.Type, n)
	for i := range out {
		out[i] = Any
	}
	return out
}

// schemaByOID finds a schema of the session's database, the built-in ones
// included.
func schemaByOID(env bound.Env, oid uint32) *catalog.Schema {
	switch oid {
	case catalog.PgCatalogOID, catalog.InfoSchemaOID, 99:
		return &catalog.Schema{OID: oid, Name: SchemaName(env.Catalog(), oid), Owner: catalog.PostgresRoleOID}
	}
	if s := env.Catalog().Schema(oid); s != nil && s.Database == env.DatabaseOID() {
		return s
	}
	return nil
}

func init() {
	// Partitioning does not exist here: no relation has ancestors.
	if SetReturning("pg_partition_ancestors") == nil {
		srf("pg_partition_ancestors", SRF{Args: []types.Type{Any}, Cols: []SRFColumn{{Name: "relid", Type: types.Regclass}},
			Gen: func(*bound.EvalCtx, []types.Datum, func([]types.Datum) error) error { return nil }})
	}
}

func init() {
	// acldefault(objtype, owner): the privileges an object has before any
	// GRANT or REVOKE, as aclitem[] text.
	fnIfAbsent("acldefault", catFn(args(types.Char, tOIDT), types.TextArray, false, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		owner, ok := RoleName(c.Env.Catalog(), uint32(a[1].I))
		if !ok {
			owner = strconv.FormatUint(uint64(uint32(a[1].I)), 10)
		}
		owner = QuoteIdent(owner)
		var items []string
		switch a[0].S {
		case "r":
			items = []string{owner + "=arwdDxt/" + owner}
		case "s":
			items = []string{owner + "=rwU/" + owner}
		case "S", "F":
			items = []string{owner + "=U/" + owner}
		case "f":
			items = []string{"=X/" + owner, owner + "=X/" + owner}
		case "p":
			items = []string{owner + "=sA/" + owner}
		case "l", "T":
			items = []string{"=U/" + owner, owner + "=U/" + owner}
		case "L":
			items = []string{owner + "=rw/" + owner}
		case "n":
			items = []string{owner + "=UC/" + owner}
		case "d":
			items = []string{"=Tc/" + owner, owner + "=CTc/" + owner}
		case "t":
			items = []string{owner + "=C/" + owner}
		case "c":
		default:
			return nullDatum, pgerror.New(pgerror.InternalError, "unrecognized object type abbreviation: %s", a[0].S)
		}
		elems := make([]types.Datum, len(items))
		for i, it := range items {
			elems[i] = types.NewText(it)
		}
		return types.NewArray(types.Text, elems), nil
	}))
}
