package executor

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// GroupingSetsAgg is GROUP BY GROUPING SETS / ROLLUP / CUBE: one pass over
// the input with one hash table per grouping set. Its output row is, like
// HashAgg's, the GroupBy values followed by the Aggs, a GroupBy value not
// in the row's set being NULL; rows come set by set, in Sets order. A set
// without columns gives exactly one row, even for empty input (PostgreSQL's
// nodeAgg.c). GROUPING() is an AggSpec of kind bound.AggGrouping, computed
// from the row's set. Every new group is held against the query's memory
// budget, as in HashAgg.
type GroupingSetsAgg struct {
	Estimated
	mem     memHeld
	Input   Node
	GroupBy []Eval
	Sets    [][]int // GroupBy positions of each set
	Aggs    []AggSpec
	Text    []string // GroupBy as SQL, for EXPLAIN

	order []*setGroup
	i     int
	out   []types.Datum
}

type setGroup struct {
	set    int
	keys   []types.Datum // all of GroupBy, NULL where not in the set
	states []aggState
}

func (h *GroupingSetsAgg) Open(c *Ctx) error {
	h.order, h.i = nil, 0
	h.mem.release()
	tables := make([]map[uint64][]*setGroup, len(h.Sets))
	for i := range tables {
		tables[i] = map[uint64][]*setGroup{}
	}
	all := make([]types.Datum, len(h.GroupBy))
	keys := make([]types.Datum, len(h.GroupBy))
	err := Drain(c, h.Input, func(row []types.Datum) error {
		for i, g := range h.GroupBy {
			v, err := g(c.Eval, row)
			if err != nil {
				return err
			}
			all[i] = v
		}
		for si, set := range h.Sets {
			for i := range keys {
				keys[i] = dNull
			}
			for _, col := range set {
				keys[col] = all[col]
			}
			hash := hashCols(keys, set)
			var grp *setGroup
			for _, cand := range tables[si][hash] {
				if equalCols(cand.keys, keys, set) {
					grp = cand
					break
				}
			}
			if grp == nil {
				if err := h.mem.grow(c, rowBytes(keys)+int64(len(h.Aggs))*64); err != nil {
					return err
				}
				grp = &setGroup{set: si, keys: copyRow(keys), states: make([]aggState, len(h.Aggs))}
				tables[si][hash] = append(tables[si][hash], grp)
				h.order = append(h.order, grp)
			}
			for i := range h.Aggs {
				if h.Aggs[i].Kind == bound.AggGrouping {
					continue
				}
				if err := h.Aggs[i].step(c, &grp.states[i], row); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Output set by set; an empty set has its one row even without input.
	bySet := make([][]*setGroup, len(h.Sets))
	for _, g := range h.order {
		bySet[g.set] = append(bySet[g.set], g)
	}
	h.order = h.order[:0]
	for si, set := range h.Sets {
		if len(set) == 0 && len(bySet[si]) == 0 {
			keys := make([]types.Datum, len(h.GroupBy))
			for i := range keys {
				keys[i] = dNull
			}
			bySet[si] = append(bySet[si], &setGroup{set: si, keys: keys, states: make([]aggState, len(h.Aggs))})
		}
		h.order = append(h.order, bySet[si]...)
	}
	return nil
}

func (h *GroupingSetsAgg) Next(c *Ctx) ([]types.Datum, error) {
	if h.i >= len(h.order) {
		return nil, nil
	}
	g := h.order[h.i]
	h.i++
	var err error
	h.out, err = groupRow(c, h.out, g.keys, h.Aggs, g.states, true, h.Sets[g.set])
	return h.out, err
}

// groupingMask is GROUPING(refs) in a row of set: one bit per argument,
// the first the most significant, set when the argument is not grouped.
func groupingMask(set []int, refs []int) int64 {
	var m int64
	for _, r := range refs {
		m <<= 1
		in := false
		for _, c := range set {
			in = in || c == r
		}
		if !in {
			m |= 1
		}
	}
	return m
}

func (h *GroupingSetsAgg) Close() { h.order = nil; h.mem.release() }

// Explain follows PostgreSQL's shape for hashed grouping sets: one "Hash
// Key" line per non-empty set, "Group Key: ()" per empty one, and the node
// is a MixedAggregate when there are both (explain.c show_grouping_sets).
func (h *GroupingSetsAgg) Explain() *Explain {
	var hashed, plain []string
	for _, set := range h.Sets {
		if len(set) == 0 {
			plain = append(plain, "Group Key: ()")
			continue
		}
		cols := make([]string, len(set))
		for i, col := range set {
			cols[i] = h.Text[col]
		}
		hashed = append(hashed, strings.Join(cols, ", "))
	}
	e := &Explain{Children: []Node{h.Input}}
	switch {
	case len(hashed) == 0:
		e.Name = "Aggregate"
	case len(h.Sets) == 1:
		return &Explain{Name: "HashAggregate", Details: []string{"Group Key: " + hashed[0]}, Children: e.Children}
	case len(plain) == 0:
		e.Name = "HashAggregate"
	default:
		e.Name = "MixedAggregate"
	}
	for _, k := range hashed {
		e.Details = append(e.Details, "Hash Key: "+k)
	}
	e.Details = append(e.Details, plain...)
	return e
}
