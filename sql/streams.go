package sql

import (
	"context"
	"errors"
	"strings"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
	"github.com/prkdb/prkdb-sql/stream"
)

// Consumer groups and subscriptions, the SQL side (package stream owns
// their state, offsets and delivery; see stream/groups.go and
// stream/subscribe.go):
//
//   - START_REPLICATION ... (consumer_group 'g', member 'm') joins a
//     consumer group (JoinConsumerGroup); the row keyer here gives stream
//     the primary key bytes it partitions by.
//   - prkdb_create_subscription / prkdb_drop_subscription /
//     prkdb_subscription_changes / prkdb_subscription_commit and the views
//     prkdb_subscriptions and prkdb_consumer_groups.

// openStreams opens the groups and subscriptions after the slots.
func (e *Engine) openStreams() error {
	g, err := stream.OpenGroups(e.store, e.repl.slots)
	if err != nil {
		return err
	}
	sub, err := stream.OpenSubscriptions(e.store, e.repl.slots)
	if err != nil {
		return err
	}
	e.repl.groups, e.repl.subs = g, sub
	return nil
}

func (e *Engine) closeStreams() {
	if e.repl.subs != nil {
		e.repl.subs.Close()
	}
}

// streamError maps stream's group and subscription errors to SQLSTATEs.
func streamError(err error, name string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, stream.ErrGroupOption):
		return pgerror.New(pgerror.InvalidParameterValue, "%s", err.Error())
	case errors.Is(err, stream.ErrMemberActive):
		return pgerror.New(pgerror.ObjectInUse, "%s", err.Error())
	case errors.Is(err, stream.ErrSubNotFound):
		return pgerror.New(pgerror.UndefinedObject, "subscription \"%s\" does not exist", name)
	case errors.Is(err, stream.ErrSubNotRetained):
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "subscription \"%s\" no longer retains changes at that offset", name).
			WithDetail("%s.", strings.TrimPrefix(err.Error(), stream.ErrSubNotRetained.Error()+": "))
	case errors.Is(err, stream.ErrSubOffset):
		return pgerror.New(pgerror.InvalidParameterValue, "offset is after the newest change of subscription \"%s\"", name)
	case errors.Is(err, stream.ErrSlotExists):
		return pgerror.New(pgerror.DuplicateObject, "subscription or replication slot \"%s\" already exists", name)
	}
	return replError(err, name)
}

// --- consumer groups ---

// GroupStream is one consumer group member's stream (pgwire runs it).
type GroupStream struct {
	s      *Session
	m      *stream.Member
	plugin stream.Plugin
	keyer  stream.RowKeyer
	group  string
	left   bool
}

// JoinConsumerGroup joins the group START_REPLICATION's options name
// (consumer_group, member, partitions, session_timeout_ms). ok is false
// when the options name no group (an ordinary stream).
func (s *Session) JoinConsumerGroup(slot string, opts [][2]string) (gs *GroupStream, ok bool, err error) {
	o, rest, ok, err := stream.ParseGroupOptions(opts)
	if err != nil {
		return nil, true, streamError(err, slot)
	}
	if !ok {
		return nil, false, nil
	}
	info, found := s.e.repl.slots.Get(slot)
	if !found {
		return nil, true, replError(stream.ErrSlotNotFound, slot)
	}
	plugin, err := s.newPlugin(info.Plugin, rest, true)
	if err != nil {
		return nil, true, err
	}
	m, err := s.e.repl.groups.Join(slot, o, s.params.BackendPID, s.dbOID)
	if err != nil {
		return nil, true, streamError(err, slot)
	}
	return &GroupStream{s: s, m: m, plugin: plugin, keyer: newRowKeyer(s.e, s.dbOID, s.types), group: o.Group}, true, nil
}

// Run streams the member's share until ctx ends, the client ends the
// stream, or the member gains partitions in a rebalance (40001: the
// client reconnects under the same member name to receive them). The
// member is disconnected on return (Leave).
func (g *GroupStream) Run(ctx context.Context, io stream.SenderIO, fb <-chan stream.Feedback, stats *stream.SenderStats) error {
	err := g.m.Stream(ctx, io, stream.GroupStreamOptions{Plugin: g.plugin, Keyer: g.keyer, Feedback: fb, Stats: stats})
	g.m.Leave(errors.Is(err, stream.ErrStreamEnded))
	g.left = true
	if errors.Is(err, stream.ErrRebalanced) {
		return pgerror.New(pgerror.SerializationFailure, "consumer group \"%s\" was rebalanced", g.group).
			WithHint("Start replication again with the same member name to receive the partitions assigned to it.")
	}
	return err
}

// Leave disconnects the member if Run did not (once Run has, the member
// may already be back on another connection).
func (g *GroupStream) Leave() {
	if !g.left {
		g.left = true
		g.m.Leave(false)
	}
}

// newRowKeyer returns the primary key bytes of an encoded row (the whole
// row for a table without a primary key), with the table as of the record.
func newRowKeyer(e *Engine, db uint32, set *types.Settings) stream.RowKeyer {
	d := newDecodeSchema(e, db, set)
	var row []types.Datum
	var key []byte
	return func(rel uint32, n uint64, enc []byte) []byte {
		re := d.entry(rel, n)
		if re == nil || !re.t.HasPrimaryKey() {
			return enc
		}
		if cap(row) < len(re.types) {
			row = make([]types.Datum, len(re.types))
		}
		vals, err := types.DecodeRow(enc, re.types, row[:len(re.types)])
		if err != nil {
			return enc
		}
		key = key[:0]
		for _, c := range re.t.Primary.Columns {
			if c < len(vals) {
				key = types.AppendKey(key, vals[c], re.types[c], false)
			}
		}
		return key
	}
}

// ConsumerGroups lists the groups' partitions (prkdb_consumer_groups).
func (s *Session) ConsumerGroups() []stream.GroupPartitionStatus {
	if s.e.repl.groups == nil {
		return nil
	}
	return s.e.repl.groups.Status()
}

// forgetGroups drops the consumer groups and the subscription of a
// dropped slot.
func (s *Session) forgetGroups(slot string) {
	if s.e.repl.groups != nil {
		s.e.repl.groups.Forget(slot)
	}
	if s.e.repl.subs != nil {
		s.e.repl.subs.Forget(slot)
	}
}

// --- subscriptions ---

// CreateSubscription is prkdb_create_subscription(name, source,
// retention): source is a publication of this database or else a table
// name ([schema.]table). It returns the offset it starts after.
func (s *Session) CreateSubscription(ctx context.Context, name, source string, retention time.Duration) (int64, error) {
	if err := stream.ValidName(name); err != nil {
		return 0, replError(err, name)
	}
	if retention < 0 {
		return 0, pgerror.New(pgerror.InvalidParameterValue, "retention must not be negative")
	}
	if s.txn != nil && s.txn.explicit {
		return 0, pgerror.New(pgerror.ActiveSQLTransaction, "prkdb_create_subscription cannot run inside a transaction block")
	}
	cat := s.e.Catalog()
	var pub string
	var table uint32
	if p := cat.PublicationByName(s.dbOID, source); p != nil {
		pub = p.Name
	} else {
		schema, rel, qualified := strings.Cut(source, ".")
		if !qualified {
			schema, rel = "", source
		}
		oid, kind, ok := s.lookupRelation(cat, strings.ToLower(schema), strings.ToLower(rel))
		if !ok {
			return 0, pgerror.New(pgerror.UndefinedObject, "\"%s\" is neither a publication nor a table", source)
		}
		if kind != catalog.RelTable {
			return 0, pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a table", source)
		}
		table = oid
	}
	info, err := s.e.repl.subs.Create(name, s.dbOID, pub, table, retention, s.params.BackendPID, func() error { return s.settleLogical(ctx) })
	if err != nil {
		return 0, streamError(err, name)
	}
	return int64(info.Committed), nil
}

// DropSubscription is prkdb_drop_subscription(name).
func (s *Session) DropSubscription(ctx context.Context, name string) error {
	return streamError(s.e.repl.subs.Drop(ctx, name, s.params.BackendPID), name)
}

// CommitSubscription is prkdb_subscription_commit(name, offset): it
// returns the committed offset.
func (s *Session) CommitSubscription(name string, offset int64) (int64, error) {
	if offset < 0 {
		return 0, pgerror.New(pgerror.InvalidParameterValue, "offset must not be negative")
	}
	if err := s.e.repl.subs.Commit(name, uint64(offset)); err != nil {
		return 0, streamError(err, name)
	}
	info, _ := s.e.repl.subs.Get(name)
	return int64(info.Committed), nil
}

// SubscriptionChanges is prkdb_subscription_changes(name, since,
// max_changes): one row per change (offset, op, table_name, key, old_key,
// row, old_row, commit_time). since < 0 means the committed offset.
func (s *Session) SubscriptionChanges(ctx context.Context, name string, since int64, max int64, emit func([]types.Datum) error) error {
	var sp *uint64
	if since >= 0 {
		u := uint64(since)
		sp = &u
	}
	schema := newDecodeSchema(s.e, s.dbOID, s.types)
	cat := s.e.Catalog()
	row := make([]types.Datum, 8)
	jsonb := func(b []byte) (types.Datum, error) {
		if b == nil {
			return types.Datum{}, nil
		}
		return types.ParseText(types.JSONB, string(b), s.types)
	}
	err := s.e.repl.subs.Read(ctx, name, s.params.BackendPID, s.dbOID, sp, int(max), schema, func(c *stream.SubChange) error {
		var err error
		row[0] = types.NewInt(int64(c.Offset))
		row[1] = types.NewText(c.Op)
		tname := c.Rel.Namespace + "." + c.Rel.Name
		if t := cat.Table(c.Rel.OID); t == nil {
			tname = c.Rel.Namespace + "." + c.Rel.Name
		}
		row[2] = types.NewText(tname)
		for i, b := range [][]byte{c.Key, c.OldKey, c.Row, c.OldRow} {
			if row[3+i], err = jsonb(b); err != nil {
				return err
			}
		}
		row[7] = types.NewTimestampTZ(stream.PGEpochMicros(c.CommitTime))
		return emit(row)
	})
	return streamError(err, name)
}

// Subscriptions lists the subscriptions (prkdb_subscriptions).
func (s *Session) Subscriptions() []stream.SubscriptionStatus {
	if s.e.repl.subs == nil {
		return nil
	}
	return s.e.repl.subs.List()
}

// Named arguments of the subscription functions (bind_named_args.go):
// prkdb_create_subscription(name, source, retention => '1 day') and
// prkdb_subscription_changes(name, since => 0, max_changes => 100).
func init() {
	null := &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Isnull: true}}}
	type param = struct {
		name string
		def  *pg_query.Node
	}
	funcParams["prkdb_create_subscription"] = []param{{"name", nil}, {"source", nil}, {"retention", null}}
	funcParams["prkdb_subscription_changes"] = []param{{"name", nil}, {"since", null}, {"max_changes", null}}
	funcParams["prkdb_subscription_commit"] = []param{{"name", nil}, {"offset", nil}}
}
