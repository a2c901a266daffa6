package executor

import (
	"container/heap"
	"slices"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// topN keeps the first n rows of a stable sort without holding the rest:
// a max-heap of the n best rows so far, ordered by the sort keys and then
// by arrival, so the result equals the stable full sort's first n rows
// (PostgreSQL's "top-N heapsort"). Memory is bounded by n rows whatever
// the input size, which is what lets ORDER BY ... LIMIT run on inputs that
// would exceed prkdb.query_mem_limit.
type topN struct {
	keys []SortKey
	rows [][]types.Datum
	seq  []int64
	n    int
}

func (t *topN) Len() int { return len(t.rows) }
func (t *topN) Less(i, j int) bool { // max-heap: the worst row on top
	if c := CompareRows(t.rows[i], t.rows[j], t.keys); c != 0 {
		return c > 0
	}
	return t.seq[i] > t.seq[j]
}
func (t *topN) Swap(i, j int) {
	t.rows[i], t.rows[j] = t.rows[j], t.rows[i]
	t.seq[i], t.seq[j] = t.seq[j], t.seq[i]
}
func (t *topN) Push(any) {}
func (t *topN) Pop() any { return nil }

// offer considers row (which the caller may reuse afterwards) as the
// seq-th input row; added reports whether the heap grew (rather than
// replacing its worst row).
func (t *topN) offer(row []types.Datum, seq int64) (added bool) {
	if len(t.rows) < t.n {
		t.rows = append(t.rows, copyRow(row))
		t.seq = append(t.seq, seq)
		heap.Fix(t, len(t.rows)-1)
		return true
	}
	// A later row equal to the worst kept one loses (stability).
	if CompareRows(row, t.rows[0], t.keys) >= 0 {
		return false
	}
	copy(t.rows[0], row) // reuse the evicted row's slice
	t.seq[0] = seq
	heap.Fix(t, 0)
	return false
}

// sorted returns the kept rows in sort order.
func (t *topN) sorted() [][]types.Datum {
	idx := make([]int, len(t.rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := CompareRows(t.rows[a], t.rows[b], t.keys); c != 0 {
			return c
		}
		return int(t.seq[a] - t.seq[b])
	})
	out := make([][]types.Datum, len(idx))
	for i, k := range idx {
		out[i] = t.rows[k]
	}
	return out
}
