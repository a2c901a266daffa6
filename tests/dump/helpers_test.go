package dump_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

var clientVersionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

// clientBin finds a PostgreSQL 15 client program (pg_dump, pg_restore,
// psql): in PRKDB_PG_BINDIR, /usr/lib/postgresql/15/bin, then on PATH. It
// skips the test when there is none, with what it tried.
func clientBin(t testing.TB, name string) string {
	t.Helper()
	var candidates, tried []string
	if d := os.Getenv("PRKDB_PG_BINDIR"); d != "" {
		candidates = append(candidates, filepath.Join(d, name))
	}
	candidates = append(candidates, filepath.Join("/usr/lib/postgresql/15/bin", name))
	if p, err := exec.LookPath(name); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		out, err := exec.Command(p, "--version").Output()
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		if m := clientVersionRE.FindSubmatch(out); m == nil || string(m[1]) != "15" {
			tried = append(tried, fmt.Sprintf("%s: %s, need 15", p, bytes.TrimSpace(out)))
			continue
		}
		return p
	}
	t.Skipf("%s of PostgreSQL 15 not found (tried %s); install postgresql-client-15 or set PRKDB_PG_BINDIR",
		name, strings.Join(tried, "; "))
	return ""
}

// clientEnv is the environment of the client programs: none of the
// caller's PG* settings, psqlrc or locale.
func clientEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "PG") || strings.HasPrefix(name, "LC_") || name == "LANG" || name == "PSQLRC" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LC_ALL=C", "PGCONNECT_TIMEOUT=10", "PGTZ=UTC")
}

// run runs a client program and returns its standard output; it fails
// the test with the program's standard error when it fails.
func run(t testing.TB, bin string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctxT(t), bin, args...)
	cmd.Env = clientEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// withDB is dsn pointing at database db.
func withDB(t testing.TB, dsn, db string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + db
	return u.String()
}

func connect(t testing.TB, dsn string) *pgx.Conn {
	t.Helper()
	ctx := ctxT(t)
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// freshDB (re)creates database db on the server of dsn and returns its DSN.
func freshDB(t testing.TB, dsn, db string) string {
	t.Helper()
	ctx := ctxT(t)
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	defer c.Close(ctx)
	for _, q := range []string{`DROP DATABASE IF EXISTS "` + db + `"`, `CREATE DATABASE "` + db + `"`} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return withDB(t, dsn, db)
}

// execAll runs statements one by one (simple protocol).
func execAll(t testing.TB, dsn string, stmts []string) {
	t.Helper()
	c := connect(t, dsn)
	ctx := ctxT(t)
	for _, q := range stmts {
		if _, err := c.PgConn().Exec(ctx, q).ReadAll(); err != nil {
			t.Fatalf("%s\n%s: %v", dsn, q, err)
		}
	}
}

// snapshot runs the queries and renders their answers as text (the
// server's text output of every value, NULL marked), one block per query.
func snapshot(t testing.TB, dsn string, queries []string) []string {
	t.Helper()
	c := connect(t, dsn)
	ctx := ctxT(t)
	out := make([]string, len(queries))
	for i, q := range queries {
		var b strings.Builder
		res, err := c.PgConn().Exec(ctx, q).ReadAll()
		if err != nil {
			b.WriteString("ERROR: " + err.Error())
		}
		for _, r := range res {
			for j, f := range r.FieldDescriptions {
				if j > 0 {
					b.WriteString(" | ")
				}
				b.WriteString(f.Name)
			}
			b.WriteByte('\n')
			for _, row := range r.Rows {
				for j, v := range row {
					if j > 0 {
						b.WriteString(" | ")
					}
					if v == nil {
						b.WriteString("NULL")
					} else {
						fmt.Fprintf(&b, "%q", v)
					}
				}
				b.WriteByte('\n')
			}
		}
		out[i] = b.String()
	}
	return out
}

// compareSnapshots reports every query whose answer differs.
func compareSnapshots(t testing.TB, what string, queries, want, got []string) {
	t.Helper()
	for i, q := range queries {
		if want[i] != got[i] {
			t.Errorf("%s: %s\noriginal:\n%s\nrestored:\n%s", what, q, want[i], got[i])
		}
	}
}

// normalizeDump drops what differs between two dumps of the same
// contents by nature: the \restrict key (random per run), the server and
// pg_dump version lines, and the order of the rows of each COPY block
// (storage order: PostgreSQL's heap keeps insertion order, prkdb-sql's
// rows are in primary-key order).
func normalizeDump(s string) string {
	var out, block []string
	inCopy := false
	for _, line := range strings.Split(s, "\n") {
		switch {
		case inCopy && line == `\.`:
			sort.Strings(block)
			out = append(append(out, block...), line)
			block, inCopy = nil, false
		case inCopy:
			block = append(block, line)
		case strings.HasPrefix(line, `\restrict `) || strings.HasPrefix(line, `\unrestrict `):
		case strings.HasPrefix(line, "-- Dumped from database version") || strings.HasPrefix(line, "-- Dumped by pg_dump version"):
		default:
			out = append(out, line)
			inCopy = strings.HasPrefix(line, "COPY ") && strings.HasSuffix(line, " FROM stdin;")
		}
	}
	return strings.Join(out, "\n")
}

// lineDiff is a short diff of two texts: the differing lines with their
// line numbers (longest common subsequence), at most limit of them.
func lineDiff(a, b string, limit int) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for (i < n || j < m) && len(out) < limit {
		switch {
		case i < n && j < m && x[i] == y[j]:
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, fmt.Sprintf("-%4d %s", i+1, x[i]))
			i++
		default:
			out = append(out, fmt.Sprintf("+%4d %s", j+1, y[j]))
			j++
		}
	}
	return strings.Join(out, "\n")
}
