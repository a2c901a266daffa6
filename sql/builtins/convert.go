package builtins

import (
	"strings"
	"unicode/utf8"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// convert_to(text, name) and convert_from(bytea, name): the database
// encoding is UTF8; the conversions to and from UTF8, SQL_ASCII and LATIN1
// are provided, other PostgreSQL encodings are recognised but not
// converted (0A000), and unknown names are 22023, as pg_convert.

// encodingName normalises an encoding name as clean_encoding_name does
// (case and non-alphanumerics ignored) and resolves the aliases handled
// here; ok is false for a name PostgreSQL does not know.
func encodingName(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteByte(c)
		}
	}
	switch n := b.String(); n {
	case "utf8", "unicode":
		return "UTF8", true
	case "latin1", "iso88591":
		return "LATIN1", true
	case "sqlascii":
		return "SQL_ASCII", true
	case "eucjp", "euccn", "euckr", "euctw", "eucjis2004", "muleinternal", "latin2", "latin3", "latin4", "latin5", "latin6", "latin7",
		"latin8", "latin9", "latin10", "iso88592", "iso88593", "iso88594", "iso88595", "iso88596", "iso88597", "iso88598", "iso88599",
		"iso885910", "iso885913", "iso885914", "iso885915", "iso885916", "win866", "win874", "koi8r", "koi8u", "win1250", "win1251",
		"win1252", "win1253", "win1254", "win1255", "win1256", "win1257", "win1258", "sjis", "big5", "gbk", "uhc", "gb18030", "johab",
		"shiftjis2004", "alt", "win", "mskanji", "shiftjis", "tcvn", "tcvn5712", "vscii", "windows1251", "windows1252", "cp1251", "cp936":
		return strings.ToUpper(n), false
	}
	return "", false
}

func convertEncoding(name, what string) (string, error) {
	enc, ok := encodingName(name)
	if ok {
		return enc, nil
	}
	if enc != "" {
		return "", pgerror.New(pgerror.FeatureNotSupported, "conversion between UTF8 and %s is not supported", enc)
	}
	return "", pgerror.New(pgerror.InvalidParameterValue, "invalid %s encoding name \"%s\"", what, name)
}

// invalidUTF8 is report_invalid_encoding for the first bad sequence of s.
func invalidUTF8(s string) error {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || r == 0 {
			return pgerror.New(pgerror.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x%02x", s[i])
		}
		i += size
	}
	return nil
}

func init() {
	fn("convert_to", sig(types.Bytea, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		enc, err := convertEncoding(a[1].S, "destination")
		if err != nil {
			return types.Datum{}, err
		}
		s := a[0].S
		if enc != "LATIN1" {
			return types.Datum{K: types.KindBytes, S: s}, nil // the text is UTF8 already
		}
		out := make([]byte, 0, len(s))
		for i, r := range s {
			if r > 0xff {
				_, size := utf8.DecodeRuneInString(s[i:])
				seq := make([]string, size)
				for k := range seq {
					seq[k] = "0x" + hexByte(s[i+k])
				}
				return types.Datum{}, pgerror.New(pgerror.UntranslatableCharacter, "character with byte sequence %s in encoding \"UTF8\" has no equivalent in encoding \"LATIN1\"", strings.Join(seq, " "))
			}
			out = append(out, byte(r))
		}
		return types.NewBytes(out), nil
	}, types.Text, types.Text))
	fn("convert_from", sig(types.Text, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		enc, err := convertEncoding(a[1].S, "source")
		if err != nil {
			return types.Datum{}, err
		}
		s := a[0].S
		if enc != "LATIN1" {
			if err := invalidUTF8(s); err != nil {
				return types.Datum{}, err
			}
			return types.NewText(s), nil
		}
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			if s[i] == 0 {
				return types.Datum{}, pgerror.New(pgerror.CharacterNotInRepertoire, "invalid byte sequence for encoding \"LATIN1\": 0x00")
			}
			b.WriteRune(rune(s[i]))
		}
		return types.NewText(b.String()), nil
	}, types.Bytea, types.Text))
}

func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}
