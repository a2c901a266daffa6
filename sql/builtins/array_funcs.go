package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// array_remove and array_replace (PostgreSQL's array_remove(anycompatiblearray,
// anycompatible) and array_replace(anycompatiblearray, anycompatible,
// anycompatible)). pg_dump strips the check_option entries from a view's
// reloptions with array_remove.

func init() {
	// Registered past fn(), which reads RetFromArg 0 as "unset": the
	// result is the array argument's type.
	fnRetArg0 := func(name string, ov Overload) {
		for _, ex := range funcs[name] {
			if sameArgs(ex.Args, ov.Args) {
				return
			}
		}
		funcs[name] = append(funcs[name], ov)
	}
	fnRetArg0("array_remove", Overload{Args: args(Any, Any), RetFromArg: 0, NullCall: true,
		Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return arrayReplace("array_remove", a[0], a[1], nil)
		}})
	fnRetArg0("array_replace", Overload{Args: args(Any, Any, Any), RetFromArg: 0, NullCall: true,
		Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return arrayReplace("array_replace", a[0], a[1], &a[2])
		}})
}

// arrayElemValue converts a search value to the array's element kind (an
// untyped literal arrives as text: array_remove(int_array, '2')).
func arrayElemValue(arr *types.Array, d types.Datum) (types.Datum, error) {
	if d.IsNull() || d.K != types.KindText || arr.Elem.Kind() == types.KindText || arr.Elem.OID == 0 {
		return d, nil
	}
	return types.ParseText(arr.Elem, d.S, nil)
}

// arrayReplace removes (with nil repl) or replaces the elements equal to
// elem; NULL matches NULL elements, as IS NOT DISTINCT FROM.
func arrayReplace(name string, arrD, elem types.Datum, repl *types.Datum) (types.Datum, error) {
	if arrD.IsNull() {
		return arrD, nil
	}
	arr, ok := arrD.X.(*types.Array)
	if arrD.K != types.KindArray || !ok {
		return nullDatum, pgerror.New(pgerror.DatatypeMismatch, "%s requires an array", name)
	}
	if len(arr.Dims) > 1 && repl == nil {
		return nullDatum, pgerror.New(pgerror.FeatureNotSupported, "removing elements from multidimensional arrays is not supported")
	}
	if len(arr.Elems) == 0 {
		return arrD, nil
	}
	e, err := arrayElemValue(arr, elem)
	if err != nil {
		return nullDatum, err
	}
	var r types.Datum
	if repl != nil {
		if r, err = arrayElemValue(arr, *repl); err != nil {
			return nullDatum, err
		}
	}
	out := make([]types.Datum, 0, len(arr.Elems))
	changed := false
	for _, x := range arr.Elems {
		match := false
		switch {
		case x.IsNull() || e.IsNull():
			match = x.IsNull() && e.IsNull()
		case x.K == e.K:
			match = types.Compare(x, e) == 0
		default:
			match = types.FormatText(x, arr.Elem, nil) == types.FormatText(e, arr.Elem, nil)
		}
		if !match {
			out = append(out, x)
			continue
		}
		changed = true
		if repl != nil {
			out = append(out, r)
		}
	}
	if !changed {
		return arrD, nil
	}
	if repl != nil {
		return types.NewArrayDims(arr.Elem, arr.Dims, out), nil
	}
	if len(out) == 0 {
		return types.NewArray(arr.Elem, nil), nil
	}
	lower := arr.Dims[0].Lower
	return types.NewArrayDims(arr.Elem, []types.ArrayDim{{Len: int32(len(out)), Lower: lower}}, out), nil
}
