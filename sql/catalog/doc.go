// Package catalog owns the schema of every database on the node: databases,
// schemas, roles, tables, columns, indexes, constraints and sequences, and
// how they are stored in kv (descriptor keys) and where table data lives in
// kv (row and index key layout).
//
// A Catalog value is immutable once published. A transaction that runs DDL
// works on a private copy (Clone) and the engine publishes that copy when
// the transaction commits, so DDL is transactional: its descriptor writes
// are ordinary kv writes in the same commit record as its data.
//
// Must never: know about sessions, SQL text parsing or the wire; mutate a
// published Catalog.
package catalog
