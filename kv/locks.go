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

// keyLock is one key's lock: held exclusively by holder, or shared by
// sharers (FOR SHARE, foreign key checks). released is closed, and
// replaced, whenever a holder lets go, waking every waiter to look again.
type keyLock struct {
	holder   *Txn
	sharers  map[*Txn]struct{}
	released chan struct{}
}

// blocker returns a transaction other than t that keeps t from taking the
// lock in the mode asked, or nil if t may take it.
func (l *keyLock) blocker(t *Txn, shared bool) *Txn {
	if l.holder != nil {
		if l.holder == t {
			return nil
		}
		return l.holder
	}
	if shared {
		return nil
	}
	for s := range l.sharers {
		if s != t {
			return s
		}
	}
	return nil
}

type lockShard struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

// lockTable holds row locks, sharded by key hash.
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

// acquire takes the lock on key for t, shared or exclusive. It returns
// held=false with no error for LockSkip when another transaction holds it.
// An exclusive request by the only sharer upgrades the lock.
func (lt *lockTable) acquire(ctx context.Context, t *Txn, key []byte, wait LockWait, shared bool) (bool, error) {
	sh := lt.shard(key)
	var timer, timeout *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
		if timeout != nil {
			timeout.Stop()
		}
	}()
	for {
		sh.mu.Lock()
		l := sh.locks[string(key)]
		if l == nil {
			l = &keyLock{released: make(chan struct{})}
			sh.locks[string(key)] = l
		}
		blocker := l.blocker(t, shared)
		if blocker == nil {
			_, sharing := l.sharers[t]
			isNew := l.holder != t && !sharing
			switch {
			case l.holder == t:
			case shared:
				if l.sharers == nil {
					l.sharers = map[*Txn]struct{}{}
				}
				l.sharers[t] = struct{}{}
			default:
				delete(l.sharers, t)
				l.holder = t
			}
			sh.mu.Unlock()
			if isNew {
				t.locked = append(t.locked, key)
			}
			return true, nil
		}
		released := l.released
		sh.mu.Unlock()
		switch wait {
		case LockNoWait:
			return false, ErrLockNotAvailable
		case LockSkip:
			return false, nil
		}
		t.waitingFor.Store(blocker)
		if timer == nil {
			timer = time.NewTimer(deadlockCheckAfter)
		}
		var expired <-chan time.Time
		if t.lockTimeout > 0 {
			if timeout == nil {
				timeout = time.NewTimer(t.lockTimeout)
			}
			expired = timeout.C
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
		case <-expired:
			t.waitingFor.Store(nil)
			return false, ErrLockTimeout
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
		if l := sh.locks[string(key)]; l != nil {
			if l.holder == t {
				l.holder = nil
			}
			delete(l.sharers, t)
			close(l.released)
			if l.holder == nil && len(l.sharers) == 0 {
				delete(sh.locks, string(key))
			} else {
				l.released = make(chan struct{})
			}
		}
		sh.mu.Unlock()
	}
	t.locked = nil
}
