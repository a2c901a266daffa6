package kv

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// LockWait says what Txn.Lock does when another transaction holds the lock.
type LockWait int

const (
	LockBlock  LockWait = iota // wait (PostgreSQL's default)
	LockNoWait                 // fail at once with ErrLockNotAvailable (NOWAIT)
	LockSkip                   // report held without waiting (SKIP LOCKED)
)

// deadlockCheckAfter mirrors PostgreSQL's deadlock_timeout: a waiter looks
// for a cycle only after waiting this long, since most waits end sooner.
const deadlockCheckAfter = 200 * time.Millisecond

type keyLock struct {
	holder   *Txn
	released chan struct{} // closed when holder lets go
}

type lockShard struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

// lockTable holds exclusive row locks, sharded by key hash.
type lockTable struct {
	seed   maphash.Seed
	shards [64]lockShard
}

func newLockTable() *lockTable {
	lt := &lockTable{seed: maphash.MakeSeed()}
	for i := range lt.shards {
		lt.shards[i].locks = make(map[string]*keyLock)
	}
	return lt
}

func (lt *lockTable) shard(key []byte) *lockShard {
	return &lt.shards[maphash.Bytes(lt.seed, key)%uint64(len(lt.shards))]
}

// acquire takes the lock on key for t. It returns held=false with no error
// for LockSkip when another transaction holds it.
func (lt *lockTable) acquire(ctx context.Context, t *Txn, key []byte, wait LockWait) (bool, error) {
	sh := lt.shard(key)
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		sh.mu.Lock()
		l := sh.locks[string(key)]
		if l == nil {
			sh.locks[string(key)] = &keyLock{holder: t, released: make(chan struct{})}
			sh.mu.Unlock()
			t.locked = append(t.locked, key)
			return true, nil
		}
		if l.holder == t {
			sh.mu.Unlock()
			return true, nil
		}
		holder, released := l.holder, l.released
		sh.mu.Unlock()
		switch wait {
		case LockNoWait:
			return false, ErrLockNotAvailable
		case LockSkip:
			return false, nil
		}
		t.waitingFor.Store(holder)
		if timer == nil {
			timer = time.NewTimer(deadlockCheckAfter)
		}
		var done <-chan struct{}
		if ctx != nil {
			done = ctx.Done()
		}
		select {
		case <-released:
			t.waitingFor.Store(nil)
			continue
		case <-done:
			t.waitingFor.Store(nil)
			return false, ctx.Err()
		case <-timer.C:
			if waitCycle(t) {
				t.waitingFor.Store(nil)
				return false, ErrDeadlock
			}
			timer.Reset(deadlockCheckAfter)
			// Wait again on the same lock (loop re-reads the holder).
			t.waitingFor.Store(nil)
		}
	}
}

// waitCycle reports whether following waits-for edges from t leads back to t.
func waitCycle(t *Txn) bool {
	seen := 0
	for h := t.waitingFor.Load(); h != nil && seen < 1000; h = h.waitingFor.Load() {
		if h == t {
			return true
		}
		seen++
	}
	return false
}

// releaseAll drops every lock t holds and wakes their waiters.
func (lt *lockTable) releaseAll(t *Txn) {
	for _, key := range t.locked {
		sh := lt.shard(key)
		sh.mu.Lock()
		if l := sh.locks[string(key)]; l != nil && l.holder == t {
			delete(sh.locks, string(key))
			close(l.released)
		}
		sh.mu.Unlock()
	}
	t.locked = nil
}
