// Package pgerror owns the one table of SQLSTATE codes that prkdb-sql reports
// and the error value that carries a code to the wire.
//
// Every error that can reach a client is, or is converted at the pgwire
// boundary into, an *Error with a Code from codes.go. Packages below the SQL
// layer (kv) keep their own sentinel errors; sql/ maps them here.
//
// Must never: invent codes outside codes.go, or report a client mistake as
// XX000 (internal_error), which some drivers treat as fatal for the connection.
package pgerror
