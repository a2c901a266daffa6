package ormcompat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	"github.com/lib/pq"
)

// openSQL opens a database/sql pool with driverName ("pgx" or "postgres")
// on the run's database, closed at the end of t.
func openSQL(t *testing.T, e *env, driverName string, params ...string) *sql.DB {
	t.Helper()
	dsn := e.dsn
	for i := 0; i+1 < len(params); i += 2 {
		dsn = withParam(dsn, params[i], params[i+1])
	}
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(4)
	t.Cleanup(func() { db.Close() })
	if err := db.Ping(); err != nil {
		ok(t, "ping", err)
	}
	return db
}

// sqlTrail logs statements of a database/sql subtest when it fails.
type sqlTrail struct{ tr *trail }

func (s sqlTrail) log(q string, args ...any) string {
	s.tr.add(fmt.Sprintf("  %s  %v", q, args))
	return q
}

// suiteDatabaseSQL runs the database/sql checks with one driver.
func suiteDatabaseSQL(t *testing.T, e *env, driver string) {
	tbl := func(t *testing.T, db *sql.DB, ddl string) string {
		name := strings.TrimSuffix(e.prefix(), "_") + "_" + driver
		e.dropPrefixed(t, name)
		_, err := db.Exec(fmt.Sprintf(ddl, name))
		ok(t, "create table", err)
		return name
	}

	t.Run("queries_and_params", func(t *testing.T) {
		db := openSQL(t, e, driver)
		tr := sqlTrail{newTrail(t)}
		tb := tbl(t, db, `CREATE TABLE %s (id serial PRIMARY KEY, name text NOT NULL, score numeric(8,2), flag boolean, at timestamptz, data bytea)`)
		at := time.Date(2023, 7, 8, 9, 10, 11, 120000000, time.UTC)
		res, err := db.Exec(tr.log(fmt.Sprintf("INSERT INTO %s (name, score, flag, at, data) VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)", tb)),
			"a", "12.50", true, at, []byte{1, 2, 3}, "b", 7, false, at.Add(time.Hour), []byte{})
		ok(t, "insert", err)
		n, _ := res.RowsAffected()
		eq(t, "RowsAffected", n, 2)
		var id int
		ok(t, "RETURNING", db.QueryRow(tr.log(fmt.Sprintf("INSERT INTO %s (name) VALUES ($1) RETURNING id", tb)), "c").Scan(&id))
		eq(t, "RETURNING id", id, 3)
		rows, err := db.Query(tr.log(fmt.Sprintf("SELECT id, name, score, flag, at, data FROM %s WHERE id <= $1 ORDER BY id", tb)), 2)
		ok(t, "query", err)
		cols, _ := rows.Columns()
		eq(t, "columns", cols, []string{"id", "name", "score", "flag", "at", "data"})
		cts, _ := rows.ColumnTypes()
		var tn []string
		for _, c := range cts {
			tn = append(tn, c.DatabaseTypeName())
		}
		eq(t, "column types", tn, []string{"INT4", "TEXT", "NUMERIC", "BOOL", "TIMESTAMPTZ", "BYTEA"})
		var got []string
		for rows.Next() {
			var (
				id    int
				name  string
				score string
				flag  bool
				ts    time.Time
				data  []byte
			)
			okc(t, "scan", rows.Scan(&id, &name, &score, &flag, &ts, &data))
			got = append(got, j(id, name, score, flag, ts, data))
		}
		okc(t, "rows.Err", rows.Err())
		rows.Close()
		eq(t, "rows", got, []string{
			"1 a 12.50 true 2023-07-08T09:10:11.120000Z \"\\x01\\x02\\x03\"",
			"2 b 7.00 false 2023-07-08T10:10:11.120000Z \"\"",
		})
		var cnt int
		ok(t, "count", db.QueryRow(tr.log(fmt.Sprintf("SELECT count(*) FROM %s WHERE name = ANY($1)", tb)), pqArray(driver, []string{"a", "c"})).Scan(&cnt))
		eq(t, "ANY($1)", cnt, 2)
		err = db.QueryRow(tr.log(fmt.Sprintf("SELECT id FROM %s WHERE name = $1", tb)), "zzz").Scan(&id)
		eq(t, "ErrNoRows", errors.Is(err, sql.ErrNoRows), true)
		_, err = db.Exec(tr.log(fmt.Sprintf("INSERT INTO %s (name) VALUES (NULL)", tb)))
		wantState(t, "not null", err, "23502")
		_, err = db.Exec(tr.log(fmt.Sprintf("INSERT INTO %s (id, name) VALUES (1, 'dup')", tb)))
		wantState(t, "duplicate", err, "23505")
	})

	t.Run("prepared_statements", func(t *testing.T) {
		db := openSQL(t, e, driver)
		tr := sqlTrail{newTrail(t)}
		tb := tbl(t, db, `CREATE TABLE %s (k int PRIMARY KEY, v text)`)
		ins, err := db.Prepare(tr.log(fmt.Sprintf("INSERT INTO %s (k, v) VALUES ($1, $2)", tb)))
		ok(t, "prepare insert", err)
		defer ins.Close()
		for i := 0; i < 20; i++ {
			_, err := ins.Exec(i, fmt.Sprint("v", i))
			if !okc(t, "exec prepared", err) {
				break
			}
		}
		sel, err := db.Prepare(tr.log(fmt.Sprintf("SELECT v FROM %s WHERE k = $1", tb)))
		ok(t, "prepare select", err)
		defer sel.Close()
		var got []string
		for _, k := range []int{3, 17, 0} {
			var v string
			okc(t, "query prepared", sel.QueryRow(k).Scan(&v))
			got = append(got, v)
		}
		eq(t, "prepared results", got, []string{"v3", "v17", "v0"})
		tx, err := db.Begin()
		ok(t, "begin", err)
		txs := tx.Stmt(ins)
		_, err = txs.Exec(100, "tx")
		okc(t, "stmt in tx", err)
		_, err = txs.Exec(100, "dup")
		wantState(t, "dup in tx", err, "23505")
		ok(t, "rollback", tx.Rollback())
		var n int
		ok(t, "count", db.QueryRow(fmt.Sprintf("SELECT count(*) FROM %s", tb)).Scan(&n))
		eq(t, "count", n, 20)
		_, err = db.Prepare("SELECT * FROM no_such_table_here")
		wantState(t, "prepare error", err, "42P01")
	})

	t.Run("transactions_tx_options", func(t *testing.T) {
		db := openSQL(t, e, driver)
		tb := tbl(t, db, `CREATE TABLE %s (k int PRIMARY KEY)`)
		ctx := context.Background()
		for _, c := range []struct {
			opts sql.TxOptions
			want string
		}{
			{sql.TxOptions{}, "read committed off"},
			{sql.TxOptions{Isolation: sql.LevelRepeatableRead}, "repeatable read off"},
			{sql.TxOptions{Isolation: sql.LevelSerializable, ReadOnly: true}, "serializable on"},
		} {
			tx, err := db.BeginTx(ctx, &c.opts)
			ok(t, "BeginTx", err)
			var iso, ro string
			okc(t, "show", tx.QueryRow("SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')").Scan(&iso, &ro))
			eq(t, "settings", iso+" "+ro, c.want)
			tx.Rollback()
		}
		tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		ok(t, "BeginTx ro", err)
		_, err = tx.Exec(fmt.Sprintf("INSERT INTO %s VALUES (1)", tb))
		wantState(t, "read-only write", err, "25006")
		tx.Rollback()
		tx, err = db.BeginTx(ctx, nil)
		ok(t, "BeginTx", err)
		_, err = tx.Exec(fmt.Sprintf("INSERT INTO %s VALUES (1)", tb))
		okc(t, "insert", err)
		_, err = tx.Exec("SAVEPOINT s1")
		okc(t, "savepoint", err)
		_, err = tx.Exec(fmt.Sprintf("INSERT INTO %s VALUES (1)", tb))
		wantState(t, "dup", err, "23505")
		_, err = tx.Exec("ROLLBACK TO SAVEPOINT s1")
		okc(t, "rollback to", err)
		_, err = tx.Exec(fmt.Sprintf("INSERT INTO %s VALUES (2)", tb))
		okc(t, "insert 2", err)
		ok(t, "commit", tx.Commit())
		var n int
		ok(t, "count", db.QueryRow(fmt.Sprintf("SELECT count(*) FROM %s", tb)).Scan(&n))
		eq(t, "committed rows", n, 2)
		ctx2, cancel := context.WithCancel(ctx)
		tx, err = db.BeginTx(ctx2, nil)
		ok(t, "BeginTx ctx", err)
		_, err = tx.Exec(fmt.Sprintf("INSERT INTO %s VALUES (3)", tb))
		okc(t, "insert 3", err)
		cancel() // database/sql rolls the transaction back
		time.Sleep(50 * time.Millisecond)
		eq(t, "commit after cancel fails", tx.Commit() != nil, true)
		ok(t, "count", db.QueryRow(fmt.Sprintf("SELECT count(*) FROM %s", tb)).Scan(&n))
		eq(t, "canceled tx rolled back", n, 2)
	})

	t.Run("rollback_of_failed_transaction", func(t *testing.T) {
		// database/sql on one connection: an error aborts the transaction,
		// then ROLLBACK sent as a query (extended protocol with pgx: Parse,
		// Bind, Execute) must be accepted, as PostgreSQL accepts
		// transaction control in an aborted transaction.
		db := openSQL(t, e, driver)
		ctx := context.Background()
		conn, err := db.Conn(ctx)
		ok(t, "conn", err)
		defer conn.Close()
		_, err = conn.ExecContext(ctx, "BEGIN")
		ok(t, "BEGIN", err)
		_, err = conn.ExecContext(ctx, "SELECT 1/0")
		wantState(t, "error", err, "22012")
		_, err = conn.ExecContext(ctx, "SELECT 1")
		wantState(t, "aborted", err, "25P02")
		rows, err := conn.QueryContext(ctx, "ROLLBACK")
		if err == nil {
			rows.Close()
			err = rows.Err()
		}
		okc(t, "ROLLBACK as a query", err)
		var one int
		okc(t, "usable after", conn.QueryRowContext(ctx, "SELECT 1").Scan(&one))
	})

	t.Run("null_types", func(t *testing.T) {
		db := openSQL(t, e, driver)
		tb := tbl(t, db, `CREATE TABLE %s (id int PRIMARY KEY, s text, i bigint, f double precision, b boolean, ts timestamptz, i16 smallint, by bytea)`)
		_, err := db.Exec(fmt.Sprintf("INSERT INTO %s VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", tb),
			1, sql.NullString{}, sql.NullInt64{}, sql.NullFloat64{}, sql.NullBool{}, sql.NullTime{}, sql.NullInt16{}, nil)
		ok(t, "insert nulls", err)
		ts := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
		_, err = db.Exec(fmt.Sprintf("INSERT INTO %s VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", tb),
			2, sql.NullString{String: "s", Valid: true}, sql.NullInt64{Int64: -9, Valid: true}, sql.NullFloat64{Float64: 0.25, Valid: true},
			sql.NullBool{Bool: true, Valid: true}, sql.NullTime{Time: ts, Valid: true}, sql.NullInt16{Int16: 7, Valid: true}, []byte("x"))
		ok(t, "insert values", err)
		rows, err := db.Query(fmt.Sprintf("SELECT s, i, f, b, ts, i16, by FROM %s ORDER BY id", tb))
		ok(t, "select", err)
		var got []string
		for rows.Next() {
			var (
				s   sql.NullString
				i   sql.NullInt64
				f   sql.NullFloat64
				b   sql.NullBool
				ts  sql.NullTime
				i16 sql.Null[int16]
				by  []byte
			)
			okc(t, "scan", rows.Scan(&s, &i, &f, &b, &ts, &i16, &by))
			got = append(got, fmt.Sprintf("%v/%v %v/%v %v/%v %v/%v %s/%v %v/%v %q/%v",
				s.String, s.Valid, i.Int64, i.Valid, f.Float64, f.Valid, b.Bool, b.Valid, show(ts.Time), ts.Valid, i16.V, i16.Valid, by, by == nil))
		}
		rows.Close()
		eq(t, "nulls", got, []string{
			"/false 0/false 0/false false/false 0001-01-01T00:00:00.000000Z/false 0/false \"\"/true",
			"s/true -9/true 0.25/true true/true 2001-02-03T04:05:06.000000Z/true 7/true \"x\"/false",
		})
		var s *string
		ok(t, "NULL into *string", db.QueryRow("SELECT NULL::text").Scan(&s))
		eq(t, "*string", s, nil)
		var str string
		err = db.QueryRow("SELECT NULL::text").Scan(&str)
		eq(t, "NULL into string fails", err != nil, true)
		var untyped sql.NullString
		ok(t, "untyped NULL", db.QueryRow("SELECT NULL").Scan(&untyped))
		eq(t, "untyped NULL", untyped.Valid, false)
	})

	t.Run("time_zones", func(t *testing.T) {
		db := openSQL(t, e, driver, "timezone", "Europe/Berlin")
		var zone, txt string
		ok(t, "zone", db.QueryRow("SELECT current_setting('TimeZone'), '2024-07-01 12:00:00+00'::timestamptz::text").Scan(&zone, &txt))
		eq(t, "zone", zone, "Europe/Berlin")
		eq(t, "summer rendering", txt, "2024-07-01 14:00:00+02")
		ok(t, "winter", db.QueryRow("SELECT '2024-01-01 12:00:00+00'::timestamptz::text").Scan(&txt))
		eq(t, "winter rendering", txt, "2024-01-01 13:00:00+01")
		var ts time.Time
		in := time.Date(2024, 3, 31, 1, 30, 0, 0, time.UTC) // across the DST switch in Berlin
		ok(t, "param round trip", db.QueryRow("SELECT $1::timestamptz", in).Scan(&ts))
		eq(t, "instant", ts.Equal(in), true)
		ok(t, "to text", db.QueryRow("SELECT ($1::timestamptz)::text", in).Scan(&txt))
		eq(t, "rendered", txt, "2024-03-31 03:30:00+02")
		ok(t, "AT TIME ZONE", db.QueryRow("SELECT (timestamptz '2024-03-31 01:30:00+00' AT TIME ZONE 'America/New_York')::text").Scan(&txt))
		eq(t, "AT TIME ZONE", txt, "2024-03-30 21:30:00")
		ok(t, "timestamp without zone", db.QueryRow("SELECT '2024-03-31 02:30:00'::timestamp::timestamptz::text").Scan(&txt))
		eq(t, "nonexistent local time", txt, "2024-03-31 03:30:00+02")
		_, err := db.Exec("SET TIME ZONE 'UTC'")
		ok(t, "SET TIME ZONE", err)
		ok(t, "date", db.QueryRow("SELECT '2024-02-29'::date::text, now() > '2000-01-01'::timestamptz").Scan(&txt, new(bool)))
		eq(t, "date", txt, "2024-02-29")
	})

	t.Run("large_result_streamed", func(t *testing.T) {
		db := openSQL(t, e, driver)
		const n = 200000
		rows, err := db.Query("SELECT g, md5(g::text) FROM generate_series(1, $1::int) AS g", n)
		ok(t, "query", err)
		var count, sum int64
		var lastHash string
		for rows.Next() {
			var g int64
			if err := rows.Scan(&g, &lastHash); err != nil {
				t.Fatal(err)
			}
			count++
			sum += g
		}
		okc(t, "rows.Err", rows.Err())
		rows.Close()
		eq(t, "count", count, n)
		eq(t, "sum", sum, int64(n)*(n+1)/2)
		eq(t, "last md5", lastHash, "03e6c61603f6c550ab49ab6a2d83f793")
		// Closing early must leave the connection usable.
		db.SetMaxOpenConns(1)
		rows, err = db.Query("SELECT g FROM generate_series(1, $1::int) AS g", n)
		ok(t, "query 2", err)
		for i := 0; i < 10 && rows.Next(); i++ {
		}
		okc(t, "close early", rows.Close())
		var one int
		ok(t, "connection usable", db.QueryRow("SELECT 1").Scan(&one))
	})
}

// pqArray wraps a slice for lib/pq, which does not bind Go slices itself.
func pqArray(driver string, v []string) any {
	if driver == "postgres" {
		return pq.Array(v)
	}
	return v
}

// suiteStdlib: database/sql with github.com/jackc/pgx/v5/stdlib.
func suiteStdlib(t *testing.T, e *env) {
	suiteDatabaseSQL(t, e, "pgx")
}

// suitePQ: database/sql with github.com/lib/pq, plus COPY and LISTEN/NOTIFY.
func suitePQ(t *testing.T, e *env) {
	suiteDatabaseSQL(t, e, "postgres")

	t.Run("copy_in", func(t *testing.T) {
		db := openSQL(t, e, "postgres")
		tb := strings.TrimSuffix(e.prefix(), "_") + "_copy"
		e.dropPrefixed(t, tb)
		_, err := db.Exec(fmt.Sprintf("CREATE TABLE %s (id int PRIMARY KEY, name text, note text, at timestamptz)", tb))
		ok(t, "create", err)
		tx, err := db.Begin()
		ok(t, "begin", err)
		stmt, err := tx.Prepare(pq.CopyIn(tb, "id", "name", "note", "at"))
		ok(t, "CopyIn", err)
		at := time.Date(2022, 1, 2, 3, 4, 5, 0, time.UTC)
		for i := 0; i < 1000; i++ {
			var note any
			if i%2 == 0 {
				note = fmt.Sprintf("tab\there, nl\nhere, bs\\ %d", i)
			}
			if _, err := stmt.Exec(i, fmt.Sprint("n", i), note, at); err != nil {
				ok(t, "copy row", err)
			}
		}
		_, err = stmt.Exec()
		ok(t, "flush", err)
		ok(t, "close", stmt.Close())
		ok(t, "commit", tx.Commit())
		var n, nulls int
		var note string
		ok(t, "count", db.QueryRow(fmt.Sprintf("SELECT count(*), count(*) - count(note), max(note) FILTER (WHERE id = 998) FROM %s", tb)).Scan(&n, &nulls, &note))
		eq(t, "copied", j(n, nulls, note), "1000 500 tab\there, nl\nhere, bs\\ 998")
		tx, err = db.Begin()
		ok(t, "begin 2", err)
		stmt, err = tx.Prepare(pq.CopyIn(tb, "id", "name"))
		ok(t, "CopyIn 2", err)
		stmt.Exec(1, "duplicate")
		_, err = stmt.Exec()
		if err == nil {
			err = stmt.Close()
		}
		wantState(t, "COPY duplicate key", err, "23505")
		tx.Rollback()
	})

	t.Run("listen_notify", func(t *testing.T) {
		db := openSQL(t, e, "postgres")
		if _, err := db.Exec("LISTEN ormcompat_probe"); err != nil {
			if errState(err) == "0A000" {
				skip(t, fmt.Sprintf("LISTEN/NOTIFY is not implemented by this server yet (LISTEN answered SQLSTATE 0A000: %v); this subtest passes once the feature lands", err))
			}
			ok(t, "LISTEN", err)
		}
		db.Exec("UNLISTEN *")
		var lerr error
		l := pq.NewListener(e.dsn, 10*time.Millisecond, time.Second, func(ev pq.ListenerEventType, err error) {
			if err != nil {
				lerr = err
			}
		})
		defer l.Close()
		ok(t, "Listen", l.Listen("ormcompat_chan"))
		_, err := db.Exec("NOTIFY ormcompat_chan, 'hello'")
		ok(t, "NOTIFY", err)
		_, err = db.Exec("SELECT pg_notify('ormcompat_chan', 'world')")
		ok(t, "pg_notify", err)
		tx, _ := db.Begin()
		tx.Exec("NOTIFY ormcompat_chan, 'rolled back'")
		tx.Rollback()
		tx, _ = db.Begin()
		tx.Exec("NOTIFY ormcompat_chan, 'committed'")
		tx.Commit()
		var got []string
		for len(got) < 3 {
			select {
			case n := <-l.Notify:
				if n != nil {
					got = append(got, n.Channel+":"+n.Extra)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("notifications so far %v; listener error %v", got, lerr)
			}
		}
		eq(t, "notifications", got, []string{"ormcompat_chan:hello", "ormcompat_chan:world", "ormcompat_chan:committed"})
		ok(t, "Unlisten", l.Unlisten("ormcompat_chan"))
	})
}
