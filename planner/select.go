package planner

import (
	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Select plans a query block.
func Select(s *bound.Select) (executor.Node, error) {

	if err := planSubqueries(bound.SelectExprs(s)...); err != nil {
		return nil, err
	}
	var n executor.Node
	var err error
	sortDone := false // the scan already returns rows in ORDER BY order
	switch {
	case s.SetOp != nil:
		l, err := Select(s.SetOp.Left)
		if err != nil {
			return nil, err
		}
		r, err := Select(s.SetOp.Right)
		if err != nil {
			return nil, err
		}
		so := &executor.SetOp{Kind: s.SetOp.Kind, All: s.SetOp.All, Left: l, Right: r, Width: s.Visible}
		for i, t := range s.Targets[:s.Visible] {
			if t.Expr.Type().OID == types.BPCharOID {
				if so.BPChar == nil {
					so.BPChar = make([]bool, s.Visible)
				}
				so.BPChar[i] = true
			}
		}
		n = so
		le, re := estOf(l), estOf(r)
		setEst(n, le.Total+re.Total, le.Total+re.Total+(le.Rows+re.Rows)*cpuOperatorCost, le.Rows+re.Rows, max(le.Width, re.Width))
	case s.From == nil:
		n = &executor.OneRow{}
		setEst(n, 0, 0.01, 1, 0)
		n = filtered(n, s.Where)
	default:
		if g := ginSelect(s); g != nil {
			n = g
			break
		}
		if want := orderWanted(s); want != nil {
			sc, ok := scanOrdered(s.From.(*bound.ScanRel), s.Where, want, neededCols(s))
			n, sortDone = sc, ok
			break
		}
		n, err = relNeed(s.From, s.Where, neededCols(s))
		if err != nil {
			return nil, err
		}
	}
	if s.Lock != bound.LockNone {
		sc, ok := n.(*executor.Scan)
		if !ok || s.Aggregating || s.Distinct {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "FOR UPDATE/FOR SHARE is only supported on a single table without aggregation yet")
		}
		attachGIN(sc, s.From, s.Where)
		wait := kv.LockBlock
		switch s.LockWait {
		case 2:
			wait = kv.LockSkip
		case 3:
			wait = kv.LockNoWait
		}
		n = &executor.LockRows{Scan: sc, Wait: wait, Shared: s.Lock == bound.LockForShare}
	}
	rc := relStats(s.From)
	if s.Aggregating && needsGroupingSets(s) {
		agg := planGroupingSets(s, n, rc, exprsWidth(targetExprs(s.Targets), relCols{}))
		n, rc = agg, relCols{rows: estOf(agg).Rows}
		if s.Having != nil {
			n = filtered(n, s.Having)
		}
	} else if s.Aggregating {
		agg := &executor.HashAgg{Input: n}
		for _, g := range s.GroupBy {
			agg.GroupBy = append(agg.GroupBy, executor.Compile(g))
			agg.Text = append(agg.Text, bound.Format(g))
		}
		for _, a := range s.Aggs {
			agg.Aggs = append(agg.Aggs, aggSpec(a))
		}
		n = agg
		costAgg(agg, agg.Input, s.GroupBy, len(s.Aggs), rc, exprsWidth(targetExprs(s.Targets), relCols{}))
		rc = relCols{rows: estOf(agg).Rows}
		if s.Having != nil {
			n = filtered(n, s.Having)
		}
	}
	if len(s.Windows) > 0 {
		win := &executor.Window{Input: n}
		for _, wd := range s.Windows {
			sp := executor.WindowSpec{Name: wd.Name, Frame: wd.Frame}
			sp.Args = compileAll(wd.Args)
			sp.PartitionBy = compileAll(wd.PartitionBy)
			for i, o := range wd.OrderBy {
				sp.OrderBy = append(sp.OrderBy, executor.Compile(o.Expr))
				sp.OrderKeys = append(sp.OrderKeys, executor.SortKey{Col: i, Desc: o.Desc, NullsFirst: o.NullsFirst})
			}
			if wd.StartOffset != nil {
				sp.StartOffset = executor.Compile(wd.StartOffset)
			}
			if wd.EndOffset != nil {
				sp.EndOffset = executor.Compile(wd.EndOffset)
			}
			if wd.StartBound != nil {
				sp.StartBound = executor.Compile(wd.StartBound)
			}
			if wd.EndBound != nil {
				sp.EndBound = executor.Compile(wd.EndBound)
			}
			if wd.Agg != nil {
				spec := aggSpec(*wd.Agg)
				sp.Agg = &spec
			}
			win.Specs = append(win.Specs, sp)
		}
		copyEst(win, win.Input, estOf(win.Input).Width)
		estOf(win).Total += estOf(win).Rows * cpuOperatorCost * float64(len(s.Windows))
		n = win
	}
	if len(s.SRFs) > 0 {
		ps := &executor.ProjectSet{Input: n}
		for _, f := range s.SRFs {
			ps.SRFs = append(ps.SRFs, executor.TargetSRF{Args: compileAll(f.Args), Gen: f.Gen, NullCall: f.NullCall})
		}
		ie := estOf(ps.Input)
		setEst(ps, ie.Startup, ie.Total+ie.Rows*10*cpuTupleCost, ie.Rows*10, ie.Width)
		n = ps
	}
	proj := &executor.Project{Input: n}
	for _, t := range s.Targets {
		proj.Exprs = append(proj.Exprs, executor.Compile(t.Expr))
	}
	copyEst(proj, proj.Input, exprsWidth(targetExprs(s.Targets), rc))
	n = proj
	if s.Distinct {
		d := &executor.Distinct{Input: n, Width: s.Visible}
		costAgg(d, n, targetExprs(s.Targets[:s.Visible]), 0, rc, estOf(n).Width)
		n = d
	}
	if len(s.OrderBy) > 0 && !sortDone {
		srt := &executor.Sort{Input: n}
		for _, o := range s.OrderBy {
			c, ok := o.Expr.(*bound.ColRef)
			if !ok {
				return nil, pgerror.New(pgerror.InternalError, "ORDER BY key not resolved to an output column")
			}
			srt.Keys = append(srt.Keys, executor.SortKey{Col: c.Idx, Desc: o.Desc, NullsFirst: o.NullsFirst})
			srt.Text = append(srt.Text, sortText(s, o))
		}
		costSort(srt, n, len(srt.Keys))
		n = srt
	}
	if len(s.DistinctOn) > 0 {
		// DISTINCT ON keeps the first row of each group in ORDER BY order,
		// so it runs after the sort.
		d := &executor.Distinct{Input: n, Width: s.Visible}
		for _, e := range s.DistinctOn {
			d.On = append(d.On, e.(*bound.ColRef).Idx)
		}
		costAgg(d, n, s.DistinctOn, 0, relCols{}, estOf(n).Width)
		n = d
	}
	if s.Limit != nil || s.Offset != nil {
		l := &executor.Limit{Input: n}
		if s.Limit != nil {
			l.Count = executor.Compile(s.Limit)
		}
		if s.Offset != nil {
			l.Offset = executor.Compile(s.Offset)
		}
		costLimit(l, n, s.Limit, s.Offset)
		if s.WithTies {
			// no top-N sort: it would cut the ties off
			for _, o := range s.OrderBy {
				l.Ties = append(l.Ties, executor.SortKey{Col: o.Expr.(*bound.ColRef).Idx, Desc: o.Desc, NullsFirst: o.NullsFirst})
			}
		} else {
			setTopN(l.Input, s.Limit, s.Offset)
		}
		n = l
	}
	if s.Visible < len(s.Targets) {
		strip := &executor.Project{Input: n}
		for i := 0; i < s.Visible; i++ {
			strip.Exprs = append(strip.Exprs, executor.Compile(&bound.ColRef{Idx: i, T: s.Targets[i].Expr.Type()}))
		}
		copyEst(strip, n, exprsWidth(targetExprs(s.Targets[:s.Visible]), rc))
		n = strip
	}
	return n, nil
}

func sortText(s *bound.Select, o bound.OrderItem) string {
	c := o.Expr.(*bound.ColRef)
	txt := bound.Format(s.Targets[c.Idx].Expr)
	if o.Desc {
		txt += " DESC"
	}
	if o.NullsFirst != o.Desc {
		if o.NullsFirst {
			txt += " NULLS FIRST"
		} else {
			txt += " NULLS LAST"
		}
	}
	return txt
}

// rel plans a FROM item with the WHERE clause that applies to it.
func rel(r bound.Rel, where bound.Expr) (executor.Node, error) { return relNeed(r, where, nil) }

// relNeed plans a FROM item of which only the columns marked in need are
// read (nil: all; see neededCols).
func relNeed(r bound.Rel, where bound.Expr, need []bool) (executor.Node, error) {
	switch r := r.(type) {
	case *bound.ScanRel:
		n, _ := scanOrdered(r, where, nil, need)
		return n, nil
	case *bound.ValuesRel:
		v := &executor.Values{}
		for _, row := range r.Rows {
			v.Rows = append(v.Rows, compileAll(row))
		}
		setEst(v, 0, float64(len(r.Rows))*cpuOperatorCost*float64(r.Width()), float64(len(r.Rows)), 8*r.Width())
		return filtered(v, where), nil
	case *bound.SubqueryRel:
		n, err := Select(r.Query)
		if err != nil {
			return nil, err
		}
		return filtered(n, where), nil
	case *bound.JoinRel:
		if n, ok, err := reorderJoins(r, where, need); ok {
			return n, err
		}
		return join(r, where, need)
	case *bound.VirtualRel:
		rs := &executor.RowsScan{Name: r.Name, Gen: r.Rows}
		setEst(rs, 0, defaultFuncRows*cpuTupleCost, defaultFuncRows, 8*r.Width())
		return filtered(rs, where), nil
	case *bound.RecursiveRel:
		n, err := recursive(r, r.Alias)
		if err != nil {
			return nil, err
		}
		return filtered(n, where), nil
	case *bound.WorkTableRel:
		return workTableScan(r, where), nil
	case *bound.ModifyingCTERel:
		return modifyingCTEScan(r, where), nil
	case *bound.FuncRel:
		fs := &executor.FuncScan{Name: r.Name, Args: compileAll(r.Args), Gen: r.Gen, Width: len(r.Types), Ordinality: r.Ordinality, NullCall: r.NullCall}
		setEst(fs, 0, defaultFuncRows*cpuOperatorCost, defaultFuncRows, 8*len(r.Types))
		return filtered(fs, where), nil
	}
	return nil, pgerror.New(pgerror.FeatureNotSupported, "FROM item %T is not supported yet", r)
}

func filtered(n executor.Node, where bound.Expr) executor.Node {
	if where == nil {
		return n
	}
	f := &executor.Filter{Input: n, Pred: executor.Compile(where), Text: bound.Format(where)}
	costFilter(f, n, where, relCols{rows: estOf(n).Rows})
	return f
}

func compileAll(es []bound.Expr) []executor.Eval {
	out := make([]executor.Eval, len(es))
	for i, e := range es {
		out[i] = executor.Compile(e)
	}
	return out
}

var _ = types.Bool

// aggSpec compiles one aggregate call.
func aggSpec(a bound.Agg) executor.AggSpec {
	spec := executor.AggSpec{Kind: a.Kind, Distinct: a.Distinct, T: a.T}
	if len(a.Args) > 0 {
		spec.Args = []executor.Eval{executor.Compile(a.Args[0])}
		spec.ArgType = a.Args[0].Type()
	}
	if a.Kind.IsRegr() {
		spec.Args = append(spec.Args, executor.Compile(a.Args[1]))
	}
	if a.Kind.IsOrderedSet() {
		spec.Args, spec.ArgType = nil, a.OrderBy[0].Expr.Type()
		if len(a.Args) > 0 {
			spec.Direct = executor.Compile(a.Args[0])
			spec.DirectConst = !usesInput(a.Args[0])
		}
	}
	if a.Kind == bound.AggStringAgg && len(a.Args) > 1 {
		spec.Sep = executor.Compile(a.Args[1])
	}
	if (a.Kind == bound.AggJSONObject || a.Kind == bound.AggJSONBObject) && len(a.Args) > 1 {
		spec.Value = executor.Compile(a.Args[1])
	}
	for i, o := range a.OrderBy {
		spec.OrderBy = append(spec.OrderBy, executor.Compile(o.Expr))
		spec.OrderKeys = append(spec.OrderKeys, executor.SortKey{Col: i, Desc: o.Desc, NullsFirst: o.NullsFirst})
	}
	if a.Filter != nil {
		spec.Filter = executor.Compile(a.Filter)
	}
	return spec
}

// usesInput reports whether e reads a column of the input row (or runs a
// subquery, which may).
func usesInput(e bound.Expr) bool {
	uses := false
	bound.Walk(e, func(x bound.Expr) bool {
		switch x.(type) {
		case *bound.ColRef, *bound.Subquery:
			uses = true
		}
		return !uses
	})
	return uses
}

// orderWanted returns the ORDER BY as plain columns of a single scanned
// table, when an index could deliver that order (nil otherwise).
func orderWanted(s *bound.Select) []orderCol {
	sr, ok := s.From.(*bound.ScanRel)
	if !ok || sr == nil || len(s.OrderBy) == 0 || s.Aggregating || s.Distinct || len(s.DistinctOn) > 0 || len(s.Windows) > 0 || s.Lock != bound.LockNone {
		return nil
	}
	var want []orderCol
	keys := tableExprKeys(sr.Table)
	for _, o := range s.OrderBy {
		c := o.Expr.(*bound.ColRef)
		src, ok := s.Targets[c.Idx].Expr.(*bound.ColRef)
		if !ok {
			// An indexed expression (ORDER BY lower(email)) has a
			// virtual column (indexexpr.go).
			if key, isKey := keys.match(s.Targets[c.Idx].Expr); isKey {
				want = append(want, orderCol{col: key.col, desc: o.Desc, nullsFirst: o.NullsFirst})
				continue
			}
			return nil
		}
		want = append(want, orderCol{col: src.Idx, desc: o.Desc, nullsFirst: o.NullsFirst})
	}
	return want
}
