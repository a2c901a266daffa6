package auth_test

import (
	"os"
	"testing"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

// TestMain stops the shared PostgreSQL oracle (started on first use by the
// role comparison) once every test has run.
func TestMain(m *testing.M) { os.Exit(pgoracle.RunTests(m)) }
