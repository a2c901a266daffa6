package clients_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// TestPostgresSubscriber: a real PostgreSQL 15 subscribes to a publication
// on prkdb-sql: its tablesync worker creates a temporary slot with
// SNAPSHOT 'use' inside a REPEATABLE READ transaction, reads the publication
// and the table's replica identity from our catalogs, COPYs the table with
// that snapshot and catches up from the slot; its apply worker then streams
// pgoutput and applies inserts, updates (also of the key) and deletes.
func TestPostgresSubscriber(t *testing.T) {
	pgDSN := pgoracle.Start(t)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pub, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close(context.Background())
	sub, err := pgx.Connect(ctx, pgDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close(context.Background())
	execAll(t, pub, "CREATE TABLE subt (id int PRIMARY KEY, v text, n numeric(6,2))", "CREATE PUBLICATION subpub FOR TABLE subt",
		"INSERT INTO subt VALUES (10, 'copied', 0.5)")
	sub.Exec(ctx, "DROP SUBSCRIPTION IF EXISTS prkdb_sub")
	execAll(t, sub, "DROP TABLE IF EXISTS subt", "CREATE TABLE subt (id int PRIMARY KEY, v text, n numeric(6,2))",
		fmt.Sprintf("CREATE SUBSCRIPTION prkdb_sub CONNECTION 'host=127.0.0.1 port=%s user=postgres dbname=postgres' PUBLICATION subpub",
			srv.Addr[strings.LastIndexByte(srv.Addr, ':')+1:]))
	// Dropped while prkdb-sql still runs: DROP SUBSCRIPTION drops its slot there.
	t.Cleanup(func() {
		sub, err := pgx.Connect(context.Background(), pgDSN)
		if err == nil {
			sub.Exec(context.Background(), "DROP SUBSCRIPTION IF EXISTS prkdb_sub")
			sub.Exec(context.Background(), "DROP TABLE IF EXISTS subt")
			sub.Close(context.Background())
		}
	})
	execAll(t, pub, "INSERT INTO subt VALUES (1, 'a', 1.5), (2, 'b', NULL), (3, 'it''s', 3)",
		"UPDATE subt SET v = 'z', n = n + 1 WHERE id IN (2, 3)",
		"DELETE FROM subt WHERE id = 1",
		"UPDATE subt SET id = 4 WHERE id = 3")
	want := "2|z|<nil> 4|z|4.00 10|copied|0.50"
	var got string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		rows, err := sub.Query(ctx, "SELECT id, v, n::text FROM subt ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for rows.Next() {
			var id int
			var v, n *string
			rows.Scan(&id, &v, &n)
			ns := "<nil>"
			if n != nil {
				ns = *n
			}
			parts = append(parts, fmt.Sprintf("%d|%s|%s", id, *v, ns))
		}
		got = strings.Join(parts, " ")
		if got == want {
			break
		}
	}
	if got != want {
		t.Fatalf("subscriber has %q, want %q", got, want)
	}
	// The subscriber confirms what it applied.
	var active bool
	if err := pub.QueryRow(ctx, "SELECT active FROM pg_replication_slots WHERE slot_name = 'prkdb_sub'").Scan(&active); err != nil || !active {
		t.Fatalf("slot prkdb_sub: active %v, %v", active, err)
	}
}
