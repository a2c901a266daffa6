package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// findPsql returns the psql client: PATH first, then Debian's PostgreSQL 15
// location. It skips the test when there is none.
func findPsql(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("psql"); err == nil {
		return p
	}
	const debian = "/usr/lib/postgresql/15/bin/psql"
	if _, err := os.Stat(debian); err == nil {
		return debian
	}
	t.Skip("no psql on PATH nor at " + debian + " (Debian's postgresql-client-15 provides it)")
	return ""
}

// psqlEnv is the environment psql runs with: none of the caller's PG*
// variables (a PGOPTIONS or PGTZ would change the session), C messages.
func psqlEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "PG") || strings.HasPrefix(name, "LC_") || name == "LANG" || name == "LANGUAGE" || name == "PSQLRC" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LC_ALL=C", "PGCONNECT_TIMEOUT=10")
}

// runPsql runs psql against the server of dsn's host and port on database
// db with args appended (-f file or -c command), in dir, and returns stdout
// and stderr interleaved as a terminal would show them.
func runPsql(t *testing.T, psql, dsn, db, dir string, args ...string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("dsn %q: %v", dsn, err)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		t.Fatalf("dsn %q: %v", dsn, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	argv := append([]string{"-X", "-v", "ON_ERROR_STOP=0", "-h", host, "-p", port, "-U", "postgres", "-d", db}, args...)
	cmd := exec.CommandContext(ctx, psql, argv...)
	cmd.Dir = dir
	cmd.Env = psqlEnv()
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.ExitCode() == 1:
		// With ON_ERROR_STOP=0 a script (-f) exits 0 after SQL errors, but
		// -c exits 1 when its last command failed: part of the output to
		// compare.
		out = fmt.Appendf(out, "[psql exit status 1]\n")
	default:
		// 2: the connection was lost; 3: a script error with ON_ERROR_STOP.
		t.Fatalf("psql %s against %s: %v\n%s", strings.Join(argv, " "), u.Host, err, out)
	}
	return string(out)
}

// freshDatabase (re)creates database name through dsn, so a script runs in
// an empty database on both servers. Each test uses its own name: prkdb-sql
// servers here are fresh, and the oracle may be a long-lived server
// (PRKDB_PG_ORACLE_DSN), hence the DROP first.
func freshDatabase(t *testing.T, dsn, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	defer c.Close(ctx)
	for _, sql := range []string{"DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name} {
		if _, err := c.Exec(ctx, sql); err != nil {
			t.Fatalf("%s on %s: %v", sql, dsn, err)
		}
	}
}

// psqlScript is the script both servers run (testdata/psql_script.sql).
const psqlScript = "psql_script.sql"

// knownDifferences are statements where prkdb-sql's psql output differed
// from PostgreSQL 15's when this test was written, kept out of psqlScript
// so that it guards everything else. Each still runs on both servers (as
// psql -c commands) in a subtest that skips, with the reason and the diff,
// while the difference lasts, and passes (asking to move the statement into
// the script) once it is gone. They were reported to the lead; none is
// normalized away.
var knownDifferences = []struct {
	name, reason string
	cmds         []string // the last one shows the difference; the others set up
}{
	{
		name:   "misspelled_column_hint",
		reason: "42703 for a near-miss column name lacks PostgreSQL's HINT \"Perhaps you meant to reference the column \"kd.name\".\" (parse_relation.c errorMissingColumn)",
		cmds:   []string{"CREATE TABLE kd (id integer PRIMARY KEY, name text)", "SELECT nmae FROM kd"},
	},
	{
		name:   "varchar_too_long_has_no_position",
		reason: "22001 \"value too long for type character varying(5)\" carries an error position (psql prints LINE and a caret); PostgreSQL raises it in the varchar length coercion at execution, with no position",
		cmds:   []string{"CREATE TABLE kd (id integer PRIMARY KEY, note varchar(5))", "INSERT INTO kd VALUES (1, 'too long')"},
	},
	{
		name:   "drop_schema_cascade_notice",
		reason: "DROP SCHEMA ... CASCADE drops the schema's tables without PostgreSQL's NOTICE \"drop cascades to table s1.t\" (dependency.c reportDependentObjects)",
		cmds:   []string{"CREATE SCHEMA s1", "CREATE TABLE s1.t (a integer PRIMARY KEY)", "DROP SCHEMA s1 CASCADE"},
	},
	{
		name:   "with_cte",
		reason: "WITH (common table expressions) is not implemented yet: 0A000 \"WITH is not supported yet\"",
		cmds:   []string{"CREATE TABLE kd (id integer PRIMARY KEY)", "INSERT INTO kd VALUES (1), (2)", "WITH big AS (SELECT id FROM kd WHERE id > 1) SELECT id FROM big"},
	},
}

// TestPsqlMatchesPostgres runs the real psql with the same script (DDL,
// multi-row INSERT ... RETURNING, SELECT with WHERE/ORDER BY/aggregates,
// UPDATE, DELETE, a transaction with SAVEPOINT and ROLLBACK TO, an error
// inside a transaction then ROLLBACK, errors outside one) against prkdb-sql
// and against PostgreSQL 15, and requires byte-identical output: result
// tables, command tags, NULL display, and psql's own error lines
// ("psql:psql_script.sql:N: ERROR:  ...", LINE/caret lines, DETAIL).
// Nothing is normalized: with -X and a script psql prints no banner, and the
// script name in error lines is the same relative path on both.
func TestPsqlMatchesPostgres(t *testing.T) {
	psql := findPsql(t)
	oracle := pgoracle.Start(t)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	const db = "e2e_psql"
	freshDatabase(t, oracle, db)
	freshDatabase(t, srv.DSN, db)

	want := runPsql(t, psql, oracle, db, dir, "-f", psqlScript)
	got := runPsql(t, psql, srv.DSN, db, dir, "-f", psqlScript)
	if got != want {
		t.Errorf("psql -f %s: prkdb-sql's output differs from PostgreSQL 15's (- postgres, + prkdb-sql):\n%s",
			psqlScript, lineDiff(want, got))
	}
	// Guard against a vacuous pass (say, both servers refusing everything).
	for _, s := range []string{"INSERT 0 4", "ROLLBACK", "(3 rows)", "ERROR:  duplicate key value violates unique constraint"} {
		if !strings.Contains(want, s) {
			t.Errorf("PostgreSQL's output lacks %q: the script no longer exercises what it should:\n%s", s, want)
		}
	}
	if t.Failed() {
		t.Logf("PostgreSQL 15's output:\n%s", want)
	}

	for _, kd := range knownDifferences {
		t.Run("known/"+kd.name, func(t *testing.T) {
			// A fresh database each, so the set-up statements need no clean-up.
			kdb := "e2e_psql_" + kd.name
			freshDatabase(t, oracle, kdb)
			freshDatabase(t, srv.DSN, kdb)
			var args []string
			for _, c := range kd.cmds {
				args = append(args, "-c", c)
			}
			want := runPsql(t, psql, oracle, kdb, dir, args...)
			got := runPsql(t, psql, srv.DSN, kdb, dir, args...)
			if got == want {
				t.Logf("no longer differs from PostgreSQL 15: move %q into testdata/%s and out of knownDifferences", kd.cmds[len(kd.cmds)-1], psqlScript)
				return
			}
			t.Skipf("known difference from PostgreSQL 15, reported: %s\n%s", kd.reason, lineDiff(want, got))
		})
	}
}

// TestPsqlExplain: EXPLAIN through psql against prkdb-sql alone (plans
// legitimately differ from PostgreSQL's, which prints costs) shows a
// primary-key lookup as an index scan with its condition.
func TestPsqlExplain(t *testing.T) {
	psql := findPsql(t)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	out := runPsql(t, psql, srv.DSN, "postgres", t.TempDir(),
		"-c", "CREATE TABLE t (id integer PRIMARY KEY, v text)",
		"-c", "INSERT INTO t VALUES (1, 'a'), (2, 'b')",
		"-c", "EXPLAIN SELECT * FROM t WHERE id = 1")
	for _, want := range []string{"QUERY PLAN", "Index Scan using t_pkey on t", "Index Cond: (id = 1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("psql EXPLAIN output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ERROR") {
		t.Errorf("psql reported an error:\n%s", out)
	}
}

// lineDiff is a minimal line diff (longest common subsequence) of a and b:
// common lines prefixed "  ", lines only in a "- ", only in b "+ ".
func lineDiff(a, b string) string {
	x := strings.Split(a, "\n")
	y := strings.Split(b, "\n")
	// lcs[i][j] = length of the LCS of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var sb strings.Builder
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			fmt.Fprintf(&sb, "  %s\n", x[i])
			i++
			j++
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&sb, "+ %s\n", y[j])
			j++
		default:
			fmt.Fprintf(&sb, "- %s\n", x[i])
			i++
		}
	}
	return sb.String()
}
