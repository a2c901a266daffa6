// Package auth tests authentication and TLS end to end: real clients (pgx,
// lib/pq, psql) against prkdb-sql's pgwire with each method (trust,
// password, md5, scram-sha-256), SSL with and without channel binding,
// --tls-required, connection limits, and the privilege rules of role DDL
// compared with PostgreSQL 15 (tests/pgoracle).
package auth
