package syscat

import (
	"fmt"
	"sort"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Column is one column of a system view.
type Column struct {
	Name string
	Type types.Type
}

// View is a system view: its columns and its row generator.
type View struct {
	Schema, Name string
	// OID is PostgreSQL 15's OID of the relation (pg_class.oid), so that
	// 'pg_class'::regclass and pg_description.classoid agree with clients'
	// expectations.
	OID  uint32
	Cols []Column
	Rows func(env bound.Env) ([][]types.Datum, error)
	// Kind is pg_class.relkind: 'r' for PostgreSQL's catalog tables
	// (pg_class, pg_type ...), 'v' for its views (pg_tables, pg_roles,
	// information_schema ...).
	Kind byte
	// Extension marks a prkdb view that PostgreSQL does not have
	// (prkdb_ttl_status): its OID is prkdb's, and tests comparing views
	// with PostgreSQL's skip it.
	Extension bool

	colIndex map[string]int
}

var views = map[string]*View{}

func register(v *View) {
	if v.Kind == 0 {
		v.Kind = 'v'
	}
	v.colIndex = make(map[string]int, len(v.Cols))
	for i, c := range v.Cols {
		v.colIndex[c.Name] = i
	}
	views[v.Schema+"."+v.Name] = v
}

// Lookup finds a system view by schema ("pg_catalog" or
// "information_schema") and name.
func Lookup(schema, name string) *View { return views[schema+"."+name] }

// Views lists every system view, by OID.
func Views() []*View {
	out := make([]*View, 0, len(views))
	for _, v := range views {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out
}

// ByOID finds a system view by its pg_class OID.
func ByOID(oid uint32) *View {
	for _, v := range views {
		if v.OID == oid {
			return v
		}
	}
	return nil
}

// SchemaOID is the namespace OID of a system view.
func (v *View) SchemaOID() uint32 {
	if v.Schema == "information_schema" {
		return catalog.InfoSchemaOID
	}
	return catalog.PgCatalogOID
}

// RelationName names a system view OID as regclass output does
// (pg_catalog views unqualified; information_schema ones qualified unless
// search_path lists it). ok is false for other OIDs.
func RelationName(env bound.Env, oid uint32) (string, bool) {
	v := ByOID(oid)
	if v == nil {
		return "", false
	}
	if v.Schema == "pg_catalog" || builtins.RelationVisible(env, v.SchemaOID(), v.Name) {
		return v.Name, true
	}
	return v.Schema + "." + v.Name, true
}

// RegclassOID resolves a system view by (optional) schema and name, as
// 'pg_class'::regclass needs: pg_catalog always, information_schema when
// named or on search_path.
func RegclassOID(env bound.Env, schema, name string) (uint32, bool) {
	if schema != "" {
		if v := Lookup(schema, name); v != nil {
			return v.OID, true
		}
		return 0, false
	}
	if v := Lookup("pg_catalog", name); v != nil {
		return v.OID, true
	}
	for _, s := range env.SearchPath() {
		if s == "information_schema" {
			if v := Lookup(s, name); v != nil {
				return v.OID, true
			}
		}
	}
	return 0, false
}

func init() {
	builtins.SystemRelations = func() []builtins.SysRelation {
		var out []builtins.SysRelation
		for _, v := range Views() {
			names := make([]string, len(v.Cols))
			for i, c := range v.Cols {
				names[i] = c.Name
			}
			out = append(out, builtins.SysRelation{OID: v.OID, Schema: v.SchemaOID(), SchemaName: v.Schema, Name: v.Name, Kind: v.Kind, ColumnNames: names})
		}
		return out
	}
}

// row builds one row of a view by column name; unset columns are NULL.
type row []types.Datum

func (v *View) row() row { return make(row, len(v.Cols)) }

func (v *View) set(r row, name string, d types.Datum) {
	i, ok := v.colIndex[name]
	if !ok {
		panic(fmt.Sprintf("syscat: %s has no column %s", v.Name, name))
	}
	r[i] = d
}

// Datum helpers keep the generators short.
func text(s string) types.Datum  { return types.NewText(s) }
func oid(o uint32) types.Datum   { return types.NewInt(int64(o)) }
func i64(i int64) types.Datum    { return types.NewInt(i) }
func boolean(b bool) types.Datum { return types.NewBool(b) }
func char(c byte) types.Datum {
	if c == 0 {
		return types.NewText("")
	}
	return types.NewText(string([]byte{c}))
}
func float(f float64) types.Datum { return types.NewFloat(f) }

// regproc is a regproc column's value for a function named as PostgreSQL
// prints it: "-" is 0; internal functions this server does not list in
// pg_proc have PostgreSQL's OIDs (internalProcOIDs).
func regproc(name string) types.Datum {
	if name == "-" || name == "" {
		return oid(0)
	}
	if o, ok := internalProcOIDs[name]; ok {
		return oid(o)
	}
	for _, p := range builtins.Procs() {
		if p.Name == name {
			return oid(p.OID)
		}
	}
	return oid(0) // TestRegprocNamesResolve keeps this unreachable
}

// internalProcName is the reverse of internalProcOIDs.
var internalProcName = func() map[uint32]string {
	m := make(map[uint32]string, len(internalProcOIDs))
	for n, o := range internalProcOIDs {
		m[o] = n
	}
	return m
}()

var null = types.Datum{}

func textOrNull(s string) types.Datum {
	if s == "" {
		return null
	}
	return text(s)
}

func textArray(ss []string) types.Datum {
	elems := make([]types.Datum, len(ss))
	for i, s := range ss {
		elems[i] = text(s)
	}
	return types.NewArray(types.Text, elems)
}

func int2Array(vals []int64) types.Datum {
	elems := make([]types.Datum, len(vals))
	for i, v := range vals {
		elems[i] = i64(v)
	}
	return types.NewArray(types.Int2, elems)
}

// Common column types.
var (
	tOID   = types.OID
	tName  = types.Name
	tText  = types.Text
	tBool  = types.Bool
	tInt2  = types.Int2
	tInt4  = types.Int4
	tInt8  = types.Int8
	tChar  = types.Char
	tFloat = types.Float4
)

// columnTypes maps the type names of PostgreSQL's catalog columns to the
// types the views use. Types this server has no values of are shown as
// the nearest one: aclitem[] and pg_node_tree (always NULL here, or the
// expression text) as text, xid as oid (a 32-bit counter), inet and
// pg_lsn as text. regproc columns hold OIDs (0 prints as "-").
var columnTypes = map[string]types.Type{
	"oid": types.OID, "name": types.Name, "text": types.Text, "boolean": types.Bool, "bool": types.Bool,
	"smallint": types.Int2, "integer": types.Int4, "bigint": types.Int8, "real": types.Float4,
	"double precision": types.Float8, `"char"`: types.Char, "char": types.Char,
	"text[]": types.TextArray, "oid[]": {OID: types.OIDArrayOID, Typmod: -1}, "smallint[]": types.Int2Array,
	`"char"[]`: {OID: types.CharArrayOID, Typmod: -1}, "name[]": {OID: types.NameArrayOID, Typmod: -1},
	"int2vector": {OID: types.Int2VectorOID, Typmod: -1}, "oidvector": {OID: types.OIDVectorOID, Typmod: -1},
	"timestamp with time zone": types.TimestampTZ, "interval": types.Interval, "regtype": types.Regtype,
	"regclass": types.Regclass, "regproc": types.Regproc, "xid": types.OID, "aclitem[]": types.TextArray,
	"pg_node_tree": types.Text, "inet": types.Text, "pg_lsn": types.Text, "anyarray": types.Text,
	"real[]": {OID: types.Float4ArrayOID, Typmod: -1}, "regtype[]": {OID: types.RegtypeArrayOID, Typmod: -1},
	"bytea": types.Bytea, "character varying": types.Varchar,
	// information_schema domains
	"sql_identifier": types.Name, "character_data": types.Varchar, "cardinal_number": types.Int4,
	"yes_or_no": types.VarcharN(3), "time_stamp": types.TimestampTZ,
}

// cols parses "name type, name type, ..." (PostgreSQL's spelling of the
// column types, as format_type prints them).
func cols(spec string) []Column {
	var out []Column
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		sp := strings.IndexByte(part, ' ')
		name, typ := part[:sp], strings.TrimSpace(part[sp+1:])
		t, ok := columnTypes[typ]
		if !ok {
			panic("syscat: unknown column type " + typ)
		}
		out = append(out, Column{Name: name, Type: t})
	}
	return out
}
