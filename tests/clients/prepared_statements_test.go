package clients_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestPgxPreparedStatementsView prepares named statements through the
// extended protocol (pgx's Prepare: Parse and Describe) and reads them in
// pg_prepared_statements (from_sql false, the Parse text, the parameter
// types inferred, one plan counted per Bind) beside a SQL PREPARE; Close
// (pgx's Deallocate) removes one. PostgreSQL 15's answers are the
// expectation, and each server must give them.
func TestPgxPreparedStatementsView(t *testing.T) {
	const want = `ext_add|SELECT $1::int + 1|{integer}|f|2
ext_upper|SELECT upper($1) AS u, $2::bigint AS n|{text,bigint}|f|1
sql_one|PREPARE sql_one AS SELECT 1|{}|t|0
--
ext_upper|f
sql_one|t`
	for name, dsn := range servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			conn := connect(t, dsn, pgx.QueryExecModeExec)
			if _, err := conn.Prepare(ctx, "ext_add", "SELECT $1::int + 1"); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Prepare(ctx, "ext_upper", "SELECT upper($1) AS u, $2::bigint AS n"); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Exec(ctx, "PREPARE sql_one AS SELECT 1", pgx.QueryExecModeSimpleProtocol); err != nil {
				t.Fatal(err)
			}
			var n int
			for i := 0; i < 2; i++ {
				if err := conn.QueryRow(ctx, "ext_add", i).Scan(&n); err != nil || n != i+1 {
					t.Fatalf("ext_add(%d) = %d, %v", i, n, err)
				}
			}
			var u string
			var m int64
			if err := conn.QueryRow(ctx, "ext_upper", "x", 7).Scan(&u, &m); err != nil || u != "X" || m != 7 {
				t.Fatalf("ext_upper = %q, %d, %v", u, m, err)
			}
			read := func(q string) string {
				rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var lines []string
				for rows.Next() {
					vals, err := rows.Values()
					if err != nil {
						t.Fatal(err)
					}
					parts := make([]string, len(vals))
					for i, v := range vals {
						parts[i] = fmt.Sprint(v)
					}
					lines = append(lines, strings.Join(parts, "|"))
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				return strings.Join(lines, "\n")
			}
			got := read(`SELECT name, statement, parameter_types::text, CASE WHEN from_sql THEN 't' ELSE 'f' END,
				generic_plans + custom_plans FROM pg_prepared_statements ORDER BY name`)
			if err := conn.Deallocate(ctx, "ext_add"); err != nil {
				t.Fatal(err)
			}
			got += "\n--\n" + read(`SELECT name, CASE WHEN from_sql THEN 't' ELSE 'f' END FROM pg_prepared_statements ORDER BY name`)
			if got != want {
				t.Errorf("pg_prepared_statements:\n%s\nwant (PostgreSQL 15's):\n%s", got, want)
			}
		})
	}
}
