package kv

import (
	"fmt"
	"runtime"
	"testing"
)

func chainLen(s *Store, key []byte) int {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	it, ok := s.writer.Get(keyItem(key))
	if !ok {
		return 0
	}
	n := 0
	for v := it.c.head.Load(); v != nil; v = v.next.Load() {
		n++
	}
	return n
}

// TestOldVersionsCollected: an endless update loop over a fixed key set keeps
// memory flat: chains stay short and the heap does not grow with the number
// of updates.
func TestOldVersionsCollected(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	const keys = 1000
	val := make([]byte, 100)
	round := func() {
		txn := s.Begin(ReadCommitted)
		for i := 0; i < keys; i++ {
			txn.Put(k(i), val)
		}
		mustCommit(t, txn)
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for i := 0; i < 20; i++ {
		round()
	}
	before := heap()
	for i := 0; i < 500; i++ {
		round()
	}
	after := heap()
	for i := 0; i < keys; i += 97 {
		if n := chainLen(s, k(i)); n > 2 {
			t.Fatalf("key %d keeps %d versions", i, n)
		}
	}
	// 500 rounds wrote 50 MB of values; a flat heap grows by far less.
	if after > before+8<<20 {
		t.Fatalf("heap grew from %d to %d bytes over 500 update rounds", before, after)
	}
	// An open snapshot pins what it can see, and only that.
	old := s.Begin(RepeatableRead)
	round()
	round()
	if v, ok := get(t, old, string(k(1))); !ok || len(v) != 100 {
		t.Fatal("an open snapshot lost its version")
	}
	old.Rollback()
}

func TestDeletedKeysLeaveTheTree(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	for i := 0; i < 5000; i++ {
		put(t, s, fmt.Sprintf("d%05d", i), "x")
	}
	txn := s.Begin(ReadCommitted)
	for i := 0; i < 5000; i++ {
		txn.Delete([]byte(fmt.Sprintf("d%05d", i)))
	}
	mustCommit(t, txn)
	for i := 0; i < 70; i++ { // enough durable batches to trigger collection
		put(t, s, "tick", fmt.Sprint(i))
	}
	if n := s.Stats().Keys; n > 10 {
		t.Fatalf("%d keys remain in the tree after deleting them all", n)
	}
}
