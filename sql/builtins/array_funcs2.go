package builtins

import (
	"fmt"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// array_positions, array_fill and trim_array (functions-array.html).

func init() {
	tInt4 := types.Int4
	funcs["array_positions"] = append(funcs["array_positions"], Overload{Args: args(Any, Any), Ret: types.Int4Array, RetFromArg: -1, NullCall: true,
		Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[0].IsNull() {
				return types.Datum{}, nil
			}
			arr := a[0].Array()
			if arr == nil {
				return types.Datum{}, pgerror.New(pgerror.DatatypeMismatch, "array_positions requires an array")
			}
			if len(arr.Dims) > 1 {
				return types.Datum{}, pgerror.New(pgerror.FeatureNotSupported, "searching for elements in multidimensional arrays is not supported")
			}
			e, err := arrayElemValue(arr, a[1])
			if err != nil {
				return types.Datum{}, err
			}
			out := []types.Datum{}
			lower := int64(1)
			if len(arr.Dims) == 1 {
				lower = int64(arr.Dims[0].Lower)
			}
			for i, x := range arr.Elems {
				if (x.IsNull() && e.IsNull()) || (!x.IsNull() && !e.IsNull() && types.Compare(x, e) == 0) {
					out = append(out, types.NewInt(lower+int64(i)))
				}
			}
			return types.NewArray(tInt4, out), nil
		}})
	// array_fill(value, dims[, lower bounds]): the result's element type is
	// the value's.
	fill := func(a []types.Datum, elem types.Type) (types.Datum, error) {
		if a[1].IsNull() || (len(a) > 2 && a[2].IsNull()) {
			return types.Datum{}, pgerror.New(pgerror.NullValueNotAllowed, "dimension array or low bound array cannot be null")
		}
		dimsArr := a[1].Array()
		var lows []types.Datum
		if len(a) > 2 {
			lows = a[2].Array().Elems
			if len(lows) != len(dimsArr.Elems) {
				return types.Datum{}, pgerror.New(pgerror.ArraySubscriptError, "wrong number of array subscripts").
					WithDetail("Low bound array has different size than dimensions array.")
			}
		}
		n := 1
		dims := make([]types.ArrayDim, len(dimsArr.Elems))
		for i, d := range dimsArr.Elems {
			if d.IsNull() {
				return types.Datum{}, pgerror.New(pgerror.NullValueNotAllowed, "dimension values cannot be null")
			}
			if d.I < 0 {
				d.I = 0
			}
			dims[i] = types.ArrayDim{Len: int32(d.I), Lower: 1}
			if lows != nil {
				dims[i].Lower = int32(lows[i].I)
			}
			n *= int(d.I)
		}
		if n == 0 {
			return types.NewArray(elem, nil), nil
		}
		elems := make([]types.Datum, n)
		for i := range elems {
			elems[i] = a[0]
		}
		return types.NewArrayDims(elem, dims, elems), nil
	}
	for _, t := range []types.Type{types.Int4, types.Int8, types.Text, types.Numeric, types.Float8, types.Bool} {
		at, _ := types.ArrayOf(t)
		t := t
		fn("array_fill",
			Overload{Args: args(t, types.Int4Array), Ret: at, RetFromArg: -1, NullCall: true,
				Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return fill(a, t) }},
			Overload{Args: args(t, types.Int4Array, types.Int4Array), Ret: at, RetFromArg: -1, NullCall: true,
				Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return fill(a, t) }})
	}
	fn("array_dims", Overload{Args: args(Any), Ret: types.Text, RetFromArg: -1,
		Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			arr := a[0].Array()
			if arr == nil || len(arr.Dims) == 0 {
				return types.Datum{}, nil
			}
			var b []byte
			for _, d := range arr.Dims {
				b = fmt.Appendf(b, "[%d:%d]", d.Lower, int(d.Lower)+int(d.Len)-1)
			}
			return types.NewText(string(b)), nil
		}})
	funcs["trim_array"] = append(funcs["trim_array"], Overload{Args: args(Any, tInt4), RetFromArg: 0,
		Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			arr := a[0].Array()
			if arr == nil {
				return types.Datum{}, pgerror.New(pgerror.DatatypeMismatch, "trim_array requires an array")
			}
			n := int64(len(arr.Elems))
			if len(arr.Dims) > 0 {
				n = int64(arr.Dims[0].Len)
			}
			if a[1].I < 0 || a[1].I > n {
				return types.Datum{}, pgerror.New(pgerror.ArraySubscriptError, "number of elements to trim must be between 0 and %d", n)
			}
			if len(arr.Dims) != 1 {
				if a[1].I == 0 {
					return a[0], nil
				}
				return types.Datum{}, pgerror.New(pgerror.FeatureNotSupported, "trim_array on multidimensional arrays is not supported yet")
			}
			keep := n - a[1].I
			if keep == 0 {
				return types.NewArray(arr.Elem, nil), nil
			}
			return types.NewArrayDims(arr.Elem, []types.ArrayDim{{Len: int32(keep), Lower: arr.Dims[0].Lower}}, arr.Elems[:keep]), nil
		}})
}
