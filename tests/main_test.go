package tests

import (
	"os"
	"testing"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

// TestMain stops the shared PostgreSQL oracle (started on first use) once
// every test of the binary has run.
func TestMain(m *testing.M) { os.Exit(pgoracle.RunTests(m)) }
