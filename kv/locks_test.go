package kv

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSharedLocks: sharers do not block each other; a sharer blocks an
// exclusive request until it ends; the only sharer may upgrade; an
// exclusive holder blocks sharers; lock waits end at the lock timeout.
func TestSharedLocks(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	key := []byte("row")
	a, b, c := s.Begin(ReadCommitted), s.Begin(ReadCommitted), s.Begin(ReadCommitted)
	for _, txn := range []*Txn{a, b} {
		if held, err := txn.LockShared(ctx, key, LockNoWait); !held || err != nil {
			t.Fatalf("second sharer: %v %v", held, err)
		}
	}
	if _, err := c.Lock(ctx, key, LockNoWait); !errors.Is(err, ErrLockNotAvailable) {
		t.Fatalf("exclusive over sharers: %v", err)
	}
	if held, _ := c.Lock(ctx, key, LockSkip); held {
		t.Fatal("SKIP LOCKED took a shared lock exclusively")
	}
	c.SetLockTimeout(50 * time.Millisecond)
	start := time.Now()
	if _, err := c.Lock(ctx, key, LockBlock); !errors.Is(err, ErrLockTimeout) {
		t.Fatalf("lock timeout: %v", err)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Fatalf("lock timeout after %v", d)
	}

	// c waits; it gets the lock once both sharers are gone, not before.
	c.SetLockTimeout(0)
	got := make(chan error, 1)
	go func() { _, err := c.Lock(ctx, key, LockBlock); got <- err }()
	a.Rollback()
	select {
	case err := <-got:
		t.Fatalf("exclusive granted while b still shares: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	b.Rollback()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	d := s.Begin(ReadCommitted)
	if _, err := d.LockShared(ctx, key, LockNoWait); !errors.Is(err, ErrLockNotAvailable) {
		t.Fatalf("sharer over an exclusive holder: %v", err)
	}
	c.Rollback()

	// The only sharer upgrades to exclusive.
	if _, err := d.LockShared(ctx, key, LockNoWait); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Lock(ctx, key, LockNoWait); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	e := s.Begin(ReadCommitted)
	if _, err := e.LockShared(ctx, key, LockNoWait); !errors.Is(err, ErrLockNotAvailable) {
		t.Fatalf("sharer over an upgraded lock: %v", err)
	}
	d.Rollback()
	if _, err := e.LockShared(ctx, key, LockNoWait); err != nil {
		t.Fatal(err)
	}
	e.Rollback()
}
