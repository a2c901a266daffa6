// Package sql is the engine a session drives: parse (PostgreSQL's own
// grammar through pg_query_go) -> bind (resolve names and types against the
// catalog into package bound's typed tree) -> plan (package planner) ->
// execute (package executor) inside a kv transaction. It owns sessions and
// their transaction state machine, session settings (SET/SHOW), DDL, the
// prepared-statement and plan caches, and the conversion of every error to
// a SQLSTATE (sql/pgerror).
//
// The parser's protobuf tree never leaves this package: binding is the one
// boundary where it is translated.
//
// Lifecycle of a statement:
//  1. parse: text -> pg_query RawStmts (cached by text);
//  2. bind: RawStmt -> bound statement, with parameter types inferred;
//  3. plan: bound -> executor operator tree (cached in prepared statements,
//     invalidated when the catalog version changes);
//  4. execute: in the session's transaction (an implicit one when none is
//     open), rows streamed to the ResultWriter;
//  5. finish: commit an implicit transaction, or mark an explicit one
//     failed (25P02) after an error.
//
// Must never: know about the wire protocol (pgwire does), touch kv keys
// directly except through catalog and executor codecs.
package sql
