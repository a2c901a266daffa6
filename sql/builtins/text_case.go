package builtins

import "strings"

// Case mapping under the database's LC_CTYPE, which is C (SHOW lc_ctype):
// PostgreSQL's str_toupper, str_tolower and str_initcap then change only
// the ASCII letters, and initcap counts only ASCII letters and digits as
// word characters, so upper('dürer') is 'DüRER' and initcap('élan') is
// 'éLan'. Unicode case mapping gave 'DÜRER' and 'Élan'.

// asciiUpper maps a-z to A-Z.
func asciiUpper(s string) string { return asciiMap(s, 'a', 'z', 'A'-'a') }

// asciiLower maps A-Z to a-z.
func asciiLower(s string) string { return asciiMap(s, 'A', 'Z', 'a'-'A') }

func asciiMap(s string, lo, hi byte, delta int) string {
	i := 0
	for i < len(s) && (s[i] < lo || s[i] > hi) {
		i++
	}
	if i == len(s) {
		return s // nothing to change: no copy
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if b[i] >= lo && b[i] <= hi {
			b[i] = byte(int(b[i]) + delta)
		}
	}
	return string(b)
}

func asciiAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// asciiInitcap upper-cases the first ASCII letter of each word and
// lower-cases the others; a word is a run of ASCII letters and digits.
func asciiInitcap(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	prevAlnum := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case prevAlnum && c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case !prevAlnum && c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
		prevAlnum = asciiAlnum(s[i])
	}
	return b.String()
}
