package pgwire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

// TestMain stops the shared PostgreSQL 15 oracle (started only if a test
// asks for it) once every test has run.
func TestMain(m *testing.M) { os.Exit(pgoracle.RunTests(m)) }

// testServer is a real Server with a real engine on a temporary data
// directory, listening on a free loopback port.
type testServer struct {
	srv       *Server
	eng       *sql.Engine
	addr      string
	serveDone chan struct{} // closed when Serve has returned serveErr
	serveErr  error
	// expectPanics is the number of recovered panics the test provokes.
	expectPanics int64
}

// startServer starts a server for t; cfg fields left zero get the test
// defaults (1 MiB messages). setup, if not nil, runs before Serve (to set
// test hooks). The server is shut down, and its engine closed, by
// t.Cleanup.
func startServer(t testing.TB, cfg Config, setup ...func(*Server)) *testServer {
	t.Helper()
	lw := &testLogWriter{t: t}
	t.Cleanup(func() { // registered first, so it runs last
		lw.mu.Lock()
		lw.done = true
		lw.mu.Unlock()
	})
	lg := slog.New(slog.NewTextHandler(lw, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng, err := sql.Open(sql.Config{DataDir: t.TempDir(), Sync: kv.SyncOff, Logger: lg})
	if err != nil {
		t.Fatalf("sql.Open: %v", err)
	}
	cfg.Engine = eng
	cfg.Logger = lg
	if cfg.MaxMessageSize == 0 {
		cfg.MaxMessageSize = 1 << 20
	}
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		f(srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{srv: srv, eng: eng, addr: ln.Addr().String(), serveDone: make(chan struct{})}
	go func() {
		ts.serveErr = srv.Serve(ln)
		close(ts.serveDone)
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		<-ts.serveDone
		if !errors.Is(ts.serveErr, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", ts.serveErr)
		}
		if err := eng.Close(); err != nil {
			t.Errorf("engine Close: %v", err)
		}
		if n := srv.recoveredPanics.Load(); n != ts.expectPanics {
			t.Errorf("%d panics recovered, want %d (see log)", n, ts.expectPanics)
		}
	})
	return ts
}

func (ts *testServer) dsn() string {
	return fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", ts.addr)
}

// sessionCount is the number of connections holding a session slot.
func (ts *testServer) sessionCount() int {
	ts.srv.mu.Lock()
	defer ts.srv.mu.Unlock()
	return ts.srv.sessions
}

// waitFor polls cond (a state change in another goroutine that has no
// event to wait on, e.g. a connection's goroutine finishing) for up to 5 s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// notReadyMessage is what the engine answers while a statement kind is
// still being written (sql/engine.go); "not supported yet" (0A000) is its
// answer for a feature of a statement it otherwise knows.
const notReadyMessage = "not implemented yet"

// skipIfEngineNotReady skips t when err is the engine saying a feature is
// not there yet: 0A000 "... not implemented yet" / "... not supported yet",
// or 42883 for one of the functions the test needs (needFuncs). Tests that
// need real answers so start passing by themselves once the engine has
// them. Any other error is returned for the test to judge.
func skipIfEngineNotReady(t testing.TB, err error, needFuncs ...string) {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return
	}
	if pe.Code == "0A000" && (strings.Contains(pe.Message, notReadyMessage) || strings.Contains(pe.Message, "not supported yet")) {
		t.Skipf("engine not ready: %s (%s)", pe.Message, pe.Code)
	}
	for _, f := range needFuncs {
		if pe.Code == "42883" && strings.Contains(pe.Message, f+"(") {
			t.Skipf("engine not ready: %s (%s)", pe.Message, pe.Code)
		}
	}
}

// testLogWriter sends the server log to t.Log while the test runs.
type testLogWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

var _ io.Writer = (*testLogWriter)(nil)
