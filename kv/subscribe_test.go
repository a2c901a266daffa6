package kv

import (
	"errors"
	"sync"
	"testing"
)

func TestSubscribeReplaysThenFollows(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, Sync: SyncOff, SegmentSize: 4096, CheckpointBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first := put(t, s, "k0", "v0")
	for i := 1; i < 200; i++ { // several segments
		put(t, s, string(k(i)), "v")
	}
	r, err := s.Subscribe(first)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 200; i < 400; i++ {
			put(t, s, string(k(i)), "v")
		}
	}()
	for want := first; want < first+400; want++ {
		rec, err := r.Next(nil)
		if err != nil {
			t.Fatal(err)
		}
		if rec.LSN != want || len(rec.Ops) != 1 {
			t.Fatalf("got LSN %d (%d ops), want %d", rec.LSN, len(rec.Ops), want)
		}
	}
	wg.Wait()
	done := make(chan struct{})
	close(done)
	if _, err := r.Next(done); !errors.Is(err, ErrClosed) {
		t.Fatalf("Next with done closed: %v", err)
	}
}

func TestRetentionHoldsTheLog(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, Sync: SyncOff, SegmentSize: 2048, CheckpointBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first := put(t, s, "a", "1")
	s.Retain("slot1", first)
	for i := 0; i < 300; i++ {
		put(t, s, string(k(i)), "v")
	}
	for i := 0; i < 3; i++ {
		if err := s.Checkpoint(); err != nil {
			t.Fatal(err)
		}
		put(t, s, "b", "x")
	}
	if r, err := s.Subscribe(first); err != nil {
		t.Fatalf("retained LSN not readable: %v", err)
	} else {
		r.Close()
	}
	s.Release("slot1")
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	put(t, s, "c", "y")
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subscribe(first); !errors.Is(err, ErrNotRetained) {
		t.Fatalf("released log still held, or wrong error: %v", err)
	}
}

// TestSubscribeRecordsStayValid: the reader returns records that alias its
// read chunks; records kept by the caller must not change as it reads on,
// including frames larger than a chunk and records read while following.
func TestSubscribeRecordsStayValid(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, Sync: SyncOff, SegmentSize: 1 << 20, CheckpointBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	value := func(i int) []byte {
		n := 10 + i%7*100
		if i%50 == 7 {
			n = 3*readerChunk + i // larger than a chunk
		}
		v := make([]byte, n)
		for j := range v {
			v[j] = byte(i + j)
		}
		return v
	}
	const total = 600
	first := put(t, s, string(k(0)), string(value(0)))
	for i := 1; i < total/2; i++ {
		put(t, s, string(k(i)), string(value(i)))
	}
	r, err := s.Subscribe(first)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		for i := total / 2; i < total; i++ {
			txn := s.Begin(ReadCommitted)
			txn.Put(k(i), value(i))
			if _, err := txn.Commit(); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var kept []*Record
	for i := 0; i < total; i++ {
		rec, err := r.Next(nil)
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, rec)
	}
	for i, rec := range kept {
		if rec.LSN != first+uint64(i) || len(rec.Ops) != 1 || string(rec.Ops[0].Key) != string(k(i)) ||
			string(rec.Ops[0].Value) != string(value(i)) {
			t.Fatalf("record %d changed or wrong after reading on (LSN %d)", i, rec.LSN)
		}
	}
}
