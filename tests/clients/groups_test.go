package clients_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// Consumer groups (stream/groups.go) proved with pglogrepl consumers: every
// committed change reaches one member, none is lost, none is delivered
// again once a member's acknowledgement has been answered, and every
// connection sees each key's changes in commit order, across a member
// killed mid-stream, a member leaving (CopyDone), a member joining and a
// server restart.

// groupLog collects what every member connection received and acknowledged.
//
// "Delivered again after an acknowledgement" is judged by the server's own
// clock: a change is a violation when an XLogData carrying it was sent
// (its server time) after the client had been answered for an
// acknowledgement covering an earlier copy of it (the answer comes after
// the offset is durable, so it is later than the durable point). A copy
// sent before that answer, and read by a slow client after it, is not.
type groupLog struct {
	mu sync.Mutex
	// got: receipts per (key, value); acks: per connection, acknowledged
	// LSNs with the time their answer arrived.
	got      map[[2]int][]receipt
	acks     map[int][]ackAt
	last     map[[2]int]int // (connection, key) -> last value seen
	conns    int
	problems []string
	dups     int
}

type receipt struct {
	conn   int
	member string
	end    pglogrepl.LSN
	sentAt time.Time
}

type ackAt struct {
	lsn pglogrepl.LSN
	at  time.Time
}

func newGroupLog() *groupLog {
	return &groupLog{got: map[[2]int][]receipt{}, acks: map[int][]ackAt{}, last: map[[2]int]int{}}
}

func (l *groupLog) newConn() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.conns++
	return l.conns
}

// receive records one transaction's updates (key, value) at a connection.
func (l *groupLog) receive(conn int, member string, kvs [][2]int, end pglogrepl.LSN, sentAt time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, kv := range kvs {
		k, v := kv[0], kv[1]
		if prev, ok := l.last[[2]int{conn, k}]; ok && v <= prev {
			l.problems = append(l.problems, fmt.Sprintf("%s (connection %d): key %d value %d after %d", member, conn, k, v, prev))
		}
		l.last[[2]int{conn, k}] = v
		if len(l.got[kv]) > 0 {
			l.dups++
		}
		l.got[kv] = append(l.got[kv], receipt{conn: conn, member: member, end: end, sentAt: sentAt})
	}
}

func (l *groupLog) ack(conn int, lsn pglogrepl.LSN) {
	l.mu.Lock()
	l.acks[conn] = append(l.acks[conn], ackAt{lsn, time.Now()})
	l.mu.Unlock()
}

// redelivered lists the changes sent again after an answered
// acknowledgement of an earlier copy.
func (l *groupLog) redelivered() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for kv, rs := range l.got {
		for _, r1 := range rs {
			var acked time.Time
			for _, a := range l.acks[r1.conn] {
				if a.lsn >= r1.end {
					acked = a.at
					break
				}
			}
			if acked.IsZero() {
				continue
			}
			for _, r2 := range rs {
				if r2.sentAt.After(acked) {
					out = append(out, fmt.Sprintf("key %d value %d sent to %s at %s after %s's acknowledgement was answered at %s",
						kv[0], kv[1], r2.member, r2.sentAt.Format("15:04:05.000000"), r1.member, acked.Format("15:04:05.000000")))
				}
			}
		}
	}
	return out
}

// complete reports whether every value 1..counts[k] of every key arrived.
func (l *groupLog) complete(counts []int) (bool, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, n := range counts {
		for v := 1; v <= n; v++ {
			if len(l.got[[2]int{k, v}]) == 0 {
				return false, fmt.Sprintf("key %d value %d", k, v)
			}
		}
	}
	return true, ""
}

// groupMember is one consumer: it reconnects under its name when its stream
// ends with 40001 (a rebalance gave it partitions) or its connection breaks,
// as a Kafka consumer rejoins.
type groupMember struct {
	t       *testing.T
	name    string
	dsn     string
	log     *groupLog
	mu      sync.Mutex
	conn    *pgconn.PgConn
	pending int // acknowledgements not yet answered
	stopped bool
	done    chan struct{}
	err     error
	rejoins int
}

func startMember(t *testing.T, dsn, name string, log *groupLog) *groupMember {
	m := &groupMember{t: t, name: name, dsn: dsn, log: log, done: make(chan struct{})}
	conn, err := m.connect()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	go m.run(conn)
	return m
}

func (m *groupMember) connect() (*pgconn.PgConn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgconn.Connect(ctx, m.dsn+"&replication=database")
	if err != nil {
		return nil, err
	}
	err = pglogrepl.StartReplication(ctx, conn, "grp", 0, pglogrepl.StartReplicationOptions{PluginArgs: []string{
		"proto_version '1'", "publication_names 'gpub'", "consumer_group 'g1'", "member '" + m.name + "'",
		"partitions '8'", "session_timeout_ms '300'"}})
	if err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stopped { // killed while reconnecting
		conn.Close(context.Background())
		return nil, errors.New("stopped")
	}
	m.conn, m.pending = conn, 0
	return conn, nil
}

func (m *groupMember) run(conn *pgconn.PgConn) {
	defer close(m.done)
	for {
		err := m.consume(conn, m.log.newConn())
		m.mu.Lock()
		conn.Close(context.Background())
		stopped := m.stopped
		m.mu.Unlock()
		if stopped {
			m.err = err
			return
		}
		// 40001: a rebalance gave this member partitions. The server
		// closes the connection after the error, so an acknowledgement
		// being written then fails instead: reconnect either way.
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code != "40001" {
			m.err = err
			return
		}
		m.rejoins++
		for i := 0; ; i++ {
			if conn, err = m.connect(); err == nil {
				break
			}
			m.mu.Lock()
			stopped := m.stopped
			m.mu.Unlock()
			if stopped {
				m.err = err
				return
			}
			if i == 50 {
				m.err = err
				return
			}
			time.Sleep(20 * time.Millisecond) // the old session may still be leaving
		}
	}
}

func (m *groupMember) consume(conn *pgconn.PgConn, id int) error {
	ctx := context.Background()
	var kvs [][2]int
	var sent []pglogrepl.LSN
	for {
		msg, err := conn.ReceiveMessage(ctx)
		if err != nil {
			return err
		}
		switch msg := msg.(type) {
		case *pgproto3.ErrorResponse:
			return pgconn.ErrorResponseToPgError(msg)
		case *pgproto3.CopyDone:
			return errors.New("stream ended")
		case *pgproto3.CopyData:
			switch msg.Data[0] {
			case pglogrepl.PrimaryKeepaliveMessageByteID:
				// The answer to the oldest acknowledgement: it is durable.
				if len(sent) > 0 {
					m.log.ack(id, sent[0])
					sent = sent[1:]
					m.mu.Lock()
					m.pending--
					m.mu.Unlock()
				}
			case pglogrepl.XLogDataByteID:
				xld, err := pglogrepl.ParseXLogData(msg.Data[1:])
				if err != nil {
					return err
				}
				lm, err := pglogrepl.Parse(xld.WALData)
				if err != nil {
					return err
				}
				switch lm := lm.(type) {
				case *pglogrepl.UpdateMessage:
					k, _ := strconv.Atoi(string(lm.NewTuple.Columns[0].Data))
					v, _ := strconv.Atoi(string(lm.NewTuple.Columns[1].Data))
					kvs = append(kvs, [2]int{k, v})
				case *pglogrepl.CommitMessage:
					m.log.receive(id, m.name, kvs, lm.TransactionEndLSN, xld.ServerTime)
					kvs = kvs[:0]
					m.mu.Lock()
					if m.stopped {
						m.mu.Unlock()
						continue // leaving: CopyDone has been sent
					}
					m.pending++
					sent = append(sent, lm.TransactionEndLSN)
					err := pglogrepl.SendStandbyStatusUpdate(ctx, conn, pglogrepl.StandbyStatusUpdate{WALWritePosition: lm.TransactionEndLSN, ReplyRequested: true})
					m.mu.Unlock()
					if err != nil {
						return err
					}
				}
			}
		}
	}
}

// kill closes the member's socket without a word, as a crash does.
func (m *groupMember) kill() {
	m.mu.Lock()
	m.stopped = true
	conn := m.conn
	m.mu.Unlock()
	conn.Conn().Close()
	<-m.done
}

// leave ends the stream with CopyDone.
func (m *groupMember) leave() {
	m.mu.Lock()
	m.stopped = true
	conn := m.conn
	m.mu.Unlock()
	// Sent here while the member's goroutine reads (pglogrepl's
	// SendStandbyCopyDone would read the answers itself); writes are
	// serialized by m.mu.
	m.mu.Lock()
	conn.Frontend().Send(&pgproto3.CopyDone{})
	err := conn.Frontend().Flush()
	m.mu.Unlock()
	if err != nil {
		m.t.Fatalf("%s: CopyDone: %v", m.name, err)
	}
	select {
	case <-m.done:
	case <-time.After(5 * time.Second):
		m.t.Errorf("%s: no end after CopyDone", m.name)
		conn.Conn().Close()
		<-m.done
	}
}

func (m *groupMember) idle() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.pending == 0
}

func TestConsumerGroup(t *testing.T) {
	dir := t.TempDir()
	srv := prkdbtest.Start(t, prkdbtest.Options{DataDir: dir})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	const keys = 40
	execAll(t, c, "CREATE TABLE gkv (k int PRIMARY KEY, v int NOT NULL)",
		"INSERT INTO gkv SELECT g, 0 FROM generate_series(0, 39) g",
		"CREATE PUBLICATION gpub FOR TABLE gkv",
		"SELECT * FROM pg_create_logical_replication_slot('grp', 'pgoutput')")
	counts := make([]int, keys)
	rng := rand.New(rand.NewSource(1))
	write := func(c *pgx.Conn, txns int) {
		t.Helper()
		for i := 0; i < txns; i++ {
			ks := []int{rng.Intn(keys), rng.Intn(keys), rng.Intn(keys)}
			if ks[1] == ks[0] || ks[2] == ks[0] || ks[2] == ks[1] {
				ks = ks[:1]
			}
			for _, k := range ks {
				counts[k]++
			}
			if _, err := c.Exec(ctx, "UPDATE gkv SET v = v + 1 WHERE k = ANY($1)", ks); err != nil {
				t.Fatal(err)
			}
		}
	}
	log := newGroupLog()
	wait := func(what string, members ...*groupMember) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			ok, missing := log.complete(counts)
			for _, m := range members {
				ok = ok && m.idle()
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				var st []string
				for _, m := range members {
					m.mu.Lock()
					st = append(st, fmt.Sprintf("%s pending %d rejoins %d stopped %v err %v", m.name, m.pending, m.rejoins, m.stopped, m.err))
					m.mu.Unlock()
				}
				t.Fatalf("%s: not delivered: %q; members %v", what, missing, st)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	check := func(what string) {
		t.Helper()
		problems := log.redelivered()
		log.mu.Lock()
		defer log.mu.Unlock()
		log.problems = append(log.problems, problems...)
		if len(log.problems) > 0 {
			t.Fatalf("%s: %d problems, first: %v", what, len(log.problems), log.problems[:min(5, len(log.problems))])
		}
	}
	assigned := func(c *pgx.Conn, want int) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			var parts, members int
			if err := c.QueryRow(ctx, "SELECT count(*), count(DISTINCT member) FROM prkdb_consumer_groups WHERE group_name = 'g1' AND member IS NOT NULL").Scan(&parts, &members); err != nil {
				t.Fatal(err)
			}
			if parts == 8 && members == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("prkdb_consumer_groups: %d partitions assigned to %d members, want 8 to %d", parts, members, want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}

	// Three members share the stream.
	m1 := startMember(t, srv.DSN, "m1", log)
	m2 := startMember(t, srv.DSN, "m2", log)
	m3 := startMember(t, srv.DSN, "m3", log)
	assigned(c, 3)
	write(c, 150)
	wait("three members", m1, m2, m3)
	check("three members")

	// m2 is killed in the middle of a batch: after its session timeout
	// its partitions, with what it had not acknowledged, go to the others.
	write(c, 50)
	m2.kill()
	write(c, 50)
	wait("after m2 was killed", m1, m3)
	assigned(c, 2)
	check("after m2 was killed")

	// m4 joins (taking partitions from m1 and m3), then m3 leaves with
	// CopyDone in the middle of a batch.
	m4 := startMember(t, srv.DSN, "m4", log)
	assigned(c, 3)
	write(c, 50)
	m3.leave()
	write(c, 50)
	wait("after m3 left", m1, m4)
	assigned(c, 2)
	check("after m3 left")
	var lag int64
	if err := c.QueryRow(ctx, "SELECT max(lag_records) FROM prkdb_consumer_groups WHERE group_name = 'g1'").Scan(&lag); err != nil {
		t.Fatal(err)
	}

	// Restart: the acknowledged offsets are durable; nothing acknowledged
	// comes again and the new changes all arrive.
	c.Close(ctx)
	srv.Stop()
	m1.kill()
	m4.kill()
	srv = prkdbtest.Start(t, prkdbtest.Options{DataDir: dir})
	c, err = pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	m1 = startMember(t, srv.DSN, "m1", log)
	m4 = startMember(t, srv.DSN, "m4", log)
	write(c, 100)
	wait("after restart", m1, m4)
	check("after restart")
	log.mu.Lock()
	t.Logf("%d distinct changes, %d redelivered before acknowledgement; rejoins after rebalance m1 %d m3 %d m4 %d; lag before restart %d",
		len(log.got), log.dups, m1.rejoins, m3.rejoins, m4.rejoins, lag)
	log.mu.Unlock()
	m4.kill()
	m1.kill()
}
