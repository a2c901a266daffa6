package builtins

import (
	"crypto/rand"
	"strings"
	"time"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

func init() {
	fn("gen_random_uuid", Overload{Ret: types.UUID, RetFromArg: -1, Volatile: true,
		Fn: func(*bound.EvalCtx, []types.Datum) (types.Datum, error) {
			var u [16]byte
			rand.Read(u[:])
			u[6] = u[6]&0x0f | 0x40 // version 4
			u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
			return types.NewUUID(u), nil
		}})
	fn("pg_sleep", Overload{Args: []types.Type{tFloat8}, Ret: types.Void, RetFromArg: -1, Volatile: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			d := time.Duration(a[0].F * float64(time.Second))
			if d <= 0 {
				return types.Datum{}, nil
			}
			t := time.NewTimer(d)
			defer t.Stop()
			var done <-chan struct{}
			if c.Ctx != nil {
				done = c.Ctx.Done()
			}
			select {
			case <-t.C:
				return types.Datum{}, nil
			case <-done:
				if c.Ctx.Err() != nil && strings.Contains(c.Ctx.Err().Error(), "deadline") {
					return types.Datum{}, pgerror.New(pgerror.QueryCanceled, "canceling statement due to statement timeout")
				}
				return types.Datum{}, pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request")
			}
		}})
	fn("current_schemas", Overload{Args: []types.Type{tBool}, Ret: types.Type{OID: types.NameArrayOID, Typmod: -1}, RetFromArg: -1,
		Volatile: true, // reads search_path
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			var elems []types.Datum
			if a[0].I == 1 {
				// The implicit schemas first: the session's temporary
				// schema (unless search_path lists pg_temp), pg_catalog.
				if ts := TempSchemaOf(c.Env); ts != 0 {
					name := SchemaName(c.Env.Catalog(), ts)
					listed := false
					for _, s := range c.Env.SearchPath() {
						listed = listed || s == name
					}
					if !listed {
						elems = append(elems, types.NewText(name))
					}
				}
				elems = append(elems, types.NewText("pg_catalog"))
			}
			for _, s := range c.Env.SearchPath() {
				elems = append(elems, types.NewText(s))
			}
			return types.NewArray(types.Name, elems), nil
		}})
	fn("array_to_string", Overload{Args: []types.Type{Any, tText}, Ret: tText, RetFromArg: -1,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return arrayToString(c, a[0], a[1].S, nil)
		}}, Overload{Args: []types.Type{Any, tText, tText}, Ret: tText, RetFromArg: -1, NullCall: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[0].K == types.KindNull || a[1].K == types.KindNull {
				return types.Datum{}, nil
			}
			null := (*string)(nil)
			if a[2].K != types.KindNull {
				null = &a[2].S
			}
			return arrayToString(c, a[0], a[1].S, null)
		}})
}

func arrayToString(c *bound.EvalCtx, arr types.Datum, sep string, null *string) (types.Datum, error) {
	av, ok := arr.X.(*types.Array)
	if arr.K != types.KindArray || !ok {
		return types.Datum{}, pgerror.New(pgerror.DatatypeMismatch, "array_to_string requires an array")
	}
	var parts []string
	for _, e := range av.Elems {
		if e.K == types.KindNull {
			if null != nil {
				parts = append(parts, *null)
			}
			continue
		}
		parts = append(parts, string(types.AppendText(nil, e, av.Elem, c.Settings)))
	}
	return types.NewText(strings.Join(parts, sep)), nil
}
