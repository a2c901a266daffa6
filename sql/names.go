package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/syscat"
)

// searchPath returns the schema names of search_path, with "$user"
// expanded, in order (pg_catalog is implicitly searched first).
func (s *Session) searchPath() []string {
	v := s.settings.get(settingsByName["search_path"])
	// Every name lookup asks; the setting rarely changes.
	if c := &s.searchPathCache; c.path != nil && c.raw == v && c.user == s.user {
		return c.path
	}
	out := []string{}
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if strings.HasPrefix(p, `"`) && strings.HasSuffix(p, `"`) && len(p) >= 2 {
			p = strings.ReplaceAll(p[1:len(p)-1], `""`, `"`)
		} else {
			p = strings.ToLower(p)
		}
		if p == "$user" {
			p = s.user
		}
		out = append(out, p)
	}
	// Capped: a caller appending to the result gets its own copy.
	out = out[:len(out):len(out)]
	s.searchPathCache.raw, s.searchPathCache.user, s.searchPathCache.path = v, s.user, out
	return out
}

// schemaOID resolves a schema name in the session's database.
// "pg_temp" is the session's temporary schema, once it has one.
func (s *Session) schemaOID(cat *catalog.Catalog, name string) (uint32, bool) {
	if name == "pg_temp" {
		if sc := s.tempSchema(cat); sc != nil {
			return sc.OID, true
		}
		return 0, false
	}
	sch := cat.SchemaByName(s.dbOID, name)
	if sch == nil {
		return 0, false
	}
	return sch.OID, true
}

// creationSchema is where unqualified CREATE puts an object: the first
// existing schema of search_path (3F000 if none); pg_temp listed first
// makes it the session's temporary schema (PostgreSQL's
// recomputeNamespacePath), created if needed.
func (s *Session) creationSchema(cat *catalog.Catalog, explicit string) (uint32, error) {
	if explicit != "" {
		if explicit == "pg_temp" {
			return s.ensureTempSchema(cat)
		}
		oid, ok := s.schemaOID(cat, explicit)
		if !ok {
			return 0, pgerror.New(pgerror.InvalidSchemaName, "schema \"%s\" does not exist", explicit)
		}
		return oid, nil
	}
	for _, name := range s.searchPath() {
		if name == "pg_temp" {
			return s.ensureTempSchema(cat)
		}
		if oid, ok := s.schemaOID(cat, name); ok {
			return oid, nil
		}
	}
	return 0, pgerror.New(pgerror.InvalidSchemaName, "no schema has been selected to create in")
}

// lookupRelation finds a relation by optional schema and name.
func (s *Session) lookupRelation(cat *catalog.Catalog, schema, name string) (uint32, byte, bool) {
	if schema != "" {
		sc, ok := s.schemaOID(cat, schema)
		if !ok {
			return 0, 0, false
		}
		return cat.Relation(sc, name)
	}
	path := s.searchPath()
	if s.temp.slot != 0 && !pathHasTemp(path) {
		// The temporary schema is searched first unless search_path
		// places pg_temp explicitly.
		if sc := s.tempSchema(cat); sc != nil {
			if oid, kind, ok := cat.Relation(sc.OID, name); ok {
				return oid, kind, true
			}
		}
	}
	for _, sn := range path {
		if sc, ok := s.schemaOID(cat, sn); ok {
			if oid, kind, ok := cat.Relation(sc, name); ok {
				return oid, kind, true
			}
		}
	}
	return 0, 0, false
}

func pathHasTemp(path []string) bool {
	for _, p := range path {
		if p == "pg_temp" {
			return true
		}
	}
	return false
}

// resolveTable finds the table or view a RangeVar names (42P01 if none);
// another session's temporary table is 0A000.
func (s *Session) resolveTable(cat *catalog.Catalog, rv *pg_query.RangeVar) (*catalog.Table, error) {
	if rv.Catalogname != "" && rv.Catalogname != s.dbName {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "cross-database references are not implemented: \"%s.%s.%s\"", rv.Catalogname, rv.Schemaname, rv.Relname).WithPosition(rv.Location + 1)
	}
	if rv.Schemaname != "" && rv.Schemaname != "pg_temp" && !isSystemSchema(rv.Schemaname) {
		if _, ok := s.schemaOID(cat, rv.Schemaname); !ok {
			return nil, pgerror.New(pgerror.InvalidSchemaName, "schema \"%s\" does not exist", rv.Schemaname).WithPosition(rv.Location + 1)
		}
	}
	oid, kind, ok := s.lookupRelation(cat, rv.Schemaname, rv.Relname)
	if ok && (kind == catalog.RelTable || kind == catalog.RelView || kind == catalog.RelMatView) {
		t := cat.Table(oid)
		if s.otherSessionsTemp(cat, t) {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "cannot access temporary tables of other sessions").WithPosition(rv.Location + 1)
		}
		return t, nil
	}
	name := rv.Relname
	if rv.Schemaname != "" {
		name = rv.Schemaname + "." + rv.Relname
	}
	if ok {
		return nil, pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a table", name).WithPosition(rv.Location + 1)
	}
	return nil, pgerror.New(pgerror.UndefinedTable, "relation \"%s\" does not exist", name).WithPosition(rv.Location + 1)
}

// systemView finds a pg_catalog or information_schema view a RangeVar
// names: qualified, or unqualified for pg_catalog (which is searched
// before search_path, as in PostgreSQL) and for information_schema when
// search_path lists it.
func (s *Session) systemView(rv *pg_query.RangeVar) *syscat.View {
	switch rv.Schemaname {
	case "pg_catalog", "information_schema":
		return syscat.Lookup(rv.Schemaname, rv.Relname)
	case "":
		if v := syscat.Lookup("pg_catalog", rv.Relname); v != nil {
			return v
		}
		for _, sp := range s.searchPath() {
			if sp == "information_schema" {
				return syscat.Lookup(sp, rv.Relname)
			}
		}
	}
	return nil
}

// isSystemSchema: the schemas whose relations are system views (sql/syscat),
// not catalog entries.
func isSystemSchema(name string) bool {
	return name == "pg_catalog" || name == "information_schema"
}
