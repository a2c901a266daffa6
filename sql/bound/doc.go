// Package bound is the typed, name-resolved form of a statement: what the
// binder (package sql) makes from the parser's tree and what the planner
// turns into an executable plan. Every expression here has a type; every
// column reference is a position in its input row; every function and
// operator is resolved to its implementation.
//
// Must never: hold parser (protobuf) nodes, kv handles, or session state.
package bound
