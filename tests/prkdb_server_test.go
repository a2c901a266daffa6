package tests

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
	"github.com/prkdb/prkdb-sql/tests/sqllogic"
)

// startPrkdb starts a fresh in-process prkdb-sql server (real engine, real
// pgwire, fresh data directory) for one test and returns a way to connect.
func startPrkdb(t *testing.T) sqllogic.ConnectFunc {
	t.Helper()
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	return func(ctx context.Context) (*pgx.Conn, error) { return pgx.Connect(ctx, srv.DSN) }
}
