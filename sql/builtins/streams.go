package builtins

import (
	"context"
	"time"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Subscriptions (sql/streams.go, stream/subscribe.go): durable named change
// feeds read and committed with SQL, so any driver can consume changes with
// offsets and no replication protocol:
//
//	prkdb_create_subscription(name, source [, retention interval]) -> bigint
//	prkdb_drop_subscription(name) -> void
//	prkdb_subscription_changes(name [, since bigint [, max_changes int]])
//	    -> (offset, op, table_name, key, old_key, row, old_row, commit_time)
//	prkdb_subscription_commit(name, offset bigint) -> bigint

// subscriber is what the session implements.
type subscriber interface {
	CreateSubscription(ctx context.Context, name, source string, retention time.Duration) (int64, error)
	DropSubscription(ctx context.Context, name string) error
	CommitSubscription(name string, offset int64) (int64, error)
	SubscriptionChanges(ctx context.Context, name string, since, max int64, emit func([]types.Datum) error) error
}

func subEnv(c *bound.EvalCtx) (subscriber, error) {
	r, ok := c.Env.(subscriber)
	if !ok {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "subscription functions are not available here")
	}
	return r, nil
}

func notNull(d types.Datum, what string) error {
	if d.IsNull() {
		return pgerror.New(pgerror.NullValueNotAllowed, "%s must not be null", what)
	}
	return nil
}

func init() {
	create := func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r, err := subEnv(c)
		if err != nil {
			return nullDatum, err
		}
		if err := notNull(a[0], "subscription name"); err != nil {
			return nullDatum, err
		}
		if err := notNull(a[1], "source"); err != nil {
			return nullDatum, err
		}
		var ret time.Duration
		if len(a) > 2 && !a[2].IsNull() {
			iv := a[2].Interval()
			// An interval's month is 30 days and its day 24 hours here,
			// as PostgreSQL's interval-to-epoch conversion counts them.
			ret = time.Duration(iv.Micros)*time.Microsecond + time.Duration(iv.Days)*24*time.Hour +
				time.Duration(iv.Months)*30*24*time.Hour
		}
		off, err := r.CreateSubscription(evalContext(c), a[0].S, a[1].S, ret)
		if err != nil {
			return nullDatum, err
		}
		return types.NewInt(off), nil
	}
	fn("prkdb_create_subscription",
		Overload{Args: args(types.Text, types.Text), Ret: types.Int8, Volatile: true, NullCall: true, Fn: create},
		Overload{Args: args(types.Text, types.Text, types.Interval), Ret: types.Int8, Volatile: true, NullCall: true, Fn: create})
	fn("prkdb_drop_subscription", Overload{Args: args(types.Text), Ret: types.Void, Volatile: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			r, err := subEnv(c)
			if err != nil {
				return nullDatum, err
			}
			return types.NewText(""), r.DropSubscription(evalContext(c), a[0].S)
		}})
	fn("prkdb_subscription_commit", Overload{Args: args(types.Text, types.Int8), Ret: types.Int8, Volatile: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			r, err := subEnv(c)
			if err != nil {
				return nullDatum, err
			}
			off, err := r.CommitSubscription(a[0].S, a[1].I)
			if err != nil {
				return nullDatum, err
			}
			return types.NewInt(off), nil
		}})
	changes := func(c *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
		r, err := subEnv(c)
		if err != nil {
			return err
		}
		if err := notNull(a[0], "subscription name"); err != nil {
			return err
		}
		since, max := int64(-1), int64(0)
		if len(a) > 1 && !a[1].IsNull() {
			if since = a[1].I; since < 0 {
				return pgerror.New(pgerror.InvalidParameterValue, "since must not be negative")
			}
		}
		if len(a) > 2 && !a[2].IsNull() {
			if max = a[2].I; max < 0 {
				return pgerror.New(pgerror.InvalidParameterValue, "max_changes must not be negative")
			}
		}
		return r.SubscriptionChanges(evalContext(c), a[0].S, since, max, emit)
	}
	cols := []SRFColumn{{Name: "offset", Type: types.Int8}, {Name: "op", Type: types.Text}, {Name: "table_name", Type: types.Text},
		{Name: "key", Type: types.JSONB}, {Name: "old_key", Type: types.JSONB}, {Name: "row", Type: types.JSONB},
		{Name: "old_row", Type: types.JSONB}, {Name: "commit_time", Type: types.TimestampTZ}}
	srf("prkdb_subscription_changes",
		SRF{Args: args(types.Text), Cols: cols, NullCall: true, Gen: changes},
		SRF{Args: args(types.Text, types.Int8), Cols: cols, NullCall: true, Gen: changes},
		SRF{Args: args(types.Text, types.Int8, types.Int4), Cols: cols, NullCall: true, Gen: changes})
}
