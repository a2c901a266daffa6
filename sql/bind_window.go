package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// windowFuncs are the window-only functions and their result types
// (nil: the type of the first argument).
var windowFuncs = map[string]*types.Type{
	"row_number": &types.Int8, "rank": &types.Int8, "dense_rank": &types.Int8, "ntile": &types.Int4,
	"percent_rank": &types.Float8, "cume_dist": &types.Float8,
	"lag": nil, "lead": nil, "first_value": nil, "last_value": nil, "nth_value": nil,
}

// bindWindow binds f(...) OVER (...). Its arguments, partition and order
// are over the query's input row (aggregates allowed, as in the target
// list); the call becomes a WindowRef to the window's result.
func (b *binder) bindWindow(name string, fc *pg_query.FuncCall, sc *scope) (bound.Expr, error) {
	if b.windows == nil {
		return nil, pgerror.New(pgerror.WindowingError, "window functions are not allowed in %s", orDefault(b.aggWhat, "this context")).WithPosition(fc.Location + 1)
	}
	wd := windowSpec{partition: fc.Over.PartitionClause, order: fc.Over.OrderClause, frame: fc.Over.FrameOptions,
		start: fc.Over.StartOffset, end: fc.Over.EndOffset}
	if ref := fc.Over.Refname; ref != "" || (fc.Over.Name != "" && len(wd.partition) == 0 && len(wd.order) == 0) {
		if ref == "" {
			ref = fc.Over.Name
		}
		named, ok := b.namedWindows[ref]
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedObject, "window \"%s\" does not exist", ref).WithPosition(fc.Location + 1)
		}
		base := windowSpec{partition: named.PartitionClause, order: named.OrderClause, frame: named.FrameOptions,
			start: named.StartOffset, end: named.EndOffset}
		if len(wd.order) > 0 {
			base.order = wd.order
		}
		if wd.frame&0x1 != 0 {
			base.frame, base.start, base.end = wd.frame, wd.start, wd.end
		}
		wd = base
	}
	collector := b.windows
	b.windows = nil // no window calls inside window calls
	defer func() { b.windows = collector }()
	w := bound.Window{Name: name, Frame: wd.frame}
	if w.Frame&0x1 == 0 { // not given: PostgreSQL's default frame
		w.Frame = bound.FrameDefault
	}
	kind, isAgg := aggKinds[name]
	raw := make([]bound.Expr, 0, len(fc.Args))
	for _, a := range fc.Args {
		x, err := b.bindExpr(a, sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		raw = append(raw, x)
	}
	if err := polymorphicUnknown(name, raw, fc.Location); err != nil {
		return nil, err
	}
	if (name == "lag" || name == "lead") && len(raw) == 3 {
		if err := b.lagLeadDefault(name, raw, fc.Location); err != nil {
			return nil, err
		}
	}
	for _, x := range raw {
		if !isAgg || (!kind.IsRegr() && !kind.IsVariance()) {
			x = finalize(b.settle(x)) // else coerceAggArgs casts it
		}
		w.Args = append(w.Args, x)
	}
	if _, isAgg := aggKinds[name]; isAgg {
		agg := bound.Agg{Kind: aggKinds[name], Name: name, Args: w.Args, Distinct: fc.AggDistinct}
		if fc.AggStar {
			agg.Kind = bound.AggCountStar
		}
		if fc.AggDistinct {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "DISTINCT is not implemented for window functions").WithPosition(fc.Location + 1)
		}
		if err := b.coerceAggArgs(&agg, fc.Location); err != nil {
			return nil, err
		}
		for i := range agg.Args {
			agg.Args[i] = finalize(agg.Args[i])
		}
		w.Args = agg.Args
		t, err := aggResultType(&agg, fc.Location)
		if err != nil {
			return nil, err
		}
		if fc.AggFilter != nil {
			f, err := b.bindExpr(fc.AggFilter, sc, types.Bool)
			if err != nil {
				return nil, err
			}
			if f, err = b.asBool(f, "FILTER"); err != nil {
				return nil, err
			}
			agg.Filter = finalize(f)
		}
		agg.T, w.T, w.Agg = t, t, &agg
	} else if rt, ok := windowFuncs[name]; ok {
		if fc.AggFilter != nil {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "FILTER is not implemented for non-aggregate window functions").WithPosition(fc.Location + 1)
		}
		if rt != nil {
			w.T = *rt
		} else {
			if len(w.Args) == 0 {
				return nil, b.noFunction(name, nil, fc.Location)
			}
			w.T = w.Args[0].Type()
		}
		if err := b.checkWindowArgs(name, &w, fc); err != nil {
			return nil, err
		}
	} else {
		return nil, pgerror.New(pgerror.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name).WithPosition(fc.Location + 1)
	}
	for _, p := range wd.partition {
		x, err := b.bindExpr(p, sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		w.PartitionBy = append(w.PartitionBy, finalize(x))
	}
	for _, o := range wd.order {
		sb := o.GetSortBy()
		x, err := b.bindExpr(sb.Node, sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		item := bound.OrderItem{Expr: finalize(x), Desc: sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC}
		item.NullsFirst = item.Desc
		switch sb.SortbyNulls {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			item.NullsFirst = true
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			item.NullsFirst = false
		}
		w.OrderBy = append(w.OrderBy, item)
	}
	// ORDER BY before PARTITION BY, as transformWindowDefinitions checks.
	for i, o := range wd.order {
		if err := checkSortBy(o.GetSortBy(), w.OrderBy[i].Expr.Type()); err != nil {
			return nil, err
		}
	}
	for i, p := range wd.partition {
		if err := checkEquality(w.PartitionBy[i].Type(), leftmostLocation(p)); err != nil {
			return nil, err
		}
	}
	if err := b.bindFrameOffsets(&w, wd, fc.Location); err != nil {
		return nil, err
	}
	*collector = append(*collector, w)
	return &bound.WindowRef{Idx: len(*collector) - 1, T: w.T}, nil
}

func (b *binder) checkWindowArgs(name string, w *bound.Window, fc *pg_query.FuncCall) error {
	n := len(w.Args)
	ok := true
	switch name {
	case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist":
		ok = n == 0
	case "ntile":
		ok = n == 1
		if ok {
			x, err := b.coerce(w.Args[0], types.Int4, castImplicit)
			if err != nil {
				return err
			}
			w.Args[0] = x
		}
	case "first_value", "last_value":
		ok = n == 1
	case "nth_value":
		ok = n == 2
	case "lag", "lead":
		ok = n >= 1 && n <= 3
		if ok && n >= 2 {
			x, err := b.coerce(w.Args[1], types.Int4, castImplicit)
			if err != nil {
				return err
			}
			w.Args[1] = x
		}
		if ok && n == 3 {
			x, err := b.coerce(w.Args[2], w.T, castImplicit)
			if err != nil {
				return err
			}
			w.Args[2] = finalize(x)
		}
	}
	if !ok {
		return b.noFunction(name, w.Args, fc.Location)
	}
	return nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// resolveWindowRefs turns WindowRefs into reads of the columns the window
// node appends after the input row (inputWidth wide).
func resolveWindowRefs(e bound.Expr, inputWidth int) bound.Expr {
	out, _ := bound.Rewrite(e, func(x bound.Expr) (bound.Expr, error) {
		if w, ok := x.(*bound.WindowRef); ok {
			return &bound.ColRef{Idx: inputWidth + w.Idx, T: w.T, Name: "window"}, nil
		}
		return x, nil
	})
	return out
}

// windowSpec is an OVER clause, possibly completed from a named window.
type windowSpec struct {
	partition, order []*pg_query.Node
	frame            int32
	start, end       *pg_query.Node
}

// bindFrameOffsets binds a frame's offsets: row or group counts (bigint)
// for ROWS and GROUPS; for RANGE, a distance of the ORDER BY column's type
// (an interval for dates and timestamps), turned into per-row bound values
// (parse_clause.c transformFrameOffset, with in_range's semantics).
func (b *binder) bindFrameOffsets(w *bound.Window, wd windowSpec, loc int32) error {
	offsets := w.Frame & (bound.FrameStartOffsetP | bound.FrameStartOffsetF | bound.FrameEndOffsetP | bound.FrameEndOffsetF)
	if w.Frame&bound.FrameGroups != 0 && len(w.OrderBy) == 0 {
		return pgerror.New(pgerror.WindowingError, "GROUPS mode requires an ORDER BY clause").WithPosition(loc + 1)
	}
	rangeMode := w.Frame&bound.FrameRange != 0 && offsets != 0
	var orderT, offT types.Type
	if rangeMode {
		if len(w.OrderBy) != 1 {
			return pgerror.New(pgerror.WindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column").WithPosition(loc + 1)
		}
		orderT = w.OrderBy[0].Expr.Type()
		switch orderT.OID {
		case types.Int2OID, types.Int4OID, types.Int8OID:
			offT = types.Int8
		case types.NumericOID, types.Float4OID, types.Float8OID:
			offT = orderT
		case types.TimestampOID, types.TimestamptzOID, types.TimeOID, types.IntervalOID, types.DateOID:
			offT = types.Interval
		default:
			return pgerror.New(pgerror.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", types.FormatType(orderT)).WithPosition(loc + 1)
		}
	}
	for _, off := range []struct {
		n          *pg_query.Node
		dst, bound *bound.Expr
		preceding  bool
	}{{wd.start, &w.StartOffset, &w.StartBound, w.Frame&bound.FrameStartOffsetP != 0},
		{wd.end, &w.EndOffset, &w.EndBound, w.Frame&bound.FrameEndOffsetP != 0}} {
		if off.n == nil {
			continue
		}
		want := types.Int8
		if rangeMode {
			want = offT
		}
		x, err := b.bindExpr(off.n, nil, want)
		if err != nil {
			return err
		}
		if rangeMode && x.Type().OID != types.UnknownOID {
			// in_range is looked up for (column type, offset type) with
			// implicit casts only: an int column has no numeric or
			// interval distance, a date no integer one.
			if _, ok := builtins.ImplicitCast(x.Type(), want); !ok {
				return pgerror.New(pgerror.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s",
					types.FormatType(orderT), types.FormatType(x.Type())).
					WithHint("Cast the offset value to an appropriate type.").WithPosition(loc + 1)
			}
		}
		if x, err = b.coerce(x, want, castAssignment); err != nil {
			return err
		}
		*off.dst = finalize(x)
		if !rangeMode {
			continue
		}
		// PRECEDING moves toward the start of the window order: down for
		// ascending, up for descending.
		op := "+"
		if off.preceding != w.OrderBy[0].Desc {
			op = "-"
		}
		bv, err := b.binaryOp(op, w.OrderBy[0].Expr, *off.dst, loc)
		if err != nil {
			return err
		}
		// date +/- interval stays a timestamp: in_range_date_interval
		// compares the date, at midnight, with it, unrounded.
		if orderT.OID != types.DateOID {
			if bv, err = b.coerce(bv, orderT, castAssignment); err != nil {
				return err
			}
		}
		*off.bound = finalize(bv)
	}
	return nil
}
