package syscat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// These tests run the catalog queries real clients send (psql's \d family,
// GORM's migrator, pgx's type loading: testdata/*_catalog_queries.sql,
// captured from a PostgreSQL 15 server), and queries over the catalogs'
// contents (testdata/catalog_contents.sql), against prkdb-sql and against
// PostgreSQL 15 with the same schema, and compare the answers as text.
// Only OIDs may differ: every OID of a relation, schema, constraint,
// role or database is replaced by the object's name before comparing.
//
// knownDifferences lists the queries that do not match yet, with the
// reason; they are reported (and skipped), the others must match.

func TestMain(m *testing.M) { os.Exit(pgoracle.RunTests(m)) }

// schemaSQL is created on both servers.
var schemaSQL = []string{
	`CREATE SCHEMA extra`,
	`CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name varchar(100) DEFAULT 'anon',
		created_at timestamptz NOT NULL DEFAULT now())`,
	`CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id),
		amount numeric(10,2) DEFAULT 0, status text CHECK (status IN ('new', 'paid')), note text)`,
	`CREATE UNIQUE INDEX orders_cust_note_uq ON orders (customer_id, note)`,
	`CREATE INDEX orders_status_idx ON orders (status)`,
	`CREATE INDEX orders_lower_note_idx ON orders (lower(note), (amount + 1))`,
	`CREATE UNIQUE INDEX orders_new_uq ON orders (note) WHERE status = 'new'`,
	`CREATE VIEW paid_orders AS SELECT * FROM orders WHERE status = 'paid'`,
	`CREATE SEQUENCE extra_seq`,
	`CREATE TABLE extra.things (a int, b text DEFAULT 'x', c boolean)`,
	`CREATE TABLE t2 (a int, b text, c int) WITH (fillfactor=70)`,
	`ALTER TABLE t2 DROP COLUMN b`,
	`CREATE INDEX t2_a ON t2 (a DESC, c)`,
	// A table made by CREATE TABLE AS: its columns' types (typmods kept,
	// unknown as text) and options as \d shows them.
	`CREATE TABLE order_totals WITH (fillfactor=80) AS SELECT customer_id, amount * 2 AS total,
		note::varchar(20) AS note, 'x' AS tag, amount FROM orders`,
	// A materialized view with a unique index, and one never populated.
	`CREATE MATERIALIZED VIEW order_summary AS SELECT customer_id, count(*) AS n, sum(amount) AS total
		FROM orders GROUP BY customer_id`,
	`CREATE UNIQUE INDEX order_summary_cust ON order_summary (customer_id)`,
	`CREATE MATERIALIZED VIEW pending_mv AS SELECT id, note FROM orders WHERE status = 'new' WITH NO DATA`,
	`COMMENT ON TABLE customers IS 'people who order'`,
	`COMMENT ON COLUMN customers.email IS 'where receipts go'`,
}

const testDB = "syscat_cmp"

// knownDifferences: query name -> why prkdb-sql's answer differs.
var knownDifferences = map[string]string{
	`psql \l+`:      "database sizes are estimates from the live data, not PostgreSQL's on-disk sizes",
	`psql \dC`:      "pg_cast is empty: the casts are sql/types' code, not catalog rows",
	`psql \dconfig`: "pg_settings shows this server's settings; the oracle's come from its postgresql.conf",
}

type entry struct {
	name   string
	sql    string
	params []any
	ext    bool // extended protocol (params given)
}

func loadEntries(t *testing.T, file string) []entry {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	var cur *entry
	var body []string
	flush := func() {
		if cur != nil {
			cur.sql = strings.TrimSpace(strings.Join(body, "\n"))
			out = append(out, *cur)
		}
		cur, body = nil, nil
	}
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "-- name: "):
			flush()
			cur = &entry{name: strings.TrimPrefix(line, "-- name: ")}
		case cur != nil && strings.HasPrefix(line, "-- params: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "-- params: ")), &cur.params); err != nil {
				t.Fatalf("%s: params: %v", cur.name, err)
			}
			cur.ext = true
		case cur != nil:
			body = append(body, line)
		}
	}
	flush()
	return out
}

// server is one side of the comparison: a connection to the test
// database and the names of its objects' OIDs.
type server struct {
	name   string
	dsn    string
	conn   *pgx.Conn
	relOID map[string]uint32
	names  map[uint32]string
}

func freshDB(t *testing.T, dsn, db string) string {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database = db
	return cfg.ConnString()
}

func dsnFor(t *testing.T, dsn, db string) string {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u := fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, db)
	return u
}

func setupServer(t *testing.T, name, dsn string) *server {
	ctx := context.Background()
	freshDB(t, dsn, testDB)
	dbDSN := dsnFor(t, dsn, testDB)
	c, err := pgx.Connect(ctx, dbDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	for _, s := range schemaSQL {
		if _, err := c.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %s: %v", name, s, err)
		}
	}
	s := &server{name: name, dsn: dbDSN, conn: c, relOID: map[string]uint32{}, names: map[uint32]string{}}
	for _, q := range []struct{ sql, prefix string }{
		{`SELECT oid, relname FROM pg_catalog.pg_class`, "rel:"},
		{`SELECT oid, nspname FROM pg_catalog.pg_namespace`, "nsp:"},
		{`SELECT oid, conname FROM pg_catalog.pg_constraint`, "con:"},
		{`SELECT oid, rolname FROM pg_catalog.pg_roles`, "role:"},
		{`SELECT oid, datname FROM pg_catalog.pg_database`, "db:"},
		{`SELECT oid, adrelid::pg_catalog.text || '.' || adnum FROM pg_catalog.pg_attrdef`, "def:"},
	} {
		rows, err := c.Query(ctx, q.sql, pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			t.Fatalf("%s: %s: %v", name, q.sql, err)
		}
		for rows.Next() {
			var o uint32
			var n string
			if err := rows.Scan(&o, &n); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if q.prefix == "rel:" {
				s.relOID[n] = o
			}
			// Objects whose OIDs the two servers assign differently: the
			// user's (and information_schema, plpgsql ...) from 13000 on,
			// schemas from public's 2200 on. Smaller OIDs are the same on
			// both (and would clash with ordinary numbers).
			if o >= 13000 || q.prefix == "nsp:" && o >= 2200 {
				s.names[o] = q.prefix + n
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %s: %v", name, q.sql, err)
		}
	}
	return s
}

var placeholder = regexp.MustCompile(`\{\{oid ([a-z_]+)\}\}`)

// result is a statement's answer as text: column names, rows (NULL as
// "<NULL>"), or the error.
type result struct {
	cols []string
	rows [][]string
	err  string
}

func (s *server) run(ctx context.Context, e entry) result {
	q := placeholder.ReplaceAllStringFunc(e.sql, func(m string) string {
		return strconv.FormatUint(uint64(s.relOID[placeholder.FindStringSubmatch(m)[1]]), 10)
	})
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	pc := s.conn.PgConn()
	var res *pgconn.Result
	if e.ext {
		params := make([][]byte, len(e.params))
		for i, p := range e.params {
			v := fmt.Sprint(p)
			if v == "{{db}}" {
				v = testDB
			}
			params[i] = []byte(v)
		}
		res = pc.ExecParams(ctx, q, params, nil, nil, nil).Read()
	} else {
		all, err := pc.Exec(ctx, q).ReadAll()
		if err != nil {
			return result{err: errText(err)}
		}
		if len(all) == 0 {
			return result{}
		}
		res = all[len(all)-1]
	}
	if res.Err != nil {
		return result{err: errText(res.Err)}
	}
	var r result
	for _, f := range res.FieldDescriptions {
		r.cols = append(r.cols, f.Name)
	}
	for _, row := range res.Rows {
		var out []string
		for _, v := range row {
			if v == nil {
				out = append(out, "<NULL>")
			} else {
				out = append(out, s.normalize(string(v)))
			}
		}
		r.rows = append(r.rows, out)
	}
	return r
}

func errText(err error) string {
	if pe, ok := err.(*pgconn.PgError); ok {
		return "ERROR " + pe.Code + ": " + pe.Message
	}
	return "ERROR: " + err.Error()
}

var number = regexp.MustCompile(`\d{4,}`)

// normalize replaces the OIDs of named objects by their names: a whole
// value that is an OID, and OIDs inside names such as
// 2200_16451_1_not_null.
func (s *server) normalize(v string) string {
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		if name, ok := s.names[uint32(n)]; ok {
			return name
		}
		return v
	}
	return number.ReplaceAllStringFunc(v, func(m string) string {
		if n, err := strconv.ParseUint(m, 10, 32); err == nil {
			if name, ok := s.names[uint32(n)]; ok {
				return "<" + name + ">"
			}
		}
		return m
	})
}

func (r result) String() string {
	if r.err != "" {
		return r.err
	}
	var b strings.Builder
	b.WriteString(strings.Join(r.cols, " | ") + "\n")
	for _, row := range r.rows {
		b.WriteString(strings.Join(row, " | ") + "\n")
	}
	return b.String()
}

// compare reports "" when the answers are the same, else what differs.
// Rows are compared in order when the statement orders them, as a
// multiset otherwise.
func compare(e entry, want, got result) string {
	if want.err != "" || got.err != "" {
		if want.err == got.err {
			return ""
		}
		return fmt.Sprintf("postgres: %s\nprkdb:    %s", firstLine(want.String()), firstLine(got.String()))
	}
	if strings.Join(want.cols, "|") != strings.Join(got.cols, "|") {
		return fmt.Sprintf("columns differ:\npostgres: %v\nprkdb:    %v", want.cols, got.cols)
	}
	ordered := regexp.MustCompile(`(?is)order by [^)]*$`).MatchString(e.sql)
	w, g := want.rows, got.rows
	if !ordered {
		w, g = sortedRows(w), sortedRows(g)
	}
	var diff []string
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = strings.Join(w[i], " | ")
		}
		if i < len(g) {
			b = strings.Join(g[i], " | ")
		}
		if a != b {
			diff = append(diff, fmt.Sprintf("row %d:\n  postgres: %s\n  prkdb:    %s", i+1, a, b))
		}
	}
	if len(diff) > 8 {
		diff = append(diff[:8], fmt.Sprintf("... (%d rows differ; postgres %d rows, prkdb %d rows)", len(diff), len(w), len(g)))
	}
	return strings.Join(diff, "\n")
}

func sortedRows(rows [][]string) [][]string {
	out := append([][]string(nil), rows...)
	sort.Slice(out, func(i, j int) bool { return strings.Join(out[i], "\x00") < strings.Join(out[j], "\x00") })
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func startBoth(t *testing.T) (pg, prk *server) {
	oracle := pgoracle.Start(t)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	return setupServer(t, "postgres", oracle), setupServer(t, "prkdb", srv.DSN)
}

// TestClientCatalogQueries compares every captured catalog query.
func TestClientCatalogQueries(t *testing.T) {
	pg, prk := startBoth(t)
	ctx := context.Background()
	var matched, total int
	var report []string
	for _, file := range []string{"testdata/psql_catalog_queries.sql", "testdata/clients_catalog_queries.sql", "testdata/catalog_contents.sql"} {
		for _, e := range loadEntries(t, file) {
			e := e
			total++
			want, got := pg.run(ctx, e), prk.run(ctx, e)
			d := compare(e, want, got)
			if d == "" {
				matched++
				report = append(report, "MATCH  "+e.name)
			} else {
				report = append(report, "DIFFER "+e.name)
			}
			t.Run(e.name, func(t *testing.T) {
				reason, known := knownDifferences[e.name]
				switch {
				case d == "" && known:
					t.Logf("now matches PostgreSQL 15: remove %q from knownDifferences", e.name)
				case d == "":
				case known:
					t.Skipf("known difference (%s):\n%s", reason, d)
				default:
					t.Errorf("answer differs from PostgreSQL 15's:\n%s\n--- postgres:\n%s--- prkdb:\n%s", d, want, got)
				}
			})
		}
	}
	t.Logf("%d of %d client catalog queries answer as PostgreSQL 15 does:\n%s", matched, total, strings.Join(report, "\n"))
}

// psqlCommands are meta-commands whose whole output is compared.
var psqlCommands = []string{
	`\dt`, `\d`, `\di`, `\ds`, `\dv`, `\dn`, `\du`, `\l`, `\d customers`, `\d orders`, `\d paid_orders`,
	`\d+ paid_orders`, `\d orders_status_idx`, `\d extra.things`, `\dt extra.*`, `\dx`, `\db`, `\dT`, `\df`,
	`\d+ customers`, `\d+ orders`, `\d+ extra.things`, `\d order_totals`, `\d+ order_totals`,
	// Several commands in one psql run (one -c each): expanded display,
	// \timing (its "Time:" figures masked: the one thing that must differ),
	// \c to another database.
	"\\x\nSELECT 1 AS id, 'ann@example.com' AS email, NULL AS name UNION ALL SELECT 2, 'bo@example.com', 'Bo'",
	"\\x\n\\d customers",
	"\\timing on\nSELECT count(*) FROM orders",
	"\\c postgres\nSELECT current_database()",
}

// psqlTime is a \timing line's figure.
var psqlTime = regexp.MustCompile(`(?m)^Time: [0-9.]+ ms$`)

// knownPsqlDifferences: meta-command -> why its output differs.
var knownPsqlDifferences = map[string]string{}

// TestPsqlDescribeCommands runs psql's meta-commands on both servers and
// compares their output (no OIDs are printed).
func TestPsqlDescribeCommands(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql not installed")
	}
	pg, prk := startBoth(t)
	var matched int
	for _, cmd := range psqlCommands {
		cmd := cmd
		run := func(s *server) string {
			args := []string{"-X", "-d", s.dsn}
			for _, c := range strings.Split(cmd, "\n") {
				args = append(args, "-c", c)
			}
			out, _ := exec.Command(psql, args...).CombinedOutput()
			return psqlTime.ReplaceAllString(string(out), "Time: (masked) ms")
		}
		want, got := run(pg), run(prk)
		if want == got {
			matched++
		}
		t.Run(cmd, func(t *testing.T) {
			reason, known := knownPsqlDifferences[cmd]
			switch {
			case want == got && known:
				t.Logf("now matches PostgreSQL 15: remove %q from knownPsqlDifferences", cmd)
			case want == got:
			case known:
				t.Skipf("known difference (%s):\n--- postgres:\n%s--- prkdb:\n%s", reason, want, got)
			default:
				t.Errorf("psql -c %q differs:\n--- postgres:\n%s--- prkdb:\n%s", cmd, want, got)
			}
		})
	}
	t.Logf("%d of %d psql meta-commands print the same as against PostgreSQL 15", matched, len(psqlCommands))
}
