// Command prkdb-sql runs a prkdb-sql node: a PostgreSQL-15-compatible
// server.
//
//	prkdb-sql [serve] [--listen 127.0.0.1:5432] [--data-dir ./prkdb-data]
//	          [--sync fsync|off] [--log-level debug|info|warn|error]
//
// Every flag has a PRKDB_* environment variable (PRKDB_LISTEN,
// PRKDB_DATA_DIR, PRKDB_SYNC, PRKDB_LOG_LEVEL); a flag wins over its
// variable. SIGINT or SIGTERM stops it cleanly: no new connections,
// running queries finish (or are cancelled after a bounded wait), the
// engine checkpoints, exit status 0. A second signal kills it at once.
//
// Unless GOGC or GOMEMLIMIT are set, the collector runs at GOGC=200 with a
// soft limit of three quarters of memory (gc.go says why).
//
// main only wires the process to run (run.go), which tests call directly.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal gets the default behaviour: exit now
	}()
	tuneGC(os.Getenv)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
