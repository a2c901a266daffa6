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

	"github.com/prkdb/prkdb-sql/stream"
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
	// The server notices the disconnection a moment later (PostgreSQL
	// too): wait for the slot to be released.
	wantRows := func(q, want string) {
		t.Helper()
		var got string
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if err := c.QueryRow(ctx, q).Scan(&got); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if got == want || time.Now().After(deadline) {
				break
			}
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

func simpleRows(t *testing.T, c *pgconn.PgConn, q string) ([]string, error) {
	t.Helper()
	res, err := c.Exec(context.Background(), q).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range res {
		for _, row := range r.Rows {
			var parts []string
			for _, v := range row {
				if v == nil {
					parts = append(parts, "NULL")
				} else {
					parts = append(parts, string(v))
				}
			}
			out = append(out, strings.Join(parts, "|"))
		}
	}
	return out, nil
}

func wantSimple(t *testing.T, c *pgconn.PgConn, q string, want ...string) {
	t.Helper()
	got, err := simpleRows(t, c, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s:\ngot  %q\nwant %q", q, got, want)
	}
}

func wantCode(t *testing.T, c *pgconn.PgConn, q, code string) {
	t.Helper()
	_, err := simpleRows(t, c, q)
	pe, ok := err.(*pgconn.PgError)
	if !ok || pe.Code != code {
		t.Fatalf("%s: got %v, want SQLSTATE %s", q, err, code)
	}
}

// TestReplicationCommands: the walsender commands on a replication=database
// connection (ordinary SQL works there too), publications and their
// catalogs, REPLICA IDENTITY, pg_stat_replication.
func TestReplicationCommands(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	r := openRepl(t, srv.DSN)
	c := r.conn
	sys, err := pglogrepl.IdentifySystem(context.Background(), c)
	if err != nil || sys.Timeline != 1 || sys.DBName != "postgres" {
		t.Fatalf("IDENTIFY_SYSTEM: %+v %v", sys, err)
	}
	wantSimple(t, c, "SELECT 1", "1")
	wantSimple(t, c, "CREATE TABLE a (id int PRIMARY KEY, v text)")
	wantSimple(t, c, "CREATE TABLE b (id int PRIMARY KEY)")
	wantSimple(t, c, "ALTER TABLE b REPLICA IDENTITY FULL")
	wantSimple(t, c, "SELECT relname, relreplident FROM pg_class WHERE relname IN ('a', 'b') ORDER BY 1", "a|d", "b|f")
	wantSimple(t, c, "CREATE PUBLICATION p1 FOR TABLE a WITH (publish = 'insert, update')")
	wantSimple(t, c, "CREATE PUBLICATION pall FOR ALL TABLES")
	wantCode(t, c, "CREATE PUBLICATION p1 FOR TABLE a", "42710")
	wantSimple(t, c, "SELECT pubname, puballtables, pubinsert, pubupdate, pubdelete, pubtruncate FROM pg_publication ORDER BY 1",
		"p1|f|t|t|f|f", "pall|t|t|t|t|t")
	wantSimple(t, c, "ALTER PUBLICATION p1 ADD TABLE b")
	wantCode(t, c, "ALTER PUBLICATION p1 ADD TABLE b", "42710")
	wantCode(t, c, "ALTER PUBLICATION pall ADD TABLE b", "55000")
	wantSimple(t, c, "SELECT pubname, schemaname, tablename, attnames FROM pg_publication_tables ORDER BY 1, 3",
		"p1|public|a|{id,v}", "p1|public|b|{id}", "pall|public|a|{id,v}", "pall|public|b|{id}")
	wantSimple(t, c, "SELECT count(*) FROM pg_publication_rel", "2")
	wantSimple(t, c, "ALTER PUBLICATION p1 SET (publish = 'delete')")
	wantSimple(t, c, "ALTER PUBLICATION p1 DROP TABLE a")
	wantSimple(t, c, "SELECT pubname, pubinsert, pubdelete FROM pg_publication WHERE pubname = 'p1'", "p1|f|t")
	wantSimple(t, c, "DROP PUBLICATION p1, pall")
	wantCode(t, c, "DROP PUBLICATION p1", "42704")
	wantSimple(t, c, "DROP PUBLICATION IF EXISTS p1")

	rows, err := simpleRows(t, c, "CREATE_REPLICATION_SLOT t1 TEMPORARY LOGICAL pgoutput (SNAPSHOT 'nothing')")
	if err != nil || len(rows) != 1 || !strings.HasPrefix(rows[0], "t1|") {
		t.Fatalf("CREATE_REPLICATION_SLOT: %q %v", rows, err)
	}
	rows, err = simpleRows(t, c, "CREATE_REPLICATION_SLOT t2 LOGICAL test_decoding NOEXPORT_SNAPSHOT")
	if err != nil || len(rows) != 1 || !strings.HasPrefix(rows[0], "t2|") || !strings.HasSuffix(rows[0], "|NULL|test_decoding") {
		t.Fatalf("CREATE_REPLICATION_SLOT: %q %v", rows, err)
	}
	wantCode(t, c, "CREATE_REPLICATION_SLOT t2 LOGICAL test_decoding", "42710")
	wantCode(t, c, "CREATE_REPLICATION_SLOT t3 PHYSICAL", "0A000")
	wantCode(t, c, "CREATE_REPLICATION_SLOT t3 LOGICAL nosuch", "58P01")
	wantSimple(t, c, "READ_REPLICATION_SLOT nope", "NULL|NULL|NULL")
	rows, _ = simpleRows(t, c, "READ_REPLICATION_SLOT t2")
	if len(rows) != 1 || !strings.HasPrefix(rows[0], "logical|") {
		t.Fatalf("READ_REPLICATION_SLOT: %q", rows)
	}
	wantCode(t, c, "TIMELINE_HISTORY 1", "58P01")
	wantSimple(t, c, "SELECT slot_name, plugin, temporary, active, wal_status FROM pg_replication_slots ORDER BY 1",
		"t1|pgoutput|t|t|reserved", "t2|test_decoding|f|f|reserved")
	wantSimple(t, c, "DROP_REPLICATION_SLOT t2 WAIT")
	wantCode(t, c, "DROP_REPLICATION_SLOT t2", "42704")

	// pg_stat_replication while a consumer streams.
	wantSimple(t, c, "CREATE PUBLICATION pa FOR TABLE a")
	s := openRepl(t, srv.DSN)
	if err := pglogrepl.StartReplication(context.Background(), s.conn, "t1", 0, pglogrepl.StartReplicationOptions{
		PluginArgs: []string{"proto_version '2'", "publication_names 'pa'"}}); err == nil {
		t.Fatal("START_REPLICATION of another session's temporary slot succeeded")
	}
	wantSimple(t, c, "SELECT count(*) FROM pg_stat_replication", "0")
	if _, err := simpleRows(t, c, "SELECT * FROM pg_create_logical_replication_slot('st', 'pgoutput')"); err != nil {
		t.Fatal(err)
	}
	if err := pglogrepl.StartReplication(context.Background(), s.conn, "st", 0, pglogrepl.StartReplicationOptions{
		PluginArgs: []string{"proto_version '2'", "publication_names 'pa'"}}); err != nil {
		t.Fatal(err)
	}
	wantSimple(t, c, "INSERT INTO a VALUES (1, 'x')")
	got, end := s.receive(1)
	if len(got) != 4 || got[2] != "INSERT (t:1,t:x)" {
		t.Fatalf("stream: %q", got)
	}
	s.ack(end)
	wantSimple(t, c, "SELECT state, flush_lsn = '"+end.String()+"', sync_state FROM pg_stat_replication", "streaming|t|async")
	wantSimple(t, c, "SELECT active, confirmed_flush_lsn = '"+end.String()+"' FROM pg_replication_slots WHERE slot_name = 'st'", "t|t")
	// CopyDone ends the stream (CopyDone, CommandComplete, ReadyForQuery);
	// the connection goes on with commands and SQL.
	if _, err := pglogrepl.SendStandbyCopyDone(context.Background(), s.conn); err != nil {
		t.Fatal(err)
	}
	wantSimple(t, s.conn, "SELECT 2", "2")
	err = pglogrepl.StartReplication(context.Background(), s.conn, "st", 0, pglogrepl.StartReplicationOptions{
		PluginArgs: []string{"proto_version '1'", "publication_names 'nopub'"}})
	if pe, ok := err.(*pgconn.PgError); !ok || pe.Code != "42704" {
		t.Fatalf("unknown publication: %v", err)
	}
	err = pglogrepl.StartReplication(context.Background(), s.conn, "st", 0, pglogrepl.StartReplicationOptions{
		PluginArgs: []string{"proto_version '9'", "publication_names 'pa'"}})
	if pe, ok := err.(*pgconn.PgError); !ok || pe.Code != "22023" {
		t.Fatalf("bad proto_version: %v", err)
	}
	wantSimple(t, c, "SELECT active FROM pg_replication_slots WHERE slot_name = 'st'", "f")
	wantSimple(t, c, "SELECT count(*) FROM pg_stat_replication", "0")
}

// TestSlotInvalidatedPastMaxKeep: a slot that holds more log than
// max_slot_wal_keep_size is invalidated ('lost') instead of filling the
// disk, and its consumer gets 55000.
func TestSlotInvalidatedPastMaxKeep(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, c, "CREATE TABLE big (id int PRIMARY KEY, pad text)", "CREATE PUBLICATION pb FOR TABLE big",
		"SELECT * FROM pg_create_logical_replication_slot('behind', 'pgoutput')")
	var status string
	var safe *int64
	if err := c.QueryRow(ctx, "SELECT wal_status, safe_wal_size FROM pg_replication_slots").Scan(&status, &safe); err != nil || status != "reserved" || safe != nil {
		t.Fatalf("before: %s %v %v", status, safe, err)
	}
	execAll(t, c, "SET max_slot_wal_keep_size = '64MB'")
	if err := c.QueryRow(ctx, "SELECT wal_status, safe_wal_size FROM pg_replication_slots").Scan(&status, &safe); err != nil || status != "reserved" || safe == nil || *safe <= 0 {
		t.Fatalf("with a limit: %s %v %v", status, safe, err)
	}
	execAll(t, c, "INSERT INTO big SELECT g, repeat('x', 1000) FROM generate_series(1, 3000) g",
		"SET max_slot_wal_keep_size = '1MB'")
	if err := c.QueryRow(ctx, "SELECT wal_status, safe_wal_size FROM pg_replication_slots").Scan(&status, &safe); err != nil || status != "lost" || safe != nil {
		t.Fatalf("after: %s %v %v", status, safe, err)
	}
	r := openRepl(t, srv.DSN)
	err = pglogrepl.StartReplication(ctx, r.conn, "behind", 0, pglogrepl.StartReplicationOptions{
		PluginArgs: []string{"proto_version '1'", "publication_names 'pb'"}})
	if pe, ok := err.(*pgconn.PgError); !ok || pe.Code != "55000" || !strings.Contains(pe.Message, "can no longer get changes") {
		t.Fatalf("START_REPLICATION of a lost slot: %v", err)
	}
	_, err = c.Exec(ctx, "SELECT * FROM pg_logical_slot_peek_changes('behind', NULL, NULL)")
	if pe, ok := err.(*pgconn.PgError); !ok || pe.Code != "55000" {
		t.Fatalf("peek of a lost slot: %v", err)
	}
	execAll(t, c, "SET max_slot_wal_keep_size = -1", "SELECT pg_drop_replication_slot('behind')")
}

// TestDecodingUsesHistoricSchema: a consumer that is behind an ALTER TABLE
// gets the changes before it described and decoded as they were written
// (the DDL commit records the table's previous description), then a new
// Relation message and the changes after it, as PostgreSQL's historic
// catalog snapshots give.
func TestDecodingUsesHistoricSchema(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, c, "CREATE TABLE h (id int PRIMARY KEY, a text, b int)", "CREATE PUBLICATION ph FOR TABLE h",
		"SELECT * FROM pg_create_logical_replication_slot('hs', 'pgoutput')",
		"SELECT * FROM pg_create_logical_replication_slot('ht', 'test_decoding')",
		"INSERT INTO h VALUES (1, 'x', 10)",
		"ALTER TABLE h ADD COLUMN c text DEFAULT 'new'",
		"INSERT INTO h VALUES (2, 'y', 20, 'z')",
		"ALTER TABLE h DROP COLUMN b",
		"ALTER TABLE h RENAME COLUMN a TO aa",
		"INSERT INTO h VALUES (3, 'w', 'v')",
		"DROP TABLE h")
	r := openRepl(t, srv.DSN)
	if err := pglogrepl.StartReplication(ctx, r.conn, "hs", 0, pglogrepl.StartReplicationOptions{
		PluginArgs: []string{"proto_version '1'", "publication_names 'ph'"}}); err != nil {
		t.Fatal(err)
	}
	got, _ := r.receive(3)
	want := []string{
		"BEGIN", "RELATION public.h ident=d [id:1:23:-1 a:0:25:-1 b:0:23:-1]", "INSERT (t:1,t:x,t:10)", "COMMIT flags=0",
		"BEGIN", "RELATION public.h ident=d [id:1:23:-1 a:0:25:-1 b:0:23:-1 c:0:25:-1]", "INSERT (t:2,t:y,t:20,t:z)", "COMMIT flags=0",
		"BEGIN", "RELATION public.h ident=d [id:1:23:-1 aa:0:25:-1 c:0:25:-1]", "INSERT (t:3,t:w,t:v)", "COMMIT flags=0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rows, err := c.Query(ctx, "SELECT data FROM pg_logical_slot_get_changes('ht', NULL, NULL, 'include-xids', '0', 'skip-empty-xacts', '1')")
	if err != nil {
		t.Fatal(err)
	}
	var td []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		if strings.HasPrefix(s, "table") {
			td = append(td, s)
		}
	}
	wantTD := []string{
		"table public.h: INSERT: id[integer]:1 a[text]:'x' b[integer]:10",
		"table public.h: INSERT: id[integer]:2 a[text]:'y' b[integer]:20 c[text]:'z'",
		"table public.h: INSERT: id[integer]:3 aa[text]:'w' c[text]:'v'",
	}
	if strings.Join(td, "\n") != strings.Join(wantTD, "\n") {
		t.Fatalf("test_decoding got\n%s\nwant\n%s", strings.Join(td, "\n"), strings.Join(wantTD, "\n"))
	}
}

// TestKeepalivesAskForReplies: an idle stream sends primary keepalives,
// and asks for a reply once the client has been silent for
// ReplyRequestAfter (PostgreSQL: wal_sender_timeout/2); a status update
// resets that.
func TestKeepalivesAskForReplies(t *testing.T) {
	// Restored after the server has stopped (cleanups run last first).
	k, rr := stream.KeepaliveInterval, stream.ReplyRequestAfter
	t.Cleanup(func() { stream.KeepaliveInterval, stream.ReplyRequestAfter = k, rr })
	stream.KeepaliveInterval, stream.ReplyRequestAfter = 30*time.Millisecond, 150*time.Millisecond
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, c, "CREATE PUBLICATION k FOR ALL TABLES", "SELECT * FROM pg_create_logical_replication_slot('ka', 'pgoutput')")
	r := openRepl(t, srv.DSN)
	start := time.Now()
	if err := pglogrepl.StartReplication(ctx, r.conn, "ka", 0, pglogrepl.StartReplicationOptions{
		PluginArgs: []string{"proto_version '1'", "publication_names 'k'"}}); err != nil {
		t.Fatal(err)
	}
	var plain, asking int
	var firstAsk time.Duration
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for asking == 0 {
		msg, err := r.conn.ReceiveMessage(rctx)
		if err != nil {
			t.Fatalf("after %d keepalives: %v", plain, err)
		}
		cd, ok := msg.(*pgproto3.CopyData)
		if !ok || cd.Data[0] != pglogrepl.PrimaryKeepaliveMessageByteID {
			continue
		}
		ka, err := pglogrepl.ParsePrimaryKeepaliveMessage(cd.Data[1:])
		if err != nil {
			t.Fatal(err)
		}
		if ka.ReplyRequested {
			asking++
			firstAsk = time.Since(start)
		} else {
			plain++
		}
	}
	if plain < 2 || firstAsk < stream.ReplyRequestAfter {
		t.Fatalf("%d plain keepalives, first reply request after %v", plain, firstAsk)
	}
}

// TestWal2JSONOutput: the JSON output plugin through the SQL functions.
func TestWal2JSONOutput(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, c, `CREATE TABLE j (id int PRIMARY KEY, "name" text, ok boolean, n numeric, f float8)`,
		"CREATE TABLE jf (k text PRIMARY KEY, v int)", "ALTER TABLE jf REPLICA IDENTITY FULL",
		"SELECT * FROM pg_create_logical_replication_slot('js', 'wal2json')",
		`INSERT INTO j VALUES (1, 'a "q"', true, 1.50, 'NaN'), (2, NULL, false, NULL, -1.5)`,
		"UPDATE j SET id = 3 WHERE id = 2",
		"DELETE FROM j WHERE id = 1",
		"INSERT INTO jf VALUES ('x', 1)", "UPDATE jf SET v = 2", "TRUNCATE jf",
		"SELECT pg_logical_emit_message(false, 'p', 'hi')")
	rows, err := c.Query(ctx, "SELECT data FROM pg_logical_slot_get_changes('js', NULL, NULL)")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		// Normalize the xid.
		if i := strings.Index(s, `"xid":`); i >= 0 {
			j := i + 6
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			s = s[:i] + `"xid":X` + s[j:]
		}
		got = append(got, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	cols := func(vals ...string) string {
		names := []string{"id", "name", "ok", "n", "f"}
		typs := []string{"integer", "text", "boolean", "numeric", "double precision"}
		var parts []string
		for i, v := range vals {
			parts = append(parts, fmt.Sprintf(`{"name":"%s","type":"%s","value":%s}`, names[i], typs[i], v))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	want := []string{
		`{"action":"B","xid":X}`,
		`{"action":"I","xid":X,"schema":"public","table":"j","columns":` + cols("1", `"a \"q\""`, "true", "1.50", `"NaN"`) + `}`,
		`{"action":"I","xid":X,"schema":"public","table":"j","columns":` + cols("2", "null", "false", "null", "-1.5") + `}`,
		`{"action":"C","xid":X}`,
		`{"action":"B","xid":X}`,
		`{"action":"U","xid":X,"schema":"public","table":"j","columns":` + cols("3", "null", "false", "null", "-1.5") + `,"identity":[{"name":"id","type":"integer","value":2}]}`,
		`{"action":"C","xid":X}`,
		`{"action":"B","xid":X}`,
		`{"action":"D","xid":X,"schema":"public","table":"j","identity":[{"name":"id","type":"integer","value":1}]}`,
		`{"action":"C","xid":X}`,
		`{"action":"B","xid":X}`,
		`{"action":"I","xid":X,"schema":"public","table":"jf","columns":[{"name":"k","type":"text","value":"x"},{"name":"v","type":"integer","value":1}]}`,
		`{"action":"C","xid":X}`,
		`{"action":"B","xid":X}`,
		`{"action":"U","xid":X,"schema":"public","table":"jf","columns":[{"name":"k","type":"text","value":"x"},{"name":"v","type":"integer","value":2}],"identity":[{"name":"k","type":"text","value":"x"},{"name":"v","type":"integer","value":1}]}`,
		`{"action":"C","xid":X}`,
		`{"action":"B","xid":X}`,
		`{"action":"T","xid":X,"schema":"public","table":"jf"}`,
		`{"action":"C","xid":X}`,
		`{"action":"M","transactional":false,"prefix":"p","content":"hi"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
