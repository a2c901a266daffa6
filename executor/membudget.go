package executor

// memHeld is what one operator holds against the query's MemBudget. An
// operator that is opened again (the inner side of a nested loop, a
// correlated subquery's plan) releases what its previous run held, so the
// budget bounds memory held at once rather than all memory ever used.
type memHeld struct {
	b *MemBudget
	n int64
}

// grow accounts n more bytes held by the operator (see MemBudget.Grow).
func (m *memHeld) grow(c *Ctx, n int64) error {
	m.b = c.Budget
	m.n += n
	return c.Budget.Grow(n)
}

// release returns everything the operator held.
func (m *memHeld) release() {
	if m.b != nil {
		m.b.Used -= m.n
	}
	m.n = 0
}
