// Package sqllogic runs data-driven SQL test files (".slt", a dialect of
// sqllogictest) against any server that speaks the PostgreSQL wire protocol:
// PostgreSQL 15 (the oracle, see tests/pgoracle) and prkdb-sql. The format is
// documented in tests/README.md; this comment is the short version.
//
// # What it owns
//
//   - The file format: parsing (parse.go), the record model (record.go),
//     column type specs (types.go), rendering of result values (render.go).
//   - Running a file (run.go): each file gets a fresh database when the
//     server allows CREATE DATABASE (dropped afterwards), and fresh
//     connections, one per `connection NAME` used; records run in order
//     through the simple query protocol so that every value compared is the
//     server's own text output, byte for byte.
//   - Rewriting expectations from what the server returned (rewrite.go), to
//     generate expected results from PostgreSQL.
//
// # What a record asserts
//
// STYLE.md item 6: the SQLSTATE of an error (and optionally a message regex),
// the command tag of a statement, the type of each result column (a category
// letter or an exact type name, i.e. the OID), optionally the column names,
// and the rows.
//
// # What it must never do
//
//   - It must never import prkdb-sql's own packages: it sees the server only
//     through the wire, so the same file means the same thing against
//     PostgreSQL and prkdb-sql.
//   - It must never rewrite expectations from anything but PostgreSQL: RunFile
//     refuses Rewrite unless Options.Engine is "postgres". Expected results
//     are PostgreSQL's, always.
//   - It must never skip a record silently: skipif/onlyif need a reason, and
//     skipped records are counted and logged.
//
// # Debugging
//
// A failure names file:line of the record, the connection, the SQL, and the
// expected against the actual outcome. Run one file with
// `go test ./tests -run 'TestSQLLogicPostgres/name.slt' -v`.
package sqllogic
