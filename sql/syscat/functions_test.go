package syscat_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// TestCatalogFunctionsMatchPostgres evaluates catalog functions on both
// servers and compares the text of the answers.
func TestCatalogFunctionsMatchPostgres(t *testing.T) {
	exprs := []string{
		`format_type(1042::oid, NULL)`, `format_type(1042::oid, -1)`, `format_type(1043::oid, 14)`, `format_type(1700::oid, 655366)`,
		`format_type(1184::oid, 3)`, `format_type(1007::oid, -1)`, `format_type(22::oid, NULL)`, `format_type(30::oid, NULL)`,
		`format_type(NULL, 1)`, `format_type(25::oid, NULL)`, `format_type(1186::oid, 458751)`, `format_type(1186::oid, 470286339)`, `format_type(18::oid, NULL)`,
		`format_type(1015::oid, 14)`, `format_type(1014::oid, NULL)`, `format_type(2950::oid, NULL)`, `format_type(16::oid, NULL)`,
		`pg_size_pretty(0::bigint)`, `pg_size_pretty(10239::bigint)`, `pg_size_pretty(10240::bigint)`,
		`pg_size_pretty(20971519::bigint)`, `pg_size_pretty(123456789::bigint)`, `pg_size_pretty(-123456789::bigint)`,
		`pg_size_pretty(1234567890123456::bigint)`, `pg_size_pretty(9223372036854775807::bigint)`,
		`quote_ident('abc')`, `quote_ident('Abc')`, `quote_ident('user')`, `quote_ident('a b')`, `quote_ident('name')`,
		`quote_ident('a"b')`, `quote_ident('time')`, `quote_ident('left')`, `quote_ident('_x1')`, `quote_ident('1x')`,
		`pg_encoding_to_char(6)`, `pg_encoding_to_char(0)`, `pg_encoding_to_char(999)`,
		`pg_get_userbyid(10::oid)`, `pg_get_userbyid(6171::oid)`, `pg_get_userbyid(1::oid)`,
		`array_position(ARRAY[1,2,3,2], 2)`, `array_position(ARRAY[1,2,3,2], 2, 3)`, `array_position(ARRAY['a','b'], 'c')`,
		`array_length(ARRAY[1,2,3], 1)`, `array_length(ARRAY[1,2,3], 2)`, `array_upper(ARRAY[1,2,3], 1)`, `array_lower(ARRAY[1,2], 1)`,
		`cardinality(ARRAY[1,2,3])`,
		`pg_table_is_visible('orders'::regclass::oid)`, `pg_table_is_visible('extra.things'::regclass::oid)`,
		`pg_get_serial_sequence('orders', 'id')`, `pg_get_serial_sequence('customers', 'email')`,
		`has_table_privilege('orders', 'SELECT')`, `has_table_privilege('postgres', 'orders', 'SELECT')`,
		`has_schema_privilege('public', 'USAGE')`, `has_database_privilege('syscat_cmp', 'CONNECT')`,
		`has_column_privilege('orders', 'status', 'SELECT')`, `pg_has_role('pg_read_all_stats', 'USAGE')`,
		`to_regclass('orders')`, `to_regclass('nope')`, `to_regclass('extra.things')`,
		`pg_is_in_recovery()`, `pg_tablespace_location(1663::oid)`, `obj_description('customers'::regclass::oid, 'pg_class')`,
		`col_description('customers'::regclass::oid, 2)`, `col_description('customers'::regclass::oid, 1)`,
		`shobj_description(5::oid, 'pg_database')`, `pg_get_indexdef('orders_cust_note_uq'::regclass::oid)`,
		`pg_get_indexdef('orders_cust_note_uq'::regclass::oid, 0, true)`, `pg_get_indexdef('orders_cust_note_uq'::regclass::oid, 2, false)`,
		`pg_get_viewdef('paid_orders')`, `pg_get_viewdef('paid_orders', true)`,
		`pg_relation_size('orders')`, `pg_table_size('customers')`, `pg_indexes_size('orders')`, `pg_total_relation_size('orders')`,
		`pg_relation_size('orders_pkey')`,
	}
	ctx := context.Background()
	oracle := pgoracle.Start(t)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	conns := map[string]*pgx.Conn{}
	for name, dsn := range map[string]string{"postgres": oracle, "prkdb": srv.DSN} {
		freshDB(t, dsn, testDB)
		c, err := pgx.Connect(ctx, dsnFor(t, dsn, testDB))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		for _, s := range schemaSQL {
			if _, err := c.Exec(ctx, s); err != nil {
				t.Fatalf("%s: %s: %v", name, s, err)
			}
		}
		conns[name] = c
	}
	eval := func(c *pgx.Conn, e string) string {
		rows, err := c.Query(ctx, "SELECT "+e, pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			return "ERROR: " + err.Error()
		}
		defer rows.Close()
		out := "<no row>"
		for rows.Next() {
			v := rows.RawValues()[0]
			if v == nil {
				out = "<NULL>"
			} else {
				out = string(v)
			}
		}
		if err := rows.Err(); err != nil {
			return "ERROR: " + err.Error()
		}
		return out
	}
	for _, e := range exprs {
		want, got := eval(conns["postgres"], e), eval(conns["prkdb"], e)
		if want != got {
			t.Errorf("SELECT %s\n  postgres: %q\n  prkdb:    %q", e, want, got)
		}
	}
}
