package kv

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/tidwall/btree"
)

// Options configure Open.
type Options struct {
	Dir         string
	Sync        SyncMode
	SegmentSize int64 // WAL segment size; 0 = 16 MiB
	// CheckpointBytes starts a background checkpoint once the log has grown
	// this much since the last one; 0 = 256 MiB, <0 = never automatically.
	CheckpointBytes int64
	Logger          *slog.Logger
	// Now is the clock for commit timestamps (tests pass a controllable one).
	Now func() time.Time
}

// Store is the MVCC key-value store.
type Store struct {
	opts Options
	log  CommitLog
	lg   *slog.Logger

	commitMu sync.Mutex
	writer   *tree  // every key; guarded by commitMu
	nextLSN  uint64 // guarded by commitMu
	dead     []deadKey
	batches  int

	cur atomic.Pointer[view] // the newest published snapshot

	reg       [regShards]regShard // transactions holding a snapshot
	watermark atomic.Uint64       // no registered snapshot is older than this

	locks *lockTable

	retMu     sync.Mutex
	retention map[string]uint64

	ckptMu      sync.Mutex
	ckptLSN     uint64 // newest checkpoint
	prevCkptLSN uint64 // the one before it: the log is kept from here
	ckptRunning atomic.Bool
	sinceCkpt   atomic.Int64

	closed atomic.Bool
}

type deadKey struct {
	key string
	lsn uint64
}

// Open recovers the store in opts.Dir: newest valid checkpoint plus replay
// of the log after it. See OpenWAL for how damage is handled.
func Open(opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.CheckpointBytes == 0 {
		opts.CheckpointBytes = 256 << 20
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, err
	}
	s := &Store{opts: opts, lg: opts.Logger, locks: newLockTable(), retention: make(map[string]uint64)}
	t, ckpt, prev, err := loadNewestCheckpoint(opts.Dir, s.lg)
	if err != nil {
		return nil, err
	}
	s.writer, s.ckptLSN, s.prevCkptLSN = t, ckpt, prev
	rp := s.startReplay()
	w, last, err := openWAL(filepath.Join(opts.Dir, "wal"),
		WALOptions{Sync: opts.Sync, SegmentSize: opts.SegmentSize, Logger: s.lg}, ckpt, rp.record)
	rp.finish()
	if err != nil {
		return nil, err
	}
	s.log = w
	s.nextLSN = last + 1
	s.collectDead(last, len(s.dead))
	s.cur.Store(&view{ts: last, tree: s.writer.Copy()})
	s.watermark.Store(last)
	w.SetOnDurable(s.onDurable)
	return s, nil
}

// applyWrites installs a validated commit's versions in the writer tree:
// a known key gets the version prepended to its chain (no tree change, so no
// copy-on-write), a new key is inserted. Caller holds commitMu.
func (s *Store) applyWrites(cws []commitWrite, lsn uint64, watermark uint64) {
	var hint btree.PathHint // cws is sorted by key
	var chains []chain      // new keys' chains, one allocation per commit
	for i := range cws {
		cw := &cws[i]
		v := cw.v
		v.setLSN(lsn)
		if cw.c != nil {
			cw.c.prepend(v, watermark)
		} else {
			if len(chains) == 0 {
				chains = make([]chain, newKeys(cws[i:]))
			}
			c := &chains[0]
			chains = chains[1:]
			c.head.Store(v)
			s.writer.SetHint(item{key: bytesString(cw.key), c: c}, &hint)
		}
		if v.deleted() {
			s.dead = append(s.dead, deadKey{key: bytesString(cw.key), lsn: lsn})
		}
	}
}

// newKeys counts the writes of cws that create a key.
func newKeys(cws []commitWrite) int {
	n := 0
	for i := range cws {
		if cws[i].c == nil {
			n++
		}
	}
	return n
}

// onDurable runs on the log's goroutine after each durable advance: it
// publishes the snapshot that makes the new commits visible, then moves the
// GC watermark and drops dead keys no snapshot can see.
func (s *Store) onDurable(lsn uint64) {
	s.commitMu.Lock()
	s.cur.Store(&view{ts: lsn, tree: s.writer.Copy()})
	s.updateWatermark()
	s.batches++
	if len(s.dead) > 0 && (len(s.dead) > 4096 || s.batches%64 == 0) {
		s.collectDead(s.watermark.Load(), 16384)
	}
	s.commitMu.Unlock()
	if s.opts.CheckpointBytes > 0 && s.sinceCkpt.Load() >= s.opts.CheckpointBytes && s.ckptRunning.CompareAndSwap(false, true) {
		go func() {
			defer s.ckptRunning.Store(false)
			if err := s.Checkpoint(); err != nil && !errors.Is(err, ErrClosed) {
				s.lg.Error("kv: background checkpoint failed", "err", err)
			}
		}()
	}
}

// updateWatermark lowers the GC watermark to the oldest registered
// snapshot. Reading cur before scanning is safe: a transaction registering
// in a shard after the scan of that shard loads cur under the shard's lock,
// so it gets a snapshot at least as new as the one read here.
func (s *Store) updateWatermark() {
	w := s.cur.Load().ts
	for i := range s.reg {
		sh := &s.reg[i]
		sh.mu.Lock()
		for t := sh.head; t != nil; t = t.regNext {
			if ts := t.snapTS.Load(); ts < w {
				w = ts
			}
		}
		sh.mu.Unlock()
	}
	s.watermark.Store(w)
}

// collectDead removes keys whose newest version is a tombstone no snapshot
// can see past. Caller holds commitMu.
func (s *Store) collectDead(watermark uint64, budget int) {
	n := 0
	for n < len(s.dead) && n < budget && s.dead[n].lsn <= watermark {
		d := s.dead[n]
		if it, ok := s.writer.Get(item{key: d.key}); ok {
			if h := it.c.head.Load(); h != nil && h.deleted() && h.lsn() <= watermark {
				s.writer.Delete(item{key: d.key})
			}
		}
		n++
	}
	s.dead = append(s.dead[:0], s.dead[n:]...)
}

// regShards spreads registration over several locks so that concurrent
// Begins and Commits on different cores rarely meet on one.
const regShards = 16

// regShard is one lock and an intrusive list of registered transactions
// (no map: registering is two pointer writes), padded to its own cache line.
type regShard struct {
	mu   sync.Mutex
	head *Txn
	n    int
	_    [40]byte
}

func (s *Store) shardFor(t *Txn) *regShard {
	// Transactions are heap objects that do not move; their address is a
	// cheap, well-spread shard key.
	h := uint64(uintptr(unsafe.Pointer(t))) * 0x9e3779b97f4a7c15
	return &s.reg[h>>(64-4)]
}

// register adds t to the active set with the newest snapshot.
func (s *Store) register(t *Txn) {
	sh := s.shardFor(t)
	sh.mu.Lock()
	v := s.cur.Load()
	t.view = v
	t.snapTS.Store(v.ts)
	t.regNext = sh.head
	if sh.head != nil {
		sh.head.regPrev = t
	}
	sh.head = t
	sh.n++
	t.regShard = sh
	sh.mu.Unlock()
}

func (s *Store) refresh(t *Txn) {
	sh := t.regShard
	if sh == nil {
		return
	}
	sh.mu.Lock()
	v := s.cur.Load()
	t.view = v
	t.snapTS.Store(v.ts)
	sh.mu.Unlock()
}

// unregister removes t from the active set; a second call is a no-op.
func (s *Store) unregister(t *Txn) {
	sh := t.regShard
	if sh == nil {
		return
	}
	sh.mu.Lock()
	if t.regPrev != nil {
		t.regPrev.regNext = t.regNext
	} else {
		sh.head = t.regNext
	}
	if t.regNext != nil {
		t.regNext.regPrev = t.regPrev
	}
	t.regPrev, t.regNext, t.regShard = nil, nil, nil
	sh.n--
	sh.mu.Unlock()
}

// Begin starts a transaction reading the newest snapshot.
func (s *Store) Begin(iso Isolation) *Txn {
	t := &Txn{s: s, iso: iso}
	s.register(t)
	t.startTS = t.view.ts
	return t
}

// LastLSN is the LSN of the newest visible commit.
func (s *Store) LastLSN() uint64 { return s.cur.Load().ts }

// Log exposes the commit log (stream/ reads it; raft/ replaces it).
func (s *Store) Log() CommitLog { return s.log }

// Subscribe reads committed records from LSN from onwards, following new
// commits. from must still be retained (see Retain).
func (s *Store) Subscribe(from uint64) (LogReader, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	return s.log.NewReader(from)
}

// Retain holds the log from lsn onwards under name (a replication slot,
// say) until Release or a later Retain of the same name.
func (s *Store) Retain(name string, lsn uint64) {
	s.retMu.Lock()
	s.retention[name] = lsn
	s.retMu.Unlock()
}

// Release drops the hold named name.
func (s *Store) Release(name string) {
	s.retMu.Lock()
	delete(s.retention, name)
	s.retMu.Unlock()
}

func (s *Store) minRetained() (uint64, bool) {
	s.retMu.Lock()
	defer s.retMu.Unlock()
	var m uint64
	ok := false
	for _, lsn := range s.retention {
		if !ok || lsn < m {
			m, ok = lsn, true
		}
	}
	return m, ok
}

// Stats is a point-in-time summary for metrics and tests.
type Stats struct {
	Keys          int
	LastLSN       uint64
	Watermark     uint64
	ActiveTxns    int
	CheckpointLSN uint64
	LogFirstLSN   uint64
}

func (s *Store) Stats() Stats {
	s.commitMu.Lock()
	keys := s.writer.Len()
	s.commitMu.Unlock()
	n := 0
	for i := range s.reg {
		s.reg[i].mu.Lock()
		n += s.reg[i].n
		s.reg[i].mu.Unlock()
	}
	s.ckptMu.Lock()
	ck := s.ckptLSN
	s.ckptMu.Unlock()
	return Stats{Keys: keys, LastLSN: s.LastLSN(), Watermark: s.watermark.Load(), ActiveTxns: n,
		CheckpointLSN: ck, LogFirstLSN: s.log.FirstLSN()}
}

// Close flushes the log and stops the store. It does not checkpoint: the
// server calls Checkpoint first on a clean shutdown.
func (s *Store) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return nil
	}
	s.ckptMu.Lock() // wait for a running checkpoint
	defer s.ckptMu.Unlock()
	if err := s.log.Close(); err != nil {
		return fmt.Errorf("kv: close log: %w", err)
	}
	return nil
}
