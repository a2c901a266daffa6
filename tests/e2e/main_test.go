package e2e

import (
	"fmt"
	"os"
	"testing"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

// TestMain stops the shared PostgreSQL oracle (started on first use by the
// psql comparison) once every test of the binary has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := pgoracle.StopShared(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: stopping the PostgreSQL oracle:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
