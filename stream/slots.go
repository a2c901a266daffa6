package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
)

// Replication slots: durable consumer offsets on the commit log.
//
// A slot is a name, an output plugin, a database and a confirmed position
// (confirmed_flush_lsn, in client LSNs; see lsn.go). Everything committed
// after the confirmed position is delivered to the slot's consumer; the log
// is retained from the first record not yet confirmed (kv.Store.Retain
// under "slot/<name>"), so a checkpoint never removes what a slot still
// needs. A slot that would hold more than MaxKeepBytes of log is
// invalidated ("lost") and its hold released, as PostgreSQL's
// max_slot_wal_keep_size.
//
// Persistent slots are kv keys 'r' | name (JSON), written in their own
// small commits when created, dropped, advanced or invalidated; a confirm
// is durable before Confirm returns, so an acknowledged change is never
// redelivered after a crash. Temporary slots live in memory and end with
// their session.

// Slot errors (mapped to SQLSTATEs by the SQL layer).
var (
	ErrSlotExists      = errors.New("replication slot already exists")
	ErrSlotNotFound    = errors.New("replication slot does not exist")
	ErrSlotActive      = errors.New("replication slot is active")
	ErrSlotInvalidName = errors.New("invalid replication slot name")
	ErrSlotLost        = errors.New("replication slot has been invalidated")
	ErrSlotOtherDB     = errors.New("replication slot was not created in this database")
)

// slotKeyPrefix: the kv key space of slots (see sql/catalog/keys.go).
const slotKeyPrefix = 'r'

// DefaultMaxWALSize is what wal_status calls "reserved" (max_wal_size).
const DefaultMaxWALSize = 1 << 30

// SlotInfo is a slot's durable state.
type SlotInfo struct {
	Name      string `json:"name"`
	Plugin    string `json:"plugin"`
	Database  uint32 `json:"db"`
	Confirmed uint64 `json:"confirmed"` // confirmed_flush_lsn
	Lost      bool   `json:"lost,omitempty"`
	Temporary bool   `json:"-"`
}

// SlotStatus is a slot as pg_replication_slots shows it.
type SlotStatus struct {
	SlotInfo
	ActivePID     int32
	RestartLSN    uint64 // where decoding restarts: FirstLSN of the first undelivered record
	RetainedBytes int64
	WALStatus     string // reserved, extended, unreserved, lost
	SafeWALSize   int64  // -1: unlimited (NULL)
	// Sender is set while a walsender streams from the slot.
	Sender *SenderStats
}

// SenderStats is what pg_stat_replication shows of a streaming walsender.
type SenderStats struct {
	PID             int32
	ApplicationName string
	ClientAddr      string
	Start           time.Time
	Sent            atomic.Uint64
	Write           atomic.Uint64
	Flush           atomic.Uint64
	Apply           atomic.Uint64
	ReplyTime       atomic.Int64 // Unix µs of the last standby status update
}

type slot struct {
	info   SlotInfo
	active int32 // PID of the session using it, 0 if none
	owner  int32 // temporary slots: the session that created it
	sender *SenderStats
}

// Slots is the node's set of replication slots.
type Slots struct {
	store *kv.Store

	mu    sync.Mutex
	slots map[string]*slot
	// changed is closed and replaced when a slot is released or dropped
	// (DROP_REPLICATION_SLOT WAIT waits on it).
	changed chan struct{}

	// logical counts slots: while > 0 sessions record logical changes.
	logical atomic.Int32
	// maxKeep is max_slot_wal_keep_size in bytes (-1 = unlimited).
	maxKeep atomic.Int64
	checks  periodic
}

// OpenSlots loads the persistent slots of store and holds the log for
// each. The checker goroutine invalidates slots past max_slot_wal_keep_size.
func OpenSlots(store *kv.Store) (*Slots, error) {
	s := &Slots{store: store, slots: map[string]*slot{}, changed: make(chan struct{})}
	s.maxKeep.Store(-1)
	txn := store.Begin(kv.ReadCommitted)
	it := txn.Scan(kv.ScanOptions{Prefix: []byte{slotKeyPrefix}})
	for it.Next() {
		var info SlotInfo
		if err := json.Unmarshal(it.Value(), &info); err != nil {
			it.Close()
			txn.Rollback()
			return nil, fmt.Errorf("stream: slot %q: %w", it.Key(), err)
		}
		s.slots[info.Name] = &slot{info: info}
		s.logical.Add(1)
		if !info.Lost {
			store.Retain(retainKey(info.Name), FirstUndelivered(info.Confirmed))
		}
	}
	err := it.Err()
	it.Close()
	txn.Rollback()
	if err != nil {
		return nil, err
	}
	s.checks.start(time.Second, func() { s.CheckLimits() })
	return s, nil
}

// Close stops the checker.
func (s *Slots) Close() { s.checks.stop() }

func retainKey(name string) string { return "slot/" + name }

func slotKey(name string) []byte { return append([]byte{slotKeyPrefix}, name...) }

// Active reports whether any slot exists: sessions then attach logical
// changes to their commits.
func (s *Slots) Active() bool { return s.logical.Load() > 0 }

// SetMaxKeepBytes sets max_slot_wal_keep_size (-1 = unlimited).
func (s *Slots) SetMaxKeepBytes(n int64) { s.maxKeep.Store(n) }

// MaxKeepBytes is max_slot_wal_keep_size in bytes (-1 = unlimited).
func (s *Slots) MaxKeepBytes() int64 { return s.maxKeep.Load() }

// ValidName checks a slot name as PostgreSQL's ReplicationSlotValidateName:
// 1 to 63 characters of [a-z0-9_].
func ValidName(name string) error {
	if name == "" || len(name) > 63 {
		return ErrSlotInvalidName
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return ErrSlotInvalidName
		}
	}
	return nil
}

// Create makes a slot. settle runs after the slot counts as active (so
// that new transactions record logical changes) and before its consistent
// point is taken: the SQL layer waits there for transactions that started
// without recording them, as PostgreSQL's snapshot builder waits for
// running transactions. The slot starts after the newest commit; the
// returned info's Confirmed is its consistent point. A temporary slot
// belongs to session pid and is active for it.
func (s *Slots) Create(name, plugin string, db uint32, temporary bool, pid int32, settle func() error) (SlotInfo, error) {
	return s.CreateAt(name, plugin, db, temporary, pid, func() (uint64, error) {
		if settle == nil {
			return 0, nil
		}
		return 0, settle()
	})
}

// CreateAt is Create whose settle also returns where the slot starts: after
// that record if not 0 (the snapshot of a transaction that began after
// settling: CREATE_REPLICATION_SLOT ... USE_SNAPSHOT), else after the
// newest commit.
func (s *Slots) CreateAt(name, plugin string, db uint32, temporary bool, pid int32, settle func() (uint64, error)) (SlotInfo, error) {
	if err := ValidName(name); err != nil {
		return SlotInfo{}, err
	}
	s.mu.Lock()
	if _, ok := s.slots[name]; ok {
		s.mu.Unlock()
		return SlotInfo{}, ErrSlotExists
	}
	sl := &slot{info: SlotInfo{Name: name, Plugin: plugin, Database: db, Temporary: temporary}}
	if temporary {
		sl.owner, sl.active = pid, pid
	} else {
		sl.active = pid // until created
	}
	s.slots[name] = sl
	s.logical.Add(1)
	s.mu.Unlock()
	fail := func(err error) (SlotInfo, error) {
		s.mu.Lock()
		delete(s.slots, name)
		s.logical.Add(-1)
		s.mu.Unlock()
		return SlotInfo{}, err
	}
	last := uint64(0)
	if settle != nil {
		var err error
		if last, err = settle(); err != nil {
			return fail(err)
		}
	}
	if last == 0 {
		last = s.store.LastLSN()
	}
	s.store.Retain(retainKey(name), last+1)
	s.mu.Lock()
	sl.info.Confirmed = EndLSN(last)
	info := sl.info
	s.mu.Unlock()
	if !temporary {
		if err := s.persist(info, false); err != nil {
			s.store.Release(retainKey(name))
			return fail(err)
		}
		s.mu.Lock()
		sl.active = 0
		s.mu.Unlock()
	}
	return info, nil
}

func (s *Slots) persist(info SlotInfo, drop bool) error {
	txn := s.store.Begin(kv.ReadCommitted)
	if drop {
		txn.Delete(slotKey(info.Name))
	} else {
		b, _ := json.Marshal(info)
		txn.Put(slotKey(info.Name), b)
	}
	_, err := txn.Commit()
	return err
}

// Drop removes a slot. A slot in use by another session is ErrSlotActive
// unless wait, which waits for it to be released (or ctx to end).
func (s *Slots) Drop(ctx context.Context, name string, pid int32, wait bool) error {
	for {
		s.mu.Lock()
		sl, ok := s.slots[name]
		if !ok {
			s.mu.Unlock()
			return ErrSlotNotFound
		}
		if sl.active != 0 && sl.active != pid {
			ch := s.changed
			active := sl.active
			s.mu.Unlock()
			if !wait {
				return fmt.Errorf("%w for PID %d", ErrSlotActive, active)
			}
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		delete(s.slots, name)
		s.logical.Add(-1)
		s.signal()
		info := sl.info
		s.mu.Unlock()
		s.store.Release(retainKey(name))
		if !info.Temporary {
			return s.persist(info, true)
		}
		return nil
	}
}

// signal wakes waiters for a slot change. Caller holds mu.
func (s *Slots) signal() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Acquire marks a slot in use by session pid (START_REPLICATION, the SQL
// functions) and returns its state.
func (s *Slots) Acquire(name string, pid int32, db uint32) (SlotInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sl, ok := s.slots[name]
	if !ok {
		return SlotInfo{}, ErrSlotNotFound
	}
	if sl.info.Database != db {
		return SlotInfo{}, ErrSlotOtherDB
	}
	if sl.active != 0 && sl.active != pid {
		return SlotInfo{}, fmt.Errorf("%w for PID %d", ErrSlotActive, sl.active)
	}
	if sl.info.Lost {
		return SlotInfo{}, ErrSlotLost
	}
	sl.active = pid
	return sl.info, nil
}

// SetSender attaches (or with nil detaches) a walsender's statistics.
func (s *Slots) SetSender(name string, st *SenderStats) {
	s.mu.Lock()
	if sl, ok := s.slots[name]; ok {
		sl.sender = st
	}
	s.mu.Unlock()
}

// Release ends session pid's use of a slot (a temporary slot stays its
// owner's until the session ends).
func (s *Slots) Release(name string, pid int32) {
	s.mu.Lock()
	if sl, ok := s.slots[name]; ok && sl.active == pid && sl.owner != pid {
		sl.active = 0
		sl.sender = nil
		s.signal()
	} else if ok && sl.active == pid {
		sl.sender = nil
	}
	s.mu.Unlock()
}

// SessionEnded releases what session pid held and drops its temporary
// slots.
func (s *Slots) SessionEnded(pid int32) {
	var drop []string
	s.mu.Lock()
	for name, sl := range s.slots {
		if sl.owner == pid {
			drop = append(drop, name)
		} else if sl.active == pid {
			sl.active = 0
			sl.sender = nil
			s.signal()
		}
	}
	s.mu.Unlock()
	for _, name := range drop {
		s.Drop(context.Background(), name, pid, false)
	}
}

// Confirm moves a slot's confirmed position to p (never backwards) and,
// for a persistent slot, makes it durable before returning. The log
// before the first unconfirmed record is released.
func (s *Slots) Confirm(name string, p uint64) error {
	s.mu.Lock()
	sl, ok := s.slots[name]
	if !ok {
		s.mu.Unlock()
		return ErrSlotNotFound
	}
	if p <= sl.info.Confirmed || sl.info.Lost {
		s.mu.Unlock()
		return nil
	}
	sl.info.Confirmed = p
	info := sl.info
	s.mu.Unlock()
	if !info.Temporary {
		if err := s.persist(info, false); err != nil {
			return err
		}
	}
	s.store.Retain(retainKey(name), FirstUndelivered(p))
	return nil
}

// Get returns a slot's state.
func (s *Slots) Get(name string) (SlotInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sl, ok := s.slots[name]
	if !ok {
		return SlotInfo{}, false
	}
	return sl.info, true
}

// CheckLimits invalidates the slots that hold more log than
// max_slot_wal_keep_size.
func (s *Slots) CheckLimits() {
	max := s.maxKeep.Load()
	if max < 0 {
		return
	}
	var lost []SlotInfo
	s.mu.Lock()
	for _, sl := range s.slots {
		if sl.info.Lost {
			continue
		}
		if s.store.Log().RetainedBytes(FirstUndelivered(sl.info.Confirmed)) > max {
			sl.info.Lost = true
			lost = append(lost, sl.info)
		}
	}
	s.mu.Unlock()
	for _, info := range lost {
		s.store.Release(retainKey(info.Name))
		if !info.Temporary {
			s.persist(info, false)
		}
	}
}

// List returns every slot, by name, as pg_replication_slots shows it.
func (s *Slots) List() []SlotStatus {
	s.CheckLimits()
	max := s.maxKeep.Load()
	s.mu.Lock()
	out := make([]SlotStatus, 0, len(s.slots))
	for _, sl := range s.slots {
		st := SlotStatus{SlotInfo: sl.info, ActivePID: sl.active, Sender: sl.sender, SafeWALSize: -1}
		first := FirstUndelivered(sl.info.Confirmed)
		st.RestartLSN = FirstLSN(first)
		switch {
		case sl.info.Lost:
			st.WALStatus = "lost"
		default:
			st.RetainedBytes = s.store.Log().RetainedBytes(first)
			st.WALStatus = "reserved"
			if st.RetainedBytes > DefaultMaxWALSize {
				st.WALStatus = "extended"
			}
			if max >= 0 {
				st.SafeWALSize = max - st.RetainedBytes
				if st.SafeWALSize < 0 {
					st.WALStatus = "unreserved"
				}
			}
		}
		out = append(out, st)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
