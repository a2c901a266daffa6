package pgoracle

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
)

// EnvDSN names the environment variable that points the tests at an existing
// PostgreSQL 15 server instead of starting one.
const EnvDSN = "PRKDB_PG_ORACLE_DSN"

var shared struct {
	once sync.Once
	mu   sync.Mutex
	srv  *Server
	dsn  string
	err  error
}

// Shared returns the DSN of the one oracle of this test binary, starting it
// on first use (or returning PRKDB_PG_ORACLE_DSN when set). It needs no
// *testing.T, so TestMain may call it. errors.Is(err, ErrUnavailable) means
// skip with err.Error() as the reason; any other error is a failure.
func Shared() (string, error) {
	shared.once.Do(func() {
		if dsn := os.Getenv(EnvDSN); dsn != "" {
			shared.dsn = dsn
			return
		}
		srv, err := Launch()
		shared.mu.Lock()
		defer shared.mu.Unlock()
		shared.srv, shared.err = srv, err
		if err == nil {
			shared.dsn = srv.DSN()
		}
	})
	return shared.dsn, shared.err
}

// StopShared stops the shared oracle if one was started. Call it from
// TestMain after m.Run; the Pdeathsig set at start is only a backstop.
func StopShared() error {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv == nil {
		return nil
	}
	err := shared.srv.Stop()
	shared.srv = nil
	return err
}

// Start returns the shared oracle's DSN for a test. When PostgreSQL 15 is not
// available it skips the test with the reason (never silently); when it is
// available but fails to start, it fails the test.
func Start(t testing.TB) string {
	t.Helper()
	dsn, err := Shared()
	if errors.Is(err, ErrUnavailable) {
		t.Skip(err.Error())
	}
	if err != nil {
		t.Fatalf("pgoracle: %v", err)
	}
	return dsn
}

// RunTests is a TestMain body for packages that use the shared oracle: it
// runs the tests, stops the oracle if one was started, and returns the exit
// code, turning a clean run red if the oracle would not stop.
func RunTests(m *testing.M) int {
	code := m.Run()
	if err := StopShared(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping the PostgreSQL oracle:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}
