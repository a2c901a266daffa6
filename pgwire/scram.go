package pgwire

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/sql/password"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// The server side of SASL SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL
// 15 speaks it (src/backend/libpq/auth-sasl.c, auth-scram.c):
//
//	S: AuthenticationSASL          "SCRAM-SHA-256-PLUS" (over TLS, when binding is possible), "SCRAM-SHA-256"
//	C: SASLInitialResponse         mechanism, client-first-message  "n,,n=,r=<cnonce>"
//	S: AuthenticationSASLContinue  server-first-message             "r=<cnonce><snonce>,s=<salt>,i=4096"
//	C: SASLResponse                client-final-message             "c=biws,r=<cnonce><snonce>,p=<proof>"
//	S: AuthenticationSASLFinal     server-final-message             "v=<signature>"
//	S: AuthenticationOk
//
// The user name in the client-first-message is ignored (the startup
// message's counts), as in PostgreSQL. A role that does not exist or has no
// SCRAM secret gets a mock exchange with a salt derived from its name, so
// that it is indistinguishable from a wrong password until the end.
//
// Channel binding: tls-server-end-point (RFC 5929) when the connection is
// TLS and the server certificate is known (see channelBindingData); the
// gs2 flag "y" (the client could bind but thinks we cannot) is accepted
// only when we did not offer binding, "p" only with SCRAM-SHA-256-PLUS.

const (
	scramSHA256     = "SCRAM-SHA-256"
	scramSHA256Plus = "SCRAM-SHA-256-PLUS"
	cbindType       = "tls-server-end-point"
	// scramNonceLen is the server's share of the nonce, in random bytes
	// (PostgreSQL's SCRAM_RAW_NONCE_LEN).
	scramNonceLen = 18
)

func errMalformedSCRAM(detail string, args ...any) *pgerror.Error {
	return fatal(pgerror.ProtocolViolation, "malformed SCRAM message").WithDetail(detail, args...)
}

// authSCRAM runs the exchange against a stored verifier ("" or an MD5 hash:
// a doomed mock exchange).
func (c *conn) authSCRAM(user, verifier string) (*pgerror.Error, string) {
	sec, ok := password.ParseSCRAM(verifier)
	doomed := !ok || sec.Iterations <= 0
	why := ""
	if doomed {
		sec = c.s.mockSCRAM(user)
		if verifier != "" {
			why = fmt.Sprintf("User %q does not have a valid SCRAM secret.", user)
		}
	}
	cbind := c.channelBindingData()
	mechs := []string{scramSHA256}
	if cbind != nil {
		mechs = []string{scramSHA256Plus, scramSHA256}
	}
	c.w.send(&pgproto3.AuthenticationSASL{AuthMechanisms: mechs})

	// SASLInitialResponse: mechanism, then an Int32 length (-1: no data)
	// and the client-first-message.
	body, pe := c.readAuthMessage("SASL")
	if pe != nil {
		return pe, ""
	}
	mech, rest, okMsg := cstring(body)
	if !okMsg || len(rest) < 4 {
		return fatal(pgerror.ProtocolViolation, "invalid message format"), ""
	}
	if mech != scramSHA256 && (mech != scramSHA256Plus || cbind == nil) {
		return fatal(pgerror.ProtocolViolation, "client selected an invalid SASL authentication mechanism"), ""
	}
	plus := mech == scramSHA256Plus
	n := int32(binary.BigEndian.Uint32(rest))
	rest = rest[4:]
	var first string
	switch {
	case n == -1 && len(rest) == 0:
		// No initial response: ask for it with an empty challenge.
		c.w.send(&pgproto3.AuthenticationSASLContinue{})
		if body, pe = c.readAuthMessage("SASL"); pe != nil {
			return pe, ""
		}
		first = string(body)
	case n >= 0 && int(n) == len(rest):
		first = string(rest)
	default:
		return fatal(pgerror.ProtocolViolation, "invalid message format"), ""
	}
	if pe := checkSASLInput(first); pe != nil {
		return pe, ""
	}
	cf, pe := parseClientFirst(first, plus)
	if pe != nil {
		return pe, ""
	}

	raw := make([]byte, scramNonceLen)
	if _, err := rand.Read(raw); err != nil {
		return fatal(pgerror.InternalError, "could not generate random nonce"), ""
	}
	nonce := cf.nonce + base64.StdEncoding.EncodeToString(raw)
	serverFirst := "r=" + nonce + ",s=" + base64.StdEncoding.EncodeToString(sec.Salt) + ",i=" + strconv.Itoa(sec.Iterations)
	c.w.send(&pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)})

	body, pe = c.readAuthMessage("SASL")
	if pe != nil {
		return pe, ""
	}
	final := string(body)
	if pe := checkSASLInput(final); pe != nil {
		return pe, ""
	}
	ff, pe := parseClientFinal(final)
	if pe != nil {
		return pe, ""
	}
	// The channel binding attribute repeats the gs2 header, with the
	// binding data when binding is in use.
	if plus {
		want := base64.StdEncoding.EncodeToString(append([]byte("p="+cbindType+",,"), cbind...))
		if ff.cbind != want {
			return fatal(pgerror.InvalidAuthorizationSpecification, "SCRAM channel binding check failed"), ""
		}
	} else if !(ff.cbind == "biws" && cf.flag == 'n' || ff.cbind == "eSws" && cf.flag == 'y') {
		return fatal(pgerror.ProtocolViolation, "unexpected SCRAM channel-binding attribute in client-final-message"), ""
	}
	if ff.nonce != nonce {
		return errAuthFailed(user), "SCRAM nonce mismatch."
	}
	authMessage := []byte(cf.bare + "," + serverFirst + "," + ff.withoutProof)
	// ClientKey = proof XOR HMAC(StoredKey, AuthMessage); it must hash to StoredKey.
	sig := password.HMAC(sec.StoredKey, authMessage)
	clientKey := make([]byte, password.KeyLen)
	for i := range clientKey {
		clientKey[i] = ff.proof[i] ^ sig[i]
	}
	stored := sha256.Sum256(clientKey)
	if subtle.ConstantTimeCompare(stored[:], sec.StoredKey) != 1 || doomed {
		if why == "" {
			why = "Password does not match."
		}
		return errAuthFailed(user), why
	}
	serverFinal := "v=" + base64.StdEncoding.EncodeToString(password.HMAC(sec.ServerKey, authMessage))
	c.w.send(&pgproto3.AuthenticationSASLFinal{Data: []byte(serverFinal)})
	return nil, ""
}

// checkSASLInput: a SCRAM message is non-empty text without NULs.
func checkSASLInput(s string) *pgerror.Error {
	if s == "" {
		return errMalformedSCRAM("The message is empty.")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return errMalformedSCRAM("Message length does not match input length.")
	}
	return nil
}

// mockSCRAM is the secret of a role that cannot authenticate: a salt that
// depends only on the name (so probing twice gives the same salt, as for a
// real role) and keys nobody knows.
func (s *Server) mockSCRAM(user string) *password.SCRAMSecret {
	h := sha256.Sum256(append([]byte(user), s.mockNonce[:]...))
	sec := &password.SCRAMSecret{Iterations: password.SCRAMIterations, Salt: h[:password.SCRAMSaltLen],
		StoredKey: make([]byte, password.KeyLen), ServerKey: make([]byte, password.KeyLen)}
	rand.Read(sec.StoredKey)
	rand.Read(sec.ServerKey)
	return sec
}

// scramReader reads the attribute=value,... syntax of SCRAM messages.
type scramReader struct {
	s   string
	pos int
}

func (r *scramReader) peek() byte {
	if r.pos < len(r.s) {
		return r.s[r.pos]
	}
	return 0
}

// sanitizeChar prints a character for an error detail as PostgreSQL's
// sanitize_char does.
func sanitizeChar(c byte) string {
	if c >= 0x21 && c <= 0x7e {
		return string(rune(c))
	}
	return fmt.Sprintf("0x%02x", c)
}

// value reads the rest of an attribute after its '=' up to ',' or the end.
func (r *scramReader) value() string {
	end := strings.IndexByte(r.s[r.pos:], ',')
	var v string
	if end < 0 {
		v, r.pos = r.s[r.pos:], len(r.s)
	} else {
		v, r.pos = r.s[r.pos:r.pos+end], r.pos+end+1
	}
	return v
}

// attr is read_attribute_value: attribute a, '=', its value.
func (r *scramReader) attr(a byte) (string, *pgerror.Error) {
	if r.peek() != a {
		return "", errMalformedSCRAM("Expected attribute \"%c\" but found \"%s\".", a, sanitizeChar(r.peek()))
	}
	r.pos++
	if r.peek() != '=' {
		return "", errMalformedSCRAM("Expected character \"=\" for attribute \"%c\".", a)
	}
	r.pos++
	return r.value(), nil
}

// anyAttr is read_any_attr: any letter, '=', its value.
func (r *scramReader) anyAttr() (byte, string, *pgerror.Error) {
	a := r.peek()
	if a == 0 {
		return 0, "", errMalformedSCRAM("Attribute expected, but found end of string.")
	}
	if !(a >= 'A' && a <= 'Z' || a >= 'a' && a <= 'z') {
		return 0, "", errMalformedSCRAM("Attribute expected, but found invalid character \"%s\".", sanitizeChar(a))
	}
	r.pos++
	if r.peek() != '=' {
		return 0, "", errMalformedSCRAM("Expected character \"=\" for attribute \"%c\".", a)
	}
	r.pos++
	return a, r.value(), nil
}

// clientFirst is a parsed client-first-message.
type clientFirst struct {
	flag  byte   // gs2-cbind-flag: 'n', 'y' or 'p'
	bare  string // client-first-message-bare, part of AuthMessage
	nonce string
}

// parseClientFirst is read_client_first_message.
func parseClientFirst(s string, plus bool) (*clientFirst, *pgerror.Error) {
	r := &scramReader{s: s}
	cf := &clientFirst{flag: r.peek()}
	switch cf.flag {
	case 'n', 'y':
		if plus {
			return nil, errMalformedSCRAM("The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.")
		}
		r.pos++
		if r.peek() != ',' {
			return nil, errMalformedSCRAM("Comma expected, but found character \"%s\".", sanitizeChar(r.peek()))
		}
		r.pos++
	case 'p':
		if !plus {
			return nil, errMalformedSCRAM("The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.")
		}
		typ, pe := r.attr('p')
		if pe != nil {
			return nil, pe
		}
		if typ != cbindType {
			return nil, fatal(pgerror.ProtocolViolation, "unsupported SCRAM channel-binding type \"%s\"", typ)
		}
	default:
		return nil, errMalformedSCRAM("Unexpected channel-binding flag \"%s\".", sanitizeChar(cf.flag))
	}
	// authzid: not supported.
	if r.peek() == 'a' {
		return nil, fatal(pgerror.FeatureNotSupported, "client uses authorization identity, but it is not supported")
	}
	if r.peek() != ',' {
		return nil, errMalformedSCRAM("Unexpected attribute \"%s\" in client-first-message.", sanitizeChar(r.peek()))
	}
	r.pos++
	cf.bare = s[r.pos:]
	if r.peek() == 'm' {
		return nil, fatal(pgerror.FeatureNotSupported, "client requires an unsupported SCRAM extension")
	}
	if _, pe := r.attr('n'); pe != nil { // the user name: ignored
		return nil, pe
	}
	nonce, pe := r.attr('r')
	if pe != nil {
		return nil, pe
	}
	for i := 0; i < len(nonce); i++ {
		if c := nonce[i]; c < 0x21 || c > 0x7e || c == ',' {
			return nil, errMalformedSCRAM("non-printable characters in SCRAM nonce")
		}
	}
	cf.nonce = nonce
	for r.pos < len(r.s) { // optional extensions: ignored
		if _, _, pe := r.anyAttr(); pe != nil {
			return nil, pe
		}
	}
	return cf, nil
}

// clientFinal is a parsed client-final-message.
type clientFinal struct {
	cbind        string // c=, base64
	nonce        string
	withoutProof string // client-final-message-without-proof, part of AuthMessage
	proof        []byte
}

// parseClientFinal is read_client_final_message (the binding itself is
// checked by the caller).
func parseClientFinal(s string) (*clientFinal, *pgerror.Error) {
	r := &scramReader{s: s}
	ff := &clientFinal{}
	var pe *pgerror.Error
	if ff.cbind, pe = r.attr('c'); pe != nil {
		return nil, pe
	}
	if ff.nonce, pe = r.attr('r'); pe != nil {
		return nil, pe
	}
	for {
		start := r.pos
		a, v, pe := r.anyAttr()
		if pe != nil {
			return nil, pe
		}
		if a != 'p' {
			continue
		}
		ff.withoutProof = s[:max(start-1, 0)]
		proof, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(proof) != password.KeyLen {
			return nil, errMalformedSCRAM("Malformed proof in client-final-message.")
		}
		ff.proof = proof
		break
	}
	if r.pos < len(s) || strings.HasSuffix(s, ",") {
		return nil, errMalformedSCRAM("Garbage found at the end of client-final-message.")
	}
	return ff, nil
}
