// Package prkdbtest starts a real prkdb-sql server in-process for tests: a
// fresh data directory, the real engine and the real pgwire server on a
// free loopback port. Tests then drive it with real clients (pgx, lib/pq,
// psql, pgbench, GORM).
//
// Must never: fake any layer of the server; listen on anything but loopback.
package prkdbtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/pgwire"
	"github.com/prkdb/prkdb-sql/sql"
)

// Server is a running in-process server.
type Server struct {
	Engine *sql.Engine
	Addr   string
	DSN    string // postgres://postgres@127.0.0.1:port/postgres?sslmode=disable
	srv    *pgwire.Server
	ln     net.Listener
}

// Options for Start.
type Options struct {
	// DataDir reuses a directory (restart tests); "" = a fresh t.TempDir().
	DataDir string
	// Fsync makes commits durable with fsync (default off: tests that do
	// not test durability should not pay for it).
	Fsync bool
	// Logger, nil = discard.
	Logger *slog.Logger
	// PGWire, when set, adjusts the pgwire configuration before the server
	// starts (authentication method, TLS).
	PGWire func(*pgwire.Config)
	// Engine, when set, adjusts the engine configuration (limits).
	Engine func(*sql.Config)
}

// Start starts a server and stops it at the end of the test.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := Launch(opts, t.TempDir)
	if err != nil {
		t.Fatalf("start prkdb-sql: %v", err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

// Launch starts a server without a testing.T (TestMain, benchmarks).
func Launch(opts Options, tempDir func() string) (*Server, error) {
	dir := opts.DataDir
	if dir == "" {
		dir = tempDir()
	}
	lg := opts.Logger
	if lg == nil {
		lg = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	sync := kv.SyncOff
	if opts.Fsync {
		sync = kv.SyncFsync
	}
	ecfg := sql.Config{DataDir: dir, Sync: sync, Logger: lg}
	if opts.Engine != nil {
		opts.Engine(&ecfg)
	}
	eng, err := sql.Open(ecfg)
	if err != nil {
		return nil, err
	}
	pcfg := pgwire.Config{Engine: eng, Logger: lg}
	if opts.PGWire != nil {
		opts.PGWire(&pcfg)
	}
	srv, err := pgwire.NewServer(pcfg)
	if err != nil {
		eng.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		eng.Close()
		return nil, err
	}
	go srv.Serve(ln)
	addr := ln.Addr().String()
	return &Server{Engine: eng, Addr: addr, srv: srv, ln: ln,
		DSN: fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", addr)}, nil
}

// Stop shuts the server down cleanly (sessions closed, engine checkpointed).
func (s *Server) Stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.srv.Shutdown(ctx)
	s.Engine.Close()
}
