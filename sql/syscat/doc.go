// Package syscat owns the system views clients query: pg_catalog's tables
// (pg_class, pg_attribute, pg_namespace, pg_type, pg_index ...) and
// information_schema's views, generated on demand from the live catalog so
// they are never stale and nothing is stored twice. OIDs are the catalog's
// own, stable for the life of an object.
//
// Must never: store rows, or let a system view be written to.
package syscat
