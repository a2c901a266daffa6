package types

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// String-like types: text, varchar(n), char(n) (bpchar), name, "char",
// bytea and uuid (src/backend/utils/adt/varchar.c, varlena.c, char.c,
// name.c, uuid.c). Lengths in typmods count characters, not bytes.

const nameDataLen = 64 // NAMEDATALEN

// checkUTF8 rejects what PostgreSQL's encoding verification rejects in a
// UTF8 database: invalid sequences and NUL bytes (22021).
func checkUTF8(s string) error {
	for i := 0; i < len(s); {
		c := s[i]
		if c != 0 && c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if c == 0 || (r == utf8.RuneError && size <= 1) {
			return errInvalidUTF8(s[i:])
		}
		i += size
	}
	return nil
}

func errInvalidUTF8(s string) error {
	l := 1
	switch c := s[0]; {
	case c&0xe0 == 0xc0:
		l = 2
	case c&0xf0 == 0xe0:
		l = 3
	case c&0xf8 == 0xf0:
		l = 4
	}
	if l > len(s) {
		l = len(s)
	}
	var b strings.Builder
	for j := 0; j < l; j++ {
		if j > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("0x")
		b.WriteString(hex2(s[j]))
	}
	return pgerror.New(pgerror.CharacterNotInRepertoire, `invalid byte sequence for encoding "UTF8": %s`, b.String())
}

const hexDigits = "0123456789abcdef"

func hex2(c byte) string { return string([]byte{hexDigits[c>>4], hexDigits[c&15]}) }

// charClip returns the byte length of the first n characters of s (all of s if shorter).
func charClip(s string, n int) int {
	if n >= len(s) {
		// fast path: at most len(s) characters
		if isASCII(s) {
			return len(s)
		}
	}
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		if s[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
	}
	return i
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func charLen(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return utf8.RuneCountInString(s)
}

// coerceVarchar applies varchar(n): explicit casts truncate silently;
// otherwise only trailing spaces may be cut (22001 otherwise).
func coerceVarchar(s string, typmod int32, explicit bool) (string, error) {
	if typmod < 4 {
		return s, nil
	}
	maxLen := int(typmod - 4)
	if len(s) <= maxLen {
		return s, nil
	}
	clip := charClip(s, maxLen)
	if !explicit {
		for j := clip; j < len(s); j++ {
			if s[j] != ' ' {
				return "", pgerror.New(pgerror.StringDataRightTruncation, "value too long for type character varying(%d)", maxLen)
			}
		}
	}
	return s[:clip], nil
}

// coerceBPChar applies char(n): truncate (explicit) or reject (22001), then
// pad with spaces to n characters.
func coerceBPChar(s string, typmod int32, explicit bool) (string, error) {
	if typmod < 4 {
		return s, nil
	}
	maxLen := int(typmod - 4)
	n := charLen(s)
	if n > maxLen {
		clip := charClip(s, maxLen)
		if !explicit {
			for j := clip; j < len(s); j++ {
				if s[j] != ' ' {
					return "", pgerror.New(pgerror.StringDataRightTruncation, "value too long for type character(%d)", maxLen)
				}
			}
		}
		return s[:clip], nil
	}
	if n == maxLen {
		return s, nil
	}
	return s + strings.Repeat(" ", maxLen-n), nil
}

// bpcharTrim strips trailing spaces (bpchar -> text, bpchar comparison).
func bpcharTrim(s string) string {
	j := len(s)
	for j > 0 && s[j-1] == ' ' {
		j--
	}
	return s[:j]
}

// coerceName is namein: clip to NAMEDATALEN-1 bytes at a character boundary.
func coerceName(s string) string {
	if len(s) < nameDataLen {
		return s
	}
	i := 0
	for i < len(s) {
		_, size := utf8.DecodeRuneInString(s[i:])
		if i+size > nameDataLen-1 {
			break
		}
		i += size
	}
	return s[:i]
}

// parseCharText is charin: the first byte, or the \ooo form charout prints.
func parseCharText(s string) string {
	if len(s) == 4 && s[0] == '\\' && isOctal(s[1]) && isOctal(s[2]) && isOctal(s[3]) {
		v := (s[1]-'0')<<6 | (s[2]-'0')<<3 | (s[3] - '0')
		if v == 0 {
			return ""
		}
		return string([]byte{v})
	}
	if s == "" {
		return ""
	}
	return s[:1]
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// appendChar is charout.
func appendChar(dst []byte, s string) []byte {
	if s == "" {
		return dst
	}
	c := s[0]
	if c&0x80 != 0 {
		return append(dst, '\\', '0'+(c>>6), '0'+((c>>3)&7), '0'+(c&7))
	}
	return append(dst, c)
}

// parseByteaText is byteain: "\x" hex, or the escape format.
func parseByteaText(s string) (string, error) {
	if len(s) >= 2 && s[0] == '\\' && s[1] == 'x' {
		return hexDecode(s[2:])
	}
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]) {
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 4
			continue
		}
		if i+1 < len(s) && s[i+1] == '\\' {
			out = append(out, '\\')
			i += 2
			continue
		}
		return "", pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type bytea")
	}
	return string(out), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// hexDecode is hex_decode: pairs of hex digits, whitespace between pairs.
func hexDecode(s string) (string, error) {
	out := make([]byte, 0, len(s)/2)
	badDigit := func(i int) error {
		_, size := utf8.DecodeRuneInString(s[i:])
		return pgerror.New(pgerror.InvalidParameterValue, `invalid hexadecimal digit: "%s"`, s[i:i+size])
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			i++
			continue
		}
		hi, ok := unhex(c)
		if !ok {
			return "", badDigit(i)
		}
		i++
		if i >= len(s) {
			return "", pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
		}
		lo, ok := unhex(s[i])
		if !ok {
			return "", badDigit(i)
		}
		i++
		out = append(out, hi<<4|lo)
	}
	return string(out), nil
}

// appendBytea is byteaout with bytea_output = 'hex'.
func appendBytea(dst []byte, b string) []byte {
	dst = append(dst, '\\', 'x')
	for i := 0; i < len(b); i++ {
		dst = append(dst, hexDigits[b[i]>>4], hexDigits[b[i]&15])
	}
	return dst
}

// appendByteaEscape is byteaout with bytea_output = 'escape'.
func appendByteaEscape(dst []byte, b string) []byte {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\':
			dst = append(dst, '\\', '\\')
		case c < 0x20 || c > 0x7e:
			dst = append(dst, '\\', '0'+(c>>6), '0'+((c>>3)&7), '0'+(c&7))
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// parseUUIDText is uuid_in (string_to_uuid).
func parseUUIDText(s string) (string, error) {
	var u [16]byte
	src := s
	braces := false
	if len(src) > 0 && src[0] == '{' {
		src = src[1:]
		braces = true
	}
	for i := 0; i < 16; i++ {
		if len(src) < 2 {
			return "", errSyntax("uuid", s)
		}
		hi, ok1 := unhex(src[0])
		lo, ok2 := unhex(src[1])
		if !ok1 || !ok2 {
			return "", errSyntax("uuid", s)
		}
		u[i] = hi<<4 | lo
		src = src[2:]
		if len(src) > 0 && src[0] == '-' && i%2 == 1 && i < 15 {
			src = src[1:]
		}
	}
	if braces {
		if len(src) == 0 || src[0] != '}' {
			return "", errSyntax("uuid", s)
		}
		src = src[1:]
	}
	if src != "" {
		return "", errSyntax("uuid", s)
	}
	return string(u[:]), nil
}

// appendUUID is uuid_out.
func appendUUID(dst []byte, u string) []byte {
	for i := 0; i < len(u); i++ {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[u[i]>>4], hexDigits[u[i]&15])
	}
	return dst
}

// parseRegText reads reg* input: a numeric OID, or a name that the
// session's catalog resolves (set.RegOID: e.g. '_int4'::text::regtype at
// run time; literals are resolved earlier, by the binder).
func parseRegText(s string, t Type, set *Settings) (int64, error) {
	if v, err := strconv.ParseUint(trimSpace(s), 10, 32); err == nil && trimSpace(s) != "" && isDigit(trimSpace(s)[0]) {
		return int64(v), nil
	}
	if set != nil && set.RegOID != nil {
		oid, err := set.RegOID(t.OID, s)
		return int64(oid), err
	}
	return 0, pgerror.New(pgerror.FeatureNotSupported, "%s input by name requires the catalog: %q", t.Name(), s)
}
