package ormcompat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/lib/pq"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// debugEnv turns on the SQL trail of every subtest, not only failing ones.
const debugEnv = "ORMCOMPAT_DEBUG"

func TestMain(m *testing.M) {
	code := m.Run()
	if err := pgoracle.StopShared(); err != nil {
		fmt.Fprintln(os.Stderr, "ormcompat: stopping the PostgreSQL oracle:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// TestOrmPrkdb runs the suite against an in-process prkdb-sql server.
func TestOrmPrkdb(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	results.start("prkdb")
	runSuite(t, srv.DSN)
}

// TestOrmPostgres runs the same suite against PostgreSQL 15 (skipped, with
// the reason, when PostgreSQL 15 is not installed).
func TestOrmPostgres(t *testing.T) {
	dsn := pgoracle.Start(t)
	results.start("postgres")
	runSuite(t, dsn)
}

// TestOrmSameResults compares what the two runs observed, value by value:
// rows, scalars and SQLSTATEs recorded through check/eq. It needs both runs
// in the same test binary (the default `go test ./ormcompat`).
func TestOrmSameResults(t *testing.T) {
	a, b := results.get("prkdb"), results.get("postgres")
	if a == nil || b == nil {
		t.Skip("needs both TestOrmPrkdb and TestOrmPostgres to have run in this binary (PostgreSQL 15 missing, or -run selected one)")
	}
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	// Subtests skipped on one side (a feature the server reports as not
	// implemented) are logged, not counted as differences.
	skipped := map[string]string{}
	for run, m := range map[string]map[string]string{"prkdb-sql": a, "postgres": b} {
		for k, v := range m {
			if sub, ok := strings.CutSuffix(k, " :: "+skippedLabel); ok {
				skipped[sub] = run + " skipped it: " + v
			}
		}
	}
	diffs := 0
	for _, k := range sorted {
		va, oka := a[k]
		vb, okb := b[k]
		sub, _, _ := strings.Cut(k, " :: ")
		if why, ok := skipped[sub]; ok && (!oka || !okb || strings.HasSuffix(k, skippedLabel)) {
			if strings.HasSuffix(k, skippedLabel) {
				t.Logf("%s: %s", sub, why)
			}
			continue
		}
		switch {
		case !oka:
			t.Errorf("%s: not observed on prkdb-sql (subtest stopped earlier); postgres: %s", k, vb)
		case !okb:
			t.Errorf("%s: not observed on postgres; prkdb-sql: %s", k, va)
		case va != vb:
			t.Errorf("%s:\n  prkdb-sql: %s\n  postgres:  %s", k, va, vb)
		default:
			continue
		}
		diffs++
	}
	t.Logf("%d observations compared, %d differ", len(sorted), diffs)
}

// results holds every observation of each run, keyed by subtest/label.
var results = &resultStore{runs: map[string]map[string]string{}}

type resultStore struct {
	mu   sync.Mutex
	runs map[string]map[string]string
	cur  string
}

func (r *resultStore) start(run string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cur = run
	r.runs[run] = map[string]string{}
}

func (r *resultStore) get(run string) map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[run]
}

// record stores one observation; a label used again in the same subtest
// gets a #n suffix so that loops keep every value.
func (r *resultStore) record(t testing.TB, label, value string) {
	name := t.Name()
	if i := strings.IndexByte(name, '/'); i >= 0 {
		name = name[i+1:] // drop TestOrmPrkdb / TestOrmPostgres
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.runs[r.cur]
	if m == nil {
		return
	}
	key := name + " :: " + label
	for n := 2; ; n++ {
		if _, dup := m[key]; !dup {
			break
		}
		key = fmt.Sprintf("%s :: %s #%d", name, label, n)
	}
	m[key] = value
}

// skip skips subtest t with reason, and tells TestOrmSameResults that the
// observations missing from this run are a known, reported gap.
func skip(t testing.TB, reason string) {
	t.Helper()
	results.record(t, skippedLabel, reason)
	t.Skip(reason)
}

const skippedLabel = "(skipped)"

// show formats a value for comparison: slices and maps element by element,
// pointers dereferenced, time in UTC RFC3339 with microseconds.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case error:
		return "error " + errState(x)
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000000Z07:00")
	case *time.Time:
		if x == nil {
			return "<nil>"
		}
		return show(*x)
	case []byte:
		return fmt.Sprintf("%q", x)
	case string:
		return x
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return "<nil>"
		}
		return show(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = show(rv.Index(i).Interface())
		}
		return "[" + strings.Join(parts, " ") + "]"
	case reflect.Map:
		keys := rv.MapKeys()
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, show(k.Interface())+":"+show(rv.MapIndex(k).Interface()))
		}
		sort.Strings(parts)
		return "map[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprintf("%v", v)
}

// eq records got under label and fails the subtest when it differs from want
// (compared by their show() forms, so int vs int64 does not matter).
func eq(t testing.TB, label string, got, want any) bool {
	t.Helper()
	g, w := show(got), show(want)
	results.record(t, label, g)
	if g != w {
		t.Errorf("%s = %s, want %s", label, g, w)
		return false
	}
	return true
}

// observe records a value that is compared between the runs but has no
// fixed expectation.
func observe(t testing.TB, label string, v any) {
	results.record(t, label, show(v))
}

// j joins the show() forms of vs with spaces.
func j(vs ...any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = show(v)
	}
	return strings.Join(parts, " ")
}

// noPanic runs fn, turning a panic (seen in client libraries fed an
// unexpected protocol message sequence) into a failure of the subtest.
func noPanic(t testing.TB, label string, fn func() error) {
	t.Helper()
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("client panicked: %v", p)
			}
		}()
		err = fn()
	}()
	okc(t, label, err)
}

// ok fails (and stops) the subtest on a non-nil error, recording it.
func ok(t testing.TB, label string, err error) {
	t.Helper()
	results.record(t, label, show(err))
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
}

// okc is ok without stopping the subtest.
func okc(t testing.TB, label string, err error) bool {
	t.Helper()
	results.record(t, label, show(err))
	if err != nil {
		t.Errorf("%s: %v", label, err)
		return false
	}
	return true
}

// wantState checks that err carries SQLSTATE code.
func wantState(t testing.TB, label string, err error, code string) bool {
	t.Helper()
	got := errState(err)
	results.record(t, label, got)
	if got != code {
		t.Errorf("%s: SQLSTATE %s (err %v), want %s", label, got, err, code)
		return false
	}
	return true
}

// errState is the SQLSTATE of err ("" for nil, "go:<text>" for errors that
// did not come from the server).
func errState(err error) string {
	if err == nil {
		return ""
	}
	var pge *pgconn.PgError
	if errors.As(err, &pge) {
		return pge.Code
	}
	var pqe *pq.Error
	if errors.As(err, &pqe) {
		return string(pqe.Code)
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return "go:record not found"
	case errors.Is(err, context.DeadlineExceeded):
		return "go:context deadline exceeded"
	case errors.Is(err, context.Canceled):
		return "go:context canceled"
	}
	return "go:" + err.Error()
}

// env is one database under test: a fresh database created for the run.
type env struct {
	name   string // prkdb or postgres
	dbName string // the fresh database
	dsn    string // DSN of the fresh database
	sqlDB  *sql.DB
	seq    atomic.Int64
}

// dbName is unique per process and run so that runs never share a schema.
func dbName(run string) string {
	return fmt.Sprintf("ormcompat_%s_%d_%d", run, os.Getpid(), time.Now().UnixNano()%1e9)
}

// withDB replaces the database of a URL DSN.
func withDB(dsn, db string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + db
	return u.String()
}

// withParam adds a query parameter to a URL DSN.
func withParam(dsn, k, v string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(err)
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String()
}

// newEnv creates the run's database on the server at adminDSN.
func newEnv(t *testing.T, run, adminDSN string) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		t.Fatalf("connect %s: %v", adminDSN, err)
	}
	defer conn.Close(ctx)
	name := dbName(run)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("CREATE DATABASE %s: %v", name, err)
	}
	e := &env{name: run, dbName: name, dsn: withDB(adminDSN, name)}
	t.Cleanup(func() {
		if e.sqlDB != nil {
			e.sqlDB.Close()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, adminDSN); err == nil {
			c.Exec(ctx, "DROP DATABASE IF EXISTS "+name) // best effort: the server may still hold sessions
			c.Close(ctx)
		}
	})
	db, err := gorm.Open(postgres.Open(e.dsn), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("gorm.Open: %v", err)
	}
	e.sqlDB, err = db.DB()
	if err != nil {
		t.Fatal(err)
	}
	e.sqlDB.SetMaxOpenConns(8)
	return e
}

// prefix returns a table prefix unique to one subtest, so subtests never see
// each other's tables without dropping anything.
func (e *env) prefix() string {
	return fmt.Sprintf("t%02d_", e.seq.Add(1))
}

// gdb opens a GORM handle for subtest t on the run's shared pool, with a
// unique table prefix and the SQL trail logger. cfg may adjust the config.
func (e *env) gdb(t *testing.T, cfg ...func(*gorm.Config)) *gorm.DB {
	t.Helper()
	c := &gorm.Config{
		NamingStrategy: schema.NamingStrategy{TablePrefix: e.prefix()},
		Logger:         newTrail(t),
	}
	for _, f := range cfg {
		f(c)
	}
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: e.sqlDB}), c)
	if err != nil {
		t.Fatalf("gorm.Open: %v", err)
	}
	e.dropPrefixed(t, c.NamingStrategy.(schema.NamingStrategy).TablePrefix)
	// A statement that never returns (a lock never granted, a lost
	// protocol message) fails the subtest instead of hanging the suite.
	ctx, cancel := context.WithTimeout(context.Background(), subtestTimeout)
	t.Cleanup(cancel)
	return db.WithContext(ctx)
}

// subtestTimeout bounds every statement a subtest sends through env.gdb.
const subtestTimeout = 15 * time.Second

// dropPrefixed drops, when t ends, the views and tables whose names start
// with prefix, so that index names a model fixes (index:idx_name) are free
// again for the next subtest. Best effort: a failure here is not the
// subtest's subject.
func (e *env) dropPrefixed(t *testing.T, prefix string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, kind := range []string{"VIEW", "BASE TABLE"} {
			rows, err := e.sqlDB.QueryContext(ctx, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = $1 AND table_name LIKE $2", kind, prefix+"%")
			if err != nil {
				return
			}
			var names []string
			for rows.Next() {
				var n string
				if rows.Scan(&n) == nil {
					names = append(names, n)
				}
			}
			rows.Close()
			for _, n := range names {
				word := "TABLE"
				if kind == "VIEW" {
					word = "VIEW"
				}
				e.sqlDB.ExecContext(ctx, fmt.Sprintf("DROP %s IF EXISTS %q CASCADE", word, n))
			}
		}
	})
}

// open opens a separate GORM connection pool (closed at the end of t) for
// subtests that test connection settings.
func (e *env) open(t *testing.T, d gorm.Dialector, cfg ...func(*gorm.Config)) *gorm.DB {
	t.Helper()
	c := &gorm.Config{
		NamingStrategy: schema.NamingStrategy{TablePrefix: e.prefix()},
		Logger:         newTrail(t),
	}
	for _, f := range cfg {
		f(c)
	}
	db, err := gorm.Open(d, c)
	if err != nil {
		results.record(t, "gorm.Open", show(err))
		t.Fatalf("gorm.Open: %v", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	e.dropPrefixed(t, c.NamingStrategy.(schema.NamingStrategy).TablePrefix)
	t.Cleanup(func() { sqlDB.Close() })
	return db
}

// table is the table name GORM uses for model in db.
func table(t testing.TB, db *gorm.DB, model any) string {
	t.Helper()
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(model); err != nil {
		t.Fatalf("parse %T: %v", model, err)
	}
	return stmt.Schema.Table
}

// pfx is the table prefix of db.
func pfx(db *gorm.DB) string {
	return db.Config.NamingStrategy.(schema.NamingStrategy).TablePrefix
}

// migrate runs AutoMigrate and stops the subtest when it fails.
func migrate(t testing.TB, db *gorm.DB, models ...any) {
	t.Helper()
	ok(t, "AutoMigrate", db.AutoMigrate(models...))
}

// trail is a GORM logger that keeps every statement of one subtest and
// prints them when the subtest fails (or always, with ORMCOMPAT_DEBUG=1), so
// that a failure report carries the exact SQL.
type trail struct {
	t     testing.TB
	mu    sync.Mutex
	lines []string
}

func newTrail(t testing.TB) *trail {
	tr := &trail{t: t}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv(debugEnv) != "" {
			tr.mu.Lock()
			defer tr.mu.Unlock()
			lines := tr.lines
			if len(lines) > 60 && os.Getenv(debugEnv) == "" {
				lines = lines[len(lines)-60:]
			}
			t.Logf("SQL trail (%d statements):\n%s", len(tr.lines), strings.Join(lines, "\n"))
		}
	})
	return tr
}

func (tr *trail) LogMode(logger.LogLevel) logger.Interface   { return tr }
func (tr *trail) Info(_ context.Context, f string, a ...any) { tr.add("info: " + fmt.Sprintf(f, a...)) }
func (tr *trail) Warn(_ context.Context, f string, a ...any) { tr.add("warn: " + fmt.Sprintf(f, a...)) }
func (tr *trail) Error(_ context.Context, f string, a ...any) {
	tr.add("error: " + fmt.Sprintf(f, a...))
}
func (tr *trail) Trace(_ context.Context, _ time.Time, fc func() (string, int64), err error) {
	s, n := fc()
	line := fmt.Sprintf("  %s  -- rows=%d", s, n)
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		line += "  ERROR: " + err.Error()
	}
	tr.add(line)
}

func (tr *trail) add(s string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.lines = append(tr.lines, s)
}

// statements returns the statements logged so far.
func (tr *trail) statements() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]string(nil), tr.lines...)
}

// runSuite is the whole compatibility suite against one server. Every
// subtest asserts PostgreSQL 15's observable behaviour (rows, values,
// SQLSTATEs) and records what it saw for TestOrmSameResults.
func runSuite(t *testing.T, dsn string) {
	run := "prkdb"
	if strings.HasSuffix(t.Name(), "Postgres") {
		run = "postgres"
	}
	e := newEnv(t, run, dsn)
	t.Run("connect", func(t *testing.T) { suiteConnect(t, e) })
	t.Run("migrator", func(t *testing.T) { suiteMigrator(t, e) })
	t.Run("crud", func(t *testing.T) { suiteCRUD(t, e) })
	t.Run("upsert", func(t *testing.T) { suiteUpsert(t, e) })
	t.Run("assoc", func(t *testing.T) { suiteAssoc(t, e) })
	t.Run("tx", func(t *testing.T) { suiteTx(t, e) })
	t.Run("features", func(t *testing.T) { suiteFeatures(t, e) })
	t.Run("seedmap", func(t *testing.T) { suiteSeedMap(t, e) })
	t.Run("stdlib", func(t *testing.T) { suiteStdlib(t, e) })
	t.Run("pq", func(t *testing.T) { suitePQ(t, e) })
}
