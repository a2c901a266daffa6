package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// bindMultiDimArray binds ARRAY[[...], [...]]: each element is a sub-array
// of the same dimensions; the result has one more dimension
// (ExecEvalArrayExpr's multidimensional case).
func (b *binder) bindMultiDimArray(ae *pg_query.A_ArrayExpr, sc *scope, want types.Type) (bound.Expr, error) {
	subs := make([]bound.Expr, len(ae.Elements))
	for i, n := range ae.Elements {
		if n.GetAArrayExpr() == nil {
			return nil, pgerror.New(pgerror.SyntaxError, "syntax error at or near \"[\"").WithPosition(ae.Location + 1)
		}
		e, err := b.bindExpr(n, sc, want)
		if err != nil {
			return nil, err
		}
		subs[i] = e
	}
	t, err := b.commonType(subs, "ARRAY")
	if err != nil {
		return nil, err
	}
	if subs, err = b.coerceAll(subs, t); err != nil {
		return nil, err
	}
	return multiDimArray(subs, t), nil
}

// multiDimArray stacks array values of type t into one more dimension.
func multiDimArray(subs []bound.Expr, t types.Type) bound.Expr {
	et, _ := t.Elem()
	return &bound.Call{Name: "ARRAY", Args: subs, T: t, Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		var dims []types.ArrayDim
		var elems []types.Datum
		for i, d := range a {
			arr := d.Array()
			if d.IsNull() || arr == nil || len(arr.Dims) == 0 {
				if i == 0 || len(dims) == 1 {
					dims = []types.ArrayDim{{}}
					continue
				}
				return types.Datum{}, errMultiDimMismatch
			}
			if i == 0 {
				dims = append([]types.ArrayDim{{Lower: 1}}, arr.Dims...)
			} else if !sameDims(dims[1:], arr.Dims) {
				return types.Datum{}, errMultiDimMismatch
			}
			elems = append(elems, arr.Elems...)
		}
		if len(elems) == 0 {
			return types.NewArray(et, nil), nil
		}
		dims[0] = types.ArrayDim{Len: int32(len(a)), Lower: 1}
		return types.NewArrayDims(et, dims, elems), nil
	}}
}

var errMultiDimMismatch = pgerror.New(pgerror.ArraySubscriptError, "multidimensional arrays must have array expressions with matching dimensions")

func sameDims(a, b []types.ArrayDim) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// bindMultiSubscript binds arr[i][j]...: NULL unless there is one
// subscript per dimension and each is within its bounds.
func (b *binder) bindMultiSubscript(x bound.Expr, ind []*pg_query.Node, bindIdx func(*pg_query.Node) (bound.Expr, error), et types.Type) (bound.Expr, error) {
	args := []bound.Expr{x}
	for _, n := range ind {
		ix := n.GetAIndices()
		if ix == nil || ix.IsSlice {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "slices of multidimensional arrays are not supported yet")
		}
		i, err := bindIdx(ix.Uidx)
		if err != nil {
			return nil, err
		}
		args = append(args, finalize(i))
	}
	return &bound.Call{Name: "subscript", Args: args, T: et, Strict: true,
		Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			arr := a[0].Array()
			if arr == nil || len(arr.Dims) != len(a)-1 {
				return types.Datum{}, nil
			}
			off := 0
			for d, dim := range arr.Dims {
				k := a[d+1].I - int64(dim.Lower)
				if k < 0 || k >= int64(dim.Len) {
					return types.Datum{}, nil
				}
				off = off*int(dim.Len) + int(k)
			}
			return arr.Elems[off], nil
		}}, nil
}
