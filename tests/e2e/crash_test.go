package e2e

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// kill9Rounds is how many kill/restart rounds TestKill9UnderLoad runs;
// PRKDB_KILL9_ROUNDS raises it for a soak run.
func kill9Rounds(t *testing.T) int {
	n := 5
	if v := os.Getenv("PRKDB_KILL9_ROUNDS"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 {
			t.Fatalf("PRKDB_KILL9_ROUNDS=%q: want a positive integer", v)
		}
		n = m
	}
	return n
}

const (
	loadWriters = 4
	txnRows     = 3 // rows per multi-statement transaction
)

// loadSchema: every row names its commit group (grp = the first id of its
// transaction, or its own id for an autocommit INSERT) and the group's size,
// so a transaction visible in part is a group with fewer rows than its size.
// n is a bigserial with a unique index: a sequence value handed out again
// after a crash makes an INSERT fail with 23505, which the writers report.
const loadSchema = `CREATE TABLE load (
	id bigint PRIMARY KEY,
	grp bigint NOT NULL,
	size integer NOT NULL,
	writer integer NOT NULL,
	n bigserial UNIQUE,
	payload text)`

// ledger is what the clients know: every row they sent, and the rows of
// every commit the server acknowledged.
type ledger struct {
	attempted map[int64]int64 // id -> grp
	acked     map[int64]int64 // id -> grp
	ackedTxns map[int64]bool  // grp of every acknowledged 3-row transaction
}

// TestKill9UnderLoad: the binary with --sync fsync, SIGKILLed at a random
// moment (50-400 ms) under 4 concurrent writers (autocommit INSERTs and
// 3-row transactions), restarts on the same data directory with every
// acknowledged commit present, no transaction visible in part, no row that
// no client sent, and sequences that never hand out a value twice. Rounds
// append to the same table and each restart checks everything so far.
func TestKill9UnderLoad(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	rounds := kill9Rounds(t)
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0x6b696c6c39))
	t.Logf("seed %d, %d rounds", seed, rounds)

	led := &ledger{attempted: map[int64]int64{}, acked: map[int64]int64{}, ackedTxns: map[int64]bool{}}
	totalAcked := 0
	for round := 1; round <= rounds; round++ {
		p := startBinary(t, bin, dir)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		if round == 1 {
			c := connect(t, ctx, p.dsn)
			mustExec(t, ctx, c, "CREATE TABLE", loadSchema)
			mustExec(t, ctx, c, "CREATE INDEX", "CREATE INDEX load_grp_idx ON load (grp)")
			c.Close(ctx)
		} else {
			verifyLedger(t, ctx, p, led, fmt.Sprintf("restart before round %d", round))
		}
		delay := time.Duration(50+rng.IntN(351)) * time.Millisecond
		st := runLoadAndKill(t, ctx, p, round, delay, rng.Uint64(), led)
		cancel()
		totalAcked += st.commits
		t.Logf("round %d: SIGKILL %v into the load: %d commits acknowledged (%d autocommit INSERTs, %d %d-row transactions), %d rows sent",
			round, delay, st.commits, st.single, st.txns, txnRows, st.sent)
		if t.Failed() {
			t.Logf("server stderr (tail):\n%s", p.stderr.tail(30))
			return
		}
	}
	p := startBinary(t, bin, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	verifyLedger(t, ctx, p, led, "final restart")
	if totalAcked == 0 {
		t.Fatalf("no commit was acknowledged in %d rounds: the test proved nothing; server stderr:\n%s", rounds, p.stderr.tail(30))
	}
	t.Logf("total: %d commits acknowledged, %d rows acknowledged, %d rows sent over %d rounds",
		totalAcked, len(led.acked), len(led.attempted), rounds)
	if err := p.signal(t, syscall.SIGTERM, 30*time.Second); err != nil {
		t.Errorf("SIGTERM after the final check: %v; stderr:\n%s", err, p.stderr.tail(30))
	}
}

type roundStats struct{ commits, single, txns, sent int }

// writerLog is one writer's record, merged into the ledger after the kill.
type writerLog struct {
	attempted map[int64]int64
	acked     map[int64]int64
	txns      []int64
	single    int
	err       error // an unexpected error (the server answered with an error, or the connection broke before the kill)
}

// runLoadAndKill starts the writers, SIGKILLs the server delay after they
// all began, waits for them to notice, and merges what they saw into led.
func runLoadAndKill(t *testing.T, ctx context.Context, p *proc, round int, delay time.Duration, seed uint64, led *ledger) roundStats {
	t.Helper()
	conns := make([]*pgx.Conn, loadWriters)
	for i := range conns {
		conns[i] = connect(t, ctx, p.dsn)
	}
	var killed atomic.Bool
	logs := make([]*writerLog, loadWriters)
	var wg sync.WaitGroup
	begin := make(chan struct{})
	for w := range loadWriters {
		lg := &writerLog{attempted: map[int64]int64{}, acked: map[int64]int64{}}
		logs[w] = lg
		// Ids are unique across rounds and writers: round, writer, sequence.
		base := int64(round)*100_000_000 + int64(w)*10_000_000
		rng := rand.New(rand.NewPCG(seed, uint64(w)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-begin
			writeUntilKilled(ctx, conns[w], w, base, rng, lg, &killed)
		}()
	}
	close(begin)
	time.Sleep(delay)
	killed.Store(true)
	if err := p.signal(t, syscall.SIGKILL, 30*time.Second); err == nil {
		t.Errorf("round %d: SIGKILLed server exited with status 0", round)
	}
	wg.Wait()

	var st roundStats
	for w, lg := range logs {
		if lg.err != nil {
			t.Errorf("round %d writer %d: %v", round, w, lg.err)
		}
		for id, g := range lg.attempted {
			led.attempted[id] = g
		}
		for id, g := range lg.acked {
			led.acked[id] = g
		}
		for _, g := range lg.txns {
			led.ackedTxns[g] = true
		}
		st.single += lg.single
		st.txns += len(lg.txns)
		st.sent += len(lg.attempted)
	}
	st.commits = st.single + st.txns
	return st
}

// writeUntilKilled inserts until the connection breaks: three autocommit
// INSERTs (extended protocol) for each 3-row transaction (BEGIN, three
// INSERTs, COMMIT), in random order.
func writeUntilKilled(ctx context.Context, c *pgx.Conn, w int, base int64, rng *rand.Rand, lg *writerLog, killed *atomic.Bool) {
	const ins = "INSERT INTO load (id, grp, size, writer, payload) VALUES ($1, $2, $3, $4, $5)"
	next := base
	fail := func(err error) {
		var pe *pgconn.PgError
		if errors.As(err, &pe) || !killed.Load() {
			// The server answered with an error, or the connection broke
			// while the server was supposed to be up.
			lg.err = err
		}
	}
	for ctx.Err() == nil {
		if rng.IntN(4) != 0 {
			id := next
			next++
			lg.attempted[id] = id
			if _, err := c.Exec(ctx, ins, id, id, 1, w, fmt.Sprintf("w%d-%d", w, id)); err != nil {
				fail(err)
				return
			}
			lg.acked[id] = id
			lg.single++
			continue
		}
		grp := next
		next += txnRows
		tx, err := c.Begin(ctx)
		if err != nil {
			fail(err)
			return
		}
		for i := range int64(txnRows) {
			lg.attempted[grp+i] = grp
			if _, err := tx.Exec(ctx, ins, grp+i, grp, txnRows, w, fmt.Sprintf("w%d-%d", w, grp+i)); err != nil {
				fail(err)
				return
			}
		}
		if err := tx.Commit(ctx); err != nil {
			fail(err)
			return
		}
		for i := range int64(txnRows) {
			lg.acked[grp+i] = grp
		}
		lg.txns = append(lg.txns, grp)
	}
	if !killed.Load() {
		lg.err = fmt.Errorf("stopped before the kill: %v", ctx.Err())
	}
}

// verifyLedger checks the recovered table against what the clients know.
func verifyLedger(t *testing.T, ctx context.Context, p *proc, led *ledger, when string) {
	t.Helper()
	c := connect(t, ctx, p.dsn)
	defer c.Close(ctx)
	type row struct {
		grp  int64
		size int
		n    int64
	}
	present := map[int64]row{}
	rows, err := c.Query(ctx, "SELECT id, grp, size, n FROM load")
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	for rows.Next() {
		var id int64
		var r row
		if err := rows.Scan(&id, &r.grp, &r.size, &r.n); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		present[id] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", when, err)
	}

	var problems []string
	report := func(format string, args ...any) {
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	for id := range led.acked {
		if _, ok := present[id]; !ok {
			report("acknowledged row %d (group %d) is missing", id, led.acked[id])
		}
	}
	groups := map[int64]int{}
	sizes := map[int64]int{}
	ns := map[int64]int64{}
	for id, r := range present {
		g, ok := led.attempted[id]
		if !ok {
			report("row %d was never sent by a client", id)
			continue
		}
		if g != r.grp {
			report("row %d has group %d, sent with %d", id, r.grp, g)
		}
		groups[r.grp]++
		sizes[r.grp] = r.size
		if other, dup := ns[r.n]; dup {
			report("bigserial value %d given to rows %d and %d", r.n, other, id)
		}
		ns[r.n] = id
	}
	for g, n := range groups {
		if n != sizes[g] {
			report("transaction of group %d visible in part: %d of %d rows", g, n, sizes[g])
		}
	}
	// The secondary index after recovery: every acknowledged transaction,
	// looked up through load_grp_idx, has all its rows (a sample, to keep
	// the round short).
	txns := make([]int64, 0, len(led.ackedTxns))
	for g := range led.ackedTxns {
		txns = append(txns, g)
	}
	sort.Slice(txns, func(i, j int) bool { return txns[i] < txns[j] })
	for i := 0; i < len(txns); i += max(1, len(txns)/25) {
		var n int
		if err := c.QueryRow(ctx, "SELECT count(*) FROM load WHERE grp = $1", txns[i]).Scan(&n); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if n != txnRows {
			report("index lookup grp = %d found %d rows, want %d", txns[i], n, txnRows)
		}
	}
	for _, pr := range problems {
		t.Errorf("%s: %s", when, pr)
	}
	if len(problems) > 0 {
		t.Logf("server stderr (tail):\n%s", p.stderr.tail(30))
	}
}

// TestSIGTERMCleanShutdown: SIGTERM makes the binary exit 0 after a clean
// shutdown (it logs "stopped cleanly"), and a restart finds the data,
// including rows of an explicit transaction committed just before.
func TestSIGTERMCleanShutdown(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	p := startBinary(t, bin, dir)
	c := connect(t, ctx, p.dsn)
	mustExec(t, ctx, c, "CREATE TABLE", "CREATE TABLE kv (k serial PRIMARY KEY, v text NOT NULL)")
	mustExec(t, ctx, c, "INSERT 0 3", "INSERT INTO kv (v) VALUES ('one'), ('two'), ('three')")
	mustExec(t, ctx, c, "BEGIN", "BEGIN")
	mustExec(t, ctx, c, "UPDATE 1", "UPDATE kv SET v = 'TWO' WHERE k = 2")
	mustExec(t, ctx, c, "INSERT 0 1", "INSERT INTO kv (v) VALUES ('four')")
	mustExec(t, ctx, c, "COMMIT", "COMMIT")
	// An idle session stays connected across the signal: shutdown must not
	// wait for it to leave.
	err := p.signal(t, syscall.SIGTERM, 30*time.Second)
	var ee *exec.ExitError
	if err != nil {
		if errors.As(err, &ee) {
			t.Fatalf("SIGTERM: exit status %d, want 0; stderr:\n%s", ee.ExitCode(), p.stderr.tail(30))
		}
		t.Fatalf("SIGTERM: %v; stderr:\n%s", err, p.stderr.tail(30))
	}
	if tail := p.stderr.tail(5); !strings.Contains(tail, "stopped cleanly") {
		t.Errorf("no \"stopped cleanly\" in the log after SIGTERM:\n%s", tail)
	}

	p2 := startBinary(t, bin, dir)
	c2 := connect(t, ctx, p2.dsn)
	wantRows(t, ctx, c2, []string{"1|one", "2|TWO", "3|three", "4|four"}, "SELECT k, v FROM kv ORDER BY k")
	var k int
	if err := c2.QueryRow(ctx, "INSERT INTO kv (v) VALUES ('five') RETURNING k").Scan(&k); err != nil {
		t.Fatal(err)
	}
	if k != 5 {
		t.Errorf("serial after a clean shutdown gave %d, want 5", k)
	}
	if err := p2.signal(t, syscall.SIGTERM, 30*time.Second); err != nil {
		t.Errorf("second SIGTERM: %v; stderr:\n%s", err, p2.stderr.tail(30))
	}
}
