package builtins

import (
	"encoding/base64"
	"strings"
)

// base64Std encodes as PostgreSQL's encode(.., 'base64'): standard alphabet,
// a newline every 76 characters.
func base64Std(s string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteByte('\n')
		enc = enc[76:]
	}
	b.WriteString(enc)
	return b.String()
}

func unbase64(s string) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s))
}

// escapeBytea is encode(.., 'escape'): NUL and bytes from 0x80 as \ooo,
// backslash doubled, every other byte as is.
func escapeBytea(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == 0 || c >= 0x80:
			// encode(..., 'escape') escapes only NUL and high-bit bytes
			// (esc_encode); control characters pass through.
			b.WriteByte('\\')
			b.WriteByte('0' + c>>6)
			b.WriteByte('0' + c>>3&7)
			b.WriteByte('0' + c&7)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
