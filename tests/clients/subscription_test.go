package clients_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// subRow is one row of prkdb_subscription_changes as the test compares it.
type subRow struct {
	offset int64
	text   string // op table key old_key row old_row
}

func fetchSub(t *testing.T, c *pgx.Conn, q string, args ...any) []subRow {
	t.Helper()
	rows, err := c.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []subRow
	for rows.Next() {
		var off int64
		var op, table string
		var key, oldKey, row, oldRow *string
		var at time.Time
		if err := rows.Scan(&off, &op, &table, &key, &oldKey, &row, &oldRow, &at); err != nil {
			t.Fatal(err)
		}
		if time.Since(at) > time.Minute || time.Since(at) < -time.Minute {
			t.Fatalf("commit_time %v", at)
		}
		s := func(p *string) string {
			if p == nil {
				return "-"
			}
			return *p
		}
		out = append(out, subRow{off, strings.Join([]string{op, table, s(key), s(oldKey), s(row), s(oldRow)}, " ")})
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func texts(rows []subRow) string {
	var s []string
	for _, r := range rows {
		s = append(s, r.text)
	}
	return strings.Join(s, "\n")
}

// TestSubscriptionCursor: a durable subscription read by a plain pgx
// program through DECLARE ... CURSOR FOR prkdb_subscription_changes and
// FETCH, each row carrying its offset; committed offsets survive a restart
// and reading resumes after them; the retention keeps consumed changes
// readable again (since => an older offset) and a subscription without one
// refuses offsets it no longer holds (55000); the subscription's slot holds
// the log.
func TestSubscriptionCursor(t *testing.T) {
	dir := t.TempDir()
	srv := prkdbtest.Start(t, prkdbtest.Options{DataDir: dir, Fsync: true})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, c, "CREATE TABLE orders (id int PRIMARY KEY, item text, qty int)",
		"CREATE TABLE other (id int PRIMARY KEY)",
		"CREATE PUBLICATION orders_pub FOR TABLE orders")
	var start int64
	if err := c.QueryRow(ctx, "SELECT prkdb_create_subscription('orders_sub', 'orders', retention => '1 hour')").Scan(&start); err != nil {
		t.Fatal(err)
	}
	execAll(t, c, "SELECT prkdb_create_subscription('pub_sub', 'orders_pub')",
		"INSERT INTO orders VALUES (1, 'apple', 3), (2, 'pear', NULL)",
		"INSERT INTO other VALUES (1)",
		"UPDATE orders SET qty = 4 WHERE id = 1",
		"UPDATE orders SET id = 3 WHERE id = 2",
		"DELETE FROM orders WHERE id = 1")
	want := []string{
		`insert public.orders {"id": 1} - {"id": 1, "qty": 3, "item": "apple"} -`,
		`insert public.orders {"id": 2} - {"id": 2, "qty": null, "item": "pear"} -`,
		`update public.orders {"id": 1} - {"id": 1, "qty": 4, "item": "apple"} -`,
		`update public.orders {"id": 3} {"id": 2} {"id": 3, "qty": null, "item": "pear"} -`,
		`delete public.orders {"id": 1} - - {"id": 1, "qty": 4, "item": "apple"}`,
	}
	// A cursor over the subscription, fetched in two steps.
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "DECLARE cur CURSOR FOR SELECT * FROM prkdb_subscription_changes('orders_sub')"); err != nil {
		t.Fatal(err)
	}
	first := fetchSub(t, tx.Conn(), "FETCH 2 FROM cur")
	rest := fetchSub(t, tx.Conn(), "FETCH ALL FROM cur")
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	all := append(first, rest...)
	if got := texts(all); got != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	for i := 1; i < len(all); i++ {
		if all[i].offset <= all[i-1].offset || all[i-1].offset <= start {
			t.Fatalf("offsets not increasing after %d: %v", start, all)
		}
	}
	// The publication's subscription sees the same changes.
	if got := texts(fetchSub(t, c, "SELECT * FROM prkdb_subscription_changes('pub_sub')")); got != strings.Join(want, "\n") {
		t.Fatalf("publication subscription: got\n%s", got)
	}
	// Commit the first two and restart: reading resumes after them.
	var committed int64
	if err := c.QueryRow(ctx, "SELECT prkdb_subscription_commit('orders_sub', $1)", all[1].offset).Scan(&committed); err != nil || committed != all[1].offset {
		t.Fatalf("commit: %d %v", committed, err)
	}
	execAll(t, c, fmt.Sprintf("SELECT prkdb_subscription_commit('pub_sub', %d)", all[3].offset))
	c.Close(ctx)
	srv.Stop()
	srv = prkdbtest.Start(t, prkdbtest.Options{DataDir: dir, Fsync: true})
	c, err = pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	execAll(t, c, "INSERT INTO orders VALUES (5, 'fig', 1)")
	got := fetchSub(t, c, "SELECT * FROM prkdb_subscription_changes('orders_sub')")
	wantAfter := append(append([]string{}, want[2:]...), `insert public.orders {"id": 5} - {"id": 5, "qty": 1, "item": "fig"} -`)
	if texts(got) != strings.Join(wantAfter, "\n") {
		t.Fatalf("after restart: got\n%s\nwant\n%s", texts(got), strings.Join(wantAfter, "\n"))
	}
	// max_changes and since.
	if got := fetchSub(t, c, "SELECT * FROM prkdb_subscription_changes('orders_sub', max_changes => 1)"); texts(got) != want[2] {
		t.Fatalf("max_changes: %s", texts(got))
	}
	if got := fetchSub(t, c, "SELECT * FROM prkdb_subscription_changes('orders_sub', since => $1)", all[3].offset); len(got) != 2 {
		t.Fatalf("since: %s", texts(got))
	}
	// The retention keeps what was consumed: since => 0 reads it all.
	if got := fetchSub(t, c, "SELECT * FROM prkdb_subscription_changes('orders_sub', since => 0)"); len(got) != 6 {
		t.Fatalf("since 0 with retention: %s", texts(got))
	}
	// Without retention, consumed changes are released: an older offset is
	// refused.
	_, err = c.Exec(ctx, "SELECT * FROM prkdb_subscription_changes('pub_sub', since => $1)", all[0].offset-(1<<32))
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "55000" {
		t.Fatalf("old offset without retention: %v", err)
	}
	if got := fetchSub(t, c, "SELECT * FROM prkdb_subscription_changes('pub_sub')"); len(got) != 2 || got[0].text != want[4] {
		t.Fatalf("pub_sub after restart: %s", texts(got))
	}
	// The views.
	var subs, slots int
	var pubCommitted int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM prkdb_subscriptions").Scan(&subs); err != nil || subs != 2 {
		t.Fatalf("prkdb_subscriptions: %d %v", subs, err)
	}
	if err := c.QueryRow(ctx, "SELECT committed_offset FROM prkdb_subscriptions WHERE subname = 'pub_sub'").Scan(&pubCommitted); err != nil || pubCommitted != all[3].offset {
		t.Fatalf("committed_offset: %d %v", pubCommitted, err)
	}
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_replication_slots WHERE plugin = 'prkdb_subscription'").Scan(&slots); err != nil || slots != 2 {
		t.Fatalf("slots: %d %v", slots, err)
	}
	// Errors.
	for q, code := range map[string]string{
		"SELECT * FROM prkdb_subscription_changes('nope')":                    "42704",
		"SELECT prkdb_create_subscription('x', 'no_such_thing')":              "42704",
		"SELECT prkdb_create_subscription('orders_sub', 'orders')":            "42710",
		"SELECT prkdb_subscription_commit('orders_sub', 9223372036854775807)": "22023",
	} {
		_, err := c.Exec(ctx, q)
		if !errors.As(err, &pe) || pe.Code != code {
			t.Errorf("%s: want %s, got %v", q, code, err)
		}
	}
	execAll(t, c, "SELECT prkdb_drop_subscription('orders_sub')", "SELECT prkdb_drop_subscription('pub_sub')")
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_replication_slots").Scan(&slots); err != nil || slots != 0 {
		t.Fatalf("slots after drop: %d %v", slots, err)
	}
}

// TestSubscriptionRetention: consumed changes stay readable for the
// retention period and are released after it; an offset no longer held is
// refused with 55000, not skipped.
func TestSubscriptionRetention(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	execAll(t, c, "CREATE TABLE ev (id int PRIMARY KEY)",
		"SELECT prkdb_create_subscription('short', 'public.ev', retention => '1 second')",
		"INSERT INTO ev VALUES (1)", "INSERT INTO ev VALUES (2)", "INSERT INTO ev VALUES (3)")
	all := fetchSub(t, c, "SELECT * FROM prkdb_subscription_changes('short')")
	if len(all) != 3 {
		t.Fatalf("got %s", texts(all))
	}
	execAll(t, c, fmt.Sprintf("SELECT prkdb_subscription_commit('short', %d)", all[2].offset))
	if got := fetchSub(t, c, "SELECT * FROM prkdb_subscription_changes('short')"); len(got) != 0 {
		t.Fatalf("after commit: %s", texts(got))
	}
	if got := fetchSub(t, c, "SELECT * FROM prkdb_subscription_changes('short', since => 0)"); len(got) != 3 {
		t.Fatalf("within retention: %s", texts(got))
	}
	// The retention checker runs once a second.
	deadline := time.Now().Add(5 * time.Second)
	for {
		var from int64
		if err := c.QueryRow(ctx, "SELECT retained_from FROM prkdb_subscriptions WHERE subname = 'short'").Scan(&from); err != nil {
			t.Fatal(err)
		}
		if from > all[1].offset {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("retained_from %d still holds offset %d", from, all[1].offset)
		}
		time.Sleep(100 * time.Millisecond)
	}
	_, err = c.Exec(ctx, "SELECT * FROM prkdb_subscription_changes('short', since => $1)", all[0].offset)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "55000" {
		t.Fatalf("released offset: %v", err)
	}
	// What was not consumed is never released by the retention.
	execAll(t, c, "INSERT INTO ev VALUES (4)")
	time.Sleep(1500 * time.Millisecond)
	if got := fetchSub(t, c, "SELECT * FROM prkdb_subscription_changes('short')"); len(got) != 1 || got[0].text != `insert public.ev {"id": 4} - {"id": 4} -` {
		t.Fatalf("unconsumed after the retention: %s", texts(got))
	}
	// Dropping the slot directly drops the subscription too.
	execAll(t, c, "SELECT pg_drop_replication_slot('short')")
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM prkdb_subscriptions").Scan(&n); err != nil || n != 0 {
		t.Fatalf("prkdb_subscriptions after pg_drop_replication_slot: %d %v", n, err)
	}
}
