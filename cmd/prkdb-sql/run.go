package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/pgwire"
	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/ttl"
)

// shutdownGrace bounds how long running queries may take to finish after
// a stop signal before they are cancelled.
const shutdownGrace = 10 * time.Second

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the server could not start or failed
	exitUsage = 2 // bad command line or environment
)

// config is what serve needs, from flags over PRKDB_* variables over defaults.
type config struct {
	listen   string
	dataDir  string
	sync     kv.SyncMode
	logLevel slog.Level
	// auth is pgwire.Config.Auth ("" = the default rule).
	auth string
	// tlsCert and tlsKey are PEM files; both or neither.
	tlsCert, tlsKey string
	tlsRequired     bool
	// httpAddr serves /metrics and /debug/pprof ("" = off).
	httpAddr string
	// ttl: the sweeper's defaults for tables without their own ttl_*
	// storage options.
	ttl ttl.Options
}

// run is the whole program: it parses args (without the program name) and
// the environment, serves until ctx is cancelled (the signal), and returns
// the exit status. Errors are one line on stderr; stdout gets exactly one
// line, saying where the server listens.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "serve":
			args = args[1:]
		case "help":
			usage(stderr)
			return exitOK
		default:
			fmt.Fprintf(stderr, "prkdb-sql: unknown command %q (try: prkdb-sql serve --help)\n", args[0])
			return exitUsage
		}
	}
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "prkdb-sql:", oneLine(err))
		return exitUsage
	}
	return serve(ctx, cfg, stdout, stderr)
}

func serve(ctx context.Context, cfg config, stdout, stderr io.Writer) int {
	lg := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	fail := func(format string, args ...any) int {
		fmt.Fprintln(stderr, "prkdb-sql: "+oneLine(fmt.Errorf(format, args...)))
		return exitError
	}

	var tlsConfig *tls.Config
	if cfg.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.tlsCert, cfg.tlsKey)
		if err != nil {
			return fail("TLS certificate: %v", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}

	// Listen first: a port in use is the commonest failure, and it should
	// not cost a recovery of the data directory.
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return fail("%v", err)
	}
	defer ln.Close()
	metrics := &collector{}
	if cfg.httpAddr != "" {
		hln, err := net.Listen("tcp", cfg.httpAddr)
		if err != nil {
			return fail("--http: %v", err)
		}
		defer hln.Close()
		serveHTTP(hln, lg, metrics)
	}
	if err := os.MkdirAll(cfg.dataDir, 0o700); err != nil {
		return fail("data directory: %v", err)
	}
	eng, err := sql.Open(sql.Config{DataDir: cfg.dataDir, Sync: cfg.sync, Logger: lg, TTL: cfg.ttl})
	if err != nil {
		return fail("opening %s: %v", cfg.dataDir, err)
	}
	srv, err := pgwire.NewServer(pgwire.Config{Engine: eng, Logger: lg,
		Auth: cfg.auth, TLS: tlsConfig, TLSRequired: cfg.tlsRequired})
	if err != nil {
		eng.Close()
		return fail("%v", err)
	}

	metrics.src.Store(&metricsSource{eng: eng, srv: srv})

	addr := ln.Addr().String()
	host, port, _ := net.SplitHostPort(addr)
	fmt.Fprintf(stdout, "prkdb-sql listening on %s (data %s) — connect: psql -h %s -p %s -U postgres\n",
		addr, cfg.dataDir, host, port)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	code := exitOK
	select {
	case <-ctx.Done():
		lg.Info("shutting down: waiting for running queries", "grace", shutdownGrace)
	case err := <-served:
		// Serve returns before Shutdown only if the listener failed.
		lg.Error("accepting connections failed", "err", err)
		code = exitError
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		lg.Warn("running queries were cancelled at shutdown", "err", err)
	}
	if err := eng.Close(); err != nil {
		lg.Error("closing the engine", "err", err)
		code = exitError
	}
	if code == exitOK {
		lg.Info("stopped cleanly")
	}
	return code
}

// parseConfig reads flags over PRKDB_* environment variables over defaults.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("prkdb-sql serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	listen := fs.String("listen", env("PRKDB_LISTEN", "127.0.0.1:5432"), "address to listen on (PRKDB_LISTEN)")
	dataDir := fs.String("data-dir", env("PRKDB_DATA_DIR", "./prkdb-data"), "data directory, created if absent (PRKDB_DATA_DIR)")
	syncMode := fs.String("sync", env("PRKDB_SYNC", "fsync"), "commit durability: fsync or off (PRKDB_SYNC)")
	logLevel := fs.String("log-level", env("PRKDB_LOG_LEVEL", "info"), "debug, info, warn or error (PRKDB_LOG_LEVEL)")
	auth := fs.String("auth", env("PRKDB_AUTH", ""), "trust, password, md5 or scram-sha-256 (PRKDB_AUTH)")
	tlsCert := fs.String("tls-cert", env("PRKDB_TLS_CERT", ""), "TLS certificate, PEM (PRKDB_TLS_CERT)")
	tlsKey := fs.String("tls-key", env("PRKDB_TLS_KEY", ""), "TLS private key, PEM (PRKDB_TLS_KEY)")
	tlsRequiredDefault := false
	if v := getenv("PRKDB_TLS_REQUIRED"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return config{}, fmt.Errorf("PRKDB_TLS_REQUIRED must be true or false, not %q", v)
		}
		tlsRequiredDefault = b
	}
	httpAddr := fs.String("http", env("PRKDB_HTTP", ""), "address for the HTTP endpoint (/metrics for Prometheus, /debug/pprof); off when empty (PRKDB_HTTP)")
	tlsRequired := fs.Bool("tls-required", tlsRequiredDefault, "refuse connections without TLS (PRKDB_TLS_REQUIRED)")
	ttlInterval := fs.Duration("ttl-job-interval", ttl.DefaultJobInterval, "default time between sweeps of a table with expiring rows")
	ttlBatch := fs.Int("ttl-delete-batch-size", ttl.DefaultBatchSize, "default rows deleted per sweeper transaction")
	ttlRate := fs.Float64("ttl-delete-rate-limit", 0, "default rows deleted per second by the sweeper (0: no limit)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if *ttlInterval <= 0 || *ttlBatch <= 0 || *ttlRate < 0 {
		return config{}, errors.New("--ttl-job-interval and --ttl-delete-batch-size must be positive, --ttl-delete-rate-limit not negative")
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg := config{listen: *listen, dataDir: *dataDir, httpAddr: *httpAddr,
		ttl: ttl.Options{JobInterval: *ttlInterval, BatchSize: *ttlBatch, RateLimit: *ttlRate}}
	switch strings.ToLower(*syncMode) {
	case "fsync":
		cfg.sync = kv.SyncFsync
	case "off":
		cfg.sync = kv.SyncOff
	default:
		return config{}, fmt.Errorf("--sync must be fsync or off, not %q", *syncMode)
	}
	if err := cfg.logLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return config{}, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", *logLevel)
	}
	if cfg.dataDir == "" {
		return config{}, errors.New("--data-dir must not be empty")
	}
	switch a := strings.ToLower(*auth); a {
	case "", "trust", "password", "md5", "scram-sha-256", "scram":
		cfg.auth = a
	default:
		return config{}, fmt.Errorf("--auth must be trust, password, md5 or scram-sha-256, not %q", *auth)
	}
	cfg.tlsCert, cfg.tlsKey, cfg.tlsRequired = *tlsCert, *tlsKey, *tlsRequired
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		return config{}, errors.New("--tls-cert and --tls-key go together")
	}
	if cfg.tlsRequired && cfg.tlsCert == "" {
		return config{}, errors.New("--tls-required needs --tls-cert and --tls-key")
	}
	return cfg, nil
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: prkdb-sql [serve] [flags]

Runs a single prkdb-sql node, a PostgreSQL-15-compatible server.

  --listen addr       address to listen on (PRKDB_LISTEN, default 127.0.0.1:5432)
  --data-dir dir      data directory, created if absent (PRKDB_DATA_DIR, default ./prkdb-data)
  --sync fsync|off    fsync each commit group, or leave it to the OS (PRKDB_SYNC, default fsync)
  --log-level level   debug, info, warn or error (PRKDB_LOG_LEVEL, default info)
  --auth method       trust, password, md5 or scram-sha-256 (PRKDB_AUTH); by default
                      trust on loopback, and elsewhere scram-sha-256 once a role has
                      a password (CREATE ROLE ... PASSWORD), trust before
  --tls-cert file     TLS certificate, PEM: clients may use SSL (PRKDB_TLS_CERT)
  --tls-key file      its private key, PEM (PRKDB_TLS_KEY)
  --tls-required      refuse connections without SSL (PRKDB_TLS_REQUIRED)
  --http addr         serve /debug/pprof on addr, e.g. 127.0.0.1:6060 (PRKDB_HTTP; off by default)
  --ttl-job-interval d, --ttl-delete-batch-size n, --ttl-delete-rate-limit r
                      the row-expiry sweeper's defaults (1m, 500, 0 = unlimited rows/s);
                      a table's ttl_* storage options override them

SIGINT or SIGTERM stops it cleanly.
`)
}

// oneLine keeps an error message on one line of stderr.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}
