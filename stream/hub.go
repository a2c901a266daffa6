package stream

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
)

// DefaultQueueBytes bounds what one listener may have queued and not yet
// taken (channel + payload bytes, plus 64 per notification).
const DefaultQueueBytes = 16 << 20

// notifOverhead is what one queued notification counts beyond its strings.
const notifOverhead = 64

// retainName is the hub's hold on the log (kv.Store.Retain).
const retainName = "stream/notify"

// ErrHubClosed: the hub was closed while a caller waited on it.
var ErrHubClosed = errors.New("stream: hub closed")

// Hub reads every committed record of a store, in LSN order, and delivers
// the notifications they carry to listeners. One per node.
type Hub struct {
	store *kv.Store
	lg    *slog.Logger
	done  chan struct{}
	wg    sync.WaitGroup

	// dispatched is the LSN of the newest record the hub has handed out.
	dispatched atomic.Uint64

	// orderMu puts direct publications (Publish: transactions that wrote
	// nothing, so have no commit record) in one order with the records
	// read from the log. The hub holds it while it dispatches a record;
	// Publish and Listen hold it while they take their position.
	orderMu sync.Mutex
	// published counts direct publications (under orderMu).
	published uint64
	// held are direct publications that saw a commit the hub has not
	// dispatched yet; each waits for it (every held batch's after is
	// greater than dispatched, and they are in publication order).
	held []heldBatch

	mu sync.RWMutex
	// byChan: who listens on each (database, channel).
	byChan map[chanKey]map[*Listener]struct{}

	waitMu  sync.Mutex
	waiters []waiter
	nwait   atomic.Int32

	// For Stats: notifications queued on listeners, and those dropped
	// because a listener's queue was full.
	queued, dropped atomic.Uint64
}

// HubStats are the hub's counters since Start and its current listeners,
// for metrics.
type HubStats struct {
	Queued     uint64 // notifications queued on listeners (one per listener)
	Dropped    uint64 // notifications lost to full queues
	Listeners  int    // sessions listening on at least one channel
	Channels   int    // (database, channel) pairs listened to
	Dispatched uint64 // LSN of the newest record dispatched
}

// Stats returns the hub's HubStats.
func (h *Hub) Stats() HubStats {
	h.mu.RLock()
	defer h.mu.RUnlock()
	ls := map[*Listener]struct{}{}
	for _, set := range h.byChan {
		for l := range set {
			ls[l] = struct{}{}
		}
	}
	return HubStats{Queued: h.queued.Load(), Dropped: h.dropped.Load(), Listeners: len(ls),
		Channels: len(h.byChan), Dispatched: h.dispatched.Load()}
}

type chanKey struct {
	db uint32
	ch string
}

// position orders a notification: the newest commit visible when it was
// committed (a record's own LSN, or a direct publication's after) and,
// among direct publications that saw the same commit, their number (0 for
// records). A listener gets what comes after its LISTEN's position.
type position struct {
	lsn, seq uint64
}

func (p position) after(q position) bool {
	return p.lsn > q.lsn || (p.lsn == q.lsn && p.seq > q.seq)
}

// heldBatch is one direct publication waiting for the hub to reach after.
type heldBatch struct {
	db  uint32
	pid int32
	pos position
	ns  []Notification
}

type waiter struct {
	lsn uint64
	ch  chan struct{}
}

// Start begins tailing store's log after its newest visible commit.
func Start(store *kv.Store, lg *slog.Logger) (*Hub, error) {
	if lg == nil {
		lg = slog.Default()
	}
	from := store.LastLSN() + 1
	r, err := store.Subscribe(from)
	if err != nil {
		return nil, err
	}
	store.Retain(retainName, from)
	h := &Hub{store: store, lg: lg, done: make(chan struct{}), byChan: map[chanKey]map[*Listener]struct{}{}}
	h.dispatched.Store(from - 1)
	h.wg.Add(1)
	go h.run(r)
	return h, nil
}

// Close stops the hub; listeners get nothing more.
func (h *Hub) Close() {
	select {
	case <-h.done:
		return
	default:
	}
	close(h.done)
	h.wg.Wait()
	h.store.Release(retainName)
	h.waitMu.Lock()
	for _, w := range h.waiters {
		close(w.ch)
	}
	h.waiters = nil
	h.waitMu.Unlock()
}

// DispatchedLSN is the newest LSN whose notifications have been queued on
// their listeners.
func (h *Hub) DispatchedLSN() uint64 { return h.dispatched.Load() }

// WaitDispatched blocks until the hub has dispatched lsn (so a session
// that committed a NOTIFY it listens to has it queued before it reports
// ReadyForQuery, as PostgreSQL signals its own backend), ctx ends or the
// hub closes.
func (h *Hub) WaitDispatched(ctx context.Context, lsn uint64) error {
	if h.dispatched.Load() >= lsn {
		return nil
	}
	ch := make(chan struct{})
	h.waitMu.Lock()
	h.nwait.Add(1)
	h.waiters = append(h.waiters, waiter{lsn: lsn, ch: ch})
	h.waitMu.Unlock()
	// The hub may have passed lsn before we registered.
	if h.dispatched.Load() >= lsn {
		h.releaseWaiters(lsn)
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-h.done:
		return ErrHubClosed
	}
}

func (h *Hub) releaseWaiters(upTo uint64) {
	h.waitMu.Lock()
	keep := h.waiters[:0]
	for _, w := range h.waiters {
		if w.lsn <= upTo {
			close(w.ch)
			h.nwait.Add(-1)
		} else {
			keep = append(keep, w)
		}
	}
	h.waiters = keep
	h.waitMu.Unlock()
}

func (h *Hub) run(r kv.LogReader) {
	defer h.wg.Done()
	defer func() { r.Close() }()
	lastRetain := time.Now()
	n := 0
	for {
		rec, err := r.Next(h.done)
		if err != nil {
			select {
			case <-h.done:
				return
			default:
			}
			if errors.Is(err, kv.ErrClosed) {
				return
			}
			// Re-open after the last record dispatched; the hold on the
			// log keeps it there.
			h.lg.Error("stream: reading the commit log failed; resubscribing", "err", err, "lsn", h.dispatched.Load()+1)
			r.Close()
			select {
			case <-h.done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if r, err = h.store.Subscribe(h.dispatched.Load() + 1); err != nil {
				h.lg.Error("stream: cannot resubscribe to the commit log; notifications stop", "err", err)
				return
			}
			continue
		}
		h.orderMu.Lock()
		h.dispatch(rec)
		h.dispatched.Store(rec.LSN)
		if len(h.held) > 0 {
			h.releaseHeld(rec.LSN)
		}
		h.orderMu.Unlock()
		if h.nwait.Load() > 0 {
			h.releaseWaiters(rec.LSN)
		}
		// Move the hold on the log at most once a second, checking the
		// clock every 64 records: it lags at most 64 records after traffic
		// stops, so it never holds back truncation for long.
		if n++; n&63 == 0 {
			if now := time.Now(); now.Sub(lastRetain) > time.Second {
				h.store.Retain(retainName, rec.LSN+1)
				lastRetain = now
			}
		}
	}
}

// dispatch queues the notifications of one record on their listeners.
func (h *Hub) dispatch(rec *kv.Record) {
	for i := range rec.Attachments {
		a := &rec.Attachments[i]
		if a.Kind != AttachNotify {
			continue
		}
		h.mu.RLock()
		if len(h.byChan) == 0 {
			h.mu.RUnlock()
			continue
		}
		pos := position{lsn: rec.LSN}
		err := DecodeNotify(a.Data, func(db uint32, pid int32, channel, payload string) {
			for l := range h.byChan[chanKey{db, channel}] {
				l.enqueue(Notification{Channel: channel, Payload: payload, PID: pid, LSN: rec.LSN}, pos)
			}
		})
		h.mu.RUnlock()
		if err != nil {
			h.lg.Error("stream: skipping a malformed NOTIFY attachment", "lsn", rec.LSN, "err", err)
		}
	}
}

// Publish delivers the notifications of a transaction that wrote nothing,
// and so has no commit record to carry them: as in PostgreSQL, where such
// a transaction's commit is not flushed, they are not durable (nor are any
// notifications once delivered). They are ordered after every commit
// visible now and before any later one; the returned LSN is the newest
// visible commit, which WaitDispatched takes to wait until they are queued.
// ns is copied.
func (h *Hub) Publish(db uint32, pid int32, ns []Notification) (after uint64) {
	ns = cloneNotifications(ns)
	h.orderMu.Lock()
	defer h.orderMu.Unlock()
	after = h.store.LastLSN()
	h.published++
	pos := position{lsn: after, seq: h.published}
	if after <= h.dispatched.Load() {
		h.deliver(db, pid, pos, ns)
		return after
	}
	h.held = append(h.held, heldBatch{db: db, pid: pid, pos: pos, ns: ns})
	return after
}

// cloneNotifications copies ns with its strings (a caller's strings may
// alias buffers it reuses), all of them in one allocation.
func cloneNotifications(ns []Notification) []Notification {
	size := 0
	for i := range ns {
		size += len(ns[i].Channel) + len(ns[i].Payload)
	}
	buf := make([]byte, 0, size)
	for i := range ns {
		buf = append(buf, ns[i].Channel...)
		buf = append(buf, ns[i].Payload...)
	}
	all := string(buf)
	out := make([]Notification, len(ns))
	for i := range ns {
		c, p := len(ns[i].Channel), len(ns[i].Payload)
		out[i] = Notification{Channel: all[:c], Payload: all[c : c+p], PID: ns[i].PID}
		all = all[c+p:]
	}
	return out
}

// releaseHeld delivers the held publications that saw no commit after lsn
// (under orderMu, once the hub has dispatched lsn).
func (h *Hub) releaseHeld(lsn uint64) {
	i := 0
	for ; i < len(h.held) && h.held[i].pos.lsn <= lsn; i++ {
		b := &h.held[i]
		h.deliver(b.db, b.pid, b.pos, b.ns)
	}
	clear(h.held[:i])
	h.held = h.held[i:]
	if len(h.held) == 0 {
		h.held = nil
	}
}

// deliver queues one direct publication on its listeners (under orderMu).
func (h *Hub) deliver(db uint32, pid int32, pos position, ns []Notification) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if len(h.byChan) == 0 {
		return
	}
	for i := range ns {
		set := h.byChan[chanKey{db, ns[i].Channel}]
		if len(set) == 0 {
			continue
		}
		n := ns[i]
		n.PID, n.LSN = pid, pos.lsn
		for l := range set {
			l.enqueue(n, pos)
		}
	}
}

// QueueUsage is pg_notification_queue_usage(): the fraction of its queue
// that the fullest listener's waiting notifications fill (each session has
// its own bounded queue here, where PostgreSQL has one for all).
func (h *Hub) QueueUsage() float64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	used := 0.0
	for _, set := range h.byChan {
		for l := range set {
			l.mu.Lock()
			if f := float64(l.qbytes) / float64(l.limit); f > used {
				used = f
			}
			l.mu.Unlock()
		}
	}
	return used
}

// NewListener creates the listener of one session in database db. Its
// queue holds at most queueBytes (DefaultQueueBytes if <= 0).
func (h *Hub) NewListener(db uint32, queueBytes int) *Listener {
	if queueBytes <= 0 {
		queueBytes = DefaultQueueBytes
	}
	return &Listener{h: h, db: db, limit: queueBytes, from: map[string]position{}}
}

// Listener is one session's channels and the notifications queued for it.
// Listen/Unlisten/Take are called by the session's goroutine; enqueue by
// the hub's.
type Listener struct {
	h     *Hub
	db    uint32
	limit int

	mu       sync.Mutex
	channels []string            // in LISTEN order, as pg_listening_channels()
	from     map[string]position // channel -> deliver what comes after this
	queue    []Notification
	qbytes   int
	dropped  int64
	wake     func()
}

// SetWake sets the function called (from the hub's goroutine, so it must
// not block) when the queue goes from empty to non-empty.
func (l *Listener) SetWake(f func()) {
	l.mu.Lock()
	l.wake = f
	l.mu.Unlock()
}

// Listen starts delivery of channel's notifications committed after the
// newest durable commit. Listening twice is a no-op, as in PostgreSQL.
func (l *Listener) Listen(channel string) {
	// Under the hub's write lock no record is being dispatched, so the
	// position taken here and the registration are one step for it:
	// records after the position find the listener registered.
	h := l.h
	h.orderMu.Lock()
	defer h.orderMu.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.from[channel]; ok {
		return
	}
	l.from[channel] = position{lsn: h.store.LastLSN(), seq: h.published}
	l.channels = append(l.channels, channel)
	k := chanKey{l.db, channel}
	set := h.byChan[k]
	if set == nil {
		set = map[*Listener]struct{}{}
		h.byChan[k] = set
	}
	set[l] = struct{}{}
}

// Unlisten stops delivery on channel (no error if not listening).
// Notifications of channel queued and not yet taken are dropped: PostgreSQL
// checks that it still listens when it reads its queue (asyncQueueProcessPageEntries).
func (l *Listener) Unlisten(channel string) {
	h := l.h
	h.mu.Lock()
	defer h.mu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.from[channel]; !ok {
		return
	}
	delete(l.from, channel)
	keep := l.queue[:0]
	for _, n := range l.queue {
		if n.Channel == channel {
			l.qbytes -= len(n.Channel) + len(n.Payload) + notifOverhead
		} else {
			keep = append(keep, n)
		}
	}
	clear(l.queue[len(keep):])
	l.queue = keep
	for i, c := range l.channels {
		if c == channel {
			l.channels = append(l.channels[:i:i], l.channels[i+1:]...)
			break
		}
	}
	k := chanKey{l.db, channel}
	if set := h.byChan[k]; set != nil {
		delete(set, l)
		if len(set) == 0 {
			delete(h.byChan, k)
		}
	}
}

// UnlistenAll is UNLISTEN *.
func (l *Listener) UnlistenAll() {
	for _, c := range l.Channels() {
		l.Unlisten(c)
	}
}

// Close is UnlistenAll; the listener must not be used afterwards.
func (l *Listener) Close() { l.UnlistenAll() }

// Channels lists the channels listened to, in LISTEN order.
func (l *Listener) Channels() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.channels...)
}

// Listening reports whether channel is listened to.
func (l *Listener) Listening(channel string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.from[channel]
	return ok
}

// Pending reports whether notifications (or a loss) are waiting.
func (l *Listener) Pending() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue) > 0 || l.dropped > 0
}

// Queued is the number of notifications waiting.
func (l *Listener) Queued() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue)
}

// Take appends the queued notifications to dst and empties the queue.
// dropped counts the notifications lost to overflow since the last Take
// (they came after those returned).
func (l *Listener) Take(dst []Notification) (out []Notification, dropped int64) {
	l.mu.Lock()
	out = append(dst, l.queue...)
	clear(l.queue)
	l.queue = l.queue[:0]
	if cap(l.queue) > 1024 {
		l.queue = nil // do not pin a burst's backing array
	}
	l.qbytes = 0
	dropped, l.dropped = l.dropped, 0
	l.mu.Unlock()
	return out, dropped
}

func (l *Listener) enqueue(n Notification, pos position) {
	l.mu.Lock()
	from, ok := l.from[n.Channel]
	if !ok || !pos.after(from) {
		l.mu.Unlock()
		return
	}
	wasEmpty := len(l.queue) == 0 && l.dropped == 0
	size := len(n.Channel) + len(n.Payload) + notifOverhead
	if l.dropped > 0 || l.qbytes+size > l.limit {
		// Once a loss starts, nothing more is queued until the session
		// has taken the queue and been told: what it gets is a prefix of
		// the stream, never a stream with a hole in the middle.
		l.dropped++
		l.h.dropped.Add(1)
	} else {
		l.queue = append(l.queue, n)
		l.qbytes += size
		l.h.queued.Add(1)
	}
	wake := l.wake
	l.mu.Unlock()
	if wasEmpty && wake != nil {
		wake()
	}
}
