package syscat_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// TestExpressionDefinitionsMatchPostgres creates the same defaults, CHECK
// constraints and views on both servers and compares how the catalog
// prints them back: pg_get_expr (plain and pretty), pg_get_constraintdef,
// pg_get_viewdef, information_schema's column_default, check_clause and
// view_definition.
func TestExpressionDefinitionsMatchPostgres(t *testing.T) {
	ddl := []string{
		`CREATE TABLE t_expr (a int DEFAULT -1, b bigint DEFAULT 5, c numeric(10,2) DEFAULT 0 CHECK (c > 0),
			d text DEFAULT 'x' CHECK (d <> ''), e varchar(10) DEFAULT 'y', f float8 DEFAULT 1.5,
			g date DEFAULT '2020-01-01', h timestamptz DEFAULT current_timestamp, i boolean DEFAULT true,
			j numeric DEFAULT 1.5, k int DEFAULT 2+3, l text DEFAULT upper('a'), m int CHECK (m BETWEEN 1 AND 10),
			n int, o bigint CHECK (o > -5), p timestamp DEFAULT now(), q int[] DEFAULT '{1,2}', r text DEFAULT NULL,
			s numeric CHECK (s >= 0.5), t int DEFAULT (-1), u jsonb DEFAULT '{}', v uuid DEFAULT gen_random_uuid(),
			w float4 DEFAULT 0, x int CHECK (x IN (1, 2, 3)), y text CHECK (length(y) < 5),
			z text DEFAULT 'it''s', aa int DEFAULT 2 * 3 + 1, ab text DEFAULT 'a' || 'b', ac boolean DEFAULT (NOT false),
			ad varchar(5) DEFAULT 'q' CHECK (ad <> 'zz'), ae bigint DEFAULT 5000000000, af numeric DEFAULT -2.5,
			ag text DEFAULT lower(upper('x')), ah int DEFAULT abs(-3), ai text CHECK (ai IS NOT NULL),
			CONSTRAINT multi CHECK (m IS NOT NULL AND n > a OR b < 3), CONSTRAINT likes CHECK (y LIKE 'a%'),
			CONSTRAINT notin CHECK (x NOT IN (4, 5)), CONSTRAINT arith CHECK (a + b * 2 > c - 1))`,
		`CREATE TABLE t_base (id int PRIMARY KEY, label text, amount numeric(10,2), ref int)`,
		`CREATE VIEW v1 AS SELECT id, ref AS cid, amount * 2 AS dbl, upper(label) FROM t_base WHERE amount > 10 AND label <> 'x' ORDER BY id LIMIT 5`,
		`CREATE VIEW v2 AS SELECT b.id, o.label FROM t_base b JOIN t_base o ON o.id = b.ref WHERE b.label = 'paid'`,
		`CREATE VIEW v3 AS SELECT label, count(*) AS n FROM t_base GROUP BY label HAVING count(*) > 1`,
		`CREATE VIEW v4 AS SELECT b.* FROM t_base b, t_base c WHERE c.id = b.ref`,
		`CREATE VIEW v5 AS SELECT CASE WHEN amount > 0 THEN 'pos' ELSE 'neg' END AS sign, coalesce(label, '') AS label FROM t_base`,
		`CREATE VIEW v6 AS SELECT * FROM t_base`,
	}
	queries := []string{
		`SELECT a.attname, pg_get_expr(d.adbin, d.adrelid), pg_get_expr(d.adbin, d.adrelid, true)
		 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
		 WHERE d.adrelid = 't_expr'::regclass ORDER BY a.attnum`,
		`SELECT conname, pg_get_constraintdef(oid), pg_get_constraintdef(oid, true) FROM pg_constraint
		 WHERE conrelid = 't_expr'::regclass AND contype = 'c' ORDER BY conname`,
		`SELECT column_name, column_default FROM information_schema.columns WHERE table_name = 't_expr' ORDER BY ordinal_position`,
		`SELECT constraint_name, check_clause FROM information_schema.check_constraints
		 WHERE constraint_name NOT LIKE '%not_null' AND constraint_schema = 'public' ORDER BY 1`,
		`SELECT c.relname, pg_get_viewdef(c.oid), pg_get_viewdef(c.oid, true) FROM pg_class c
		 WHERE c.relkind = 'v' AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'public') ORDER BY 1`,
		`SELECT table_name, view_definition, is_updatable FROM information_schema.views WHERE table_schema = 'public' ORDER BY 1`,
		`SELECT viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY 1`,
	}
	ctx := context.Background()
	oracle := pgoracle.Start(t)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	conns := map[string]*pgx.Conn{}
	for name, dsn := range map[string]string{"postgres": oracle, "prkdb": srv.DSN} {
		freshDB(t, dsn, "syscat_deparse")
		c, err := pgx.Connect(ctx, dsnFor(t, dsn, "syscat_deparse"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		for _, s := range ddl {
			if _, err := c.Exec(ctx, s); err != nil {
				t.Fatalf("%s: %s: %v", name, s, err)
			}
		}
		conns[name] = c
	}
	dump := func(c *pgx.Conn, q string) string {
		rows, err := c.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			return "ERROR: " + err.Error()
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			for i, v := range rows.RawValues() {
				if i > 0 {
					b.WriteString(" | ")
				}
				if v == nil {
					b.WriteString("<NULL>")
				} else {
					b.WriteString(string(v))
				}
			}
			b.WriteString("\n")
		}
		if err := rows.Err(); err != nil {
			return "ERROR: " + err.Error()
		}
		return b.String()
	}
	for _, q := range queries {
		want, got := dump(conns["postgres"], q), dump(conns["prkdb"], q)
		if want != got {
			wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
			var diff []string
			for i := 0; i < len(wl) || i < len(gl); i++ {
				var a, b string
				if i < len(wl) {
					a = wl[i]
				}
				if i < len(gl) {
					b = gl[i]
				}
				if a != b {
					diff = append(diff, "- "+a+"\n+ "+b)
				}
			}
			t.Errorf("%s\ndiffers (- postgres, + prkdb):\n%s", q, strings.Join(diff, "\n"))
		}
	}
}
