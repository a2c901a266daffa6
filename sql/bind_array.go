package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// bindArrayExpr binds ARRAY[a, b, ...]: the elements take a common type.
func (b *binder) bindArrayExpr(ae *pg_query.A_ArrayExpr, sc *scope, want types.Type) (bound.Expr, error) {
	elemWant := types.Unknown
	if et, ok := want.Elem(); ok && want.IsArray() {
		elemWant = et
	}
	if len(ae.Elements) > 0 && ae.Elements[0].GetAArrayExpr() != nil {
		return b.bindMultiDimArray(ae, sc, want)
	}
	elems := make([]bound.Expr, len(ae.Elements))
	for i, n := range ae.Elements {
		e, err := b.bindExpr(n, sc, elemWant)
		if err != nil {
			return nil, err
		}
		elems[i] = e
	}
	et := elemWant
	if len(elems) > 0 {
		t, err := b.commonType(elems, "ARRAY")
		if err != nil {
			return nil, err
		}
		et = t
	}
	if et.IsArray() {
		// ARRAY[a, b] of arrays: one more dimension.
		subs, err := b.coerceAll(elems, et)
		if err != nil {
			return nil, err
		}
		return multiDimArray(subs, et), nil
	}
	if et.OID == types.UnknownOID || et.OID == 0 {
		if len(elems) == 0 {
			return nil, pgerror.New(pgerror.IndeterminateDatatype, "cannot determine type of empty array").
				WithHint("Explicitly cast to the desired type, for example ARRAY[]::integer[].").WithPosition(ae.Location + 1)
		}
		et = types.Text
	}
	at, ok := types.ArrayOf(et)
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedObject, "could not find array type for data type %s", types.FormatType(et)).WithPosition(ae.Location + 1)
	}
	elems, err := b.coerceAll(elems, et)
	if err != nil {
		return nil, err
	}
	for i := range elems {
		elems[i] = finalize(elems[i])
	}
	return &bound.Call{Name: "ARRAY", Args: elems, T: at, Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewArray(et, append([]types.Datum(nil), a...)), nil
	}}, nil
}

// bindIndirection binds arr[i] and arr[i:j] (one dimension).
func (b *binder) bindIndirection(ind *pg_query.A_Indirection, sc *scope) (bound.Expr, error) {
	if e, ok, err := b.rowFieldSelect(ind, sc); ok {
		return e, err
	}
	x, err := b.bindExpr(ind.Arg, sc, types.Unknown)
	if err != nil {
		return nil, err
	}
	for _, n := range ind.Indirection {
		ix := n.GetAIndices()
		if ix == nil {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "field selection is not supported yet")
		}
		at := x.Type()
		if at.OID == types.NameOID && !ix.IsSlice {
			if x, err = b.nameSubscript(x, ix.Uidx, sc); err != nil {
				return nil, err
			}
			continue
		}
		et, ok := at.Elem()
		if !ok || !at.IsArray() {
			return nil, pgerror.New(pgerror.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", types.FormatType(at))
		}
		bindIdx := func(n *pg_query.Node) (bound.Expr, error) {
			if n == nil {
				return &bound.Const{T: types.Int4}, nil
			}
			e, err := b.bindExpr(n, sc, types.Int4)
			if err != nil {
				return nil, err
			}
			return b.coerce(e, types.Int4, castAssignment)
		}
		if !ix.IsSlice && len(ind.Indirection) > 1 {
			// arr[i][j]...: all subscripts address one element of a
			// multidimensional array together.
			return b.bindMultiSubscript(x, ind.Indirection, bindIdx, et)
		}
		if !ix.IsSlice {
			i, err := bindIdx(ix.Uidx)
			if err != nil {
				return nil, err
			}
			x = &bound.Call{Name: "subscript", Args: []bound.Expr{x, finalize(i)}, T: et, Strict: true,
				Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
					arr := a[0].Array()
					if arr == nil || len(arr.Dims) != 1 {
						return types.Datum{}, nil
					}
					k := a[1].I - int64(arr.Dims[0].Lower)
					if k < 0 || k >= int64(len(arr.Elems)) {
						return types.Datum{}, nil
					}
					return arr.Elems[k], nil
				}}
			continue
		}
		lo, err := bindIdx(ix.Lidx)
		if err != nil {
			return nil, err
		}
		hi, err := bindIdx(ix.Uidx)
		if err != nil {
			return nil, err
		}
		// An omitted bound is the array's own; a NULL one makes the
		// slice NULL, as a NULL subscript does.
		loGiven, hiGiven := ix.Lidx != nil, ix.Uidx != nil
		x = &bound.Call{Name: "slice", Args: []bound.Expr{x, finalize(lo), finalize(hi)}, T: at,
			Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				arr := a[0].Array()
				if a[0].K == types.KindNull || arr == nil ||
					loGiven && a[1].K == types.KindNull || hiGiven && a[2].K == types.KindNull {
					return types.Datum{}, nil
				}
				if len(arr.Dims) == 0 {
					return a[0], nil
				}
				lower := int64(arr.Dims[0].Lower)
				from, to := lower, lower+int64(len(arr.Elems))-1
				if a[1].K != types.KindNull {
					from = max(from, a[1].I)
				}
				if a[2].K != types.KindNull {
					to = min(to, a[2].I)
				}
				var out []types.Datum
				for k := from; k <= to; k++ {
					out = append(out, arr.Elems[k-lower])
				}
				return types.NewArray(arr.Elem, out), nil
			}}
	}
	return x, nil
}

// bindArrayCompare binds x op ANY(array) / x op ALL(array).
func (b *binder) bindArrayCompare(a *pg_query.A_Expr, sc *scope) (bound.Expr, error) {
	op := opName(a.Name)
	cmp, ok := cmpOps[op]
	all := a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ALL
	if _, like := likeOps[op]; like {
		return b.bindLikeArray(a, sc, op, all)
	}
	if !ok {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "operator %s with ANY/ALL is not supported yet", op).WithPosition(a.Location + 1)
	}
	x, err := b.bindExpr(a.Lexpr, sc, types.Unknown)
	if err != nil {
		return nil, err
	}
	want := types.Unknown
	if at, ok := types.ArrayOf(x.Type()); ok && x.Type().OID != types.UnknownOID {
		want = at
	}
	arr, err := b.bindExpr(a.Rexpr, sc, want)
	if err != nil {
		return nil, err
	}
	if arr.Type().OID == types.UnknownOID {
		t := want
		if t.OID == types.UnknownOID {
			t = types.TextArray
		}
		if arr, err = b.coerce(arr, t, castImplicit); err != nil {
			return nil, err
		}
	}
	et, ok := arr.Type().Elem()
	if !ok || !arr.Type().IsArray() {
		return nil, pgerror.New(pgerror.WrongObjectType, "op ANY/ALL (array) requires array on right side").WithPosition(a.Location + 1)
	}
	elem := &bound.ColRef{Idx: 0, T: et}
	l, r, err := b.unify(x, elem, op, a.Location)
	if err != nil {
		return nil, err
	}
	if r != bound.Expr(elem) {
		return nil, b.noOperator(op, x.Type(), et, a.Location)
	}
	test := cmp.Holds
	return quantified(op, all, l, arr, func(x, e types.Datum) (bool, error) { return test(types.Compare(x, e)), nil }), nil
}

// quantified is x op ANY/ALL (array) with SQL's three-valued logic: a NULL
// array or x is NULL (unless the array is empty: ANY false, ALL true); a
// NULL element makes an undecided result NULL. holds tests one non-NULL
// element.
func quantified(op string, all bool, x, arr bound.Expr, holds func(x, elem types.Datum) (bool, error)) *bound.Call {
	return &bound.Call{Name: op + " " + map[bool]string{true: "ALL", false: "ANY"}[all], Args: []bound.Expr{finalize(x), finalize(arr)}, T: types.Bool,
		Fn: func(_ *bound.EvalCtx, v []types.Datum) (types.Datum, error) {
			if v[1].K == types.KindNull {
				return types.Datum{}, nil
			}
			ar := v[1].Array()
			if ar == nil || len(ar.Elems) == 0 {
				return types.NewBool(all), nil
			}
			if v[0].K == types.KindNull {
				return types.Datum{}, nil
			}
			sawNull := false
			for _, e := range ar.Elems {
				if e.K == types.KindNull {
					sawNull = true
					continue
				}
				r, err := holds(v[0], e)
				if err != nil {
					return types.Datum{}, err
				}
				if !all && r {
					return types.NewBool(true), nil
				}
				if all && !r {
					return types.NewBool(false), nil
				}
			}
			if sawNull {
				return types.Datum{}, nil
			}
			return types.NewBool(all), nil
		}}
}

// nameSubscript is name[i]: name is a fixed-length array of "char" to
// PostgreSQL (raw_array_subscript_handler): the lower bound is 0, a
// position past the string's end gives ”, one past NAMEDATALEN gives NULL.
// pg_dump reads typname[0] to find array types.
func (b *binder) nameSubscript(x bound.Expr, idx *pg_query.Node, sc *scope) (bound.Expr, error) {
	const nameDataLen = 64
	e, err := b.bindExpr(idx, sc, types.Int4)
	if err != nil {
		return nil, err
	}
	if e, err = b.coerce(e, types.Int4, castAssignment); err != nil {
		return nil, err
	}
	return &bound.Call{Name: "subscript", Args: []bound.Expr{x, finalize(e)}, T: types.Char, Strict: true,
		Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			switch k := a[1].I; {
			case k < 0 || k >= nameDataLen:
				return types.Datum{}, nil
			case k >= int64(len(a[0].S)):
				return types.NewText(""), nil
			default:
				return types.NewText(a[0].S[k : k+1]), nil
			}
		}}, nil
}
