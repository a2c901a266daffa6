package kv

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func reopen(t *testing.T, s *Store, dir string) *Store {
	t.Helper()
	if s != nil {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return openTest(t, dir)
}

func contents(t *testing.T, s *Store) []string {
	t.Helper()
	txn := s.Begin(RepeatableRead)
	defer txn.Rollback()
	return scanAll(t, txn, ScanOptions{})
}

func TestRecoveryReplaysLogAndCheckpoint(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	put(t, s, "a", "1")
	put(t, s, "b", "2")
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	put(t, s, "a", "3")
	txn := s.Begin(ReadCommitted)
	txn.Delete([]byte("b"))
	txn.Put([]byte("c"), []byte("4"))
	last := mustCommit(t, txn)
	want := contents(t, s)
	s = reopen(t, s, dir)
	if got := contents(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("after restart %v, want %v", got, want)
	}
	if s.LastLSN() != last {
		t.Fatalf("LSN after restart %d, want %d", s.LastLSN(), last)
	}
	// LSNs continue where they stopped.
	if lsn := put(t, s, "d", "5"); lsn != last+1 {
		t.Fatalf("next LSN %d, want %d", lsn, last+1)
	}
	s.Close()
}

func walFiles(t *testing.T, dir string) []string {
	segs, err := listSegments(filepath.Join(dir, "wal"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range segs {
		out = append(out, s.path)
	}
	return out
}

func TestTornTailIsCut(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	put(t, s, "a", "1")
	put(t, s, "b", "2")
	s.Close()
	segs := walFiles(t, dir)
	path := segs[len(segs)-1]
	st, _ := os.Stat(path)
	// A crash in the middle of writing the last record: chop its last bytes.
	if err := os.Truncate(path, st.Size()-3); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir)
	if got := contents(t, s); !reflect.DeepEqual(got, []string{"a=1"}) {
		t.Fatalf("after torn tail %v", got)
	}
	// The log is usable again after the cut.
	put(t, s, "c", "3")
	s = reopen(t, s, dir)
	if got := contents(t, s); !reflect.DeepEqual(got, []string{"a=1", "c=3"}) {
		t.Fatalf("after reopen %v", got)
	}
	s.Close()
}

func TestCorruptMiddleRecordRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	put(t, s, "a", "first")
	put(t, s, "b", "second")
	put(t, s, "c", "third")
	s.Close()
	segs := walFiles(t, dir)
	data, _ := os.ReadFile(segs[0])
	i := strings.Index(string(data), "second")
	data[i] ^= 0xff
	os.WriteFile(segs[0], data, 0o644)
	_, err := Open(Options{Dir: dir, Sync: SyncOff})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), segs[0]) || !strings.Contains(err.Error(), "offset") {
		t.Fatalf("want ErrCorrupt naming file and offset, got %v", err)
	}
}

func TestCorruptNewestCheckpoint(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	put(t, s, "a", "1")
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	put(t, s, "b", "2")
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	put(t, s, "c", "3")
	want := contents(t, s)
	s.Close()
	lsns, _ := listCheckpoints(dir)
	if len(lsns) != 2 {
		t.Fatalf("want two checkpoints kept, have %v", lsns)
	}
	newest := ckptPath(dir, lsns[0])
	data, _ := os.ReadFile(newest)
	data[20] ^= 0x55
	os.WriteFile(newest, data, 0o644)
	// Falls back to the older checkpoint plus the log kept since it.
	s = openTest(t, dir)
	if got := contents(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("recovered %v, want %v", got, want)
	}
	s.Close()
	// With no valid checkpoint to fall back to, refuse to start.
	older := ckptPath(dir, lsns[1])
	data, _ = os.ReadFile(older)
	data[len(data)-1] ^= 0x01
	os.WriteFile(older, data, 0o644)
	_, err := Open(Options{Dir: dir, Sync: SyncOff})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "checkpoint") || !strings.Contains(err.Error(), "offset") {
		t.Fatalf("want ErrCorrupt naming the checkpoint and offset, got %v", err)
	}
}
