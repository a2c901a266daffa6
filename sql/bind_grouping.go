package sql

import (
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// GROUP BY GROUPING SETS / ROLLUP / CUBE and GROUPING(). The semantics are
// PostgreSQL's (parse_clause.c flatten_grouping_sets, parse_agg.c
// expand_grouping_sets and transformGroupingFunc): every top-level GROUP BY
// item expands to a list of sets, and the query's sets are the cross
// product of those lists, each the union of its parts. Duplicate sets are
// kept (each gives its own rows) unless GROUP BY DISTINCT.

const (
	maxGroupingSets = 4096 // parse_agg.c parseCheckAggregates
	maxCubeElems    = 12   // parse_clause.c transformGroupingSet
	maxGroupingArgs = 31   // parse_agg.c transformGroupingFunc
)

// groupingAt names one GROUPING() call: its position in a query level's
// aggregate list.
type groupingAt struct {
	aggs *[]bound.Agg
	i    int
}

// bindGroupClause binds GROUP BY: the grouping expressions and, when the
// clause has grouping sets, the expanded sets over them (nil otherwise).
func (b *binder) bindGroupClause(st *pg_query.SelectStmt, sc *scope, sel *bound.Select) ([]bound.Expr, [][]int, error) {
	var groupBy []bound.Expr
	// A parenthesized list at the top level is its elements: GROUP BY
	// (a, b) is GROUP BY a, b (flatten_grouping_sets).
	var items []*pg_query.Node
	hasSets := false
	for _, g := range st.GroupClause {
		if r := g.GetRowExpr(); r != nil && r.RowFormat == pg_query.CoercionForm_COERCE_IMPLICIT_CAST {
			items = append(items, r.Args...)
			continue
		}
		items = append(items, g)
		hasSets = hasSets || g.GetGroupingSet() != nil
	}
	if !hasSets {
		for _, g := range items {
			e, err := b.bindGroupItem(g, sc, sel)
			if err != nil {
				return nil, nil, err
			}
			b.groupChecks = append(b.groupChecks, typeAt{e.Type(), leftmostLocation(g)})
			groupBy = append(groupBy, finalize(e))
		}
		return groupBy, nil, nil
	}
	// Each distinct expression is one GroupBy column, shared by the sets
	// that name it.
	keys := map[string]int{}
	leaf := func(n *pg_query.Node) (int, error) {
		e, err := b.bindGroupItem(n, sc, sel)
		if err != nil {
			return 0, err
		}
		b.groupChecks = append(b.groupChecks, typeAt{e.Type(), leftmostLocation(n)})
		e = finalize(e)
		k := bound.MatchKey(e) + "\x00" + e.Type().String()
		if i, ok := keys[k]; ok {
			return i, nil
		}
		keys[k] = len(groupBy)
		groupBy = append(groupBy, e)
		return len(groupBy) - 1, nil
	}
	sets := [][]int{{}}
	for _, g := range items {
		item, err := expandGroupItem(g, leaf)
		if err != nil {
			return nil, nil, err
		}
		if len(sets)*len(item) > maxGroupingSets {
			return nil, nil, pgerror.New(pgerror.StatementTooComplex, "too many grouping sets present (maximum %d)", maxGroupingSets)
		}
		var next [][]int
		for _, s := range sets {
			for _, t := range item {
				next = append(next, unionSets(s, t))
			}
		}
		sets = next
	}
	if st.GroupDistinct {
		seen := map[string]bool{}
		var uniq [][]int
		for _, s := range sets {
			k := setKey(s)
			if !seen[k] {
				seen[k] = true
				uniq = append(uniq, s)
			}
		}
		sets = uniq
	}
	return groupBy, sets, nil
}

// expandGroupItem returns the grouping sets one GROUP BY item stands for.
func expandGroupItem(n *pg_query.Node, leaf func(*pg_query.Node) (int, error)) ([][]int, error) {
	gs := n.GetGroupingSet()
	if gs == nil {
		s, err := groupLeaves(n, leaf)
		return [][]int{s}, err
	}
	var elems [][]int
	if gs.Kind == pg_query.GroupingSetKind_GROUPING_SET_ROLLUP || gs.Kind == pg_query.GroupingSetKind_GROUPING_SET_CUBE ||
		gs.Kind == pg_query.GroupingSetKind_GROUPING_SET_SIMPLE {
		if gs.Kind == pg_query.GroupingSetKind_GROUPING_SET_CUBE && len(gs.Content) > maxCubeElems {
			return nil, pgerror.New(pgerror.TooManyColumns, "CUBE is limited to %d elements", maxCubeElems).WithPosition(gs.Location + 1)
		}
		for _, c := range gs.Content {
			s, err := groupLeaves(c, leaf)
			if err != nil {
				return nil, err
			}
			elems = append(elems, s)
		}
	}
	switch gs.Kind {
	case pg_query.GroupingSetKind_GROUPING_SET_EMPTY:
		return [][]int{{}}, nil
	case pg_query.GroupingSetKind_GROUPING_SET_SIMPLE:
		return [][]int{unionSets(elems...)}, nil
	case pg_query.GroupingSetKind_GROUPING_SET_ROLLUP:
		// (a, b, c), (a, b), (a), ()
		var out [][]int
		for k := len(elems); k >= 0; k-- {
			out = append(out, unionSets(elems[:k]...))
		}
		return out, nil
	case pg_query.GroupingSetKind_GROUPING_SET_CUBE:
		// Every subset, the largest first.
		var out [][]int
		for mask := (1 << len(elems)) - 1; mask >= 0; mask-- {
			var parts [][]int
			for i := range elems {
				if mask&(1<<(len(elems)-1-i)) != 0 {
					parts = append(parts, elems[i])
				}
			}
			out = append(out, unionSets(parts...))
		}
		return out, nil
	case pg_query.GroupingSetKind_GROUPING_SET_SETS:
		var out [][]int
		for _, c := range gs.Content {
			if c.GetGroupingSet() != nil {
				sub, err := expandGroupItem(c, leaf)
				if err != nil {
					return nil, err
				}
				out = append(out, sub...)
				continue
			}
			s, err := groupLeaves(c, leaf)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, pgerror.New(pgerror.InternalError, "unexpected grouping set kind %v", gs.Kind)
}

// groupLeaves binds one element of a grouping set: an expression, or a
// parenthesized list of them, which the grammar gives as an implicit ROW.
func groupLeaves(n *pg_query.Node, leaf func(*pg_query.Node) (int, error)) ([]int, error) {
	items := []*pg_query.Node{n}
	if r := n.GetRowExpr(); r != nil && r.RowFormat == pg_query.CoercionForm_COERCE_IMPLICIT_CAST {
		items = r.Args
	}
	var out []int
	for _, it := range items {
		i, err := leaf(it)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return unionSets(out), nil
}

// unionSets merges sets of GroupBy positions into one ascending list
// without duplicates (a set groups by an expression once).
func unionSets(sets ...[]int) []int {
	out := []int{}
	for _, s := range sets {
		out = append(out, s...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func setKey(s []int) string {
	var b strings.Builder
	for _, i := range s {
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(',')
	}
	return b.String()
}

// bindGroupingFunc binds GROUPING(args). Its arguments are resolved to
// grouping expressions by resolveGrouping once GROUP BY is bound.
func (b *binder) bindGroupingFunc(gf *pg_query.GroupingFunc, sc *scope) (bound.Expr, error) {
	if b.aggs == nil {
		if b.aggWhat == "aggregate function calls cannot be nested" {
			return nil, pgerror.New(pgerror.GroupingError, "%s", b.aggWhat).WithPosition(gf.Location + 1)
		}
		what := b.aggWhat
		if what == "" {
			what = "this context"
		}
		return nil, pgerror.New(pgerror.GroupingError, "grouping operations are not allowed in %s", what).WithPosition(gf.Location + 1)
	}
	if len(gf.Args) > maxGroupingArgs {
		return nil, pgerror.New(pgerror.TooManyArguments, "GROUPING must have fewer than 32 arguments").WithPosition(gf.Location + 1)
	}
	outer := b.aggs
	b.aggs = nil
	defer func() { b.aggs = outer }()
	agg := bound.Agg{Kind: bound.AggGrouping, Name: "grouping", T: types.Int4}
	var locs []int32
	for _, a := range gf.Args {
		x, err := b.bindExpr(a, sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		agg.Args = append(agg.Args, finalize(b.settle(x)))
		locs = append(locs, leftmostLocation(a))
	}
	*outer = append(*outer, agg)
	if b.groupingLocs == nil {
		b.groupingLocs = map[groupingAt][]int32{}
	}
	b.groupingLocs[groupingAt{outer, len(*outer) - 1}] = locs
	return &bound.AggRef{Idx: len(*outer) - 1, T: types.Int4}, nil
}

// resolveGrouping finds the GroupBy position of every GROUPING() argument
// of one query level; an argument that is no grouping expression is 42803,
// as in PostgreSQL's finalize_grouping_exprs.
func (b *binder) resolveGrouping(aggs *[]bound.Agg, groupBy []bound.Expr) error {
	for i := range *aggs {
		a := &(*aggs)[i]
		if a.Kind != bound.AggGrouping {
			continue
		}
		locs := b.groupingLocs[groupingAt{aggs, i}]
		delete(b.groupingLocs, groupingAt{aggs, i})
		a.GroupRefs = a.GroupRefs[:0]
		for j, arg := range a.Args {
			ref := -1
			k := bound.MatchKey(arg)
			for gi, g := range groupBy {
				if g.Type() == arg.Type() && bound.MatchKey(g) == k {
					ref = gi
					break
				}
			}
			if ref < 0 {
				err := pgerror.New(pgerror.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level")
				if j < len(locs) && locs[j] >= 0 {
					err = err.WithPosition(locs[j] + 1)
				}
				return err
			}
			a.GroupRefs = append(a.GroupRefs, ref)
		}
	}
	return nil
}
