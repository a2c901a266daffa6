package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/lib/pq"

	"github.com/prkdb/prkdb-sql/pgwire"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// server is a prkdb-sql engine with two pgwire servers on it: admin (trust
// on loopback, the default) to set roles up as postgres, and the server
// under test with its own authentication and TLS settings.
type server struct {
	admin *pgx.Conn
	host  string
	port  string
	cert  *testCert // nil without TLS
}

type serverOpts struct {
	auth        string
	tls         bool
	tlsRequired bool
	// tlsNoBinding serves the certificate through GetCertificate, so the
	// server cannot know it in advance and offers no channel binding.
	tlsNoBinding bool
	// listen is the address of the server under test (default 127.0.0.1:0).
	listen string
}

func startServer(t *testing.T, o serverOpts) *server {
	t.Helper()
	base := prkdbtest.Start(t, prkdbtest.Options{})
	lg := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := pgwire.Config{Engine: base.Engine, Logger: lg, Auth: o.auth, TLSRequired: o.tlsRequired}
	s := &server{}
	if o.tls {
		s.cert = newTestCert(t)
		cfg.TLS = s.cert.config
		if o.tlsNoBinding {
			pair := s.cert.config.Certificates[0]
			cfg.TLS = &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return &pair, nil }}
		}
	}
	srv, err := pgwire.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	listen := o.listen
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	s.host, s.port, _ = net.SplitHostPort(ln.Addr().String())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.admin, err = pgx.Connect(ctx, base.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.admin.Close(context.Background()) })
	return s
}

// exec runs statements as postgres on the admin connection.
func (s *server) exec(t *testing.T, sqls ...string) {
	t.Helper()
	for _, q := range sqls {
		if _, err := s.admin.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// url is a connection URL to the server under test.
func (s *server) url(user, password, db string, params ...string) string {
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(s.host, s.port), Path: "/" + db}
	if password != "" {
		u.User = url.UserPassword(user, password)
	} else {
		u.User = url.User(user)
	}
	q := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// pgxConnect connects with pgx and returns the session's current_user.
func pgxConnect(t *testing.T, dsn string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer c.Close(context.Background())
	var u string
	err = c.QueryRow(ctx, "SELECT current_user").Scan(&u)
	return u, err
}

// pqConnect connects with lib/pq and returns the session's current_user.
func pqConnect(t *testing.T, dsn string) (string, error) {
	t.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return "", err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var u string
	err = db.QueryRowContext(ctx, "SELECT current_user").Scan(&u)
	return u, err
}

// sqlstate of a pgx or lib/pq error, with its message.
func sqlstate(err error) (code, msg string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code, pe.Message
	}
	var qe *pq.Error
	if errors.As(err, &qe) {
		return string(qe.Code), qe.Message
	}
	return "", fmt.Sprint(err)
}

// client is one driver: its name and how it connects.
type client struct {
	name    string
	connect func(t *testing.T, dsn string) (string, error)
}

var clients = []client{{"pgx", pgxConnect}, {"lib/pq", pqConnect}}

// wantLogin: both drivers log in as user.
func wantLogin(t *testing.T, dsn, user string) {
	t.Helper()
	for _, c := range clients {
		got, err := c.connect(t, dsn)
		if err != nil || got != user {
			t.Errorf("%s %s: current_user %q, err %v; want %q", c.name, dsn, got, err, user)
		}
	}
}

// wantRefused: both drivers are refused with code and message.
func wantRefused(t *testing.T, dsn, code, msg string) {
	t.Helper()
	for _, c := range clients {
		_, err := c.connect(t, dsn)
		gotCode, gotMsg := sqlstate(err)
		if gotCode != code || gotMsg != msg {
			t.Errorf("%s %s: got %s %q (%v); want %s %q", c.name, dsn, gotCode, gotMsg, err, code, msg)
		}
	}
}

// testCert is a self-signed certificate for 127.0.0.1 and localhost, in PEM
// files (for psql and lib/pq) and as a tls.Config.
type testCert struct {
	certFile, keyFile string
	config            *tls.Config
	pool              *x509.CertPool
}

func newTestCert(t *testing.T) *testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tc := &testCert{certFile: filepath.Join(dir, "server.crt"), keyFile: filepath.Join(dir, "server.key")}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	if err := os.WriteFile(tc.certFile, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tc.keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	tc.config = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	tc.pool = x509.NewCertPool()
	tc.pool.AppendCertsFromPEM(certPEM)
	return tc
}

// findPsql returns psql, or skips.
func findPsql(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("psql"); err == nil {
		return p
	}
	const debian = "/usr/lib/postgresql/15/bin/psql"
	if _, err := os.Stat(debian); err == nil {
		return debian
	}
	t.Skip("no psql on PATH nor at " + debian)
	return ""
}

// runPsql runs psql -c query against the server under test with the given
// libpq environment (PGPASSWORD, PGSSLMODE...), never prompting for a
// password, and returns its combined output and error.
func (s *server) runPsql(t *testing.T, user, db, query string, env ...string) (string, error) {
	t.Helper()
	psql := findPsql(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, psql, "-X", "-w", "-A", "-t", "-h", s.host, "-p", s.port, "-U", user, "-d", db, "-c", query)
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "PG") || strings.HasPrefix(name, "LC_") || name == "LANG" || name == "PSQLRC" {
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	// No ~/.postgresql/root.crt or ~/.pgpass of the host's user: HOME elsewhere.
	cmd.Env = append(cmd.Env, "LC_ALL=C", "PGCONNECT_TIMEOUT=10", "HOME="+t.TempDir())
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}
