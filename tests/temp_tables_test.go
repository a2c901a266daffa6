package tests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// Temporary tables across sessions, which the .slt runner cannot do
// (ddl_temp_tables.slt covers one session and another that stays
// connected): another session gets 0A000 through the owner's pg_temp_N
// schema; the table, its index and its serial sequence are gone once the
// owner disconnects, cleanly or by losing its connection. The same
// transcript must come out of PostgreSQL 15 and prkdb-sql. A server
// restart after a crash: e2e/temp_tables_test.go.
func TestTempTablesAcrossSessionsMatchPostgres(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	oracle, err := pgoracle.Shared()
	if errors.Is(err, pgoracle.ErrUnavailable) {
		t.Skipf("PostgreSQL oracle: %v", err)
	} else if err != nil {
		t.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, oracle)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{`DROP DATABASE IF EXISTS temp_sessions`, `CREATE DATABASE temp_sessions`} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	pgCfg, err := pgx.ParseConfig(oracle)
	if err != nil {
		t.Fatal(err)
	}
	pgCfg.Database = "temp_sessions"
	prkCfg, err := pgx.ParseConfig(prkdbtest.Start(t, prkdbtest.Options{}).DSN)
	if err != nil {
		t.Fatal(err)
	}
	want := tempSessionsTranscript(t, ctx, pgCfg)
	got := tempSessionsTranscript(t, ctx, prkCfg)
	if got != want {
		t.Errorf("prkdb-sql:\n%s\nPostgreSQL 15:\n%s", got, want)
	}
	t.Logf("transcript:\n%s", want)
}

func tempSessionsTranscript(t *testing.T, ctx context.Context, cfg *pgx.ConnConfig) string {
	var out strings.Builder
	connect := func() *pgx.Conn {
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	run := func(c *pgx.Conn, q string) {
		rows, err := c.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
		if err == nil {
			var vals [][]any
			for rows.Next() {
				v, _ := rows.Values()
				vals = append(vals, v)
			}
			rows.Close()
			err = rows.Err()
			if err == nil {
				fmt.Fprintf(&out, "%s\n  %s %v\n", q, rows.CommandTag(), vals)
				return
			}
		}
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			fmt.Fprintf(&out, "%s\n  error %s %s\n", q, pe.Code, pe.Message)
			return
		}
		t.Fatalf("%s: %v", q, err)
	}
	// catalogRows counts the catalog rows a temporary table named name
	// left, polling: PostgreSQL drops them as the backend exits, after the
	// client has gone.
	leftover := func(c *pgx.Conn, name string) {
		q := `SELECT count(*) FROM pg_class WHERE relname LIKE '` + name + `%'`
		var n int
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if err := c.QueryRow(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 || time.Now().After(deadline) {
				break
			}
		}
		fmt.Fprintf(&out, "%s\n  %d\n", q, n)
	}

	owner, other := connect(), connect()
	defer other.Close(ctx)
	run(owner, `CREATE TEMP TABLE tmp (id serial PRIMARY KEY, v text)`)
	run(owner, `INSERT INTO tmp (v) VALUES ('a'), ('b')`)
	var nsp string
	if err := owner.QueryRow(ctx, `SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()`).Scan(&nsp); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(nsp, "pg_temp_") {
		t.Errorf("temporary schema %q, want pg_temp_N", nsp)
	}
	run(other, `SELECT * FROM tmp`)
	run(other, `SELECT count(*) FROM pg_class WHERE relname IN ('tmp', 'tmp_pkey', 'tmp_id_seq') AND relpersistence = 't'`)
	// The owner's schema named explicitly: the catalog entry is found, the
	// table cannot be used. (Messages only: the position differs by N's digits.)
	for _, q := range []string{`SELECT * FROM ` + nsp + `.tmp`, `INSERT INTO ` + nsp + `.tmp (v) VALUES ('x')`,
		`UPDATE ` + nsp + `.tmp SET v = 'y'`, `DELETE FROM ` + nsp + `.tmp`} {
		_, err := other.Exec(ctx, q, pgx.QueryExecModeSimpleProtocol)
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			fmt.Fprintf(&out, "%s\n  error %s %s\n", strings.Replace(q, nsp, "pg_temp_N", 1), pe.Code, pe.Message)
		} else {
			fmt.Fprintf(&out, "%s\n  %v\n", strings.Replace(q, nsp, "pg_temp_N", 1), err)
		}
	}
	run(owner, `SELECT id, v FROM tmp ORDER BY id`)

	// A clean disconnect drops the table, its index and its sequence.
	if err := owner.Close(ctx); err != nil {
		t.Fatal(err)
	}
	leftover(other, "tmp")

	// So does a lost connection (no Terminate message).
	lost := connect()
	run(lost, `CREATE TEMP TABLE lost (id serial PRIMARY KEY) ON COMMIT PRESERVE ROWS`)
	run(lost, `INSERT INTO lost DEFAULT VALUES`)
	run(other, `SELECT count(*) FROM pg_class WHERE relname LIKE 'lost%'`)
	if err := lost.PgConn().Conn().Close(); err != nil {
		t.Fatal(err)
	}
	leftover(other, "lost")

	// A lost connection inside an open transaction.
	mid := connect()
	run(mid, `BEGIN`)
	run(mid, `CREATE TEMP TABLE midtx (x int)`)
	run(mid, `COMMIT`)
	run(mid, `BEGIN`)
	run(mid, `INSERT INTO midtx VALUES (1)`)
	if err := mid.PgConn().Conn().Close(); err != nil {
		t.Fatal(err)
	}
	leftover(other, "midtx")

	// Logical decoding never sees a temporary table's changes.
	// (synchronous_commit: PostgreSQL decodes only flushed commits.)
	run(other, `SET synchronous_commit = on`)
	run(other, `SELECT 'init' FROM pg_create_logical_replication_slot('temp_tables_test', 'test_decoding')`)
	run(other, `CREATE TABLE perm (x int PRIMARY KEY)`)
	run(other, `CREATE TEMP TABLE dec (x int PRIMARY KEY)`)
	run(other, `INSERT INTO dec VALUES (1)`)
	run(other, `INSERT INTO perm VALUES (2)`)
	run(other, `UPDATE dec SET x = 3`)
	run(other, `TRUNCATE dec`)
	run(other, `SELECT data FROM pg_logical_slot_get_changes('temp_tables_test', NULL, NULL, 'include-xids', '0') WHERE data NOT LIKE 'BEGIN%' AND data NOT LIKE 'COMMIT%'`)
	run(other, `SELECT pg_drop_replication_slot('temp_tables_test')`)
	return out.String()
}
