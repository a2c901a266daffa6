package kv

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

// The anomalies below follow Berenson et al., "A Critique of ANSI SQL
// Isolation Levels", and PostgreSQL's documentation of which levels allow them.

func TestNoDirtyReadAtAnyLevel(t *testing.T) {
	for _, iso := range []Isolation{ReadCommitted, RepeatableRead, Serializable} {
		s := openTest(t, t.TempDir())
		w := s.Begin(iso)
		w.Put([]byte("x"), []byte("dirty"))
		r := s.Begin(iso)
		r.RefreshSnapshot()
		if _, ok := get(t, r, "x"); ok {
			t.Fatalf("%v: dirty read", iso)
		}
		w.Rollback()
		r.Rollback()
		s.Close()
	}
}

func TestNonRepeatableRead(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	put(t, s, "x", "1")
	rc := s.Begin(ReadCommitted)
	rr := s.Begin(RepeatableRead)
	get(t, rc, "x")
	get(t, rr, "x")
	put(t, s, "x", "2")
	rc.RefreshSnapshot() // the next statement
	if v, _ := get(t, rc, "x"); v != "2" {
		t.Fatalf("read committed must see the new commit at its next statement, got %q", v)
	}
	if v, _ := get(t, rr, "x"); v != "1" {
		t.Fatalf("repeatable read must not see it, got %q", v)
	}
	rc.Rollback()
	rr.Rollback()
}

func TestLostUpdatePrevented(t *testing.T) {
	for _, iso := range []Isolation{RepeatableRead, Serializable} {
		s := openTest(t, t.TempDir())
		put(t, s, "counter", "10")
		a, b := s.Begin(iso), s.Begin(iso)
		va, _ := get(t, a, "counter")
		vb, _ := get(t, b, "counter")
		na, _ := strconv.Atoi(va)
		nb, _ := strconv.Atoi(vb)
		a.Put([]byte("counter"), []byte(strconv.Itoa(na+1)))
		b.Put([]byte("counter"), []byte(strconv.Itoa(nb+1)))
		mustCommit(t, a)
		if _, err := b.Commit(); !errors.Is(err, ErrConflict) {
			t.Fatalf("%v: second writer must fail with ErrConflict, got %v", iso, err)
		}
		s.Close()
	}
}

func TestLockBlocksAndReadCommittedRereads(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	put(t, s, "counter", "10")
	ctx := context.Background()
	a := s.Begin(ReadCommitted)
	if _, err := a.Lock(ctx, []byte("counter"), LockBlock); err != nil {
		t.Fatal(err)
	}
	a.Put([]byte("counter"), []byte("11"))
	got := make(chan string)
	go func() {
		b := s.Begin(ReadCommitted)
		if _, err := b.Lock(ctx, []byte("counter"), LockBlock); err != nil {
			got <- "error: " + err.Error()
			return
		}
		v, _, _ := b.GetLatest([]byte("counter"))
		n, _ := strconv.Atoi(string(v))
		b.Put([]byte("counter"), []byte(strconv.Itoa(n+1)))
		if _, err := b.Commit(); err != nil {
			got <- "error: " + err.Error()
			return
		}
		got <- "ok"
	}()
	select {
	case g := <-got:
		t.Fatalf("second locker did not wait: %s", g)
	case <-time.After(50 * time.Millisecond):
	}
	mustCommit(t, a)
	if g := <-got; g != "ok" {
		t.Fatal(g)
	}
	if v, _ := get(t, s.Begin(ReadCommitted), "counter"); v != "12" {
		t.Fatalf("counter = %s, want 12 (no lost update)", v)
	}
	// NOWAIT and SKIP LOCKED.
	c := s.Begin(ReadCommitted)
	c.Lock(ctx, []byte("counter"), LockBlock)
	d := s.Begin(ReadCommitted)
	if _, err := d.Lock(ctx, []byte("counter"), LockNoWait); !errors.Is(err, ErrLockNotAvailable) {
		t.Fatalf("NOWAIT: %v", err)
	}
	if held, err := d.Lock(ctx, []byte("counter"), LockSkip); held || err != nil {
		t.Fatalf("SKIP LOCKED: held=%v err=%v", held, err)
	}
	// Under repeatable read, a row changed after the snapshot cannot be locked.
	rr := s.Begin(RepeatableRead)
	c.Put([]byte("counter"), []byte("13"))
	mustCommit(t, c)
	if _, err := rr.Lock(ctx, []byte("counter"), LockBlock); !errors.Is(err, ErrConflict) {
		t.Fatalf("repeatable read lock after concurrent update: %v", err)
	}
	d.Rollback()
	rr.Rollback()
}

func TestDeadlockDetected(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	a, b := s.Begin(ReadCommitted), s.Begin(ReadCommitted)
	a.Lock(ctx, []byte("1"), LockBlock)
	b.Lock(ctx, []byte("2"), LockBlock)
	type result struct {
		txn *Txn
		err error
	}
	results := make(chan result, 2)
	go func() { _, err := a.Lock(ctx, []byte("2"), LockBlock); results <- result{a, err} }()
	go func() { _, err := b.Lock(ctx, []byte("1"), LockBlock); results <- result{b, err} }()
	victim := <-results
	if !errors.Is(victim.err, ErrDeadlock) {
		t.Fatalf("want ErrDeadlock, got %v", victim.err)
	}
	// The victim rolls back; the other then gets its lock. Each Txn is
	// used by one goroutine at a time: the survivor is rolled back only
	// once its Lock call has returned.
	victim.txn.Rollback()
	survivor := <-results
	if survivor.err != nil {
		t.Fatalf("survivor's lock: %v", survivor.err)
	}
	survivor.txn.Rollback()
}

func TestWriteSkew(t *testing.T) {
	// Two doctors on call; each checks that the other is on call and goes
	// off. SI allows both to commit (write skew); serializable must not.
	run := func(iso Isolation) error {
		s := openTest(t, t.TempDir())
		defer s.Close()
		txn := s.Begin(ReadCommitted)
		txn.Put([]byte("oncall/alice"), []byte("1"))
		txn.Put([]byte("oncall/bob"), []byte("1"))
		mustCommit(t, txn)
		a, b := s.Begin(iso), s.Begin(iso)
		count := func(x *Txn) int { return len(scanAll(t, x, ScanOptions{Prefix: []byte("oncall/")})) }
		if count(a) != 2 || count(b) != 2 {
			t.Fatal("setup")
		}
		a.Delete([]byte("oncall/alice"))
		b.Delete([]byte("oncall/bob"))
		mustCommit(t, a)
		_, err := b.Commit()
		return err
	}
	if err := run(RepeatableRead); err != nil {
		t.Fatalf("snapshot isolation allows write skew, got %v", err)
	}
	if err := run(Serializable); !errors.Is(err, ErrConflict) {
		t.Fatalf("serializable must reject write skew, got %v", err)
	}
}

func TestPhantom(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	put(t, s, "emp/1", "sales")
	// T1 counts employees and records the count; T2 inserts one concurrently.
	t1 := s.Begin(Serializable)
	n := len(scanAll(t, t1, ScanOptions{Prefix: []byte("emp/")}))
	t2 := s.Begin(Serializable)
	t2.Put([]byte("emp/2"), []byte("sales"))
	mustCommit(t, t2)
	t1.Put([]byte("headcount"), []byte(strconv.Itoa(n)))
	if _, err := t1.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("serializable must reject the phantom, got %v", err)
	}
	// A point read of an absent key is a predicate too.
	t3 := s.Begin(Serializable)
	get(t, t3, "emp/3")
	put(t, s, "emp/3", "ops")
	t3.Put([]byte("x"), []byte("y"))
	if _, err := t3.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("serializable must reject an insert of a key it read as absent, got %v", err)
	}
	// A scan stopped early only covers what it read.
	put(t, s, "r/1", "a")
	put(t, s, "r/5", "b")
	t4 := s.Begin(Serializable)
	it := t4.Scan(ScanOptions{Prefix: []byte("r/")})
	it.Next()
	it.Close()
	put(t, s, "r/9", "c")
	t4.Put([]byte("z"), []byte("1"))
	if _, err := t4.Commit(); err != nil {
		t.Fatalf("insert beyond the part of the range read must not conflict: %v", err)
	}
}
