package stream

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
)

// Consumer groups: several consumers share one slot's stream, each change
// delivered to exactly one member (PrkDB's Kafka-style consumers).
//
// A group is (slot, group name). Its changes are split into a fixed number
// of partitions by a hash of (table OID, primary key), so every change to
// one row lands in one partition, and a partition is streamed to one member
// at a time, in commit order. Each partition has a durable offset: the
// client LSN its members have acknowledged (standby status updates' flush
// LSN), kept under kv key 'g' | slot | 0 | group. The slot's own confirmed
// position is the minimum over its groups' partitions, so the slot holds the
// log (and shows in pg_replication_slots) for the slowest partition.
//
// Members join with START_REPLICATION ... (consumer_group 'g', member 'm')
// and their stream begins, for each partition assigned to them, at the
// partition's acknowledged offset. Assignment is sticky: a member that joins
// takes partitions from the most loaded members (who simply stop receiving
// them, their stream goes on); a member that leaves gives its partitions to
// the least loaded. A member leaves at once when it ends its stream
// (CopyDone); when its connection breaks (or is killed) it keeps its
// partitions for its session timeout (session_timeout_ms, Kafka's static
// membership) so that it can reconnect under the same name without a
// rebalance, and leaves after that.
//
// A member that gains partitions needs changes from before what its stream
// has already sent (the departed member's unacknowledged ones). A stream's
// LSNs never go backwards (clients acknowledge the highest LSN they have
// processed), so instead of rewinding, that member's stream ends with
// SQLSTATE 40001 ("consumer group rebalanced") and the member reconnects:
// its new stream starts every partition at its acknowledged offset.
//
// An acknowledgement of p by a member counts for what that connection was
// sent: every partition it streams, up to p, and a partition it lost in a
// rebalance, up to what it had been sent of it. Offsets are durable before
// the walsender answers, and a partition only ever restarts at its offset,
// so delivery is at least once until acknowledged and never again after.

// Group errors (mapped to SQLSTATEs by the SQL layer).
var (
	ErrGroupOption  = errors.New("invalid consumer group option")
	ErrMemberActive = errors.New("consumer group member is already connected")
	// ErrRebalanced ends the stream of a member that gained partitions; it
	// reconnects to receive them.
	ErrRebalanced = errors.New("consumer group rebalanced")
)

// groupKeyPrefix: the kv key space of consumer group offsets.
const groupKeyPrefix = 'g'

// DefaultGroupPartitions is a new group's partition count unless the first
// member asks for another (partitions 'n'); MaxGroupPartitions bounds it.
const (
	DefaultGroupPartitions = 16
	MaxGroupPartitions     = 1024
)

// GroupInfo is a group's durable state.
type GroupInfo struct {
	Slot    string   `json:"slot"`
	Name    string   `json:"name"`
	Offsets []uint64 `json:"offsets"` // acknowledged client LSN per partition
}

// RowKeyer returns the bytes that identify an encoded row of table rel as
// of kv record n (its primary key; the whole row for a table without one).
// The SQL layer provides it; the result may alias a scratch buffer valid
// until the next call.
type RowKeyer func(rel uint32, n uint64, row []byte) []byte

// Groups is the node's set of consumer groups.
type Groups struct {
	store *kv.Store
	slots *Slots

	mu     sync.Mutex
	groups map[[2]string]*group
	// held: the slots acquired (as GroupPID) while any of their groups has
	// members.
	held map[string]bool
	// pmu orders persists, so a later snapshot is never overwritten by an
	// earlier one.
	pmu sync.Mutex
}

// GroupPID is the PID a slot shows as active_pid while consumer group
// members stream from it (no single session owns it).
const GroupPID = -1

// DefaultSessionTimeout is how long a disconnected member keeps its
// partitions unless it asks otherwise (session_timeout_ms).
const DefaultSessionTimeout = 10 * time.Second

type group struct {
	info    GroupInfo
	members map[string]*Member
	gen     uint64
	owner   []*Member // partition -> member (nil: none)
}

// Member is one consumer of a group: a name, and while connected, the
// session streaming for it.
type Member struct {
	gs   *Groups
	g    *group
	name string

	// Guarded by gs.mu.
	pid       int32 // 0 while disconnected
	timeout   time.Duration
	expire    *time.Timer
	cancel    context.CancelCauseFunc
	streaming bool
	start     []uint64 // the current stream's start per partition
	// sentTo: for a partition the current stream lost, how far it had
	// been sent that partition's changes.
	sentTo []uint64
	// owned: the partitions the current stream delivers (replaced, never
	// mutated, so the stream goroutine reads it without the lock).
	owned atomic.Pointer[[]bool]
	// sentEnd: the end LSN of the last record the current stream read.
	sentEnd atomic.Uint64
}

// OpenGroups loads the groups' offsets from store.
func OpenGroups(store *kv.Store, slots *Slots) (*Groups, error) {
	gs := &Groups{store: store, slots: slots, groups: map[[2]string]*group{}, held: map[string]bool{}}
	txn := store.Begin(kv.ReadCommitted)
	defer txn.Rollback()
	it := txn.Scan(kv.ScanOptions{Prefix: []byte{groupKeyPrefix}})
	defer it.Close()
	for it.Next() {
		var info GroupInfo
		if err := json.Unmarshal(it.Value(), &info); err != nil {
			return nil, fmt.Errorf("stream: consumer group %q: %w", it.Key(), err)
		}
		if len(info.Offsets) == 0 {
			continue
		}
		gs.groups[[2]string{info.Slot, info.Name}] = &group{info: info, members: map[string]*Member{}, owner: make([]*Member, len(info.Offsets))}
	}
	return gs, it.Err()
}

func groupKey(slot, name string) []byte {
	k := append([]byte{groupKeyPrefix}, slot...)
	k = append(k, 0)
	return append(k, name...)
}

// GroupOptions are START_REPLICATION's consumer group options.
type GroupOptions struct {
	Group, Member  string
	Partitions     int           // 0: DefaultGroupPartitions (used when the group is created)
	SessionTimeout time.Duration // 0: DefaultSessionTimeout
}

func parseCount(v string, lo, hi int) (int, bool) {
	n := 0
	if v == "" {
		return 0, false
	}
	for _, c := range []byte(v) {
		if c < '0' || c > '9' || n > hi {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n >= lo && n <= hi
}

// ParseGroupOptions takes the consumer group options (consumer_group,
// member, partitions, session_timeout_ms) out of START_REPLICATION's
// options and returns the rest. ok is false when there is no
// consumer_group option. Failure mode: ErrGroupOption.
func ParseGroupOptions(opts [][2]string) (o GroupOptions, rest [][2]string, ok bool, err error) {
	other := false
	for _, kv := range opts {
		switch kv[0] {
		case "consumer_group":
			o.Group, ok = kv[1], true
		case "member":
			o.Member, other = kv[1], true
		case "partitions":
			n, good := parseCount(kv[1], 1, MaxGroupPartitions)
			if !good {
				return o, nil, false, fmt.Errorf("%w: partitions must be between 1 and %d", ErrGroupOption, MaxGroupPartitions)
			}
			o.Partitions, other = n, true
		case "session_timeout_ms":
			n, good := parseCount(kv[1], 100, 3600_000)
			if !good {
				return o, nil, false, fmt.Errorf("%w: session_timeout_ms must be between 100 and 3600000", ErrGroupOption)
			}
			o.SessionTimeout, other = time.Duration(n)*time.Millisecond, true
		default:
			rest = append(rest, kv)
		}
	}
	if !ok {
		if other {
			return o, nil, false, fmt.Errorf("%w: member, partitions and session_timeout_ms need consumer_group", ErrGroupOption)
		}
		return o, opts, false, nil
	}
	if o.Group == "" || o.Member == "" {
		return o, nil, false, fmt.Errorf("%w: consumer_group and member must not be empty", ErrGroupOption)
	}
	return o, rest, true, nil
}

// Join connects member o.Member of group o.Group of slot for session pid
// (database db). A new member takes partitions from the others (sticky
// assignment); a member that reconnects within its session timeout keeps
// its partitions without a rebalance. The group is created at its first
// join, every partition starting at the slot's confirmed position. A slot
// streamed without a group (START_REPLICATION, the SQL functions) cannot
// take members meanwhile (ErrSlotActive), nor the reverse. Failure modes:
// ErrSlotNotFound, ErrSlotOtherDB, ErrSlotLost, ErrSlotActive,
// ErrMemberActive (a member of that name is connected).
func (gs *Groups) Join(slot string, o GroupOptions, pid int32, db uint32) (*Member, error) {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	var info SlotInfo
	if gs.held[slot] {
		var ok bool
		if info, ok = gs.slots.Get(slot); !ok {
			return nil, ErrSlotNotFound
		}
		if info.Database != db {
			return nil, ErrSlotOtherDB
		}
		if info.Lost {
			return nil, ErrSlotLost
		}
	} else {
		var err error
		if info, err = gs.slots.Acquire(slot, GroupPID, db); err != nil {
			return nil, err
		}
		gs.held[slot] = true
	}
	key := [2]string{slot, o.Group}
	g := gs.groups[key]
	if g == nil {
		n := o.Partitions
		if n == 0 {
			n = DefaultGroupPartitions
		}
		g = &group{info: GroupInfo{Slot: slot, Name: o.Group, Offsets: make([]uint64, n)}, members: map[string]*Member{},
			owner: make([]*Member, n)}
		gs.groups[key] = g
	}
	for p := range g.info.Offsets {
		if g.info.Offsets[p] < info.Confirmed {
			g.info.Offsets[p] = info.Confirmed
		}
	}
	timeout := o.SessionTimeout
	if timeout == 0 {
		timeout = DefaultSessionTimeout
	}
	if m := g.members[o.Member]; m != nil {
		if m.pid != 0 {
			gs.releaseIfUnused(slot)
			return nil, fmt.Errorf("%w: %q", ErrMemberActive, o.Member)
		}
		// Back within its session timeout: same partitions.
		if m.expire != nil {
			m.expire.Stop()
			m.expire = nil
		}
		m.pid, m.timeout = pid, timeout
		return m, nil
	}
	m := &Member{gs: gs, g: g, name: o.Member, pid: pid, timeout: timeout}
	g.members[o.Member] = m
	gs.rebalance(g)
	return m, nil
}

// releaseIfUnused gives the slot back when none of its groups has members.
// Caller holds gs.mu.
func (gs *Groups) releaseIfUnused(slot string) {
	if !gs.held[slot] {
		return
	}
	for k, g := range gs.groups {
		if k[0] == slot && len(g.members) > 0 {
			return
		}
	}
	gs.slots.Release(slot, GroupPID)
	delete(gs.held, slot)
}

// rebalance assigns the partitions stickily: partitions of departed
// members are free, members above their share give up their highest
// partitions, and free partitions go to members below their share (by
// name). A streaming member that loses partitions stops receiving them; one
// that gains partitions is ended with ErrRebalanced. Caller holds gs.mu.
func (gs *Groups) rebalance(g *group) {
	g.gen++
	n := len(g.owner)
	names := make([]string, 0, len(g.members))
	for name := range g.members {
		names = append(names, name)
	}
	sort.Strings(names)
	load := map[*Member]int{}
	for p, o := range g.owner {
		if o != nil && g.members[o.name] != o {
			g.owner[p] = nil
		} else if o != nil {
			load[o]++
		}
	}
	prev := append([]*Member(nil), g.owner...)
	if k := len(names); k > 0 {
		base, extra := n/k, n%k
		byLoad := append([]string(nil), names...)
		sort.SliceStable(byLoad, func(i, j int) bool { return load[g.members[byLoad[i]]] > load[g.members[byLoad[j]]] })
		target := map[*Member]int{}
		for i, name := range byLoad {
			target[g.members[name]] = base
			if i < extra {
				target[g.members[name]]++
			}
		}
		for p := n - 1; p >= 0; p-- {
			if o := g.owner[p]; o != nil && load[o] > target[o] {
				g.owner[p] = nil
				load[o]--
			}
		}
		next := 0
		for p := 0; p < n; p++ {
			if g.owner[p] != nil {
				continue
			}
			for ; next < k; next++ {
				if m := g.members[names[next]]; load[m] < target[m] {
					g.owner[p] = m
					load[m]++
					break
				}
			}
		}
	}
	// Apply to the streams.
	for _, m := range g.members {
		if !m.streaming {
			continue
		}
		cur := *m.owned.Load()
		owned := append([]bool(nil), cur...)
		gained := false
		for p := range owned {
			switch {
			case owned[p] && g.owner[p] != m:
				owned[p] = false
				m.sentTo[p] = max(m.sentEnd.Load(), m.start[p])
			case !owned[p] && g.owner[p] == m && prev[p] != m:
				gained = true
			}
		}
		m.owned.Store(&owned)
		if gained && m.cancel != nil {
			m.cancel(ErrRebalanced)
		}
	}
}

// Leave disconnects the member (its stream has ended). If it ended the
// stream itself (graceful: CopyDone) it leaves the group at once;
// otherwise it keeps its partitions for its session timeout, to reconnect
// under the same name, and leaves after that. Its partitions go to the
// other members from their acknowledged offsets.
func (m *Member) Leave(graceful bool) {
	gs := m.gs
	gs.mu.Lock()
	defer gs.mu.Unlock()
	g := m.g
	if m.pid == 0 || gs.groups[[2]string{g.info.Slot, g.info.Name}] != g || g.members[m.name] != m {
		return
	}
	m.pid = 0
	m.streaming = false
	if graceful {
		gs.remove(m)
		return
	}
	m.expire = time.AfterFunc(m.timeout, func() {
		gs.mu.Lock()
		defer gs.mu.Unlock()
		if m.pid == 0 && g.members[m.name] == m {
			gs.remove(m)
		}
	})
}

// remove takes a member out of its group. Caller holds gs.mu.
func (gs *Groups) remove(m *Member) {
	g := m.g
	if m.expire != nil {
		m.expire.Stop()
		m.expire = nil
	}
	delete(g.members, m.name)
	if gs.groups[[2]string{g.info.Slot, g.info.Name}] == g {
		gs.rebalance(g)
	}
	gs.releaseIfUnused(g.info.Slot)
}

// Forget drops the groups of a slot that was dropped.
func (gs *Groups) Forget(slot string) error {
	gs.mu.Lock()
	var keys [][]byte
	for k, g := range gs.groups {
		if k[0] == slot {
			for _, m := range g.members {
				if m.expire != nil {
					m.expire.Stop()
				}
			}
			delete(gs.groups, k)
			keys = append(keys, groupKey(k[0], k[1]))
		}
	}
	delete(gs.held, slot)
	gs.mu.Unlock()
	if len(keys) == 0 {
		return nil
	}
	gs.pmu.Lock()
	defer gs.pmu.Unlock()
	txn := gs.store.Begin(kv.ReadCommitted)
	for _, k := range keys {
		txn.Delete(k)
	}
	_, err := txn.Commit()
	return err
}

// GroupStreamOptions configure Member.Stream.
type GroupStreamOptions struct {
	Plugin   Plugin
	Keyer    RowKeyer
	Feedback <-chan Feedback
	Stats    *SenderStats
}

// Stream sends the member's share of the slot's changes, each partition
// from its acknowledged offset, until ctx ends, the client ends the stream
// (ErrStreamEnded) or the member gains partitions (ErrRebalanced). The
// caller calls Leave afterwards.
func (m *Member) Stream(ctx context.Context, io SenderIO, opts GroupStreamOptions) error {
	gs := m.gs
	g := m.g
	n := len(g.info.Offsets)
	gctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	gs.mu.Lock()
	owned := make([]bool, n)
	start := make([]uint64, n)
	from := EndLSN(gs.store.LastLSN())
	for p := 0; p < n; p++ {
		start[p] = g.info.Offsets[p]
		if g.owner[p] == m {
			owned[p] = true
			from = min(from, start[p])
		}
	}
	m.owned.Store(&owned)
	m.start, m.sentTo, m.cancel, m.streaming = start, make([]uint64, n), cancel, true
	m.sentEnd.Store(from)
	gs.mu.Unlock()
	f := &groupFilter{m: m, inner: opts.Plugin, keyer: opts.Keyer, parts: uint64(n), start: start}
	err := gs.slots.Stream(gctx, io, StreamOptions{Slot: g.info.Slot, PID: m.pid, Start: from, Plugin: f,
		Feedback: opts.Feedback, Stats: opts.Stats, Confirm: m.confirm})
	if ctx.Err() == nil && errors.Is(context.Cause(gctx), ErrRebalanced) {
		return ErrRebalanced
	}
	return err
}

// confirm applies an acknowledgement p (already capped at what the stream
// sent) durably: up to p for the partitions the stream delivers, up to
// what it had been sent for those it lost.
func (m *Member) confirm(p uint64) error {
	gs := m.gs
	gs.pmu.Lock()
	defer gs.pmu.Unlock()
	gs.mu.Lock()
	g := m.g
	owned := *m.owned.Load()
	changed := false
	for part := range g.info.Offsets {
		v := p
		if !owned[part] {
			v = min(p, m.sentTo[part])
		}
		if v > g.info.Offsets[part] {
			g.info.Offsets[part] = v
			changed = true
		}
	}
	if !changed || gs.groups[[2]string{g.info.Slot, g.info.Name}] != g {
		gs.mu.Unlock()
		return nil
	}
	info := GroupInfo{Slot: g.info.Slot, Name: g.info.Name, Offsets: append([]uint64(nil), g.info.Offsets...)}
	low := gs.slotLow(g.info.Slot)
	gs.mu.Unlock()
	b, _ := json.Marshal(info)
	txn := gs.store.Begin(kv.ReadCommitted)
	txn.Put(groupKey(info.Slot, info.Name), b)
	if _, err := txn.Commit(); err != nil {
		return err
	}
	return gs.slots.Confirm(info.Slot, low)
}

// slotLow is the lowest partition offset of a slot's groups. Caller holds
// gs.mu.
func (gs *Groups) slotLow(slot string) uint64 {
	low := ^uint64(0)
	for k, g := range gs.groups {
		if k[0] != slot {
			continue
		}
		for _, o := range g.info.Offsets {
			if o < low {
				low = o
			}
		}
	}
	return low
}

// groupFilter passes a record's changes of the member's partitions (not yet
// sent to it in this generation) to the output plugin.
type groupFilter struct {
	m     *Member
	inner Plugin
	keyer RowKeyer
	parts uint64
	start []uint64
	buf   Changes
	rec   kv.Record
	atts  []kv.Attachment
}

// PartitionOf is the partition of a table's row key among n.
func PartitionOf(rel uint32, key []byte, n uint64) int {
	// FNV-1a over the table OID and the key.
	h := uint64(14695981039346656037)
	var r [4]byte
	binary.LittleEndian.PutUint32(r[:], rel)
	for _, c := range r {
		h = (h ^ uint64(c)) * 1099511628211
	}
	for _, c := range key {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return int(h % n)
}

func (f *groupFilter) partition(ch *Change, n uint64) int {
	switch ch.Kind {
	case ChangeInsert, ChangeUpdate:
		return PartitionOf(ch.Rel, f.keyer(ch.Rel, n, ch.New), f.parts)
	case ChangeDelete:
		return PartitionOf(ch.Rel, f.keyer(ch.Rel, n, ch.Old), f.parts)
	case ChangeTruncate:
		if len(ch.Rels) > 0 {
			return PartitionOf(ch.Rels[0], nil, f.parts)
		}
	case ChangeMessage, ChangeMessageNT:
		return PartitionOf(0, []byte(ch.Prefix), f.parts)
	}
	return 0
}

func rowFn(row []byte) func([]byte) []byte {
	return func(b []byte) []byte { return append(b, row...) }
}

// Record implements Plugin.
func (f *groupFilter) Record(rec *kv.Record, w Writer) error {
	defer f.m.sentEnd.Store(EndLSN(rec.LSN))
	data := logicalData(rec)
	if data == nil {
		return nil
	}
	commit := CommitLSN(rec.LSN)
	owned := *f.m.owned.Load()
	f.buf.Reset()
	kept := 0
	err := DecodeChanges(data, func(ch *Change) error {
		if ch.Kind == ChangeSchema {
			f.buf.Schema(ch.Rel, ch.Content)
			return nil
		}
		p := f.partition(ch, rec.LSN)
		if !owned[p] || commit < f.start[p] {
			return nil
		}
		kept++
		switch ch.Kind {
		case ChangeInsert:
			f.buf.Insert(ch.Rel, rowFn(ch.New))
		case ChangeUpdate:
			var old func([]byte) []byte
			if ch.Old != nil {
				old = rowFn(ch.Old)
			}
			f.buf.Update(ch.Rel, old, rowFn(ch.New))
		case ChangeDelete:
			f.buf.Delete(ch.Rel, rowFn(ch.Old))
		case ChangeTruncate:
			f.buf.TruncateRels(ch.Rels, ch.Flags)
		case ChangeMessage:
			f.buf.Message(true, ch.Prefix, ch.Content)
		case ChangeMessageNT:
			f.buf.Message(false, ch.Prefix, ch.Content)
		}
		return nil
	})
	if err != nil || kept == 0 {
		return err
	}
	f.atts = f.atts[:0]
	for _, a := range rec.Attachments {
		if a.Kind == AttachLogical {
			a.Data = f.buf.Data()
		}
		f.atts = append(f.atts, a)
	}
	f.rec = kv.Record{LSN: rec.LSN, CommitTime: rec.CommitTime, Ops: rec.Ops, Attachments: f.atts}
	return f.inner.Record(&f.rec, w)
}

// GroupPartitionStatus is one partition of a group as the
// prkdb_consumer_groups view shows it.
type GroupPartitionStatus struct {
	Slot, Group string
	Partition   int
	Member      string // "" when unassigned
	MemberPID   int32
	Generation  uint64
	Committed   uint64 // acknowledged client LSN
	Sent        uint64 // end of what the member's stream has read (0: none)
	LagRecords  uint64 // committed records after Committed
}

// Status lists every partition of every group, by slot, group, partition.
func (gs *Groups) Status() []GroupPartitionStatus {
	last := gs.store.LastLSN()
	gs.mu.Lock()
	var out []GroupPartitionStatus
	for _, g := range gs.groups {
		for p, off := range g.info.Offsets {
			st := GroupPartitionStatus{Slot: g.info.Slot, Group: g.info.Name, Partition: p, Generation: g.gen, Committed: off}
			if done := FirstUndelivered(off) - 1; last > done {
				st.LagRecords = last - done
			}
			if m := g.owner[p]; m != nil {
				st.Member, st.MemberPID = m.name, m.pid
				if o := m.owned.Load(); m.streaming && o != nil && (*o)[p] {
					st.Sent = m.sentEnd.Load()
				}
			}
			out = append(out, st)
		}
	}
	gs.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Slot != b.Slot {
			return a.Slot < b.Slot
		}
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		return a.Partition < b.Partition
	})
	return out
}
