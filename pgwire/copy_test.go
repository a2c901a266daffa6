package pgwire

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// The COPY sub-protocol's message flow is pinned against PostgreSQL 15 by
// testdata/pgtest/copy.txt; these tests cover what a script cannot: a
// client that goes away, the message size cap and shutdown during COPY IN.

// copyInStarted connects, creates table name and starts COPY name FROM
// STDIN, returning once CopyInResponse has arrived.
func copyInStarted(t *testing.T, ts *testServer, name string) *scriptConn {
	t.Helper()
	c := &scriptConn{t: t, addr: ts.addr}
	c.connect()
	c.send(&pgproto3.Query{String: "CREATE TABLE " + name + " (a int)"})
	c.until("ReadyForQuery")
	c.send(&pgproto3.Query{String: "COPY " + name + " FROM STDIN"})
	if typ, line := c.receive(); typ != "CopyInResponse" {
		t.Fatalf("COPY FROM STDIN: %s", line)
	}
	return c
}

func countRows(t *testing.T, ts *testServer, table string) int {
	t.Helper()
	var n int
	if err := pgxConnect(t, ts).QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCopyInConnectionLost: a client that closes its socket mid-COPY
// leaves no rows behind, and its session is released.
func TestCopyInConnectionLost(t *testing.T) {
	ts := startServer(t, Config{})
	c := copyInStarted(t, ts, "lost")
	c.send(&pgproto3.CopyData{Data: []byte("1\n2\n3\n")})
	c.nc.Close()
	waitFor(t, "the session to be released", func() bool { return ts.sessionCount() == 0 })
	if n := countRows(t, ts, "lost"); n != 0 {
		t.Fatalf("%d rows of an interrupted COPY were committed", n)
	}
}

// TestCopyInMessageTooLarge: the message size cap applies to CopyData;
// framing is lost, so the connection ends (FATAL 08P01) and the COPY with
// it.
func TestCopyInMessageTooLarge(t *testing.T) {
	ts := startServer(t, Config{MaxMessageSize: 64 << 10})
	c := copyInStarted(t, ts, "big")
	c.send(&pgproto3.CopyData{Data: []byte("1\n")})
	c.send(&pgproto3.CopyData{Data: []byte(strings.Repeat("2\n", 40<<10))})
	typ, line := c.receive()
	if typ != "ErrorResponse" || !strings.Contains(line, `"Code":"08P01"`) || !strings.Contains(line, `"Severity":"FATAL"`) ||
		!strings.Contains(line, "message too large") {
		t.Fatalf("oversized CopyData: %s", line)
	}
	if typ, _ := c.receive(); typ != "EOF" {
		t.Fatalf("the connection stays open after %s", line)
	}
	if n := countRows(t, ts, "big"); n != 0 {
		t.Fatalf("%d rows committed", n)
	}
}

// TestCopyInShutdown: Shutdown wakes a session waiting for COPY data; it
// is told FATAL 57P01 and nothing is committed.
func TestCopyInShutdown(t *testing.T) {
	ts := startServer(t, Config{})
	c := copyInStarted(t, ts, "shut")
	c.send(&pgproto3.CopyData{Data: []byte("1\n")})
	// The row is parsed (and held in the transaction) before shutdown.
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	typ, line := c.receive()
	if typ != "ErrorResponse" || !strings.Contains(line, `"Code":"`+string(pgerror.AdminShutdown)+`"`) {
		t.Fatalf("COPY during shutdown: %s", line)
	}
	if typ, _ := c.receive(); typ != "EOF" {
		t.Fatal("the connection stays open")
	}
}
