// Package clients_test proves that the everyday drivers and tools work
// against prkdb-sql unmodified: pgx/v5 (simple and extended protocol, the
// prepared statement cache, batches, CopyFrom, every supported type in text
// and binary, context cancellation), lib/pq through database/sql, and
// pgbench (initialization and the built-in scripts in every query mode), and
// LISTEN/NOTIFY with pgx's WaitForNotification, lib/pq's pq.Listener and
// github.com/jackc/pgxlisten (notify_test.go).
// Each test starts a real server (tests/prkdbtest) on a free loopback port.
package clients_test
