// Package dump_test round-trips databases through PostgreSQL 15's own
// client programs: pg_dump (plain, custom -Fc, --column-inserts) of a
// prkdb-sql database with tables, indexes, constraints, sequences, a view
// and data, restored with psql or pg_restore into a fresh database on
// prkdb-sql and into PostgreSQL 15 (tests/pgoracle), must give identical
// query results, table by table; and pg_dump's output for prkdb-sql must
// be the one it writes for PostgreSQL 15 holding the same schema.
//
// The client programs are PostgreSQL 15's (PRKDB_PG_BINDIR, then
// /usr/lib/postgresql/15/bin, then PATH); without them the tests skip,
// saying so.
package dump_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if err := pgoracle.StopShared(); err != nil {
		fmt.Fprintln(os.Stderr, "tests/dump: stopping the PostgreSQL oracle:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
