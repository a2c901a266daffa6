package auth_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// connTLS connects with pgx and reports whether the socket is TLS.
func connTLS(t *testing.T, dsn string) (bool, error) {
	t.Helper()
	c, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		return false, err
	}
	defer c.Close(context.Background())
	_, isTLS := c.PgConn().Conn().(*tls.Conn)
	var one int
	err = c.QueryRow(context.Background(), "SELECT 1").Scan(&one)
	return isTLS, err
}

// TestTLS: SSLRequest is answered 'S' and the connection upgraded, for
// pgx, lib/pq and psql, with and without certificate verification and
// channel binding (SCRAM-SHA-256-PLUS); plain connections still work.
func TestTLS(t *testing.T) {
	s := startServer(t, serverOpts{auth: "scram-sha-256", tls: true})
	s.exec(t, `CREATE ROLE alice LOGIN PASSWORD '`+alicePW+`'`)
	for _, params := range [][]string{
		{"sslmode", "require"},
		{"sslmode", "prefer"},
		{"sslmode", "verify-full", "sslrootcert", s.cert.certFile},
		{"sslmode", "require", "channel_binding", "require"},
		{"sslmode", "require", "channel_binding", "disable"},
	} {
		dsn := s.url("alice", alicePW, "postgres", params...)
		isTLS, err := connTLS(t, dsn)
		if err != nil || !isTLS {
			t.Errorf("pgx %v: TLS %v, err %v", params, isTLS, err)
		}
	}
	isTLS, err := connTLS(t, s.url("alice", alicePW, "postgres", "sslmode", "disable"))
	if err != nil || isTLS {
		t.Errorf("pgx sslmode=disable: TLS %v, err %v", isTLS, err)
	}
	// A wrong password over a bound channel is still a wrong password.
	_, err = connTLS(t, s.url("alice", "wrong", "postgres", "sslmode", "require", "channel_binding", "require"))
	if code, _ := sqlstate(err); code != "28P01" {
		t.Errorf("pgx channel_binding=require, wrong password: %v", err)
	}

	for _, mode := range []string{"require", "verify-full"} {
		params := []string{"sslmode", mode}
		if mode == "verify-full" {
			params = append(params, "sslrootcert", s.cert.certFile)
		}
		if u, err := pqConnect(t, s.url("alice", alicePW, "postgres", params...)); err != nil || u != "alice" {
			t.Errorf("lib/pq sslmode=%s: %q %v", mode, u, err)
		}
	}
	if _, err := pqConnect(t, s.url("alice", "wrong", "postgres", "sslmode", "require")); err == nil {
		t.Error("lib/pq over TLS with a wrong password logged in")
	}

	for _, env := range [][]string{
		{"PGSSLMODE=require"},
		{"PGSSLMODE=verify-full", "PGSSLROOTCERT=" + s.cert.certFile},
		{"PGSSLMODE=require", "PGCHANNELBINDING=require"},
	} {
		out, err := s.runPsql(t, "alice", "postgres", "SELECT current_user", append(env, "PGPASSWORD="+alicePW)...)
		if err != nil || out != "alice" {
			t.Errorf("psql %v: %q %v", env, out, err)
		}
	}
	// psql's \conninfo says whether the connection is SSL.
	out, err := s.runPsql(t, "alice", "postgres", `\conninfo`, "PGSSLMODE=require", "PGPASSWORD="+alicePW)
	if err != nil || !strings.Contains(out, "SSL connection (protocol: TLSv1.3") {
		t.Errorf("psql \\conninfo over TLS: %q %v", out, err)
	}
	out, err = s.runPsql(t, "alice", "postgres", "SELECT 1", "PGSSLMODE=require", "PGPASSWORD=wrong")
	if err == nil || !strings.Contains(out, `password authentication failed for user "alice"`) {
		t.Errorf("psql over TLS with a wrong password: %q %v", out, err)
	}
}

// TestTLSWithoutChannelBinding: when the server cannot know its
// certificate in advance it offers SCRAM-SHA-256 only: clients that
// require channel binding refuse it, the others log in (gs2 flag "y").
func TestTLSWithoutChannelBinding(t *testing.T) {
	s := startServer(t, serverOpts{auth: "scram-sha-256", tls: true, tlsNoBinding: true})
	s.exec(t, `CREATE ROLE alice LOGIN PASSWORD 'pw'`)
	isTLS, err := connTLS(t, s.url("alice", "pw", "postgres", "sslmode", "require"))
	if err != nil || !isTLS {
		t.Errorf("sslmode=require: TLS %v, err %v", isTLS, err)
	}
	if _, err := connTLS(t, s.url("alice", "pw", "postgres", "sslmode", "require", "channel_binding", "require")); err == nil ||
		!strings.Contains(err.Error(), "SCRAM-SHA-256-PLUS") {
		t.Errorf("channel_binding=require without binding on offer: %v", err)
	}
	out, err := s.runPsql(t, "alice", "postgres", "SELECT current_user", "PGSSLMODE=require", "PGPASSWORD=pw")
	if err != nil || out != "alice" {
		t.Errorf("psql (gs2 flag y): %q %v", out, err)
	}
	out, err = s.runPsql(t, "alice", "postgres", "SELECT 1", "PGSSLMODE=require", "PGPASSWORD=pw", "PGCHANNELBINDING=require")
	if err == nil || !strings.Contains(out, "channel binding") {
		t.Errorf("psql channel_binding=require without binding on offer: %q %v", out, err)
	}
}

// TestTLSNotConfigured: without a certificate SSLRequest gets 'N':
// sslmode=prefer goes on in plain text, sslmode=require gives up.
func TestTLSNotConfigured(t *testing.T) {
	s := startServer(t, serverOpts{auth: "trust"})
	isTLS, err := connTLS(t, s.url("postgres", "", "postgres", "sslmode", "prefer"))
	if err != nil || isTLS {
		t.Errorf("sslmode=prefer: TLS %v, err %v", isTLS, err)
	}
	if _, err := connTLS(t, s.url("postgres", "", "postgres", "sslmode", "require")); err == nil ||
		!strings.Contains(err.Error(), "server refused TLS connection") {
		t.Errorf("sslmode=require without TLS: %v", err)
	}
	// Channel binding is impossible without TLS.
	if _, err := connTLS(t, s.url("postgres", "", "postgres", "sslmode", "disable", "channel_binding", "require")); err == nil {
		t.Error("channel_binding=require without TLS connected")
	}
}

// TestTLSRequired: plain connections are refused with FATAL 28000 after
// their startup message; TLS ones are served.
func TestTLSRequired(t *testing.T) {
	s := startServer(t, serverOpts{auth: "scram-sha-256", tls: true, tlsRequired: true})
	s.exec(t, `CREATE ROLE alice LOGIN PASSWORD 'pw'`)
	wantRefused(t, s.url("alice", "pw", "postgres", "sslmode", "disable"), "28000",
		`SSL connection is required: refusing host "127.0.0.1", user "alice", database "postgres", no encryption`)
	wantLogin(t, s.url("alice", "pw", "postgres", "sslmode", "require"), "alice")
	out, err := s.runPsql(t, "alice", "postgres", "SELECT 1", "PGSSLMODE=disable", "PGPASSWORD=pw")
	if err == nil || !strings.Contains(out, "FATAL:  SSL connection is required") {
		t.Errorf("psql sslmode=disable against --tls-required: %q %v", out, err)
	}
	// sslmode=prefer (libpq's default) just works.
	out, err = s.runPsql(t, "alice", "postgres", "SELECT current_user", "PGPASSWORD=pw")
	if err != nil || out != "alice" {
		t.Errorf("psql sslmode=prefer against --tls-required: %q %v", out, err)
	}
}
