package sql

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// arrayConcat binds || when an operand is an array: array_cat
// (anyarray || anyarray), array_append (anyarray || anyelement) and
// array_prepend (anyelement || anyarray), for one-dimensional arrays. An
// untyped literal next to an array is read as that array type, as
// PostgreSQL's operator resolution prefers. ok is false when neither side
// is an array.
func (b *binder) arrayConcat(l, r bound.Expr, loc int32) (e bound.Expr, ok bool, err error) {
	lt, rt := l.Type(), r.Type()
	la, ra := lt.IsArray(), rt.IsArray()
	if !la && !ra {
		return nil, false, nil
	}
	arr := lt
	if !la {
		arr = rt
	}
	elem, _ := arr.Elem()
	if t, ok := b.arrayConcatElem(lt, rt); ok && t != elem {
		// anycompatiblearray || anycompatible: int[] || bigint is bigint[].
		if arr, ok = types.ArrayOf(t); !ok {
			return nil, true, pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s || %s", types.FormatType(lt), types.FormatType(rt)).WithPosition(loc + 1)
		}
		elem = t
	}
	side := func(x bound.Expr, isArr bool) (bound.Expr, bool, error) {
		t := x.Type()
		if t.OID == types.UnknownOID || isArr {
			c, err := b.coerce(x, arr, castImplicit)
			return c, true, err
		}
		c, err := b.coerce(x, elem, castImplicit)
		return c, false, err
	}
	l, lArr, lerr := side(l, la)
	r, rArr, rerr := side(r, ra)
	if lerr != nil || rerr != nil {
		return nil, true, pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s || %s", types.FormatType(lt), types.FormatType(rt)).WithPosition(loc + 1)
	}
	fn := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if lArr && rArr && !a[0].IsNull() && !a[1].IsNull() && (len(a[0].Array().Dims) > 1 || len(a[1].Array().Dims) > 1) {
			// array_cat of multidimensional arrays (adding a slice, or
			// stacking two arrays), as the type's own || does.
			x, y := a[0].Array(), a[1].Array()
			if len(x.Dims)+1 == len(y.Dims) && len(x.Elems) > 0 && sameDims(x.Dims, y.Dims[1:]) {
				// a slice in front: ARRAY[1,2] || ARRAY[[3,4]]
				dims := append([]types.ArrayDim{{Len: y.Dims[0].Len + 1, Lower: y.Dims[0].Lower}}, y.Dims[1:]...)
				return types.NewArrayDims(elem, dims, append(append([]types.Datum(nil), x.Elems...), y.Elems...)), nil
			}
			if op, ok := types.LookupBinaryOp("||", arr.OID, arr.OID); ok {
				return op.Fn(a[0], a[1], nil)
			}
		}
		var out []types.Datum
		for i, d := range a {
			isArr := (i == 0 && lArr) || (i == 1 && rArr)
			switch {
			case !isArr:
				out = append(out, d)
			case d.IsNull():
			default:
				x := d.Array()
				if len(x.Dims) > 1 {
					return types.Datum{}, pgerror.New(pgerror.FeatureNotSupported, "|| on multidimensional arrays is not supported yet")
				}
				out = append(out, x.Elems...)
			}
		}
		if lArr && rArr && a[0].IsNull() && a[1].IsNull() {
			// array_cat of two NULLs is NULL; array_append and
			// array_prepend are not strict: NULL || NULL::int is {NULL}.
			return types.Datum{}, nil
		}
		return types.NewArray(elem, out), nil
	}
	return &bound.Call{Name: "||", Args: []bound.Expr{l, r}, T: arr, Fn: fn, Infix: true}, true, nil
}

// arrayConcatElem is the element type of array || x when the two sides'
// element types differ but have a common type (PostgreSQL 15's
// array_append, array_prepend and array_cat take anycompatible
// arguments): numeric || int[] is numeric[]. ok is false when a side is
// untyped, a multidimensional pair is involved, or there is no common
// type (the caller then coerces to the array's own element, and fails).
func (b *binder) arrayConcatElem(lt, rt types.Type) (types.Type, bool) {
	el, er := lt, rt
	if lt.IsArray() {
		el, _ = lt.Elem()
	}
	if rt.IsArray() {
		er, _ = rt.Elem()
	}
	if el.OID == types.UnknownOID || er.OID == types.UnknownOID || el.IsArray() || er.IsArray() {
		return types.Type{}, false
	}
	if el.OID == er.OID {
		return types.Type{}, false
	}
	t, err := b.commonType([]bound.Expr{&bound.ColRef{T: el}, &bound.ColRef{T: er}}, "")
	if err != nil {
		return types.Type{}, false
	}
	t.Typmod = -1 // a function's result has no typmod: char(2)[] || text adds 'y', not 'y '
	return t, true
}
