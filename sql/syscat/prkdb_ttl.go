package syscat

import (
	"time"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
	"github.com/prkdb/prkdb-sql/ttl"
)

// prkdb_ttl_status: one row per table of the database whose rows expire,
// with the sweeper's counters (package ttl). A prkdb extension, so it has
// no PostgreSQL OID; it takes one below FirstNormalObjectId (16384).

// TTLStatusLister is implemented by a session that can read the
// sweeper's counters; without it the view lists the tables with zeros.
type TTLStatusLister interface {
	TTLStatus() []ttl.Status
}

func init() {
	v := &View{Schema: "pg_catalog", Name: "prkdb_ttl_status", OID: 16300, Extension: true,
		Cols: cols(`relid oid, schemaname name, relname name, ttl_expire_after text, ttl_expiration_expression text,
			rows_swept bigint, rows_expired bigint, rows_pending bigint, sweep_lag interval, last_sweep_lag interval,
			oldest_unswept_expiry timestamp with time zone, sweeps bigint, batches bigint,
			last_sweep_start timestamp with time zone, last_sweep_end timestamp with time zone, last_error text`)}
	v.Rows = func(env bound.Env) ([][]types.Datum, error) {
		cat := env.Catalog()
		var sts []ttl.Status
		if l, ok := env.(TTLStatusLister); ok {
			sts = l.TTLStatus()
		}
		byOID := make(map[uint32]ttl.Status, len(sts))
		for _, s := range sts {
			byOID[s.OID] = s
		}
		ts := func(t time.Time) types.Datum {
			if t.IsZero() {
				return null
			}
			return types.NewTimestampTZ(types.TimeToTimestamp(t))
		}
		var rows [][]types.Datum
		for _, sc := range cat.Schemas(env.DatabaseOID()) {
			for _, t := range cat.Tables(sc.OID) {
				if t.TTL() == nil {
					continue
				}
				st := byOID[t.OID]
				lag := null
				if !st.OldestUnswept.IsZero() {
					lag = types.NewInterval(types.IntervalValue{Micros: st.Lag.Microseconds()})
				} else if st.Sweeps > 0 {
					lag = types.NewInterval(types.IntervalValue{})
				}
				lastLag := null
				if st.Sweeps > 0 {
					lastLag = types.NewInterval(types.IntervalValue{Micros: st.LastSweepLag.Microseconds()})
				}
				rows = append(rows, []types.Datum{oid(t.OID), text(sc.Name), text(t.Name),
					textOrNull(t.Options[catalog.TTLExpireAfterOption]), textOrNull(t.Options[catalog.TTLExpirationExpressionOption]),
					i64(st.RowsSwept), i64(st.RowsExpired), i64(st.Pending), lag, lastLag, ts(st.OldestUnswept), i64(st.Sweeps),
					i64(st.Batches), ts(st.LastStart), ts(st.LastEnd), textOrNull(st.LastError)})
			}
		}
		return rows, nil
	}
	register(v)
}
