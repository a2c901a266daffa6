// Package planner turns bound statements into executable operator trees:
// it chooses access paths (point lookups, index range scans, sequential
// scans), places filters, aggregation, sorting and limits, and renders the
// chosen plan as PostgreSQL-style EXPLAIN text.
//
// The planner builds executor operators directly; expressions are compiled
// here, once per plan.
//
// Must never: read or write data (it never sees a kv transaction), parse SQL.
package planner
