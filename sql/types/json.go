package types

import (
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// json and jsonb text: json keeps the input text once it has been
// validated with PostgreSQL's grammar (src/common/jsonapi.c); jsonb is
// normalized the way PostgreSQL prints jsonb (JsonbToCString): strings
// de-escaped and re-escaped, numbers as numeric_out prints them, object
// keys sorted by (length, bytes) with the last duplicate winning, and
// ", " / ": " separators.

const jsonMaxDepth = 6400

type jsonKind uint8

const (
	jNull jsonKind = iota
	jFalse
	jTrue
	jNumber
	jString
	jArray
	jObject
)

// jsonValue is a parsed jsonb value.
type jsonValue struct {
	kind jsonKind
	str  string // decoded string, or normalized number text
	num  *apd.Decimal
	arr  []jsonValue
	obj  []jsonPair
}

type jsonPair struct {
	key string
	val jsonValue
}

type jsonParser struct {
	s     string
	i     int
	build bool // jsonb: decode strings, build the tree, check \u escapes
	depth int
}

func jsonSyntaxError(detail string) error {
	return pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type json").WithDetail("%s", detail)
}

func (p *jsonParser) skipWS() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// token returns the text of the lexer's current token for error details.
func (p *jsonParser) token() string {
	if p.i >= len(p.s) {
		return ""
	}
	c := p.s[p.i]
	switch c {
	case '{', '}', '[', ']', ',', ':':
		return p.s[p.i : p.i+1]
	}
	j := p.i
	for j < len(p.s) {
		c := p.s[j]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ']' || c == '}' || c == ':' || c == '[' || c == '{' {
			break
		}
		j++
	}
	if j == p.i {
		j++
	}
	return p.s[p.i:j]
}

func (p *jsonParser) unexpected(expected string) error {
	if p.i >= len(p.s) {
		return jsonSyntaxError("The input string ended unexpectedly.")
	}
	if expected == "" {
		return jsonSyntaxError(`Token "` + p.token() + `" is invalid.`)
	}
	return jsonSyntaxError("Expected " + expected + `, but found "` + p.token() + `".`)
}

func (p *jsonParser) parseValue(v *jsonValue) error {
	p.skipWS()
	if p.i >= len(p.s) {
		return jsonSyntaxError("The input string ended unexpectedly.")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.parseObject(v)
	case c == '[':
		return p.parseArray(v)
	case c == '"':
		s, err := p.parseString()
		if err != nil {
			return err
		}
		if v != nil {
			v.kind, v.str = jString, s
		}
		return nil
	case c == '-' || isDigit(c):
		return p.parseNumber(v)
	default:
		tok := p.token()
		switch tok {
		case "true", "false", "null":
			p.i += len(tok)
			if v != nil {
				v.kind = map[string]jsonKind{"true": jTrue, "false": jFalse, "null": jNull}[tok]
			}
			return nil
		}
		if c == '}' || c == ']' || c == ',' || c == ':' {
			return p.unexpected("JSON value")
		}
		return p.unexpected("")
	}
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > jsonMaxDepth {
		return pgerror.New(pgerror.StatementTooComplex, "stack depth limit exceeded")
	}
	return nil
}

func (p *jsonParser) parseObject(v *jsonValue) error {
	if err := p.enter(); err != nil {
		return err
	}
	p.i++ // {
	p.skipWS()
	var pairs []jsonPair
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		if v != nil {
			v.kind = jObject
		}
		return nil
	}
	first := true
	for {
		p.skipWS()
		if p.i >= len(p.s) {
			return jsonSyntaxError("The input string ended unexpectedly.")
		}
		if p.s[p.i] != '"' {
			if first {
				return p.unexpected(`string or "}"`)
			}
			return p.unexpected("string")
		}
		first = false
		key, err := p.parseString()
		if err != nil {
			return err
		}
		p.skipWS()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return p.unexpected(`":"`)
		}
		p.i++
		var val *jsonValue
		if v != nil {
			pairs = append(pairs, jsonPair{key: key})
			val = &pairs[len(pairs)-1].val
		}
		if err := p.parseValue(val); err != nil {
			return err
		}
		if done, err := p.afterMember('}', `"," or "}"`); err != nil {
			return err
		} else if done {
			break
		}
	}
	p.depth--
	if v != nil {
		v.kind = jObject
		v.obj = normalizeJSONObject(pairs)
	}
	return nil
}

// normalizeJSONObject sorts keys as jsonb does (shorter first, then
// bytewise) and keeps the last of duplicate keys.
func normalizeJSONObject(pairs []jsonPair) []jsonPair {
	if len(pairs) < 2 {
		return pairs
	}
	sort.SliceStable(pairs, func(a, b int) bool { return jsonKeyLess(pairs[a].key, pairs[b].key) })
	out := pairs[:0]
	for i := 0; i < len(pairs); i++ {
		if len(out) > 0 && out[len(out)-1].key == pairs[i].key {
			out[len(out)-1] = pairs[i] // stable sort keeps input order: the later one wins
			continue
		}
		out = append(out, pairs[i])
	}
	return out
}

func jsonKeyLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// afterMember reads what follows an object member or array element: a
// comma (more follow) or the closing bracket (done).
func (p *jsonParser) afterMember(closing byte, expected string) (done bool, err error) {
	p.skipWS()
	if p.i >= len(p.s) {
		return false, jsonSyntaxError("The input string ended unexpectedly.")
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		return false, nil
	case closing:
		p.i++
		return true, nil
	}
	return false, p.unexpected(expected)
}

func (p *jsonParser) parseArray(v *jsonValue) error {
	if err := p.enter(); err != nil {
		return err
	}
	p.i++ // [
	p.skipWS()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		if v != nil {
			v.kind = jArray
		}
		return nil
	}
	var elems []jsonValue
	for {
		var ev *jsonValue
		if v != nil {
			elems = append(elems, jsonValue{})
			ev = &elems[len(elems)-1]
		}
		if err := p.parseValue(ev); err != nil {
			return err
		}
		if done, err := p.afterMember(']', `"," or "]"`); err != nil {
			return err
		} else if done {
			break
		}
	}
	p.depth--
	if v != nil {
		v.kind = jArray
		v.arr = elems
	}
	return nil
}

func (p *jsonParser) parseNumber(v *jsonValue) error {
	start := p.i
	s := p.s
	i := p.i
	if s[i] == '-' {
		i++
	}
	bad := func(end int) error {
		for end < len(s) && isJSONIdentChar(s[end]) {
			end++
		}
		if end == start {
			end++
		}
		return jsonSyntaxError(`Token "` + s[start:end] + `" is invalid.`)
	}
	if i >= len(s) || !isDigit(s[i]) {
		return bad(i)
	}
	if s[i] == '0' {
		i++
	} else {
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && s[i] == '.' {
		i++
		j := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == j {
			return bad(i)
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == j {
			return bad(i)
		}
	}
	if i < len(s) && isJSONIdentChar(s[i]) {
		return bad(i)
	}
	p.i = i
	if v != nil {
		d := new(apd.Decimal)
		if err := parseNumericInto(d, s[start:i]); err != nil {
			return errNumericOverflow
		}
		v.kind, v.num = jNumber, d
	}
	return nil
}

func isJSONIdentChar(c byte) bool {
	return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'z' || c == '_' || c >= 0x80 || c == '.' || c == '+' || c == '-'
}

// parseString lexes a string; when building it returns the decoded text.
func (p *jsonParser) parseString() (string, error) {
	s := p.s
	start := p.i
	i := p.i + 1
	var b []byte
	plainFrom := i
	hiSurrogate := -1
	for {
		if i >= len(s) {
			return "", jsonSyntaxError(`Token "` + s[start:] + `" is invalid.`)
		}
		c := s[i]
		if c == '"' {
			break
		}
		if c < 0x20 {
			return "", jsonSyntaxError("Character with value 0x" + hex2(c) + " must be escaped.")
		}
		if c != '\\' {
			if hiSurrogate != -1 && p.build {
				return "", jsonSyntaxError("Unicode low surrogate must follow a high surrogate.")
			}
			i++
			continue
		}
		// escape
		if p.build && b == nil {
			b = make([]byte, 0, len(s)-start)
		}
		if p.build {
			b = append(b, s[plainFrom:i]...)
		}
		i++
		if i >= len(s) {
			return "", jsonSyntaxError(`Token "` + s[start:] + `" is invalid.`)
		}
		e := s[i]
		if e == 'u' {
			ch := 0
			for k := 1; k <= 4; k++ {
				if i+k >= len(s) {
					return "", jsonSyntaxError(`"\u" must be followed by four hexadecimal digits.`)
				}
				h, ok := unhex(s[i+k])
				if !ok {
					return "", jsonSyntaxError(`"\u" must be followed by four hexadecimal digits.`)
				}
				ch = ch*16 + int(h)
			}
			i += 5
			plainFrom = i
			if !p.build {
				continue
			}
			switch {
			case ch >= 0xd800 && ch <= 0xdbff:
				if hiSurrogate != -1 {
					return "", jsonSyntaxError("Unicode high surrogate must not follow a high surrogate.")
				}
				hiSurrogate = ch
				continue
			case ch >= 0xdc00 && ch <= 0xdfff:
				if hiSurrogate == -1 {
					return "", jsonSyntaxError("Unicode low surrogate must follow a high surrogate.")
				}
				ch = int(utf16.DecodeRune(rune(hiSurrogate), rune(ch)))
				hiSurrogate = -1
			}
			if hiSurrogate != -1 {
				return "", jsonSyntaxError("Unicode low surrogate must follow a high surrogate.")
			}
			if ch == 0 {
				return "", pgerror.New(pgerror.UntranslatableCharacter, "unsupported Unicode escape sequence").
					WithDetail(`\u0000 cannot be converted to text.`)
			}
			b = utf8.AppendRune(b, rune(ch))
			continue
		}
		if hiSurrogate != -1 && p.build {
			return "", jsonSyntaxError("Unicode low surrogate must follow a high surrogate.")
		}
		var out byte
		switch e {
		case '"', '\\', '/':
			out = e
		case 'b':
			out = '\b'
		case 'f':
			out = '\f'
		case 'n':
			out = '\n'
		case 'r':
			out = '\r'
		case 't':
			out = '\t'
		default:
			_, size := utf8.DecodeRuneInString(s[i:])
			return "", jsonSyntaxError(`Escape sequence "\` + s[i:i+size] + `" is invalid.`)
		}
		i++
		plainFrom = i
		if p.build {
			b = append(b, out)
		}
	}
	if hiSurrogate != -1 && p.build {
		return "", jsonSyntaxError("Unicode low surrogate must follow a high surrogate.")
	}
	p.i = i + 1
	if !p.build {
		return "", nil
	}
	if b == nil {
		return s[start+1 : i], nil
	}
	return string(append(b, s[plainFrom:i]...)), nil
}

func (p *jsonParser) finish() error {
	p.skipWS()
	if p.i < len(p.s) {
		return p.unexpected("end of input")
	}
	return nil
}

// validateJSON is json_in: the text is kept as is.
func validateJSON(s string) error {
	p := jsonParser{s: s}
	if err := p.parseValue(nil); err != nil {
		return err
	}
	return p.finish()
}

// parseJSONB parses and normalizes json text to jsonb's printed form.
func parseJSONB(s string) (string, error) {
	v, err := parseJSONValue(s)
	if err != nil {
		return "", err
	}
	return string(appendJSONValue(nil, &v)), nil
}

func parseJSONValue(s string) (jsonValue, error) {
	p := jsonParser{s: s, build: true}
	var v jsonValue
	if err := p.parseValue(&v); err != nil {
		return v, err
	}
	return v, p.finish()
}

func appendJSONValue(dst []byte, v *jsonValue) []byte {
	switch v.kind {
	case jNull:
		return append(dst, "null"...)
	case jTrue:
		return append(dst, "true"...)
	case jFalse:
		return append(dst, "false"...)
	case jNumber:
		return appendNumeric(dst, v.num)
	case jString:
		return AppendJSONString(dst, v.str)
	case jArray:
		dst = append(dst, '[')
		for i := range v.arr {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendJSONValue(dst, &v.arr[i])
		}
		return append(dst, ']')
	default:
		dst = append(dst, '{')
		for i := range v.obj {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = AppendJSONString(dst, v.obj[i].key)
			dst = append(dst, ": "...)
			dst = appendJSONValue(dst, &v.obj[i].val)
		}
		return append(dst, '}')
	}
}

// AppendJSONString appends s as a JSON string literal, escaped as
// PostgreSQL's escape_json does.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		default:
			if c < 0x20 {
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			} else {
				dst = append(dst, c)
			}
		}
	}
	return append(dst, '"')
}

// jsonbTypeName is the jsonb type of a value as jsonb_typeof and the cast
// errors name it.
func jsonbTypeName(v *jsonValue) string {
	switch v.kind {
	case jNull:
		return "null"
	case jTrue, jFalse:
		return "boolean"
	case jNumber:
		return "numeric"
	case jString:
		return "string"
	case jArray:
		return "array"
	}
	return "object"
}
