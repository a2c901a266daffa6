package executor

import (
	"slices"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// WindowSpec is one compiled window function.
type WindowSpec struct {
	Name        string
	Agg         *AggSpec // aggregates over the frame
	Args        []Eval
	PartitionBy []Eval
	OrderBy     []Eval
	OrderKeys   []SortKey // Col indexes into OrderBy values
	Frame       int32
	StartOffset Eval
	EndOffset   Eval
	// StartBound, EndBound: RANGE offset frames' bound values per row.
	StartBound Eval
	EndBound   Eval
}

// Window computes window functions over its materialized input; each
// output row is the input row followed by one value per window.
type Window struct {
	Estimated
	mem   memHeld // rows held against the query's memory budget
	Input Node
	Specs []WindowSpec

	rows [][]types.Datum
	out  [][]types.Datum // per row: the window values
	i    int
	buf  []types.Datum
}

func (w *Window) Open(c *Ctx) error {
	w.rows, w.i = w.rows[:0], 0
	w.mem.release()
	if err := Drain(c, w.Input, func(row []types.Datum) error {
		if err := w.mem.grow(c, rowBytes(row)); err != nil {
			return err
		}
		w.rows = append(w.rows, copyRow(row))
		return nil
	}); err != nil {
		return err
	}
	w.out = make([][]types.Datum, len(w.rows))
	for i := range w.out {
		w.out[i] = make([]types.Datum, len(w.Specs))
	}
	for si := range w.Specs {
		if err := w.compute(c, si); err != nil {
			return err
		}
	}
	return nil
}

type winRow struct {
	idx   int
	part  []types.Datum
	order []types.Datum
}

func (w *Window) compute(c *Ctx, si int) error {
	sp := &w.Specs[si]
	rs := make([]winRow, len(w.rows))
	for i, row := range w.rows {
		r := winRow{idx: i}
		for _, p := range sp.PartitionBy {
			v, err := p(c.Eval, row)
			if err != nil {
				return err
			}
			r.part = append(r.part, v)
		}
		for _, o := range sp.OrderBy {
			v, err := o(c.Eval, row)
			if err != nil {
				return err
			}
			r.order = append(r.order, v)
		}
		rs[i] = r
	}
	partKeys := make([]SortKey, len(sp.PartitionBy))
	for i := range partKeys {
		partKeys[i] = SortKey{Col: i}
	}
	slices.SortStableFunc(rs, func(a, b winRow) int {
		if c := CompareRows(a.part, b.part, partKeys); c != 0 {
			return c
		}
		return CompareRows(a.order, b.order, sp.OrderKeys)
	})
	for start := 0; start < len(rs); {
		end := start + 1
		for end < len(rs) && CompareRows(rs[start].part, rs[end].part, partKeys) == 0 {
			end++
		}
		if err := w.partition(c, si, rs[start:end]); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// partition computes one window over one partition (rows in window order).
func (w *Window) partition(c *Ctx, si int, rs []winRow) error {
	sp := &w.Specs[si]
	n := len(rs)
	peer := func(a, b int) bool { return CompareRows(rs[a].order, rs[b].order, sp.OrderKeys) == 0 }
	// peerEnd[i]: the last row that is a peer of row i (same ORDER BY values).
	peerEnd := make([]int, n)
	for i := n - 1; i >= 0; i-- {
		if i == n-1 || !peer(i, i+1) {
			peerEnd[i] = i
		} else {
			peerEnd[i] = peerEnd[i+1]
		}
	}
	arg := func(k, i int) (types.Datum, error) { return sp.Args[k](c.Eval, w.rows[rs[i].idx]) }
	set := func(i int, v types.Datum) { w.out[rs[i].idx][si] = v }
	switch sp.Name {
	case "row_number":
		for i := range rs {
			set(i, types.NewInt(int64(i+1)))
		}
		return nil
	case "rank", "dense_rank", "percent_rank", "cume_dist":
		rank, dense := 1, 1
		for i := range rs {
			if i > 0 && !peer(i-1, i) {
				rank, dense = i+1, dense+1
			}
			switch sp.Name {
			case "rank":
				set(i, types.NewInt(int64(rank)))
			case "dense_rank":
				set(i, types.NewInt(int64(dense)))
			case "percent_rank":
				if n == 1 {
					set(i, types.NewFloat(0))
				} else {
					set(i, types.NewFloat(float64(rank-1)/float64(n-1)))
				}
			case "cume_dist":
				set(i, types.NewFloat(float64(peerEnd[i]+1)/float64(n)))
			}
		}
		return nil
	case "ntile":
		for i := range rs {
			b, err := arg(0, i)
			if err != nil {
				return err
			}
			if b.K == types.KindNull {
				set(i, types.Datum{})
				continue
			}
			if b.I <= 0 {
				return pgerror.New(pgerror.InvalidParameterValue, "argument of ntile must be greater than zero")
			}
			buckets := int(b.I)
			per, extra := n/buckets, n%buckets
			// The first `extra` buckets hold one row more.
			bucket, pos := 0, i
			for bk := 0; bk < buckets; bk++ {
				size := per
				if bk < extra {
					size++
				}
				if pos < size {
					bucket = bk
					break
				}
				pos -= size
			}
			set(i, types.NewInt(int64(bucket+1)))
		}
		return nil
	case "lag", "lead":
		for i := range rs {
			off := int64(1)
			if len(sp.Args) > 1 {
				o, err := arg(1, i)
				if err != nil {
					return err
				}
				if o.K == types.KindNull {
					set(i, types.Datum{})
					continue
				}
				off = o.I
			}
			j := i - int(off)
			if sp.Name == "lead" {
				j = i + int(off)
			}
			if j < 0 || j >= n {
				if len(sp.Args) > 2 {
					d, err := arg(2, i)
					if err != nil {
						return err
					}
					set(i, d)
				} else {
					set(i, types.Datum{})
				}
				continue
			}
			v, err := arg(0, j)
			if err != nil {
				return err
			}
			set(i, v)
		}
		return nil
	}
	// Frame-based: first_value, last_value, nth_value and aggregates.
	pe := partitionPeers(rs, sp.OrderKeys)
	var members []int
	for i := range rs {
		lo, hi, err := w.frameRows(c, sp, rs, i, pe)
		if err != nil {
			return err
		}
		members = frameMembers(members, sp.Frame, i, lo, hi, pe)
		switch sp.Name {
		case "first_value", "last_value", "nth_value":
			k := 0
			if sp.Name == "last_value" {
				k = len(members) - 1
			}
			if sp.Name == "nth_value" {
				nth, err := arg(1, i)
				if err != nil {
					return err
				}
				if nth.K == types.KindNull {
					set(i, types.Datum{})
					continue
				}
				if nth.I <= 0 {
					return pgerror.New(pgerror.InvalidParameterValue, "argument of nth_value must be greater than zero")
				}
				k = int(min(nth.I-1, int64(len(members))))
			}
			if k < 0 || k >= len(members) {
				set(i, types.Datum{})
				continue
			}
			v, err := arg(0, members[k])
			if err != nil {
				return err
			}
			set(i, v)
		default:
			var st aggState
			for _, k := range members {
				if err := sp.Agg.step(c, &st, w.rows[rs[k].idx]); err != nil {
					return err
				}
			}
			v, err := sp.Agg.final(c, &st)
			if err != nil {
				return err
			}
			set(i, v)
		}
	}
	return nil
}

func (w *Window) Next(*Ctx) ([]types.Datum, error) {
	if w.i >= len(w.rows) {
		return nil, nil
	}
	row := w.rows[w.i]
	w.buf = append(append(w.buf[:0], row...), w.out[w.i]...)
	w.i++
	return w.buf, nil
}

func (w *Window) Close() { w.rows, w.out = nil, nil; w.mem.release() }

func (w *Window) Explain() *Explain { return &Explain{Name: "WindowAgg", Children: []Node{w.Input}} }
