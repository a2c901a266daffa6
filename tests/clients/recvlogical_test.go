package clients_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// recvlogicalBin finds PostgreSQL 15's pg_recvlogical.
func recvlogicalBin(t *testing.T) string {
	for _, p := range []string{"/usr/lib/postgresql/15/bin/pg_recvlogical"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("pg_recvlogical"); err == nil {
		return p
	}
	t.Skip("pg_recvlogical is not installed (.ci/run installs postgresql-15)")
	return ""
}

// TestPgRecvlogical: PostgreSQL's own logical replication client creates a
// slot, streams test_decoding output to a file, confirms what it wrote
// (feedback every second) and drops the slot.
func TestPgRecvlogical(t *testing.T) {
	bin := recvlogicalBin(t)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	host, port, _ := strings.Cut(srv.Addr, ":")
	args := []string{"-h", host, "-p", port, "-U", "postgres", "-d", "postgres", "--slot", "rl"}
	run := func(extra ...string) {
		t.Helper()
		if out, err := exec.Command(bin, append(args, extra...)...).CombinedOutput(); err != nil {
			t.Fatalf("pg_recvlogical %v: %v\n%s", extra, err, out)
		}
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, c, "CREATE TABLE t (id int PRIMARY KEY, v text)")
	run("--create-slot", "-P", "test_decoding")
	execAll(t, c, "INSERT INTO t VALUES (1, 'a'), (2, 'b')", "UPDATE t SET v = 'c' WHERE id = 1")
	var endText string
	if err := c.QueryRow(ctx, "SELECT pg_current_wal_lsn()").Scan(&endText); err != nil {
		t.Fatal(err)
	}
	end, _ := pglogrepl.ParseLSN(endText)
	out := t.TempDir() + "/changes.txt"
	cmd := exec.Command(bin, append(args, "--start", "-s", "1", "-F", "1", "-o", "include-xids=0", "-f", out)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	want := "BEGIN\ntable public.t: INSERT: id[integer]:1 v[text]:'a'\ntable public.t: INSERT: id[integer]:2 v[text]:'b'\nCOMMIT\n" +
		"BEGIN\ntable public.t: UPDATE: id[integer]:1 v[text]:'c'\nCOMMIT\n"
	// It confirms what it has written, up to the end of the update.
	var confirmed pglogrepl.LSN
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b, _ := os.ReadFile(out)
		var s string
		c.QueryRow(ctx, "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = 'rl'").Scan(&s)
		confirmed, _ = pglogrepl.ParseLSN(s)
		if string(b) == want && confirmed >= end {
			break
		}
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if b, _ := os.ReadFile(out); string(b) != want || confirmed < end {
		t.Fatalf("pg_recvlogical wrote\n%s\nconfirmed %s; want\n%sconfirmed >= %s", b, confirmed, want, end)
	}
	run("--drop-slot")
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_replication_slots").Scan(&n); err != nil || n != 0 {
		t.Fatalf("slots after --drop-slot: %d %v", n, err)
	}
}
