package planner

import (
	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
)

// joinItem is one relation of a chain of inner joins, at column offset off
// of the chain's row as written.
type joinItem struct {
	rel   bound.Rel
	off   int
	width int
	rows  float64 // estimated, after the filters on it alone
}

// reorderJoins plans a chain of three or more inner (or comma) joins in a
// greedy order: start from the relation with the fewest estimated rows,
// then repeatedly join the relation connected to those already joined
// that gives the smallest estimated result (a cross product only when
// nothing is connected). PostgreSQL searches all orders of up to 12
// relations; greedy is enough to avoid the orders that blow up. The chosen
// left-deep tree is planned as usual (push-down, hash or index joins) and
// a projection restores the written column order, so nothing above
// notices. ok is false when the written order is kept.
func reorderJoins(j *bound.JoinRel, where bound.Expr, need []bool) (executor.Node, bool, error) {
	var items []joinItem
	var conds []bound.Expr
	flattenInner(j, 0, &items, &conds)
	if len(items) < 3 {
		return nil, false, nil
	}
	for _, it := range items {
		// Catalog relations have no statistics, only guessed sizes, and
		// clients (psql, pg_dump, ORMs) read joins of them without ORDER
		// BY expecting PostgreSQL's row order: keep the order written.
		if readsCatalog(it.rel) {
			return nil, false, nil
		}
	}
	conds = append(conds, bound.Conjuncts(where)...)
	width := j.Width()
	owner := make([]int, width) // column -> item
	global := relCols{rows: 1, cols: make([]*catalog.ColumnStats, width)}
	for i, it := range items {
		rc := relStats(it.rel)
		for c := 0; c < it.width; c++ {
			owner[it.off+c] = i
			global.cols[it.off+c] = rc.col(c)
		}
	}
	// The items each conjunct reads; anything that is not a plain
	// function of the row (a subquery, a volatile call) keeps the order.
	uses := make([]uint64, len(conds))
	for k, c := range conds {
		if !bound.RowFree(withoutCols(c)) || len(items) > 64 {
			return nil, false, nil
		}
		bound.Walk(c, func(x bound.Expr) bool {
			if cr, ok := x.(*bound.ColRef); ok && cr.Idx < width {
				uses[k] |= 1 << owner[cr.Idx]
			}
			return true
		})
	}
	for i := range items {
		items[i].rows = relStats(items[i].rel).rows
		for k, c := range conds {
			if uses[k] == 1<<i {
				items[i].rows *= selectivity(c, global)
			}
		}
	}
	order := greedyOrder(items, conds, uses, global)
	same := true
	for i, o := range order {
		same = same && i == o
	}
	if same {
		return nil, false, nil
	}
	return buildOrder(items, order, conds, uses, need, width)
}

// flattenInner collects the relations of a tree of inner joins (stopping
// at outer and LATERAL joins, which are items themselves) and their ON
// conjuncts, renumbered to the tree's row.
func flattenInner(r bound.Rel, off int, items *[]joinItem, conds *[]bound.Expr) {
	if j, ok := r.(*bound.JoinRel); ok && !j.Lateral && (j.Kind == bound.JoinInner || j.Kind == bound.JoinCross) {
		flattenInner(j.Left, off, items, conds)
		flattenInner(j.Right, off+j.Left.Width(), items, conds)
		for _, c := range bound.Conjuncts(j.On) {
			*conds = append(*conds, shift(c, -off))
		}
		return
	}
	*items = append(*items, joinItem{rel: r, off: off, width: r.Width()})
}

func greedyOrder(items []joinItem, conds []bound.Expr, uses []uint64, global relCols) []int {
	first := 0
	for i := range items {
		if items[i].rows < items[first].rows {
			first = i
		}
	}
	order := []int{first}
	joined := uint64(1) << first
	rows := items[first].rows
	for len(order) < len(items) {
		best, bestRows, bestConnected := -1, 0.0, false
		for i := range items {
			if joined&(1<<i) != 0 {
				continue
			}
			est, connected := rows*items[i].rows, false
			for k, c := range conds {
				u := uses[k]
				if u&(1<<i) != 0 && u&joined != 0 && u&^(joined|1<<i) == 0 {
					est *= selectivity(c, global)
					connected = true
				}
			}
			if best < 0 || (connected && !bestConnected) || (connected == bestConnected && est < bestRows) {
				best, bestRows, bestConnected = i, est, connected
			}
		}
		order = append(order, best)
		joined |= 1 << best
		rows = max(bestRows, 1)
	}
	return order
}

// buildOrder plans the items joined left-deep in order, each conjunct in
// the ON of the join where its last item arrives (single-item ones are
// pushed down by join), and restores the written column order on top.
func buildOrder(items []joinItem, order []int, conds []bound.Expr, uses []uint64, need []bool, width int) (executor.Node, bool, error) {
	newCol := make([]int, width)
	pos := 0
	for _, i := range order {
		for c := 0; c < items[i].width; c++ {
			newCol[items[i].off+c] = pos
			pos++
		}
	}
	remap := func(e bound.Expr) bound.Expr {
		out, _ := bound.Rewrite(e, func(x bound.Expr) (bound.Expr, error) {
			if c, ok := x.(*bound.ColRef); ok && c.Idx < width {
				cc := *c
				cc.Idx = newCol[c.Idx]
				return &cc, nil
			}
			return x, nil
		})
		return out
	}
	placed := make([]bool, len(conds))
	var tree bound.Rel = items[order[0]].rel
	joined := uint64(1) << order[0]
	for _, i := range order[1:] {
		joined |= 1 << i
		var on []bound.Expr
		for k, c := range conds {
			u := uses[k]
			if !placed[k] && u&(1<<i) != 0 && u&^(1<<i) != 0 && u&^joined == 0 {
				on = append(on, remap(c))
				placed[k] = true
			}
		}
		kind := bound.JoinInner
		if len(on) == 0 {
			kind = bound.JoinCross
		}
		tree = &bound.JoinRel{Kind: kind, Left: tree, Right: items[i].rel, On: andOrNil(on)}
	}
	var rest []bound.Expr
	for k, c := range conds {
		if !placed[k] {
			rest = append(rest, remap(c))
		}
	}
	var newNeed []bool
	if need != nil {
		newNeed = make([]bool, width)
		for old, nc := range newCol {
			newNeed[nc] = need[old]
		}
	}
	n, err := join(tree.(*bound.JoinRel), andOrNil(rest), newNeed)
	if err != nil {
		return nil, true, err
	}
	back := &executor.Project{Input: n}
	for old := 0; old < width; old++ {
		back.Exprs = append(back.Exprs, executor.Compile(&bound.ColRef{Idx: newCol[old]}))
	}
	copyEst(back, n, estOf(n).Width)
	return back, true, nil
}

// readsCatalog reports whether a FROM item reads a generated (catalog)
// relation, directly or through a view.
func readsCatalog(r bound.Rel) bool {
	switch r := r.(type) {
	case *bound.VirtualRel:
		return true
	case *bound.JoinRel:
		return readsCatalog(r.Left) || readsCatalog(r.Right)
	case *bound.SubqueryRel:
		return selectReadsCatalog(r.Query)
	}
	return false
}

func selectReadsCatalog(s *bound.Select) bool {
	if s == nil {
		return false
	}
	if s.SetOp != nil {
		return selectReadsCatalog(s.SetOp.Left) || selectReadsCatalog(s.SetOp.Right)
	}
	return s.From != nil && readsCatalog(s.From)
}
