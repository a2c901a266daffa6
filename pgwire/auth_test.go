package pgwire

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/password"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Wire-level tests of authentication: the SASL exchange message by
// message, and PostgreSQL 15's answers to malformed SCRAM messages
// (auth-scram.c). Real clients are exercised in tests/auth.

// authClient is a raw protocol client.
type authClient struct {
	t  *testing.T
	nc net.Conn
	fe *pgproto3.Frontend
}

func dialAuth(t *testing.T, ts *testServer, user string) *authClient {
	t.Helper()
	nc, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { nc.Close() })
	c := &authClient{t: t, nc: nc, fe: pgproto3.NewFrontend(nc, nc)}
	c.fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": user, "database": "postgres"}})
	if err := c.fe.Flush(); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *authClient) recv() pgproto3.BackendMessage {
	c.t.Helper()
	m, err := c.fe.Receive()
	if err != nil {
		c.t.Fatalf("receive: %v", err)
	}
	return m
}

// raw sends a 'p' message with body b.
func (c *authClient) raw(b []byte) {
	c.t.Helper()
	msg := append([]byte{'p', 0, 0, 0, 0}, b...)
	binary.BigEndian.PutUint32(msg[1:], uint32(len(b)+4))
	if _, err := c.nc.Write(msg); err != nil {
		c.t.Fatal(err)
	}
}

// initial sends a SASLInitialResponse.
func (c *authClient) initial(mech, data string) {
	b := append([]byte(mech), 0, 0, 0, 0, 0)
	binary.BigEndian.PutUint32(b[len(mech)+1:], uint32(len(data)))
	c.raw(append(b, data...))
}

// wantError reads until an ErrorResponse and checks it.
func (c *authClient) wantError(code, msg, detail string) {
	c.t.Helper()
	for {
		switch m := c.recv().(type) {
		case *pgproto3.ErrorResponse:
			if m.Severity != "FATAL" || m.Code != code || m.Message != msg || m.Detail != detail {
				c.t.Errorf("got %s %s %q (%q), want FATAL %s %q (%q)", m.Severity, m.Code, m.Message, m.Detail, code, msg, detail)
			}
			return
		case *pgproto3.AuthenticationOk, *pgproto3.ReadyForQuery:
			c.t.Fatalf("got %T, want an error %s %q", m, code, msg)
		}
	}
}

// scramClient computes the client side of one exchange.
type scramClient struct {
	gs2, bare, nonce string
	serverFirst      string
	salted           []byte
}

func newSCRAMClient(gs2 string) *scramClient {
	return &scramClient{gs2: gs2, nonce: "rOprNGfwEbeRWgbNEkqO", bare: "n=,r=rOprNGfwEbeRWgbNEkqO"}
}

func (sc *scramClient) first() string { return sc.gs2 + sc.bare }

// final answers server-first with password pw; cbind is the c= value.
func (sc *scramClient) final(t *testing.T, serverFirst, pw, cbind string) (msg, wantServerSig string) {
	t.Helper()
	sc.serverFirst = serverFirst
	parts := strings.Split(serverFirst, ",")
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "r="+sc.nonce) || len(parts[0]) <= 2+len(sc.nonce) {
		t.Fatalf("server-first-message %q", serverFirst)
	}
	salt, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(parts[1], "s="))
	if err != nil || parts[2] != "i=4096" {
		t.Fatalf("server-first-message %q", serverFirst)
	}
	sc.salted = password.SaltedPassword(pw, salt, 4096)
	withoutProof := "c=" + cbind + "," + parts[0]
	authMessage := []byte(sc.bare + "," + serverFirst + "," + withoutProof)
	clientKey := password.HMAC(sc.salted, []byte("Client Key"))
	storedKey := sha256.Sum256(clientKey)
	sig := password.HMAC(storedKey[:], authMessage)
	proof := make([]byte, len(sig))
	for i := range sig {
		proof[i] = clientKey[i] ^ sig[i]
	}
	serverSig := password.HMAC(password.HMAC(sc.salted, []byte("Server Key")), authMessage)
	return withoutProof + ",p=" + base64.StdEncoding.EncodeToString(proof), "v=" + base64.StdEncoding.EncodeToString(serverSig)
}

func scramServer(t *testing.T) *testServer {
	ts := startServer(t, Config{Auth: "scram"})
	if _, perr := execAdmin(ts, `CREATE ROLE alice LOGIN PASSWORD 'pw'`); perr != nil {
		t.Fatal(perr)
	}
	return ts
}

// execAdmin runs SQL as postgres straight on the engine.
func execAdmin(ts *testServer, q string) (string, error) {
	sess, perr := ts.eng.NewSession(sql.SessionParams{User: "postgres", Database: "postgres", BackendPID: -1})
	if perr != nil {
		return "", perr
	}
	defer sess.Close()
	var w tagWriter
	if perr := sess.ExecSimple(context.Background(), q, &w); perr != nil {
		return "", perr
	}
	return w.tag, nil
}

// tagWriter is a sql.ResultWriter that keeps the last command tag.
type tagWriter struct {
	sql.ResultWriter
	tag string
}

func (w *tagWriter) Complete(tag string) error { w.tag = tag; return nil }
func (w *tagWriter) Notice(*pgerror.Error)     {}

// testTLSConfig is a self-signed ECDSA certificate for 127.0.0.1.
func testTLSConfig(t *testing.T) *tls.Config {
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
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// startSASL reads AuthenticationSASL and checks the mechanisms.
func (c *authClient) startSASL(want ...string) {
	c.t.Helper()
	m, ok := c.recv().(*pgproto3.AuthenticationSASL)
	if !ok || strings.Join(m.AuthMechanisms, " ") != strings.Join(want, " ") {
		c.t.Fatalf("got %#v, want AuthenticationSASL %v", m, want)
	}
}

func (c *authClient) serverFirst() string {
	c.t.Helper()
	m, ok := c.recv().(*pgproto3.AuthenticationSASLContinue)
	if !ok {
		c.t.Fatalf("got %#v, want AuthenticationSASLContinue", m)
	}
	return string(m.Data)
}

func TestSCRAMExchange(t *testing.T) {
	ts := scramServer(t)
	for _, gs2 := range []string{"n,,", "y,,"} {
		c := dialAuth(t, ts, "alice")
		c.startSASL("SCRAM-SHA-256")
		sc := newSCRAMClient(gs2)
		c.initial("SCRAM-SHA-256", sc.first())
		final, wantSig := sc.final(t, c.serverFirst(), "pw", base64.StdEncoding.EncodeToString([]byte(gs2)))
		c.raw([]byte(final))
		if m, ok := c.recv().(*pgproto3.AuthenticationSASLFinal); !ok || string(m.Data) != wantSig {
			t.Fatalf("%s: got %#v, want AuthenticationSASLFinal %q", gs2, m, wantSig)
		}
		if m, ok := c.recv().(*pgproto3.AuthenticationOk); !ok {
			t.Fatalf("%s: got %#v, want AuthenticationOk", gs2, m)
		}
		for {
			if _, ok := c.recv().(*pgproto3.ReadyForQuery); ok {
				break
			}
		}
	}
	// No initial response: an empty challenge asks for it.
	c := dialAuth(t, ts, "alice")
	c.startSASL("SCRAM-SHA-256")
	c.raw(append([]byte("SCRAM-SHA-256\x00"), 0xff, 0xff, 0xff, 0xff))
	if got := c.serverFirst(); got != "" {
		t.Fatalf("challenge %q, want empty", got)
	}
	sc := newSCRAMClient("n,,")
	c.raw([]byte(sc.first()))
	final, _ := sc.final(t, c.serverFirst(), "pw", "biws")
	c.raw([]byte(final))
	if _, ok := c.recv().(*pgproto3.AuthenticationSASLFinal); !ok {
		t.Fatal("no AuthenticationSASLFinal")
	}
}

// TestSCRAMMalformed: PostgreSQL 15's errors for broken first messages.
func TestSCRAMMalformed(t *testing.T) {
	ts := scramServer(t)
	const malformed = "malformed SCRAM message"
	for _, tc := range []struct {
		mech, first           string
		code, message, detail string
	}{
		{"SCRAM-SHA-1", "n,,n=,r=abc", "08P01", "client selected an invalid SASL authentication mechanism", ""},
		{"SCRAM-SHA-256-PLUS", "p=tls-server-end-point,,n=,r=abc", "08P01", "client selected an invalid SASL authentication mechanism", ""},
		{"SCRAM-SHA-256", "p=tls-server-end-point,,n=,r=abc", "08P01", malformed,
			"The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data."},
		{"SCRAM-SHA-256", "x,,n=,r=abc", "08P01", malformed, `Unexpected channel-binding flag "x".`},
		{"SCRAM-SHA-256", "n;,n=,r=abc", "08P01", malformed, `Comma expected, but found character ";".`},
		{"SCRAM-SHA-256", "n,a=bob,n=,r=abc", "0A000", "client uses authorization identity, but it is not supported", ""},
		{"SCRAM-SHA-256", "n,,m=ext,n=,r=abc", "0A000", "client requires an unsupported SCRAM extension", ""},
		{"SCRAM-SHA-256", "n,,r=abc", "08P01", malformed, `Expected attribute "n" but found "r".`},
		{"SCRAM-SHA-256", "n,,n,r=abc", "08P01", malformed, `Expected character "=" for attribute "n".`},
		{"SCRAM-SHA-256", "n,,n=,r=a\x01b", "08P01", malformed, "non-printable characters in SCRAM nonce"},
		{"SCRAM-SHA-256", "n,,n=,r=abc,1=x", "08P01", malformed, `Attribute expected, but found invalid character "1".`},
		{"SCRAM-SHA-256", "", "08P01", malformed, "The message is empty."},
	} {
		c := dialAuth(t, ts, "alice")
		c.startSASL("SCRAM-SHA-256")
		c.initial(tc.mech, tc.first)
		c.wantError(tc.code, tc.message, tc.detail)
	}
}

// TestSCRAMFinalMessage: errors in the client-final-message, and wrong
// proofs or nonces (a password failure).
func TestSCRAMFinalMessage(t *testing.T) {
	ts := scramServer(t)
	failed := `password authentication failed for user "alice"`
	for _, tc := range []struct {
		name                  string
		edit                  func(final string) string
		code, message, detail string
	}{
		{"wrong binding", func(f string) string { return strings.Replace(f, "c=biws", "c=eSws", 1) },
			"08P01", "unexpected SCRAM channel-binding attribute in client-final-message", ""},
		{"short proof", func(f string) string { return f[:strings.Index(f, ",p=")] + ",p=AAAA" },
			"08P01", "malformed SCRAM message", "Malformed proof in client-final-message."},
		{"garbage", func(f string) string { return f + ",x=1" },
			"08P01", "malformed SCRAM message", "Garbage found at the end of client-final-message."},
		{"no proof", func(f string) string { return f[:strings.Index(f, ",p=")] },
			"08P01", "malformed SCRAM message", "Attribute expected, but found end of string."},
		{"wrong nonce", func(f string) string { return strings.Replace(f, ",r=rOpr", ",r=xOpr", 1) },
			"28P01", failed, ""},
	} {
		c := dialAuth(t, ts, "alice")
		c.startSASL("SCRAM-SHA-256")
		sc := newSCRAMClient("n,,")
		c.initial("SCRAM-SHA-256", sc.first())
		final, _ := sc.final(t, c.serverFirst(), "pw", "biws")
		c.raw([]byte(tc.edit(final)))
		c.wantError(tc.code, tc.message, tc.detail)
	}
	// Wrong password; unknown role (a mock exchange, same salt each time).
	c := dialAuth(t, ts, "alice")
	c.startSASL("SCRAM-SHA-256")
	sc := newSCRAMClient("n,,")
	c.initial("SCRAM-SHA-256", sc.first())
	final, _ := sc.final(t, c.serverFirst(), "wrong", "biws")
	c.raw([]byte(final))
	c.wantError("28P01", failed, "")
	var salts []string
	for range 2 {
		c := dialAuth(t, ts, "ghost")
		c.startSASL("SCRAM-SHA-256")
		sc := newSCRAMClient("n,,")
		c.initial("SCRAM-SHA-256", sc.first())
		first := c.serverFirst()
		salts = append(salts, strings.Split(first, ",")[1])
		final, _ := sc.final(t, first, "pw", "biws")
		c.raw([]byte(final))
		c.wantError("28P01", `password authentication failed for user "ghost"`, "")
	}
	if salts[0] != salts[1] {
		t.Errorf("mock salts differ between attempts: %v", salts)
	}
}

// TestAuthProtocolErrors: another message instead of the answer, a client
// that goes away mid-exchange, an empty cleartext password.
func TestAuthProtocolErrors(t *testing.T) {
	ts := scramServer(t)
	c := dialAuth(t, ts, "alice")
	c.startSASL("SCRAM-SHA-256")
	c.fe.Send(&pgproto3.Query{String: "SELECT 1"})
	c.fe.Flush()
	c.wantError("08P01", "expected SASL response, got message type 81", "")

	c = dialAuth(t, ts, "alice")
	c.startSASL("SCRAM-SHA-256")
	c.nc.Close()
	waitFor(t, "the abandoned connection to close", func() bool { return ts.sessionCount() == 0 })

	pw := startServer(t, Config{Auth: AuthPassword})
	c = dialAuth(t, pw, "postgres")
	if _, ok := c.recv().(*pgproto3.AuthenticationCleartextPassword); !ok {
		t.Fatal("no AuthenticationCleartextPassword")
	}
	c.raw([]byte{0})
	c.wantError("28P01", "empty password returned by client", "")
}

func TestNewServerAuthConfig(t *testing.T) {
	eng, err := sql.Open(sql.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for in, want := range map[string]string{"": "", "trust": AuthTrust, "SCRAM": AuthSCRAM, "scram-sha-256": AuthSCRAM, "md5": AuthMD5, "password": AuthPassword} {
		s, err := NewServer(Config{Engine: eng, Auth: in})
		if err != nil || s.cfg.Auth != want {
			t.Errorf("Auth %q: %v, %q", in, err, s.cfg.Auth)
		}
	}
	if _, err := NewServer(Config{Engine: eng, Auth: "ident"}); !errors.Is(err, ErrBadAuth) {
		t.Errorf("Auth ident: %v", err)
	}
	if _, err := NewServer(Config{Engine: eng, TLSRequired: true}); !errors.Is(err, ErrTLSRequiredWithoutTLS) {
		t.Errorf("TLSRequired without TLS: %v", err)
	}
}

func TestIsLocal(t *testing.T) {
	for _, tc := range []struct {
		a    net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1")}, true},
		{&net.TCPAddr{IP: net.ParseIP("::1")}, true},
		{&net.TCPAddr{IP: net.ParseIP("10.1.2.3")}, false},
		{&net.TCPAddr{IP: net.ParseIP("::")}, false},
		{&net.UnixAddr{Name: "/tmp/.s.PGSQL.5432", Net: "unix"}, true},
	} {
		if got := isLocal(tc.a); got != tc.want {
			t.Errorf("isLocal(%v) = %v", tc.a, got)
		}
	}
}

// TestSSLRequestPipelined: with TLS configured, bytes sent after an
// SSLRequest before the answer are refused, as PostgreSQL refuses them.
func TestSSLRequestPipelined(t *testing.T) {
	ts := startServer(t, Config{TLS: testTLSConfig(t)})
	nc, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	req := []byte{0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f}
	nc.Write(append(req, req...))
	var buf bytes.Buffer
	buf.ReadFrom(nc)
	if !strings.Contains(buf.String(), "received unencrypted data after SSL request") {
		t.Errorf("got %q", buf.String())
	}
}

// FuzzSCRAMMessages: the SCRAM message parsers never panic, and what they
// accept is well formed.
func FuzzSCRAMMessages(f *testing.F) {
	for _, s := range []string{"n,,n=,r=abc", "y,,n=user,r=abc,x=ext", "p=tls-server-end-point,,n=,r=abc",
		"n,a=x,n=,r=a", "c=biws,r=abcdef,p=" + strings.Repeat("A", 43) + "=", "c=biws,r=x,e=1,p=AAAA,", "", ",", "n,,n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, plus := range []bool{false, true} {
			if cf, pe := parseClientFirst(s, plus); pe == nil && (cf.nonce == "" && !strings.Contains(s, "r=") || !strings.HasSuffix(s, cf.bare)) {
				t.Errorf("parseClientFirst(%q) accepted %+v", s, cf)
			}
		}
		if ff, pe := parseClientFinal(s); pe == nil && (len(ff.proof) != password.KeyLen || !strings.HasPrefix(s, ff.withoutProof)) {
			t.Errorf("parseClientFinal(%q) accepted %+v", s, ff)
		}
	})
}

// TestShutdownTLS: an idle TLS session is woken and told, inside TLS, that
// the server is going down; a running one is cancelled when forced.
func TestShutdownTLS(t *testing.T) {
	ts := startServer(t, Config{TLS: testTLSConfig(t)})
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=require", ts.addr))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
		t.Fatal("not a TLS connection")
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := ts.srv.Shutdown(sctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	_, err = conn.Exec(ctx, "SELECT 1")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57P01" {
		t.Errorf("after Shutdown: %v, want FATAL 57P01", err)
	}
}
