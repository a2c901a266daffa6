package clients_test

// LISTEN / NOTIFY and notify_changes through real clients: pgx
// (Conn.WaitForNotification), lib/pq (pq.Listener) and
// github.com/jackc/pgxlisten, against the in-process server.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"
	"github.com/lib/pq"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// waitNote waits up to d for the next notification on c.
func waitNote(t *testing.T, c *pgx.Conn, d time.Duration) (*pgconn.Notification, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return c.WaitForNotification(ctx)
}

// expectNotes reads exactly want ("channel:payload") and then nothing more
// for a short while.
func expectNotes(t *testing.T, c *pgx.Conn, want ...string) []*pgconn.Notification {
	t.Helper()
	var got []*pgconn.Notification
	for range want {
		n, err := waitNote(t, c, 5*time.Second)
		if err != nil {
			t.Fatalf("after %d of %v: %v", len(got), want, err)
		}
		got = append(got, n)
	}
	for i, n := range got {
		if s := n.Channel + ":" + n.Payload; s != want[i] {
			t.Fatalf("notification %d: got %q, want %q (all: %v)", i, s, want[i], noteStrings(got))
		}
	}
	if n, err := waitNote(t, c, 150*time.Millisecond); err == nil {
		t.Fatalf("unexpected notification %s:%s after %v", n.Channel, n.Payload, want)
	} else if !errors.Is(err, context.DeadlineExceeded) && !pgconn.Timeout(err) {
		t.Fatalf("waiting for no notification: %v", err)
	}
	return got
}

func noteStrings(ns []*pgconn.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Channel+":"+n.Payload)
	}
	return out
}

func mustExec(t *testing.T, c *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := c.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestNotifyPGX(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		t.Run(mode.String(), func(t *testing.T) {
			lis := connect(t, srv.DSN, mode)
			snd := connect(t, srv.DSN, mode)
			ctx := context.Background()
			mustExec(t, lis, "LISTEN jobs")
			mustExec(t, lis, `LISTEN "Mixed Case"`)

			// Idle delivery, with the sender's backend PID.
			mustExec(t, snd, "NOTIFY jobs, 'one'")
			got := expectNotes(t, lis, "jobs:one")
			if got[0].PID != snd.PgConn().PID() {
				t.Fatalf("PID %d, want the sender's %d", got[0].PID, snd.PgConn().PID())
			}
			mustExec(t, snd, "SELECT pg_notify('Mixed Case', NULL)")
			expectNotes(t, lis, "Mixed Case:")

			// Transactional: nothing before COMMIT, nothing after ROLLBACK or
			// from a rolled-back savepoint; duplicates folded; commit order.
			tx, err := snd.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			tx.Exec(ctx, "NOTIFY jobs, 'a'")
			tx.Exec(ctx, "NOTIFY jobs, 'b'")
			tx.Exec(ctx, "NOTIFY jobs, 'a'")
			tx.Exec(ctx, "SAVEPOINT s")
			tx.Exec(ctx, "NOTIFY jobs, 'rolled back'")
			tx.Exec(ctx, "ROLLBACK TO SAVEPOINT s")
			tx.Exec(ctx, "SAVEPOINT r")
			tx.Exec(ctx, "NOTIFY jobs, 'released'")
			tx.Exec(ctx, "RELEASE SAVEPOINT r")
			if n, err := waitNote(t, lis, 150*time.Millisecond); err == nil {
				t.Fatalf("notification %s before COMMIT", n.Payload)
			}
			if err := tx.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			tx, _ = snd.Begin(ctx)
			tx.Exec(ctx, "NOTIFY jobs, 'never'")
			tx.Rollback(ctx)
			mustExec(t, snd, "NOTIFY jobs, 'c'; NOTIFY jobs, 'a'")
			expectNotes(t, lis, "jobs:a", "jobs:b", "jobs:released", "jobs:c", "jobs:a")

			// The sender gets its own, with its own PID, before its command
			// returns.
			mustExec(t, lis, "NOTIFY jobs, 'self'")
			got = expectNotes(t, lis, "jobs:self")
			if got[0].PID != lis.PgConn().PID() {
				t.Fatalf("self PID %d, want %d", got[0].PID, lis.PgConn().PID())
			}

			// A listener inside a transaction block receives after it ends.
			tx, _ = lis.Begin(ctx)
			tx.Exec(ctx, "SELECT 1")
			mustExec(t, snd, "NOTIFY jobs, 'held'")
			if n, err := waitNote(t, lis, 200*time.Millisecond); err == nil {
				t.Fatalf("notification %s inside a transaction block", n.Payload)
			}
			tx.Commit(ctx)
			expectNotes(t, lis, "jobs:held")

			// UNLISTEN drops what is held and not yet sent, as PostgreSQL
			// checks that it listens when it reads its queue.
			tx, _ = lis.Begin(ctx)
			tx.Exec(ctx, "SELECT 1")
			mustExec(t, snd, "NOTIFY jobs, 'dropped'")
			time.Sleep(20 * time.Millisecond)
			tx.Exec(ctx, "UNLISTEN jobs")
			tx.Commit(ctx)
			expectNotes(t, lis)
			mustExec(t, lis, "LISTEN jobs")

			// A busy listener receives after its query.
			done := make(chan error, 1)
			go func() {
				_, err := lis.Exec(ctx, "SELECT count(*) FROM generate_series(1, 300000)")
				done <- err
			}()
			time.Sleep(5 * time.Millisecond)
			mustExec(t, snd, "NOTIFY jobs, 'busy'")
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			expectNotes(t, lis, "jobs:busy")

			// LISTEN is transactional too; pg_listening_channels shows what
			// committed, in LISTEN order.
			tx, _ = lis.Begin(ctx)
			tx.Exec(ctx, "LISTEN later")
			var n int
			tx.QueryRow(ctx, "SELECT count(*) FROM pg_listening_channels() c WHERE c = 'later'").Scan(&n)
			if n != 0 {
				t.Fatal("LISTEN visible before COMMIT")
			}
			tx.Rollback(ctx)
			var chans []string
			if err := lis.QueryRow(ctx, "SELECT array_agg(c) FROM pg_listening_channels() c").Scan(&chans); err != nil {
				t.Fatal(err)
			}
			if strings.Join(chans, ",") != "Mixed Case,jobs" {
				t.Fatalf("pg_listening_channels %v", chans)
			}
			mustExec(t, lis, "UNLISTEN jobs")
			mustExec(t, snd, "NOTIFY jobs, 'unheard'; NOTIFY \"Mixed Case\", 'heard'")
			expectNotes(t, lis, "Mixed Case:heard")
			mustExec(t, lis, "UNLISTEN *")
			mustExec(t, snd, "NOTIFY \"Mixed Case\", 'unheard'")
			expectNotes(t, lis)

			// Errors as PostgreSQL's.
			long := strings.Repeat("x", 8000)
			for _, c := range []struct{ sql, state, msg string }{
				{"NOTIFY jobs, '" + long + "'", "22023", "payload string too long"},
				{"SELECT pg_notify('jobs', '" + long + "')", "22023", "payload string too long"},
				{"SELECT pg_notify('', 'x')", "22023", "channel name cannot be empty"},
				{"SELECT pg_notify(NULL, 'x')", "22023", "channel name cannot be empty"},
			} {
				_, err := snd.Exec(ctx, c.sql)
				var pe *pgconn.PgError
				if !errors.As(err, &pe) || pe.Code != c.state || pe.Message != c.msg {
					t.Fatalf("%.40s: got %v, want %s %s", c.sql, err, c.state, c.msg)
				}
			}
			mustExec(t, snd, "NOTIFY jobs, '"+long[:7999]+"'") // the longest payload
		})
	}
}

// A listener that does not keep up loses only its own session: it gets
// what fitted in its queue, then FATAL 54000; commits and other listeners
// go on.
func TestNotifyOverflow(t *testing.T) {
	// Room for about 500 notifications (channel + payload + 64 bytes).
	srv := prkdbtest.Start(t, prkdbtest.Options{Engine: func(c *sql.Config) { c.NotifyQueueBytes = 500 * 69 }})
	ctx := context.Background()
	slow := connect(t, srv.DSN, pgx.QueryExecModeSimpleProtocol)
	fast := connect(t, srv.DSN, pgx.QueryExecModeSimpleProtocol)
	snd := connect(t, srv.DSN, pgx.QueryExecModeSimpleProtocol)
	mustExec(t, slow, "LISTEN c")
	mustExec(t, fast, "LISTEN c")
	// The slow listener holds a transaction open, so nothing is sent to
	// it and its queue fills.
	tx, err := slow.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx.Exec(ctx, "SELECT 1")
	const total = 1500
	var wg sync.WaitGroup
	var fastErr error
	fastGot := make(chan int, total)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; i <= total; i++ {
			if _, fastErr = waitNote(t, fast, 5*time.Second); fastErr != nil {
				return
			}
			fastGot <- i
		}
	}()
	start := time.Now()
	got := 0
	for i := 0; i < total; i++ {
		mustExec(t, snd, fmt.Sprintf("NOTIFY c, '%04d'", i))
		// The fast listener reads as it goes; it is never more than 100
		// behind (a machine shared with other builds could otherwise
		// starve it past its queue too).
		for got < i-100 {
			select {
			case got = <-fastGot:
			case <-time.After(5 * time.Second):
				t.Fatalf("fast listener stuck at %d: %v", got, fastErr)
			}
		}
	}
	wg.Wait()
	if fastErr != nil {
		t.Fatalf("fast listener: %v", fastErr)
	}
	t.Logf("%d commits in %v while a listener was stalled", total, time.Since(start))
	err = tx.Commit(ctx)
	// What fitted came first, in order, then the error.
	got = 0
	for err == nil {
		var n *pgconn.Notification
		n, err = waitNote(t, slow, 5*time.Second)
		if err == nil {
			if n.Payload != fmt.Sprintf("%04d", got) {
				t.Fatalf("slow listener notification %d: %q", got, n.Payload)
			}
			got++
		}
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "54000" || pe.Severity != "FATAL" || !strings.Contains(pe.Message, "notification queue overflowed") {
		t.Fatalf("after %d notifications: %v", got, err)
	}
	if got == 0 || got >= total {
		t.Fatalf("slow listener got %d notifications before the error", got)
	}
	t.Logf("slow listener: %d delivered, then %s: %s (%s)", got, pe.Code, pe.Message, pe.Detail)
	// The others are untouched.
	mustExec(t, snd, "NOTIFY c, 'after'")
	expectNotes(t, fast, "c:after")
}

func TestNotifyLibPQListener(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	events := make(chan pq.ListenerEventType, 16)
	l := pq.NewListener(srv.DSN, 10*time.Millisecond, time.Second, func(ev pq.ListenerEventType, err error) { events <- ev })
	defer l.Close()
	if err := l.Listen("orders"); err != nil {
		t.Fatal(err)
	}
	if err := l.Listen("orders"); !errors.Is(err, pq.ErrChannelAlreadyOpen) {
		t.Fatalf("second Listen: %v", err)
	}
	snd := connect(t, srv.DSN, pgx.QueryExecModeSimpleProtocol)
	mustExec(t, snd, "NOTIFY orders, 'first'")
	mustExec(t, snd, "BEGIN; NOTIFY orders, 'second'; NOTIFY orders, 'second'; COMMIT")
	mustExec(t, snd, "SELECT pg_notify('orders', 'third')")
	var got []string
	for len(got) < 3 {
		select {
		case n := <-l.Notify:
			if n != nil {
				if n.BePid != int(snd.PgConn().PID()) {
					t.Fatalf("BePid %d, want %d", n.BePid, snd.PgConn().PID())
				}
				got = append(got, n.Channel+":"+n.Extra)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("got %v", got)
		}
	}
	if strings.Join(got, ",") != "orders:first,orders:second,orders:third" {
		t.Fatalf("got %v", got)
	}
	if err := l.Ping(); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlisten("orders"); err != nil {
		t.Fatal(err)
	}
	mustExec(t, snd, "NOTIFY orders, 'unheard'")
	select {
	case n := <-l.Notify:
		t.Fatalf("after Unlisten: %+v", n)
	case <-time.After(200 * time.Millisecond):
	}
}

// pgxlisten with a handler on a notify_changes channel: every committed
// INSERT/UPDATE/DELETE of the table arrives as JSON; rolled-back ones
// never do.
func TestNotifyChangesPgxlisten(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := connect(t, srv.DSN, pgx.QueryExecModeCacheStatement)
	mustExec(t, db, "CREATE TABLE items (id int PRIMARY KEY, name text, qty int) WITH (notify_changes = on)")
	mustExec(t, db, "CREATE TABLE quiet (id int PRIMARY KEY)")

	type change struct {
		Op     string         `json:"op"`
		Table  string         `json:"table"`
		Key    map[string]any `json:"key"`
		OldKey map[string]any `json:"old_key"`
		Row    map[string]any `json:"row"`
		Trunc  bool           `json:"truncated"`
	}
	got := make(chan change, 100)
	raw := make(chan string, 100)
	ready := make(chan struct{})
	l := &pgxlisten.Listener{
		Connect:        func(ctx context.Context) (*pgx.Conn, error) { return pgx.Connect(ctx, srv.DSN) },
		ReconnectDelay: 50 * time.Millisecond,
		LogError:       func(_ context.Context, err error) { t.Logf("pgxlisten: %v", err) },
	}
	l.Handle("public.items", backlogHandler{ready: ready, f: func(n *pgconn.Notification) {
		var c change
		if err := json.Unmarshal([]byte(n.Payload), &c); err != nil {
			t.Errorf("payload %q: %v", n.Payload, err)
		}
		raw <- n.Payload
		got <- c
	}})
	go l.Listen(ctx)
	select {
	case <-ready:
	case <-time.After(5 * time.Second):
		t.Fatal("pgxlisten did not start")
	}

	mustExec(t, db, "INSERT INTO items VALUES (1, 'apple', 3), (2, 'pear', 0)")
	mustExec(t, db, "INSERT INTO quiet VALUES (1)")
	mustExec(t, db, "UPDATE items SET qty = qty + 1 WHERE id = 1")
	mustExec(t, db, "UPDATE items SET id = 20 WHERE id = 2")
	tx, _ := db.Begin(ctx)
	tx.Exec(ctx, "DELETE FROM items")
	tx.Rollback(ctx)
	mustExec(t, db, "DELETE FROM items WHERE id = 20")
	want := []string{
		`{"op":"insert","table":"public.items","key":{"id":1},"row":{"id":1,"name":"apple","qty":3}}`,
		`{"op":"insert","table":"public.items","key":{"id":2},"row":{"id":2,"name":"pear","qty":0}}`,
		`{"op":"update","table":"public.items","key":{"id":1},"old_key":{"id":1},"row":{"id":1,"name":"apple","qty":4}}`,
		`{"op":"update","table":"public.items","key":{"id":20},"old_key":{"id":2},"row":{"id":20,"name":"pear","qty":0}}`,
		`{"op":"delete","table":"public.items","old_key":{"id":20}}`,
	}
	for i, w := range want {
		select {
		case p := <-raw:
			<-got
			if p != w {
				t.Fatalf("change %d:\n got %s\nwant %s", i, p, w)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("change %d never came (want %s)", i, w)
		}
	}

	// COPY FROM and ON CONFLICT DO UPDATE go through the same path.
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"items"}, []string{"id", "name", "qty"},
		pgx.CopyFromRows([][]any{{int32(5), "copied", int32(1)}})); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "INSERT INTO items VALUES (5, 'upserted', 2) ON CONFLICT (id) DO UPDATE SET name = excluded.name")
	for i, w := range []string{
		`{"op":"insert","table":"public.items","key":{"id":5},"row":{"id":5,"name":"copied","qty":1}}`,
		`{"op":"update","table":"public.items","key":{"id":5},"old_key":{"id":5},"row":{"id":5,"name":"upserted","qty":1}}`,
	} {
		select {
		case p := <-raw:
			<-got
			if p != w {
				t.Fatalf("copy/upsert change %d:\n got %s\nwant %s", i, p, w)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("copy/upsert change %d never came (want %s)", i, w)
		}
	}

	// A row beyond the payload limit keeps its key and is marked truncated.
	mustExec(t, db, "INSERT INTO items VALUES (3, repeat('n', 9000), 7)")
	select {
	case p := <-raw:
		c := <-got
		if len(p) >= 8000 || !c.Trunc || c.Key["id"] != float64(3) || c.Op != "insert" {
			t.Fatalf("truncated change (%d bytes): %.200s", len(p), p)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("large row change never came")
	}

	// The option shows in pg_class.reloptions and can be reset.
	var opts []string
	if err := db.QueryRow(ctx, "SELECT reloptions FROM pg_class WHERE relname = 'items'").Scan(&opts); err != nil {
		t.Fatal(err)
	}
	if strings.Join(opts, ",") != "notify_changes=on" {
		t.Fatalf("reloptions %v", opts)
	}
	mustExec(t, db, "ALTER TABLE items RESET (notify_changes)")
	mustExec(t, db, "INSERT INTO items VALUES (4, 'quiet now', 1)")
	mustExec(t, db, "ALTER TABLE quiet SET (notify_changes = true)")
	mustExec(t, db, "INSERT INTO quiet VALUES (2)")
	select {
	case p := <-raw:
		t.Fatalf("after RESET: %s", p)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := db.Exec(ctx, "ALTER TABLE quiet SET (notify_changes = maybe)"); sqlState(err) != "22023" {
		t.Fatalf("bad boolean: %v", err)
	}
}

type backlogHandler struct {
	ready chan struct{}
	f     func(*pgconn.Notification)
}

func (h backlogHandler) HandleNotification(_ context.Context, n *pgconn.Notification, _ *pgx.Conn) error {
	h.f(n)
	return nil
}

// HandleBacklog runs after LISTEN: from here on nothing is missed.
func (h backlogHandler) HandleBacklog(context.Context, string, *pgx.Conn) error {
	close(h.ready)
	return nil
}

// Rows removed or changed by a foreign key's ON DELETE CASCADE / ON UPDATE
// SET NULL are row changes too; rows rewritten by DDL are not.
func TestNotifyChangesCascade(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	db := connect(t, srv.DSN, pgx.QueryExecModeSimpleProtocol)
	lis := connect(t, srv.DSN, pgx.QueryExecModeSimpleProtocol)
	mustExec(t, db, `CREATE TABLE parent (id int PRIMARY KEY)`)
	mustExec(t, db, `CREATE TABLE child (id int PRIMARY KEY, p int REFERENCES parent ON DELETE CASCADE,
		q int REFERENCES parent ON UPDATE SET NULL) WITH (notify_changes = on)`)
	mustExec(t, db, `INSERT INTO parent VALUES (1), (2)`)
	mustExec(t, db, `INSERT INTO child VALUES (10, 1, 2), (20, NULL, 2)`)
	mustExec(t, lis, `LISTEN "public.child"`)
	mustExec(t, db, `DELETE FROM parent WHERE id = 1`)
	mustExec(t, db, `UPDATE parent SET id = 3 WHERE id = 2`)
	mustExec(t, db, `ALTER TABLE child ADD COLUMN r int DEFAULT 7`)
	expectNotes(t, lis,
		`public.child:{"op":"delete","table":"public.child","old_key":{"id":10}}`,
		`public.child:{"op":"update","table":"public.child","key":{"id":20},"old_key":{"id":20},"row":{"id":20,"p":null,"q":null}}`)
}

// A pgxlisten listener whose handler stalls falls behind; it is told with
// FATAL 54000, reconnects, and runs its backlog handler again, which is
// how such a listener recovers what it missed.
func TestNotifyOverflowPgxlisten(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{Engine: func(c *sql.Config) { c.NotifyQueueBytes = 64 << 10 }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	release := make(chan struct{})
	backlogs := make(chan struct{}, 4)
	overflowed := make(chan string, 4)
	var stalled sync.Once
	l := &pgxlisten.Listener{
		Connect:        func(ctx context.Context) (*pgx.Conn, error) { return pgx.Connect(ctx, srv.DSN) },
		ReconnectDelay: 20 * time.Millisecond,
		LogError: func(_ context.Context, err error) {
			if sqlState(err) == "54000" {
				overflowed <- err.Error()
			}
		},
	}
	l.Handle("flood", handlerFuncs{
		notify:  func(*pgconn.Notification) { stalled.Do(func() { <-release }) },
		backlog: func() { backlogs <- struct{}{} },
	})
	go l.Listen(ctx)
	select {
	case <-backlogs:
	case <-time.After(5 * time.Second):
		t.Fatal("pgxlisten did not start")
	}
	snd := connect(t, srv.DSN, pgx.QueryExecModeSimpleProtocol)
	payload := strings.Repeat("p", 7999)
	// Enough to fill the socket buffers between the stalled client and
	// the server, and then the session's 64 KiB queue.
	for i := 0; i < 3000; i++ {
		mustExec(t, snd, "SELECT pg_notify('flood', $1)", payload)
	}
	close(release)
	select {
	case msg := <-overflowed:
		t.Logf("pgxlisten reported: %s", msg)
	case <-time.After(10 * time.Second):
		t.Fatal("no 54000 reported to the stalled listener")
	}
	select {
	case <-backlogs: // reconnected and re-read its backlog
	case <-time.After(5 * time.Second):
		t.Fatal("pgxlisten did not reconnect")
	}
	// The sender's session was never affected.
	mustExec(t, snd, "SELECT 1")
}

type handlerFuncs struct {
	notify  func(*pgconn.Notification)
	backlog func()
}

func (h handlerFuncs) HandleNotification(_ context.Context, n *pgconn.Notification, _ *pgx.Conn) error {
	h.notify(n)
	return nil
}

func (h handlerFuncs) HandleBacklog(context.Context, string, *pgx.Conn) error {
	h.backlog()
	return nil
}

// A transaction that only notifies has no commit record (its notifications
// go to the hub directly, as PostgreSQL does not flush such a commit);
// one that also writes carries them in its record. Each sender's
// notifications must still arrive in its commit order, whichever way they
// went, and the sender gets its own before ReadyForQuery.
func TestNotifyOnlyAndWritingTransactionsKeepOrder(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	listener := connect(t, srv.DSN, pgx.QueryExecModeCacheStatement)
	mustExec(t, listener, "LISTEN mixed")
	setup := connect(t, srv.DSN, pgx.QueryExecModeCacheStatement)
	mustExec(t, setup, "CREATE TABLE mixed_log (sender int, i int, PRIMARY KEY (sender, i))")

	const senders, each = 4, 150
	var wg sync.WaitGroup
	errs := make(chan error, senders)
	for s := 0; s < senders; s++ {
		c := connect(t, srv.DSN, pgx.QueryExecModeCacheStatement)
		wg.Add(1)
		go func(s int, c *pgx.Conn) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				payload := fmt.Sprintf("%d:%d", s, i)
				var err error
				if i%2 == 0 {
					_, err = c.Exec(ctx, "SELECT pg_notify('mixed', $1)", payload)
				} else {
					// Writes and notifies: the record carries it.
					b := &pgx.Batch{}
					b.Queue("INSERT INTO mixed_log VALUES ($1, $2)", s, i)
					b.Queue("SELECT pg_notify('mixed', $1)", payload)
					err = c.SendBatch(ctx, b).Close()
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}(s, c)
	}
	// The listener session also notifies itself: with no writes, its own
	// notification must be there when the command completes.
	if _, err := listener.Exec(ctx, "NOTIFY mixed, 'self'"); err != nil {
		t.Fatal(err)
	}
	self := false
	next := make([]int, senders)
	for got := 0; got < senders*each; {
		n, err := waitNote(t, listener, 10*time.Second)
		if err != nil {
			t.Fatalf("after %d notifications: %v", got, err)
		}
		if n.Payload == "self" {
			self = true
			continue
		}
		var s, i int
		if _, err := fmt.Sscanf(n.Payload, "%d:%d", &s, &i); err != nil {
			t.Fatalf("payload %q", n.Payload)
		}
		if i != next[s] {
			t.Fatalf("sender %d: got notification %d, want %d", s, i, next[s])
		}
		next[s]++
		got++
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if !self {
		t.Fatal("the listening session's own NOTIFY never arrived")
	}
}

// pg_notification_queue_usage() reports how full the fullest listener's
// queue is: notifications wait while their listener is in a transaction.
func TestNotificationQueueUsage(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{Engine: func(c *sql.Config) { c.NotifyQueueBytes = 100 << 10 }})
	ctx := context.Background()
	l := connect(t, srv.DSN, pgx.QueryExecModeCacheStatement)
	n := connect(t, srv.DSN, pgx.QueryExecModeCacheStatement)
	usage := func(c *pgx.Conn) float64 {
		t.Helper()
		var f float64
		if err := c.QueryRow(ctx, "SELECT pg_notification_queue_usage()").Scan(&f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	mustExec(t, l, "LISTEN q")
	mustExec(t, l, "BEGIN")
	if u := usage(n); u != 0 {
		t.Fatalf("usage before any notification: %v", u)
	}
	payload := strings.Repeat("x", 1000)
	for i := 0; i < 50; i++ {
		mustExec(t, n, "SELECT pg_notify('q', $1)", fmt.Sprint(i, payload))
	}
	// 50 notifications of ~1 KB (plus 64 bytes each counted) in 100 KiB.
	if u := usage(n); u < 0.45 || u > 0.6 {
		t.Fatalf("usage with 50 queued: %v", u)
	}
	mustExec(t, l, "COMMIT")
	for i := 0; i < 50; i++ {
		if _, err := waitNote(t, l, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if u := usage(n); u != 0 {
		t.Fatalf("usage after delivery: %v", u)
	}
}
