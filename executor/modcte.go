package executor

import (
	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// CTEBuffer is a data-modifying WITH query (INSERT/UPDATE/DELETE ...
// RETURNING). PostgreSQL runs such a query exactly once and to completion,
// whether the statement reads it or not (queries.html#QUERIES-WITH-MODIFYING),
// so ModifyingWith runs it before the main query and keeps its RETURNING rows
// here for the CTEBufferScans that reference it.
type CTEBuffer struct {
	Name  string
	Input Node // the writer
	Rows  [][]types.Datum
}

// run executes the writer and buffers what it returns.
func (b *CTEBuffer) run(c *Ctx) error {
	b.Rows = b.Rows[:0]
	return Drain(c, b.Input, func(row []types.Datum) error {
		if err := c.Budget.Grow(rowBytes(row)); err != nil {
			return err
		}
		b.Rows = append(b.Rows, copyRow(row))
		return nil
	})
}

// ModifyingWith runs a statement's data-modifying WITH queries, in the order
// they are written, and then its main query.
type ModifyingWith struct {
	CTEs []*CTEBuffer
	Main Node
	txn  *kv.Txn // frozen for reads while open
}

func (m *ModifyingWith) Open(c *Ctx) error {
	// Every part of the statement reads the transaction as it was when the
	// statement began: the main query does not see the WITH queries'
	// changes (only their RETURNING rows), nor they each other's.
	c.Txn.FreezeOwnWrites()
	m.txn = c.Txn
	for _, b := range m.CTEs {
		if err := b.run(c); err != nil {
			return err
		}
	}
	return m.Main.Open(c)
}

func (m *ModifyingWith) Next(c *Ctx) ([]types.Datum, error) { return m.Main.Next(c) }

func (m *ModifyingWith) Close() {
	if m.txn != nil {
		m.txn.ThawOwnWrites()
		m.txn = nil
	}
	m.Main.Close()
	for _, b := range m.CTEs {
		b.Rows = nil
	}
}

// RowsAffected is the main statement's count, so a WITH ... INSERT keeps
// its own command tag.
func (m *ModifyingWith) RowsAffected() int64 {
	if w, ok := m.Main.(Writer); ok {
		return w.RowsAffected()
	}
	return 0
}

// Explain shows the main plan with each WITH query as a "CTE name" sub-plan,
// as PostgreSQL shows them.
func (m *ModifyingWith) Explain() *Explain {
	e := *m.Main.Explain()
	subs := make([]SubPlan, 0, len(m.CTEs)+len(e.SubPlans))
	for _, b := range m.CTEs {
		subs = append(subs, SubPlan{Label: "CTE " + b.Name, Node: b.Input})
	}
	e.SubPlans = append(subs, e.SubPlans...)
	return &e
}

// CTEBufferScan reads a data-modifying WITH query's RETURNING rows.
type CTEBufferScan struct {
	Name string // "ins" or "ins alias"
	Buf  *CTEBuffer
	pos  int
}

func (s *CTEBufferScan) Open(c *Ctx) error { s.pos = 0; return nil }

func (s *CTEBufferScan) Next(c *Ctx) ([]types.Datum, error) {
	if s.pos >= len(s.Buf.Rows) {
		return nil, nil
	}
	s.pos++
	return s.Buf.Rows[s.pos-1], nil
}

func (s *CTEBufferScan) Close()            {}
func (s *CTEBufferScan) Explain() *Explain { return &Explain{Name: "CTE Scan on " + s.Name} }
