// Command difftest compares the answers of two PostgreSQL-protocol servers
// (prkdb-sql and PostgreSQL 15) to thousands of generated queries over a
// small schema with NULLs, duplicates, negative numbers and mixed-case text:
//
//	go run ./tests/bench/difftest -a postgres://postgres@127.0.0.1:5450/postgres \
//	    -b postgres://postgres@127.0.0.1:5451/postgres -n 3000 -seed 1
//
// Templates: the query shapes of gen.go, and (gen2.go) "dml": INSERT /
// UPDATE / DELETE with RETURNING, ON CONFLICT and constraint violations on
// t5, each run in a transaction that is rolled back, comparing the
// RETURNING rows, command tag, SQLSTATE and the table's contents after;
// "cast2": text to every scalar type and back; "builtin": built-in
// functions and operators over literals. -only picks templates by name,
// -tz sets the session TimeZone on both (e.g. America/New_York).
//
// Both servers are loaded with schema.sql first. Result sets are compared
// order-insensitively unless the generator made the order total; values
// that parse as floats are compared after rounding to 10 significant
// digits; errors are compared by SQLSTATE. Mismatches are printed with both
// answers. This is a tool, not a test: it asserts nothing.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

//go:embed schema.sql
var schemaSQL string

func main() {
	dsnA := flag.String("a", "postgres://postgres@127.0.0.1:5450/postgres", "first server (prkdb-sql)")
	dsnB := flag.String("b", "postgres://postgres@127.0.0.1:5451/postgres", "second server (PostgreSQL 15)")
	n := flag.Int("n", 2000, "queries to generate")
	seed := flag.Int64("seed", 1, "generator seed")
	only := flag.String("only", "", "only templates whose name contains this")
	load := flag.Bool("load", true, "load schema.sql into both servers first")
	tz := flag.String("tz", "UTC", "session TimeZone on both servers")
	flag.Parse()
	ctx := context.Background()
	a, b := connect(ctx, *dsnA, *tz), connect(ctx, *dsnB, *tz)
	if *load {
		for _, c := range []*pgx.Conn{a, b} {
			if _, err := c.Exec(ctx, schemaSQL); err != nil {
				fmt.Fprintln(os.Stderr, "load:", err)
				os.Exit(1)
			}
		}
	}
	g := &gen{r: rand.New(rand.NewSource(*seed))}
	seen := map[string]bool{}
	compared, mismatched := 0, 0
	for i := 0; i < *n; i++ {
		name, q, ordered := g.query()
		if *only != "" && !strings.Contains(name, *only) || seen[q] {
			continue
		}
		seen[q] = true
		var ra, rb result
		if name == "dml" {
			dump := dmlTables[ordered2table(q)]
			ra, rb = runDML(ctx, a, q, dump), runDML(ctx, b, q, dump)
			ordered = true
		} else {
			ra, rb = run(ctx, a, q), run(ctx, b, q)
		}
		compared++
		if !same(ra, rb, ordered) && !known(rb) {
			mismatched++
			fmt.Printf("-- MISMATCH [%s]\n%s;\n-- prkdb: %s\n-- pg15:  %s\n\n", name, q, ra.show(), rb.show())
		}
	}
	fmt.Printf("compared %d, mismatched %d\n", compared, mismatched)
}

func connect(ctx context.Context, dsn, tz string) *pgx.Conn {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if _, err := c.Exec(ctx, "SET TimeZone = '"+tz+"'; SET DateStyle = 'ISO, MDY'; SET extra_float_digits = 1; SET statement_timeout = '5s'"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	return c
}

type result struct {
	state string
	msg   string
	rows  []string
}

func (r result) show() string {
	if r.state != "" {
		return "ERROR " + r.state + " " + r.msg
	}
	if len(r.rows) > 12 {
		return fmt.Sprintf("%d rows %q ...", len(r.rows), r.rows[:12])
	}
	return fmt.Sprintf("%d rows %q", len(r.rows), r.rows)
}

func run(ctx context.Context, c *pgx.Conn, q string) result {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	rows, err := c.Query(ctx, q)
	var res result
	if err == nil {
		for rows.Next() {
			raw := rows.RawValues()
			cells := make([]string, len(raw))
			for i, v := range raw {
				if v == nil {
					cells[i] = "NULL"
				} else {
					cells[i] = norm(string(v))
				}
			}
			res.rows = append(res.rows, strings.Join(cells, " | "))
		}
		rows.Close()
		err = rows.Err()
		if err == nil && !strings.HasPrefix(q, "SELECT") && !strings.HasPrefix(q, "WITH") {
			res.rows = append(res.rows, "TAG "+rows.CommandTag().String())
		}
	}
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			res.state, res.msg = pe.Code, pe.Message
		} else {
			res.state, res.msg = "CLIENT", err.Error()
		}
		res.rows = nil
	}
	return res
}

// norm rounds a float-looking value to 10 significant digits.
func norm(s string) string {
	if !strings.ContainsAny(s, ".eE") || strings.ContainsAny(s, " :-{[\"") && !strings.HasPrefix(s, "-") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(f, 'g', 10, 64)
}

func same(a, b result, ordered bool) bool {
	if a.state != "" || b.state != "" {
		return a.state == b.state
	}
	if len(a.rows) != len(b.rows) {
		return false
	}
	x, y := a.rows, b.rows
	if !ordered {
		x, y = append([]string(nil), x...), append([]string(nil), y...)
		sort.Strings(x)
		sort.Strings(y)
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// knownPG lists PostgreSQL errors whose difference is already reported;
// mismatches where PostgreSQL gives them are not printed again.
var knownPG = []string{"could not determine polymorphic type", "function lead(", "function lag("}

func known(pg result) bool {
	for _, k := range knownPG {
		if pg.state != "" && strings.Contains(pg.msg, k) {
			return true
		}
	}
	return false
}

// ordered2table names the table a DML statement from qDML changes.
func ordered2table(q string) string {
	for _, t := range []string{"t1", "t2"} {
		if strings.HasPrefix(q, "DELETE FROM "+t+" ") || strings.HasPrefix(q, "UPDATE "+t+" ") {
			return t
		}
	}
	return "t5"
}

// runDML runs a data-modifying statement in a transaction, dumps the table
// it changed, and rolls back so that both servers stay identical. The
// RETURNING rows and command tag are sorted (their order is unspecified),
// then the ordered dump follows a separator.
func runDML(ctx context.Context, c *pgx.Conn, q, dump string) result {
	if _, err := c.Exec(ctx, "BEGIN"); err != nil {
		return result{state: "CLIENT", msg: err.Error()}
	}
	defer c.Exec(ctx, "ROLLBACK")
	r := run(ctx, c, q)
	if r.state != "" {
		return r
	}
	sort.Strings(r.rows)
	d := run(ctx, c, dump)
	r.rows = append(append(r.rows, "--"), d.rows...)
	if d.state != "" {
		r.rows = append(r.rows, "ERROR "+d.state)
	}
	return r
}
