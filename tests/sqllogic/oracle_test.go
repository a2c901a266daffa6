package sqllogic

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

func TestMain(m *testing.M) { os.Exit(pgoracle.RunTests(m)) }

func oracleConnect(t *testing.T) ConnectFunc {
	dsn := pgoracle.Start(t)
	return func(ctx context.Context) (*pgx.Conn, error) { return pgx.Connect(ctx, dsn) }
}

// TestRunnerReportsFailures guards the runner itself: every deliberately
// wrong record of testdata/selfcheck.slt is reported at its line.
func TestRunnerReportsFailures(t *testing.T) {
	connect := oracleConnect(t)
	st, failures, fatal := Run(connect, "testdata/selfcheck.slt", Options{Engine: "postgres"}, t.Logf)
	if fatal != nil {
		t.Fatal(fatal)
	}
	want := map[int]string{
		8:  `command tag: expected "INSERT 0 9", got "INSERT 0 2"`,
		11: "expected error 22012, got error 23505",
		14: "does not match /no such message/",
		17: "expected success, got error 22012",
		20: `expected error 42P01, got ok "SELECT 1"`,
		23: "result mismatch",
		29: "column types: expected TT, got int4,text",
		35: "expected 1 columns (I), got 2 (int4,text)",
		41: "result mismatch",
		72: "expected rows, got error 42P01",
	}
	if st.Failed != len(want) || st.Skipped != 2 || st.Records != 15 {
		t.Errorf("stats %+v, want %d failed, 2 skipped, 15 records", st, len(want))
	}
	for line, msg := range want {
		prefix := fmt.Sprintf("testdata/selfcheck.slt:%d: ", line)
		found := false
		for _, f := range failures {
			if strings.HasPrefix(f, prefix) && strings.Contains(f, msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("no failure %q at line %d; failures:\n%s", msg, line, strings.Join(failures, "\n"))
		}
	}
}

// TestRewrite guards -rewrite: it fixes the wrong records, leaves passing
// records byte-identical, refuses to touch a failing query, and is refused
// against anything but PostgreSQL.
func TestRewrite(t *testing.T) {
	connect := oracleConnect(t)
	orig, err := os.ReadFile("testdata/selfcheck.slt")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "selfcheck.slt")
	if err := os.WriteFile(path, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	st, failures, fatal := Run(connect, path, Options{Engine: "postgres", Rewrite: true}, t.Logf)
	if fatal != nil || !st.Rewritten || len(failures) != 1 || !strings.Contains(failures[0], "42P01") {
		t.Fatalf("rewrite run: stats %+v fatal %v failures %q", st, fatal, failures)
	}
	got, _ := os.ReadFile(path)
	want, err := os.ReadFile("testdata/selfcheck.rewritten")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("rewritten file differs from testdata/selfcheck.rewritten:\n%s", got)
	}
	st, failures, _ = Run(connect, path, Options{Engine: "postgres"}, t.Logf)
	if st.Failed != 1 {
		t.Errorf("after rewrite: %+v %q", st, failures)
	}
	if _, _, fatal := Run(connect, path, Options{Engine: "prkdb", Rewrite: true}, t.Logf); fatal == nil ||
		!strings.Contains(fatal.Error(), "rewrite refused") {
		t.Errorf("rewrite against prkdb: %v, want refusal", fatal)
	}
}

// TestBlockedRecordTimesOut guards StatementTimeout: a record waiting on
// another connection's lock fails and stops the file instead of hanging.
func TestBlockedRecordTimesOut(t *testing.T) {
	connect := oracleConnect(t)
	start := time.Now()
	st, failures, fatal := Run(connect, "testdata/selfcheck_block.slt",
		Options{Engine: "postgres", StatementTimeout: 500 * time.Millisecond}, t.Logf)
	if fatal == nil || !strings.Contains(fatal.Error(), "selfcheck_block.slt:20") || len(failures) != 1 {
		t.Errorf("fatal %v, failures %q", fatal, failures)
	}
	t.Logf("reported: %q; stopped: %v", failures, fatal)
	if st.Passed != 4 {
		t.Errorf("stats %+v, want 4 passed before the blocked record", st)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
}
