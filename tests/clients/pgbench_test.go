package clients_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// pgbenchDuration is how long each of the six runs lasts: the 30 seconds
// the client issue names (PRKDB_PGBENCH_SECONDS shortens it for local runs).
func pgbenchDuration() string {
	if s := os.Getenv("PRKDB_PGBENCH_SECONDS"); s != "" {
		return s
	}
	return "30"
}

// TestPgbench runs Debian's pgbench unmodified: `-i -s 10` with the default
// steps (client-side COPY, VACUUM, ALTER TABLE ADD PRIMARY KEY), `-i -I
// dtGvp` (server-side generate_series), then the tpcb-like and select-only
// scripts at 8 clients in the simple, extended and prepared query modes,
// each of which must end with zero failed transactions.
func TestPgbench(t *testing.T) {
	bin, err := exec.LookPath("pgbench")
	if err != nil {
		t.Skip("pgbench is not installed (.ci/run installs postgresql-15)")
	}
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	host, port, _ := net.SplitHostPort(srv.Addr)
	run := func(args ...string) string {
		t.Helper()
		args = append([]string{"-h", host, "-p", port, "-U", "postgres"}, args...)
		out, err := exec.Command(bin, append(args, "postgres")...).CombinedOutput()
		if err != nil {
			t.Fatalf("pgbench %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("-i", "-I", "dtGvp", "-s", "2")
	run("-i", "-s", "10")

	processed := regexp.MustCompile(`number of transactions actually processed: (\d+)`)
	failed := regexp.MustCompile(`number of failed transactions: (\d+)`)
	for _, script := range []string{"tpcb-like", "select-only"} {
		for _, mode := range []string{"simple", "extended", "prepared"} {
			name := fmt.Sprintf("%s/%s", script, mode)
			out := run("-b", script, "-M", mode, "-T", pgbenchDuration(), "-c", "8", "-j", "2")
			p, f := processed.FindStringSubmatch(out), failed.FindStringSubmatch(out)
			if p == nil || f == nil {
				t.Fatalf("%s: unexpected pgbench output:\n%s", name, out)
			}
			if n, _ := strconv.Atoi(p[1]); n == 0 {
				t.Errorf("%s: no transaction processed:\n%s", name, out)
			}
			if f[1] != "0" {
				t.Errorf("%s: %s failed transactions:\n%s", name, f[1], out)
			}
			t.Logf("%s: %s transactions, %s failed", name, p[1], f[1])
		}
	}
	var accounts string
	out, err := exec.Command("psql", "-h", host, "-p", port, "-U", "postgres", "-XAtc", "SELECT count(*) FROM pgbench_accounts", "postgres").CombinedOutput()
	if accounts = string(out); err != nil || accounts != "1000000\n" {
		t.Errorf("pgbench_accounts after -s 10: %q %v", accounts, err)
	}
}
