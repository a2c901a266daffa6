package sql

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// arrayContainment binds anyarray @> anyarray, <@ and && (arraycontains,
// arraycontained, arrayoverlap in PostgreSQL's arrayfuncs.c): elements
// compare with their type's equality, dimensions are ignored, duplicates
// do not matter, and a NULL element never matches. An untyped literal
// takes the other side's array type; two different array types have no
// such operator (42883). ok is false when neither side is an array.
func (b *binder) arrayContainment(op string, l, r bound.Expr, loc int32) (e bound.Expr, ok bool, err error) {
	lt, rt := l.Type(), r.Type()
	if !lt.IsArray() && !rt.IsArray() {
		return nil, false, nil
	}
	arr := lt
	if !lt.IsArray() {
		arr = rt
	}
	noOp := pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s %s", types.FormatType(lt), op, types.FormatType(rt)).
		WithPosition(loc + 1).WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
	for _, x := range []*bound.Expr{&l, &r} {
		t := (*x).Type()
		if t.OID == types.UnknownOID {
			if *x, err = b.coerce(*x, arr, castImplicit); err != nil {
				return nil, true, err
			}
		} else if t.OID != arr.OID {
			return nil, true, noOp
		}
	}
	var fn bound.Fn
	switch op {
	case "@>":
		fn = func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewBool(arrayContains(a[0].Array(), a[1].Array())), nil
		}
	case "<@":
		fn = func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewBool(arrayContains(a[1].Array(), a[0].Array())), nil
		}
	default: // &&
		fn = func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewBool(arrayOverlaps(a[0].Array(), a[1].Array())), nil
		}
	}
	return &bound.Call{Name: op, Args: []bound.Expr{l, r}, T: types.Bool, Fn: fn, Strict: true, Infix: true}, true, nil
}

// arrayHas reports whether a non-NULL x equals an element of a.
func arrayHas(a *types.Array, x types.Datum) bool {
	for _, y := range a.Elems {
		if !y.IsNull() && types.Compare(x, y) == 0 {
			return true
		}
	}
	return false
}

// arrayContains: every element of b is in a (a NULL element of b never is).
func arrayContains(a, b *types.Array) bool {
	for _, x := range b.Elems {
		if x.IsNull() || !arrayHas(a, x) {
			return false
		}
	}
	return true
}

func arrayOverlaps(a, b *types.Array) bool {
	for _, x := range b.Elems {
		if !x.IsNull() && arrayHas(a, x) {
			return true
		}
	}
	return false
}
