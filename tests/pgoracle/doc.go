// Package pgoracle starts a throw-away PostgreSQL 15 server for tests: the
// reference ("oracle") against which prkdb-sql's behaviour is compared.
//
// # What it owns
//
//   - Finding the PostgreSQL 15 binaries (PRKDB_PG_BINDIR, then
//     /usr/lib/postgresql/15/bin, then `pg_config --bindir`), and checking that
//     they really are major version 15: expectations in tests/testdata are
//     PostgreSQL 15's output, so another major version is reported as
//     unavailable rather than used.
//   - One temporary cluster per call of Launch: initdb (trust auth, UTF8,
//     locale C) into a fresh temporary directory, then `postgres` listening on
//     127.0.0.1 on a free port, with fsync off (speed; nothing here must
//     survive a crash) and logical replication on (wal_level=logical,
//     max_replication_slots, max_wal_senders) for the change-stream tests.
//   - One shared instance per test binary (Shared / Start), stopped by
//     StopShared from TestMain.
//
// # Lifecycle
//
//  1. find binaries; when absent return an error wrapping ErrUnavailable whose
//     text is the reason, which callers pass to t.Skip (never skip silently);
//  2. mkdir prkdb-pgoracle-* under PRKDB_PG_ORACLE_TMPDIR, else /dev/shm when
//     it has at least 1 GiB free (ten times faster CREATE DATABASE than on
//     disk), else /tmp, after reaping directories of earlier runs that died
//     without Stop (older than 10 minutes, postmaster not running); mode 0755 so the postgres user can traverse it;
//     when running as root, chown it to the `postgres` OS user and run
//     initdb and postgres with that user's credentials (PostgreSQL refuses to
//     run as root);
//  3. initdb; start postgres as a child process (SIGKILLed if the test binary
//     dies, via Pdeathsig); poll until it accepts a connection;
//  4. Stop: SIGQUIT (PostgreSQL's "immediate" shutdown), SIGKILL after a grace
//     period, then remove the directory.
//
// When PRKDB_PG_ORACLE_DSN is set, Shared and Start use that server instead
// and start nothing.
//
// # What it must never do
//
// It must never be imported by a non-test binary, never touch a directory
// that is not its own (its own cluster's, or a dead earlier run's
// prkdb-pgoracle-*), never listen on anything but loopback, and never signal
// a process it did not start.
//
// It is Linux-only: it relies on SysProcAttr.Credential and Pdeathsig.
//
// # Debugging
//
// The server log is <dir>/postgres.log; startup failures quote its tail. Set
// PRKDB_PG_ORACLE_KEEP=1 to keep the directory after Stop.
package pgoracle
