// Package types is the SQL vocabulary every layer of prkdb-sql shares: SQL
// types (PostgreSQL OIDs plus typmods), values (Datum), and everything that
// turns values into bytes or compares them: text and binary wire formats,
// casts, operators, the order-preserving key encoding and the compact row
// encoding. PostgreSQL 15 is the specification; where this package and a
// real server disagree, that is a bug here.
//
// # What it owns
//
//   - Type, the OID constants and pg_type facts (typname, typlen,
//     typcategory, array/element links): type.go, oid.go. Names in both
//     directions: TypeByName / ResolveType / ParseTypeName for SQL spellings,
//     TypeByTypname for catalog names as pg_query delivers them, FormatType
//     as format_type() prints them (typename.go).
//   - Datum, a small tagged union passed by value (datum.go), and Settings,
//     the session settings that change formats (settings.go).
//   - Text input/output with PostgreSQL's exact rules and error messages:
//     ParseText (parse.go) and AppendText (output.go), one file per family
//     (text_int.go, text_float.go, numeric.go, text_string.go,
//     text_datetime.go and out_datetime.go ported from datetime.c,
//     interval.go, json.go, array_text.go).
//   - The binary wire format, by OID: AppendBinary / ParseBinary
//     (binary.go, binary_numeric.go, binary_array.go). Direct encoders,
//     not pgx's pgtype: they are allocation-free and benchmark 3-15x faster
//     than pgtype.Map.Encode for the same values (bench_test.go).
//   - Compare, CompareNulls, Equal, Hash (compare.go, hash.go).
//   - Cast and CastContext (cast.go, castctx.go, castctx_table.go from
//     pg_cast).
//   - Operators: LookupBinaryOp / LookupUnaryOp / BinaryOpsNamed (ops.go)
//     over arith_int.go, arith_float.go, arith_numeric.go, arith_time.go;
//     CompileLike (like.go).
//   - AppendKey / DecodeKey (key.go) and AppendRow / DecodeRow / DecodeColumn
//     (row.go); their byte layouts are documented at the top of each file and
//     are a storage format: changing them needs a data migration.
//
// # Invariants
//
//   - A Datum is immutable. Nothing in this package writes through a
//     Datum's X or into the bytes behind its S after construction, and
//     callers must not either: datums are shared between rows, plans and
//     caches without copying.
//   - The aliasing contract: DecodeRow and DecodeColumn return strings that
//     point into the row buffer (unsafe.String). The caller (kv) guarantees
//     that a buffer handed to them is never modified afterwards. Everything
//     else (ParseBinary, DecodeKey, ParseText) copies.
//   - Finite numerics have Exponent <= 0 (the exponent is the display scale)
//     and are never negative zero; an interval's X is nil when months and
//     days are zero; timestamps are microseconds since 2000-01-01 UTC with
//     ±infinity at the int64 extremes.
//   - Key encodings are self-delimiting and order-preserving per type;
//     bytes.Compare of concatenated keys is the SQL order of the rows, ASC
//     NULLS LAST / DESC NULLS FIRST by default.
//   - Equal values hash equally (see Hash for the cross-type rules).
//   - Every function that reads external input (ParseText, ParseBinary,
//     DecodeKey, DecodeRow) returns an error for bad input and never panics;
//     robust_test.go and the Fuzz* targets check that.
//   - Errors are *pgerror.Error with PostgreSQL's SQLSTATE and message text.
//
// # What it must never do
//
// Import the SQL engine (binder, planner, executor), pgwire, kv or anything
// above it: this package is imported by all of them. It has no catalog, so
// it cannot resolve names inside values (regclass input by name, domains,
// enums): those are the binder's.
//
// # Testing against PostgreSQL
//
// testdata/*.txt hold PostgreSQL 15's own answers (io.txt: input, text and
// binary output; cast.txt; ops.txt; order.txt: ORDER BY ranks; like.txt;
// typenames.txt) and are replayed by the tests without a server. To add a
// case, append a line ending in "?" and regenerate from a throw-away server
// as pggen_test.go explains (PRKDB_PG_DSN=... go test -run
// TestRegenerateGolden); review the diff, since it is PostgreSQL's behaviour.
//
// # Debugging
//
// FormatText(d, t, nil) prints any datum as psql would. A wrong result is
// usually a missing case in one of the golden files: add it, regenerate,
// and the failing line names the input and both answers.
package types
