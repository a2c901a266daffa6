package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
)

// Subscriptions: durable named change feeds that any driver reads with SQL
// (prkdb_subscription_changes, FETCH from a cursor over it), after
// RisingWave's subscriptions and subscription cursors.
//
// A subscription is a persistent replication slot of the same name (plugin
// SubscriptionPlugin: it holds the log and turns on the recording of
// logical changes exactly as any slot) plus its own durable state under kv
// key 'u' | name: the source (a publication's name or a table's OID), the
// retention and the committed offset.
//
// Offsets are client LSNs of single changes (ChangeLSN: record n's i-th
// change is n<<32 + 1 + i), so a reader can commit in the middle of a
// transaction. Committing offset o means every change at or before o is
// consumed; reading without an explicit offset resumes after the committed
// one, also after a restart.
//
// Retention: the log is held from the earlier of (the record of the first
// unconsumed change) and (the first record committed within the retention
// period), so unconsumed changes are never released (as a slot; the slot's
// max_slot_wal_keep_size limit still applies) and consumed ones stay
// readable again (SINCE an older offset) for the retention period. Without a
// retention the subscription holds only what is unconsumed.

// Subscription errors (mapped to SQLSTATEs by the SQL layer).
var (
	ErrSubNotFound    = errors.New("subscription does not exist")
	ErrSubNotRetained = errors.New("subscription no longer retains that offset")
	ErrSubOffset      = errors.New("offset is after the newest change")
)

// SubscriptionPlugin is the plugin name of a subscription's slot.
const SubscriptionPlugin = "prkdb_subscription"

// subKeyPrefix: the kv key space of subscriptions.
const subKeyPrefix = 'u'

// SubscriptionInfo is a subscription's durable state.
type SubscriptionInfo struct {
	Name        string `json:"name"`
	Database    uint32 `json:"db"`
	Publication string `json:"pub,omitempty"`
	Table       uint32 `json:"table,omitempty"`
	// Retention in microseconds (0: none).
	Retention int64 `json:"retention_us,omitempty"`
	// Committed: the offset of the last consumed change (initially the
	// position it was created at).
	Committed uint64 `json:"committed"`
	Created   int64  `json:"created"` // Unix µs
}

// SubscriptionStatus is a subscription as prkdb_subscriptions shows it.
type SubscriptionStatus struct {
	SubscriptionInfo
	RetainedFrom uint64 // the oldest offset still readable
	LagRecords   uint64 // committed records after Committed's record
	Lost         bool
}

type subscription struct {
	info SubscriptionInfo
	// retFrom: the first record committed within the retention period, as
	// far as the checker has read.
	retFrom uint64
}

// Subscriptions is the node's set of subscriptions.
type Subscriptions struct {
	store *kv.Store
	slots *Slots
	mu    sync.Mutex
	subs  map[string]*subscription
	// pmu orders persists.
	pmu    sync.Mutex
	checks periodic
}

// OpenSubscriptions loads the subscriptions of store. Their slots are
// loaded by OpenSlots; a subscription whose slot is gone is ignored.
func OpenSubscriptions(store *kv.Store, slots *Slots) (*Subscriptions, error) {
	ss := &Subscriptions{store: store, slots: slots, subs: map[string]*subscription{}}
	txn := store.Begin(kv.ReadCommitted)
	it := txn.Scan(kv.ScanOptions{Prefix: []byte{subKeyPrefix}})
	for it.Next() {
		var info SubscriptionInfo
		if err := json.Unmarshal(it.Value(), &info); err != nil {
			it.Close()
			txn.Rollback()
			return nil, fmt.Errorf("stream: subscription %q: %w", it.Key(), err)
		}
		sl, ok := slots.Get(info.Name)
		if !ok || sl.Plugin != SubscriptionPlugin {
			continue
		}
		ss.subs[info.Name] = &subscription{info: info, retFrom: FirstUndelivered(sl.Confirmed)}
	}
	err := it.Err()
	it.Close()
	txn.Rollback()
	if err != nil {
		return nil, err
	}
	ss.checks.start(time.Second, func() { ss.ApplyRetention(time.Now()) })
	return ss, nil
}

// Close stops the retention checker.
func (ss *Subscriptions) Close() { ss.checks.stop() }

func subKey(name string) []byte { return append([]byte{subKeyPrefix}, name...) }

// Create makes a subscription (and its slot) on a publication or a table
// (exactly one of pub, table). settle is Slots.Create's. It starts after
// the newest commit. Failure modes: Slots.Create's (ErrSlotExists,
// ErrSlotInvalidName) and storage errors.
func (ss *Subscriptions) Create(name string, db uint32, pub string, table uint32, retention time.Duration, pid int32, settle func() error) (SubscriptionInfo, error) {
	sl, err := ss.slots.Create(name, SubscriptionPlugin, db, false, pid, settle)
	if err != nil {
		return SubscriptionInfo{}, err
	}
	info := SubscriptionInfo{Name: name, Database: db, Publication: pub, Table: table, Retention: retention.Microseconds(),
		Committed: sl.Confirmed, Created: time.Now().UnixMicro()}
	if err := ss.persist(info, false); err != nil {
		ss.slots.Drop(context.Background(), name, pid, false)
		return SubscriptionInfo{}, err
	}
	ss.mu.Lock()
	ss.subs[name] = &subscription{info: info, retFrom: FirstUndelivered(sl.Confirmed)}
	ss.mu.Unlock()
	return info, nil
}

func (ss *Subscriptions) persist(info SubscriptionInfo, drop bool) error {
	txn := ss.store.Begin(kv.ReadCommitted)
	if drop {
		txn.Delete(subKey(info.Name))
	} else {
		b, _ := json.Marshal(info)
		txn.Put(subKey(info.Name), b)
	}
	_, err := txn.Commit()
	return err
}

// Drop removes a subscription and its slot (ErrSubNotFound, or the slot's
// ErrSlotActive while a reader uses it).
func (ss *Subscriptions) Drop(ctx context.Context, name string, pid int32) error {
	ss.mu.Lock()
	sub, ok := ss.subs[name]
	ss.mu.Unlock()
	if !ok {
		return ErrSubNotFound
	}
	if err := ss.slots.Drop(ctx, name, pid, false); err != nil && !errors.Is(err, ErrSlotNotFound) {
		return err
	}
	ss.mu.Lock()
	delete(ss.subs, name)
	ss.mu.Unlock()
	return ss.persist(sub.info, true)
}

// Forget removes the subscription of a slot that was dropped directly
// (pg_drop_replication_slot).
func (ss *Subscriptions) Forget(name string) error {
	ss.mu.Lock()
	sub, ok := ss.subs[name]
	delete(ss.subs, name)
	ss.mu.Unlock()
	if !ok {
		return nil
	}
	return ss.persist(sub.info, true)
}

// Get returns a subscription's state.
func (ss *Subscriptions) Get(name string) (SubscriptionInfo, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	sub, ok := ss.subs[name]
	if !ok {
		return SubscriptionInfo{}, false
	}
	return sub.info, true
}

// hold is the first record a subscription must keep. Caller holds mu.
func (sub *subscription) hold() uint64 {
	h := RecordOf(sub.info.Committed)
	if h == 0 {
		h = 1
	}
	if sub.info.Retention > 0 && sub.retFrom < h {
		h = sub.retFrom
	}
	return h
}

// moveHold confirms the subscription's slot up to its hold.
func (ss *Subscriptions) moveHold(name string) error {
	ss.mu.Lock()
	sub, ok := ss.subs[name]
	if !ok {
		ss.mu.Unlock()
		return nil
	}
	h := sub.hold()
	ss.mu.Unlock()
	return ss.slots.Confirm(name, FirstLSN(h))
}

// ApplyRetention moves every subscription's retention start past the
// records committed before now minus its retention, and releases the log
// they no longer need.
func (ss *Subscriptions) ApplyRetention(now time.Time) {
	ss.mu.Lock()
	type todo struct {
		name    string
		from    uint64
		cutoff  int64
		holdEnd uint64
	}
	var work []todo
	for name, sub := range ss.subs {
		if sub.info.Retention > 0 {
			work = append(work, todo{name, sub.retFrom, now.UnixMicro() - sub.info.Retention, RecordOf(sub.info.Committed)})
		}
	}
	ss.mu.Unlock()
	last := ss.store.LastLSN()
	for _, w := range work {
		n := w.from
		if n <= last {
			r, err := ss.store.Subscribe(n)
			if err != nil {
				continue
			}
			for ; n <= last; n++ {
				rec, err := r.Next(nil)
				if err != nil || rec.CommitTime >= w.cutoff {
					break
				}
			}
			r.Close()
		}
		ss.mu.Lock()
		if sub, ok := ss.subs[w.name]; ok && n > sub.retFrom {
			sub.retFrom = n
		}
		ss.mu.Unlock()
		ss.moveHold(w.name)
	}
}

// Commit records that every change at or before offset is consumed
// (never moving backwards), durably, and releases the log the
// subscription no longer holds. Failure modes: ErrSubNotFound, ErrSubOffset.
func (ss *Subscriptions) Commit(name string, offset uint64) error {
	if offset > EndLSN(ss.store.LastLSN()) {
		return ErrSubOffset
	}
	ss.pmu.Lock()
	defer ss.pmu.Unlock()
	ss.mu.Lock()
	sub, ok := ss.subs[name]
	if !ok {
		ss.mu.Unlock()
		return ErrSubNotFound
	}
	if offset <= sub.info.Committed {
		ss.mu.Unlock()
		return nil
	}
	sub.info.Committed = offset
	info := sub.info
	ss.mu.Unlock()
	if err := ss.persist(info, false); err != nil {
		return err
	}
	return ss.moveHold(name)
}

// SubChange is one change as a subscription reader sees it. JSON fields
// are objects of column name -> value (nil: SQL NULL).
type SubChange struct {
	Offset     uint64
	Op         string // insert, update, delete, truncate
	Rel        *Relation
	Key        []byte // the row's key after the change (delete: the deleted key)
	OldKey     []byte // update: the key before, when the update changed it (or REPLICA IDENTITY FULL)
	Row        []byte // insert/update: the new row
	OldRow     []byte // delete: the deleted row
	CommitTime int64  // Unix µs
}

// Read decodes the subscription's changes after offset since (or after its
// committed offset if since is nil; since 0 means from the oldest retained
// change), up to the newest commit and at most max changes if max > 0,
// calling emit for each. The subscription's slot is used by session pid
// meanwhile. Failure modes: ErrSubNotFound, ErrSlotActive, ErrSlotLost,
// ErrSubNotRetained (since is before what is still held), ErrSlotOtherDB.
func (ss *Subscriptions) Read(ctx context.Context, name string, pid int32, db uint32, since *uint64, max int, schema Schema, emit func(*SubChange) error) error {
	ss.mu.Lock()
	sub, ok := ss.subs[name]
	var info SubscriptionInfo
	if ok {
		info = sub.info
	}
	ss.mu.Unlock()
	if !ok {
		return ErrSubNotFound
	}
	sl, err := ss.slots.Acquire(name, pid, db)
	if err != nil {
		return err
	}
	defer ss.slots.Release(name, pid)
	hold := FirstUndelivered(sl.Confirmed)
	after := info.Committed
	if since != nil {
		after = *since
		if after == 0 {
			after = FirstLSN(hold)
		} else if RecordOf(after) < hold && after < FirstLSN(hold) {
			return fmt.Errorf("%w: the oldest retained offset is %d", ErrSubNotRetained, FirstLSN(hold))
		}
	}
	first := RecordOf(after)
	if first < hold {
		first = hold
	}
	last := ss.store.LastLSN()
	if first > last {
		return nil
	}
	r, err := ss.store.Subscribe(first)
	if err != nil {
		if errors.Is(err, kv.ErrNotRetained) {
			return ErrSlotLost
		}
		return err
	}
	defer r.Close()
	var pubs []string
	if info.Publication != "" {
		pubs = []string{info.Publication}
	}
	var dst [][]byte
	var buf []byte
	var sc SubChange
	count := 0
	obj := func(out []byte, rel *Relation, row []byte, keyOnly bool) ([]byte, error) {
		var err error
		dst, buf, err = schema.RowText(rel, row, dst, buf[:0])
		if err != nil {
			return out, err
		}
		return appendJSONObject(out, rel, dst, keyOnly), nil
	}
	var keyB, oldKeyB, rowB, oldRowB []byte
	for n := first; n <= last; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.Next(nil)
		if err != nil {
			return err
		}
		data := logicalData(rec)
		if data == nil {
			continue
		}
		i := -1
		stop := errors.New("stop")
		err = DecodeChanges(data, func(ch *Change) error {
			i++
			off := ChangeLSN(rec.LSN, i)
			if off <= after {
				return nil
			}
			var rel *Relation
			var action PubActions
			switch ch.Kind {
			case ChangeInsert:
				action = PubInsert
			case ChangeUpdate:
				action = PubUpdate
			case ChangeDelete:
				action = PubDelete
			case ChangeTruncate:
				action = PubTruncate
			default:
				return nil
			}
			rels := []uint32{ch.Rel}
			if ch.Kind == ChangeTruncate {
				rels = ch.Rels
			}
			for _, oid := range rels {
				if rel = schema.Relation(oid, rec.LSN); rel == nil {
					continue
				}
				if info.Table != 0 && rel.OID != info.Table {
					rel = nil
					continue
				}
				if info.Table == 0 && schema.Publishes(pubs, rel)&action == 0 {
					rel = nil
					continue
				}
				break
			}
			if rel == nil {
				return nil
			}
			sc = SubChange{Offset: off, Rel: rel, CommitTime: rec.CommitTime}
			keyB, oldKeyB, rowB, oldRowB = keyB[:0], oldKeyB[:0], rowB[:0], oldRowB[:0]
			var err error
			switch ch.Kind {
			case ChangeInsert, ChangeUpdate:
				sc.Op = "insert"
				if ch.Kind == ChangeUpdate {
					sc.Op = "update"
				}
				if rowB, err = obj(rowB, rel, ch.New, false); err != nil {
					return err
				}
				if keyB, err = obj(keyB, rel, ch.New, true); err != nil {
					return err
				}
				sc.Row, sc.Key = rowB, keyB
				if ch.Old != nil {
					if oldKeyB, err = obj(oldKeyB, rel, ch.Old, true); err != nil {
						return err
					}
					sc.OldKey = oldKeyB
				}
			case ChangeDelete:
				sc.Op = "delete"
				if keyB, err = obj(keyB, rel, ch.Old, true); err != nil {
					return err
				}
				if oldRowB, err = obj(oldRowB, rel, ch.Old, false); err != nil {
					return err
				}
				sc.Key, sc.OldRow = keyB, oldRowB
			case ChangeTruncate:
				sc.Op = "truncate"
			}
			if err := emit(&sc); err != nil {
				return err
			}
			count++
			if max > 0 && count >= max {
				return stop
			}
			return nil
		})
		if err == stop {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// appendJSONObject appends {"column": value, ...} of a row's text values
// (only the key columns if keyOnly; every column when the table has no
// key).
func appendJSONObject(b []byte, rel *Relation, vals [][]byte, keyOnly bool) []byte {
	if keyOnly {
		hasKey := false
		for i := range rel.Columns {
			hasKey = hasKey || rel.Columns[i].Key
		}
		keyOnly = hasKey
	}
	b = append(b, '{')
	k := 0
	for i := range rel.Columns {
		c := &rel.Columns[i]
		if keyOnly && !c.Key {
			continue
		}
		if k > 0 {
			b = append(b, ", "...)
		}
		k++
		b = appendJSONString(b, []byte(c.Name))
		b = append(b, ": "...)
		var v []byte
		if i < len(vals) {
			v = vals[i]
		}
		b = appendJSONValue(b, c, v)
	}
	return append(b, '}')
}

// List returns every subscription, by name.
func (ss *Subscriptions) List() []SubscriptionStatus {
	last := ss.store.LastLSN()
	slots := map[string]SlotInfo{}
	for _, st := range ss.slots.List() {
		slots[st.Name] = st.SlotInfo
	}
	ss.mu.Lock()
	out := make([]SubscriptionStatus, 0, len(ss.subs))
	for _, sub := range ss.subs {
		st := SubscriptionStatus{SubscriptionInfo: sub.info}
		if sl, ok := slots[sub.info.Name]; ok {
			st.RetainedFrom = FirstLSN(FirstUndelivered(sl.Confirmed))
			st.Lost = sl.Lost
		}
		if n := RecordOf(sub.info.Committed); last >= n {
			st.LagRecords = last - n
			if sub.info.Committed == FirstLSN(n) {
				st.LagRecords++ // nothing of record n consumed yet
			}
		}
		out = append(out, st)
	}
	ss.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
