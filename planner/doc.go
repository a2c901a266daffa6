// Package planner turns bound statements into executable operator trees:
// it chooses access paths (point lookups, index spans for equalities, IN
// lists, ranges and LIKE prefixes, sequential scans), join methods (hash
// join, index nested loop, nested loop), places filters, aggregation,
// sorting and limits, records its estimates on every operator, and
// renders the chosen plan as PostgreSQL's EXPLAIN text or JSON.
//
// Estimates come from the table statistics the binder attaches to each
// scanned table (sql/stats.go) and PostgreSQL's cost units (cost.go);
// where statistics say nothing, PostgreSQL's default selectivities
// (selectivity.go).
//
// The planner builds executor operators directly; expressions are compiled
// here, once per plan.
//
// Must never: read or write data (it never sees a kv transaction), parse SQL.
package planner
