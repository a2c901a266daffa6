// Package syscat owns the system views clients query: pg_catalog's tables
// (pg_class, pg_attribute, pg_namespace, pg_type, pg_index ...) and
// information_schema's views, generated on demand from the live catalog so
// they are never stale and nothing is stored twice. OIDs are the catalog's
// own, stable for the life of an object; the views themselves carry
// PostgreSQL 15's relation OIDs (pg_class is 1259), and every view has
// PostgreSQL 15's columns in its order (TestViewColumnsMatchPostgres),
// with the types this server has no values of shown as the nearest one
// (aclitem[] and pg_node_tree as text, xid as oid).
//
// Expressions the catalog keeps as SQL text (defaults, CHECK constraints,
// view queries) are printed as PostgreSQL's ruleutils prints its stored
// trees by sql/builtins (catalog_expr.go, catalog_view.go), which also
// holds the catalog functions (format_type, pg_get_*def, visibility,
// privileges, sizes). syscat imports builtins and registers
// builtins.SystemRelations so that those functions can name system views.
//
// Session state the views show comes from bound.Env, and from optional
// methods of it when the session provides them: SettingValues
// (pg_settings), Activity (pg_stat_activity), SequenceLastValue
// (pg_sequences.last_value), PlannerStats (pg_stats, pg_statistic),
// PreparedStatements (pg_prepared_statements), Cursors (pg_cursors). RegName and ResolveReg name and find the
// objects the catalog does not hold (system views, built-in schemas,
// predefined roles, built-in functions) for the reg* types.
//
// The tests compare the captured catalog queries of psql, GORM, pgx and
// pgbench (testdata/) and the catalogs' contents with a PostgreSQL 15
// server holding the same schema.
//
// Must never: store rows, or let a system view be written to.
package syscat
