package copy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// server is one of the two servers a test runs against.
type server struct {
	name string // "prkdb" or "pg15"
	dsn  string
}

// servers starts prkdb-sql and returns it with the shared PostgreSQL 15
// oracle. Without PostgreSQL 15 the test is skipped (with the reason):
// every test here compares the two.
func servers(t *testing.T) []server {
	t.Helper()
	prk := prkdbtest.Start(t, prkdbtest.Options{})
	return []server{{"prkdb", prk.DSN}, {"pg15", pgoracle.Start(t)}}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func connect(t *testing.T, s server) *pgx.Conn {
	t.Helper()
	ctx := ctxT(t)
	c, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		t.Fatalf("%s: connect: %v", s.name, err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// mustExec runs statements (simple protocol) and fails the test on error.
func mustExec(t *testing.T, s server, c *pgx.Conn, sqls ...string) {
	t.Helper()
	for _, q := range sqls {
		if _, err := c.Exec(ctxT(t), q, pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatalf("%s: %s: %v", s.name, q, err)
		}
	}
}

// copyTo runs COPY ... TO STDOUT and returns the data and command tag.
func copyTo(t *testing.T, s server, c *pgx.Conn, q string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	tag, err := c.PgConn().CopyTo(ctxT(t), &buf, q)
	if err != nil {
		t.Fatalf("%s: %s: %v", s.name, q, err)
	}
	return buf.String(), tag.String()
}

// outcome renders what a statement did, for comparing servers: the
// command tag and output, or the error with its fields (not the
// schema/table/column name fields, which are not COPY's business).
func outcome(tag pgconn.CommandTag, out string, err error) string {
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe):
		return fmt.Sprintf("ERROR %s %s\nDETAIL: %s\nHINT: %s\nWHERE: %s\nPOSITION: %d CONSTRAINT: %s",
			pe.Code, pe.Message, pe.Detail, pe.Hint, pe.Where, pe.Position, pe.ConstraintName)
	case err != nil:
		return "error: " + err.Error()
	}
	return tag.String() + "\n" + out
}

// run executes one statement: COPY FROM STDIN with input, COPY TO
// STDOUT, or anything else; and renders its outcome.
func run(t *testing.T, c *pgx.Conn, q, input string) string {
	t.Helper()
	ctx := ctxT(t)
	upper := strings.ToUpper(q)
	switch {
	case strings.Contains(upper, "FROM STDIN"):
		tag, err := c.PgConn().CopyFrom(ctx, strings.NewReader(input), q)
		return outcome(tag, "", err)
	case strings.Contains(upper, "TO STDOUT"):
		var buf bytes.Buffer
		tag, err := c.PgConn().CopyTo(ctx, &buf, q)
		return outcome(tag, buf.String(), err)
	}
	res := c.PgConn().Exec(ctx, q)
	rs, err := res.ReadAll()
	if err != nil {
		return outcome(pgconn.CommandTag{}, "", err)
	}
	var b strings.Builder
	for _, r := range rs {
		for _, row := range r.Rows {
			for i, v := range row {
				if i > 0 {
					b.WriteByte('|')
				}
				if v == nil {
					b.WriteString("NULL")
				} else {
					b.Write(v)
				}
			}
			b.WriteByte('\n')
		}
		fmt.Fprintln(&b, r.CommandTag.String())
	}
	return b.String()
}

// step is one statement of a script run on both servers.
type step struct {
	sql   string
	input string // COPY FROM STDIN data
}

// compareSteps runs the steps on both servers, in order, and fails where
// prkdb-sql's outcome differs from PostgreSQL's.
func compareSteps(t *testing.T, srvs []server, steps []step) {
	t.Helper()
	var outs [2][]string
	for i, s := range srvs {
		c := connect(t, s)
		for _, st := range steps {
			outs[i] = append(outs[i], run(t, c, st.sql, st.input))
		}
	}
	for i, st := range steps {
		if outs[0][i] != outs[1][i] {
			t.Errorf("%s\nprkdb:\n%s\npg15:\n%s", st.sql, outs[0][i], outs[1][i])
		}
	}
}

// ---- psql ----

func findPsql(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("psql"); err == nil {
		return p
	}
	const debian = "/usr/lib/postgresql/15/bin/psql"
	if _, err := os.Stat(debian); err == nil {
		return debian
	}
	t.Skip("no psql on PATH nor at " + debian)
	return ""
}

// psql runs psql -c command against s, in dir, and returns its output.
func psql(t *testing.T, s server, dir string, commands ...string) string {
	t.Helper()
	u, err := url.Parse(s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U", "postgres", "-d", "postgres"}
	for _, c := range commands {
		args = append(args, "-c", c)
	}
	cmd := exec.CommandContext(ctxT(t), findPsql(t), args...)
	cmd.Dir = dir
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "PG") || strings.HasPrefix(name, "LC_") || name == "LANG" || name == "PSQLRC" {
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "LC_ALL=C", "PGCONNECT_TIMEOUT=10")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: psql %q: %v\n%s", s.name, commands, err, out)
	}
	return string(out)
}

// failingReader yields data, then fails (pgconn answers with CopyFail).
type failingReader struct {
	data io.Reader
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.data.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}
