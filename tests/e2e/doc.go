// Package e2e holds prkdb-sql's end-to-end tests through the wire: real
// clients (pgx, psql) against the real server, in-process (tests/prkdbtest)
// or as the built binary in a child process.
//
// # What it proves
//
//   - restart_test.go: a clean stop and a restart on the same data
//     directory keep exactly the committed state (rolled-back transactions
//     and savepoints leave nothing), serial columns continue without reusing
//     values, and secondary indexes still answer lookups.
//   - crash_test.go: the binary, SIGKILLed at a random moment under
//     concurrent autocommit and multi-row transactional load with
//     --sync fsync, restarts with every acknowledged commit present and no
//     transaction visible in part; SIGTERM exits 0 after a clean shutdown
//     that keeps the data.
//   - psql_test.go: the real psql client runs one script against prkdb-sql
//     and against PostgreSQL 15 (tests/pgoracle) with byte-identical output,
//     and EXPLAIN through psql shows prkdb-sql's index scan.
//
// # Skips
//
// Every skip names its reason: no `go` on PATH (the crash tests build the
// binary), no psql, no PostgreSQL 15 for the oracle comparison.
//
// # Debugging
//
// Run one test verbosely: go test ./tests/e2e -run TestKill9UnderLoad -v.
// The crash tests log per round how many commits were acknowledged and, on
// failure, the tail of the server's stderr. The psql comparison prints a
// line diff of the two outputs.
//
// It must never: listen on anything but loopback, signal a process it did
// not start, or relax a comparison to make a difference disappear (a
// difference from PostgreSQL is a bug to report, or a statement left out of
// the script with the reason written next to it).
package e2e
