package executor

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Eval is a compiled expression over an input row.
type Eval func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error)

var (
	dTrue  = types.NewBool(true)
	dFalse = types.NewBool(false)
	dNull  = types.Datum{}
)

// Compile turns a bound expression into a closure. It is called once per
// plan; nothing in the returned closure inspects the expression tree again.
func Compile(e bound.Expr) Eval {
	switch e := e.(type) {
	case *bound.Const:
		v := e.Val
		return func(*bound.EvalCtx, []types.Datum) (types.Datum, error) { return v, nil }
	case *bound.Param:
		idx := e.Idx
		return func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) { return c.Params[idx], nil }
	case *bound.ColRef:
		idx := e.Idx
		return func(_ *bound.EvalCtx, row []types.Datum) (types.Datum, error) { return row[idx], nil }
	case *bound.OuterRef:
		depth, idx := e.Depth, e.Idx
		return func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
			return c.Outer[len(c.Outer)-depth][idx], nil
		}
	case *bound.Call:
		return compileCall(e)
	case *bound.Compare:
		return compileCompare(e)
	case *bound.And:
		l, r := Compile(e.L), Compile(e.R)
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			a, err := l(c, row)
			if err != nil {
				return dNull, err
			}
			if a.K == types.KindBool && a.I == 0 {
				return dFalse, nil
			}
			b, err := r(c, row)
			if err != nil {
				return dNull, err
			}
			if b.K == types.KindBool && b.I == 0 {
				return dFalse, nil
			}
			if a.K == types.KindNull || b.K == types.KindNull {
				return dNull, nil
			}
			return dTrue, nil
		}
	case *bound.Or:
		l, r := Compile(e.L), Compile(e.R)
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			a, err := l(c, row)
			if err != nil {
				return dNull, err
			}
			if a.K == types.KindBool && a.I == 1 {
				return dTrue, nil
			}
			b, err := r(c, row)
			if err != nil {
				return dNull, err
			}
			if b.K == types.KindBool && b.I == 1 {
				return dTrue, nil
			}
			if a.K == types.KindNull || b.K == types.KindNull {
				return dNull, nil
			}
			return dFalse, nil
		}
	case *bound.Not:
		x := Compile(e.X)
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			a, err := x(c, row)
			if err != nil || a.K == types.KindNull {
				return dNull, err
			}
			return types.NewBool(a.I == 0), nil
		}
	case *bound.IsNull:
		x, not := Compile(e.X), e.Not
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			a, err := x(c, row)
			if err != nil {
				return dNull, err
			}
			return types.NewBool((a.K == types.KindNull) != not), nil
		}
	case *bound.IsBool:
		x, want, not := Compile(e.X), e.Value, e.Not
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			a, err := x(c, row)
			if err != nil {
				return dNull, err
			}
			var is bool
			switch want {
			case -1:
				is = a.K == types.KindNull
			case 1:
				is = a.K == types.KindBool && a.I == 1
			default:
				is = a.K == types.KindBool && a.I == 0
			}
			return types.NewBool(is != not), nil
		}
	case *bound.IsDistinct:
		l, r, not := Compile(e.L), Compile(e.R), e.Not
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			a, err := l(c, row)
			if err != nil {
				return dNull, err
			}
			b, err := r(c, row)
			if err != nil {
				return dNull, err
			}
			var distinct bool
			switch {
			case a.K == types.KindNull && b.K == types.KindNull:
				distinct = false
			case a.K == types.KindNull || b.K == types.KindNull:
				distinct = true
			default:
				distinct = types.Compare(a, b) != 0
			}
			return types.NewBool(distinct != not), nil
		}
	case *bound.Case:
		return compileCase(e)
	case *bound.Cast:
		return compileCast(e)
	case *bound.Coalesce:
		args := compileAll(e.Args)
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			for _, a := range args {
				v, err := a(c, row)
				if err != nil || v.K != types.KindNull {
					return v, err
				}
			}
			return dNull, nil
		}
	case *bound.NullIf:
		a, b := Compile(e.A), Compile(e.B)
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			x, err := a(c, row)
			if err != nil || x.K == types.KindNull {
				return x, err
			}
			y, err := b(c, row)
			if err != nil {
				return dNull, err
			}
			if y.K != types.KindNull && types.Compare(x, y) == 0 {
				return dNull, nil
			}
			return x, nil
		}
	case *bound.InList:
		return compileInList(e)
	case *bound.Like:
		return compileLike(e)
	case *bound.Subquery:
		return compileSubquery(e)
	case *bound.AggRef:
		// Aggregated rows carry aggregates after the group keys; the planner
		// rewrites AggRefs to ColRefs, so reaching here is a planner bug.
		return func(*bound.EvalCtx, []types.Datum) (types.Datum, error) {
			return dNull, pgerror.New(pgerror.InternalError, "unplanned aggregate reference")
		}
	}
	return func(*bound.EvalCtx, []types.Datum) (types.Datum, error) {
		return dNull, pgerror.New(pgerror.FeatureNotSupported, "expression %T not supported", e)
	}
}

func compileAll(es []bound.Expr) []Eval {
	out := make([]Eval, len(es))
	for i, e := range es {
		out[i] = Compile(e)
	}
	return out
}

func compileCall(e *bound.Call) Eval {
	args := compileAll(e.Args)
	fn, strict := e.Fn, e.Strict
	switch len(args) {
	case 0:
		return func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) { return fn(c, nil) }
	case 1:
		a0 := args[0]
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			var buf [1]types.Datum
			v, err := a0(c, row)
			if err != nil {
				return dNull, err
			}
			if strict && v.K == types.KindNull {
				return dNull, nil
			}
			buf[0] = v
			return fn(c, buf[:])
		}
	case 2:
		a0, a1 := args[0], args[1]
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			var buf [2]types.Datum
			v0, err := a0(c, row)
			if err != nil {
				return dNull, err
			}
			if strict && v0.K == types.KindNull {
				return dNull, nil
			}
			v1, err := a1(c, row)
			if err != nil {
				return dNull, err
			}
			if strict && v1.K == types.KindNull {
				return dNull, nil
			}
			buf[0], buf[1] = v0, v1
			return fn(c, buf[:])
		}
	}
	return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
		vals := make([]types.Datum, len(args))
		for i, a := range args {
			v, err := a(c, row)
			if err != nil {
				return dNull, err
			}
			if strict && v.K == types.KindNull {
				return dNull, nil
			}
			vals[i] = v
		}
		return fn(c, vals)
	}
}

func compileCompare(e *bound.Compare) Eval {
	l, r := Compile(e.L), Compile(e.R)
	test := e.Op.Holds
	if e.L.Type().OID == types.BPCharOID && e.R.Type().OID == types.BPCharOID {
		// char(n) against char(m): trailing blanks do not count (bpcharcmp),
		// whatever the two lengths.
		return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
			a, err := l(c, row)
			if err != nil || a.K == types.KindNull {
				return dNull, err
			}
			b, err := r(c, row)
			if err != nil || b.K == types.KindNull {
				return dNull, err
			}
			return types.NewBool(test(types.CompareBPChar(a.S, b.S))), nil
		}
	}
	return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
		a, err := l(c, row)
		if err != nil || a.K == types.KindNull {
			return dNull, err
		}
		b, err := r(c, row)
		if err != nil || b.K == types.KindNull {
			return dNull, err
		}
		return types.NewBool(test(types.Compare(a, b))), nil
	}
}

func compileCase(e *bound.Case) Eval {
	conds := make([]Eval, len(e.Whens))
	thens := make([]Eval, len(e.Whens))
	for i, w := range e.Whens {
		conds[i], thens[i] = Compile(w.Cond), Compile(w.Then)
	}
	var els Eval
	if e.Else != nil {
		els = Compile(e.Else)
	}
	return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
		for i, cond := range conds {
			v, err := cond(c, row)
			if err != nil {
				return dNull, err
			}
			if v.K == types.KindBool && v.I == 1 {
				return thens[i](c, row)
			}
		}
		if els != nil {
			return els(c, row)
		}
		return dNull, nil
	}
}

func compileCast(e *bound.Cast) Eval {
	x := Compile(e.X)
	from, to, explicit := e.X.Type(), e.T, e.Explicit
	return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
		v, err := x(c, row)
		if err != nil || v.K == types.KindNull {
			return v, err
		}
		return types.Cast(v, from, to, explicit, c.Settings)
	}
}

func compileInList(e *bound.InList) Eval {
	x := Compile(e.X)
	list := compileAll(e.List)
	not := e.Not
	return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
		v, err := x(c, row)
		if err != nil || v.K == types.KindNull {
			return dNull, err
		}
		sawNull := false
		for _, item := range list {
			w, err := item(c, row)
			if err != nil {
				return dNull, err
			}
			if w.K == types.KindNull {
				sawNull = true
				continue
			}
			if types.Compare(v, w) == 0 {
				return types.NewBool(!not), nil
			}
		}
		if sawNull {
			return dNull, nil
		}
		return types.NewBool(not), nil
	}
}

func compileLike(e *bound.Like) Eval {
	x, pat := Compile(e.X), Compile(e.Pattern)
	var esc Eval
	if e.Escape != nil {
		esc = Compile(e.Escape)
	}
	ci, not := e.CaseInsensitive, e.Not
	// A constant pattern is compiled once; otherwise per distinct pattern.
	var lastPat string
	var lastEsc string
	var matcher func(string) bool
	return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
		v, err := x(c, row)
		if err != nil || v.K == types.KindNull {
			return dNull, err
		}
		p, err := pat(c, row)
		if err != nil || p.K == types.KindNull {
			return dNull, err
		}
		escape := "\\"
		if esc != nil {
			ev, err := esc(c, row)
			if err != nil || ev.K == types.KindNull {
				return dNull, err
			}
			escape = ev.S
		}
		if matcher == nil || p.S != lastPat || escape != lastEsc {
			m, err := types.CompileLike(p.S, ci, escape)
			if err != nil {
				return dNull, err
			}
			matcher, lastPat, lastEsc = m, p.S, escape
		}
		return types.NewBool(matcher(v.S) != not), nil
	}
}
