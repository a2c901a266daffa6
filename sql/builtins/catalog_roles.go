package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/catalog"
)

// PredefinedRole is one of the roles every PostgreSQL 15 cluster has from
// initdb (pg_authid rows below FirstNormalObjectId). They are not catalog
// objects here: they own nothing and cannot log in, but clients list them
// (pg_roles) and PostgreSQL 15 makes pg_database_owner the owner of the
// public schema.
type PredefinedRole struct {
	OID  uint32
	Name string
}

// DatabaseOwnerRoleOID is pg_database_owner.
const DatabaseOwnerRoleOID = 6171

// PredefinedRoles lists them by OID, as pg_authid.
var PredefinedRoles = []PredefinedRole{
	{3373, "pg_monitor"},
	{3374, "pg_read_all_settings"},
	{3375, "pg_read_all_stats"},
	{3377, "pg_stat_scan_tables"},
	{4200, "pg_signal_backend"},
	{4544, "pg_checkpoint"},
	{4569, "pg_read_server_files"},
	{4570, "pg_write_server_files"},
	{4571, "pg_execute_server_program"},
	{DatabaseOwnerRoleOID, "pg_database_owner"},
	{6181, "pg_read_all_data"},
	{6182, "pg_write_all_data"},
}

// RoleName names a role OID: a catalog role or a predefined one.
func RoleName(cat *catalog.Catalog, oid uint32) (string, bool) {
	if r := cat.Role(oid); r != nil {
		return r.Name, true
	}
	for _, p := range PredefinedRoles {
		if p.OID == oid {
			return p.Name, true
		}
	}
	return "", false
}

// RoleOID finds a role by name: a catalog role or a predefined one.
func RoleOID(cat *catalog.Catalog, name string) (uint32, bool) {
	if r := cat.RoleByName(name); r != nil {
		return r.OID, true
	}
	for _, p := range PredefinedRoles {
		if p.Name == name {
			return p.OID, true
		}
	}
	return 0, false
}

// SchemaOwner is nspowner as PostgreSQL 15 reports it: the public schema
// every database starts with belongs to pg_database_owner.
func SchemaOwner(s *catalog.Schema) uint32 {
	if s.Name == "public" && s.Owner == catalog.PostgresRoleOID {
		return DatabaseOwnerRoleOID
	}
	return s.Owner
}

// SchemaACL is nspacl as PostgreSQL 15 shows it for the schemas initdb
// makes (nil: the default, shown as NULL).
func SchemaACL(s *catalog.Schema) []string {
	switch {
	case s.Name == "public" && SchemaOwner(s) == DatabaseOwnerRoleOID:
		return []string{"pg_database_owner=UC/pg_database_owner", "=U/pg_database_owner"}
	case s.OID == catalog.PgCatalogOID || s.OID == catalog.InfoSchemaOID:
		return []string{"postgres=UC/postgres", "=U/postgres"}
	}
	return nil
}

// SchemaDescription is the description initdb gives its schemas.
func SchemaDescription(s *catalog.Schema) string {
	switch {
	case s.OID == 99:
		return "reserved schema for TOAST tables"
	case s.OID == catalog.PgCatalogOID:
		return "system catalog schema"
	case s.Name == "public" && SchemaOwner(s) == DatabaseOwnerRoleOID:
		return "standard public schema"
	}
	return ""
}

// DatabaseDescription is the description initdb gives the postgres
// database.
func DatabaseDescription(d *catalog.Database) string {
	switch d.OID {
	case catalog.PostgresDatabaseOID:
		return "default administrative connection database"
	case catalog.Template1OID:
		return "default template for new databases"
	case catalog.Template0OID:
		return "unmodifiable empty database"
	}
	return ""
}
