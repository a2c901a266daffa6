package syscat

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
	"github.com/prkdb/prkdb-sql/stream"
)

// prkdb_consumer_groups: one row per partition of every consumer group
// (stream/groups.go) with its member, acknowledged offset and lag;
// prkdb_subscriptions: one row per subscription (stream/subscribe.go).
// prkdb extensions, with OIDs below FirstNormalObjectId.

// StreamLister is implemented by a session that can list the node's
// consumer groups and subscriptions; without it the views are empty.
type StreamLister interface {
	ConsumerGroups() []stream.GroupPartitionStatus
	Subscriptions() []stream.SubscriptionStatus
}

func init() {
	register(&View{Schema: "pg_catalog", Name: "prkdb_consumer_groups", OID: 16310, Extension: true,
		Cols: cols(`slot_name name, group_name text, partition integer, member text, member_pid integer,
			generation bigint, committed_lsn pg_lsn, sent_lsn pg_lsn, lag_records bigint`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			l, ok := env.(StreamLister)
			if !ok {
				return nil, nil
			}
			var rows [][]types.Datum
			for _, g := range l.ConsumerGroups() {
				member, pid, sent := null, null, null
				if g.Member != "" {
					member, pid = text(g.Member), i64(int64(g.MemberPID))
				}
				if g.Sent != 0 {
					sent = lsnText(g.Sent)
				}
				rows = append(rows, []types.Datum{text(g.Slot), text(g.Group), i64(int64(g.Partition)), member, pid,
					i64(int64(g.Generation)), lsnText(g.Committed), sent, i64(int64(g.LagRecords))})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "prkdb_subscriptions", OID: 16311, Extension: true,
		Cols: cols(`subname name, datoid oid, publication text, relid oid, retention interval, committed_offset bigint,
			retained_from bigint, lag_records bigint, lost boolean, created timestamp with time zone`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			l, ok := env.(StreamLister)
			if !ok {
				return nil, nil
			}
			var rows [][]types.Datum
			for _, s := range l.Subscriptions() {
				pub, rel, ret := null, null, null
				if s.Publication != "" {
					pub = text(s.Publication)
				}
				if s.Table != 0 {
					rel = oid(s.Table)
				}
				if s.Retention > 0 {
					ret = types.NewInterval(types.IntervalValue{Micros: s.Retention})
				}
				rows = append(rows, []types.Datum{text(s.Name), oid(s.Database), pub, rel, ret, i64(int64(s.Committed)),
					i64(int64(s.RetainedFrom)), i64(int64(s.LagRecords)), boolean(s.Lost),
					types.NewTimestampTZ(stream.PGEpochMicros(s.Created))})
			}
			return rows, nil
		}})
}
