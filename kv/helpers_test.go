package kv

import (
	"fmt"
	"testing"
)

func openTest(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(Options{Dir: dir, Sync: SyncOff, CheckpointBytes: -1})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func k(i int) []byte { return []byte(fmt.Sprintf("key%06d", i)) }

func mustCommit(t testing.TB, txn *Txn) uint64 {
	t.Helper()
	lsn, err := txn.Commit()
	if err != nil {
		t.Fatalf("commit: %v", err)
	}
	return lsn
}

func put(t testing.TB, s *Store, key, val string) uint64 {
	t.Helper()
	txn := s.Begin(ReadCommitted)
	txn.Put([]byte(key), []byte(val))
	return mustCommit(t, txn)
}

func get(t testing.TB, txn *Txn, key string) (string, bool) {
	t.Helper()
	v, ok, err := txn.Get([]byte(key))
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	return string(v), ok
}

func scanAll(t testing.TB, txn *Txn, o ScanOptions) []string {
	t.Helper()
	it := txn.Scan(o)
	defer it.Close()
	var out []string
	for it.Next() {
		out = append(out, string(it.Key())+"="+string(it.Value()))
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	return out
}
