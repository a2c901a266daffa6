package clients_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// normalizePgOutput blanks what differs between servers in a pgoutput
// message (LSNs, xids, timestamps, relation OIDs) and prints the rest
// byte for byte.
func normalizePgOutput(b []byte) string {
	b = append([]byte(nil), b...)
	zero := func(from, to int) {
		for i := from; i < to && i < len(b); i++ {
			b[i] = 0
		}
	}
	switch b[0] {
	case 'B':
		zero(1, 21)
	case 'C':
		zero(2, 26)
	case 'R', 'I', 'U', 'D':
		zero(1, 5)
	case 'T':
		zero(6, len(b))
	case 'M':
		zero(2, 10)
	}
	return fmt.Sprintf("%c %q", b[0], b[1:])
}

// replScenario runs the same changes on a server and returns what a
// pgoutput consumer (pglogrepl) and test_decoding (pg_logical_slot_get_changes)
// report.
func replScenario(t *testing.T, dsn string) (pgout, td []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	c.Exec(ctx, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name IN ('cmp_po', 'cmp_td')")
	execAll(t, c, "DROP PUBLICATION IF EXISTS cmp_pub", "DROP TABLE IF EXISTS cmp_a, cmp_b, cmp_c",
		`CREATE TABLE cmp_a (id int PRIMARY KEY, name text, price numeric(10,2), ok boolean, v varchar(10),
			f float8, ts timestamptz, big bigint, "Mixed Case" text)`,
		"CREATE TABLE cmp_b (k text PRIMARY KEY, n int)",
		"ALTER TABLE cmp_b REPLICA IDENTITY FULL",
		"CREATE TABLE cmp_c (id int PRIMARY KEY)",
		"CREATE PUBLICATION cmp_pub FOR TABLE cmp_a, cmp_b")
	rc, err := pgconn.Connect(ctx, dsn+"&replication=database")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close(context.Background())
	cr, err := pglogrepl.CreateReplicationSlot(ctx, rc, "cmp_po", "pgoutput", pglogrepl.CreateReplicationSlotOptions{Temporary: true, Mode: pglogrepl.LogicalReplication})
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, c, "SELECT * FROM pg_create_logical_replication_slot('cmp_td', 'test_decoding')")
	defer c.Exec(context.Background(), "SELECT pg_drop_replication_slot('cmp_td')")
	execAll(t, c,
		`INSERT INTO cmp_a VALUES (1, 'it''s', 12.5, true, 'x', 1.5, '2024-01-02 03:04:05+00', 9000000000, 'm'),
			(2, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL)`,
		"INSERT INTO cmp_c VALUES (1)",
		"UPDATE cmp_a SET name = 'b' WHERE id = 1",
		"UPDATE cmp_a SET id = 3 WHERE id = 2",
		"DELETE FROM cmp_a WHERE id = 1",
		"INSERT INTO cmp_b VALUES ('k1', 1), ('k''2', NULL)",
		"UPDATE cmp_b SET n = 2 WHERE k = 'k1'",
		"DELETE FROM cmp_b",
		"BEGIN",
		"INSERT INTO cmp_a (id, name, price, f, big) VALUES (10, 't', 0, -0.25, -1)",
		"SELECT pg_logical_emit_message(true, 'p', 'm1')",
		"UPDATE cmp_a SET price = 1 WHERE id = 10",
		"COMMIT",
		"SELECT pg_logical_emit_message(false, 'nt', 'm2')",
		"TRUNCATE cmp_a",
		"INSERT INTO cmp_a (id) VALUES (99)",
		// Decoded after all of this, so from historic descriptions.
		"ALTER TABLE cmp_b ADD COLUMN extra text",
		"INSERT INTO cmp_b VALUES ('k3', 3, 'e')",
		"ALTER TABLE cmp_b DROP COLUMN n",
		"ALTER TABLE cmp_b RENAME COLUMN extra TO ex",
		"INSERT INTO cmp_b VALUES ('k4', 'f')")
	start, _ := pglogrepl.ParseLSN(cr.ConsistentPoint)
	if err := pglogrepl.StartReplication(ctx, rc, "cmp_po", start, pglogrepl.StartReplicationOptions{
		PluginArgs: []string{"proto_version '1'", "publication_names 'cmp_pub'", "messages 'true'"}}); err != nil {
		t.Fatal(err)
	}
	sawTruncate, after := false, 0
	for {
		msg, err := rc.ReceiveMessage(ctx)
		if err != nil {
			t.Fatalf("receive (have %d): %v", len(pgout), err)
		}
		cd, ok := msg.(*pgproto3.CopyData)
		if !ok || cd.Data[0] != pglogrepl.XLogDataByteID {
			continue
		}
		xld, err := pglogrepl.ParseXLogData(cd.Data[1:])
		if err != nil {
			t.Fatal(err)
		}
		pgout = append(pgout, normalizePgOutput(xld.WALData))
		if xld.WALData[0] == 'T' {
			sawTruncate = true
		}
		if sawTruncate && xld.WALData[0] == 'C' {
			if after++; after == 4 {
				break
			}
		}
	}
	rows, err := c.Query(ctx, "SELECT data FROM pg_logical_slot_get_changes('cmp_td', NULL, NULL, 'include-xids', '0', 'skip-empty-xacts', '1')")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		td = append(td, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return pgout, td
}

// TestLogicalDecodingMatchesPostgres runs one set of changes on prkdb-sql
// and on PostgreSQL 15 and compares what pgoutput sends (byte for byte but
// for LSNs, xids, timestamps and relation OIDs) and what test_decoding
// prints.
func TestLogicalDecodingMatchesPostgres(t *testing.T) {
	pgDSN := pgoracle.Start(t)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	wantPO, wantTD := replScenario(t, pgDSN)
	gotPO, gotTD := replScenario(t, srv.DSN)
	if g, w := strings.Join(gotPO, "\n"), strings.Join(wantPO, "\n"); g != w {
		t.Errorf("pgoutput differs\nprkdb-sql:\n%s\nPostgreSQL 15:\n%s", g, w)
	}
	if g, w := strings.Join(gotTD, "\n"), strings.Join(wantTD, "\n"); g != w {
		t.Errorf("test_decoding differs\nprkdb-sql:\n%s\nPostgreSQL 15:\n%s", g, w)
	}
}

// sqlScenario runs the slot functions on a server and returns each
// statement's rows (LSN columns left out) or its error's SQLSTATE and
// message.
func sqlScenario(t *testing.T, dsn string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	c.Exec(ctx, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name IN ('sq', 'sq2')")
	// The oracle runs with synchronous_commit off; the SQL functions decode
	// only flushed WAL.
	execAll(t, c, "SET synchronous_commit = on", "DROP TABLE IF EXISTS sq_t", "CREATE TABLE sq_t (id int PRIMARY KEY, v text)")
	var out []string
	run := func(q string) {
		rows, err := c.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
		if err == nil {
			for rows.Next() {
				vals, _ := rows.Values()
				var parts []string
				for i, f := range rows.FieldDescriptions() {
					if f.Name == "lsn" || f.Name == "end_lsn" || f.Name == "xid" {
						continue
					}
					parts = append(parts, fmt.Sprint(vals[i]))
				}
				out = append(out, strings.Join(parts, "|"))
			}
			err = rows.Err()
		}
		if err != nil {
			pe, ok := err.(*pgconn.PgError)
			if !ok {
				t.Fatalf("%s: %v", q, err)
			}
			out = append(out, fmt.Sprintf("ERROR %s %s (hint: %s)", pe.Code, pe.Message, pe.Hint))
		}
		out = append(out, "--")
	}
	run("SELECT slot_name FROM pg_create_logical_replication_slot('sq', 'test_decoding')")
	run("SELECT slot_name FROM pg_create_logical_replication_slot('sq', 'test_decoding')")
	run("SELECT slot_name FROM pg_create_logical_replication_slot('Bad-Name', 'test_decoding')")
	run("SELECT slot_name FROM pg_create_logical_replication_slot('sq2', 'no_such_plugin')")
	run("SELECT * FROM pg_logical_slot_peek_changes('nope', NULL, NULL)")
	run("INSERT INTO sq_t VALUES (1, 'a')")
	run("BEGIN; INSERT INTO sq_t VALUES (2, 'b'); INSERT INTO sq_t VALUES (3, NULL); COMMIT")
	run("UPDATE sq_t SET v = 'c' WHERE id = 1")
	run("SELECT data FROM pg_logical_slot_peek_changes('sq', NULL, NULL, 'include-xids', '0')")
	run("SELECT data FROM pg_logical_slot_get_changes('sq', NULL, 1, 'include-xids', '0')")
	run("SELECT data FROM pg_logical_slot_get_changes('sq', NULL, NULL, 'include-xids', '0', 'skip-empty-xacts', '1')")
	run("SELECT data FROM pg_logical_slot_get_changes('sq', NULL, NULL, 'include-xids', '0')")
	run("SELECT data FROM pg_logical_slot_peek_changes('sq', NULL, NULL, 'bogus-option', '1')")
	run("SELECT slot_name, plugin, slot_type, database, temporary, active, wal_status FROM pg_replication_slots WHERE slot_name = 'sq'")
	run("DELETE FROM sq_t WHERE id = 2")
	run("SELECT slot_name FROM pg_replication_slot_advance('sq', pg_current_wal_lsn())")
	run("SELECT data FROM pg_logical_slot_get_changes('sq', NULL, NULL)")
	run("SELECT pg_drop_replication_slot('sq')")
	run("SELECT pg_drop_replication_slot('sq')")
	return out
}

// TestSlotFunctionsMatchPostgres: the SQL slot functions (create, peek,
// get with and without a limit, advance, drop) and their errors, against
// PostgreSQL 15.
func TestSlotFunctionsMatchPostgres(t *testing.T) {
	pgDSN := pgoracle.Start(t)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	want := sqlScenario(t, pgDSN)
	got := sqlScenario(t, srv.DSN)
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("prkdb-sql:\n%s\nPostgreSQL 15:\n%s", g, w)
	}
}
