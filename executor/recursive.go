package executor

import (
	"github.com/prkdb/prkdb-sql/sql/types"
)

// WorkTable is the row buffer a RecursiveUnion shares with the
// WorkTableScans of its recursive term: the previous iteration's rows.
type WorkTable struct {
	Rows [][]types.Datum
}

// WorkTableScan reads the work table (the recursive self-reference of a
// WITH RECURSIVE query).
type WorkTableScan struct {
	Estimated
	Name  string // "w" or "w alias"
	Table *WorkTable
	Pred  Eval // optional filter, shown as PostgreSQL does on the scan
	Text  string
	pos   int
}

func (w *WorkTableScan) Open(c *Ctx) error { w.pos = 0; return nil }

func (w *WorkTableScan) Next(c *Ctx) ([]types.Datum, error) {
	for w.pos < len(w.Table.Rows) {
		row := w.Table.Rows[w.pos]
		w.pos++
		if w.Pred == nil {
			return row, nil
		}
		ok, err := evalBool(w.Pred, c.Eval, row)
		if err != nil {
			return nil, err
		}
		if ok {
			return row, nil
		}
	}
	return nil, nil
}

func (w *WorkTableScan) Close() {}

func (w *WorkTableScan) Explain() *Explain {
	e := &Explain{Name: "WorkTable Scan on " + w.Name}
	if w.Pred != nil {
		e.Details = []string{"Filter: " + w.Text}
	}
	return e
}

// RecursiveUnion evaluates WITH RECURSIVE: NonRec's rows, then Rec's rows
// run again and again over the previous iteration's output (Table) until
// an iteration yields no row. Without All, rows seen before are dropped.
type RecursiveUnion struct {
	Estimated
	NonRec, Rec Node
	All         bool
	Width       int
	Table       *WorkTable

	cur   Node
	next  [][]types.Datum
	dedup *SetOp // only its lookup table is used
	n     int
}

func (r *RecursiveUnion) Open(c *Ctx) error {
	r.Table.Rows, r.next, r.n = nil, nil, 0
	r.dedup = nil
	if !r.All {
		r.dedup = &SetOp{Width: r.Width}
		r.dedup.cols = make([]int, r.Width)
		for i := range r.dedup.cols {
			r.dedup.cols[i] = i
		}
		r.dedup.seen = map[uint64][]*setRow{}
	}
	r.cur = r.NonRec
	return r.NonRec.Open(c)
}

func (r *RecursiveUnion) Next(c *Ctx) ([]types.Datum, error) {
	for {
		if r.n++; r.n%256 == 0 {
			if err := checkCancel(c); err != nil {
				return nil, err
			}
		}
		row, err := r.cur.Next(c)
		if err != nil {
			return nil, err
		}
		if row == nil {
			r.cur.Close()
			if len(r.next) == 0 {
				r.cur = nil
				return nil, nil
			}
			// Next iteration: the rows just produced become the work table.
			if err := checkCancel(c); err != nil {
				return nil, err
			}
			r.Table.Rows, r.next = r.next, nil
			r.cur = r.Rec
			if err := r.Rec.Open(c); err != nil {
				return nil, err
			}
			continue
		}
		if r.dedup != nil {
			_, found, err := r.dedup.lookup(c, row, true)
			if err != nil {
				return nil, err
			}
			if found {
				continue
			}
		}
		row = copyRow(row)
		if err := c.Budget.Grow(rowBytes(row)); err != nil {
			return nil, err
		}
		r.next = append(r.next, row)
		return row, nil
	}
}

func (r *RecursiveUnion) Close() {
	if r.cur != nil {
		r.cur.Close()
		r.cur = nil
	}
	r.Table.Rows, r.next, r.dedup = nil, nil, nil
}

func (r *RecursiveUnion) Explain() *Explain {
	return &Explain{Name: "Recursive Union", Children: []Node{r.NonRec, r.Rec}}
}

// CTEScan reads a WITH query's result (PostgreSQL's CTE Scan); here it
// streams its input, which EXPLAIN shows beneath it.
type CTEScan struct {
	Estimated
	Name  string // "w" or "w alias"
	CTE   string
	Input Node
}

func (s *CTEScan) Open(c *Ctx) error                  { return s.Input.Open(c) }
func (s *CTEScan) Next(c *Ctx) ([]types.Datum, error) { return s.Input.Next(c) }
func (s *CTEScan) Close()                             { s.Input.Close() }
func (s *CTEScan) Explain() *Explain {
	return &Explain{Name: "CTE Scan on " + s.Name, SubPlans: []SubPlan{{Label: "CTE " + s.CTE, Node: s.Input}}}
}
