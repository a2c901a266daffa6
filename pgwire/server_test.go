package pgwire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

func pgxConnect(t *testing.T, ts *testServer) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, ts.dsn())
	if err != nil {
		t.Fatalf("pgx.Connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func codeOf(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestNewServerNeedsEngine(t *testing.T) {
	if _, err := NewServer(Config{}); !errors.Is(err, ErrNoEngine) {
		t.Fatalf("NewServer without engine: %v, want ErrNoEngine", err)
	}
}

// TestPgxStartup: a real driver completes startup and sees what the engine
// says about itself, and a process-unique cancel key.
func TestPgxStartup(t *testing.T) {
	ts := startServer(t, Config{})
	a := pgxConnect(t, ts)
	b := pgxConnect(t, ts)

	if a.PgConn().PID() == 0 || a.PgConn().PID() == b.PgConn().PID() {
		t.Errorf("backend pids %d and %d: want distinct and non-zero", a.PgConn().PID(), b.PgConn().PID())
	}
	if n := len(a.PgConn().SecretKey()); n != 4 {
		t.Errorf("secret key of %d bytes, want 4 (protocol 3.0)", n)
	}
	// The ParameterStatus messages are exactly the engine's.
	sess, perr := ts.eng.NewSession(sql.SessionParams{User: "postgres", Database: "postgres"})
	if perr != nil {
		t.Fatal(perr)
	}
	defer sess.Close()
	for _, ps := range sess.ParameterStatuses() {
		if ps.Name == "application_name" {
			continue // pgx sends none; the engine's default is ""
		}
		if got := a.PgConn().ParameterStatus(ps.Name); got != ps.Value {
			t.Errorf("ParameterStatus %s = %q, want %q", ps.Name, got, ps.Value)
		}
	}
	if len(sess.ParameterStatuses()) == 0 {
		t.Log("the engine reports no ParameterStatus yet")
	}
}

// TestPgxQueries drives both protocols through pgx, text and binary.
func TestPgxQueries(t *testing.T) {
	ts := startServer(t, Config{})
	conn := pgxConnect(t, ts)
	ctx := context.Background()

	_, err := conn.Exec(ctx, "SELECT 1", pgx.QueryExecModeSimpleProtocol)
	skipIfEngineNotReady(t, err)
	if err != nil {
		t.Fatalf("simple SELECT 1: %v", err)
	}
	var n int32
	err = conn.QueryRow(ctx, "SELECT $1::int4 + 1", 41).Scan(&n) // extended, binary int4
	skipIfEngineNotReady(t, err)
	if err != nil || n != 42 {
		t.Fatalf("extended SELECT $1+1: %d, %v", n, err)
	}
	var s string
	err = conn.QueryRow(ctx, "SELECT 'héllo'::text", pgx.QueryExecModeSimpleProtocol).Scan(&s)
	skipIfEngineNotReady(t, err)
	if err != nil || s != "héllo" {
		t.Fatalf("text: %q, %v", s, err)
	}
	// An error leaves the connection usable.
	_, err = conn.Exec(ctx, "SELECT 1/0")
	skipIfEngineNotReady(t, err)
	if codeOf(err) != "22012" {
		t.Fatalf("SELECT 1/0: %v, want 22012", err)
	}
	if err := conn.Ping(ctx); err != nil {
		t.Fatalf("ping after error: %v", err)
	}
}

// TestCancelRequest cancels a running query with the right key; the
// wrong key cancels nothing. Cancellation races with the query by nature:
// the right key is sent until the query fails (a cancel that arrives
// while the session is between queries is ignored, as in PostgreSQL).
func TestCancelRequest(t *testing.T) {
	ts := startServer(t, Config{})
	conn := pgxConnect(t, ts)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "SELECT pg_sleep(0)"); err != nil {
		skipIfEngineNotReady(t, err, "pg_sleep")
		t.Fatalf("pg_sleep(0): %v", err)
	}
	pid, secret := conn.PgConn().PID(), conn.PgConn().SecretKey()
	sendCancel := func(secret []byte) {
		c := &scriptConn{t: t, addr: ts.addr}
		c.dial()
		c.send(&pgproto3.CancelRequest{ProcessID: pid, SecretKey: secret})
		if out := c.until("EOF"); len(out) != 1 {
			t.Errorf("cancel connection answered %q, want nothing", out)
		}
		c.nc.Close()
	}

	// Wrong secret: the query runs to its end.
	wrong := append([]byte(nil), secret...)
	wrong[0] ^= 0xff
	done := make(chan error, 1)
	go func() {
		_, err := conn.Exec(ctx, "SELECT pg_sleep(0.3)")
		done <- err
	}()
	for i := 0; i < 5; i++ {
		sendCancel(wrong)
	}
	if err := <-done; err != nil {
		t.Fatalf("query cancelled by a wrong key: %v", err)
	}

	// Right secret.
	start := time.Now()
	go func() {
		_, err := conn.Exec(ctx, "SELECT pg_sleep(30)")
		done <- err
	}()
	var err error
loop:
	for {
		sendCancel(secret)
		select {
		case err = <-done:
			break loop
		case <-time.After(20 * time.Millisecond):
		}
	}
	if codeOf(err) != string(pgerror.QueryCanceled) {
		t.Fatalf("cancelled query: %v, want 57014", err)
	}
	if time.Since(start) > 20*time.Second {
		t.Fatalf("cancel took %v", time.Since(start))
	}
	if err := conn.Ping(ctx); err != nil {
		t.Fatalf("session after cancel: %v", err)
	}
}

// TestShutdownIdle: an idle session is told why it is closed, and new
// connections are refused.
func TestShutdownIdle(t *testing.T) {
	ts := startServer(t, Config{})
	c := &scriptConn{t: t, addr: ts.addr}
	c.connect()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	want := []string{
		`ErrorResponse {"Code":"57P01","Message":"terminating connection due to administrator command","Severity":"FATAL","SeverityUnlocalized":"FATAL"}`,
		"EOF",
	}
	if got := c.until("EOF"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("idle session at shutdown got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	<-ts.serveDone
	if !errors.Is(ts.serveErr, ErrServerClosed) {
		t.Errorf("Serve: %v", ts.serveErr)
	}
	if nc, err := net.DialTimeout("tcp", ts.addr, time.Second); err == nil {
		nc.Close()
		t.Errorf("connection accepted after Shutdown")
	}
	if err := ts.srv.Serve(mustListen(t)); !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve after Shutdown: %v", err)
	}
}

// TestShutdownForce: when the context ends, running queries are cancelled
// and their sessions closed.
func TestShutdownForce(t *testing.T) {
	ts := startServer(t, Config{})
	conn := pgxConnect(t, ts)
	if _, err := conn.Exec(context.Background(), "SELECT pg_sleep(0)"); err != nil {
		skipIfEngineNotReady(t, err, "pg_sleep")
		t.Fatalf("pg_sleep(0): %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := conn.Exec(context.Background(), "SELECT pg_sleep(60)")
		done <- err
	}()
	waitFor(t, "the query to start", func() bool {
		ts.srv.mu.Lock()
		defer ts.srv.mu.Unlock()
		for c := range ts.srv.conns {
			c.mu.Lock()
			running := c.cancelQ != nil
			c.mu.Unlock()
			if running {
				return true
			}
		}
		return false
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := ts.srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown: %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("forced Shutdown took %v", d)
	}
	if err := <-done; err == nil {
		t.Errorf("query survived a forced shutdown")
	} else if c := codeOf(err); c != "" && c != string(pgerror.AdminShutdown) {
		t.Errorf("query error %v, want 57P01 or a closed connection", err)
	}
}

// TestTooManyConnections: one session over the limit gets 53300; cancel
// requests do not count; a freed slot can be reused.
func TestTooManyConnections(t *testing.T) {
	ts := startServer(t, Config{MaxConnections: 2})
	a := pgxConnect(t, ts)
	pgxConnect(t, ts)

	_, err := pgx.Connect(context.Background(), ts.dsn())
	if codeOf(err) != string(pgerror.TooManyConnections) {
		t.Fatalf("third connection: %v, want 53300", err)
	}
	c := &scriptConn{t: t, addr: ts.addr}
	c.dial()
	c.send(&pgproto3.CancelRequest{ProcessID: a.PgConn().PID(), SecretKey: a.PgConn().SecretKey()})
	if out := c.until("EOF"); len(out) != 1 {
		t.Errorf("cancel at the connection limit answered %q", out)
	}
	a.Close(context.Background())
	waitFor(t, "the slot to be freed", func() bool { return ts.sessionCount() == 1 })
	pgxConnect(t, ts)
}

// TestConnectionCap: clients that never finish startup are bounded too
// (2 * MaxConnections); beyond that a connection is refused at once.
func TestConnectionCap(t *testing.T) {
	ts := startServer(t, Config{MaxConnections: 1})
	for range 2 {
		c := &scriptConn{t: t, addr: ts.addr}
		c.dial() // and say nothing
		defer c.nc.Close()
	}
	waitFor(t, "two connections", func() bool {
		ts.srv.mu.Lock()
		defer ts.srv.mu.Unlock()
		return len(ts.srv.conns) == 2
	})
	c := &scriptConn{t: t, addr: ts.addr}
	c.dial()
	defer c.nc.Close()
	want := `ErrorResponse {"Code":"53300","Message":"sorry, too many clients already","Severity":"FATAL","SeverityUnlocalized":"FATAL"}` + "\nEOF"
	if got := strings.Join(c.until("EOF"), "\n"); got != want {
		t.Errorf("third connection got\n%s\nwant\n%s", got, want)
	}
}

// TestPanicIsolated: a panic in one session's goroutine is reported to
// that client as XX000 and closes only that connection.
func TestPanicIsolated(t *testing.T) {
	ts := startServer(t, Config{}, func(s *Server) {
		s.testHookMessage = func(typ byte) {
			if typ == 'H' {
				panic("boom")
			}
		}
	})
	ts.expectPanics = 1
	victim := &scriptConn{t: t, addr: ts.addr}
	victim.connect()
	other := &scriptConn{t: t, addr: ts.addr}
	other.connect()

	victim.send(&pgproto3.Flush{})
	want := []string{
		`ErrorResponse {"Code":"XX000","Message":"internal error: boom","Severity":"FATAL","SeverityUnlocalized":"FATAL"}`,
		"EOF",
	}
	if got := victim.until("EOF"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("victim got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	other.send(&pgproto3.Sync{})
	if got := other.until("ReadyForQuery"); len(got) != 1 || got[0] != `ReadyForQuery {"TxStatus":"I"}` {
		t.Errorf("other session after the panic: %q", got)
	}
	waitFor(t, "the victim's slot to be freed", func() bool { return ts.sessionCount() == 1 })
}

// TestAbruptClose: a client that vanishes, idle or mid-message, releases
// its session.
func TestAbruptClose(t *testing.T) {
	ts := startServer(t, Config{})
	idle := &scriptConn{t: t, addr: ts.addr}
	idle.connect()
	mid := &scriptConn{t: t, addr: ts.addr}
	mid.connect()
	mid.write([]byte{'Q', 0, 0, 0, 100, 'S', 'E', 'L'}) // a Query cut short
	conn := pgxConnect(t, ts)
	waitFor(t, "three sessions", func() bool { return ts.sessionCount() == 3 })

	idle.nc.Close()
	mid.nc.Close()
	conn.PgConn().Conn().Close() // no Terminate
	waitFor(t, "the sessions to be released", func() bool { return ts.sessionCount() == 0 })
}

// TestOversizedMessageWithPgx: a real driver sees a clean 08P01.
func TestOversizedMessageWithPgx(t *testing.T) {
	ts := startServer(t, Config{MaxMessageSize: 64 << 10})
	conn := pgxConnect(t, ts)
	_, err := conn.Exec(context.Background(), "SELECT '"+strings.Repeat("x", 100<<10)+"'", pgx.QueryExecModeSimpleProtocol)
	if codeOf(err) != string(pgerror.ProtocolViolation) {
		t.Fatalf("oversized query: %v, want 08P01", err)
	}
	waitFor(t, "the session to be released", func() bool { return ts.sessionCount() == 0 })
}

// TestLargeResultStreams checks that a result larger than the write
// buffer's flush threshold arrives whole (flushes happen mid-result).
func TestLargeResultStreams(t *testing.T) {
	ts := startServer(t, Config{})
	conn := pgxConnect(t, ts)
	const nrows, width = 500, 1000
	var q strings.Builder
	q.WriteString("SELECT column1, '" + strings.Repeat("x", width) + "' FROM (VALUES (1)")
	for i := 2; i <= nrows; i++ {
		fmt.Fprintf(&q, ", (%d)", i)
	}
	q.WriteString(") v")
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeExec} {
		rows, err := conn.Query(context.Background(), q.String(), mode)
		n := 0
		if err == nil {
			for rows.Next() {
				var i int32
				var s string
				if err := rows.Scan(&i, &s); err != nil {
					t.Fatal(err)
				}
				if n++; int(i) != n || len(s) != width {
					t.Fatalf("row %d: %d, %d bytes", n, i, len(s))
				}
			}
			err = rows.Err()
		}
		skipIfEngineNotReady(t, err)
		if err != nil {
			t.Fatalf("%v: %v", mode, err)
		}
		if n != nrows {
			t.Fatalf("%v: %d rows, want %d", mode, n, nrows)
		}
	}
}

func mustListen(t *testing.T) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}
