package copy_test

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/lib/pq"
)

// allTypesDDL is a table with a column of every basic type.
const allTypesDDL = `(id int PRIMARY KEY, b bool, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8,
	n numeric(10,3), t text, vc varchar(10), c char(4), by bytea, d date, tm time, ts timestamp,
	tz timestamptz, iv interval, u uuid, j json, jb jsonb, ai int4[], at text[])`

var allTypesCols = []string{"id", "b", "i2", "i4", "i8", "f4", "f8", "n", "t", "vc", "c", "by", "d", "tm",
	"ts", "tz", "iv", "u", "j", "jb", "ai", "at"}

func ptr[T any](v T) *T { return &v }

func allTypesRows() [][]any {
	rows := [][]any{
		{int32(1), true, int16(-2), int32(3), int64(-4_000_000_000), float32(1.5), 2.25, 3.125,
			"tab\there\nnewline \\ backslash, comma \"quote\" é", "vc", "c", []byte{0, 0xff, '\\'},
			time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC),
			pgtype.Time{Microseconds: ((12*60+34)*60+56)*1e6 + 789000, Valid: true},
			time.Date(2020, 1, 2, 3, 4, 5, 678901000, time.UTC),
			time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("", 7200)),
			pgtype.Interval{Months: 14, Days: 3, Microseconds: ((4*60+5)*60 + 6) * 1e6, Valid: true},
			[16]byte{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11},
			`{"a": [1, 2]}`, `{"b": null}`,
			[]*int32{ptr(int32(1)), nil, ptr(int32(3))}, []*string{ptr("x y"), nil, ptr(`q"z`), ptr("")}},
		{int32(2), false, int16(0), int32(0), int64(0), float32(-0.25), -1e-10, -0.5,
			"", "", "", []byte{}, time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC),
			pgtype.Time{Microseconds: 0, Valid: true},
			time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2038, 1, 19, 3, 14, 8, 0, time.UTC),
			pgtype.Interval{Months: -1, Days: 0, Microseconds: -1, Valid: true},
			[16]byte{}, `[]`, `{}`, []*int32{}, []*string{}},
	}
	null := make([]any, len(allTypesCols))
	null[0] = int32(3)
	return append(rows, null)
}

// TestCopyFromPgxBinary: pgx's CopyFrom (binary COPY) of every basic type,
// NULLs included; what is stored is compared with PostgreSQL's through
// COPY TO in text and in binary, and the binary output is copied back in.
func TestCopyFromPgxBinary(t *testing.T) {
	srvs := servers(t)
	var text, bin [2]string
	for i, s := range srvs {
		c := connect(t, s)
		mustExec(t, s, c, "DROP TABLE IF EXISTS pgx_types", "CREATE TABLE pgx_types "+allTypesDDL)
		n, err := c.CopyFrom(ctxT(t), pgx.Identifier{"pgx_types"}, allTypesCols, pgx.CopyFromRows(allTypesRows()))
		if err != nil {
			t.Fatalf("%s: CopyFrom: %v", s.name, err)
		}
		if n != 3 {
			t.Fatalf("%s: CopyFrom copied %d rows, want 3", s.name, n)
		}
		text[i], _ = copyTo(t, s, c, "COPY pgx_types TO STDOUT")
		var tag string
		bin[i], tag = copyTo(t, s, c, "COPY pgx_types TO STDOUT (FORMAT binary)")
		if tag != "COPY 3" {
			t.Errorf("%s: tag %q", s.name, tag)
		}
		// The binary output loads back as the same rows.
		mustExec(t, s, c, "DROP TABLE IF EXISTS pgx_types2", "CREATE TABLE pgx_types2 "+allTypesDDL)
		if tag, err := c.PgConn().CopyFrom(ctxT(t), strings.NewReader(bin[i]), "COPY pgx_types2 FROM STDIN (FORMAT binary)"); err != nil || tag.String() != "COPY 3" {
			t.Fatalf("%s: binary COPY FROM: %v %v", s.name, tag, err)
		}
		if again, _ := copyTo(t, s, c, "COPY pgx_types2 TO STDOUT (FORMAT binary)"); again != bin[i] {
			t.Errorf("%s: binary round trip differs:\n%q\n%q", s.name, again, bin[i])
		}
	}
	if text[0] != text[1] {
		t.Errorf("COPY TO (text) differs:\nprkdb:\n%s\npg15:\n%s", text[0], text[1])
	}
	if bin[0] != bin[1] {
		t.Errorf("COPY TO (binary) differs:\nprkdb:\n%q\npg15:\n%q", bin[0], bin[1])
	}
	if !strings.Contains(text[0], "3\t\\N\t\\N") {
		t.Errorf("the NULL row is not there:\n%s", text[0])
	}
}

// TestCopyLibPQ: lib/pq's CopyIn (text COPY, escaped by the driver) in a
// transaction.
func TestCopyLibPQ(t *testing.T) {
	srvs := servers(t)
	values := []*string{ptr("plain"), ptr("tab\tnewline\ncr\rbackslash\\"), ptr(""), nil, ptr(`\N`), ptr("ünïcødé ✓"), ptr(`"quoted", comma`)}
	var outs [2]string
	for i, s := range srvs {
		db, err := sql.Open("postgres", s.dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, q := range []string{"DROP TABLE IF EXISTS lpq", "CREATE TABLE lpq (id int PRIMARY KEY, v text, n numeric)"} {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %s: %v", s.name, q, err)
			}
		}
		txn, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		stmt, err := txn.Prepare(pq.CopyIn("lpq", "id", "v", "n")) //nolint:staticcheck // the API under test
		if err != nil {
			t.Fatalf("%s: prepare CopyIn: %v", s.name, err)
		}
		for j, v := range values {
			var arg any
			if v != nil {
				arg = *v
			}
			if _, err := stmt.Exec(j+1, arg, fmt.Sprintf("%d.5", j)); err != nil {
				t.Fatalf("%s: row %d: %v", s.name, j, err)
			}
		}
		if _, err := stmt.Exec(); err != nil {
			t.Fatalf("%s: end of COPY: %v", s.name, err)
		}
		if err := stmt.Close(); err != nil {
			t.Fatal(err)
		}
		if err := txn.Commit(); err != nil {
			t.Fatalf("%s: commit: %v", s.name, err)
		}
		var got *string
		if err := db.QueryRow("SELECT v FROM lpq WHERE id = 2").Scan(&got); err != nil || got == nil || *got != *values[1] {
			t.Errorf("%s: id 2 = %v (%v)", s.name, got, err)
		}
		var nulls int
		if err := db.QueryRow("SELECT count(*) FROM lpq WHERE v IS NULL").Scan(&nulls); err != nil || nulls != 1 {
			t.Errorf("%s: %d NULLs (%v)", s.name, nulls, err)
		}
		c := connect(t, s)
		outs[i], _ = copyTo(t, s, c, "COPY lpq TO STDOUT")
	}
	if outs[0] != outs[1] {
		t.Errorf("COPY TO differs:\nprkdb:\n%s\npg15:\n%s", outs[0], outs[1])
	}
	// lib/pq reports a bad row at the end of the COPY.
	for _, s := range srvs {
		db, _ := sql.Open("postgres", s.dsn)
		defer db.Close()
		txn, _ := db.Begin()
		stmt, err := txn.Prepare(pq.CopyIn("lpq", "id", "v")) //nolint:staticcheck
		if err != nil {
			t.Fatal(err)
		}
		stmt.Exec(100, "ok")
		stmt.Exec("not a number", "bad")
		_, err = stmt.Exec()
		var pe *pq.Error
		if !errors.As(err, &pe) || pe.Code != "22P02" || pe.Where != `COPY lpq, line 2, column id: "not a number"` {
			t.Errorf("%s: bad row: %#v", s.name, err)
		}
		txn.Rollback()
	}
}

// psqlTable is filled with INSERTs; psql's \copy writes and reads it.
var psqlTable = []string{
	"DROP TABLE IF EXISTS ps",
	"DROP TABLE IF EXISTS ps_back",
	"DROP TABLE IF EXISTS ps_csv",
	"CREATE TABLE ps (id int PRIMARY KEY, name text, score float8, amount numeric(12,2), born date, seen timestamptz, ok bool, raw bytea, tags text[])",
	"CREATE TABLE ps_back (id int PRIMARY KEY, name text, score float8, amount numeric(12,2), born date, seen timestamptz, ok bool, raw bytea, tags text[])",
	"CREATE TABLE ps_csv (id int PRIMARY KEY, name text, score float8, amount numeric(12,2), born date, seen timestamptz, ok bool, raw bytea, tags text[])",
	`INSERT INTO ps VALUES
		(1, 'alice', 1.5, 10.25, '1990-05-17', '2024-01-02 03:04:05.123456+00', true, '\x00010203', '{a,b}'),
		(2, E'tab\there', -0.1, -3, '2000-02-29', '1999-12-31 23:59:59+00', false, '\xdeadbeef', '{"with space","with,comma"}'),
		(3, E'new\nline and back\\slash', 1e300, 0, '1970-01-01', '1970-01-01 00:00:00+00', NULL, '', '{}'),
		(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		(5, '', 'NaN', 99999.99, '2024-12-31', '2024-06-30 12:00:00+00', true, '\x5c', '{"\\\\"}'),
		(6, 'quote " and , comma', 'Infinity', 0.01, '1900-01-01', '2100-01-01 00:00:00+00', false, '\x0a0d09', '{NULL}'),
		(7, E'\\N', 3, 1, '2020-02-02', '2020-02-02 02:02:02+00', true, '\x4e', '{x}'),
		(8, 'ünïcødé ✓ 日本', 1.0000001, 123.45, '2010-10-10', '2010-10-10 10:10:10.5+00', false, '\xff', '{"é"}')`,
}

// TestCopyPsqlRoundTrip: psql's \copy to a file gives the same bytes as
// PostgreSQL 15's psql for the same table, in text and CSV, and \copy
// from that file restores the table exactly.
func TestCopyPsqlRoundTrip(t *testing.T) {
	srvs := servers(t)
	findPsql(t)
	files := map[string][2][]byte{}
	for i, s := range srvs {
		c := connect(t, s)
		mustExec(t, s, c, psqlTable...)
		dir := t.TempDir()
		os.Chmod(dir, 0o755)
		psql(t, s, dir,
			`\copy ps to 'ps.txt'`,
			`\copy ps to 'ps.csv' with (format csv, header)`,
			`\copy ps (name, id) to 'ps_cols.txt' with (delimiter '|', null 'NULL')`,
			`\copy ps_back from 'ps.txt'`,
			`\copy ps_back to 'ps_back.txt'`,
			`\copy ps_csv from 'ps.csv' with (format csv, header)`,
			`\copy ps_csv to 'ps_csv.csv' with (format csv, header)`,
			`\copy (select id, name from ps where id > 4 order by id desc) to 'query.txt'`)
		for _, f := range []string{"ps.txt", "ps.csv", "ps_cols.txt", "ps_back.txt", "ps_csv.csv", "query.txt"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			v := files[f]
			v[i] = b
			files[f] = v
		}
	}
	for f, v := range files {
		if !bytes.Equal(v[0], v[1]) {
			t.Errorf("%s differs:\nprkdb:\n%s\npg15:\n%s", f, v[0], v[1])
		}
	}
	if !bytes.Equal(files["ps_back.txt"][0], files["ps.txt"][0]) {
		t.Errorf("text round trip differs:\n%s\n%s", files["ps_back.txt"][0], files["ps.txt"][0])
	}
	if !bytes.Equal(files["ps_csv.csv"][0], files["ps.csv"][0]) {
		t.Errorf("CSV round trip differs:\n%s\n%s", files["ps_csv.csv"][0], files["ps.csv"][0])
	}
	if n := bytes.Count(files["ps.txt"][0], []byte("\n")); n != 8 {
		t.Errorf("ps.txt has %d lines, want 8", n)
	}
}

// TestCopyCSVOptions: CSV (and text) with HEADER, QUOTE, ESCAPE, NULL,
// DELIMITER, FORCE_* and the pre-9.0 syntax give PostgreSQL's output and
// errors.
func TestCopyCSVOptions(t *testing.T) {
	srvs := servers(t)
	input := "id;name;note\n" +
		"1;'a;b';NULL\n" +
		"2;'it''s';''\n" +
		"3;'multi\nline';plain\n" +
		"4;NULL;'NULL'\n" +
		"5;;x\n"
	steps := []step{
		{sql: "DROP TABLE IF EXISTS csvt"},
		{sql: "CREATE TABLE csvt (id int PRIMARY KEY, name text, note text)"},
		{sql: "COPY csvt FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';', QUOTE '''', NULL 'NULL')", input: input},
		{sql: "SELECT id, name, note, name IS NULL, note IS NULL FROM csvt ORDER BY id"},
		{sql: "COPY csvt TO STDOUT (FORMAT csv, HEADER)"},
		{sql: "COPY csvt TO STDOUT (FORMAT csv, HEADER, DELIMITER ';', QUOTE '''', NULL 'NULL')"},
		{sql: "COPY csvt TO STDOUT (FORMAT csv, QUOTE '''', ESCAPE '\\')"},
		{sql: "COPY csvt TO STDOUT (FORMAT csv, FORCE_QUOTE *)"},
		{sql: "COPY csvt (note, id) TO STDOUT (FORMAT csv, FORCE_QUOTE (note), NULL 'nil')"},
		{sql: "COPY csvt TO STDOUT WITH CSV HEADER FORCE QUOTE name"},
		{sql: "COPY csvt TO STDOUT WITH DELIMITER ','"},
		{sql: "COPY csvt TO STDOUT (FORMAT text, HEADER, NULL '')"},
		{sql: "COPY csvt (name) TO STDOUT (FORMAT csv)"},
		{sql: "TRUNCATE csvt"},
		{sql: "COPY csvt FROM STDIN WITH CSV HEADER", input: "id,name,note\n10,x,\n11,\"\",\"\"\n12,\"a \"\"q\"\"\",\\.\n"},
		{sql: "COPY csvt FROM STDIN WITH DELIMITER ','", input: "13,y,\\N\n14,with\\,comma,z\n"},
		{sql: "COPY csvt FROM STDIN (FORMAT csv, FORCE_NOT_NULL (note), FORCE_NULL (name))", input: "15,\"\",\n16,,\"\"\n"},
		{sql: "COPY csvt FROM STDIN (FORMAT csv, HEADER match)", input: "id,name,note\n17,m,\n"},
		{sql: "COPY csvt FROM STDIN (FORMAT csv, HEADER match)", input: "id,nom,note\n18,m,\n"},
		{sql: "COPY csvt (id, note) FROM STDIN (FORMAT csv, ESCAPE '\\')", input: "19,\"back\\\"slash\\\\\"\n"},
		{sql: "COPY csvt FROM STDIN (FORMAT csv)", input: "20,\"unterminated\n"},
		{sql: "COPY csvt FROM STDIN (FORMAT csv, QUOTE ',')"},
		{sql: "COPY csvt FROM STDIN (FORMAT csv, NULL '\"')"},
		{sql: "COPY csvt FROM STDIN (FORMAT csv, FORCE_QUOTE (name))"},
		{sql: "COPY csvt TO STDOUT (FORMAT csv, FORCE_NULL (name))"},
		{sql: "COPY csvt TO STDOUT (FORMAT text, QUOTE '\"')"},
		{sql: "COPY csvt TO STDOUT (FORMAT csv, HEADER match)"},
		{sql: "SELECT id, name, note, name IS NULL, note IS NULL FROM csvt ORDER BY id"},
		{sql: "COPY csvt TO STDOUT (FORMAT csv, HEADER, FORCE_QUOTE *)"},
	}
	compareSteps(t, srvs, steps)
}

// TestCopyOptionErrors: option and column-list mistakes get PostgreSQL's
// errors (SQLSTATE, message, position).
func TestCopyOptionErrors(t *testing.T) {
	srvs := servers(t)
	steps := []step{
		{sql: "DROP TABLE IF EXISTS oe"},
		{sql: "CREATE TABLE oe (a int, b text)"},
	}
	for _, q := range []string{
		"COPY oe (a, a) FROM STDIN",
		"COPY oe (zz) FROM STDIN",
		"COPY oe (zz) TO STDOUT",
		"COPY nosuch FROM STDIN",
		"COPY oe FROM STDIN (FORMAT xml)",
		"COPY oe FROM STDIN (FORMAT 'CSV')",
		"COPY oe FROM STDIN (FORMAT csv, FORMAT csv)",
		"COPY oe FROM STDIN (DELIMITER 'ab')",
		"COPY oe FROM STDIN (DELIMITER 'a')",
		"COPY oe FROM STDIN (DELIMITER E'\\n')",
		"COPY oe FROM STDIN (NULL E'\\r')",
		"COPY oe FROM STDIN (DELIMITER ',', NULL 'a,b')",
		"COPY oe FROM STDIN (FORMAT binary, DELIMITER ',')",
		"COPY oe FROM STDIN (FORMAT binary, NULL 'x')",
		"COPY oe FROM STDIN (FORMAT binary, HEADER)",
		"COPY oe FROM STDIN (QUOTE '\"')",
		"COPY oe FROM STDIN (ESCAPE '\\')",
		"COPY oe FROM STDIN (FORMAT csv, QUOTE 'ab')",
		"COPY oe FROM STDIN (FORMAT csv, ESCAPE '')",
		"COPY oe FROM STDIN (FORMAT csv, DELIMITER '\"')",
		"COPY oe FROM STDIN (FORMAT csv, FORCE_QUOTE *)",
		"COPY oe TO STDOUT (FORCE_QUOTE *)",
		"COPY oe TO STDOUT (FORMAT csv, FORCE_NOT_NULL (a))",
		"COPY oe FROM STDIN (FORCE_NOT_NULL (a))",
		"COPY oe FROM STDIN (FORMAT csv, FORCE_NOT_NULL (zz))",
		"COPY oe (a) FROM STDIN (FORMAT csv, FORCE_NOT_NULL (b))",
		"COPY oe (a) FROM STDIN (FORMAT csv, FORCE_NULL (b))",
		"COPY oe FROM STDIN (FORMAT csv, FORCE_NOT_NULL *)",
		"COPY oe FROM STDIN (HEADER maybe)",
		"COPY oe FROM STDIN (HEADER 2)",
		"COPY oe FROM STDIN (FREEZE maybe)",
		"COPY oe FROM STDIN (ENCODING 'no-such-encoding')",
		"COPY oe FROM STDIN (BOGUS 1)",
		"COPY oe FROM STDIN (DELIMITER)",
		"COPY oe FROM STDIN (NULL 'x', NULL 'y')",
		"COPY oe TO STDOUT (FORMAT csv, NULL '\"')",
		"COPY oe TO STDOUT (FORMAT csv, HEADER match)",
		"COPY (SELECT 1 AS x) TO STDOUT (FORMAT csv, FORCE_QUOTE (y))",
		"COPY oe TO STDOUT (FORMAT csv, FORCE_QUOTE (a, a))",
	} {
		steps = append(steps, step{sql: q})
	}
	// Accepted options. FREEZE as pgbench uses it: PostgreSQL requires the
	// table to be created or truncated in the same transaction (prkdb-sql
	// accepts it anywhere and ignores it).
	steps = append(steps,
		step{sql: "BEGIN"},
		step{sql: "TRUNCATE oe"},
		step{sql: "COPY oe FROM STDIN (FREEZE, ENCODING 'utf8', HEADER false)", input: "1\tx\n"},
		step{sql: "COMMIT"},
		step{sql: "BEGIN"},
		step{sql: "TRUNCATE oe"},
		step{sql: "COPY oe FROM STDIN WITH (FREEZE ON, ENCODING 'UTF-8')", input: "2\ty\n"},
		step{sql: "COMMIT"},
		step{sql: "COPY oe FROM STDIN (FREEZE false)", input: "3\tz\n"},
		step{sql: "COPY oe TO STDOUT (FORMAT text, ENCODING 'UTF8', HEADER 1)"},
	)
	compareSteps(t, srvs, steps)
}

// TestCopyErrorRollsBack: a bad value on line 3 fails the COPY with the
// line in CONTEXT and keeps none of its rows, inside a transaction block
// too; CopyFail and constraint violations likewise.
func TestCopyErrorRollsBack(t *testing.T) {
	srvs := servers(t)
	for _, s := range srvs {
		c := connect(t, s)
		mustExec(t, s, c, "DROP TABLE IF EXISTS rb", "CREATE TABLE rb (a int, b text NOT NULL)")
		_, err := c.PgConn().CopyFrom(ctxT(t), strings.NewReader("1\tone\n2\ttwo\nthree\tthree\n4\tfour\n"), "COPY rb FROM STDIN")
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			t.Fatalf("%s: COPY with a bad line 3: %v", s.name, err)
		}
		if pe.Code != "22P02" || pe.Message != `invalid input syntax for type integer: "three"` || pe.Where != `COPY rb, line 3, column a: "three"` {
			t.Errorf("%s: error %s %q where %q", s.name, pe.Code, pe.Message, pe.Where)
		}
		var n int
		if err := c.QueryRow(ctxT(t), "SELECT count(*) FROM rb").Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows after the failed COPY (%v)", s.name, n, err)
		}
	}
	compareSteps(t, srvs, []step{
		{sql: "DROP TABLE IF EXISTS rb2"},
		{sql: "CREATE TABLE rb2 (a int PRIMARY KEY, b text NOT NULL, c int CHECK (c > 0) DEFAULT 1)"},
		{sql: "BEGIN"},
		{sql: "INSERT INTO rb2 VALUES (100, 'before', 1)"},
		{sql: "COPY rb2 (a, b) FROM STDIN", input: "1\tone\n2\t\\N\n"},
		{sql: "SELECT count(*) FROM rb2"},
		{sql: "ROLLBACK"},
		{sql: "SELECT count(*) FROM rb2"},
		{sql: "COPY rb2 FROM STDIN", input: "1\tone\t1\n2\ttwo\t-2\n"},
		{sql: "COPY rb2 FROM STDIN", input: "1\tone\t1\n2\ttwo\t2\n1\tagain\t3\n"},
		{sql: "COPY rb2 FROM STDIN", input: "1\tone\n"},
		{sql: "COPY rb2 FROM STDIN", input: "1\tone\t1\textra\n"},
		{sql: "COPY rb2 FROM STDIN (FORMAT csv)", input: "1,one,1\n2,\"two\n"},
		{sql: "COPY rb2 FROM STDIN", input: "1\tone\t1\n2\ttwo\t2\n"},
		{sql: "SELECT a, b, c FROM rb2 ORDER BY a"},
	})
	// CopyFail: pgconn sends it when the reader fails.
	for _, s := range srvs {
		c := connect(t, s)
		_, err := c.PgConn().CopyFrom(ctxT(t), &failingReader{data: strings.NewReader("7\tseven\t7\n"), err: errors.New("boom")}, "COPY rb2 FROM STDIN")
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "57014" || pe.Message != "COPY from stdin failed: boom" {
			t.Errorf("%s: CopyFail: %v", s.name, err)
		}
		var n int
		if err := c.QueryRow(ctxT(t), "SELECT count(*) FROM rb2 WHERE a = 7").Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows after CopyFail (%v)", s.name, n, err)
		}
	}
}

// TestCopyQueryToStdout: COPY (query) TO STDOUT.
func TestCopyQueryToStdout(t *testing.T) {
	srvs := servers(t)
	compareSteps(t, srvs, []step{
		{sql: "DROP TABLE IF EXISTS qa"},
		{sql: "DROP TABLE IF EXISTS qb"},
		{sql: "CREATE TABLE qa (id int PRIMARY KEY, name text, v float8)"},
		{sql: "CREATE TABLE qb (id int PRIMARY KEY, qa_id int, note text)"},
		{sql: "COPY qa FROM STDIN", input: "1\tone\t1.5\n2\ttwo\t\\N\n3\tthree\t-0.25\n"},
		{sql: "COPY qb FROM STDIN (FORMAT csv)", input: "10,1,x\n11,1,\"y,z\"\n12,3,\n"},
		{sql: "COPY (SELECT id, name FROM qa ORDER BY id DESC) TO STDOUT"},
		{sql: "COPY (SELECT count(*), sum(v), max(name) FROM qa) TO STDOUT (FORMAT csv, HEADER)"},
		{sql: "COPY (SELECT qa.name, qb.note FROM qa JOIN qb ON qb.qa_id = qa.id ORDER BY qb.id) TO STDOUT (FORMAT csv, HEADER, FORCE_QUOTE *)"},
		{sql: "COPY (SELECT qa.id, qb.id FROM qa JOIN qb ON qb.qa_id = qa.id ORDER BY qb.id) TO STDOUT (FORMAT binary)"},
		{sql: "COPY (VALUES (1, 'a'), (2, NULL)) TO STDOUT"},
		{sql: "COPY (SELECT * FROM qa WHERE false) TO STDOUT"},
		{sql: "COPY (SELECT id, name AS \"Name\", upper(name) FROM qa ORDER BY 1) TO STDOUT (FORMAT csv, HEADER)"},
		{sql: "COPY (INSERT INTO qa VALUES (4, 'four', 4) RETURNING id, name) TO STDOUT"},
		{sql: "COPY (DELETE FROM qa WHERE id = 4) TO STDOUT"},
		{sql: "COPY (SELECT 1/0) TO STDOUT"},
		{sql: "COPY (SELECT id FROM qa ORDER BY id) TO STDOUT (FORMAT csv, FORCE_QUOTE (nope))"},
		{sql: "SELECT count(*) FROM qa"},
	})
}

// TestCopyBinaryFormat: binary COPY FROM's header, tuples and trailer,
// and its errors, against PostgreSQL's.
func TestCopyBinaryFormat(t *testing.T) {
	srvs := servers(t)
	be32 := func(v int32) string { return string([]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}) }
	be16 := func(v int16) string { return string([]byte{byte(v >> 8), byte(v)}) }
	const sig = "PGCOPY\n\xff\r\n\x00"
	header := sig + be32(0) + be32(0)
	field := func(b string) string { return be32(int32(len(b))) + b }
	null := be32(-1)
	tuple := func(fields ...string) string { return be16(int16(len(fields))) + strings.Join(fields, "") }
	row := func(a int32, b string) string { return tuple(field(be32(a)), field(b)) }
	trailer := be16(-1)
	long := strings.Repeat("é", 100<<10) // one 200 KB field, larger than the input buffer
	q := "COPY bin FROM STDIN (FORMAT binary)"
	compareSteps(t, srvs, []step{
		{sql: "DROP TABLE IF EXISTS bin"},
		{sql: "CREATE TABLE bin (a int4, b varchar(3) NOT NULL)"},
		{sql: q, input: header + row(1, "one") + row(2, "two") + trailer},
		{sql: q, input: sig + be32(0) + be32(4) + "xxxx" + row(3, "ext") + trailer},
		{sql: q, input: header + row(4, "end")}, // no trailer
		{sql: q, input: header + tuple(null, field("nul")) + trailer},
		{sql: q, input: ""},
		{sql: q, input: "NOTPGCOPY\n\x00"},
		{sql: q, input: sig + be32(1<<16) + be32(0) + trailer},
		{sql: q, input: sig + be32(1<<17) + be32(0) + trailer},
		{sql: q, input: sig + be32(0)},
		{sql: q, input: sig + be32(0) + be32(8) + "abc"},
		{sql: q, input: header + tuple(field(be32(5))) + trailer},
		{sql: q, input: header + tuple(field(be16(5)), field("x")) + trailer},
		{sql: q, input: header + tuple(field(be32(5)), be32(10)+"short")},
		{sql: q, input: header + tuple(field(be32(5)), be32(-2)) + trailer},
		{sql: q, input: header + row(6, "six") + trailer + "more"},
		{sql: q, input: header + row(7, "\xff\xfe") + trailer},
		{sql: q, input: header + row(8, "long") + trailer},
		{sql: q, input: header + tuple(field(be32(9)), null) + trailer},
		{sql: q, input: header + row(10, "ok") + be16(3)},
		{sql: "SELECT a, b FROM bin ORDER BY a"},
		{sql: "DROP TABLE IF EXISTS binlong"},
		{sql: "CREATE TABLE binlong (a int4, b text)"},
		{sql: "COPY binlong FROM STDIN (FORMAT binary)", input: header + row(1, long) + trailer},
		{sql: "COPY binlong FROM STDIN", input: "2\t" + long + "\n"},
		{sql: "SELECT a, length(b), md5(b) FROM binlong ORDER BY a"},
	})
}

// TestCopyLineEndings: \n, \r\n and \r line ends (the first line decides),
// the \. end marker, line numbers in CONTEXT with quoted line breaks.
func TestCopyLineEndings(t *testing.T) {
	srvs := servers(t)
	text, csv := "COPY le FROM STDIN", "COPY le FROM STDIN (FORMAT csv)"
	compareSteps(t, srvs, []step{
		{sql: "DROP TABLE IF EXISTS le"},
		{sql: "CREATE TABLE le (a int, b text)"},
		{sql: text, input: "1\tcrlf\r\n2\tcrlf\r\n"},
		{sql: text, input: "3\tcr\r4\tcr\r\\.\r"},
		{sql: text, input: "5\tlast line without newline"},
		{sql: text, input: "6\tx\r\n7\ty\n"},
		{sql: text, input: "6\tx\n7\ty\r\n"},
		{sql: text, input: "6\tx\r7\ty\n"},
		{sql: text, input: "6\tx\n\\.\r\n"},
		{sql: text, input: "6\tx\r\n\\.\n"},
		{sql: text, input: "6\tx\n\\.x\n"},
		{sql: text, input: "6\tx\n\\."},
		{sql: text, input: "6\tx\n7\ty\\\n"},
		{sql: text, input: "8\tescaped \\\nnewline\n"},
		{sql: csv, input: "10,\"quoted\r\nbreak\"\r\n11,x\r\n"},
		{sql: csv, input: "12,\"one\ntwo\nthree\"\n13,x\nbad,y\n"},
		{sql: csv, input: "14,\"cr\rinside\"\r15,y\r"},
		{sql: csv, input: "16,x\r\n17,y\n"},
		{sql: csv, input: "18,x\n\\.\n19,ignored\n"},
		{sql: csv, input: "20,x\r\n\\.\r\n"},
		{sql: csv, input: "21,\"\\.\"\n\\.\n"},
		{sql: csv, input: "22,x\n\"\\.\"\n"},
		{sql: csv, input: "\\.x,y\n"},
		{sql: csv, input: "23,\"\xc3\"\n"},
		{sql: text, input: "24\t" + strings.Repeat("x", 150) + "\n25\t" + strings.Repeat("é", 60) + "\tz\n"},
		{sql: "SELECT a, b FROM le ORDER BY a"},
	})
}

// TestCopyGeneratedAndDefaults: COPY FROM computes GENERATED ALWAYS AS
// (...) STORED columns as INSERT does, and fills the columns it does not
// name with their defaults (serial, identity, DEFAULT); generated columns
// are left out of a COPY without a column list and refused in one.
func TestCopyGeneratedAndDefaults(t *testing.T) {
	srvs := servers(t)
	compareSteps(t, srvs, []step{
		{sql: "DROP TABLE IF EXISTS cg"},
		{sql: "CREATE TABLE cg (id serial, a int, b text DEFAULT 'dflt', c int GENERATED ALWAYS AS (a * 2) STORED, " +
			"d text GENERATED ALWAYS AS (upper(b)) STORED, e bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 50 INCREMENT BY 5))"},
		{sql: "COPY cg (a) FROM STDIN", input: "1\n\\N\n3\n"},
		{sql: "COPY cg (a, b) FROM STDIN (FORMAT csv)", input: "4,four\n5,\n"},
		{sql: "COPY cg FROM STDIN", input: "10\t6\tsix\t600\n"},
		{sql: "COPY cg (a, c) FROM STDIN", input: "7\t14\n"},
		{sql: "COPY cg (d) FROM STDIN", input: "x\n"},
		{sql: "SELECT id, a, b, c, d, e FROM cg ORDER BY id"},
		{sql: "COPY cg TO STDOUT"},
		{sql: "COPY cg (a, c) TO STDOUT"},
		{sql: "COPY cg (a, b, e) TO STDOUT"},
	})
}
