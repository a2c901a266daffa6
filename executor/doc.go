// Package executor owns the physical operators and runs a plan inside one
// kv transaction: scans (full, index range, point), filters, projections,
// sorts, aggregation, joins, and the writes of INSERT, UPDATE and DELETE with
// their constraint checks and index maintenance. It also compiles bound
// expressions into closures once per plan, so rows are never interpreted
// from a syntax tree.
//
// Operators pull rows (Next) and may reuse the returned slice for the next
// row: a caller that keeps a row copies it.
//
// Every operator embeds Estimated, where the planner records its cost and
// row estimate for EXPLAIN. EXPLAIN ANALYZE wraps the operators of the plan
// it runs in Instrumented (instrument.go); ordinary plans are not wrapped
// and pay nothing for it. Operators that hold rows (sorts, hash tables,
// materializations) account them to the query's MemBudget through memHeld,
// released when the operator is reopened or closed; past the budget the
// query fails with 53200.
//
// Must never: parse SQL, resolve names, or choose plans (planner does); talk
// to the wire.
package executor
