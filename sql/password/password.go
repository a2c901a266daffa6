// Package password creates and checks the password verifiers stored in a
// role's rolpassword, in PostgreSQL 15's formats, and holds the SCRAM
// primitives pgwire's authentication uses.
//
// Two formats are stored (a plain password never is):
//
//   - SCRAM-SHA-256 (RFC 5802, RFC 7677), PostgreSQL's default since 14:
//     "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>", base64
//     with padding, iterations 4096, a 16-byte random salt. The password is
//     first normalised with SASLprep (RFC 4013) when it can be, as
//     pg_be_scram_build_secret does; a password SASLprep rejects is used
//     as its raw bytes.
//   - MD5: "md5" followed by the hex MD5 of the password concatenated with
//     the role name (pg_md5_encrypt), so a rename invalidates it.
//
// The reference is PostgreSQL 15's src/backend/libpq/crypt.c,
// src/backend/libpq/auth-scram.c, src/common/scram-common.c and
// src/common/saslprep.c.
package password

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Parameters of new SCRAM verifiers (PostgreSQL 15: SCRAM_DEFAULT_ITERATIONS,
// SCRAM_DEFAULT_SALT_LEN; the iteration count is not configurable before 16).
const (
	SCRAMIterations = 4096
	SCRAMSaltLen    = 16
	// KeyLen is the length of SCRAM-SHA-256 keys, proofs and signatures.
	KeyLen = sha256.Size
)

// Kind is what a stored rolpassword holds (PostgreSQL's PasswordType).
type Kind int

// Kinds of stored password.
const (
	// Plain is anything that is neither of the hashed forms. New passwords
	// given in plain text are hashed before they are stored; Plain is what
	// a given password is when it is not already hashed.
	Plain Kind = iota
	MD5
	SCRAM
)

// Type classifies a password as PostgreSQL's get_password_type does: a
// well-formed MD5 hash, a well-formed SCRAM-SHA-256 secret, or plain text.
func Type(s string) Kind {
	if isMD5(s) {
		return MD5
	}
	if _, ok := ParseSCRAM(s); ok {
		return SCRAM
	}
	return Plain
}

// isMD5: "md5" and 32 lower-case hex digits.
func isMD5(s string) bool {
	if len(s) != 35 || !strings.HasPrefix(s, "md5") {
		return false
	}
	for i := 3; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// MD5Hash is the MD5 verifier of a password for a role: "md5" + hex
// md5(password || role).
func MD5Hash(password, role string) string {
	sum := md5.Sum([]byte(password + role))
	return "md5" + hex.EncodeToString(sum[:])
}

// CheckMD5Response checks the answer to AuthenticationMD5Password: the
// client sends "md5" + hex md5(hex md5(password || user) || salt), which the
// server computes from the stored hash (the part after "md5").
func CheckMD5Response(stored string, salt [4]byte, response string) bool {
	if !isMD5(stored) {
		return false
	}
	sum := md5.Sum(append([]byte(stored[3:]), salt[:]...))
	want := "md5" + hex.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(response)) == 1
}

// Encrypt is PostgreSQL's encrypt_password: a password that is already an
// MD5 hash or a SCRAM secret is returned as given; any other is hashed to
// the target kind (MD5 or SCRAM) for the role.
func Encrypt(target Kind, role, password string) (string, error) {
	if Type(password) != Plain {
		return password, nil
	}
	if target == MD5 {
		return MD5Hash(password, role), nil
	}
	return NewSCRAM(password)
}

// IsEmpty reports whether a given password (plain or already hashed) is
// the empty password, which PostgreSQL refuses to store ("empty string is
// not a valid password, clearing password").
func IsEmpty(role, given string) bool {
	return given == "" || Type(given) != Plain && VerifyPlain(given, role, "")
}

// VerifyPlain checks a clear-text password against a stored verifier, as
// plain_crypt_verify does (for the "password" authentication method and
// for spotting an empty password given as a hash).
func VerifyPlain(stored, role, client string) bool {
	switch Type(stored) {
	case SCRAM:
		sec, _ := ParseSCRAM(stored)
		if sec.Iterations <= 0 {
			return false
		}
		salted := SaltedPassword(client, sec.Salt, sec.Iterations)
		serverKey := HMAC(salted, []byte("Server Key"))
		return hmac.Equal(serverKey, sec.ServerKey)
	case MD5:
		return subtle.ConstantTimeCompare([]byte(MD5Hash(client, role)), []byte(stored)) == 1
	}
	return stored != "" && subtle.ConstantTimeCompare([]byte(stored), []byte(client)) == 1
}

// SCRAMSecret is a parsed SCRAM-SHA-256 verifier.
type SCRAMSecret struct {
	Iterations int
	Salt       []byte
	StoredKey  []byte
	ServerKey  []byte
}

// String formats the secret as PostgreSQL stores it.
func (s *SCRAMSecret) String() string {
	b64 := base64.StdEncoding.EncodeToString
	return "SCRAM-SHA-256$" + strconv.Itoa(s.Iterations) + ":" + b64(s.Salt) + "$" + b64(s.StoredKey) + ":" + b64(s.ServerKey)
}

// ParseSCRAM parses "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>"
// as parse_scram_secret does: the keys must decode to 32 bytes.
func ParseSCRAM(s string) (*SCRAMSecret, bool) {
	rest, ok := strings.CutPrefix(s, "SCRAM-SHA-256$")
	if !ok {
		return nil, false
	}
	iter, rest, ok := strings.Cut(rest, ":")
	if !ok {
		return nil, false
	}
	salt, keys, ok := strings.Cut(rest, "$")
	if !ok {
		return nil, false
	}
	stored, server, ok := strings.Cut(keys, ":")
	if !ok {
		return nil, false
	}
	n, err := strconv.ParseInt(iter, 10, 32)
	if err != nil {
		return nil, false
	}
	sec := &SCRAMSecret{Iterations: int(n)}
	if sec.Salt, err = base64.StdEncoding.DecodeString(salt); err != nil {
		return nil, false
	}
	if sec.StoredKey, err = base64.StdEncoding.DecodeString(stored); err != nil || len(sec.StoredKey) != KeyLen {
		return nil, false
	}
	if sec.ServerKey, err = base64.StdEncoding.DecodeString(server); err != nil || len(sec.ServerKey) != KeyLen {
		return nil, false
	}
	return sec, true
}

// NewSCRAM builds a SCRAM-SHA-256 verifier for password with a random salt.
func NewSCRAM(password string) (string, error) {
	salt := make([]byte, SCRAMSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return BuildSCRAM(password, salt, SCRAMIterations).String(), nil
}

// BuildSCRAM derives the verifier of password for a salt and iteration
// count (scram_build_secret).
func BuildSCRAM(password string, salt []byte, iterations int) *SCRAMSecret {
	salted := SaltedPassword(password, salt, iterations)
	clientKey := HMAC(salted, []byte("Client Key"))
	storedKey := sha256.Sum256(clientKey)
	return &SCRAMSecret{
		Iterations: iterations,
		Salt:       append([]byte(nil), salt...),
		StoredKey:  storedKey[:],
		ServerKey:  HMAC(salted, []byte("Server Key")),
	}
}

// SaltedPassword is Hi(SASLprep(password), salt, iterations) of RFC 5802:
// PBKDF2 with HMAC-SHA-256.
func SaltedPassword(password string, salt []byte, iterations int) []byte {
	k, err := pbkdf2.Key(sha256.New, SASLprep(password), salt, iterations, KeyLen)
	if err != nil {
		// Only a FIPS-mode restriction or a non-positive count gets here;
		// the callers check the count. Return a key that matches nothing.
		return make([]byte, KeyLen)
	}
	return k
}

// HMAC is HMAC-SHA-256.
func HMAC(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// SASLprep normalises a password as PostgreSQL's pg_saslprep does (RFC 4013
// over the Unicode 3.2 tables of RFC 3454): ASCII passes unchanged; other
// valid UTF-8 has non-ASCII spaces mapped to U+0020 and the "commonly
// mapped to nothing" characters removed, is NFKC-normalised, and is
// refused if it then holds a prohibited or unassigned character or breaks
// the bidirectional rule. A refused password (or one that is not valid
// UTF-8, or is empty after mapping) is used as given, as PostgreSQL does.
func SASLprep(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii || !utf8.ValidString(s) {
		return s
	}
	mapped := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case unicode.Is(nonASCIISpace, r):
			mapped = append(mapped, ' ')
		case unicode.Is(mappedToNothing, r):
		default:
			mapped = append(mapped, r)
		}
	}
	if len(mapped) == 0 {
		return s
	}
	out := norm.NFKC.String(string(mapped))
	hasRandAL, hasL := false, false
	for _, r := range out {
		if unicode.Is(prohibitedOutput, r) || unicode.Is(unassigned, r) {
			return s
		}
		hasRandAL = hasRandAL || unicode.Is(randALCat, r)
		hasL = hasL || unicode.Is(lCat, r)
	}
	if hasRandAL {
		first, _ := utf8.DecodeRuneInString(out)
		last, _ := utf8.DecodeLastRuneInString(out)
		if hasL || !unicode.Is(randALCat, first) || !unicode.Is(randALCat, last) {
			return s
		}
	}
	return out
}
