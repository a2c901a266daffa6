package clients_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// replMsg is one decoded pgoutput message, normalized for comparison:
// LSNs, xids, timestamps and relation OIDs are left out.
func replMsg(m pglogrepl.Message) string {
	tuple := func(t *pglogrepl.TupleData) string {
		if t == nil {
			return "-"
		}
		var parts []string
		for _, c := range t.Columns {
			switch c.DataType {
			case 'n':
				parts = append(parts, "null")
			case 'u':
				parts = append(parts, "toast")
			default:
				parts = append(parts, string(c.DataType)+":"+string(c.Data))
			}
		}
		return "(" + strings.Join(parts, ",") + ")"
	}
	switch m := m.(type) {
	case *pglogrepl.BeginMessage:
		return "BEGIN"
	case *pglogrepl.CommitMessage:
		return fmt.Sprintf("COMMIT flags=%d", m.Flags)
	case *pglogrepl.RelationMessage:
		var cols []string
		for _, c := range m.Columns {
			cols = append(cols, fmt.Sprintf("%s:%d:%d:%d", c.Name, c.Flags, c.DataType, c.TypeModifier))
		}
		return fmt.Sprintf("RELATION %s.%s ident=%c [%s]", m.Namespace, m.RelationName, m.ReplicaIdentity, strings.Join(cols, " "))
	case *pglogrepl.InsertMessage:
		return "INSERT " + tuple(m.Tuple)
	case *pglogrepl.UpdateMessage:
		return fmt.Sprintf("UPDATE old=%c%s new=%s", m.OldTupleType|0, tuple(m.OldTuple), tuple(m.NewTuple))
	case *pglogrepl.DeleteMessage:
		return fmt.Sprintf("DELETE old=%c%s", m.OldTupleType, tuple(m.OldTuple))
	case *pglogrepl.TruncateMessage:
		return fmt.Sprintf("TRUNCATE n=%d opt=%d", m.RelationNum, m.Option)
	case *pglogrepl.LogicalDecodingMessage:
		return fmt.Sprintf("MESSAGE tx=%v prefix=%s content=%s", m.Transactional, m.Prefix, m.Content)
	}
	return fmt.Sprintf("%T", m)
}

type replClient struct {
	t    *testing.T
	conn *pgconn.PgConn
}

func openRepl(t *testing.T, dsn string) *replClient {
	t.Helper()
	c, err := pgconn.Connect(context.Background(), dsn+"&replication=database")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return &replClient{t: t, conn: c}
}

// receive collects decoded messages until a commit has been seen n times
// (each message as replMsg) and returns them with the last commit's end LSN.
func (r *replClient) receive(commits int) ([]string, pglogrepl.LSN) {
	r.t.Helper()
	var out []string
	var end pglogrepl.LSN
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for commits > 0 {
		msg, err := r.conn.ReceiveMessage(ctx)
		if err != nil {
			r.t.Fatalf("receive (have %q): %v", out, err)
		}
		cd, ok := msg.(*pgproto3.CopyData)
		if !ok {
			r.t.Fatalf("unexpected %T %+v", msg, msg)
		}
		if cd.Data[0] != pglogrepl.XLogDataByteID {
			continue
		}
		xld, err := pglogrepl.ParseXLogData(cd.Data[1:])
		if err != nil {
			r.t.Fatal(err)
		}
		m, err := pglogrepl.Parse(xld.WALData)
		if err != nil {
			r.t.Fatal(err)
		}
		out = append(out, replMsg(m))
		if c, ok := m.(*pglogrepl.CommitMessage); ok {
			end = c.TransactionEndLSN
			commits--
		}
	}
	return out, end
}

func (r *replClient) ack(lsn pglogrepl.LSN) {
	r.t.Helper()
	if err := pglogrepl.SendStandbyStatusUpdate(context.Background(), r.conn, pglogrepl.StandbyStatusUpdate{WALWritePosition: lsn, ReplyRequested: true}); err != nil {
		r.t.Fatal(err)
	}
	// The reply (a keepalive) comes after the confirmation is durable.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		msg, err := r.conn.ReceiveMessage(ctx)
		if err != nil {
			r.t.Fatal(err)
		}
		if cd, ok := msg.(*pgproto3.CopyData); ok && cd.Data[0] == pglogrepl.PrimaryKeepaliveMessageByteID {
			return
		}
	}
}

func execAll(t *testing.T, c *pgx.Conn, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := c.Exec(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestLogicalReplicationResume: a pgoutput consumer with pglogrepl gets
// inserts, updates (old key on key change; old row with REPLICA IDENTITY
// FULL), deletes, truncate and messages; after the server restarts it
// resumes after its acknowledged position: nothing acknowledged is
// redelivered and nothing is lost.
func TestLogicalReplicationResume(t *testing.T) {
	dir := t.TempDir()
	srv := prkdbtest.Start(t, prkdbtest.Options{DataDir: dir, Fsync: true})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, c, "CREATE TABLE items (id int PRIMARY KEY, name text, qty int)",
		"CREATE TABLE full_t (id int PRIMARY KEY, v text)",
		"ALTER TABLE full_t REPLICA IDENTITY FULL",
		"CREATE TABLE other (id int PRIMARY KEY)",
		"CREATE PUBLICATION pub FOR TABLE items, full_t")
	r := openRepl(t, srv.DSN)
	if _, err := pglogrepl.IdentifySystem(ctx, r.conn); err != nil {
		t.Fatal(err)
	}
	cr, err := pglogrepl.CreateReplicationSlot(ctx, r.conn, "s1", "pgoutput", pglogrepl.CreateReplicationSlotOptions{Mode: pglogrepl.LogicalReplication})
	if err != nil {
		t.Fatal(err)
	}
	start, _ := pglogrepl.ParseLSN(cr.ConsistentPoint)
	execAll(t, c, "INSERT INTO items VALUES (1, 'a', 10), (2, NULL, 20)",
		"INSERT INTO other VALUES (1)",
		"UPDATE items SET qty = 11 WHERE id = 1",
		"UPDATE items SET id = 3 WHERE id = 2",
		"DELETE FROM items WHERE id = 1",
		"INSERT INTO full_t VALUES (1, 'x')",
		"UPDATE full_t SET v = 'it''s' WHERE id = 1",
		"BEGIN", "SELECT pg_logical_emit_message(true, 'pfx', 'hello')", "DELETE FROM full_t", "COMMIT",
		"TRUNCATE items")
	opts := pglogrepl.StartReplicationOptions{PluginArgs: []string{"proto_version '1'", "publication_names 'pub'", "messages 'true'"}}
	if err := pglogrepl.StartReplication(ctx, r.conn, "s1", start, opts); err != nil {
		t.Fatal(err)
	}
	got, _ := r.receive(3)
	want := []string{
		"BEGIN", "RELATION public.items ident=d [id:1:23:-1 name:0:25:-1 qty:0:23:-1]", "INSERT (t:1,t:a,t:10)", "INSERT (t:2,null,t:20)", "COMMIT flags=0",
		"BEGIN", "UPDATE old=\x00- new=(t:1,t:a,t:11)", "COMMIT flags=0",
		"BEGIN", "UPDATE old=K(t:2,null,null) new=(t:3,null,t:20)", "COMMIT flags=0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	more, end := r.receive(4)
	wantMore := []string{
		"BEGIN", "DELETE old=K(t:1,null,null)", "COMMIT flags=0",
		"BEGIN", "RELATION public.full_t ident=f [id:1:23:-1 v:1:25:-1]", "INSERT (t:1,t:x)", "COMMIT flags=0",
		"BEGIN", "UPDATE old=O(t:1,t:x) new=(t:1,t:it's)", "COMMIT flags=0",
		"BEGIN", "MESSAGE tx=true prefix=pfx content=hello", "DELETE old=O(t:1,t:it's)", "COMMIT flags=0",
	}
	if strings.Join(more, "\n") != strings.Join(wantMore, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(more, "\n"), strings.Join(wantMore, "\n"))
	}
	// Acknowledge through the DELETE of REPLICA IDENTITY FULL rows, not the
	// TRUNCATE after it; the next consumer gets the TRUNCATE again.
	r.ack(end)
	r.conn.Close(ctx)
	wantRows := func(q, want string) {
		t.Helper()
		var got string
		if err := c.QueryRow(ctx, q).Scan(&got); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got != want {
			t.Fatalf("%s: got %q, want %q", q, got, want)
		}
	}
	wantRows("SELECT confirmed_flush_lsn || ' ' || active FROM pg_replication_slots WHERE slot_name = 's1'", end.String()+" false")
	r = openRepl(t, srv.DSN)
	if err := pglogrepl.StartReplication(ctx, r.conn, "s1", 0, opts); err != nil {
		t.Fatal(err)
	}
	again, _ := r.receive(1)
	if want := "BEGIN\nRELATION public.items ident=d [id:1:23:-1 name:0:25:-1 qty:0:23:-1]\nTRUNCATE n=1 opt=0\nCOMMIT flags=0"; strings.Join(again, "\n") != want {
		t.Fatalf("after reconnecting got\n%s\nwant\n%s", strings.Join(again, "\n"), want)
	}
	// A second consumer of an active slot is refused, as PostgreSQL does.
	r2 := openRepl(t, srv.DSN)
	err = pglogrepl.StartReplication(ctx, r2.conn, "s1", 0, opts)
	if pe, ok := err.(*pgconn.PgError); !ok || pe.Code != "55006" {
		t.Fatalf("second consumer: %v, want 55006", err)
	}
	r.conn.Close(ctx)
	c.Close(ctx)
	srv.Stop()
	_ = dir
}
