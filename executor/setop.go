package executor

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// SetOp combines two inputs of the same width: UNION [ALL], INTERSECT
// [ALL], EXCEPT [ALL], with rows compared as GROUP BY does (NULLs equal).
type SetOp struct {
	Estimated
	mem         memHeld // rows held against the query's memory budget
	Kind        bound.SetOpKind
	All         bool
	Left, Right Node
	Width       int
	// BPChar marks the char(n) columns, whose trailing blanks do not count
	// when rows are compared ('x' and 'x   ' are one row, as bpchar's
	// hash and equality have it); nil when there are none.
	BPChar []bool

	cols  []int
	seen  map[uint64][]*setRow // UNION: rows emitted; INTERSECT/EXCEPT: right side counts
	right bool                 // UNION: now reading the right input
	open  bool
}

type setRow struct {
	row   []types.Datum
	count int
}

func (s *SetOp) Open(c *Ctx) error {
	s.mem.release()
	s.cols = make([]int, s.Width)
	for i := range s.cols {
		s.cols[i] = i
	}
	s.seen, s.right = map[uint64][]*setRow{}, false
	if s.Kind != bound.SetUnion {
		// Count the right side's rows first.
		err := Drain(c, s.Right, func(row []types.Datum) error {
			r, _, err := s.lookup(c, row, true)
			if err == nil {
				r.count++
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	return s.Left.Open(c)
}

// lookup finds (or, with add, adds) the entry equal to row.
func (s *SetOp) lookup(c *Ctx, row []types.Datum, add bool) (*setRow, bool, error) {
	var h uint64
	if s.BPChar == nil {
		h = hashCols(row, s.cols)
	} else {
		h = s.hashBPChar(row)
	}
	for _, r := range s.seen[h] {
		if s.BPChar == nil && equalCols(r.row, row, s.cols) || s.BPChar != nil && s.equalBPChar(r.row, row) {
			return r, true, nil
		}
	}
	if !add {
		return nil, false, nil
	}
	if err := s.mem.grow(c, rowBytes(row)); err != nil {
		return nil, false, err
	}
	r := &setRow{row: copyRow(row)}
	s.seen[h] = append(s.seen[h], r)
	return r, false, nil
}

func (s *SetOp) Next(c *Ctx) ([]types.Datum, error) {
	for {
		in := s.Left
		if s.right {
			in = s.Right
		}
		row, err := in.Next(c)
		if err != nil {
			return nil, err
		}
		if row == nil {
			if s.Kind == bound.SetUnion && !s.right {
				s.right = true
				if err := s.Right.Open(c); err != nil {
					return nil, err
				}
				continue
			}
			return nil, nil
		}
		switch s.Kind {
		case bound.SetUnion:
			if s.All {
				return row, nil
			}
			if _, found, err := s.lookup(c, row, true); err != nil || found {
				if err != nil {
					return nil, err
				}
				continue
			}
			return row, nil
		case bound.SetIntersect:
			r, found, err := s.lookup(c, row, false)
			if err != nil {
				return nil, err
			}
			if found && r.count > 0 {
				if s.All {
					r.count--
				} else {
					r.count = 0
				}
				return row, nil
			}
		case bound.SetExcept:
			r, found, err := s.lookup(c, row, !s.All)
			if err != nil {
				return nil, err
			}
			if s.All {
				if found && r.count > 0 {
					r.count--
					continue
				}
				return row, nil
			}
			if found {
				continue // present on the right, or already emitted
			}
			r.count = 1 // emitted: later duplicates are dropped
			return row, nil
		}
	}
}

func (s *SetOp) Close() {
	s.Left.Close()
	s.Right.Close()
	s.seen = nil
	s.mem.release()
}

func (s *SetOp) Explain() *Explain {
	name := map[bound.SetOpKind]string{bound.SetUnion: "Append", bound.SetIntersect: "HashSetOp Intersect", bound.SetExcept: "HashSetOp Except"}[s.Kind]
	if s.Kind == bound.SetUnion && !s.All {
		name = "HashAggregate"
	}
	return &Explain{Name: name, Children: []Node{s.Left, s.Right}}
}
