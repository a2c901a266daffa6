package tests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// CREATE TABLE AS, SELECT INTO and INSERT ... SELECT with $n parameters
// through the extended protocol (Parse, Describe, Bind, Execute), which the
// .slt runner does not use: the command tags, the errors, the new tables'
// column types and rows must be PostgreSQL 15's (ddl_create_table_as.slt
// and dml_insert_select_unknown.slt cover the simple protocol).

var ctasExtendedSchema = []string{
	`CREATE TABLE src (id int PRIMARY KEY, name varchar(10), price numeric(10,2))`,
	`INSERT INTO src VALUES (1, 'apple', 1.50), (2, 'pear', 2.25), (3, 'fig', 0.10)`,
	`CREATE TABLE tj (id int, j json, d date)`,
}

type ctasStep struct {
	sql   string
	args  []any
	table string // the table whose columns and rows to compare afterwards
}

var ctasExtendedSteps = []ctasStep{
	{sql: `CREATE TABLE p1 AS SELECT id, name, price FROM src WHERE id >= $1`, args: []any{2}, table: "p1"},
	{sql: `SELECT id, $1::text AS label INTO p2 FROM src WHERE id < $2`, args: []any{"x", 3}, table: "p2"},
	{sql: `CREATE TABLE p3 (a, b) AS SELECT $1::int + id, name FROM src ORDER BY id LIMIT $2`, args: []any{10, 2}, table: "p3"},
	{sql: `CREATE TABLE IF NOT EXISTS p1 AS SELECT $1::int AS x`, args: []any{1}, table: "p1"},
	{sql: `CREATE TABLE p1 AS SELECT $1::int AS x`, args: []any{1}},
	{sql: `CREATE TABLE p4 AS SELECT id FROM src WHERE id = $1 WITH NO DATA`, args: []any{1}, table: "p4"},
	{sql: `CREATE TABLE p5 AS SELECT 1 / ($1::int - 1) AS boom`, args: []any{1}},
	{sql: `INSERT INTO tj (id, j) SELECT $1, '{"a": 1}'`, args: []any{1}, table: "tj"},
	{sql: `INSERT INTO tj (id, d) SELECT id, '2020-02-02' FROM src WHERE id > $1`, args: []any{1}, table: "tj"},
	{sql: `INSERT INTO tj (id, j, d) SELECT $1, $2, $3`, args: []any{7, `[1, 2]`, "2021-03-04"}, table: "tj"},
	{sql: `INSERT INTO tj (id) SELECT $1 UNION SELECT 8`, args: []any{9}, table: "tj"},
	{sql: `CREATE TABLE p6 AS SELECT $1 AS v`, args: []any{"hello"}, table: "p6"},
	{sql: `CREATE TABLE p7 AS SELECT 1 AS n UNION SELECT $1`, args: []any{2}, table: "p7"},
}

func TestCreateTableAsExtendedMatchesPostgres(t *testing.T) {
	oracle, err := pgoracle.Shared()
	if errors.Is(err, pgoracle.ErrUnavailable) {
		t.Skipf("PostgreSQL oracle: %v", err)
	} else if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	open := func(dsn, db string) *pgx.Conn {
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			t.Fatal(err)
		}
		if db != "" {
			cfg.Database = db
		}
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(ctx) })
		return c
	}
	// The oracle is shared: a database of this test's own.
	admin := open(oracle, "")
	for _, q := range []string{`DROP DATABASE IF EXISTS ctas_extended`, `CREATE DATABASE ctas_extended`} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	pg := open(oracle, "ctas_extended")
	prk := open(prkdbtest.Start(t, prkdbtest.Options{}).DSN, "")
	for _, c := range []*pgx.Conn{pg, prk} {
		for _, q := range ctasExtendedSchema {
			if _, err := c.Exec(ctx, q, pgx.QueryExecModeSimpleProtocol); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	run := func(c *pgx.Conn, st ctasStep) string {
		var out strings.Builder
		// QueryExecModeDescribeExec: Parse and Describe (the parameter
		// types come from the server), then Bind and Execute.
		tag, err := c.Exec(ctx, st.sql, append([]any{pgx.QueryExecModeDescribeExec}, st.args...)...)
		var pe *pgconn.PgError
		switch {
		case errors.As(err, &pe):
			fmt.Fprintf(&out, "error %s %s\n", pe.Code, pe.Message)
		case err != nil:
			fmt.Fprintf(&out, "error %v\n", err)
		default:
			fmt.Fprintf(&out, "tag %s\n", tag.String())
		}
		if st.table == "" {
			return out.String()
		}
		for _, q := range []string{
			`SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '` + st.table + `'::regclass AND attnum > 0 ORDER BY attnum`,
			`SELECT t::text FROM ` + st.table + ` t ORDER BY 1`,
		} {
			rows, err := c.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			vals, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			fmt.Fprintf(&out, "%s\n", strings.Join(vals, "\n"))
		}
		return out.String()
	}
	for _, st := range ctasExtendedSteps {
		want, got := run(pg, st), run(prk, st)
		if got != want {
			t.Errorf("%s %v:\n got:\n%s want (PostgreSQL):\n%s", st.sql, st.args, got, want)
		} else {
			t.Logf("%s %v:\n%s", st.sql, st.args, want)
		}
	}
}
