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

// The .slt format checks an error's SQLSTATE and message; this test also
// compares the hint and the position (the caret psql draws), which
// PostgreSQL derives from the expression the error is about, for the
// errors of types_json_sort_group.slt and ddl_view_duplicate_columns.slt.
var errorPositionSchema = []string{
	`CREATE TABLE js (id int PRIMARY KEY, j json, jb jsonb)`,
	`CREATE VIEW rv AS SELECT 1 AS x`,
}

var errorPositionQueries = []string{
	`SELECT j FROM js ORDER BY j`,
	`SELECT id FROM js ORDER BY 1, j DESC`,
	`SELECT j FROM js ORDER BY 1`,
	`SELECT id FROM js ORDER BY j->'a'`,
	`SELECT id FROM js ORDER BY (j)`,
	`SELECT j FROM js ORDER BY j USING <`,
	`SELECT ARRAY[j] FROM js ORDER BY 1`,
	`SELECT DISTINCT j FROM js`,
	`SELECT DISTINCT id, j FROM js`,
	`SELECT DISTINCT * FROM js`,
	`SELECT DISTINCT ON (j) id FROM js`,
	`SELECT DISTINCT ON (2) id, j FROM js`,
	`SELECT j FROM js GROUP BY j`,
	`SELECT j FROM js GROUP BY 1`,
	`SELECT 1 FROM js GROUP BY ROLLUP(id, j)`,
	`SELECT j FROM js GROUP BY j ORDER BY j`,
	`SELECT DISTINCT j FROM js ORDER BY j`,
	`SELECT id, j FROM js UNION SELECT id, j FROM js`,
	`SELECT j FROM js INTERSECT SELECT j FROM js`,
	`SELECT id, j FROM js UNION ALL SELECT id, j FROM js ORDER BY 2`,
	`SELECT count(DISTINCT j) FROM js`,
	`SELECT array_agg(j ORDER BY j) FROM js`,
	`SELECT row_number() OVER (ORDER BY j) FROM js`,
	`SELECT row_number() OVER (PARTITION BY id, j) FROM js`,
	`SELECT j IN ('{}'::json) FROM js`,
	`SELECT j NOT IN ('{}'::json, '[]') FROM js`,
	`SELECT j IN ('{}') FROM js`,
	`SELECT greatest(j, j) FROM js`,
	`CREATE VIEW v1 AS SELECT 1 AS x, 2 AS x`,
	`CREATE VIEW v2 (x, x) AS SELECT 1, 2`,
	`CREATE VIEW v3 AS SELECT * FROM js a, js b`,
	`CREATE OR REPLACE VIEW rv AS SELECT 1 AS x, 2 AS x`,
}

func TestErrorPositionsMatchPostgres(t *testing.T) {
	oracle, err := pgoracle.Shared()
	if errors.Is(err, pgoracle.ErrUnavailable) {
		t.Skipf("PostgreSQL oracle: %v", err)
	} else if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	open := func(dsn string) *pgx.Conn {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(ctx) })
		return c
	}
	// The oracle is shared: a database of this test's own.
	admin := open(oracle)
	for _, q := range []string{`DROP DATABASE IF EXISTS error_positions`, `CREATE DATABASE error_positions`} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := pgx.ParseConfig(oracle)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database = "error_positions"
	pg, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close(ctx) })
	prk := open(prkdbtest.Start(t, prkdbtest.Options{}).DSN)
	for _, c := range []*pgx.Conn{pg, prk} {
		for _, q := range errorPositionSchema {
			if _, err := c.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	describe := func(c *pgx.Conn, q string) string {
		_, err := c.Exec(ctx, q, pgx.QueryExecModeSimpleProtocol)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			return fmt.Sprintf("no error (%v)", err)
		}
		return fmt.Sprintf("%s %q hint=%q position=%d", pe.Code, pe.Message, pe.Hint, pe.Position)
	}
	for _, q := range errorPositionQueries {
		want, got := describe(pg, q), describe(prk, q)
		if !strings.HasPrefix(want, "42") {
			t.Errorf("%s: PostgreSQL answered %s; the query no longer tests an error", q, want)
		}
		if got != want {
			t.Errorf("%s:\n got  %s\n want %s (PostgreSQL)", q, got, want)
		}
	}
}
