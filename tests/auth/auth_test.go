package auth_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Passwords: one that SASLprep leaves alone, one it changes (NFKC turns
// the full-width letters into ASCII ones, and the verifier is made from
// that, as PostgreSQL does). libpq applies SASLprep too; pgx uses the
// PRECIS OpaqueString profile (NFC, no width mapping) and lib/pq the raw
// bytes, so they cannot log in with bobPW against PostgreSQL either: only
// psql uses it here.
const (
	alicePW = "s3cret é pass"
	bobPW   = "ｐｗ１２"
)

// TestSCRAM: SCRAM-SHA-256 with pgx and lib/pq, and every way to fail,
// with PostgreSQL 15's answers (checked by hand against a PostgreSQL 15
// with scram-sha-256 in pg_hba.conf: an unknown role, a role without a
// password and an expired one all get the wrong-password message).
func TestSCRAM(t *testing.T) {
	s := startServer(t, serverOpts{auth: "scram-sha-256"})
	s.exec(t,
		`CREATE ROLE alice LOGIN PASSWORD '`+alicePW+`'`,
		`CREATE ROLE nologin PASSWORD 'pw'`,
		`CREATE ROLE nopw LOGIN`,
		`CREATE ROLE expired LOGIN PASSWORD 'pw' VALID UNTIL '2001-01-01 00:00:00+00'`,
		`CREATE ROLE future LOGIN PASSWORD 'pw' VALID UNTIL 'infinity'`,
		`CREATE ROLE md5only LOGIN PASSWORD 'md5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'`,
	)
	wantLogin(t, s.url("alice", alicePW, "postgres"), "alice")
	wantLogin(t, s.url("future", "pw", "postgres"), "future")
	failed := func(u string) string { return `password authentication failed for user "` + u + `"` }
	wantRefused(t, s.url("alice", "wrong", "postgres"), "28P01", failed("alice"))
	wantRefused(t, s.url("ghost", "pw", "postgres"), "28P01", failed("ghost"))
	wantRefused(t, s.url("nopw", "pw", "postgres"), "28P01", failed("nopw"))
	wantRefused(t, s.url("expired", "pw", "postgres"), "28P01", failed("expired"))
	wantRefused(t, s.url("md5only", "pw", "postgres"), "28P01", failed("md5only"))
	// The password is checked first, then LOGIN, then the database.
	wantRefused(t, s.url("nologin", "pw", "postgres"), "28000", `role "nologin" is not permitted to log in`)
	wantRefused(t, s.url("alice", alicePW, "nodb"), "3D000", `database "nodb" does not exist`)
	wantRefused(t, s.url("alice", alicePW, "template0"), "55000", `database "template0" is not currently accepting connections`)
	wantLogin(t, s.url("alice", alicePW, "template1"), "alice")
	// The superuser has no password: refused too (pgx sends an empty one).
	_, err := pgxConnect(t, s.url("postgres", "", "postgres"))
	if code, msg := sqlstate(err); code != "28P01" || msg != failed("postgres") {
		t.Errorf("postgres without a password: %s %q (%v)", code, msg, err)
	}
	// A password change applies to the next login.
	s.exec(t, `ALTER ROLE alice PASSWORD 'new one'`)
	wantRefused(t, s.url("alice", alicePW, "postgres"), "28P01", failed("alice"))
	wantLogin(t, s.url("alice", "new one", "postgres"), "alice")
}

// TestMD5: the md5 method uses the MD5 challenge for roles stored with an
// MD5 hash and SCRAM for the others, as PostgreSQL does.
func TestMD5(t *testing.T) {
	s := startServer(t, serverOpts{auth: "md5"})
	s.exec(t,
		`SET password_encryption = 'md5'`,
		`CREATE ROLE m5 LOGIN PASSWORD 'md5 pw'`,
		`RESET password_encryption`,
		`CREATE ROLE sc LOGIN PASSWORD 'scram pw'`,
	)
	var stored string
	if err := s.admin.QueryRow(context.Background(), `SELECT rolpassword FROM pg_authid WHERE rolname = 'm5'`).Scan(&stored); err != nil || !strings.HasPrefix(stored, "md5") {
		t.Fatalf("m5's password: %q %v", stored, err)
	}
	wantLogin(t, s.url("m5", "md5 pw", "postgres"), "m5")
	wantLogin(t, s.url("sc", "scram pw", "postgres"), "sc")
	wantRefused(t, s.url("m5", "wrong", "postgres"), "28P01", `password authentication failed for user "m5"`)
	wantRefused(t, s.url("sc", "wrong", "postgres"), "28P01", `password authentication failed for user "sc"`)
	wantRefused(t, s.url("ghost", "x", "postgres"), "28P01", `password authentication failed for user "ghost"`)
	// Renaming clears an MD5 password (it is salted with the name).
	s.exec(t, `ALTER ROLE m5 RENAME TO m6`)
	wantRefused(t, s.url("m6", "md5 pw", "postgres"), "28P01", `password authentication failed for user "m6"`)
}

// TestCleartext: the password method, against SCRAM and MD5 verifiers.
func TestCleartext(t *testing.T) {
	s := startServer(t, serverOpts{auth: "password"})
	s.exec(t,
		`CREATE ROLE sc LOGIN PASSWORD 'scram pw'`,
		`SET password_encryption = 'md5'`,
		`CREATE ROLE m5 LOGIN PASSWORD 'md5 pw'`,
	)
	wantLogin(t, s.url("sc", "scram pw", "postgres"), "sc")
	wantLogin(t, s.url("m5", "md5 pw", "postgres"), "m5")
	wantRefused(t, s.url("sc", "wrong", "postgres"), "28P01", `password authentication failed for user "sc"`)
	wantRefused(t, s.url("m5", "wrong", "postgres"), "28P01", `password authentication failed for user "m5"`)
	wantRefused(t, s.url("ghost", "x", "postgres"), "28P01", `password authentication failed for user "ghost"`)
}

// TestPsqlSCRAM: psql (libpq) with PGPASSWORD, right and wrong, and with
// a password SASLprep normalises.
func TestPsqlSCRAM(t *testing.T) {
	s := startServer(t, serverOpts{auth: "scram-sha-256"})
	s.exec(t, `CREATE ROLE alice LOGIN PASSWORD '`+alicePW+`'`, `CREATE ROLE bob LOGIN PASSWORD '`+bobPW+`'`)
	out, err := s.runPsql(t, "alice", "postgres", "SELECT current_user", "PGPASSWORD="+alicePW)
	if err != nil || out != "alice" {
		t.Errorf("psql with the right password: %q %v", out, err)
	}
	out, err = s.runPsql(t, "bob", "postgres", "SELECT current_user", "PGPASSWORD="+bobPW)
	if err != nil || out != "bob" {
		t.Errorf("psql with a SASLprep'd password: %q %v", out, err)
	}
	out, err = s.runPsql(t, "alice", "postgres", "SELECT current_user", "PGPASSWORD=wrong")
	if err == nil || !strings.Contains(out, `FATAL:  password authentication failed for user "alice"`) {
		t.Errorf("psql with a wrong password: %q %v", out, err)
	}
	// Without a password psql (-w) gives up after AuthenticationSASL.
	out, err = s.runPsql(t, "alice", "postgres", "SELECT 1")
	if err == nil || !strings.Contains(out, "no password supplied") {
		t.Errorf("psql without a password: %q %v", out, err)
	}
}

// TestConnectionLimit: CONNECTION LIMIT n admits n sessions of the role at
// once (53300 for one more); superusers are exempt.
func TestConnectionLimit(t *testing.T) {
	s := startServer(t, serverOpts{auth: "trust"})
	s.exec(t, `CREATE ROLE lim LOGIN CONNECTION LIMIT 1`, `CREATE ROLE zero LOGIN CONNECTION LIMIT 0`,
		`ALTER ROLE postgres CONNECTION LIMIT 0`)
	ctx := context.Background()
	c1, err := pgx.Connect(ctx, s.url("lim", "", "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	wantRefused(t, s.url("lim", "", "postgres"), "53300", `too many connections for role "lim"`)
	wantRefused(t, s.url("zero", "", "postgres"), "53300", `too many connections for role "zero"`)
	wantLogin(t, s.url("postgres", "", "postgres"), "postgres")
	c1.Close(ctx)
	// The slot is free once the server has closed the session.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := pgxConnect(t, s.url("lim", "", "postgres"))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lim cannot log in again after closing its session: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.exec(t, `ALTER ROLE lim CONNECTION LIMIT -1`)
	var conns []*pgx.Conn
	for range 3 {
		c, err := pgx.Connect(ctx, s.url("lim", "", "postgres"))
		if err != nil {
			t.Fatalf("unlimited role: %v", err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Close(ctx)
	}
}

// TestNoLoginUnderTrust: LOGIN and the role's existence are checked under
// trust too (FATAL 28000), after AuthenticationOk as in PostgreSQL.
func TestNoLoginUnderTrust(t *testing.T) {
	s := startServer(t, serverOpts{auth: "trust"})
	s.exec(t, `CREATE ROLE grp`)
	wantRefused(t, s.url("grp", "", "postgres"), "28000", `role "grp" is not permitted to log in`)
	wantRefused(t, s.url("ghost", "", "postgres"), "28000", `role "ghost" does not exist`)
}

// TestDefaultAuthRule: with Config.Auth unset, a loopback listener is
// trust; any other address is trust until some role has a password, and
// SCRAM-SHA-256 from then on.
func TestDefaultAuthRule(t *testing.T) {
	ip := nonLoopbackIP()
	if ip == nil {
		t.Skip("this host has no non-loopback IPv4 address to listen on")
	}
	s := startServer(t, serverOpts{listen: net.JoinHostPort(ip.String(), "0")})
	wantLogin(t, s.url("postgres", "", "postgres"), "postgres")
	s.exec(t, `CREATE ROLE alice LOGIN PASSWORD 'pw'`)
	_, err := pgxConnect(t, s.url("postgres", "", "postgres"))
	if code, _ := sqlstate(err); code != "28P01" {
		t.Errorf("postgres without a password once passwords exist: %v", err)
	}
	wantLogin(t, s.url("alice", "pw", "postgres"), "alice")
	// The admin connection (loopback) is still trust: it just reconnects.
	if _, err := s.admin.Exec(context.Background(), `ALTER ROLE alice PASSWORD NULL`); err != nil {
		t.Fatal(err)
	}
	wantLogin(t, s.url("postgres", "", "postgres"), "postgres")
}

func nonLoopbackIP() net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			ln, err := net.Listen("tcp", net.JoinHostPort(n.IP.String(), "0"))
			if err != nil {
				continue
			}
			ln.Close()
			return n.IP
		}
	}
	return nil
}
