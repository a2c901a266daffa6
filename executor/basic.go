package executor

import (
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Filter passes rows for which Pred is TRUE.
type Filter struct {
	Estimated
	Input Node
	Pred  Eval
	Text  string
	// Removed counts rows the predicate rejected, for EXPLAIN ANALYZE
	// ("Rows Removed by Filter").
	Removed int64
}

func (f *Filter) Open(c *Ctx) error { return f.Input.Open(c) }
func (f *Filter) Next(c *Ctx) ([]types.Datum, error) {
	for {
		row, err := f.Input.Next(c)
		if err != nil || row == nil {
			return row, err
		}
		ok, err := evalBool(f.Pred, c.Eval, row)
		if err != nil {
			return nil, err
		}
		if ok {
			return row, nil
		}
		f.Removed++
	}
}
func (f *Filter) Close() { f.Input.Close() }
func (f *Filter) Explain() *Explain {
	return &Explain{Name: "Filter", Details: []string{"Filter: " + f.Text}, Children: []Node{f.Input}, Removed: f.Removed}
}

// Project computes output expressions over each input row.
type Project struct {
	Estimated
	Input Node
	Exprs []Eval
	out   []types.Datum
}

func (p *Project) Open(c *Ctx) error {
	if p.out == nil {
		p.out = make([]types.Datum, len(p.Exprs))
	}
	return p.Input.Open(c)
}
func (p *Project) Next(c *Ctx) ([]types.Datum, error) {
	row, err := p.Input.Next(c)
	if err != nil || row == nil {
		return nil, err
	}
	for i, e := range p.Exprs {
		v, err := e(c.Eval, row)
		if err != nil {
			return nil, err
		}
		p.out[i] = v
	}
	return p.out, nil
}
func (p *Project) Close() { p.Input.Close() }

// Explain: a projection is part of its input's line in PostgreSQL's
// output, so it shows its child's description.
func (p *Project) Explain() *Explain { return p.Input.Explain() }

// OneRow produces a single empty row: SELECT without FROM.
type OneRow struct {
	Estimated
	done bool
}

func (o *OneRow) Open(*Ctx) error { o.done = false; return nil }
func (o *OneRow) Next(*Ctx) ([]types.Datum, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	return []types.Datum{}, nil
}
func (o *OneRow) Close()            {}
func (o *OneRow) Explain() *Explain { return &Explain{Name: "Result"} }

// Values produces literal rows.
type Values struct {
	Estimated
	Rows [][]Eval
	i    int
	out  []types.Datum
}

func (v *Values) Open(*Ctx) error { v.i = 0; return nil }
func (v *Values) Next(c *Ctx) ([]types.Datum, error) {
	if v.i >= len(v.Rows) {
		return nil, nil
	}
	r := v.Rows[v.i]
	v.i++
	if cap(v.out) < len(r) {
		v.out = make([]types.Datum, len(r))
	}
	out := v.out[:len(r)]
	for j, e := range r {
		d, err := e(c.Eval, nil)
		if err != nil {
			return nil, err
		}
		out[j] = d
	}
	return out, nil
}
func (v *Values) Close() {}
func (v *Values) Explain() *Explain {
	return &Explain{Name: "Values Scan on \"*VALUES*\""}
}

// Limit skips Offset rows and stops after Count (nil: no limit).
type Limit struct {
	Estimated
	Input         Node
	Count, Offset Eval
	// Ties are the ORDER BY keys of FETCH FIRST ... WITH TIES: past the
	// count, rows equal to the last one returned on them still come.
	Ties       []SortKey
	left, skip int64
	unlimited  bool
	last       []types.Datum // WITH TIES: the last row returned
	hasLast    bool
}

func (l *Limit) Open(c *Ctx) error {
	l.skip = 0
	count, ok, err := rowCount(c, l.Count, limitError, "LIMIT must not be negative")
	if err != nil {
		return err
	}
	if !ok && l.Ties != nil && l.Count != nil {
		return pgerror.New(pgerror.InvalidRowCountInLimit, "row count cannot be null in FETCH FIRST ... WITH TIES clause")
	}
	l.unlimited, l.left, l.hasLast = !ok, count, false
	if l.skip, _, err = rowCount(c, l.Offset, offsetError, "OFFSET must not be negative"); err != nil {
		return err
	}
	return l.Input.Open(c)
}

// rowCount evaluates a LIMIT or OFFSET expression; ok is false when there
// is none or it is NULL (no limit, no offset).
func rowCount(c *Ctx, e Eval, fail func(string) error, negative string) (n int64, ok bool, err error) {
	if e == nil {
		return 0, false, nil
	}
	v, err := e(c.Eval, nil)
	if err != nil || v.K == types.KindNull {
		return 0, false, err
	}
	if n, err = toInt64(v); err != nil {
		return 0, false, err
	}
	if n < 0 {
		return 0, false, fail(negative)
	}
	return n, true, nil
}

func (l *Limit) Next(c *Ctx) ([]types.Datum, error) {
	for l.skip > 0 {
		row, err := l.Input.Next(c)
		if err != nil || row == nil {
			return nil, err
		}
		l.skip--
	}
	if l.Ties != nil {
		return l.nextWithTies(c)
	}
	if !l.unlimited {
		if l.left <= 0 {
			return nil, nil
		}
		l.left--
	}
	return l.Input.Next(c)
}

// nextWithTies returns the counted rows, then those equal to the last of
// them on the ORDER BY keys.
func (l *Limit) nextWithTies(c *Ctx) ([]types.Datum, error) {
	if !l.unlimited && l.left <= 0 && !l.hasLast {
		return nil, nil // FETCH FIRST 0 ROWS: nothing, not even ties
	}
	row, err := l.Input.Next(c)
	if err != nil || row == nil {
		return nil, err
	}
	if !l.unlimited && l.left <= 0 {
		if CompareRows(row, l.last, l.Ties) != 0 {
			l.hasLast = false
			return nil, nil
		}
		return row, nil
	}
	l.left--
	l.last, l.hasLast = append(l.last[:0], row...), true
	return row, nil
}
func (l *Limit) Close()            { l.Input.Close() }
func (l *Limit) Explain() *Explain { return &Explain{Name: "Limit", Children: []Node{l.Input}} }

// copyRow copies a row so it outlives the producer's buffer.
func copyRow(row []types.Datum) []types.Datum {
	return append(make([]types.Datum, 0, len(row)), row...)
}

// rowBytes estimates a row's memory for the budget.
func rowBytes(row []types.Datum) int64 {
	n := int64(len(row)) * 56
	for i := range row {
		n += int64(len(row[i].S))
	}
	return n
}
