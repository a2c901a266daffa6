package e2e

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// replInserts reads pgoutput messages until it has seen want commits and
// returns the inserted ids (first column) per transaction, with each
// transaction's end LSN.
func replInserts(t *testing.T, rc *pgconn.PgConn, want int) ([][]string, []pglogrepl.LSN) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var txns [][]string
	var ends []pglogrepl.LSN
	var cur []string
	for len(ends) < want {
		msg, err := rc.ReceiveMessage(ctx)
		if err != nil {
			t.Fatalf("receive after %d transactions: %v", len(ends), err)
		}
		cd, ok := msg.(*pgproto3.CopyData)
		if !ok {
			t.Fatalf("unexpected %T %+v", msg, msg)
		}
		if cd.Data[0] != pglogrepl.XLogDataByteID {
			continue
		}
		xld, err := pglogrepl.ParseXLogData(cd.Data[1:])
		if err != nil {
			t.Fatal(err)
		}
		m, err := pglogrepl.Parse(xld.WALData)
		if err != nil {
			t.Fatal(err)
		}
		switch m := m.(type) {
		case *pglogrepl.InsertMessage:
			cur = append(cur, string(m.Tuple.Columns[0].Data))
		case *pglogrepl.CommitMessage:
			txns = append(txns, cur)
			ends = append(ends, m.TransactionEndLSN)
			cur = nil
		}
	}
	return txns, ends
}

// ackDurably sends a standby status update asking for a reply and waits for
// the keepalive that answers it: the server makes the slot's confirmed
// position durable before it replies.
func ackDurably(t *testing.T, rc *pgconn.PgConn, lsn pglogrepl.LSN) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := pglogrepl.SendStandbyStatusUpdate(ctx, rc, pglogrepl.StandbyStatusUpdate{WALWritePosition: lsn, ReplyRequested: true}); err != nil {
		t.Fatal(err)
	}
	for {
		msg, err := rc.ReceiveMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cd, ok := msg.(*pgproto3.CopyData); ok && cd.Data[0] == pglogrepl.PrimaryKeepaliveMessageByteID {
			return
		}
	}
}

func startRepl(t *testing.T, dsn, slot string, from pglogrepl.LSN) *pgconn.PgConn {
	t.Helper()
	ctx := context.Background()
	rc, err := pgconn.Connect(ctx, dsn+"&replication=database")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close(context.Background()) })
	if err := pglogrepl.StartReplication(ctx, rc, slot, from, pglogrepl.StartReplicationOptions{
		PluginArgs: []string{"proto_version '1'", "publication_names 'pub'"}}); err != nil {
		t.Fatal(err)
	}
	return rc
}

// TestReplicationSlotSurvivesKill9: a slot's confirmed position is
// durable. A pglogrepl consumer acknowledges 5 of 10 transactions, the
// server is killed with SIGKILL and restarted, 5 more are committed, and
// the consumer, reconnecting from 0/0 (the slot's own position), gets
// exactly transactions 6 to 15: nothing acknowledged again, nothing lost.
func TestReplicationSlotSurvivesKill9(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	p := startBinary(t, bin, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := connect(t, ctx, p.dsn)
	mustExec(t, ctx, c, "CREATE TABLE", "CREATE TABLE ev (id int PRIMARY KEY, body text)")
	mustExec(t, ctx, c, "CREATE PUBLICATION", "CREATE PUBLICATION pub FOR TABLE ev")
	rc, err := pgconn.Connect(ctx, p.dsn+"&replication=database")
	if err != nil {
		t.Fatal(err)
	}
	cr, err := pglogrepl.CreateReplicationSlot(ctx, rc, "durable", "pgoutput", pglogrepl.CreateReplicationSlotOptions{Mode: pglogrepl.LogicalReplication})
	if err != nil {
		t.Fatal(err)
	}
	rc.Close(ctx)
	start, _ := pglogrepl.ParseLSN(cr.ConsistentPoint)
	for i := 1; i <= 10; i++ {
		mustExec(t, ctx, c, "INSERT 0 1", fmt.Sprintf("INSERT INTO ev VALUES (%d, 'e%d')", i, i))
	}
	rc = startRepl(t, p.dsn, "durable", start)
	txns, ends := replInserts(t, rc, 10)
	for i, tx := range txns {
		if strings.Join(tx, ",") != fmt.Sprint(i+1) {
			t.Fatalf("transaction %d carried %v", i+1, tx)
		}
	}
	ackDurably(t, rc, ends[4])
	wantRows(t, ctx, c, []string{fmt.Sprintf("durable|true|%s", ends[4])},
		"SELECT slot_name, active, confirmed_flush_lsn::text FROM pg_replication_slots")
	c.Close(ctx)

	if err := p.signal(t, syscall.SIGKILL, 10*time.Second); err == nil {
		t.Fatal("SIGKILL: the server exited cleanly?")
	}
	p = startBinary(t, bin, dir)
	c = connect(t, ctx, p.dsn)
	wantRows(t, ctx, c, []string{fmt.Sprintf("durable|false|%s|reserved", ends[4])},
		"SELECT slot_name, active, confirmed_flush_lsn::text, wal_status FROM pg_replication_slots")
	for i := 11; i <= 15; i++ {
		mustExec(t, ctx, c, "INSERT 0 1", fmt.Sprintf("INSERT INTO ev VALUES (%d, 'e%d')", i, i))
	}
	rc = startRepl(t, p.dsn, "durable", 0)
	txns, _ = replInserts(t, rc, 10)
	var got []string
	for _, tx := range txns {
		got = append(got, strings.Join(tx, ","))
	}
	if want := "6 7 8 9 10 11 12 13 14 15"; strings.Join(got, " ") != want {
		t.Fatalf("after restart got transactions %v, want %s", got, want)
	}
}
