package sql

import (
	"context"
	"time"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
	"github.com/prkdb/prkdb-sql/stream"
)

// LISTEN / UNLISTEN / NOTIFY, pg_notify(), pg_listening_channels() and
// the notify_changes table option: the session side of package stream,
// after PostgreSQL 15's src/backend/commands/async.c.
//
// Everything is transactional, as in PostgreSQL: NOTIFY adds to the
// transaction's pending list (folding duplicates), LISTEN/UNLISTEN add to
// its list of actions; a savepoint rollback truncates both; COMMIT applies
// the actions and attaches the notifications to the kv commit record;
// ROLLBACK drops them. Delivery is stream's (the hub reads the record
// after it is durable) and pgwire's (NotificationResponse while idle).

// listenOp is a LISTEN (channel), UNLISTEN (channel) or UNLISTEN * (all).
type listenOp struct {
	unlisten, all bool
	channel       string
}

// Notification is what a listening session is sent.
type Notification = stream.Notification

// notifyWaitMax bounds how long a commit waits for the hub to queue the
// session's own notifications before it reports ReadyForQuery.
const notifyWaitMax = 5 * time.Second

func (s *Session) execListen(st *pg_query.ListenStmt, w ResultWriter) error {
	s.txn.listenOps = append(s.txn.listenOps, listenOp{channel: st.Conditionname})
	return w.Complete("LISTEN")
}

func (s *Session) execUnlisten(st *pg_query.UnlistenStmt, w ResultWriter) error {
	s.txn.listenOps = append(s.txn.listenOps, listenOp{unlisten: true, all: st.Conditionname == "", channel: st.Conditionname})
	return w.Complete("UNLISTEN")
}

func (s *Session) execNotify(st *pg_query.NotifyStmt, w ResultWriter) error {
	if err := s.Notify(st.Conditionname, st.Payload); err != nil {
		return err
	}
	return w.Complete("NOTIFY")
}

// Notify queues a notification in the current transaction (NOTIFY and
// pg_notify; checks and messages of Async_Notify).
func (s *Session) Notify(channel, payload string) error {
	if channel == "" {
		return pgerror.New(pgerror.InvalidParameterValue, "channel name cannot be empty")
	}
	if len(channel) > stream.MaxChannel {
		return pgerror.New(pgerror.InvalidParameterValue, "channel name too long")
	}
	if len(payload) >= stream.MaxPayload {
		return pgerror.New(pgerror.InvalidParameterValue, "payload string too long")
	}
	if s.txn == nil {
		s.beginTxn(false)
	}
	s.txn.notify.Add(channel, payload)
	return nil
}

// ListeningChannels is pg_listening_channels(): the committed LISTENs.
func (s *Session) ListeningChannels() []string {
	if s.listener == nil {
		return nil
	}
	return s.listener.Channels()
}

// NotificationQueueUsage is pg_notification_queue_usage().
func (s *Session) NotificationQueueUsage() float64 { return s.e.hub.QueueUsage() }

// SetNotifyWake sets the function the hub calls (from its own goroutine;
// it must not block) when a notification is queued for this session.
func (s *Session) SetNotifyWake(f func()) {
	s.notifyWake = f
	if s.listener != nil {
		s.listener.SetWake(f)
	}
}

// TakeNotifications appends the notifications queued for this session,
// in commit order, when it may be sent them: only outside a transaction,
// as PostgreSQL's ProcessNotifyInterrupt. If notifications were lost
// because the client did not read them fast enough, the error (FATAL,
// 54000) follows what was delivered: the session must end, since its
// client can no longer know what it missed.
func (s *Session) TakeNotifications(dst []Notification) ([]Notification, *pgerror.Error) {
	if s.listener == nil || s.txn != nil {
		return dst, nil
	}
	out, dropped := s.listener.Take(dst)
	if dropped > 0 {
		e := pgerror.New(pgerror.ProgramLimitExceeded, "terminating connection because its notification queue overflowed").
			WithDetail("%d notifications for this session were dropped: the client did not read them as fast as they were sent (the queue holds %d bytes).", dropped, s.e.notifyQueueBytes())
		e.Hint = "Read notifications promptly (a connection that only listens), or listen on fewer channels; after reconnecting, re-read the state the notifications describe."
		e.Severity = pgerror.SeverityFatal
		return out, e
	}
	return out, nil
}

// QueuedNotifications is how many notifications wait for the session.
func (s *Session) QueuedNotifications() int {
	if s.listener == nil {
		return 0
	}
	return s.listener.Queued()
}

// HasNotifications reports whether TakeNotifications has something.
func (s *Session) HasNotifications() bool {
	return s.listener != nil && s.txn == nil && s.listener.Pending()
}

// notifySavepoint is where a savepoint starts in the pending lists.
func (s *Session) notifySavepoint(sp *savepoint) {
	sp.notifyMark, sp.listenMark = s.txn.notify.Len(), len(s.txn.listenOps)
	sp.onCommitMark = len(s.txn.onCommit)
}

// rollbackNotifyTo drops what was queued after sp.
func (s *Session) rollbackNotifyTo(sp *savepoint) {
	s.txn.notify.Truncate(sp.notifyMark)
	s.txn.listenOps = s.txn.listenOps[:sp.listenMark]
	// The temporary tables created after sp are gone, and their OIDs may
	// be handed out again.
	s.txn.onCommit = s.txn.onCommit[:sp.onCommitMark]
}

// applyListenCommit runs before t's kv commit: it applies the LISTEN /
// UNLISTEN actions (so that a LISTEN and a NOTIFY of one transaction
// deliver to this session, as PostgreSQL's Exec_ListenPreCommit). undo
// reverts them if the commit fails.
func (s *Session) applyListenCommit(t *txnState) (undo func()) {
	if len(t.listenOps) > 0 {
		undo = s.applyListenOps(t.listenOps)
	}
	return undo
}

// attachNotifications puts the transaction's notifications in its kv
// commit record when it has one (it writes something), so they are
// delivered once that is durable, in its place in the log. A transaction
// that only notifies has no record and is not made durable: PostgreSQL
// does not flush the commit of a transaction that wrote no WAL either.
// Its notifications go straight to the hub (publishNotifications), which
// orders them after every commit visible now; direct reports that.
func (s *Session) attachNotifications(t *txnState) (direct bool) {
	ns := t.notify.List()
	if len(ns) == 0 {
		return false
	}
	if (t.kv == nil || t.kv.Empty()) && (t.cat == nil || !t.cat.Modified()) {
		return true
	}
	t.kv.Attach(stream.AttachNotify, stream.AppendNotify(nil, s.dbOID, s.params.BackendPID, ns))
	return false
}

// publishNotifications hands a notify-only transaction's notifications
// to the hub after it committed.
func (s *Session) publishNotifications(t *txnState) {
	after := s.e.hub.Publish(s.dbOID, s.params.BackendPID, t.notify.List())
	s.afterNotifyCommit(t, after)
}

// applyListenOps applies actions in order; undo restores the channel set.
func (s *Session) applyListenOps(ops []listenOp) (undo func()) {
	if s.listener == nil {
		s.listener = s.e.hub.NewListener(s.dbOID, s.e.notifyQueueBytes())
		s.listener.SetWake(s.notifyWake)
	}
	l := s.listener
	before := l.Channels()
	for _, op := range ops {
		switch {
		case op.all:
			l.UnlistenAll()
		case op.unlisten:
			l.Unlisten(op.channel)
		default:
			l.Listen(op.channel)
		}
	}
	return func() {
		l.UnlistenAll()
		for _, c := range before {
			l.Listen(c)
		}
	}
}

// afterNotifyCommit waits, when this session listens to a channel the
// transaction notified, until the hub has queued the commit's
// notifications, so that they are sent before ReadyForQuery.
func (s *Session) afterNotifyCommit(t *txnState, lsn uint64) {
	if s.listener == nil {
		return
	}
	mine := false
	var last string
	for _, n := range t.notify.List() {
		if n.Channel != last && s.listener.Listening(n.Channel) {
			mine = true
			break
		}
		last = n.Channel
	}
	if !mine {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), notifyWaitMax)
	defer cancel()
	s.e.hub.WaitDispatched(ctx, lsn)
}

// closeListener ends the session's listening (UNLISTEN * at disconnect).
func (s *Session) closeListener() {
	if s.listener != nil {
		s.listener.Close()
		s.listener = nil
	}
}

// --- notify_changes ---

// checkTableOption validates a table storage option as PostgreSQL's
// parseRelOptions does for the ones prkdb gives meaning to.
func checkTableOption(name, value string) error {
	if isTTLOption(name) {
		return checkTTLOption(name, value)
	}
	if name == catalog.NotifyChangesOption {
		if _, ok := catalog.ParseBoolOption(value); !ok {
			return pgerror.New(pgerror.InvalidParameterValue, "invalid value for boolean option \"%s\": %s", name, value)
		}
	}
	return nil
}

// RowChange implements executor.ChangeSink: a committed change of a table
// with notify_changes on becomes a notification on the channel named by
// the table's schema-qualified name, with a JSON payload
//
//	{"op":"insert|update|delete","table":"schema.table","key":{...},"old_key":{...},"row":{...}}
//
// (insert: key, row; update: key, old_key, row; delete: old_key). A payload
// that would reach the 8000-byte limit keeps op, table and the keys, and as
// many leading columns of the row as fit, with "truncated":true.
func (s *Session) RowChange(t *catalog.Table, op executor.ChangeOp, old, new []types.Datum) error {
	s.logRowChange(t, op, old, new)
	if !t.NotifyChanges() {
		return nil
	}
	schema := ""
	if sc := s.catalog().Schema(t.Schema); sc != nil {
		schema = sc.Name
	}
	channel := schema + "." + t.Name
	if len(channel) > stream.MaxChannel {
		// Cut at a character boundary, as PostgreSQL clips names (pg_mbcliplen).
		n := stream.MaxChannel
		for n > 0 && !utf8.RuneStart(channel[n]) {
			n--
		}
		channel = channel[:n]
	}
	var opName string
	switch op {
	case executor.ChangeInsert:
		opName = "insert"
	case executor.ChangeUpdate:
		opName = "update"
	default:
		opName = "delete"
	}
	b := make([]byte, 0, 256)
	b = append(b, `{"op":"`...)
	b = append(b, opName...)
	b = append(b, `","table":`...)
	b = types.AppendJSONString(b, channel)
	var err error
	if new != nil {
		b = append(b, `,"key":`...)
		if b, err = s.appendKeyJSON(b, t, new); err != nil {
			return err
		}
	}
	if old != nil {
		b = append(b, `,"old_key":`...)
		if b, err = s.appendKeyJSON(b, t, old); err != nil {
			return err
		}
	}
	// The limit is on the payload's length in bytes, and it must stay
	// below stream.MaxPayload.
	const room = stream.MaxPayload - 1 - len(`,"truncated":true}`)
	if len(b) > room {
		// Keys alone too large: op and table are what can be told.
		b = append(b[:0], `{"op":"`...)
		b = append(b, opName...)
		b = append(b, `","table":`...)
		b = types.AppendJSONString(b, channel)
		b = append(b, `,"truncated":true}`...)
		return s.Notify(channel, string(b))
	}
	truncated := false
	if new != nil {
		b = append(b, `,"row":{`...)
		first := true
		for i := range t.Columns {
			c := &t.Columns[i]
			if c.Dropped || c.Hidden || i >= len(new) {
				continue
			}
			mark := len(b)
			if !first {
				b = append(b, ',')
			}
			b = types.AppendJSONString(b, c.Name)
			b = append(b, ':')
			if b, err = builtins.AppendJSONValue(b, new[i], c.Type, s.types); err != nil {
				return err
			}
			if len(b)+1 > room {
				b = b[:mark]
				truncated = true
				break
			}
			first = false
		}
		b = append(b, '}')
	}
	if truncated {
		b = append(b, `,"truncated":true`...)
	}
	b = append(b, '}')
	return s.Notify(channel, string(b))
}

// appendKeyJSON writes the primary key columns of row as a JSON object (a
// table without a primary key is keyed by its hidden row id).
func (s *Session) appendKeyJSON(b []byte, t *catalog.Table, row []types.Datum) ([]byte, error) {
	b = append(b, '{')
	for i, ci := range t.Primary.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		c := &t.Columns[ci]
		b = types.AppendJSONString(b, c.Name)
		b = append(b, ':')
		var err error
		if b, err = builtins.AppendJSONValue(b, row[ci], c.Type, s.types); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// Listens reports whether the session has ever had a LISTEN committed
// (pgwire then waits for notifications between commands).
func (s *Session) Listens() bool { return s.listener != nil }
