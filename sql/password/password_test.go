package password

import (
	"strings"
	"testing"
)

// Verifiers made by PostgreSQL 15.18 (CREATE ROLE ... PASSWORD '...' with
// password_encryption scram-sha-256 or md5), checked against our
// derivation. The non-ASCII ones exercise SASLprep: NFKC (Ⅸ is IX), B.1
// (the soft hyphen is dropped), C.1.2 (no-break space is a space), the
// bidi rule (RandALCat then a digit: refused, raw), C.3 (private use:
// refused, raw) and A.1 (U+0221 was unassigned in Unicode 3.2: refused, so
// the full-width letters stay as they are).
var pgVerifiers = []struct{ role, password, stored string }{
	{"m", "pw", "SCRAM-SHA-256$4096:aIE59MCpcx3B8z4FvT5iIw==$VcEbF/FFa/lc7Asi4B7Bum53EqVPDnAyaMyFF6WfwjA=:pducQbZbUlHyAnPO6r1W4zfPoAq7miTTg9IHa9w4Mmw="},
	{"m", "pw", "md57764e463c73a54e4bb79b9b9e419e145"},
	{"sp1", "Ⅸ", "SCRAM-SHA-256$4096:lVAi3ZS/qN53fzBV0M98vQ==$SoG/ISBl0sFtid8pWdFHnNeYox1WP/E1CL9jMxf+cAc=:Zow+M9QikP3Kh9/WbK9Hx61yhHq6UCqferpLfjXSsSI="},
	{"sp2", "pass\u00ADword", "SCRAM-SHA-256$4096:34h+u82EiAql583UTESN4A==$pJPx4QZuf4B3grRFOdhAld+O9xKAwMMXxpC9UgKCb5I=:Rc9btpnTd+vFVXkKNTzCIejT6OKHfqaYXZFPO+jWzPU="},
	{"sp3", "a\u00A0b", "SCRAM-SHA-256$4096:szU6eDMjhTYq8iup/EUE8w==$7frePm/Le7cIFI6oIQwx5H9lgfnBuLJKcHeEzx/wqUw=:CDGgdMRDJ14SBc1Tso+7czXilhMkrQ8exmbDovhZcvw="},
	{"sp4", "\u0627\u0031", "SCRAM-SHA-256$4096:Y79WJTUXxwBicovufnnidg==$sAtjDwPjj/Y5/c6gB48PMOW6DkgNdJ1eSIdSO+iyS3A=:ZKKXhYSf8RzFWK06SZb5Flpiki2mM6A5WsMggCeYF/Q="},
	{"sp5", "\uE000x", "SCRAM-SHA-256$4096:ALSdyTBnORn09qm6vHtEhw==$YaPw/HypTuKqjAXoSSi5Y4bMLB7mppeA3SeYNu6+9Ck=:JBiOBij5dUfbrDs4jHJ5xRMfyixmtZXlLiIHPkyJVjg="},
	{"sp6", "ｆｕｌｌ\u0221", "SCRAM-SHA-256$4096:KUkpy2M4bgRUXMXLKkQ/8A==$dUAvnB7zcFak9PjZcDFqq+zeOrHuj4+M7JRKp2GuQU4=:dSVuHVQZoF839aKMCpr0C2YUAY5dKp2ibzRYjunNmSA="},
}

func TestPostgresVerifiers(t *testing.T) {
	for _, v := range pgVerifiers {
		if !VerifyPlain(v.stored, v.role, v.password) {
			t.Errorf("%s %q: does not verify against PostgreSQL's %s", v.role, v.password, v.stored)
		}
		if VerifyPlain(v.stored, v.role, v.password+"x") {
			t.Errorf("%s %q: a wrong password verifies", v.role, v.password)
		}
		if sec, ok := ParseSCRAM(v.stored); ok {
			// Same salt, same derivation: byte-identical text.
			if got := BuildSCRAM(v.password, sec.Salt, sec.Iterations).String(); got != v.stored {
				t.Errorf("%q: built %s, PostgreSQL %s", v.password, got, v.stored)
			}
		}
	}
}

func TestSASLprep(t *testing.T) {
	for in, want := range map[string]string{
		"plain":            "plain",
		"Ⅸ":                "IX",
		"pass\u00ADword":   "password",
		"a\u00A0b":         "a b",
		"\u0627\u0031":     "\u0627\u0031", // bidi rule: refused, raw
		"\u0627\u0628":     "\u0627\u0628", // all RandALCat: fine
		"\uE000x":          "\uE000x",
		"\u00AD":           "\u00AD", // empty after mapping: raw
		"caf\u0065\u0301":  "caf\u00e9",
		"\xff\xfe invalid": "\xff\xfe invalid",
	} {
		if got := SASLprep(in); got != want {
			t.Errorf("SASLprep(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTypeAndEncrypt(t *testing.T) {
	for s, want := range map[string]Kind{
		"secret":                              Plain,
		"md57764e463c73a54e4bb79b9b9e419e145": MD5,
		"md57764E463C73A54E4BB79B9B9E419E145": Plain, // upper case hex is not a hash
		"md5":                                 Plain,
		pgVerifiers[0].stored:                 SCRAM,
		"SCRAM-SHA-256$4096:c2FsdA==$abc:def": Plain, // keys not 32 bytes
		"SCRAM-SHA-256$x:c2FsdA==$" + strings.Repeat("A", 43) + "=:" + strings.Repeat("A", 43) + "=": Plain,
	} {
		if got := Type(s); got != want {
			t.Errorf("Type(%q) = %v, want %v", s, got, want)
		}
	}
	v, err := Encrypt(SCRAM, "r", "secret")
	if err != nil || Type(v) != SCRAM || !VerifyPlain(v, "r", "secret") {
		t.Fatalf("Encrypt SCRAM: %q %v", v, err)
	}
	sec, _ := ParseSCRAM(v)
	if sec.Iterations != SCRAMIterations || len(sec.Salt) != SCRAMSaltLen {
		t.Errorf("new verifier %s: want 4096 iterations and a 16-byte salt", v)
	}
	if v2, _ := Encrypt(SCRAM, "r", "secret"); v2 == v {
		t.Error("two verifiers of one password share a salt")
	}
	if v, _ := Encrypt(MD5, "m", "pw"); v != "md57764e463c73a54e4bb79b9b9e419e145" {
		t.Errorf("Encrypt MD5 = %s", v)
	}
	if v, _ := Encrypt(SCRAM, "x", pgVerifiers[1].stored); v != pgVerifiers[1].stored {
		t.Errorf("an MD5 hash given as the password must be stored as given, got %s", v)
	}
	if !IsEmpty("bob", "") || !IsEmpty("bob", MD5Hash("", "bob")) || IsEmpty("bob", "x") || IsEmpty("bob", MD5Hash("", "alice")) {
		t.Error("IsEmpty")
	}
	emptySCRAM, _ := NewSCRAM("")
	if !IsEmpty("bob", emptySCRAM) {
		t.Error("IsEmpty: the SCRAM verifier of '' is empty")
	}
}

func TestCheckMD5Response(t *testing.T) {
	stored := MD5Hash("pw", "m")
	salt := [4]byte{1, 2, 3, 4}
	// What libpq sends: "md5" + md5(hex(md5(pw+user)) + salt).
	resp := MD5Hash(stored[3:], string(salt[:]))
	if !CheckMD5Response(stored, salt, resp) {
		t.Error("the right response is refused")
	}
	if CheckMD5Response(stored, [4]byte{1, 2, 3, 5}, resp) || CheckMD5Response(pgVerifiers[0].stored, salt, resp) {
		t.Error("a wrong response is accepted")
	}
}
