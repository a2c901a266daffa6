package tests

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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
		// Grouping sets: PostgreSQL's shape for hashed sets.
		{"SELECT v, count(*) FROM t GROUP BY ROLLUP (v, name)",
			"MixedAggregate\n  Hash Key: v, name\n  Hash Key: v\n  Group Key: ()\n  ->  Seq Scan on t"},
		{"SELECT count(*) FROM t GROUP BY GROUPING SETS ((v), (name))",
			"HashAggregate\n  Hash Key: v\n  Hash Key: name\n  ->  Seq Scan on t"},
		{"SELECT count(*) FROM t GROUP BY GROUPING SETS ((), ())", "Aggregate\n  Group Key: ()\n  Group Key: ()\n  ->  Seq Scan on t"},
		{"SELECT v, count(*) FROM t GROUP BY GROUPING SETS ((v))", "HashAggregate\n  Group Key: v\n  ->  Seq Scan on t"},
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
		rows, err := c.Query(ctx, "EXPLAIN (COSTS OFF) "+tc.query, args...)
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

// explainLines runs EXPLAIN and returns its lines.
func explainLines(t *testing.T, c *pgx.Conn, query string) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := c.Query(ctx, query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
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
		t.Fatalf("%s: %v", query, err)
	}
	return lines
}

// memRE masks the memory figure of a sort or hash in EXPLAIN ANALYZE.
var memRE = regexp.MustCompile(`Memory( Usage)?: \d+kB`)

// costRE masks the figures of PostgreSQL's cost annotation.
var costRE = regexp.MustCompile(`  \(cost=\d+\.\d\d\.\.\d+\.\d\d rows=(\d+) width=\d+\)`)

// TestExplainEstimates: plain EXPLAIN prints "(cost=a..b rows=N width=W)"
// on every node as PostgreSQL does, and after ANALYZE the row estimates
// follow the data (exact figures are ours, not PostgreSQL's: the rows are
// checked, the costs only for their layout).
func TestExplainEstimates(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, q := range []string{
		"CREATE TABLE big (id integer PRIMARY KEY, g integer, s text)",
		"CREATE TABLE small (id integer PRIMARY KEY, name text)",
		"CREATE INDEX big_g ON big (g)",
		"INSERT INTO big SELECT i, i % 50, 'row ' || i FROM generate_series(1, 20000) i",
		"INSERT INTO small SELECT i, 'n' || i FROM generate_series(1, 200) i",
		"ANALYZE big",
		"ANALYZE small",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	cases := []struct {
		query string
		shape string // the plan with costs masked as (rows=N)
	}{
		{"SELECT * FROM big", "Seq Scan on big (rows=20000)"},
		{"SELECT * FROM big WHERE g = 7", "Index Scan using big_g on big (rows=400)\n  Index Cond: (g = 7)"},
		{"SELECT * FROM big WHERE id = 7", "Index Scan using big_pkey on big (rows=1)\n  Index Cond: (id = 7)"},
		{"SELECT * FROM big WHERE id <= 2000", "Index Scan using big_pkey on big (rows=2000)\n  Index Cond: (id <= 2000)"},
		// Most of the table: reading it all beats an index walk.
		{"SELECT * FROM big WHERE id > 1000", "Seq Scan on big (rows=19000)\n  Filter: (id > 1000)"},
		{"SELECT * FROM big WHERE id IN (1, 2, 3)", "Index Scan using big_pkey on big (rows=3)\n  Index Cond: (id IN (1, 2, 3))"},
		{"SELECT g, count(*) FROM big GROUP BY g", "HashAggregate (rows=50)\n  Group Key: g\n  ->  Seq Scan on big (rows=20000)"},
		{"SELECT count(*) FROM big b JOIN small s ON s.id = b.g",
			"Aggregate (rows=1)\n  ->  Hash Join (rows=20000)\n        Hash Cond: (b.g = s.id)\n        ->  Seq Scan on big b (rows=20000)\n        ->  Hash (rows=200)\n              ->  Seq Scan on small s (rows=200)"},
		{"SELECT * FROM big ORDER BY g LIMIT 5", "Limit (rows=5)\n  ->  Index Scan using big_g on big (rows=20000)"},
		// A join written as a WHERE clause over a comma list is a hash join too.
		{"SELECT count(*) FROM big b, small s WHERE s.id = b.g AND b.id > 5",
			"Aggregate (rows=1)\n  ->  Hash Join (rows=19996)\n        Hash Cond: (b.g = s.id)\n        ->  Seq Scan on big b (rows=19996)\n              Filter: (id > 5)\n        ->  Hash (rows=200)\n              ->  Seq Scan on small s (rows=200)"},
		// The smaller input is hashed whichever side it is written on.
		{"SELECT count(*) FROM small s JOIN big b ON b.g = s.id",
			"Aggregate (rows=1)\n  ->  Hash Join (rows=20000)\n        Hash Cond: (b.g = s.id)\n        ->  Seq Scan on big b (rows=20000)\n        ->  Hash (rows=200)\n              ->  Seq Scan on small s (rows=200)"},
		// Few outer rows: look the inner table's index up per row (index
		// nested loop) rather than hash all of it.
		{"SELECT b.s FROM small s JOIN big b ON b.id = s.id WHERE s.id < 10",
			"Nested Loop (rows=10)\n  ->  Index Scan using small_pkey on small s (rows=10)\n        Index Cond: (id < 10)\n  ->  Index Scan using big_pkey on big b (rows=1)\n        Index Cond: (id = s.id)"},
		{"SELECT s.name, b.id FROM small s LEFT JOIN big b ON b.g = s.id WHERE s.id = 3",
			"Nested Loop Left Join (rows=100)\n  ->  Index Scan using small_pkey on small s (rows=1)\n        Index Cond: (id = 3)\n  ->  Index Scan using big_g on big b (rows=400)\n        Index Cond: (g = s.id)"},
	}
	for _, tc := range cases {
		lines := explainLines(t, c, "EXPLAIN "+tc.query)
		for i, l := range lines {
			if !strings.HasPrefix(strings.TrimSpace(l), "->") && i > 0 && !costRE.MatchString(l) {
				continue // a detail line
			}
			if !costRE.MatchString(l) {
				t.Errorf("EXPLAIN %s: line %q lacks (cost=... rows=... width=...)", tc.query, l)
			}
			lines[i] = costRE.ReplaceAllString(l, " (rows=$1)")
		}
		if got := strings.Join(lines, "\n"); got != tc.shape {
			t.Errorf("EXPLAIN %s:\n got:\n%s\nwant:\n%s", tc.query, got, tc.shape)
		}
	}
}

// TestExplainJoinOrder: a chain of inner joins starts from the most
// selective relation and reaches the others through their indexes,
// whatever order the query wrote them in.
func TestExplainJoinOrder(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, q := range []string{
		"CREATE TABLE big (id integer PRIMARY KEY, g integer, s text)",
		"CREATE TABLE small (id integer PRIMARY KEY, name text)",
		"CREATE INDEX big_g ON big (g)",
		"INSERT INTO big SELECT i, i % 50, 'row ' || i FROM generate_series(1, 20000) i",
		"INSERT INTO small SELECT i, 'n' || i FROM generate_series(1, 200) i",
		"ANALYZE",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	got := strings.Join(explainLines(t, c, "EXPLAIN (COSTS OFF) SELECT count(*) FROM big b1 JOIN big b2 ON b2.id = b1.id JOIN small s ON s.id = b1.g WHERE s.name = 'n3'"), "\n")
	want := `Aggregate
  ->  Nested Loop
        ->  Nested Loop
              ->  Seq Scan on small s
                    Filter: (name = 'n3'::text)
              ->  Index Scan using big_g on big b1
                    Index Cond: (g = s.id)
        ->  Index Scan using big_pkey on big b2
              Index Cond: (id = b1.id)`
	if got != want {
		t.Errorf("join order:\n got:\n%s\nwant:\n%s", got, want)
	}
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM big b1 JOIN big b2 ON b2.id = b1.id JOIN small s ON s.id = b1.g WHERE s.name = 'n3'").Scan(&n); err != nil || n != 400 {
		t.Errorf("count: %d, %v; want 400", n, err)
	}
}

// TestExplainAnalyze: actual rows and loops per node in PostgreSQL's
// layout, timings masked with TIMING OFF and SUMMARY OFF as PostgreSQL's
// regression tests do; with timing on, the figures and the summary lines
// are present (their values are not checked).
func TestExplainAnalyze(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, q := range []string{
		"CREATE TABLE a (id integer PRIMARY KEY, g integer)",
		"CREATE TABLE b (id integer PRIMARY KEY, a_id integer)",
		"INSERT INTO a SELECT i, i % 10 FROM generate_series(1, 1000) i",
		"INSERT INTO b SELECT i, i % 1000 + 1 FROM generate_series(1, 3000) i",
		"ANALYZE",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	got := strings.Join(explainLines(t, c, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM b JOIN a ON a.id = b.a_id WHERE a.g = 1"), "\n")
	got = memRE.ReplaceAllString(got, "Memory Usage: NkB")
	want := `Hash Join (actual rows=300 loops=1)
  Hash Cond: (b.a_id = a.id)
  ->  Seq Scan on b (actual rows=3000 loops=1)
  ->  Hash (actual rows=100 loops=1)
        Buckets: 256  Batches: 1  Memory Usage: NkB
        ->  Seq Scan on a (actual rows=100 loops=1)
              Filter: (g = 1)
              Rows Removed by Filter: 900`
	if got != want {
		t.Errorf("EXPLAIN ANALYZE hash join:\n got:\n%s\nwant:\n%s", got, want)
	}
	got = strings.Join(explainLines(t, c, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM a ORDER BY g DESC, id LIMIT 2"), "\n")
	got = memRE.ReplaceAllString(got, "Memory: NkB")
	want = "Limit (actual rows=2 loops=1)\n  ->  Sort (actual rows=2 loops=1)\n        Sort Key: g DESC, id\n        Sort Method: top-N heapsort  Memory: NkB\n        ->  Seq Scan on a (actual rows=1000 loops=1)"
	if got != want {
		t.Errorf("EXPLAIN ANALYZE top-N sort:\n got:\n%s\nwant:\n%s", got, want)
	}
	// A nested loop's inner side runs once per outer row: loops counts
	// them and rows is per loop.
	got = strings.Join(explainLines(t, c, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM a, LATERAL (SELECT * FROM b WHERE b.a_id = a.id LIMIT 2) x WHERE a.id <= 3"), "\n")
	if !strings.Contains(got, "(actual rows=2 loops=3)") {
		t.Errorf("EXPLAIN ANALYZE lateral: want a node with rows=2 loops=3:\n%s", got)
	}
	timed := explainLines(t, c, "EXPLAIN ANALYZE SELECT count(*) FROM a")
	timeRE := regexp.MustCompile(`^Aggregate  \(cost=\S+ rows=1 width=8\) \(actual time=\d+\.\d{3}\.\.\d+\.\d{3} rows=1 loops=1\)$`)
	if len(timed) != 4 || !timeRE.MatchString(timed[0]) || !strings.HasPrefix(timed[2], "Planning Time: ") || !strings.HasPrefix(timed[3], "Execution Time: ") {
		t.Errorf("EXPLAIN ANALYZE with timing:\n%s", strings.Join(timed, "\n"))
	}
	// ANALYZE runs writes, as PostgreSQL's does, and counts the rows
	// their scan fed them.
	got = strings.Join(explainLines(t, c, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) DELETE FROM b WHERE id <= 10"), "\n")
	want = "Delete on b (actual rows=0 loops=1)\n  ->  Index Scan using b_pkey on b (actual rows=10 loops=1)\n        Index Cond: (id <= 10)"
	if got != want {
		t.Errorf("EXPLAIN ANALYZE DELETE:\n got:\n%s\nwant:\n%s", got, want)
	}
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM b").Scan(&n); err != nil || n != 2990 {
		t.Errorf("after EXPLAIN ANALYZE DELETE: count %d, %v; want 2990", n, err)
	}
	// JSON: one value, PostgreSQL's keys.
	js := strings.Join(explainLines(t, c, "EXPLAIN (FORMAT JSON, ANALYZE, TIMING OFF, SUMMARY OFF) SELECT g FROM a WHERE id < 5"), "\n")
	var doc []map[string]any
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("EXPLAIN (FORMAT JSON) is not JSON: %v\n%s", err, js)
	}
	plan, _ := doc[0]["Plan"].(map[string]any)
	if plan["Node Type"] != "Index Scan" || plan["Index Name"] != "a_pkey" || plan["Relation Name"] != "a" ||
		plan["Actual Rows"] != 4.0 || plan["Actual Loops"] != 1.0 || plan["Index Cond"] != "(id < 5)" || plan["Plan Rows"] == nil {
		t.Errorf("EXPLAIN (FORMAT JSON):\n%s", js)
	}
}

// TestExplainGroupingSetsJSON: a grouping-sets aggregation in FORMAT JSON,
// byte for byte PostgreSQL 15's for the same query and table.
func TestExplainGroupingSetsJSON(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE TABLE tx (id integer PRIMARY KEY, v integer, name text)"); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(explainLines(t, c, "EXPLAIN (COSTS OFF, FORMAT JSON) SELECT v, count(*) FROM tx GROUP BY ROLLUP (v, name)"), "\n")
	want := `[
  {
    "Plan": {
      "Node Type": "Aggregate",
      "Strategy": "Mixed",
      "Partial Mode": "Simple",
      "Parallel Aware": false,
      "Async Capable": false,
      "Grouping Sets": [
        {
          "Hash Keys": [
            ["v", "name"]
          ]
        },
        {
          "Hash Keys": [
            ["v"]
          ]
        },
        {
          "Group Keys": [
            []
          ]
        }
      ],
      "Plans": [
        {
          "Node Type": "Seq Scan",
          "Parent Relationship": "Outer",
          "Parallel Aware": false,
          "Async Capable": false,
          "Relation Name": "tx",
          "Alias": "tx"
        }
      ]
    }
  }
]`
	if got != want {
		t.Errorf("EXPLAIN (FORMAT JSON) of ROLLUP:\n got:\n%s\nwant:\n%s", got, want)
	}
}

// TestQueryMemLimit: a sort, hash aggregate or hash join holding more
// than prkdb.query_mem_limit fails with 53200 instead of growing without
// bound; the same queries pass under the default.
func TestQueryMemLimit(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, q := range []string{
		"CREATE TABLE m (id integer PRIMARY KEY, x integer)",
		"INSERT INTO m SELECT i, i FROM generate_series(1, 50000) i",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	queries := []string{
		"SELECT count(*) FROM (SELECT x FROM m ORDER BY x DESC OFFSET 0) s",
		"SELECT count(*) FROM (SELECT x, count(*) FROM m GROUP BY x) s",
		"SELECT count(*) FROM (SELECT x, count(*) FROM m GROUP BY ROLLUP (x)) s",
		"SELECT count(*) FROM m a JOIN m b ON a.x = b.x",
	}
	for _, q := range queries {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s under the default limit: %v", q, err)
		}
	}
	if _, err := c.Exec(ctx, "SET prkdb.query_mem_limit = '1MB'"); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		_, err := c.Exec(ctx, q)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "53200" || !strings.Contains(pe.Message, "prkdb.query_mem_limit") {
			t.Errorf("%s with a 1MB limit: %v, want 53200", q, err)
		}
	}
	// ORDER BY ... LIMIT keeps only the rows it returns, so it runs under
	// the same limit.
	var top int
	if err := c.QueryRow(ctx, "SELECT x FROM m ORDER BY x DESC LIMIT 1").Scan(&top); err != nil || top != 50000 {
		t.Errorf("top-N under a 1MB limit: %d, %v", top, err)
	}
	// The session survives and small queries still run.
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM generate_series(1, 100)").Scan(&n); err != nil || n != 100 {
		t.Errorf("after 53200: %d, %v", n, err)
	}
}
