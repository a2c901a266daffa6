package sql

import (
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
)

// TestLiteralCacheEqualsParse: for texts of one shape, the tree the cache
// hands out is exactly what the grammar makes of each text.
func TestLiteralCacheEqualsParse(t *testing.T) {
	shapes := [][]string{
		{"SELECT abalance FROM pgbench_accounts WHERE aid = 12345;", "SELECT abalance FROM pgbench_accounts WHERE aid = 99999;", "SELECT abalance FROM pgbench_accounts WHERE aid = 00001;"},
		{"UPDATE pgbench_accounts SET abalance = abalance + -4123 WHERE aid = 77;", "UPDATE pgbench_accounts SET abalance = abalance + -1000 WHERE aid = 12;", "UPDATE pgbench_accounts SET abalance = abalance + -0000 WHERE aid = 12;"},
		{"UPDATE t SET v = v - 12 WHERE k = 'ab!'", "UPDATE t SET v = v - 99 WHERE k = 'x'''"},
		{"SELECT -5, - 7, 3-2, 1.5, -2.25e3, 2147483648", "SELECT -9, - 1, 9-9, 8.5, -1.75e3, 9147483648"},
		{"INSERT INTO t VALUES (1, 'it''s', 2.5, NULL, true)", "INSERT INTO t VALUES (2, 'abcde', 7.5, NULL, true)"},
		{"SELECT x::varchar(10), '2020-01-01'::date, interval '1 day' FROM t ORDER BY 1 LIMIT 5 OFFSET 2", "SELECT x::varchar(20), '2021-12-31'::date, interval '9 day' FROM t ORDER BY 2 LIMIT 7 OFFSET 0"},
		{"SELECT * FROM t WHERE a IN (1, 2, 3) AND b BETWEEN 4 AND 5 -- c 'x'\n AND d = $1", "SELECT * FROM t WHERE a IN (7, 8, 9) AND b BETWEEN 1 AND 2 -- c 'x'\n AND d = $1"},
		{"DELETE FROM \"T'x\" /* 'c' */ WHERE k = 'éé' RETURNING 1", "DELETE FROM \"T'x\" /* 'c' */ WHERE k = 'åå' RETURNING 2"},
	}
	for _, texts := range shapes {
		var lc literalCache
		for i, q := range texts {
			var got *parsed
			if i == 0 {
				got = lc.remember(q)
			} else {
				var ok bool
				if got, ok = lc.lookup(q); !ok {
					t.Fatalf("%q: no hit after %q", q, texts[0])
				}
			}
			if got == nil {
				t.Fatalf("%q: not cacheable", q)
			}
			want, err := pg_query.Parse(q)
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(got.stmt, want.Stmts[0].Stmt) {
				t.Errorf("%q: cached tree differs from the parse\n got %v\nwant %v", q, got.stmt, want.Stmts[0].Stmt)
			}
		}
	}
}

// TestLiteralCacheRefuses: texts the scanner cannot be exact about, and
// statements other than plain DML, are left to the ordinary parse.
func TestLiteralCacheRefuses(t *testing.T) {
	for _, q := range []string{
		"SELECT E'a\\nb'",
		"SELECT 'a\\b'",
		"SELECT $$x$$",
		"SELECT 'a' 'b'",
		"SELECT 0x1F",
		"SELECT 1_000",
		"SELECT X'1F'",
		"SELECT U&'d\\0061t'",
		"SELECT 1; SELECT 2",
		"CREATE TABLE t (a int DEFAULT 5)",
		"SET x = 5",
		"SELECT /* /* nested */ */ 1",
		"SELECT 1 /* open",
		"SELECT -(5)",
	} {
		var lc literalCache
		if p := lc.remember(q); p != nil {
			t.Errorf("%q: cached, should not be", q)
		}
		if _, ok := lc.lookup(q); ok {
			t.Errorf("%q: hit, should not be", q)
		}
	}
}

// TestLiteralCacheShapeSeparatesLengths: a literal of another length is
// another shape (tree locations would differ), not a wrong hit.
func TestLiteralCacheShapeSeparatesLengths(t *testing.T) {
	var lc literalCache
	lc.remember("SELECT 1 + 22")
	if _, ok := lc.lookup("SELECT 1 + 333"); ok {
		t.Fatal("hit across literal lengths")
	}
	if _, ok := lc.lookup("SELECT 1 + 'a'"); ok {
		t.Fatal("hit across literal classes")
	}
	if _, ok := lc.lookup("SELECT 2 + 44"); !ok {
		t.Fatal("no hit for the same shape")
	}
}

func BenchmarkLiteralCacheHit(b *testing.B) {
	var lc literalCache
	lc.remember("SELECT abalance FROM pgbench_accounts WHERE aid = 123456;")
	q := "SELECT abalance FROM pgbench_accounts WHERE aid = 654321;"
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := lc.lookup(q); !ok {
			b.Fatal("miss")
		}
	}
}

func BenchmarkParse(b *testing.B) {
	q := "SELECT abalance FROM pgbench_accounts WHERE aid = 654321;"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pg_query.Parse(q); err != nil {
			b.Fatal(err)
		}
	}
}
