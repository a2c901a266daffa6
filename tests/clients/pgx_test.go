package clients_test

import (
	"context"
	"errors"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

func connect(t *testing.T, dsn string, mode pgx.QueryExecMode) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = mode
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// roundTrip is one column type and a Go value written into it and read
// back; want is what reading it must give (nil: the value itself).
type roundTrip struct {
	typ  string
	val  any
	want any
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

var roundTrips = []roundTrip{
	{"smallint", int16(-32768), nil},
	{"integer", int32(2147483647), nil},
	{"bigint", int64(-9223372036854775808), nil},
	{"real", float32(1.5), nil},
	{"double precision", 0.1, nil},
	{"numeric(12,3)", pgtype.Numeric{Int: big.NewInt(-123456789), Exp: -3, Valid: true}, nil},
	{"boolean", true, nil},
	{"text", "héllo, wörld\n\ttab", nil},
	{"varchar(10)", "short", nil},
	{"char(4)", "ab", "ab  "},
	{"bytea", []byte{0, 1, 2, 254, 255}, nil},
	{"date", mustTime("2024-02-29T00:00:00Z"), nil},
	{"timestamp", mustTime("2024-02-29T13:14:15.123456Z"), nil},
	{"timestamptz", mustTime("1999-12-31T23:59:59.5Z"), nil},
	{"interval", pgtype.Interval{Months: 14, Days: 3, Microseconds: 3723000004, Valid: true}, nil},
	{"uuid", [16]byte{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}, nil},
	{"jsonb", map[string]any{"a": []any{1.0, "x", nil}, "b": true}, nil},
	{"json", map[string]any{"k": "v"}, nil},
	{"bigint[]", []int64{1, -2, 3}, nil},
	{"text[]", []string{"a", "b c", `q"uote`, ""}, nil},
}

// TestPgxTypesRoundTrip writes each supported type with binary parameters
// and reads it back in every query mode (text results for the simple
// protocol, binary for the others), plus a NULL of each type.
func TestPgxTypesRoundTrip(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	setup := connect(t, srv.DSN, pgx.QueryExecModeCacheStatement)
	for i, rt := range roundTrips {
		if _, err := setup.Exec(ctx, "CREATE TABLE rt"+itoa(i)+" (id int PRIMARY KEY, v "+rt.typ+")"); err != nil {
			t.Fatalf("%s: %v", rt.typ, err)
		}
		if _, err := setup.Exec(ctx, "INSERT INTO rt"+itoa(i)+" VALUES (1, $1), (2, NULL)", rt.val); err != nil {
			t.Fatalf("%s: insert: %v", rt.typ, err)
		}
	}
	modes := map[string]pgx.QueryExecMode{
		"simple":    pgx.QueryExecModeSimpleProtocol,
		"exec":      pgx.QueryExecModeExec,
		"describe":  pgx.QueryExecModeDescribeExec,
		"cachestmt": pgx.QueryExecModeCacheStatement,
	}
	for name, mode := range modes {
		conn := connect(t, srv.DSN, mode)
		for i, rt := range roundTrips {
			want := rt.want
			if want == nil {
				want = rt.val
			}
			got := reflect.New(reflect.TypeOf(want))
			if err := conn.QueryRow(ctx, "SELECT v FROM rt"+itoa(i)+" WHERE id = $1", 1).Scan(got.Interface()); err != nil {
				t.Errorf("%s %s: %v", name, rt.typ, err)
				continue
			}
			if !equalValue(got.Elem().Interface(), want) {
				t.Errorf("%s %s: got %#v, want %#v", name, rt.typ, got.Elem().Interface(), want)
			}
			var null any = "not null"
			if err := conn.QueryRow(ctx, "SELECT v FROM rt"+itoa(i)+" WHERE id = 2").Scan(&null); err != nil || null != nil {
				t.Errorf("%s %s: NULL read as %#v, %v", name, rt.typ, null, err)
			}
		}
	}
}

func equalValue(got, want any) bool {
	switch w := want.(type) {
	case time.Time:
		g, ok := got.(time.Time)
		return ok && g.Equal(w)
	case pgtype.Numeric:
		g, ok := got.(pgtype.Numeric)
		if !ok {
			return false
		}
		gf, _ := g.Float64Value()
		wf, _ := w.Float64Value()
		return gf == wf
	}
	return reflect.DeepEqual(got, want)
}

// servers starts prkdb-sql and, when its binaries are installed, the
// PostgreSQL 15 oracle, so a behaviour is checked against both.
func servers(t *testing.T) map[string]string {
	m := map[string]string{"prkdb": prkdbtest.Start(t, prkdbtest.Options{}).DSN}
	dsn, err := pgoracle.Shared()
	switch {
	case errors.Is(err, pgoracle.ErrUnavailable):
		t.Logf("PostgreSQL oracle: %v", err)
	case err != nil:
		t.Fatal(err)
	default:
		m["postgres"] = dsn
	}
	return m
}

func itoa(i int) string { return string(rune('a'+i/26)) + string(rune('a'+i%26)) }

// TestPgxBatchCopyAndStatementCache drives pgx.Batch, CopyFrom and the
// prepared statement cache (the same SQL executed many times, then
// invalidated by DDL and re-prepared).
func TestPgxBatchCopyAndStatementCache(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	ctx := context.Background()
	conn := connect(t, srv.DSN, pgx.QueryExecModeCacheStatement)
	if _, err := conn.Exec(ctx, "CREATE TABLE acct (id int PRIMARY KEY, owner text NOT NULL, balance bigint)"); err != nil {
		t.Fatal(err)
	}
	rows := make([][]any, 1000)
	for i := range rows {
		rows[i] = []any{int32(i), "owner" + itoa(i%100), int64(i * 10)}
	}
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"acct"}, []string{"id", "owner", "balance"}, pgx.CopyFromRows(rows))
	if err != nil || n != 1000 {
		t.Fatalf("CopyFrom: %d rows, %v", n, err)
	}

	b := &pgx.Batch{}
	b.Queue("UPDATE acct SET balance = balance - 5 WHERE id = $1", int32(1))
	b.Queue("UPDATE acct SET balance = balance + 5 WHERE id = $1", int32(2))
	b.Queue("SELECT sum(balance) FROM acct")
	b.Queue("SELECT 1/0")
	br := conn.SendBatch(ctx, b)
	for i := 0; i < 2; i++ {
		tag, err := br.Exec()
		if err != nil || tag.String() != "UPDATE 1" {
			t.Fatalf("batch update %d: %q %v", i, tag, err)
		}
	}
	var sum int64
	if err := br.QueryRow().Scan(&sum); err != nil || sum != 4995000 {
		t.Fatalf("batch sum: %d %v", sum, err)
	}
	_, err = br.Exec()
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "22012" {
		t.Fatalf("batch division by zero: %v", err)
	}
	if err := br.Close(); !errors.As(err, &pgErr) || pgErr.Code != "22012" {
		t.Fatalf("batch close: %v", err) // pgx reports the batch's first error again
	}

	for i := 0; i < 200; i++ {
		var owner string
		if err := conn.QueryRow(ctx, "SELECT owner FROM acct WHERE id = $1", int32(i)).Scan(&owner); err != nil || owner != "owner"+itoa(i%100) {
			t.Fatalf("cached statement %d: %q %v", i, owner, err)
		}
	}
	if _, err := conn.Exec(ctx, "ALTER TABLE acct ADD COLUMN note text DEFAULT 'n'"); err != nil {
		t.Fatal(err)
	}
	var note string
	if err := conn.QueryRow(ctx, "SELECT note FROM acct WHERE id = $1", int32(7)).Scan(&note); err != nil || note != "n" {
		t.Fatalf("after ALTER: %q %v", note, err)
	}
	var owner string
	if err := conn.QueryRow(ctx, "SELECT owner FROM acct WHERE id = $1", int32(7)).Scan(&owner); err != nil || owner != "owner"+itoa(7) {
		t.Fatalf("cached statement after ALTER: %q %v", owner, err)
	}
}

// TestPgxCancel cancels a long pg_sleep two ways: with a CancelRequest
// carrying the session's BackendKeyData (the statement fails with 57014
// and the connection goes on), and through the context, as applications
// do (pgx sends the CancelRequest itself); what the connection is after
// that must be what it is against PostgreSQL.
func TestPgxCancel(t *testing.T) {
	closedAfterContext := map[string]bool{}
	for name, dsn := range servers(t) {
		t.Run(name, func(t *testing.T) { closedAfterContext[name] = testPgxCancel(t, dsn) })
	}
	if pg, ok := closedAfterContext["postgres"]; ok && pg != closedAfterContext["prkdb"] {
		t.Errorf("after a context cancel the connection is closed=%v on prkdb-sql, %v on PostgreSQL", closedAfterContext["prkdb"], pg)
	}
}

func testPgxCancel(t *testing.T, dsn string) (closedAfterContext bool) {
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		conn := connect(t, dsn, mode)
		timer := time.AfterFunc(200*time.Millisecond, func() {
			if err := conn.PgConn().CancelRequest(context.Background()); err != nil {
				t.Errorf("CancelRequest: %v", err)
			}
		})
		start := time.Now()
		_, err := conn.Exec(context.Background(), "SELECT pg_sleep(30)")
		timer.Stop()
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "57014" {
			t.Fatalf("mode %v: cancelled pg_sleep gave %v", mode, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("mode %v: cancel took %v", mode, d)
		}
		var one int
		if err := conn.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil || one != 1 {
			t.Fatalf("mode %v: connection after cancel: %v", mode, err)
		}

		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		start = time.Now()
		_, err = conn.Exec(ctx, "SELECT pg_sleep(30)")
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("mode %v: context-cancelled pg_sleep gave %v", mode, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("mode %v: context cancel took %v", mode, d)
		}
		closedAfterContext = conn.IsClosed()
	}
	return closedAfterContext
}
