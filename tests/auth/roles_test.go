package auth_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// roleStep is one statement run as one role, and what it must answer.
type roleStep struct {
	as, sql string
}

// roleScript exercises who may create, alter, rename and drop which roles
// (PostgreSQL 15's user.c rules): run against PostgreSQL and prkdb-sql,
// every step must answer the same (success, or SQLSTATE and message).
// Names start with authcmp_ (roles are cluster-wide on the oracle).
var roleScript = []roleStep{
	{"postgres", `CREATE ROLE authcmp_cr CREATEROLE LOGIN`},
	{"postgres", `CREATE ROLE authcmp_plain LOGIN PASSWORD 'p'`},
	{"postgres", `CREATE ROLE authcmp_su SUPERUSER`},
	{"postgres", `CREATE ROLE authcmp_rep REPLICATION`},
	{"postgres", `CREATE ROLE authcmp_cr`},

	{"authcmp_cr", `CREATE ROLE authcmp_x SUPERUSER`},
	{"authcmp_cr", `CREATE ROLE authcmp_x REPLICATION`},
	{"authcmp_cr", `CREATE ROLE authcmp_x BYPASSRLS`},
	{"authcmp_cr", `CREATE ROLE authcmp_x LOGIN CREATEDB PASSWORD 'x'`},
	{"authcmp_cr", `ALTER ROLE authcmp_su LOGIN`},
	{"authcmp_cr", `ALTER ROLE authcmp_rep LOGIN`},
	{"authcmp_cr", `ALTER ROLE authcmp_x BYPASSRLS`},
	{"authcmp_cr", `ALTER ROLE authcmp_x SUPERUSER`},
	{"authcmp_cr", `ALTER ROLE authcmp_x NOREPLICATION`},
	{"authcmp_cr", `ALTER ROLE authcmp_x CONNECTION LIMIT 3 VALID UNTIL 'infinity'`},
	{"authcmp_cr", `ALTER ROLE authcmp_x PASSWORD 'y'`},
	{"authcmp_cr", `ALTER ROLE authcmp_x RENAME TO authcmp_y`},
	{"authcmp_cr", `ALTER ROLE authcmp_su RENAME TO authcmp_z`},
	{"authcmp_cr", `ALTER ROLE authcmp_cr RENAME TO authcmp_z`},
	{"authcmp_cr", `ALTER ROLE authcmp_y RENAME TO authcmp_plain`},
	{"authcmp_cr", `DROP ROLE authcmp_su`},
	{"authcmp_cr", `DROP ROLE authcmp_cr`},
	{"authcmp_cr", `DROP ROLE IF EXISTS authcmp_nobody`},

	{"authcmp_plain", `CREATE ROLE authcmp_z`},
	{"authcmp_plain", `ALTER ROLE authcmp_y LOGIN`},
	{"authcmp_plain", `ALTER ROLE authcmp_y PASSWORD 'a'`},
	{"authcmp_plain", `ALTER ROLE authcmp_plain PASSWORD 'b'`},
	{"authcmp_plain", `ALTER ROLE CURRENT_USER PASSWORD 'c'`},
	{"authcmp_plain", `ALTER USER SESSION_USER PASSWORD NULL`},
	{"authcmp_plain", `ALTER ROLE authcmp_plain LOGIN`},
	{"authcmp_plain", `ALTER ROLE authcmp_plain CONNECTION LIMIT 1`},
	{"authcmp_plain", `ALTER ROLE authcmp_plain`},
	{"authcmp_plain", `ALTER ROLE authcmp_su PASSWORD 'x'`},
	{"authcmp_plain", `ALTER ROLE authcmp_y RENAME TO authcmp_z`},
	{"authcmp_plain", `ALTER ROLE authcmp_su RENAME TO authcmp_z`},
	{"authcmp_plain", `DROP ROLE authcmp_y`},
	{"authcmp_plain", `DROP ROLE IF EXISTS authcmp_nobody`},

	{"authcmp_cr", `DROP ROLE authcmp_y`},
	{"postgres", `ALTER ROLE authcmp_su RENAME TO authcmp_su2`},
	{"postgres", `DROP ROLE authcmp_su2, authcmp_rep, authcmp_plain, authcmp_cr`},
}

// roleCleanup runs first and last, as postgres, errors ignored.
const roleCleanup = `DROP ROLE IF EXISTS authcmp_cr, authcmp_plain, authcmp_su, authcmp_su2, authcmp_rep, authcmp_x, authcmp_y, authcmp_z`

// runRoleScript runs the script against the server of dsn (trust for
// every role on loopback) and returns one line per step.
func runRoleScript(t *testing.T, dsn string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conns := map[string]*pgx.Conn{}
	conn := func(user string) *pgx.Conn {
		if c := conns[user]; c != nil {
			return c
		}
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.User(user)
		c, err := pgx.Connect(ctx, u.String())
		if err != nil {
			t.Fatalf("connect as %s: %v", user, err)
		}
		conns[user] = c
		return c
	}
	defer func() {
		conn("postgres").Exec(ctx, roleCleanup)
		for _, c := range conns {
			c.Close(context.Background())
		}
	}()
	conn("postgres").Exec(ctx, roleCleanup)
	var out []string
	for _, st := range roleScript {
		_, err := conn(st.as).Exec(ctx, st.sql)
		res := "ok"
		if err != nil {
			code, msg := sqlstate(err)
			res = code + " " + msg
		}
		out = append(out, fmt.Sprintf("%-14s %-70s -> %s", st.as, st.sql, res))
	}
	return out
}

// TestRolePrivilegesMatchPostgres runs roleScript on PostgreSQL 15 and on
// prkdb-sql: same answers.
func TestRolePrivilegesMatchPostgres(t *testing.T) {
	pgDSN := pgoracle.Start(t)
	want := runRoleScript(t, pgDSN)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	got := runRoleScript(t, srv.DSN)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("\nPostgreSQL: %s\nprkdb-sql:  %s", want[i], got[i])
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("PostgreSQL's answers:\n%s", strings.Join(want, "\n"))
	}
}
