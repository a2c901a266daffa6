package tests

import (
	"testing"

	"github.com/prkdb/prkdb-sql/tests/sqllogic"
)

// startPrkdb starts (or finds) a prkdb-sql server for the test and returns a
// way to connect to it; it skips the test, with the reason, when there is no
// server to start. The server is torn down with t.Cleanup.
//
// TODO(lead): start the server in-process (or the built cmd/prkdb-sql binary)
// on a free loopback port once it exists, and return
// func(ctx) (*pgx.Conn, error) { return pgx.Connect(ctx, dsn) }.
func startPrkdb(t *testing.T) sqllogic.ConnectFunc {
	t.Helper()
	t.Skip("prkdb-sql server not built yet")
	return nil
}
