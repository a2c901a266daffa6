package sqllogic

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ConnectFunc opens a new connection to the server under test. The runner
// calls it once per file for the administrative connection; named
// connections use the same configuration aimed at the file's database.
type ConnectFunc func(ctx context.Context) (*pgx.Conn, error)

// Options configure RunFile.
type Options struct {
	// Engine is "postgres" or "prkdb"; skipif/onlyif lines compare against it.
	Engine string
	// Rewrite replaces the expectations of failing records with what the
	// server returned. Refused unless Engine is "postgres".
	Rewrite bool
	// StatementTimeout bounds one record; a record that blocks (e.g. on a
	// lock held by another connection of the same file) fails instead of
	// hanging the suite. Zero means 30s.
	StatementTimeout time.Duration
	// MaxFailures stops the file after this many failed records. Zero: 20.
	MaxFailures int
}

// Stats counts the records of one file.
type Stats struct {
	Records, Passed, Failed, Skipped int
	Rewritten                        bool
}

// RunFile parses path and runs its records in order, reporting each failing
// record with t.Errorf (file:line, connection, SQL, expected and got). A parse
// error, a connection that cannot be opened or breaks, or too many failures
// end the file with t.Fatalf.
func RunFile(t *testing.T, connect ConnectFunc, path string, opts Options) Stats {
	t.Helper()
	st, failures, fatal := Run(connect, path, opts, t.Logf)
	for _, f := range failures {
		t.Error(f)
	}
	if fatal != nil {
		t.Fatal(fatal)
	}
	return st
}

// Run is RunFile without a *testing.T: it returns the failure reports and
// the error that stopped the file early, if any. logf receives progress
// (skipped records, the summary).
func Run(connect ConnectFunc, path string, opts Options, logf func(format string, args ...any)) (st Stats, failures []string, fatal error) {
	if !engines[opts.Engine] {
		return st, nil, fmt.Errorf("sqllogic: unknown engine %q", opts.Engine)
	}
	if opts.Rewrite && opts.Engine != "postgres" {
		return st, nil, fmt.Errorf("sqllogic: rewrite refused against %s: expected results must come from PostgreSQL", opts.Engine)
	}
	if opts.StatementTimeout == 0 {
		opts.StatementTimeout = 30 * time.Second
	}
	if opts.MaxFailures == 0 {
		opts.MaxFailures = 20
	}
	f, err := ParseFile(path)
	if err != nil {
		return st, nil, err
	}
	s, err := newSession(connect, filepath.Base(path), logf)
	if err != nil {
		return st, nil, err
	}
	defer s.close()

	edits := map[*Record]edit{}
	for _, r := range f.Records {
		st.Records++
		if reason, skip := skipped(r, opts.Engine); skip {
			st.Skipped++
			logf("%s:%d: skipped on %s: %s", path, r.Line, opts.Engine, reason)
			continue
		}
		conn, err := s.conn(r.Conn)
		if err != nil {
			return st, failures, fmt.Errorf("%s:%d: open connection %q: %w", path, r.Line, r.Conn, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), opts.StatementTimeout)
		o := execute(ctx, conn, r.SQL)
		cancel()
		diff := check(r, o)
		if diff == "" {
			st.Passed++
			continue
		}
		if opts.Rewrite {
			if e, ok := rewriteRecord(r, o); ok {
				edits[r] = e
				st.Passed++
				continue
			}
		}
		st.Failed++
		failures = append(failures, fmt.Sprintf("%s:%d: %s%s\n  sql:\n%s",
			path, r.Line, connLabel(r.Conn), diff, indent(strings.Split(r.SQL, "\n"))))
		if o.other != nil {
			return st, failures, fmt.Errorf("%s:%d: stopping the file: connection %q is unusable", path, r.Line, r.Conn)
		}
		if st.Failed >= opts.MaxFailures {
			return st, failures, fmt.Errorf("%s: stopping after %d failures", path, st.Failed)
		}
	}
	if len(edits) > 0 {
		changed, err := writeRewrite(f, edits)
		if err != nil {
			return st, failures, err
		}
		st.Rewritten = changed
		logf("%s: rewrote %d records", path, len(edits))
	}
	logf("%s: %d records: %d passed, %d failed, %d skipped", path, st.Records, st.Passed, st.Failed, st.Skipped)
	return st, failures, nil
}

func connLabel(name string) string {
	if name == DefaultConn {
		return ""
	}
	return "[connection " + name + "] "
}

// skipped applies a record's skipif/onlyif conditions to the engine.
func skipped(r *Record, engine string) (reason string, skip bool) {
	for _, c := range r.Conditions {
		if c.Skip == (c.Engine == engine) {
			return c.Reason, true
		}
	}
	return "", false
}

// session holds the connections of one file and the database it runs in.
type session struct {
	logf    func(format string, args ...any)
	connect ConnectFunc
	admin   *pgx.Conn       // opened by connect; creates and drops the file's database
	cfg     *pgx.ConnConfig // aimed at the file's database; nil when there is none
	dbName  string          // the file's database, "" when running in admin's
	conns   map[string]*pgx.Conn
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9]+`)

// newSession opens the administrative connection and tries to create a
// fresh database for the file. If the server refuses CREATE DATABASE the
// file runs in the connection's own database, so its records must clean up
// after themselves; this is logged, not hidden.
func newSession(connect ConnectFunc, base string, logf func(string, ...any)) (*session, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqllogic: connect: %w", err)
	}
	s := &session{logf: logf, connect: connect, admin: admin, conns: map[string]*pgx.Conn{}}
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	name := strings.TrimSuffix(strings.ToLower(base), ".slt")
	name = unsafeChars.ReplaceAllString(name, "_")
	if len(name) > 40 {
		name = name[:40]
	}
	name = "slt_" + name + "_" + hex.EncodeToString(suffix[:])
	if err := simpleExec(ctx, admin, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		logf("sqllogic: CREATE DATABASE failed (%v): running in the connection's database; files must clean up", err)
		return s, nil
	}
	s.dbName = name
	s.cfg = admin.Config()
	s.cfg.Database = name
	return s, nil
}

// conn returns the named connection, opening it on first use.
func (s *session) conn(name string) (*pgx.Conn, error) {
	if c, ok := s.conns[name]; ok {
		return c, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var c *pgx.Conn
	var err error
	if s.cfg != nil {
		c, err = pgx.ConnectConfig(ctx, s.cfg)
	} else if name == DefaultConn {
		c, s.admin = s.admin, nil // run in the admin connection's own database
	} else {
		c, err = s.connect(ctx)
	}
	if err != nil {
		return nil, err
	}
	s.conns[name] = c
	return c, nil
}

// close closes every connection and drops the file's database.
func (s *session) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, c := range s.conns {
		_ = c.Close(ctx)
	}
	if s.admin == nil {
		return
	}
	defer s.admin.Close(ctx)
	if s.dbName == "" {
		return
	}
	id := pgx.Identifier{s.dbName}.Sanitize()
	// WITH (FORCE) (PostgreSQL 13+) ends backends that are still exiting
	// after our Terminate; fall back to the plain form for other servers.
	if err := simpleExec(ctx, s.admin, "DROP DATABASE "+id+" WITH (FORCE)"); err != nil {
		if err := simpleExec(ctx, s.admin, "DROP DATABASE "+id); err != nil {
			s.logf("sqllogic: drop database %s: %v", s.dbName, err)
		}
	}
}

// simpleExec runs administrative SQL through the simple query protocol, the
// smallest protocol surface a server under construction must offer.
func simpleExec(ctx context.Context, c *pgx.Conn, sql string) error {
	_, err := c.PgConn().Exec(ctx, sql).ReadAll()
	return err
}
