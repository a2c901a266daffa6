package sql

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// FuzzExecSimple feeds arbitrary query strings to the SQL entry points a
// connection uses: Session.ExecSimple (simple protocol), and Prepare, Bind
// (every parameter NULL, binary results), Execute (one row, then the rest)
// and Sync (extended protocol). The second argument is what COPY FROM STDIN
// reads. Every result value is encoded as pgwire would (text for the simple
// protocol, binary for the extended one). No input may panic. Sessions recover panics
// into XX000 "internal error: ..." (recoverPanic), so the target fails the
// input when that error comes back, quoting the recovered stack from the
// engine's log. An input running past fuzzHang also fails (the process
// panics with every goroutine's stack, which the fuzzer records as a
// crasher).
//
// Every input starts from the same state: a fresh session on an engine
// holding fuzzSchema. After an input that committed anything (the store's
// LSN moved: DML, DDL, a sequence reservation), the engine is replaced by a
// fresh one, so a crasher reproduces alone.
//
//	go test ./sql -run '^$' -fuzz FuzzExecSimple -fuzztime 60s
//
// Crashers land in testdata/fuzz/FuzzExecSimple and stay as regression seeds.
func FuzzExecSimple(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, []byte(nil))
	}
	for _, s := range fuzzCopySeeds {
		f.Add(s.query, []byte(s.data))
	}
	fz := &fuzzEngine{root: f.TempDir()}
	if err := fz.reset(); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(fz.close)
	f.Fuzz(func(t *testing.T, query string, copyData []byte) {
		fz.run(t, query, copyData)
	})
}

// fuzzHang bounds one input (both protocols); the statements get a context
// that expires sooner, so only code that ignores cancellation trips it.
const (
	fuzzHang      = 30 * time.Second
	fuzzStmtLimit = 5 * time.Second
)

const fuzzSchema = `
CREATE TABLE users (
	id bigserial PRIMARY KEY,
	name text NOT NULL,
	email varchar(100) UNIQUE,
	age integer CHECK (age >= 0),
	balance numeric(12,2) DEFAULT 0,
	active boolean,
	born date,
	deleted_at timestamptz,
	extra jsonb);
CREATE INDEX idx_users_name ON users (name);
CREATE INDEX idx_users_deleted_at ON users (deleted_at);
CREATE TABLE orders (
	id serial PRIMARY KEY,
	user_id bigint REFERENCES users (id),
	amount numeric NOT NULL,
	status text,
	note bytea,
	at timestamp);
CREATE INDEX idx_orders_status ON orders (status, amount);
INSERT INTO users (name, email, age, balance, active, born, extra) VALUES
	('ann', 'ann@example.com', 30, 10.50, true, '1990-01-02', '{"a": 1, "b": [1, 2]}'),
	('bob', 'bob@example.com', 40, 0, false, NULL, NULL),
	('cy', NULL, NULL, NULL, NULL, '2000-02-29', '[1, "x", null]');
INSERT INTO orders (user_id, amount, status, note, at) VALUES
	(1, 9.99, 'paid', '\xdead', '2024-01-02 03:04:05'),
	(1, 20, 'new', NULL, NULL),
	(2, 5.5, 'paid', 'x', '2023-12-31 23:59:59.999999');
`

// fuzzEngine is the engine inputs run against, replaced after any input
// that changed it.
type fuzzEngine struct {
	root string
	dir  string
	eng  *Engine
	log  *bytes.Buffer // the engine's log: recoverPanic writes stacks here
	base uint64        // the store's LSN after fuzzSchema
	pid  int32
	sess *Session // the running input's session
}

func (fz *fuzzEngine) close() {
	if fz.eng != nil {
		fz.eng.Close()
		fz.eng = nil
		os.RemoveAll(fz.dir)
	}
}

// reset replaces the engine with a fresh one holding fuzzSchema.
func (fz *fuzzEngine) reset() error {
	fz.close()
	dir, err := os.MkdirTemp(fz.root, "eng-")
	if err != nil {
		return err
	}
	fz.dir = dir
	fz.log = &bytes.Buffer{}
	lg := slog.New(&fuzzLogHandler{w: fz.log})
	eng, err := Open(Config{DataDir: dir, Sync: kv.SyncOff, Logger: lg})
	if err != nil {
		return fmt.Errorf("open engine: %w", err)
	}
	fz.eng = eng
	s, perr := eng.NewSession(SessionParams{User: "postgres", Database: "postgres", BackendPID: fz.nextPID()})
	if perr != nil {
		return perr
	}
	defer s.Close()
	if perr := s.ExecSimple(context.Background(), fuzzSchema, &fuzzDiscard{}); perr != nil {
		return fmt.Errorf("fuzz schema: %v", perr)
	}
	fz.base = eng.Store().LastLSN()
	return nil
}

func (fz *fuzzEngine) nextPID() int32 {
	fz.pid++
	return fz.pid
}

func (fz *fuzzEngine) run(t *testing.T, query string, copyData []byte) {
	watchdog := time.AfterFunc(fuzzHang, func() {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		panic(fmt.Sprintf("FuzzExecSimple: input still running after %v: %q\n%s", fuzzHang, query, buf))
	})
	defer watchdog.Stop()
	fz.log.Reset()

	check := func(what string, perr *pgerror.Error) {
		t.Helper()
		if perr != nil && perr.Code == pgerror.InternalError && strings.HasPrefix(perr.Message, "internal error:") {
			t.Fatalf("%s panicked on %q: %s\nengine log:\n%s", what, query, perr.Message, fz.log.String())
		}
	}

	// Simple protocol, on a fresh session.
	s := fz.open(t)
	ctx, cancel := context.WithTimeout(context.Background(), fuzzStmtLimit)
	defer cancel()
	w := &fuzzDiscard{set: s.TypeSettings(), copyData: copyData}
	check("ExecSimple", s.ExecSimple(ctx, query, w))
	fz.finish(t, query)

	// Extended protocol: Parse, Bind (NULL for every parameter, binary
	// results), Execute one row, Execute the rest, Sync; again on a fresh
	// session.
	s = fz.open(t)
	w = &fuzzDiscard{set: s.TypeSettings(), copyData: copyData}
	perr := s.Prepare(ctx, "", query, nil)
	check("Prepare", perr)
	if perr == nil {
		params, _, derr := s.DescribeStatement("")
		check("DescribeStatement", derr)
		perr = s.Bind(ctx, "", "", nil, make([][]byte, len(params)), []int16{FormatBinary})
		check("Bind", perr)
		if perr == nil {
			_, _, derr := s.DescribePortal("")
			check("DescribePortal", derr)
			suspended, perr := s.Execute(ctx, "", 1, w)
			check("Execute", perr)
			if perr == nil && suspended {
				_, perr = s.Execute(ctx, "", 0, w)
				check("Execute (resumed)", perr)
			}
		}
	}
	check("Sync", s.Sync(ctx))
	fz.finish(t, query)
}

// open starts the input's session; finish (also deferred, for an input that
// failed half-way) ends it.
func (fz *fuzzEngine) open(t *testing.T) *Session {
	t.Helper()
	s, perr := fz.eng.NewSession(SessionParams{User: "postgres", Database: "postgres",
		BackendPID: fz.nextPID(), Options: map[string]string{}})
	if perr != nil {
		t.Fatalf("new session: %v", perr)
	}
	fz.sess = s
	t.Cleanup(func() { fz.finish(t, "") })
	return s
}

// finish rolls back what the input left open, closes its session, and
// replaces the engine if the input committed anything.
func (fz *fuzzEngine) finish(t *testing.T, query string) {
	t.Helper()
	if s := fz.sess; s != nil {
		fz.sess = nil
		if s.TxStatus() != TxIdle {
			if perr := s.ExecSimple(context.Background(), "ROLLBACK", &fuzzDiscard{}); perr != nil {
				t.Errorf("ROLLBACK after %q: %v", query, perr)
			}
		}
		s.Close()
	}
	if fz.eng.Store().LastLSN() != fz.base {
		if err := fz.reset(); err != nil {
			t.Fatalf("fresh engine after %q: %v", query, err)
		}
	}
}

// fuzzLogHandler keeps the engine's errors with their attributes verbatim,
// so the stack recoverPanic logs reads as a stack, not a quoted string.
type fuzzLogHandler struct{ w *bytes.Buffer }

func (h *fuzzLogHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (h *fuzzLogHandler) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h *fuzzLogHandler) WithGroup(string) slog.Handler                { return h }
func (h *fuzzLogHandler) Handle(_ context.Context, r slog.Record) error {
	fmt.Fprintf(h.w, "%s %s\n", r.Level, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(h.w, "%s: %s\n", a.Key, a.Value)
		return true
	})
	return nil
}

// fuzzDiscard is a ResultWriter that encodes every value as pgwire would
// (text, or binary when asked, with the session's settings) and keeps
// nothing, so output functions are fuzzed too. COPY FROM STDIN reads the
// input's copyData; COPY TO STDOUT writes to nowhere.
type fuzzDiscard struct {
	set      *types.Settings
	copyData []byte
	cols     []Column
	formats  []int16
	buf      []byte
}

func (w *fuzzDiscard) Columns(cols []Column, formats []int16, describe bool) error {
	w.cols, w.formats = cols, formats
	return nil
}

func (w *fuzzDiscard) Row(vals []types.Datum) error {
	for i, v := range vals {
		if v.IsNull() || i >= len(w.cols) {
			continue
		}
		if i < len(w.formats) && w.formats[i] == FormatBinary {
			var err error
			if w.buf, err = types.AppendBinary(w.buf[:0], v, w.cols[i].Type); err != nil {
				return err
			}
			continue
		}
		w.buf = types.AppendText(w.buf[:0], v, w.cols[i].Type, w.set)
	}
	return nil
}

func (w *fuzzDiscard) CopyIn(format int16, columnFormats []int16) (io.Reader, error) {
	return bytes.NewReader(w.copyData), nil
}

func (*fuzzDiscard) CopyOut(format int16, columnFormats []int16) (io.Writer, error) {
	return io.Discard, nil
}

func (*fuzzDiscard) Complete(tag string) error      { return nil }
func (*fuzzDiscard) EmptyQuery() error              { return nil }
func (*fuzzDiscard) Notice(n *pgerror.Error)        {}
func (*fuzzDiscard) ParameterStatus(name, v string) {}

// fuzzSeeds: statements real clients send (shared/client-sql: GORM, pgx,
// lib/pq, pgbench, psql), statements from tests/testdata/sql/*.slt, and
// broken ones.
var fuzzSeeds = []string{
	// Clients.
	"-- ping",
	";",
	"SELECT 1",
	"begin",
	"commit",
	"rollback",
	`SELECT * FROM "users" LIMIT  '1'`,
	`SELECT CURRENT_DATABASE()`,
	`INSERT INTO "users" ("name","email","age") VALUES ('dan','dan@example.com',22),('eve',NULL,33) RETURNING "id"`,
	`SELECT * FROM "users" WHERE "users"."deleted_at" IS NULL ORDER BY "users"."id" LIMIT $1`,
	`SELECT * FROM "users" WHERE (name LIKE 'a%' OR age > 30 AND NOT email = 'x') AND "users"."deleted_at" IS NULL`,
	`SELECT name, sum(age) as total FROM "users" WHERE "users"."deleted_at" IS NULL GROUP BY "name" HAVING sum(age) > 10`,
	`SELECT COUNT(DISTINCT("name")) FROM "users" WHERE "users"."deleted_at" IS NULL`,
	`UPDATE "users" SET "balance"=balance + 1.25,"deleted_at"='2024-01-01 00:00:00+00' WHERE active = true AND "users"."deleted_at" IS NULL`,
	`INSERT INTO "users" ("id","name") VALUES (1,'dup') ON CONFLICT ("id") DO UPDATE SET "name"="excluded"."name"`,
	`INSERT INTO "users" ("id","name") VALUES (1,'dup') ON CONFLICT DO NOTHING`,
	`SELECT * FROM "users" WHERE "users"."deleted_at" IS NULL FOR UPDATE`,
	`DELETE FROM "orders" WHERE amount > 6 RETURNING *`,
	`SELECT users.name, sum(orders.amount) as total FROM "orders" left join users on users.id = orders.user_id GROUP BY "users"."name"`,
	`BEGIN; SAVEPOINT sp1; INSERT INTO users (name) VALUES ('x'); ROLLBACK TO SAVEPOINT sp1; COMMIT`,
	`SELECT abalance FROM pgbench_accounts WHERE aid = 1`,
	`UPDATE orders SET amount = amount + $1 WHERE id = $2`,
	`SET application_name = 'fuzz'; SHOW application_name; RESET ALL`,
	`SET TimeZone = 'America/New_York'; SELECT deleted_at, born::timestamptz FROM users`,
	// .slt files.
	`SELECT id, name FROM users WHERE email IS NULL OR age BETWEEN 20 AND 35 ORDER BY name NULLS FIRST OFFSET 1`,
	`SELECT DISTINCT ON (user_id) user_id, amount FROM orders ORDER BY user_id, amount DESC`,
	`SELECT CASE WHEN age > 30 THEN 'old' ELSE 'young' END, COALESCE(email, 'none'), NULLIF(age, 30) FROM users`,
	`SELECT extra->'b'->>0, extra @> '{"a":1}', jsonb_typeof(extra) FROM users`,
	`SELECT '1 day 02:03:04'::interval * 2.5, date '2024-02-29' + 1, now() - now()`,
	`SELECT 'abc'::bytea, '\x00ff'::bytea || 'z', E'\\x41'::bytea`,
	`SELECT 9223372036854775807::bigint + 1`,
	`SELECT 1.0e308::float8 * 10, 'NaN'::numeric, -0.0::float4, '1e-400'::float8`,
	`SELECT gen_random_uuid() IS NOT NULL, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid`,
	`BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT count(*) FROM orders; UPDATE users SET age = age + 1; COMMIT`,
	`CREATE TABLE t2 (a int, b text DEFAULT 'x', PRIMARY KEY (a)); INSERT INTO t2 SELECT id::int, name FROM users; DROP TABLE t2`,
	`ALTER TABLE users ADD COLUMN z int DEFAULT 7; SELECT z FROM users`,
	`EXPLAIN SELECT * FROM users WHERE id = 1`,
	`CREATE VIEW v AS SELECT id, name FROM users WHERE active; SELECT * FROM v`,
	// Broken.
	"SELEC 1",
	"SELECT * FROM",
	"SELECT (((((1",
	"INSERT INTO users VALUES (",
	"SELECT $1",
	"SELECT $0",
	"SELECT $99999999999",
	"UPDATE users SET id = id + 1",
	"DELETE FROM orders WHERE user_id = (SELECT 1)",
	"SELECT 1/0",
	"SELECT 'x'::int",
	"SELECT ''::jsonb",
	"SELECT '2024-13-45'::date",
	"COMMIT; COMMIT; ROLLBACK",
	"BEGIN; SELECT 1/0; SELECT 1; ROLLBACK",
	"\x00",
	"SELECT '\xff\xfe'",
	"/* unterminated",
	"SELECT 1; BEGIN; SELECT nope",
}

// fuzzCopySeeds give COPY FROM STDIN its data (the second fuzz argument).
var fuzzCopySeeds = []struct{ query, data string }{
	{"COPY orders (user_id, amount, status) FROM STDIN", "1\t2.5\tnew\n2\t\\N\tpaid\n\\.\n"},
	{"COPY users (name, email, age) FROM STDIN WITH (FORMAT csv, HEADER true)", "name,email,age\nzed,\"z@x\",5\n\"q,\"\"\",,\n"},
	{"COPY orders FROM STDIN (FORMAT binary)", "PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff"},
	{"COPY users TO STDOUT", ""},
	{"COPY (SELECT * FROM orders ORDER BY id) TO STDOUT WITH (FORMAT csv)", ""},
	{"COPY users (name) FROM STDIN", "a\\tb\\x41\\101\nno newline at end"},
}
