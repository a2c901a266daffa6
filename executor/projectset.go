package executor

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// TargetSRF is a compiled set-returning function of the select list.
type TargetSRF struct {
	Args []Eval
	Gen  func(c *bound.EvalCtx, args []types.Datum, emit func(row []types.Datum) error) error
	// NullCall: Gen takes NULL arguments (the function is not strict).
	NullCall bool
}

// ProjectSet expands set-returning functions of the select list: for each
// input row it emits as many rows as the longest function returned, the
// shorter ones padded with NULL (PostgreSQL 10+ semantics).
type ProjectSet struct {
	Estimated
	Input Node
	SRFs  []TargetSRF

	in    []types.Datum
	vals  [][]types.Datum // per SRF: its values for the current input row
	n, i  int
	out   []types.Datum
	width int
}

func (p *ProjectSet) Open(c *Ctx) error {
	p.in, p.n, p.i = nil, 0, 0
	p.vals = make([][]types.Datum, len(p.SRFs))
	return p.Input.Open(c)
}

func (p *ProjectSet) Next(c *Ctx) ([]types.Datum, error) {
	for p.i >= p.n {
		row, err := p.Input.Next(c)
		if err != nil || row == nil {
			return nil, err
		}
		p.in, p.n, p.i = row, 0, 0
		for k, s := range p.SRFs {
			p.vals[k] = p.vals[k][:0]
			args := make([]types.Datum, len(s.Args))
			null := false
			for j, a := range s.Args {
				v, err := a(c.Eval, row)
				if err != nil {
					return nil, err
				}
				null = null || v.K == types.KindNull
				args[j] = v
			}
			if null && !s.NullCall {
				continue // strict: no rows
			}
			err := s.Gen(c.Eval, args, func(r []types.Datum) error {
				p.vals[k] = append(p.vals[k], r[0])
				return nil
			})
			if err != nil {
				return nil, err
			}
			p.n = max(p.n, len(p.vals[k]))
		}
	}
	p.out = append(p.out[:0], p.in...)
	for k := range p.SRFs {
		if p.i < len(p.vals[k]) {
			p.out = append(p.out, p.vals[k][p.i])
		} else {
			p.out = append(p.out, types.Datum{})
		}
	}
	p.i++
	return p.out, nil
}

func (p *ProjectSet) Close() { p.Input.Close() }

func (p *ProjectSet) Explain() *Explain {
	return &Explain{Name: "ProjectSet", Children: []Node{p.Input}}
}
