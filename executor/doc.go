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
// Must never: parse SQL, resolve names, or choose plans (planner does); talk
// to the wire.
package executor
