package executor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// SortKey is one ORDER BY key over the input row.
type SortKey struct {
	Col        int
	Desc       bool
	NullsFirst bool
}

// CompareRows orders two rows by keys with PostgreSQL's NULL placement.
func CompareRows(a, b []types.Datum, keys []SortKey) int {
	for _, k := range keys {
		x, y := a[k.Col], b[k.Col]
		xn, yn := x.K == types.KindNull, y.K == types.KindNull
		var c int
		switch {
		case xn && yn:
			c = 0
		case xn:
			if k.NullsFirst {
				return -1
			}
			return 1
		case yn:
			if k.NullsFirst {
				return 1
			}
			return -1
		default:
			c = types.Compare(x, y)
			if k.Desc {
				c = -c
			}
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// Sort materializes its input and returns it ordered (stable).
type Sort struct {
	Estimated
	mem   memHeld // rows held against the query's memory budget
	Input Node
	Keys  []SortKey
	Text  []string // key expressions, for EXPLAIN
	// TopN, when > 0, keeps only the first TopN rows (ORDER BY ... LIMIT).
	TopN int64
	rows [][]types.Datum
	i    int
	// What the last run did, for EXPLAIN ANALYZE: top-N or a full sort,
	// and the bytes it held.
	ranTopN bool
	ranHeld int64
}

func (s *Sort) Open(c *Ctx) error {
	s.rows, s.i = s.rows[:0], 0
	s.mem.release()
	s.ranTopN = s.TopN > 0 && s.TopN <= topNMax
	defer func() { s.ranHeld = s.mem.n }()
	if s.ranTopN {
		return s.openTopN(c)
	}
	err := Drain(c, s.Input, func(row []types.Datum) error {
		if err := s.mem.grow(c, rowBytes(row)); err != nil {
			return err
		}
		s.rows = append(s.rows, copyRow(row))
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(s.rows, func(a, b []types.Datum) int { return CompareRows(a, b, s.Keys) })
	if s.TopN > 0 && int64(len(s.rows)) > s.TopN {
		s.rows = s.rows[:s.TopN]
	}
	return nil
}

// topNMax: past this many rows a heap's log factor loses to one sort.
const topNMax = 100000

// openTopN sorts keeping only the first TopN rows (see topN).
func (s *Sort) openTopN(c *Ctx) error {
	t := &topN{keys: s.Keys, n: int(s.TopN)}
	var seq int64
	err := Drain(c, s.Input, func(row []types.Datum) error {
		seq++
		if t.offer(row, seq) {
			return s.mem.grow(c, rowBytes(row))
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.rows = t.sorted()
	return nil
}

func (s *Sort) Next(*Ctx) ([]types.Datum, error) {
	if s.i >= len(s.rows) {
		return nil, nil
	}
	s.i++
	return s.rows[s.i-1], nil
}
func (s *Sort) Close() { s.mem.release() }
func (s *Sort) Explain() *Explain {
	e := &Explain{Name: "Sort", Details: []string{"Sort Key: " + strings.Join(s.Text, ", ")}, Children: []Node{s.Input}}
	if s.ranHeld > 0 {
		// PostgreSQL's line; the memory is what our budget accounted.
		method := "quicksort"
		if s.ranTopN {
			method = "top-N heapsort"
		}
		e.Analyzed = []string{fmt.Sprintf("Sort Method: %s  Memory: %dkB", method, (s.ranHeld+1023)/1024)}
	}
	return e
}

// Distinct drops duplicate rows (over the first Width columns), keeping
// the first of each. It hashes, so it does not need sorted input.
type Distinct struct {
	Estimated
	mem   memHeld // rows held against the query's memory budget
	Input Node
	Width int
	// On, when set, are the DISTINCT ON columns: the first row of each
	// group (in input order) is kept.
	On   []int
	seen map[uint64][][]types.Datum
}

func (d *Distinct) Open(c *Ctx) error {
	d.seen = map[uint64][][]types.Datum{}
	d.mem.release()
	return d.Input.Open(c)
}

func (d *Distinct) Next(c *Ctx) ([]types.Datum, error) {
	cols := d.On
	if cols == nil {
		cols = make([]int, d.Width)
		for i := range cols {
			cols[i] = i
		}
		d.On = nil
	}
	for {
		row, err := d.Input.Next(c)
		if err != nil || row == nil {
			return nil, err
		}
		h := hashCols(row, cols)
		dup := false
		for _, prev := range d.seen[h] {
			if equalCols(prev, row, cols) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if err := d.mem.grow(c, rowBytes(row)); err != nil {
			return nil, err
		}
		d.seen[h] = append(d.seen[h], copyRow(row))
		return row, nil
	}
}
func (d *Distinct) Close() { d.Input.Close(); d.seen = nil; d.mem.release() }
func (d *Distinct) Explain() *Explain {
	return &Explain{Name: "HashAggregate", Children: []Node{d.Input}}
}

func hashCols(row []types.Datum, cols []int) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range cols {
		h = types.Hash(row[c], h)
	}
	return h
}

// equalCols compares for grouping: NULLs are equal to each other.
func equalCols(a, b []types.Datum, cols []int) bool {
	for _, c := range cols {
		x, y := &a[c], &b[c]
		if x.K == types.KindInt && y.K == types.KindInt {
			if x.I != y.I { // the common grouping key, without types.Compare
				return false
			}
			continue
		}
		if (x.K == types.KindNull) != (y.K == types.KindNull) {
			return false
		}
		if x.K != types.KindNull && types.Compare(*x, *y) != 0 {
			return false
		}
	}
	return true
}
