package tests

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// TestExplainPlans checks the plans prkdb-sql chooses and PostgreSQL's
// EXPLAIN layout (without costs: the plans legitimately differ from
// PostgreSQL's, which chooses by cost on its own statistics).
func TestExplainPlans(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, q := range []string{
		"CREATE TABLE t (id integer PRIMARY KEY, v integer, name text)",
		"CREATE INDEX t_v_idx ON t (v)",
		"INSERT INTO t SELECT 1, 10, 'a'",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	cases := []struct{ query, want string }{
		{"SELECT * FROM t WHERE id = 1", "Index Scan using t_pkey on t\n  Index Cond: (id = 1)"},
		{"SELECT * FROM t WHERE id = $1", "Index Scan using t_pkey on t\n  Index Cond: (id = $1)"},
		{"SELECT * FROM t WHERE id >= 5 AND id < 9", "Index Scan using t_pkey on t\n  Index Cond: ((id >= 5) AND (id < 9))"},
		{"SELECT * FROM t WHERE v = 3", "Index Scan using t_v_idx on t\n  Index Cond: (v = 3)"},
		{"SELECT * FROM t WHERE name = 'x'", "Seq Scan on t\n  Filter: (name = 'x'::text)"},
		// An index delivering the ORDER BY lets LIMIT stop early.
		{"SELECT name FROM t WHERE id > 5 ORDER BY v LIMIT 3",
			"Limit\n  ->  Index Scan using t_v_idx on t\n        Filter: (id > 5)"},
		{"SELECT name FROM t WHERE id > 5 ORDER BY name LIMIT 3",
			"Limit\n  ->  Sort\n        Sort Key: name\n        ->  Index Scan using t_pkey on t\n              Index Cond: (id > 5)"},
		{"SELECT count(*) FROM t", "Aggregate\n  ->  Seq Scan on t"},
		{"SELECT * FROM t ORDER BY id LIMIT 3", "Limit\n  ->  Index Scan using t_pkey on t"},
		{"SELECT * FROM t ORDER BY id DESC LIMIT 3", "Limit\n  ->  Index Scan Backward using t_pkey on t"},
		{"SELECT * FROM t WHERE v > 2 ORDER BY v LIMIT 3", "Limit\n  ->  Index Scan using t_v_idx on t\n        Index Cond: (v > 2)"},
		{"SELECT * FROM t ORDER BY v NULLS FIRST LIMIT 3", "Limit\n  ->  Sort\n        Sort Key: v NULLS FIRST\n        ->  Seq Scan on t"},
		{"SELECT v, count(*) FROM t GROUP BY v", "HashAggregate\n  Group Key: v\n  ->  Seq Scan on t"},
		{"UPDATE t SET v = v + 1 WHERE id = 1", "Update on t\n  ->  Index Scan using t_pkey on t\n        Index Cond: (id = 1)"},
		{"DELETE FROM t WHERE v < 0", "Delete on t\n  ->  Index Scan using t_v_idx on t\n        Index Cond: (v < 0)"},
		// WITH RECURSIVE: the recursive union is the CTE Scan's init plan.
		{"WITH RECURSIVE w(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM w WHERE n < 10) SELECT n FROM w",
			"CTE Scan on w\n  CTE w\n    ->  Recursive Union\n          ->  Result\n          ->  WorkTable Scan on w w_1\n                Filter: (n < 10)"},
	}
	for _, tc := range cases {
		args := []any{}
		if strings.Contains(tc.query, "$1") {
			args = append(args, 1)
		}
		rows, err := c.Query(ctx, "EXPLAIN "+tc.query, args...)
		if err != nil {
			t.Fatalf("EXPLAIN %s: %v", tc.query, err)
		}
		var lines []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, line)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("EXPLAIN %s: %v", tc.query, err)
		}
		if got := strings.Join(lines, "\n"); got != tc.want {
			t.Errorf("EXPLAIN %s:\n got:\n%s\nwant:\n%s", tc.query, got, tc.want)
		}
	}
}
