package planner

import (
	"math"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
)

// needsGroupingSets: a query with GROUPING SETS / ROLLUP / CUBE, or with
// GROUPING() (which a plain GROUP BY answers as one set of all its
// expressions), is aggregated by GroupingSetsAgg.
func needsGroupingSets(s *bound.Select) bool {
	if s.GroupingSets != nil {
		return true
	}
	for _, a := range s.Aggs {
		if a.Kind == bound.AggGrouping {
			return true
		}
	}
	return false
}

// planGroupingSets builds the aggregation of s over n. Its estimate is the
// sum of every set's groups; each input row is hashed once per set.
func planGroupingSets(s *bound.Select, n executor.Node, rc relCols, width int) *executor.GroupingSetsAgg {
	agg := &executor.GroupingSetsAgg{Input: n, Sets: s.GroupingSets}
	if agg.Sets == nil {
		all := make([]int, len(s.GroupBy))
		for i := range all {
			all[i] = i
		}
		agg.Sets = [][]int{all}
	}
	for _, g := range s.GroupBy {
		agg.GroupBy = append(agg.GroupBy, executor.Compile(g))
		agg.Text = append(agg.Text, bound.Format(g))
	}
	for _, a := range s.Aggs {
		if a.Kind == bound.AggGrouping {
			agg.Aggs = append(agg.Aggs, executor.AggSpec{Kind: a.Kind, T: a.T, GroupRefs: a.GroupRefs})
			continue
		}
		agg.Aggs = append(agg.Aggs, aggSpec(a))
	}
	ie := estOf(n)
	groups := 0.0
	for _, set := range agg.Sets {
		exprs := make([]bound.Expr, len(set))
		for i, col := range set {
			exprs[i] = s.GroupBy[col]
		}
		g := 1.0
		if len(exprs) > 0 {
			g = groupCount(exprs, rc, ie.Rows)
		}
		groups += g
	}
	startup := ie.Total + ie.Rows*cpuOperatorCost*float64(len(agg.Sets)*(len(s.GroupBy)+len(s.Aggs)))
	setEst(agg, startup, startup+groups*cpuTupleCost, math.Max(groups, 1), width)
	return agg
}
