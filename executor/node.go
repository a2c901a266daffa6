package executor

import (
	"time"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Ctx is one execution of a plan.
type Ctx struct {
	Eval *bound.EvalCtx
	Txn  *kv.Txn
	// Analyze turns on per-node counters for EXPLAIN ANALYZE.
	Analyze bool
	// Budget bounds memory held by sorts, hash tables and materialized
	// results (work_mem-like); exceeding it fails the query with 53200.
	Budget *MemBudget
	// Deferred is the transaction's deferred-constraint state (nil: every
	// check is immediate).
	Deferred DeferredChecks
	// Changes receives the row changes of tables with notify_changes on
	// (nil: nobody listens, e.g. DDL rewrites).
	Changes ChangeSink
	// Logical: every row change goes to Changes, whatever the table's
	// notify_changes (the transaction records changes for logical
	// decoding).
	Logical bool
	// slab holds the bytes of rows this statement writes.
	slab byteSlab
}

// Node is a physical operator.
type Node interface {
	// Open prepares the node for (re)iteration; a node may be opened again
	// after Close (the inner side of a nested loop).
	Open(c *Ctx) error
	// Next returns the next row, or nil at the end. The slice may be reused
	// by the next call.
	Next(c *Ctx) ([]types.Datum, error)
	Close()
	// Explain describes the node for EXPLAIN.
	Explain() *Explain
}

// Explain is one line of an EXPLAIN tree and its children.
type Explain struct {
	Name     string   // "Seq Scan on t", "Index Scan using t_pkey on t"
	Details  []string // "Filter: (a > 1)", "Index Cond: (id = 1)"
	Children []Node
	// Removed is the count of rows a filter rejected, shown by EXPLAIN
	// ANALYZE as "Rows Removed by Filter".
	Removed int64
	// Analyzed are details only EXPLAIN ANALYZE prints, after Details
	// ("Sort Method: quicksort  Memory: 12kB"); empty before a run.
	Analyzed []string
	// SubPlans are shown before Children under their label ("CTE w"), as
	// PostgreSQL shows init plans.
	SubPlans []SubPlan
}

// SubPlan is a labelled plan under a node in EXPLAIN.
type SubPlan struct {
	Label string
	Node  Node
}

// NodeStats are EXPLAIN ANALYZE's actual figures.
type NodeStats struct {
	Rows    int64
	Loops   int64
	Elapsed time.Duration
	First   time.Duration
	// Untimed: only rows and loops were counted.
	Untimed bool
}

// Drain runs a node to the end, calling fn for each row.
func Drain(c *Ctx, n Node, fn func(row []types.Datum) error) error {
	if err := n.Open(c); err != nil {
		n.Close()
		return err
	}
	defer n.Close()
	for {
		row, err := n.Next(c)
		if err != nil {
			return err
		}
		if row == nil {
			return nil
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// checkCancel is called every so many rows by long-running operators so a
// CancelRequest or statement_timeout stops them (57014).
func checkCancel(c *Ctx) error {
	if c.Eval.Ctx == nil {
		return nil
	}
	select {
	case <-c.Eval.Ctx.Done():
		return cancelError(c.Eval.Ctx.Err())
	default:
		return nil
	}
}
