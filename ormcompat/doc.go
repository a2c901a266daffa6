// Package ormcompat proves that GORM and database/sql work against prkdb-sql
// unmodified, by running one suite against prkdb-sql and against PostgreSQL
// 15 and comparing what the two returned.
//
// The package has no production code: everything is in its tests. It is the
// ormcompat/ layer of SHAPE.md ("tests proving GORM, pgx, lib/pq,
// database/sql work unmodified") and the place where SEED-MAP.md's GORM rows
// (typed collections, upsert, update, exists, soft delete, timestamps, hooks,
// relationship loading, pagination, aggregations) are verified.
//
// # What it proves
//
// One function, runSuite(t, dsn), holds every subtest. It runs twice:
//
//   - TestOrmPrkdb: against a real in-process prkdb-sql server
//     (tests/prkdbtest: real engine, real pgwire listener on loopback);
//   - TestOrmPostgres: against a throw-away PostgreSQL 15
//     (tests/pgoracle; skipped, with the reason, when PostgreSQL 15 is not
//     installed);
//
// and TestOrmSameResults then compares, observation by observation, what the
// two runs saw. Every subtest asserts PostgreSQL 15's observable behaviour
// (rows, scalar values, column metadata, SQLSTATEs of errors), never the SQL
// text, and records each value it checks (eq, ok, wantState, observe) under
// "group/subtest :: label". A subtest that fails on prkdb-sql only is a
// prkdb-sql bug or gap; one that fails on PostgreSQL too is a wrong
// expectation in the suite.
//
// The groups, each a subtest of runSuite:
//
//   - connect:  gorm.io/driver/postgres with default pgx settings (extended
//     protocol, statement cache), PreferSimpleProtocol, TimeZone in URL and
//     key=value DSNs, DriverName "pgx" and lib/pq; values of every common type
//     round-tripped through each.
//   - migrator: AutoMigrate of every model (gorm.Model, uint/string/uuid/
//     composite keys, unique and composite indexes, defaults, not null, size,
//     checks, embedded structs, time, pointers, []byte, datatypes.JSON,
//     serializer:json, comments, UNIQUE constraints, join tables), a second
//     AutoMigrate emitting no DDL, ColumnTypes, and every index, column,
//     constraint, view and table method of the migrator.
//   - crud, upsert, assoc, tx, features: GORM's query and write API,
//     clause.OnConflict, every association kind and the Association API,
//     transactions with savepoints, isolation levels, snapshots, write skew,
//     row locks (FOR UPDATE/SHARE, NOWAIT, SKIP LOCKED), hooks, timestamps,
//     JSON, PrepareStmt, DryRun, TranslateError, context deadlines.
//   - seedmap: one subtest per SEED-MAP.md feature reached through GORM.
//   - stdlib, pq: database/sql with github.com/jackc/pgx/v5/stdlib and with
//     github.com/lib/pq (the same subtests for both), plus pq.CopyIn and
//     pq.Listener. The LISTEN/NOTIFY subtest skips, naming the missing
//     feature, only when the server answers LISTEN with SQLSTATE 0A000, so it
//     starts passing when the feature lands.
//
// # Lifecycle and isolation
//
// Each run creates a fresh database (CREATE DATABASE ormcompat_<run>_<pid>_<n>)
// and shares one connection pool on it. Each subtest gets its own GORM handle
// (env.gdb) with a unique table prefix (tNN_, GORM's NamingStrategy
// TablePrefix), so subtests never see each other's tables; at the end of the
// subtest its tables and views are dropped, which frees index names fixed by
// models (index:idx_user_name). Every statement sent through env.gdb carries a
// 15-second deadline (subtestTimeout): a statement that never returns fails
// its subtest instead of hanging the suite. A panic inside a client library
// (fed a protocol sequence it does not expect) is caught by noPanic and
// reported as a failure of the subtest.
//
// # Running it
//
//	go test ./ormcompat                           # both servers + comparison
//	go test ./ormcompat -run TestOrmPrkdb         # prkdb-sql only
//	go test ./ormcompat -run 'TestOrmPrkdb/tx/locking' -v
//	ORMCOMPAT_DEBUG=1 go test ./ormcompat -run TestOrmPrkdb/crud -v
//
// PostgreSQL 15 is found as tests/pgoracle says (PRKDB_PG_BINDIR,
// /usr/lib/postgresql/15/bin, pg_config), or PRKDB_PG_ORACLE_DSN points at a
// running one. The whole package takes about 15 seconds on two cores.
//
// # Debugging a failure
//
// Every GORM statement of a subtest goes through a logger (trail) that keeps
// the SQL with its arguments interpolated, rows affected and the server's
// error; when the subtest fails, the last 60 statements are printed under
// "SQL trail". ORMCOMPAT_DEBUG=1 prints the whole trail of every subtest,
// passing or not. TestOrmSameResults prints each differing observation with
// both values, e.g.
//
//	tx/locking :: t2 FOR SHARE NOWAIT:
//	  prkdb-sql: error 55P03
//	  postgres:  <nil>
//
// # What it must never do
//
// Never edit engine code or weaken an expectation to make prkdb-sql pass:
// a failing subtest stays in place until the server is fixed. Never compare
// SQL text (GORM's output is GORM's business), only what the server returned.
// Never depend on the order of rows without ORDER BY. Never reach anything
// but the loopback servers it started (or PRKDB_PG_ORACLE_DSN).
package ormcompat
