package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/tidwall/btree"
)

// Isolation levels, as PostgreSQL names them.
type Isolation uint8

const (
	ReadCommitted  Isolation = iota // a new snapshot per statement (RefreshSnapshot)
	RepeatableRead                  // snapshot isolation, first committer wins
	Serializable                    // SI plus validation of reads and scanned ranges
)

func (i Isolation) String() string {
	switch i {
	case ReadCommitted:
		return "read committed"
	case RepeatableRead:
		return "repeatable read"
	default:
		return "serializable"
	}
}

// KeyExistsError is returned by Commit when a PutNew key already has a live
// version. errors.Is(err, ErrKeyExists) holds.
type KeyExistsError struct{ Key []byte }

func (e *KeyExistsError) Error() string        { return fmt.Sprintf("kv: key %q already exists", e.Key) }
func (e *KeyExistsError) Is(target error) bool { return target == ErrKeyExists }

type keyRange struct{ start, end []byte } // end exclusive; nil = unbounded

// Txn is one transaction. A Txn is used by one goroutine at a time.
type Txn struct {
	s       *Store
	iso     Isolation
	done    bool
	view    *view
	startTS uint64        // snapshot for conflict checks (SI, serializable)
	snapTS  atomic.Uint64 // oldest snapshot this txn may still read (GC)

	// registration (guarded by regShard.mu while registered)
	regShard         *regShard
	regPrev, regNext *Txn

	ws     writeSet
	reads  [][]byte   // serializable: keys read
	ranges []keyRange // serializable: ranges scanned
	atts   []Attachment
	// frozen: Get/Scan read frozenWS instead of ws (FreezeOwnWrites).
	frozen   bool
	frozenWS *btree.BTreeG[write]

	locked     [][]byte
	waitingFor atomic.Pointer[Txn]
	// lockTimeout bounds lock waits (SetLockTimeout).
	lockTimeout time.Duration
	// readHint, latestHint: point reads of nearby keys one after another
	// (an ascending batch, its foreign key or uniqueness checks) start
	// their descent where the previous one ended.
	readHint, latestHint btree.PathHint
}

// Isolation returns the transaction's isolation level.
func (t *Txn) Isolation() Isolation { return t.iso }

// SnapshotLSN is the LSN the transaction currently reads at.
func (t *Txn) SnapshotLSN() uint64 { return t.view.ts }

// RefreshSnapshot moves a READ COMMITTED transaction to the newest
// snapshot; the SQL layer calls it at the start of every statement. It is a
// no-op for the other levels.
func (t *Txn) RefreshSnapshot() {
	if t.iso == ReadCommitted && !t.done {
		t.s.refresh(t)
	}
}

// FreezeOwnWrites makes Get and Scan see the transaction's own writes as
// they are now, not those made later, until ThawOwnWrites: the sub-statements
// of a statement with data-modifying WITH queries all read one snapshot, so
// the main query does not see what the WITH queries changed (PostgreSQL's
// command-id visibility). GetLatest and LatestOwn scans still see everything.
func (t *Txn) FreezeOwnWrites() {
	t.frozen = true
	t.frozenWS = nil
	if t.ws.t != nil {
		t.frozenWS = t.ws.t.Copy()
	}
}

// ThawOwnWrites ends FreezeOwnWrites.
func (t *Txn) ThawOwnWrites() { t.frozen, t.frozenWS = false, nil }

// ownForReads is the own-write tree Get and Scan consult.
func (t *Txn) ownForReads() *btree.BTreeG[write] {
	if t.frozen {
		return t.frozenWS
	}
	return t.ws.t
}

// Get reads key: the transaction's own write if any, else the snapshot.
// The returned value must not be modified.
func (t *Txn) Get(key []byte) ([]byte, bool, error) {
	if t.done {
		return nil, false, ErrTxnDone
	}
	var w write
	var mine bool
	if t.frozen {
		if t.frozenWS != nil {
			w, mine = t.frozenWS.Get(write{key: key})
		}
	} else {
		w, mine = t.ws.get(key)
	}
	if mine {
		if w.deleted {
			return nil, false, nil
		}
		return w.value, true, nil
	}
	if t.iso == Serializable {
		t.reads = append(t.reads, bytes.Clone(key))
	}
	it, ok := t.view.tree.GetHint(keyItem(key), &t.readHint)
	if !ok {
		return nil, false, nil
	}
	v := it.c.visible(t.view.ts)
	if v == nil || v.deleted() {
		return nil, false, nil
	}
	return v.valueBytes(), true, nil
}

// GetLatest reads the newest committed version of key, ignoring the
// snapshot: READ COMMITTED re-reads a row this way after waiting for its
// lock, as PostgreSQL's EvalPlanQual does.
func (t *Txn) GetLatest(key []byte) ([]byte, bool, error) {
	if t.done {
		return nil, false, ErrTxnDone
	}
	if w, ok := t.ws.get(key); ok {
		if w.deleted {
			return nil, false, nil
		}
		return w.value, true, nil
	}
	v := t.s.cur.Load()
	it, ok := v.tree.GetHint(keyItem(key), &t.latestHint)
	if !ok {
		return nil, false, nil
	}
	ver := it.c.visible(v.ts)
	if ver == nil || ver.deleted() {
		return nil, false, nil
	}
	return ver.valueBytes(), true, nil
}

// Put writes key=value. key and value must not be modified afterwards.
func (t *Txn) Put(key, value []byte) error {
	if t.done {
		return ErrTxnDone
	}
	t.ws.set(write{key: key, value: value})
	return nil
}

// PutNew writes key=value and makes the commit fail with ErrKeyExists if
// the key has a live version then (primary and unique keys).
func (t *Txn) PutNew(key, value []byte) error {
	if t.done {
		return ErrTxnDone
	}
	t.ws.set(write{key: key, value: value, mustNotExist: true})
	return nil
}

// Delete removes key.
func (t *Txn) Delete(key []byte) error {
	if t.done {
		return ErrTxnDone
	}
	t.ws.set(write{key: key, deleted: true})
	return nil
}

// Attach adds opaque data to the commit record (DDL, NOTIFY, sequences).
// Attachments are kept even if a savepoint is rolled back; layers that need
// savepoint semantics for them filter before attaching.
func (t *Txn) Attach(kind uint8, data []byte) {
	t.atts = append(t.atts, Attachment{Kind: kind, Data: data})
}

// Lock takes the exclusive row lock on key, waiting for its holder as
// wait says. Under REPEATABLE READ and SERIALIZABLE, finding that the key
// changed after this transaction's snapshot fails with ErrConflict, as
// PostgreSQL's "could not serialize access due to concurrent update".
// held is false only with LockSkip when another transaction holds it.
func (t *Txn) Lock(ctx context.Context, key []byte, wait LockWait) (held bool, err error) {
	return t.lock(ctx, key, wait, false)
}

// LockShared takes key's lock in shared mode (FOR SHARE, foreign key
// checks): shared holders do not block each other, and block and are
// blocked by exclusive ones. Otherwise it behaves as Lock.
func (t *Txn) LockShared(ctx context.Context, key []byte, wait LockWait) (held bool, err error) {
	return t.lock(ctx, key, wait, true)
}

func (t *Txn) lock(ctx context.Context, key []byte, wait LockWait, shared bool) (held bool, err error) {
	if t.done {
		return false, ErrTxnDone
	}
	held, err = t.s.locks.acquire(ctx, t, key, wait, shared)
	if err != nil || !held {
		return held, err
	}
	if t.iso != ReadCommitted {
		if it, ok := t.s.cur.Load().tree.Get(keyItem(key)); ok {
			if h := it.c.head.Load(); h != nil && h.lsn() > t.startTS {
				return true, ErrConflict
			}
		}
	}
	return true, nil
}

// SetLockTimeout bounds every later lock wait of t (0: no bound); a wait
// that lasts longer fails with ErrLockTimeout.
func (t *Txn) SetLockTimeout(d time.Duration) { t.lockTimeout = d }

// Savepoint opens a savepoint and returns its id (ids nest: a rollback to
// an outer one discards the inner ones).
func (t *Txn) Savepoint() int { return t.ws.savepoint() }

// RollbackTo undoes the writes made since savepoint id, keeping it open.
func (t *Txn) RollbackTo(id int) error {
	if !t.ws.rollbackTo(id) {
		return ErrNoSavepoint
	}
	return nil
}

// ReleaseSavepoint forgets savepoint id (and later ones), keeping writes.
func (t *Txn) ReleaseSavepoint(id int) error {
	if !t.ws.release(id) {
		return ErrNoSavepoint
	}
	return nil
}

// Rollback abandons the transaction. Safe to call after Commit.
func (t *Txn) Rollback() {
	if t.done {
		return
	}
	t.finish()
}

func (t *Txn) finish() {
	t.done = true
	t.s.unregister(t)
	if len(t.locked) > 0 {
		t.s.locks.releaseAll(t)
	}
}

// Commit validates, logs and applies the transaction, returning once its
// record is durable. A read-only transaction commits at its snapshot LSN.
// Failure modes: ErrConflict (retry), *KeyExistsError, ErrLogFailed (the
// store is unusable), ErrClosed.
// Empty reports whether the transaction has written nothing and attached
// nothing, so that its commit has no record (and waits for nothing).
func (t *Txn) Empty() bool { return t.ws.len() == 0 && len(t.atts) == 0 }

func (t *Txn) Commit() (uint64, error) {
	if t.done {
		return 0, ErrTxnDone
	}
	defer t.finish()
	if t.Empty() {
		return t.view.ts, nil
	}
	s := t.s
	if s.closed.Load() {
		return 0, ErrClosed
	}
	// Everything that does not need the commit mutex is done before it:
	// the record is encoded and the versions allocated, so the serialized
	// part is only validation and linking versions into the writer tree.
	n := t.ws.len()
	ops := make([]Op, 0, n)
	cws := make([]commitWrite, 0, n)
	// One allocation for all the commit's versions: a bulk load would
	// otherwise allocate (and the GC track) an object per key. The block
	// lives until its last version is collected.
	versions := make([]version, n)
	if t.ws.t != nil {
		t.ws.t.Scan(func(w write) bool {
			op := Op{Kind: OpPut, Key: w.key, Value: w.value}
			if w.deleted {
				op = Op{Kind: OpDelete, Key: w.key}
			}
			v := &versions[len(ops)]
			v.init(0, op.Value, w.deleted)
			ops = append(ops, op)
			cws = append(cws, commitWrite{key: w.key, mustNotExist: w.mustNotExist, v: v})
			return true
		})
	}
	payload := encodePayload(make([]byte, 0, payloadSize(ops, t.atts)), ops, t.atts)

	s.commitMu.Lock()
	if err := s.log.Err(); err != nil {
		s.commitMu.Unlock()
		return 0, err
	}
	if err := t.validate(cws); err != nil {
		s.commitMu.Unlock()
		return 0, err
	}
	lsn := s.nextLSN
	s.nextLSN++
	patchPayloadHeader(payload, lsn, s.opts.Now().UnixMicro())
	s.applyWrites(cws, lsn, s.watermark.Load())
	durable := s.log.Append(lsn, payload)
	s.commitMu.Unlock()
	s.unregister(t) // it reads nothing more: let GC move past its snapshot
	s.sinceCkpt.Add(int64(len(payload)))

	<-durable
	if err := s.log.Err(); err != nil {
		return 0, err
	}
	return lsn, nil
}

// commitWrite is one key of a commit on its way into the writer tree: the
// version to install (allocated before the commit mutex is taken) and the
// key's chain if validation found the key (nil: a new key).
type commitWrite struct {
	key          []byte
	v            *version
	c            *chain
	mustNotExist bool
}

// validate runs under commitMu against the writer tree, which holds every
// commit already ordered before this one (durable or not). It records each
// written key's chain in cws so that applyWrites need not look it up again.
func (t *Txn) validate(cws []commitWrite) error {
	w := t.s.writer
	var hint btree.PathHint // cws is sorted: successive lookups share a path
	for i := range cws {
		cw := &cws[i]
		it, ok := w.GetHint(keyItem(cw.key), &hint)
		if !ok {
			continue
		}
		cw.c = it.c
		h := it.c.head.Load()
		if cw.mustNotExist && h != nil && !h.deleted() {
			return &KeyExistsError{Key: cw.key}
		}
		if t.iso != ReadCommitted && h != nil && h.lsn() > t.startTS {
			return ErrConflict
		}
	}
	if t.iso != Serializable {
		return nil
	}
	for _, k := range t.reads {
		if it, ok := w.Get(keyItem(k)); ok {
			if h := it.c.head.Load(); h != nil && h.lsn() > t.startTS {
				return ErrReadConflict
			}
		}
	}
	for _, r := range t.ranges {
		changed := false
		w.Ascend(keyItem(r.start), func(it item) bool {
			if r.end != nil && it.key >= bytesString(r.end) {
				return false
			}
			if h := it.c.head.Load(); h != nil && h.lsn() > t.startTS {
				changed = true
				return false
			}
			return true
		})
		if changed {
			return ErrReadConflict
		}
	}
	return nil
}

// IsRetryable reports whether err means "run the transaction again".
func IsRetryable(err error) bool {
	return errors.Is(err, ErrConflict) || errors.Is(err, ErrDeadlock)
}
