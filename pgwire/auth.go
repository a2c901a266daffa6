package pgwire

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/sql/password"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Authentication methods, the values of Config.Auth (PostgreSQL's
// pg_hba.conf method names; "scram" is accepted for AuthSCRAM).
const (
	// AuthTrust lets every client in as the role it names.
	AuthTrust = "trust"
	// AuthPassword asks for the password in clear text
	// (AuthenticationCleartextPassword): use it only over TLS.
	AuthPassword = "password"
	// AuthMD5 uses the MD5 challenge for roles whose password is stored
	// as an MD5 hash, and SCRAM-SHA-256 for the others, as PostgreSQL does.
	AuthMD5 = "md5"
	// AuthSCRAM is SCRAM-SHA-256 (with channel binding, SCRAM-SHA-256-PLUS,
	// over TLS when the server certificate allows it).
	AuthSCRAM = "scram-sha-256"
)

// maxAuthMessage bounds a password or SASL message, as PostgreSQL's
// PG_MAX_AUTH_TOKEN_LENGTH does.
const maxAuthMessage = 65535

// parseAuth checks and canonicalises Config.Auth.
func parseAuth(s string) (string, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "":
		return "", nil
	case AuthTrust, AuthPassword, AuthMD5, AuthSCRAM:
		return v, nil
	case "scram":
		return AuthSCRAM, nil
	}
	return "", fmt.Errorf("%w: %q (want trust, password, md5 or scram-sha-256)", ErrBadAuth, s)
}

// authMethod is the method for this connection: Config.Auth, or by
// default trust on loopback (and other local) connections and, elsewhere,
// SCRAM-SHA-256 as soon as some role has a password (trust before: a new
// server is reachable with no password, as the embedded default wants).
func (c *conn) authMethod() string {
	if m := c.s.cfg.Auth; m != "" {
		return m
	}
	if isLocal(c.nc.LocalAddr()) || !c.s.cfg.Engine.AnyRoleHasPassword() {
		return AuthTrust
	}
	return AuthSCRAM
}

// isLocal: a loopback TCP address, or an address that is not IP at all
// (a Unix socket, an in-memory pipe).
func isLocal(a net.Addr) bool {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UDPAddr:
		return a.IP.IsLoopback()
	}
	return true
}

// errClientGone: the client closed the connection during authentication
// (psql does so on purpose to prompt for a password, then reconnects).
// Nothing is sent and nothing logged above debug.
var errClientGone = &pgerror.Error{Code: pgerror.ConnectionFailure, Message: "client closed the connection during authentication"}

// authenticate runs phase 3's authentication, after the startup message
// and before AuthenticationOk. It returns false when the connection must
// close; the FATAL error, if any, has been written.
func (c *conn) authenticate(p *startupParams) bool {
	if c.s.cfg.TLSRequired && !c.isTLS() {
		host, _, _ := net.SplitHostPort(c.nc.RemoteAddr().String())
		c.lg.Info("pgwire: refusing a connection without SSL")
		c.w.writeError(fatal(pgerror.InvalidAuthorizationSpecification,
			"SSL connection is required: refusing host \"%s\", user \"%s\", database \"%s\", no encryption", host, p.user, p.database).
			WithHint("Connect with sslmode=require (or verify-ca, verify-full)."))
		return false
	}
	method := c.authMethod()
	if method == AuthTrust {
		return true
	}
	verifier, _, exists := c.s.cfg.Engine.RoleAuth(p.user)
	var pe *pgerror.Error
	var why string
	switch {
	case method == AuthPassword:
		pe, why = c.authCleartext(p.user, verifier)
	case method == AuthMD5 && password.Type(verifier) == password.MD5:
		pe, why = c.authMD5(p.user, verifier)
	default:
		// SCRAM, and md5 for a role that has no MD5 hash: PostgreSQL uses
		// SCRAM then (and, for a role without a password, runs a mock
		// exchange that always fails, so that clients cannot tell).
		pe, why = c.authSCRAM(p.user, verifier)
	}
	switch {
	case pe == errClientGone:
		c.lg.Debug("pgwire: client closed the connection during authentication", "method", method)
		return false
	case pe != nil:
		switch {
		case pe.Code != pgerror.InvalidPassword:
			why = pe.Message // a protocol error
		case !exists:
			why = fmt.Sprintf("Role %q does not exist.", p.user)
		case verifier == "":
			why = fmt.Sprintf("User %q has no password assigned, or it has expired.", p.user)
		case why == "":
			why = pe.Message
		}
		c.lg.Info("pgwire: authentication failed", "method", method, "detail", why)
		c.w.writeError(pe)
		return false
	}
	return true
}

// errAuthFailed is the one answer to a wrong password, an unknown role or
// a role without a (valid) password: the client learns nothing more.
func errAuthFailed(user string) *pgerror.Error {
	return fatal(pgerror.InvalidPassword, "password authentication failed for user \"%s\"", user)
}

// readAuthMessage reads the client's answer to an authentication request:
// a 'p' message (PasswordMessage, SASLInitialResponse, SASLResponse) of
// at most maxAuthMessage bytes. what names it in the error for another
// message type ("password", "SASL").
func (c *conn) readAuthMessage(what string) ([]byte, *pgerror.Error) {
	typ, err := c.rd.br.ReadByte()
	if err != nil {
		return nil, errClientGone
	}
	if typ != 'p' {
		return nil, fatal(pgerror.ProtocolViolation, "expected %s response, got message type %d", what, typ)
	}
	var hdr [4]byte
	if _, err := io.ReadFull(c.rd.br, hdr[:]); err != nil {
		return nil, errClientGone
	}
	n := int64(int32(binary.BigEndian.Uint32(hdr[:])))
	if n < 4 || n-4 > maxAuthMessage {
		return nil, fatal(pgerror.ProtocolViolation, "invalid message length")
	}
	body, err := c.rd.readBody(int(n - 4))
	if err != nil {
		return nil, errClientGone
	}
	return body, nil
}

// readPassword reads a PasswordMessage: one NUL-terminated string.
func (c *conn) readPassword() (string, *pgerror.Error) {
	body, pe := c.readAuthMessage("password")
	if pe != nil {
		return "", pe
	}
	s, rest, ok := cstring(body)
	if !ok || len(rest) != 0 {
		return "", fatal(pgerror.ProtocolViolation, "invalid password packet size")
	}
	if s == "" {
		return "", fatal(pgerror.InvalidPassword, "empty password returned by client")
	}
	return s, nil
}

// authCleartext is the "password" method: the client sends the password
// itself, checked against the stored verifier (SCRAM or MD5).
func (c *conn) authCleartext(user, verifier string) (*pgerror.Error, string) {
	c.w.send(&pgproto3.AuthenticationCleartextPassword{})
	pw, pe := c.readPassword()
	if pe != nil {
		return pe, ""
	}
	if verifier == "" || !password.VerifyPlain(verifier, user, pw) {
		return errAuthFailed(user), "Password does not match."
	}
	return nil, ""
}

// authMD5 is the MD5 challenge: the client answers "md5" + md5(md5(password
// || user) || salt) for a random 4-byte salt.
func (c *conn) authMD5(user, stored string) (*pgerror.Error, string) {
	var salt [4]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return fatal(pgerror.InternalError, "could not generate random MD5 salt"), ""
	}
	c.w.send(&pgproto3.AuthenticationMD5Password{Salt: salt})
	resp, pe := c.readPassword()
	if pe != nil {
		return pe, ""
	}
	if !password.CheckMD5Response(stored, salt, resp) {
		return errAuthFailed(user), "Password does not match."
	}
	return nil, ""
}

// ErrBadAuth is returned by NewServer for an unknown Config.Auth.
var ErrBadAuth = errors.New("pgwire: unknown authentication method")
