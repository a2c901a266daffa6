package auth_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

// TestMain stops the shared PostgreSQL oracle (started on first use by the
// role comparison) once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := pgoracle.StopShared(); err != nil {
		fmt.Fprintln(os.Stderr, "auth: stopping the PostgreSQL oracle:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
