package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// syncBuffer is an io.Writer the test can read while run writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

var listenLine = regexp.MustCompile(`^prkdb-sql listening on (\S+) \(data (.+)\) — connect: psql -h \S+ -p \d+ -U postgres\n$`)

// served is a server run by startServe.
type served struct {
	addr           string
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc // what SIGTERM does in main
	exit           chan int
}

// startServe runs the server with args and env until the test ends, and
// waits for its listening line.
func startServe(t *testing.T, args []string, env map[string]string) *served {
	t.Helper()
	s := &served{stdout: &syncBuffer{}, stderr: &syncBuffer{}, exit: make(chan int, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	done := make(chan struct{})
	go func() {
		code := run(ctx, args, envMap(env), s.stdout, s.stderr)
		s.exit <- code
		close(done)
	}()
	// Stop it before the test's temporary directories are removed.
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("run did not stop at the end of the test")
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for s.addr == "" {
		select {
		case code := <-s.exit:
			t.Fatalf("run exited early with %d; stderr:\n%s", code, s.stderr.String())
		default:
		}
		if m := listenLine.FindStringSubmatch(s.stdout.String()); m != nil {
			s.addr = m[1]
			if want := env["PRKDB_DATA_DIR"]; want != "" && m[2] != want {
				t.Errorf("listening line names data %q, want %q", m[2], want)
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("no listening line; stdout %q, stderr %q", s.stdout.String(), s.stderr.String())
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}
	return s
}

// stop cancels the run and returns its exit status.
func (s *served) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.exit:
		return code
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop after the signal")
		return -1
	}
}

// TestServeAndStop: run serves, a client connects, and cancelling the
// context (what SIGTERM does in main) stops it with status 0. Settings
// come from the environment here, to cover that path.
func TestServeAndStop(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // created by run
	s := startServe(t, []string{"serve", "--log-level", "warn"},
		map[string]string{"PRKDB_LISTEN": "127.0.0.1:0", "PRKDB_DATA_DIR": dir, "PRKDB_SYNC": "off"})
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("data directory not created: %v", err)
	}

	conn, err := pgx.Connect(context.Background(), "postgres://postgres@"+s.addr+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())

	if code := s.stop(t); code != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", code, s.stderr.String())
	}
	if n := strings.Count(s.stdout.String(), "\n"); n != 1 {
		t.Errorf("stdout has %d lines, want 1: %q", n, s.stdout.String())
	}
	if err := conn.Ping(context.Background()); err == nil {
		t.Errorf("connection still usable after shutdown")
	}
}

// TestPortInUse: one line on stderr, non-zero status, nothing on stdout.
func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr syncBuffer
	code := run(context.Background(), []string{"--listen", ln.Addr().String(), "--data-dir", t.TempDir(), "--sync", "off"},
		envMap(nil), &stdout, &stderr)
	if code == 0 {
		t.Fatal("exit status 0 with the port in use")
	}
	if n := strings.Count(stderr.String(), "\n"); n != 1 || !strings.Contains(stderr.String(), "address already in use") {
		t.Errorf("stderr %q: want one line saying the address is in use", stderr.String())
	}
	if stdout.String() != "" {
		t.Errorf("stdout %q, want nothing", stdout.String())
	}
}

// TestUnusableDataDir: a data directory that is a file.
func TestUnusableDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr syncBuffer
	code := run(context.Background(), []string{"--listen", "127.0.0.1:0", "--data-dir", file}, envMap(nil), &stdout, &stderr)
	if code == 0 {
		t.Fatal("exit status 0 with a file as data directory")
	}
	if !strings.HasPrefix(stderr.String(), "prkdb-sql: data directory: ") {
		t.Errorf("stderr %q", stderr.String())
	}
}

func TestBadUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--sync", "sometimes"}, nil, `--sync must be fsync or off, not "sometimes"`},
		{nil, map[string]string{"PRKDB_LOG_LEVEL": "loud"}, `--log-level must be debug, info, warn or error, not "loud"`},
		{[]string{"frobnicate"}, nil, `unknown command "frobnicate"`},
		{[]string{"serve", "extra"}, nil, `unexpected argument "extra"`},
		{[]string{"--auth", "ident"}, nil, `--auth must be trust, password, md5 or scram-sha-256, not "ident"`},
		{nil, map[string]string{"PRKDB_AUTH": "peer"}, `--auth must be trust, password, md5 or scram-sha-256, not "peer"`},
		{[]string{"--tls-cert", "server.crt"}, nil, `--tls-cert and --tls-key go together`},
		{[]string{"--tls-required"}, nil, `--tls-required needs --tls-cert and --tls-key`},
		{nil, map[string]string{"PRKDB_TLS_REQUIRED": "sometimes"}, `PRKDB_TLS_REQUIRED must be true or false, not "sometimes"`},
	} {
		var stdout, stderr syncBuffer
		code := run(context.Background(), tc.args, envMap(tc.env), &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q %v: status %d, stderr %q; want %d and %q", tc.args, tc.env, code, stderr.String(), exitUsage, tc.want)
		}
	}
}

// TestServeTLS: --tls-cert/--tls-key (here from the environment) serve
// SSL; --tls-required refuses plain connections with FATAL 28000.
func TestServeTLS(t *testing.T) {
	certFile, keyFile := writeTestCert(t)
	s := startServe(t, []string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--sync", "off", "--log-level", "warn",
		"--tls-required", "--auth", "trust"},
		map[string]string{"PRKDB_TLS_CERT": certFile, "PRKDB_TLS_KEY": keyFile})
	ctx := context.Background()
	addr := s.addr
	conn, err := pgx.Connect(ctx, "postgres://postgres@"+addr+"/postgres?sslmode=require")
	if err != nil {
		t.Fatalf("sslmode=require: %v", err)
	}
	if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
		t.Error("sslmode=require: not a TLS connection")
	}
	conn.Close(ctx)
	_, err = pgx.Connect(ctx, "postgres://postgres@"+addr+"/postgres?sslmode=disable")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "28000" {
		t.Errorf("sslmode=disable against --tls-required: %v", err)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit status %d; stderr:\n%s", code, s.stderr.String())
	}

	// A certificate that does not load: one line, status 1.
	var out, errOut syncBuffer
	code := run(context.Background(), []string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(),
		"--tls-cert", keyFile, "--tls-key", keyFile}, envMap(nil), &out, &errOut)
	if code != exitError || !strings.HasPrefix(errOut.String(), "prkdb-sql: TLS certificate: ") {
		t.Errorf("bad certificate: status %d, stderr %q", code, errOut.String())
	}
}

// writeTestCert writes a self-signed certificate and its key as PEM files.
func writeTestCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
