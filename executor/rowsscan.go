package executor

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// RowsScan reads a system view: rows generated at Open from the catalog.
type RowsScan struct {
	Estimated
	Name string
	Gen  func(env bound.Env) ([][]types.Datum, error)
	rows [][]types.Datum
	i    int
}

func (r *RowsScan) Open(c *Ctx) error {
	rows, err := r.Gen(c.Eval.Env)
	r.rows, r.i = rows, 0
	return err
}

func (r *RowsScan) Next(*Ctx) ([]types.Datum, error) {
	if r.i >= len(r.rows) {
		return nil, nil
	}
	r.i++
	return r.rows[r.i-1], nil
}

func (r *RowsScan) Close()            { r.rows = nil }
func (r *RowsScan) Explain() *Explain { return &Explain{Name: "Function Scan on " + r.Name} }
