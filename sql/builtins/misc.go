package builtins

import (
	"math/rand/v2"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// VersionString is what version() returns.
const VersionString = "PostgreSQL 15.8 (prkdb-sql) on x86_64-pc-linux-gnu, compiled by Go, 64-bit"

func init() {
	fn("version", sig(tText, func(*bound.EvalCtx, []types.Datum) (types.Datum, error) {
		return types.NewText(VersionString), nil
	}))
	fn("current_database", sig(types.Name, func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
		return types.NewText(c.Env.CurrentDatabase()), nil
	}))
	user := func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
		return types.NewText(c.Env.CurrentUser()), nil
	}
	fn("current_user", sig(types.Name, user))
	fn("session_user", sig(types.Name, user))
	fn("user", sig(types.Name, user))
	fn("current_role", sig(types.Name, user))
	fn("current_schema", sig(types.Name, func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
		s := c.Env.CurrentSchema()
		if s == "" {
			return types.Datum{}, nil
		}
		return types.NewText(s), nil
	}))
	fn("pg_backend_pid", sig(tInt4, func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
		return types.NewInt(int64(c.Env.BackendPID())), nil
	}))
	now := func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
		return types.NewTimestampTZ(c.TxnTime), nil
	}
	fn("now", sig(types.TimestampTZ, now))
	fn("transaction_timestamp", sig(types.TimestampTZ, now))
	fn("current_timestamp", sig(types.TimestampTZ, now))
	fn("statement_timestamp", sig(types.TimestampTZ, func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
		return types.NewTimestampTZ(c.StmtTime), nil
	}))
	fn("clock_timestamp", Overload{Ret: types.TimestampTZ, RetFromArg: -1, Volatile: true,
		Fn: func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
			return types.NewTimestampTZ(types.TimeToTimestamp(nowFunc())), nil
		}})
	fn("random", Overload{Ret: tFloat8, RetFromArg: -1, Volatile: true,
		Fn: func(*bound.EvalCtx, []types.Datum) (types.Datum, error) { return types.NewFloat(rand.Float64()), nil }})
	fn("nextval", Overload{Args: []types.Type{types.Regclass}, Ret: tInt8, RetFromArg: -1, Volatile: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			v, err := c.Env.NextVal(uint32(a[0].I))
			return types.NewInt(v), err
		}})
	fn("currval", Overload{Args: []types.Type{types.Regclass}, Ret: tInt8, RetFromArg: -1, Volatile: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			v, err := c.Env.CurrVal(uint32(a[0].I))
			return types.NewInt(v), err
		}})
	fn("lastval", Overload{Ret: tInt8, RetFromArg: -1, Volatile: true,
		Fn: func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
			v, err := c.Env.LastVal()
			return types.NewInt(v), err
		}})
	setval := func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		called := true
		if len(a) > 2 {
			called = a[2].I == 1
		}
		v, err := c.Env.SetVal(uint32(a[0].I), a[1].I, called)
		return types.NewInt(v), err
	}
	fn("setval", Overload{Args: []types.Type{types.Regclass, tInt8}, Ret: tInt8, RetFromArg: -1, Volatile: true, Fn: setval},
		Overload{Args: []types.Type{types.Regclass, tInt8, tBool}, Ret: tInt8, RetFromArg: -1, Volatile: true, Fn: setval})
	// current_setting reads the session (BEGIN ISOLATION LEVEL changes
	// transaction_isolation with no SET), so it must never be folded.
	fn("current_setting", unfoldable(sig(tText, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return c.Env.CurrentSetting(a[0].S, false)
	}, tText)), unfoldable(sig(tText, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return c.Env.CurrentSetting(a[0].S, a[1].I == 1)
	}, tText, tBool)))
	fn("set_config", Overload{Args: []types.Type{tText, tText, tBool}, Ret: tText, RetFromArg: -1, Volatile: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			v, err := c.Env.SetConfig(a[0].S, a[1].S, a[2].I == 1)
			return types.NewText(v), err
		}})
	fn("txid_current", Overload{Ret: tInt8, RetFromArg: -1, Volatile: true,
		Fn: func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) { return types.NewInt(c.Env.TxnID()), nil }})
}

// unfoldable marks an overload that the binder must not evaluate at bind
// time even when its arguments are constants.
func unfoldable(ov Overload) Overload {
	ov.Volatile = true
	return ov
}
