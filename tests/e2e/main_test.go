package e2e

import (
	"fmt"
	"os"
	"testing"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

// TestMain removes the built binary and stops the shared PostgreSQL oracle
// (started on first use by the psql comparison) once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	removeBinary()
	if err := pgoracle.StopShared(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: stopping the PostgreSQL oracle:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
