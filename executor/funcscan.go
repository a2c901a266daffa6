package executor

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// FuncScan produces the rows of a set-returning function in FROM. Its
// arguments are evaluated once per Open (they may read parameters or, in a
// lateral position, the outer row).
type FuncScan struct {
	Estimated
	mem        memHeld // rows held against the query's memory budget
	Name       string
	Args       []Eval
	Gen        func(c *bound.EvalCtx, args []types.Datum, emit func(row []types.Datum) error) error
	Width      int
	Ordinality bool // append the row number
	NullCall   bool // Gen takes NULL arguments (not strict)

	rows [][]types.Datum
	i    int
}

func (f *FuncScan) Open(c *Ctx) error {
	f.rows, f.i = f.rows[:0], 0
	f.mem.release()
	args := make([]types.Datum, len(f.Args))
	for i, a := range f.Args {
		v, err := a(c.Eval, nil)
		if err != nil {
			return err
		}
		if v.K == types.KindNull && !f.NullCall {
			return nil // strict: NULL input yields no rows
		}
		args[i] = v
	}
	n := 0
	return f.Gen(c.Eval, args, func(row []types.Datum) error {
		n++
		if n&1023 == 0 {
			if err := checkCancel(c); err != nil {
				return err
			}
		}
		if err := f.mem.grow(c, rowBytes(row)); err != nil {
			return err
		}
		r := copyRow(row)
		if f.Ordinality {
			r = append(r, types.NewInt(int64(n)))
		}
		f.rows = append(f.rows, r)
		return nil
	})
}

func (f *FuncScan) Next(*Ctx) ([]types.Datum, error) {
	if f.i >= len(f.rows) {
		return nil, nil
	}
	f.i++
	return f.rows[f.i-1], nil
}

func (f *FuncScan) Close() { f.rows = nil; f.mem.release() }

func (f *FuncScan) Explain() *Explain {
	return &Explain{Name: "Function Scan on " + strings.ToLower(f.Name)}
}
