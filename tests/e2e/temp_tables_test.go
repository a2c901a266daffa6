package e2e

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTempTablesGoneAfterRestart: temporary tables never survive the
// server. A SIGKILL leaves their catalog entries in the data directory
// (no session got to drop them); the restart removes them, with their
// index and serial sequence, and the permanent table of the same name is
// untouched. A SIGTERM drops them as the sessions close.
func TestTempTablesGoneAfterRestart(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const leftovers = `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE relpersistence = 't' OR nspname LIKE 'pg_temp%' OR nspname LIKE 'pg_toast_temp%' ORDER BY 1`
	const namespaces = `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'pg_temp%' OR nspname LIKE 'pg_toast_temp%'`

	p := startBinary(t, bin, dir)
	c := connect(t, ctx, p.dsn)
	mustExec(t, ctx, c, "CREATE TABLE", "CREATE TABLE t (id int PRIMARY KEY, v text)")
	mustExec(t, ctx, c, "INSERT 0 1", "INSERT INTO t VALUES (1, 'permanent')")
	mustExec(t, ctx, c, "CREATE TABLE", "CREATE TEMP TABLE t (id serial PRIMARY KEY, v text)")
	mustExec(t, ctx, c, "INSERT 0 2", "INSERT INTO t (v) VALUES ('temp'), ('temp')")
	wantRows(t, ctx, c, []string{"t", "t_id_seq", "t_pkey"}, leftovers)
	if err := p.signal(t, syscall.SIGKILL, 30*time.Second); err == nil {
		t.Fatal("SIGKILLed server exited with status 0")
	}

	p2 := startBinary(t, bin, dir)
	c2 := connect(t, ctx, p2.dsn)
	wantRows(t, ctx, c2, nil, leftovers)
	wantRows(t, ctx, c2, []string{"0"}, namespaces)
	wantRows(t, ctx, c2, []string{"1|permanent"}, "SELECT id, v FROM t ORDER BY id")
	mustExec(t, ctx, c2, "CREATE TABLE", "CREATE TEMP TABLE t (id serial PRIMARY KEY, v text)")
	wantRows(t, ctx, c2, nil, "SELECT id, v FROM t")
	mustExec(t, ctx, c2, "INSERT 0 1", "INSERT INTO t (v) VALUES ('again')")
	wantRows(t, ctx, c2, []string{"1|again"}, "SELECT id, v FROM t")
	if err := p2.signal(t, syscall.SIGTERM, 30*time.Second); err != nil {
		t.Fatalf("SIGTERM: %v; stderr:\n%s", err, p2.stderr.tail(30))
	}
	if tail := p2.stderr.tail(50); strings.Contains(tail, "temporary schema") {
		t.Errorf("the session's temporary schema was not dropped at shutdown:\n%s", tail)
	}

	p3 := startBinary(t, bin, dir)
	c3 := connect(t, ctx, p3.dsn)
	wantRows(t, ctx, c3, nil, leftovers)
	wantRows(t, ctx, c3, []string{"1|permanent"}, "SELECT id, v FROM t ORDER BY id")
}
