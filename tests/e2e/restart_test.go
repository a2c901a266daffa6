package e2e

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// launch starts an in-process server on dir with fsync on. The returned stop
// is idempotent, and also runs at the end of the test.
func launch(t *testing.T, dir string) (*prkdbtest.Server, func()) {
	t.Helper()
	srv, err := prkdbtest.Launch(prkdbtest.Options{DataDir: dir, Fsync: true}, t.TempDir)
	if err != nil {
		t.Fatalf("start prkdb-sql on %s: %v", dir, err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			srv.Stop()
		}
	}
	t.Cleanup(stop)
	return srv, stop
}

func connect(t *testing.T, ctx context.Context, dsn string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// mustExec runs sql (simple protocol, no arguments) and checks its tag.
func mustExec(t *testing.T, ctx context.Context, c *pgx.Conn, wantTag, sql string) {
	t.Helper()
	tag, err := c.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	if wantTag != "" && tag.String() != wantTag {
		t.Fatalf("%s: tag %q, want %q", sql, tag.String(), wantTag)
	}
}

// rowsText returns every row of sql as "v1|v2|..." lines.
func rowsText(t *testing.T, ctx context.Context, c *pgx.Conn, sql string, args ...any) []string {
	t.Helper()
	rows, err := c.Query(ctx, sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

func wantRows(t *testing.T, ctx context.Context, c *pgx.Conn, want []string, sql string, args ...any) {
	t.Helper()
	got := rowsText(t, ctx, c, sql, args...)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s %v:\ngot:\n  %s\nwant:\n  %s", sql, args, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestRestartKeepsData: after a clean Stop and a restart on the same data
// directory, exactly the committed state is there: rolled-back transactions
// and savepoints left nothing, UPDATE and DELETE stuck, the serial goes on
// from where it stopped (PostgreSQL gives the next value after a clean
// shutdown too), and the secondary index answers equality lookups with the
// right rows (including rows whose indexed column was updated).
func TestRestartKeepsData(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()

	srv, stop := launch(t, dir)
	c := connect(t, ctx, srv.DSN)
	mustExec(t, ctx, c, "CREATE TABLE", `CREATE TABLE accounts (
		id serial PRIMARY KEY, email text NOT NULL, balance integer NOT NULL DEFAULT 0)`)
	mustExec(t, ctx, c, "CREATE INDEX", `CREATE INDEX accounts_email_idx ON accounts (email)`)

	// Committed: ids 1, 2, 3.
	mustExec(t, ctx, c, "BEGIN", "BEGIN")
	mustExec(t, ctx, c, "INSERT 0 2", "INSERT INTO accounts (email, balance) VALUES ('a', 10), ('b', 20)")
	mustExec(t, ctx, c, "INSERT 0 1", "INSERT INTO accounts (email, balance) VALUES ('c', 30)")
	mustExec(t, ctx, c, "COMMIT", "COMMIT")

	// Rolled back: takes id 4 (sequences are not transactional) and leaves no row.
	mustExec(t, ctx, c, "BEGIN", "BEGIN")
	mustExec(t, ctx, c, "INSERT 0 1", "INSERT INTO accounts (email, balance) VALUES ('d', 40)")
	mustExec(t, ctx, c, "UPDATE 4", "UPDATE accounts SET balance = 0")
	mustExec(t, ctx, c, "ROLLBACK", "ROLLBACK")

	// A savepoint rolled back inside a committed transaction: e (5) and g (7) stay, f (6) does not.
	mustExec(t, ctx, c, "BEGIN", "BEGIN")
	mustExec(t, ctx, c, "INSERT 0 1", "INSERT INTO accounts (email, balance) VALUES ('e', 50)")
	mustExec(t, ctx, c, "SAVEPOINT", "SAVEPOINT sp")
	mustExec(t, ctx, c, "INSERT 0 1", "INSERT INTO accounts (email, balance) VALUES ('f', 60)")
	mustExec(t, ctx, c, "DELETE 1", "DELETE FROM accounts WHERE email = 'a'")
	mustExec(t, ctx, c, "ROLLBACK", "ROLLBACK TO SAVEPOINT sp")
	mustExec(t, ctx, c, "INSERT 0 1", "INSERT INTO accounts (email, balance) VALUES ('g', 70)")
	mustExec(t, ctx, c, "COMMIT", "COMMIT")

	// Autocommit UPDATE (one of them moves a row in the index) and DELETE.
	mustExec(t, ctx, c, "UPDATE 1", "UPDATE accounts SET balance = balance + 100 WHERE email = 'b'")
	mustExec(t, ctx, c, "UPDATE 1", "UPDATE accounts SET email = 'a2' WHERE email = 'a'")
	mustExec(t, ctx, c, "DELETE 1", "DELETE FROM accounts WHERE email = 'c'")
	// A failed statement commits nothing.
	if _, err := c.Exec(ctx, "INSERT INTO accounts (id, email) VALUES (2, 'dup')"); !isCode(err, "23505") {
		t.Fatalf("duplicate key insert: %v, want 23505", err)
	}

	want := []string{"1|a2|10", "2|b|120", "5|e|50", "7|g|70"}
	wantRows(t, ctx, c, want, "SELECT id, email, balance FROM accounts ORDER BY id")
	c.Close(ctx)
	stop()

	srv2, _ := launch(t, dir)
	c2 := connect(t, ctx, srv2.DSN)
	wantRows(t, ctx, c2, want, "SELECT id, email, balance FROM accounts ORDER BY id")

	// The index: its plan, and its answers for present, moved, deleted and
	// never-committed values.
	plan := strings.Join(rowsText(t, ctx, c2, "EXPLAIN SELECT id FROM accounts WHERE email = 'b'"), "\n")
	if !strings.Contains(plan, "accounts_email_idx") {
		t.Errorf("EXPLAIN after restart does not use accounts_email_idx:\n%s", plan)
	}
	for _, tc := range []struct {
		email string
		want  []string
	}{
		{"a2", []string{"1|10"}},
		{"b", []string{"2|120"}},
		{"e", []string{"5|50"}},
		{"g", []string{"7|70"}},
		{"a", nil}, {"c", nil}, {"d", nil}, {"f", nil},
	} {
		wantRows(t, ctx, c2, tc.want, "SELECT id, balance FROM accounts WHERE email = $1", tc.email)
	}

	// The serial continues after the last value handed out (7), without reuse.
	var next int
	if err := c2.QueryRow(ctx, "INSERT INTO accounts (email) VALUES ('h') RETURNING id").Scan(&next); err != nil {
		t.Fatalf("insert after restart: %v", err)
	}
	if next != 8 {
		t.Errorf("serial after a clean restart gave %d, want 8 (the value after the last one handed out)", next)
	}
	wantRows(t, ctx, c2, []string{"8|h|0"}, "SELECT id, email, balance FROM accounts WHERE email = 'h'")
	// The primary key still enforces uniqueness after recovery.
	if _, err := c2.Exec(ctx, "INSERT INTO accounts (id, email) VALUES (5, 'dup')"); !isCode(err, "23505") {
		t.Errorf("duplicate primary key after restart: %v, want 23505", err)
	}
}

func isCode(err error, code string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == code
}
