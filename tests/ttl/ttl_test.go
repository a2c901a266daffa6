// Package ttl_test proves row expiry end to end (issue 8): a real server
// with a controlled clock, driven through pgx. No test sleeps: the clock
// moves only when a test moves it, and the sweeper runs only when a test
// calls SweepOnce (sql.Config.TTLManual).
package ttl_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
	"github.com/prkdb/prkdb-sql/ttl"
)

// clock is the server's clock in these tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	t     testing.TB
	clk   *clock
	srv   *prkdbtest.Server
	conn  *pgx.Conn
	sleep func(ctx context.Context, d time.Duration) error
}

func start(t testing.TB, dir string, clk *clock, sleep func(context.Context, time.Duration) error) *env {
	t.Helper()
	e := &env{t: t, clk: clk, sleep: sleep}
	srv, err := prkdbtest.Launch(prkdbtest.Options{DataDir: dir, Engine: func(c *sql.Config) {
		c.Now = clk.Now
		c.TTLManual = true
		c.TTL.Sleep = func(ctx context.Context, d time.Duration) error {
			if e.sleep != nil {
				return e.sleep(ctx, d)
			}
			return nil
		}
	}}, t.TempDir)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	conn, err := pgx.Connect(context.Background(), srv.DSN)
	if err != nil {
		srv.Stop()
		t.Fatal(err)
	}
	e.conn = conn
	return e
}

func (e *env) stop() {
	e.conn.Close(context.Background())
	e.srv.Stop()
}

func (e *env) exec(sql string, args ...any) int64 {
	e.t.Helper()
	tag, err := e.conn.Exec(context.Background(), sql, args...)
	if err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return tag.RowsAffected()
}

func (e *env) execErr(sql string) string {
	e.t.Helper()
	_, err := e.conn.Exec(context.Background(), sql)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		e.t.Fatalf("%s: want a PostgreSQL error, got %v", sql, err)
	}
	return pe.Code + " " + pe.Message
}

// col returns the first column of every row, as text.
func (e *env) col(sql string, args ...any) []string {
	e.t.Helper()
	rows, err := e.conn.Query(context.Background(), sql, args...)
	if err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals[0]))
	}
	if err := rows.Err(); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return out
}

func (e *env) one(sql string, args ...any) string {
	e.t.Helper()
	c := e.col(sql, args...)
	if len(c) != 1 {
		e.t.Fatalf("%s: %d rows, want 1", sql, len(c))
	}
	return c[0]
}

func (e *env) want(sql, want string) {
	e.t.Helper()
	if got := fmt.Sprint(e.col(sql)); got != want {
		e.t.Errorf("%s\n got %s\nwant %s", sql, got, want)
	}
}

// liveKeys counts the kv keys under the table's row storage that a new
// snapshot sees (expired-but-unswept rows included): what the sweeper
// reclaims.
func (e *env) liveKeys(table string) int {
	e.t.Helper()
	var oid uint32
	if err := e.conn.QueryRow(context.Background(), "select $1::regclass::oid", table).Scan(&oid); err != nil {
		e.t.Fatal(err)
	}
	txn := e.srv.Engine.Store().Begin(kv.ReadCommitted)
	defer txn.Rollback()
	prefix := catalog.IndexPrefix(nil, oid, catalog.PrimaryIndexID)
	it := txn.Scan(kv.ScanOptions{Prefix: prefix})
	defer it.Close()
	n := 0
	for it.Next() {
		n++
	}
	return n
}

func (e *env) sweep() {
	e.t.Helper()
	if err := e.srv.Engine.TTL().SweepOnce(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) copyOut(sql string) string {
	e.t.Helper()
	var buf bytes.Buffer
	if _, err := e.conn.PgConn().CopyTo(context.Background(), &buf, sql); err != nil {
		e.t.Fatal(err)
	}
	return buf.String()
}

// Table TTL: every read path drops rows exactly at write time + interval;
// an UPDATE is a write and extends the row.
func TestTableTTLVisibility(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table s (id int primary key, v text, k int unique) with (ttl_expire_after = '1 hour')`)
	e.exec(`create index s_v on s (v)`)
	e.exec(`create table names (id int primary key, name text)`)
	e.exec(`insert into s values (1,'a',10),(2,'b',20),(3,'c',30)`)
	e.exec(`insert into names values (1,'one'),(2,'two'),(3,'three')`)
	e.clk.Add(30 * time.Minute)
	e.exec(`update s set v = 'bb' where id = 2`) // written again at +30m
	e.clk.Add(30*time.Minute - time.Microsecond)
	e.want(`select id from s order by id`, "[1 2 3]")

	e.clk.Add(time.Microsecond) // exactly write time + 1 hour for rows 1 and 3
	e.want(`select id from s order by id`, "[2]")
	e.want(`select count(*) from s`, "[1]")
	e.want(`select id from s where id = 1`, "[]")                   // point get
	e.want(`select id from s where v = 'a'`, "[]")                  // secondary index
	e.want(`select id from s where k = 10`, "[]")                   // unique index
	e.want(`select id from s where v = 'bb'`, "[2]")                // index, live row
	e.want(`select n.name from s join names n using (id)`, "[two]") // join
	e.want(`select sum(k) from s`, "[20]")
	if got := e.copyOut(`copy s to stdout`); got != "2\tbb\t20\n" {
		t.Errorf("COPY TO: %q", got)
	}
	if got := e.copyOut(`copy (select id from s) to stdout`); got != "2\n" {
		t.Errorf("COPY (query) TO: %q", got)
	}
	// UPDATE and DELETE targets: expired rows are not there to change.
	if n := e.exec(`update s set v = 'x' where id in (1,2,3)`); n != 1 {
		t.Errorf("UPDATE touched %d rows, want 1", n)
	}
	if n := e.exec(`delete from s where id in (1,3)`); n != 0 {
		t.Errorf("DELETE touched %d rows, want 0", n)
	}
	// The update just now rewrote row 2: it lives until +2h.
	e.clk.Add(59 * time.Minute)
	e.want(`select id, v from s`, "[2]")
	e.clk.Add(time.Minute)
	e.want(`select id from s`, "[]")

	// ALTER ... SET changes the interval for existing rows; RESET keeps
	// them forever.
	e.exec(`alter table s set (ttl_expire_after = '3 hours')`)
	e.want(`select id from s order by id`, "[1 2 3]")
	e.exec(`alter table s reset (ttl_expire_after)`)
	e.clk.Add(100 * time.Hour)
	e.want(`select id from s order by id`, "[1 2 3]")
}

// A table that gets ttl_expire_after later: existing rows count from the
// ALTER.
func TestAlterSetTTLStampsExistingRows(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table a (id int primary key, v text)`)
	e.exec(`insert into a values (1,'x'),(2,'y')`)
	e.clk.Add(10 * time.Hour)
	e.exec(`alter table a set (ttl_expire_after = '30 minutes')`)
	e.want(`select id from a order by id`, "[1 2]")
	e.clk.Add(29 * time.Minute)
	e.exec(`insert into a values (3,'z')`)
	e.clk.Add(time.Minute)
	e.want(`select id from a order by id`, "[3]")
	e.want(`select reloptions::text from pg_class where relname = 'a'`, `[{"ttl_expire_after=30 minutes"}]`)
}

// Per-row expiry and PrkDB's recipes (README "Row expiry").
func TestRowExpiryRecipes(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table kv (key text primary key, value text, expires_at timestamptz) with (ttl_expiration_expression = 'expires_at')`)
	// put_with_ttl
	e.exec(`insert into kv values ('a', '1', now() + interval '10 minutes')`)
	e.exec(`insert into kv values ('b', '2', now() + interval '1 hour')`)
	e.exec(`insert into kv values ('c', '3', null)`) // never expires
	// ttl(): remaining time
	e.want(`select (expires_at - now())::text from kv where key = 'a'`, "[00:10:00]")
	e.clk.Add(4 * time.Minute)
	e.want(`select (expires_at - now())::text from kv where key = 'a'`, "[00:06:00]")
	// expire
	e.exec(`update kv set expires_at = now() where key = 'b'`)
	e.want(`select key from kv order by key`, "[a c]")
	// persist, and extend
	e.exec(`update kv set expires_at = null where key = 'a'`)
	e.clk.Add(time.Hour)
	e.want(`select key from kv order by key`, "[a c]")
	e.exec(`update kv set expires_at = now() + interval '1 minute' where key = 'a'`)
	e.clk.Add(time.Minute)
	e.want(`select key from kv order by key`, "[c]")
	// the expired key is free again
	e.exec(`insert into kv values ('b', 'again', null)`)
	e.want(`select value from kv where key = 'b'`, "[again]")
	// put_with_ttl as an upsert (README): over a live row, then over an
	// expired one.
	put := `insert into kv values ('d', $1, now() + interval '1 minute') on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at`
	e.exec(put, "v1")
	e.clk.Add(30 * time.Second)
	e.exec(put, "v2")
	e.clk.Add(45 * time.Second) // v1's minute has passed, v2's has not
	e.want(`select value from kv where key = 'd'`, "[v2]")
	e.clk.Add(time.Minute)
	e.want(`select value from kv where key = 'd'`, "[]")
	e.exec(put, "v3")
	e.want(`select value || ' ' || (expires_at - now())::text from kv where key = 'd'`, "[v3 00:01:00]")
}

// An expired row gives up its primary key and unique keys: the insert
// replaces it, index entries included.
func TestReinsertAfterExpiry(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table u (id int primary key, email text unique, n int) with (ttl_expire_after = '1 minute')`)
	e.exec(`insert into u values (1, 'a@x', 1), (2, 'b@x', 2)`)
	if got := e.execErr(`insert into u values (1, 'z@x', 0)`); got[:5] != "23505" {
		t.Fatalf("live duplicate: %s", got)
	}
	e.clk.Add(time.Minute)
	e.exec(`insert into u values (1, 'a@x', 10)`) // same PK, same unique key
	e.exec(`insert into u values (3, 'b@x', 30)`) // other PK, unique key of expired row 2
	e.exec(`insert into u values (2, 'c@x', 20)`) // PK of row 2, whose entries are gone
	e.exec(`insert into u values (4, 'd@x', 0) on conflict (id) do nothing`)
	e.want(`select id || ':' || email from u order by id`, "[1:a@x 2:c@x 3:b@x 4:d@x]")
	e.want(`select id from u where email = 'b@x'`, "[3]")
	if got := e.execErr(`insert into u values (5, 'a@x', 0)`); got[:5] != "23505" {
		t.Fatalf("live unique duplicate: %s", got)
	}
	// ON CONFLICT against an expired row inserts rather than updates.
	e.clk.Add(time.Minute)
	e.exec(`insert into u values (1, 'new@x', 100) on conflict (id) do update set n = -1`)
	e.want(`select n from u where id = 1`, "[100]")
	if e.liveKeys("u") != 4 {
		t.Errorf("stored rows %d, want 4 (1 live + 3 expired)", e.liveKeys("u"))
	}
}

// A child row that expired does not block the delete of its parent
// (foreign keys may only point out of a TTL table).
func TestForeignKeys(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table parent (id int primary key)`)
	e.exec(`create table child (id int primary key, p int references parent) with (ttl_expire_after = '1 minute')`)
	e.exec(`insert into parent values (1)`)
	e.exec(`insert into child values (1, 1)`)
	if got := e.execErr(`delete from parent where id = 1`); got[:5] != "23503" {
		t.Fatalf("live child: %s", got)
	}
	e.clk.Add(time.Minute)
	e.exec(`delete from parent where id = 1`)
	if got := e.execErr(`create table grandchild (id int references child)`); got[:5] != "0A000" {
		t.Fatalf("FK to a TTL table: %s", got)
	}
	e.exec(`create table plain (id int primary key)`)
	e.exec(`create table ref (id int references plain)`)
	if got := e.execErr(`alter table plain set (ttl_expire_after = '1 hour')`); got[:5] != "0A000" {
		t.Fatalf("TTL on a referenced table: %s", got)
	}
}

// Option values are checked as PostgreSQL checks reloptions (22023).
func TestOptionErrors(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	for q, want := range map[string]string{
		`create table b1 (id int) with (ttl_expire_after = 'soon')`:                            `22023 invalid value for interval option "ttl_expire_after": soon`,
		`create table b2 (id int) with (ttl_expire_after = '-1 hour')`:                         `22023 value -1 hour out of bounds for option "ttl_expire_after"`,
		`create table b3 (id int) with (ttl_expire_at = '1 hour')`:                             `22023 unrecognized parameter "ttl_expire_at"`,
		`create table b4 (id int) with (ttl_expiration_expression = 'e')`:                      `42703 column "e" named by ttl_expiration_expression does not exist`,
		`create table b5 (id int, e timestamp) with (ttl_expiration_expression = 'e')`:         `42804 column "e" named by ttl_expiration_expression must be of type timestamp with time zone`,
		`create table b6 (id int) with (ttl_expire_after = '1h', ttl_delete_batch_size = 0)`:   `22023 value 0 out of bounds for option "ttl_delete_batch_size"`,
		`create table b7 (id int) with (ttl_expire_after = '1h', ttl_delete_rate_limit = 'x')`: `22023 invalid value for floating point option "ttl_delete_rate_limit": x`,
		`create table b8 (id int) with (ttl_disable_changefeed_replication = maybe)`:           `22023 invalid value for boolean option "ttl_disable_changefeed_replication": maybe`,
	} {
		if got := e.execErr(q); got != want {
			t.Errorf("%s\n got %s\nwant %s", q, got, want)
		}
	}
	e.exec(`create table ok (id int, e timestamptz) with (ttl_expiration_expression = 'e', ttl_job_interval = '5 minutes', ttl_delete_batch_size = 100, ttl_delete_rate_limit = 1000, ttl_disable_changefeed_replication = true)`)
	e.want(`select reloptions::text from pg_class where relname = 'ok'`,
		"[{ttl_delete_batch_size=100,ttl_delete_rate_limit=1000,ttl_disable_changefeed_replication=true,ttl_expiration_expression=e,\"ttl_job_interval=5 minutes\"}]")
	if got := e.execErr(`alter table ok set (ttl_expire_after = '0 seconds')`); got[:5] != "22023" {
		t.Errorf("zero interval: %s", got)
	}
}

// The sweeper deletes expired rows (only those), through commits marked
// as expiry; notify_changes fires for them unless the table suppresses
// change streams; the status view counts them.
func TestSweeper(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table sw (id int primary key, v text) with (ttl_expire_after = '1 minute', ttl_delete_batch_size = 7, notify_changes = true)`)
	e.exec(`create table quiet (id int primary key) with (ttl_expire_after = '1 minute', ttl_disable_changefeed_replication = true, notify_changes = true)`)
	e.exec(`create index sw_v on sw (v)`)
	e.exec(`insert into sw select g, 'v' || g from generate_series(1, 50) g`)
	e.exec(`insert into quiet select g from generate_series(1, 5) g`)
	e.clk.Add(30 * time.Second)
	e.exec(`insert into sw select g, 'v' || g from generate_series(51, 60) g`)
	e.clk.Add(30 * time.Second) // rows 1..50 and quiet's expire now

	listener, err := pgx.Connect(context.Background(), e.srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close(context.Background())
	if _, err := listener.Exec(context.Background(), `listen "public.sw"; listen "public.quiet"`); err != nil {
		t.Fatal(err)
	}
	from := e.srv.Engine.Store().LastLSN() + 1
	before := e.liveKeys("sw")
	e.sweep()
	if before != 60 || e.liveKeys("sw") != 10 || e.liveKeys("quiet") != 0 {
		t.Fatalf("stored rows before %d after %d (quiet %d), want 60, 10, 0", before, e.liveKeys("sw"), e.liveKeys("quiet"))
	}
	e.want(`select count(*) from sw where v like 'v%'`, "[10]")

	// Commit records: batches of at most 7 rows, each marked with the
	// table and the suppress flag.
	r, err := e.srv.Engine.Store().Subscribe(from)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	deletes := map[bool]int{}
	for deletes[false]+deletes[true] < 50*2+5 { // sw: row + index entry per row
		rec, err := r.Next(nil)
		if err != nil {
			t.Fatal(err)
		}
		x, ok := ttl.RecordExpiry(rec)
		if !ok {
			t.Fatalf("LSN %d: commit without expiry attachment", rec.LSN)
		}
		rows := 0
		for _, op := range rec.Ops {
			if op.Kind == kv.OpDelete {
				deletes[x.Suppress]++
				rows++
			}
		}
		if !x.Suppress && rows > 14 {
			t.Errorf("batch of %d deletes, want at most 7 rows (14 keys)", rows)
		}
	}
	if deletes[true] != 5 {
		t.Errorf("suppressed deletes %d, want 5", deletes[true])
	}
	// notify_changes: 50 deletes of sw, none of quiet.
	got := map[string]int{}
	for i := 0; i < 50; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		n, err := listener.WaitForNotification(ctx)
		cancel()
		if err != nil {
			t.Fatalf("notification %d: %v", i, err)
		}
		got[n.Channel]++
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	if n, err := listener.WaitForNotification(ctx); err == nil {
		t.Errorf("unexpected notification %s %s", n.Channel, n.Payload)
	}
	cancel()
	if got["public.sw"] != 50 {
		t.Errorf("notifications %v, want 50 on public.sw", got)
	}

	e.want(`select relname || ' swept=' || rows_swept || ' pending=' || rows_pending || ' lag=' || sweep_lag from prkdb_ttl_status order by relname`,
		"[quiet swept=5 pending=0 lag=00:00:00 sw swept=50 pending=0 lag=00:00:00]")
	e.clk.Add(30 * time.Second)
	e.sweep()
	if e.liveKeys("sw") != 0 {
		t.Errorf("stored rows %d after the second sweep", e.liveKeys("sw"))
	}
}

// A sweep that stops half-way (here: the rate-limit wait is cut by
// shutdown) leaves nothing half-done; after a restart the rows are still
// invisible and the next sweep finishes.
func TestSweeperRestartMidSweep(t *testing.T) {
	clk := newClock()
	dir := t.TempDir()
	e := start(t, dir, clk, nil)
	e.exec(`create table r (id int primary key, v text) with (ttl_expire_after = '1 minute', ttl_delete_batch_size = 10, ttl_delete_rate_limit = 5)`)
	e.exec(`insert into r select g, 'x' from generate_series(1, 35) g`)
	clk.Add(time.Minute)
	var waits []time.Duration
	e.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return context.Canceled // shutdown during the first rate-limit wait
	}
	if err := e.srv.Engine.TTL().SweepOnce(context.Background()); !errors.Is(err, context.Canceled) {
		t.Fatalf("sweep: %v", err)
	}
	if len(waits) != 1 || waits[0] != 2*time.Second {
		t.Errorf("rate-limit waits %v, want [2s] (10 rows at 5 rows/s)", waits)
	}
	if n := e.liveKeys("r"); n != 25 {
		t.Fatalf("after one batch: %d stored rows, want 25", n)
	}
	e.want(`select last_error from prkdb_ttl_status`, "[context canceled]")
	e.stop()

	clk.Add(45 * time.Second) // the sweeper comes back 45 s after the rows expired
	e = start(t, dir, clk, nil)
	defer e.stop()
	e.want(`select count(*) from r`, "[0]")
	if n := e.liveKeys("r"); n != 25 {
		t.Fatalf("after restart: %d stored rows, want 25", n)
	}
	e.sweep()
	if n := e.liveKeys("r"); n != 0 {
		t.Fatalf("after the second sweep: %d stored rows", n)
	}
	e.want(`select rows_swept || ' ' || sweeps || ' ' || last_sweep_lag from prkdb_ttl_status`, "[25 1 00:00:45]")
}

// The sweeper skips rows a user transaction holds, and never deletes a
// row that was written again after it expired (it is live again).
func TestSweeperSkipsLockedRows(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table l (id int primary key, v int) with (ttl_expire_after = '1 minute')`)
	e.exec(`insert into l values (1, 0), (2, 0)`)
	e.clk.Add(time.Minute)
	other, err := pgx.Connect(context.Background(), e.srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(context.Background())
	tx, err := other.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Re-inserting id 2 replaces the expired row and holds its lock.
	if _, err := tx.Exec(context.Background(), `insert into l values (2, 5)`); err != nil {
		t.Fatal(err)
	}
	e.sweep()
	if n := e.liveKeys("l"); n != 1 {
		t.Fatalf("stored rows %d, want 1 (row 2 locked)", n)
	}
	e.want(`select rows_pending from prkdb_ttl_status`, "[1]")
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.sweep()
	e.want(`select id || ':' || v from l`, "[2:5]")
	if n := e.liveKeys("l"); n != 1 {
		t.Fatalf("stored rows %d, want 1", n)
	}
}

// Memory under a steady insert stream with a short TTL: the number of
// stored rows stays bounded by what one TTL period holds (deterministic),
// and the heap is reported (not asserted: it depends on the GC).
func TestSteadyChurnStaysFlat(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table churn (id bigint primary key, payload text) with (ttl_expire_after = '10 seconds', ttl_delete_batch_size = 1000)`)
	const perRound, rounds = 500, 60
	id := 0
	var heap []uint64
	var treeKeys []int
	for round := 0; round < rounds; round++ {
		// One round is one second of traffic: perRound rows, then a sweep.
		e.exec(`insert into churn select g, repeat('x', 100) from generate_series($1::bigint, $2::bigint) g`, id, id+perRound-1)
		id += perRound
		e.clk.Add(time.Second)
		e.sweep()
		n := e.liveKeys("churn")
		// Rows written in the last 10 seconds are live: at most 10 rounds.
		if n > 10*perRound {
			t.Fatalf("round %d: %d stored rows, want at most %d", round, n, 10*perRound)
		}
		if round >= 10 && n != 9*perRound {
			t.Fatalf("round %d: %d stored rows, want %d", round, n, 9*perRound)
		}
		if round%10 == 9 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			heap = append(heap, ms.HeapAlloc)
			treeKeys = append(treeKeys, e.srv.Engine.Store().Stats().Keys)
		}
	}
	t.Logf("inserted %d rows in %d rounds; stored rows at the end %d; kv tree keys (tombstones and catalog included) after rounds 10,20,...: %v; heap: %v MiB",
		id, rounds, e.liveKeys("churn"), treeKeys, mib(heap))
	// Tombstones leave the tree once no snapshot needs them and more than
	// 4096 are waiting (or every 64 commit batches: kv/store.go
	// onDurable), so the count depends on timing, but it must not grow
	// with the rows inserted.
	for i, n := range treeKeys {
		if n > treeKeys[0]+4096+2*perRound {
			t.Errorf("kv tree grew from %d to %d keys by round %d", treeKeys[0], n, 10*(i+1))
		}
	}
	e.want(`select rows_swept from prkdb_ttl_status`, fmt.Sprintf("[%d]", id-9*perRound))
}

func mib(xs []uint64) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%.1f", float64(x)/(1<<20))
	}
	return out
}

// psql's \d+ shows the options, as it shows any reloptions.
func TestPsqlDescribeShowsOptions(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql not installed: " + err.Error())
	}
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table shown (id int primary key, expires_at timestamptz) with (ttl_expire_after = '1 hour', ttl_expiration_expression = 'expires_at')`)
	out, err := exec.Command(psql, "-X", "-d", e.srv.DSN, "-c", `\d+ shown`).CombinedOutput()
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Options: ttl_expiration_expression=expires_at, ttl_expire_after=1 hour") {
		t.Errorf("\\d+ output:\n%s", out)
	}
}

// Logical decoding: a sweeper transaction of a replicated table starts
// with the transactional message prefix prkdb.ttl and carries the deletes;
// a table with ttl_disable_changefeed_replication sends nothing.
func TestLogicalDecodingMarksExpiry(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table rep (id int primary key) with (ttl_expire_after = '1 minute')`)
	e.exec(`create table norep (id int primary key) with (ttl_expire_after = '1 minute', ttl_disable_changefeed_replication = true)`)
	e.exec(`select * from pg_create_logical_replication_slot('ttl', 'test_decoding')`)
	e.exec(`insert into rep values (1), (2)`)
	e.exec(`insert into norep values (1)`)
	e.exec(`delete from rep where id = 2`) // a user's delete, unmarked
	e.clk.Add(time.Minute)
	e.sweep()
	got := strings.Join(e.col(`select data from pg_logical_slot_get_changes('ttl', NULL, NULL, 'include-xids', '0', 'skip-empty-xacts', '1')`), "\n")
	want := strings.Join([]string{
		"BEGIN",
		"table public.rep: INSERT: id[integer]:1",
		"table public.rep: INSERT: id[integer]:2",
		"COMMIT",
		"BEGIN",
		"table public.norep: INSERT: id[integer]:1",
		"COMMIT",
		"BEGIN",
		"table public.rep: DELETE: id[integer]:2",
		"COMMIT",
		"BEGIN",
		`message: transactional: 1 prefix: prkdb.ttl, sz: ` + fmt.Sprint(len(`{"op":"expire","table":"public.rep","oid":`)+5+1) + ` content:{"op":"expire","table":"public.rep","oid":`,
	}, "\n")
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "}\ntable public.rep: DELETE: id[integer]:1\nCOMMIT") {
		t.Errorf("changes:\n%s\nwant a prefix of:\n%s", got, want)
	}
	if e.liveKeys("norep") != 0 {
		t.Errorf("norep not swept")
	}
}

// The expiration column follows RENAME and cannot be dropped or retyped
// while the option names it.
func TestExpirationColumnDDL(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table c (id int primary key, e timestamptz) with (ttl_expiration_expression = 'e')`)
	e.exec(`insert into c values (1, now())`)
	e.want(`select count(*) from c`, "[0]")
	e.exec(`alter table c rename column e to "Expires"`)
	e.want(`select reloptions::text from pg_class where relname = 'c'`, `[{"ttl_expiration_expression=\"Expires\""}]`)
	e.want(`select count(*) from c`, "[0]")
	if got := e.execErr(`alter table c drop column "Expires"`); got != `42703 column "Expires" named by ttl_expiration_expression does not exist` {
		t.Errorf("drop: %s", got)
	}
	if got := e.execErr(`alter table c alter column "Expires" type timestamp`); got[:5] != "42804" {
		t.Errorf("retype: %s", got)
	}
	e.exec(`alter table c reset (ttl_expiration_expression)`)
	e.exec(`alter table c drop column "Expires"`)
	e.want(`select count(*) from c`, "[1]")
}

// CREATE UNIQUE INDEX is not stopped by an expired row holding a key a
// live row also has: the backfill deletes it.
func TestCreateUniqueIndexOverExpiredRows(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table ui (id int primary key, email text, e timestamptz) with (ttl_expiration_expression = 'e')`)
	e.exec(`create index ui_e on ui (e)`)
	e.exec(`insert into ui values (1, 'a', now()), (2, 'a', null), (3, 'b', null)`)
	e.exec(`create unique index ui_email on ui (email)`)
	e.want(`select id from ui where email = 'a'`, "[2]")
	if n := e.liveKeys("ui"); n != 2 {
		t.Errorf("stored rows %d, want 2", n)
	}
	if got := e.execErr(`insert into ui values (4, 'b', null)`); got[:5] != "23505" {
		t.Errorf("duplicate: %s", got)
	}
}

// The background loop (the default outside tests) finds the table and
// sweeps it on its own. Its ticker is real time (10 ms here); expiry and
// schedules still follow the controlled clock.
func TestBackgroundSweeper(t *testing.T) {
	clk := newClock()
	srv, err := prkdbtest.Launch(prkdbtest.Options{Engine: func(c *sql.Config) {
		c.Now = clk.Now
		c.TTL.Tick = 10 * time.Millisecond
	}}, t.TempDir)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), srv.DSN)
	if err != nil {
		srv.Stop()
		t.Fatal(err)
	}
	e := &env{t: t, clk: clk, srv: srv, conn: conn}
	defer e.stop()
	e.exec(`create table bg (id int primary key) with (ttl_expire_after = '1 minute')`)
	e.exec(`insert into bg select generate_series(1, 100)`)
	clk.Add(2 * time.Minute) // the loop's first visit, if it came before the table, is a minute old too
	deadline := time.Now().Add(10 * time.Second)
	// The counters are updated just after each batch commits: wait for both.
	for e.liveKeys("bg") != 0 || fmt.Sprint(e.col(`select rows_swept from prkdb_ttl_status`)) != "[100]" {
		if time.Now().After(deadline) {
			t.Fatalf("background sweeper left %d rows; status %v", e.liveKeys("bg"), e.col(`select rows_swept from prkdb_ttl_status`))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The other read paths: UPDATE ... FROM and DELETE ... USING targets, a
// GIN full-text scan, a deferred foreign key check.
func TestOtherReadPaths(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table doc (id int primary key, body text, n int) with (ttl_expire_after = '1 minute')`)
	e.exec(`create index doc_fts on doc using gin (to_tsvector('english', body))`)
	e.exec(`create table src (id int primary key)`)
	e.exec(`insert into doc values (1, 'old cats', 0)`)
	e.exec(`insert into src values (1), (2)`)
	e.clk.Add(30 * time.Second)
	e.exec(`insert into doc values (2, 'new cats', 0)`)
	e.clk.Add(30 * time.Second) // row 1 expires
	if plan := strings.Join(e.col(`explain select id from doc where to_tsvector('english', body) @@ to_tsquery('english', 'cat')`), "\n"); !strings.Contains(plan, "Bitmap Heap Scan") {
		t.Errorf("not a GIN scan:\n%s", plan)
	}
	e.want(`select id from doc where to_tsvector('english', body) @@ to_tsquery('english', 'cat') order by id`, "[2]")
	if n := e.exec(`update doc set n = 1 from src where doc.id = src.id`); n != 1 {
		t.Errorf("UPDATE ... FROM touched %d rows", n)
	}
	if n := e.exec(`delete from doc using src where doc.id = src.id and doc.n = 0`); n != 0 {
		t.Errorf("DELETE ... USING touched %d rows", n)
	}
	// A deferred check runs at COMMIT against the child as it then is:
	// a child that expired meanwhile needs no parent.
	e.exec(`create table p (id int primary key)`)
	e.exec(`create table ch (id int primary key, p int references p deferrable initially deferred, x timestamptz) with (ttl_expiration_expression = 'x')`)
	e.exec(`begin`)
	e.exec(`insert into ch values (1, 99, now() + interval '10 seconds')`) // no parent 99
	e.clk.Add(10 * time.Second)
	e.exec(`commit`) // the child has expired by the check: nothing to check
	e.exec(`begin`)
	e.exec(`insert into ch values (2, 99, now() + interval '10 seconds')`)
	if got := e.execErr(`commit`); got[:5] != "23503" {
		t.Errorf("deferred check of a live child: %s", got)
	}
}
