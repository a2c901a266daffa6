package executor

// Estimate is the planner's guess about one node, in PostgreSQL's units:
// costs are arbitrary units of work (a sequentially read page is 1), the
// startup cost is spent before the first row, rows and width (average
// bytes per row) are per execution. EXPLAIN prints it as
// "(cost=Startup..Total rows=Rows width=Width)".
type Estimate struct {
	Startup, Total float64
	Rows           float64
	Width          int
}

// Estimated is embedded in every operator so the planner can record its
// estimate on the node it built, and EXPLAIN read it back, without a side
// table that would have to follow the plan around.
type Estimated struct{ est Estimate }

// Est returns the node's estimate for the planner to fill in.
func (e *Estimated) Est() *Estimate { return &e.est }

// Estimator is implemented by every node that embeds Estimated.
type Estimator interface{ Est() *Estimate }
