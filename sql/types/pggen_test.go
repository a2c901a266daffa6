package types

// TestRegenerateGolden asks a live PostgreSQL 15 for the expected results
// in testdata/*.txt and rewrites their last column. It runs only with
// PRKDB_PG_DSN set, e.g.
//
//	runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D /tmp/pg
//	runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/pg \
//	    -o "-p 54329 -k /tmp -c listen_addresses=''" start
//	PRKDB_PG_DSN='host=/tmp port=54329 user=postgres' \
//	    go test ./sql/types -run TestRegenerateGolden
//
// Review the diff of testdata/ afterwards: it is PostgreSQL's behaviour.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestRegenerateGolden(t *testing.T) {
	dsn := os.Getenv("PRKDB_PG_DSN")
	if dsn == "" {
		t.Skip("PRKDB_PG_DSN not set: golden files are replayed, not regenerated")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	g := &pgGen{t: t, ctx: ctx, conn: conn}
	g.genIO()
	g.genCast()
	g.genOps()
	g.genOrder()
	g.genLike()
	g.genTypeNames()
}

// genTypeNames: a type spelling -> format_type, typname, typlen,
// typcategory and atttypmod of a column declared with it.
func (g *pgGen) genTypeNames() {
	cases := readGolden(g.t, "typenames.txt")
	g.settings("-")
	for i := range cases {
		c := &cases[i]
		if c.fields == nil {
			continue
		}
		g.exec("DROP TABLE IF EXISTS pg_temp.tn")
		if _, err := g.conn.Exec(g.ctx, "CREATE TEMP TABLE tn (c "+c.fields[0]+")"); err != nil {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				g.t.Fatal(err)
			}
			c.result = "err " + pe.Code + " " + strconv.Quote(pe.Message)
			continue
		}
		text, _, e := g.query(`SELECT format_type(a.atttypid, a.atttypmod) || ' | ' || t.typname::text || ' | ' || t.typlen::text || ' | ' || t.typcategory::text || ' | ' || a.atttypmod::text
			FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = 'pg_temp.tn'::regclass AND a.attname = 'c'`, 0)
		if e != "" {
			g.t.Fatal(e)
		}
		c.result = string(text)
	}
	writeGolden(g.t, "typenames.txt", cases)
}

type pgGen struct {
	t    *testing.T
	ctx  context.Context
	conn *pgx.Conn
	cur  string
}

func sqlLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (g *pgGen) settings(spec string) {
	if spec == g.cur {
		return
	}
	g.cur = spec
	stmts := []string{"RESET ALL", "SET TimeZone = 'UTC'"}
	if spec != "-" {
		for _, kv := range strings.Split(spec, ";") {
			k, v, _ := strings.Cut(kv, "=")
			name := map[string]string{"tz": "TimeZone", "ds": "DateStyle", "is": "IntervalStyle", "efd": "extra_float_digits"}[k]
			stmts = append(stmts, fmt.Sprintf("SET %s = %s", name, sqlLit(v)))
		}
	}
	for _, s := range stmts {
		if _, err := g.conn.Exec(g.ctx, s); err != nil {
			g.t.Fatalf("%s: %v", s, err)
		}
	}
}

// query runs sql and returns the first column of the first row in the
// given format, its type OID, or the error formatted for the golden file.
func (g *pgGen) query(sql string, format int16) ([]byte, uint32, string) {
	rr := g.conn.PgConn().ExecParams(g.ctx, sql, nil, nil, nil, []int16{format})
	var val []byte
	var oid uint32
	got := false
	for rr.NextRow() {
		if !got {
			v := rr.Values()[0]
			if v != nil {
				val = append([]byte{}, v...)
			} else {
				val = nil
			}
			oid = rr.FieldDescriptions()[0].DataTypeOID
			got = true
		}
	}
	if _, err := rr.Close(); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return nil, 0, "err " + pe.Code + " " + strconv.Quote(pe.Message)
		}
		g.t.Fatalf("%s: %v", sql, err)
	}
	if val == nil {
		return nil, oid, "null"
	}
	return val, oid, ""
}

func (g *pgGen) exec(sql string) {
	if _, err := g.conn.Exec(g.ctx, sql); err != nil {
		g.t.Fatalf("%s: %v", sql, err)
	}
}

// genIO: settings, type, input -> text output and binary output.
func (g *pgGen) genIO() {
	cases := readGolden(g.t, "io.txt")
	for i := range cases {
		c := &cases[i]
		if c.fields == nil {
			continue
		}
		g.settings(c.fields[0])
		typ, in := c.fields[1], unquote(g.t, c.fields[2])
		g.exec("DROP TABLE IF EXISTS pg_temp.g")
		g.exec("CREATE TEMP TABLE g (c " + typ + ")")
		ins := "INSERT INTO g VALUES (" + sqlLit(in) + ") RETURNING c"
		text, _, e := g.query(ins, 0)
		if e != "" {
			c.result = e
			continue
		}
		bin, _, e := g.query(ins, 1)
		if e != "" {
			g.t.Fatalf("binary: %s", e)
		}
		c.result = okText(string(text)) + " " + hexOrDash(bin)
	}
	writeGolden(g.t, "io.txt", cases)
}

// genCast: settings, from type, input, to type, context (e|a) -> result.
func (g *pgGen) genCast() {
	cases := readGolden(g.t, "cast.txt")
	for i := range cases {
		c := &cases[i]
		if c.fields == nil {
			continue
		}
		g.settings(c.fields[0])
		from, in, to, ctxt := c.fields[1], unquote(g.t, c.fields[2]), c.fields[3], c.fields[4]
		src := "CAST(" + sqlLit(in) + " AS " + from + ")"
		var text []byte
		var e string
		if ctxt == "e" {
			text, _, e = g.query("SELECT CAST("+src+" AS "+to+")", 0)
		} else {
			g.exec("DROP TABLE IF EXISTS pg_temp.g")
			g.exec("CREATE TEMP TABLE g (c " + to + ")")
			text, _, e = g.query("INSERT INTO g SELECT "+src+" RETURNING c", 0)
		}
		if e != "" {
			c.result = e
		} else {
			c.result = okText(string(text))
		}
	}
	writeGolden(g.t, "cast.txt", cases)
}

// genOps: settings, left type, left, operator, right type, right -> type and text.
// A unary operator has "-" as its left type.
func (g *pgGen) genOps() {
	cases := readGolden(g.t, "ops.txt")
	for i := range cases {
		c := &cases[i]
		if c.fields == nil {
			continue
		}
		g.settings(c.fields[0])
		lt, l, op, rt, r := c.fields[1], unquote(g.t, c.fields[2]), c.fields[3], c.fields[4], unquote(g.t, c.fields[5])
		right := "CAST(" + sqlLit(r) + " AS " + rt + ")"
		expr := op + " " + right
		if lt != "-" {
			expr = "CAST(" + sqlLit(l) + " AS " + lt + ") " + op + " " + right
		}
		text, oid, e := g.query("SELECT "+expr, 0)
		if e != "" {
			c.result = e
			continue
		}
		var tname []byte
		tname, _, _ = g.query(fmt.Sprintf("SELECT format_type(%d, NULL)", oid), 0)
		c.result = "ok " + string(tname) + " " + strconv.Quote(string(text))
	}
	writeGolden(g.t, "ops.txt", cases)
}

// genOrder: type and a list of values -> their dense ranks under ORDER BY.
func (g *pgGen) genOrder() {
	cases := readGolden(g.t, "order.txt")
	g.settings("-")
	for i := range cases {
		c := &cases[i]
		if c.fields == nil {
			continue
		}
		typ := c.fields[0]
		vals := splitQuoted(g.t, c.fields[1])
		var rows []string
		for k, v := range vals {
			rows = append(rows, fmt.Sprintf("(%d, CAST(%s AS %s))", k, sqlLit(v), typ))
		}
		sql := "SELECT string_agg(r::text, ' ' ORDER BY i) FROM (SELECT i, dense_rank() OVER (ORDER BY v) AS r FROM (VALUES " +
			strings.Join(rows, ",") + ") t(i, v)) s"
		text, _, e := g.query(sql, 0)
		if e != "" {
			c.result = e
		} else {
			c.result = string(text)
		}
	}
	writeGolden(g.t, "order.txt", cases)
}

// genLike: string, pattern, operator (LIKE|ILIKE), escape ("" = default) -> t/f or error.
func (g *pgGen) genLike() {
	cases := readGolden(g.t, "like.txt")
	g.settings("-")
	for i := range cases {
		c := &cases[i]
		if c.fields == nil {
			continue
		}
		s, pat, op, esc := unquote(g.t, c.fields[0]), unquote(g.t, c.fields[1]), c.fields[2], unquote(g.t, c.fields[3])
		sql := "SELECT " + sqlLit(s) + " " + op + " " + sqlLit(pat)
		if c.fields[3] != `"default"` {
			sql += " ESCAPE " + sqlLit(esc)
		}
		text, _, e := g.query(sql, 0)
		if e != "" {
			c.result = e
		} else {
			c.result = string(text)
		}
	}
	writeGolden(g.t, "like.txt", cases)
}

// splitQuoted splits a space-separated list of Go-quoted strings.
func splitQuoted(t testing.TB, s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			t.Fatalf("bad list %q: %v", s, err)
		}
		out = append(out, unquote(t, q))
		s = s[len(q):]
	}
	return out
}
