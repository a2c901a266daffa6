// Package tests holds prkdb-sql's end-to-end suites: data-driven SQL files
// (testdata/sql/*.slt, run by TestSQLLogicPostgres and TestSQLLogicPrkdb),
// and later real clients, crash and chaos suites. See README.md.
//
// It owns the test entry points and the testdata; the runner lives in
// tests/sqllogic and the PostgreSQL 15 oracle in tests/pgoracle.
//
// It must never hold expected results that did not come from PostgreSQL 15:
// every .slt file passes against the oracle, and prkdb-sql is held to the
// same files. An intentional difference is a skipif/onlyif line with its
// reason, never an edited expectation.
package tests
