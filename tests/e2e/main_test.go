package e2e

import (
	"os"
	"testing"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

// TestMain removes the built binary and stops the shared PostgreSQL oracle
// (started on first use by the psql comparison) once every test has run.
func TestMain(m *testing.M) {
	code := pgoracle.RunTests(m)
	removeBinary()
	os.Exit(code)
}
