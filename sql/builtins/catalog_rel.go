package builtins

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
)

// SysRelation describes a system view (pg_catalog or information_schema)
// as a relation.
type SysRelation struct {
	OID         uint32
	Schema      uint32
	SchemaName  string
	Name        string
	Kind        byte
	ColumnNames []string
}

// SystemRelations is set by sql/syscat (which imports this package) to
// list the system views, so that catalog functions can name them.
var SystemRelations func() []SysRelation

// Rel is any relation of the session's database by OID: a table or view,
// an index, a sequence or a system view.
type Rel struct {
	OID    uint32
	Schema uint32
	Name   string
	Kind   byte
	Owner  uint32
	Table  *catalog.Table // tables and views; the indexed table of an index
	Index  *catalog.Index
	Seq    *catalog.Sequence
	Sys    *SysRelation
}

// LookupRel finds a relation by OID.
func LookupRel(cat *catalog.Catalog, oid uint32) (Rel, bool) {
	if t := cat.Table(oid); t != nil {
		return Rel{OID: oid, Schema: t.Schema, Name: t.Name, Kind: t.Kind, Owner: t.Owner, Table: t}, true
	}
	if s := cat.Sequence(oid); s != nil {
		return Rel{OID: oid, Schema: s.Schema, Name: s.Name, Kind: catalog.RelSequence, Owner: s.Owner, Seq: s}, true
	}
	if t, ix := cat.IndexOwner(oid); ix != nil {
		return Rel{OID: oid, Schema: t.Schema, Name: ix.Name, Kind: catalog.RelIndex, Owner: t.Owner, Table: t, Index: ix}, true
	}
	if SystemRelations != nil && oid < catalog.FirstUserOID {
		for _, s := range SystemRelations() {
			if s.OID == oid {
				s := s
				return Rel{OID: oid, Schema: s.Schema, Name: s.Name, Kind: s.Kind, Owner: catalog.PostgresRoleOID, Sys: &s}, true
			}
		}
	}
	return Rel{}, false
}

// searchSchemas is the effective search path as schema OIDs: pg_catalog
// first (unless listed), then the existing schemas of search_path.
func searchSchemas(env bound.Env) []uint32 {
	cat := env.Catalog()
	out := []uint32{catalog.PgCatalogOID}
	if ts := TempSchemaOf(env); ts != 0 {
		// The session's temporary schema is searched first for relations
		// (PostgreSQL's implicit pg_temp).
		out = []uint32{ts, catalog.PgCatalogOID}
	}
	for _, n := range env.SearchPath() {
		switch n {
		case "pg_catalog":
			continue
		case "information_schema":
			out = append(out, catalog.InfoSchemaOID)
			continue
		}
		if s := cat.SchemaByName(env.DatabaseOID(), n); s != nil {
			out = append(out, s.OID)
		}
	}
	return out
}

// TempSchemaEnv is an Env with a temporary schema (a session's, sql/temp.go).
type TempSchemaEnv interface {
	// TempSchemaOID is the session's temporary schema, 0 if it has none.
	TempSchemaOID() uint32
}

// TempSchemaOf returns env's temporary schema OID, or 0.
func TempSchemaOf(env bound.Env) uint32 {
	if t, ok := env.(TempSchemaEnv); ok {
		return t.TempSchemaOID()
	}
	return 0
}

// IsTempSchema: oid is some session's temporary schema (pg_temp_N).
func IsTempSchema(cat *catalog.Catalog, oid uint32) bool {
	s := cat.Schema(oid)
	return s != nil && (strings.HasPrefix(s.Name, "pg_temp_") || strings.HasPrefix(s.Name, "pg_toast_temp_"))
}

// relationInSchema finds a relation (catalog or system) by schema and name.
func relationInSchema(cat *catalog.Catalog, schema uint32, name string) (uint32, bool) {
	if oid, _, ok := cat.Relation(schema, name); ok {
		return oid, true
	}
	if SystemRelations != nil && (schema == catalog.PgCatalogOID || schema == catalog.InfoSchemaOID) {
		for _, s := range SystemRelations() {
			if s.Schema == schema && s.Name == name {
				return s.OID, true
			}
		}
	}
	return 0, false
}

// RelationVisible is pg_table_is_visible's test: the first relation of
// search_path with this name is the one in schema.
func RelationVisible(env bound.Env, schema uint32, name string) bool {
	cat := env.Catalog()
	for _, s := range searchSchemas(env) {
		if _, ok := relationInSchema(cat, s, name); ok {
			return s == schema
		}
	}
	return false
}

// VisibleFunc returns RelationVisible bound to env (for the printers).
func VisibleFunc(env bound.Env) func(schema uint32, name string) bool {
	return func(schema uint32, name string) bool { return RelationVisible(env, schema, name) }
}

// SchemaName names a schema OID (built-in ones included).
func SchemaName(cat *catalog.Catalog, oid uint32) string {
	switch oid {
	case catalog.PgCatalogOID:
		return "pg_catalog"
	case catalog.InfoSchemaOID:
		return "information_schema"
	case 99:
		return "pg_toast"
	}
	if s := cat.Schema(oid); s != nil {
		return s.Name
	}
	return ""
}
