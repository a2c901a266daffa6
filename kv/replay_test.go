package kv

import (
	"fmt"
	"testing"
)

// TestReplayKeepsLogOrder: recovery sorts the replayed records by key to
// insert them; for a key written many times in the log (puts, deletes,
// re-puts, some in one record with other keys), the newest write must win.
func TestReplayKeepsLogOrder(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	want := map[string]string{}
	for i := 0; i < 3000; i++ {
		txn := s.Begin(ReadCommitted)
		key := fmt.Sprintf("k%02d", i%37)
		switch i % 5 {
		case 3:
			txn.Delete([]byte(key))
			delete(want, key)
		default:
			v := fmt.Sprint(i)
			txn.Put([]byte(key), []byte(v))
			want[key] = v
		}
		other := fmt.Sprintf("o%04d", i)
		txn.Put([]byte(other), []byte("x"))
		want[other] = "x"
		mustCommit(t, txn)
	}
	s.Close()
	s = openTest(t, dir)
	defer s.Close()
	txn := s.Begin(RepeatableRead)
	defer txn.Rollback()
	got := map[string]string{}
	for _, kv := range scanAll(t, txn, ScanOptions{}) {
		var k, v string
		for i := range kv {
			if kv[i] == '=' {
				k, v = kv[:i], kv[i+1:]
				break
			}
		}
		got[k] = v
	}
	if len(got) != len(want) {
		t.Fatalf("%d keys after recovery, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("key %s = %q after recovery, want %q", k, got[k], v)
		}
	}
	if n := s.Stats().Keys; n != len(want) {
		t.Fatalf("tree holds %d keys (tombstones not collected?), want %d", n, len(want))
	}
}
