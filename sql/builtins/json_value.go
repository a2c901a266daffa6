package builtins

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// JSON values for the json/jsonb functions. A json datum holds its text as
// given (validated on input), a jsonb datum the text PostgreSQL prints for
// it (normalized by sql/types). Reading a field or element scans the text
// without building a tree (the result is a slice of the input); functions
// that build new values parse into a jv tree and print it back.

type jkind uint8

const (
	jkNull jkind = iota
	jkFalse
	jkTrue
	jkNum
	jkStr
	jkArr
	jkObj
)

// jv is a parsed JSON value.
type jv struct {
	k   jkind
	s   string // jkStr: the decoded string; jkNum: the number as written
	raw string // the source text of the value, "" when built
	arr []jv
	obj []jkv
}

type jkv struct {
	key string
	val jv
}

func errJSONSyntax() error {
	return pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type json")
}

// trimJSONSpace removes the white space around a value.
func trimJSONSpace(s string) string {
	i := jsSkipWS(s, 0)
	j := len(s)
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\n' || s[j-1] == '\r') {
		j--
	}
	return s[i:j]
}

func jsSkipWS(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// jsKindAt is the kind of the value starting at s[i] (after white space).
func jsKindAt(s string, i int) jkind {
	if i >= len(s) {
		return jkNull
	}
	switch s[i] {
	case '{':
		return jkObj
	case '[':
		return jkArr
	case '"':
		return jkStr
	case 't':
		return jkTrue
	case 'f':
		return jkFalse
	case 'n':
		return jkNull
	}
	return jkNum
}

// jsStringEnd returns the index after the closing quote of the string
// starting at s[i], and whether it contains escapes.
func jsStringEnd(s string, i int) (int, bool, error) {
	esc := false
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return j + 1, esc, nil
		}
	}
	return 0, false, errJSONSyntax()
}

// jsSkipValue returns the index after the value starting at s[i].
func jsSkipValue(s string, i int) (int, error) {
	if i >= len(s) {
		return 0, errJSONSyntax()
	}
	switch s[i] {
	case '"':
		e, _, err := jsStringEnd(s, i)
		return e, err
	case '{', '[':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '"':
				e, _, err := jsStringEnd(s, j)
				if err != nil {
					return 0, err
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errJSONSyntax()
	}
	j := i
	for j < len(s) {
		c := s[j]
		if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' {
			break
		}
		j++
	}
	if j == i {
		return 0, errJSONSyntax()
	}
	return j, nil
}

// jsDecodeString decodes the JSON string literal lit (with its quotes).
func jsDecodeString(lit string, esc bool) string {
	inner := lit[1 : len(lit)-1]
	if !esc {
		return inner
	}
	b := make([]byte, 0, len(inner))
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		if c != '\\' || i+1 >= len(inner) {
			b = append(b, c)
			continue
		}
		i++
		switch inner[i] {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			if i+5 > len(inner) {
				b = append(b, 'u')
				continue
			}
			r := hex4(inner[i+1 : i+5])
			i += 4
			if r >= 0xd800 && r < 0xdc00 && i+7 <= len(inner) && inner[i+1] == '\\' && inner[i+2] == 'u' {
				if d := utf16.DecodeRune(rune(r), rune(hex4(inner[i+3:i+7]))); d != utf8.RuneError {
					b = utf8.AppendRune(b, d)
					i += 6
					continue
				}
			}
			b = utf8.AppendRune(b, rune(r))
		default:
			b = append(b, inner[i])
		}
	}
	return string(b)
}

func hex4(s string) int {
	v := 0
	for i := 0; i < 4 && i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v*16 + int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v*16 + int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v*16 + int(c-'A'+10)
		}
	}
	return v
}

// jsEachPair calls f for each member of the object starting at s[i] ('{'),
// with the decoded key and the value's span; f returns false to stop. It
// returns the index after the object (-1 when stopped early).
func jsEachPair(s string, i int, f func(key string, vs, ve int) bool) (int, error) {
	i = jsSkipWS(s, i+1)
	if i < len(s) && s[i] == '}' {
		return i + 1, nil
	}
	for i < len(s) {
		if s[i] != '"' {
			return 0, errJSONSyntax()
		}
		ke, esc, err := jsStringEnd(s, i)
		if err != nil {
			return 0, err
		}
		key := jsDecodeString(s[i:ke], esc)
		i = jsSkipWS(s, ke)
		if i >= len(s) || s[i] != ':' {
			return 0, errJSONSyntax()
		}
		vs := jsSkipWS(s, i+1)
		ve, err := jsSkipValue(s, vs)
		if err != nil {
			return 0, err
		}
		if !f(key, vs, ve) {
			return -1, nil
		}
		i = jsSkipWS(s, ve)
		if i < len(s) && s[i] == ',' {
			i = jsSkipWS(s, i+1)
			continue
		}
		if i < len(s) && s[i] == '}' {
			return i + 1, nil
		}
		break
	}
	return 0, errJSONSyntax()
}

// jsEachElem calls f for each element span of the array starting at s[i];
// it returns the index after the array (-1 when stopped early).
func jsEachElem(s string, i int, f func(vs, ve int) bool) (int, error) {
	i = jsSkipWS(s, i+1)
	if i < len(s) && s[i] == ']' {
		return i + 1, nil
	}
	for i < len(s) {
		ve, err := jsSkipValue(s, i)
		if err != nil {
			return 0, err
		}
		if !f(i, ve) {
			return -1, nil
		}
		i = jsSkipWS(s, ve)
		if i < len(s) && s[i] == ',' {
			i = jsSkipWS(s, i+1)
			continue
		}
		if i < len(s) && s[i] == ']' {
			return i + 1, nil
		}
		break
	}
	return 0, errJSONSyntax()
}

// jsField returns the span of the last member named key of the object
// at s[i] (json keeps duplicate keys; the last one is what PostgreSQL finds).
func jsField(s string, i int, key string) (int, int, bool, error) {
	fs, fe, found := 0, 0, false
	_, err := jsEachPair(s, i, func(k string, vs, ve int) bool {
		if k == key {
			fs, fe, found = vs, ve, true
		}
		return true
	})
	return fs, fe, found, err
}

// jsLen is the number of elements of the array at s[i].
func jsLen(s string, i int) (int, error) {
	n := 0
	_, err := jsEachElem(s, i, func(int, int) bool { n++; return true })
	return n, err
}

// jsElem returns the span of element idx (negative counts from the end) of
// the array at s[i].
func jsElem(s string, i int, idx int) (int, int, bool, error) {
	if idx < 0 {
		n, err := jsLen(s, i)
		if err != nil {
			return 0, 0, false, err
		}
		idx += n
		if idx < 0 {
			return 0, 0, false, nil
		}
	}
	fs, fe, found := 0, 0, false
	k := 0
	_, err := jsEachElem(s, i, func(vs, ve int) bool {
		if k == idx {
			fs, fe, found = vs, ve, true
			return false
		}
		k++
		return true
	})
	return fs, fe, found, err
}

// jsText is the ->> result of a value span: strings decoded, null as SQL
// NULL (ok false), other values as their text.
func jsText(v string) (string, bool) {
	switch jsKindAt(v, 0) {
	case jkStr:
		_, esc, _ := jsStringEnd(v, 0)
		return jsDecodeString(v, esc), true
	case jkNull:
		return "", false
	}
	return v, true
}

// parseJV parses JSON text into a tree.
func parseJV(s string) (jv, error) {
	i := jsSkipWS(s, 0)
	v, e, err := parseJVAt(s, i)
	if err != nil {
		return v, err
	}
	if jsSkipWS(s, e) != len(s) {
		return v, errJSONSyntax()
	}
	return v, nil
}

func parseJVAt(s string, i int) (jv, int, error) {
	var v jv
	if i >= len(s) {
		return v, 0, errJSONSyntax()
	}
	switch s[i] {
	case '{':
		v.k = jkObj
		var err error
		e, err2 := jsEachPair(s, i, func(key string, vs, ve int) bool {
			var c jv
			if c, _, err = parseJVAt(s, vs); err != nil {
				return false
			}
			v.obj = append(v.obj, jkv{key, c})
			return true
		})
		if err == nil {
			err = err2
		}
		if err != nil {
			return v, 0, err
		}
		v.raw = s[i:e]
		return v, e, nil
	case '[':
		v.k = jkArr
		var err error
		e, err2 := jsEachElem(s, i, func(vs, ve int) bool {
			var c jv
			if c, _, err = parseJVAt(s, vs); err != nil {
				return false
			}
			v.arr = append(v.arr, c)
			return true
		})
		if err == nil {
			err = err2
		}
		if err != nil {
			return v, 0, err
		}
		v.raw = s[i:e]
		return v, e, nil
	case '"':
		e, esc, err := jsStringEnd(s, i)
		if err != nil {
			return v, 0, err
		}
		v.k, v.raw = jkStr, s[i:e]
		v.s = jsDecodeString(v.raw, esc)
		return v, e, nil
	}
	e, err := jsSkipValue(s, i)
	if err != nil {
		return v, 0, err
	}
	v.raw = s[i:e]
	switch v.raw {
	case "true":
		v.k = jkTrue
	case "false":
		v.k = jkFalse
	case "null":
		v.k = jkNull
	default:
		v.k, v.s = jkNum, v.raw
	}
	return v, e, nil
}

// jsonbKeyLess orders jsonb object keys: shorter first, then bytewise.
func jsonbKeyLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// normalizeObj sorts members as jsonb does and keeps the last of equal keys.
func normalizeObj(pairs []jkv) []jkv {
	if len(pairs) < 2 {
		return pairs
	}
	sorted := true
	for i := 1; i < len(pairs); i++ {
		if !jsonbKeyLess(pairs[i-1].key, pairs[i].key) {
			sorted = false
			break
		}
	}
	if sorted {
		return pairs
	}
	// insertion sort keeps input order among equal keys (stable)
	out := append([]jkv(nil), pairs...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && jsonbKeyLess(out[j].key, out[j-1].key); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	w := 0
	for i := range out {
		if w > 0 && out[w-1].key == out[i].key {
			out[w-1] = out[i]
			continue
		}
		out[w] = out[i]
		w++
	}
	return out[:w]
}

// jvNorm marks trees whose raw texts are normalized jsonb text, so a
// subtree can be copied as is.
type jvNorm bool

// appendJSONB prints v as jsonb (normalized). norm says whether raw texts
// in v are jsonb text already.
func appendJSONB(dst []byte, v *jv, norm jvNorm) ([]byte, error) {
	if norm && v.raw != "" {
		return append(dst, v.raw...), nil
	}
	switch v.k {
	case jkNull:
		return append(dst, "null"...), nil
	case jkTrue:
		return append(dst, "true"...), nil
	case jkFalse:
		return append(dst, "false"...), nil
	case jkStr:
		return types.AppendJSONString(dst, v.s), nil
	case jkNum:
		return appendJSONBNumber(dst, v.s)
	case jkArr:
		dst = append(dst, '[')
		for i := range v.arr {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			var err error
			if dst, err = appendJSONB(dst, &v.arr[i], norm); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	}
	pairs := normalizeObj(v.obj)
	dst = append(dst, '{')
	for i := range pairs {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = types.AppendJSONString(dst, pairs[i].key)
		dst = append(dst, ": "...)
		var err error
		if dst, err = appendJSONB(dst, &pairs[i].val, norm); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}

// appendJSONBNumber prints a JSON number as jsonb stores it (numeric).
func appendJSONBNumber(dst []byte, num string) ([]byte, error) {
	if isPlainInt(num) {
		return append(dst, num...), nil
	}
	d, err := types.ParseText(types.Numeric, num, nil)
	if err != nil {
		return nil, err
	}
	return types.AppendText(dst, d, types.Numeric, nil), nil
}

func isPlainInt(s string) bool {
	if s == "" {
		return false
	}
	i := 0
	if s[0] == '-' {
		i = 1
	}
	if i >= len(s) || (s[i] == '0' && len(s) > i+1) {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return !(s == "-0")
}

func jsonbText(v *jv, norm jvNorm) (types.Datum, error) {
	b, err := appendJSONB(nil, v, norm)
	if err != nil {
		return types.Datum{}, err
	}
	return types.NewJSONB(string(b)), nil
}

// appendJSONBPretty is JsonbToCStringIndent (jsonb_pretty).
func appendJSONBPretty(dst []byte, v *jv) []byte {
	p := prettyPrinter{out: dst, first: true}
	if v.k != jkArr && v.k != jkObj {
		b, _ := appendJSONB(nil, v, false)
		return append(p.out, b...)
	}
	p.value(v, false)
	return p.out
}

type prettyPrinter struct {
	out       []byte
	level     int
	first     bool
	useIndent bool
}

func (p *prettyPrinter) indent(on bool) {
	if on {
		p.out = append(p.out, '\n')
		for i := 0; i < p.level; i++ {
			p.out = append(p.out, "    "...)
		}
	}
}

// value follows the token loop of JsonbToCStringWorker with indentation;
// afterKey is last_was_key.
func (p *prettyPrinter) value(v *jv, afterKey bool) {
	switch v.k {
	case jkArr, jkObj:
		if !p.first && !afterKey {
			p.out = append(p.out, ',')
		}
		p.indent(p.useIndent && !afterKey)
		open, close := byte('['), byte(']')
		if v.k == jkObj {
			open, close = '{', '}'
		}
		p.out = append(p.out, open)
		p.first = true
		p.level++
		p.useIndent = true
		if v.k == jkArr {
			for i := range v.arr {
				e := &v.arr[i]
				if e.k == jkArr || e.k == jkObj {
					p.value(e, false)
					continue
				}
				if !p.first {
					p.out = append(p.out, ',')
				}
				p.first = false
				p.indent(p.useIndent)
				p.out, _ = appendJSONB(p.out, e, false)
			}
		} else {
			for _, kv := range normalizeObj(v.obj) {
				if !p.first {
					p.out = append(p.out, ',')
				}
				p.first = true
				p.indent(p.useIndent)
				p.out = types.AppendJSONString(p.out, kv.key)
				p.out = append(p.out, ": "...)
				val := kv.val
				if val.k == jkArr || val.k == jkObj {
					p.value(&val, true)
				} else {
					p.first = false
					p.out, _ = appendJSONB(p.out, &val, false)
				}
			}
		}
		p.level--
		p.indent(p.useIndent)
		p.out = append(p.out, close)
		p.first = false
	}
}

// isJSONNumber is IsValidJsonNumber: whether a number's output text may
// stand as a JSON number ("NaN" and "Infinity" may not).
func isJSONNumber(s string) bool {
	if s == "" {
		return false
	}
	i := 0
	if s[0] == '-' {
		i++
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return false
	}
	if s[i] == '0' {
		i++
	} else {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && s[i] == '.' {
		i++
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == len(s)
}

// parsePathIndex is strtoint as the path functions use it: optional
// leading white space and sign, then digits to the end.
func parsePathIndex(s string) (int, bool) {
	t := strings.TrimLeft(s, " \t\n\r\v\f")
	if t == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(t, 10, 32)
	if err != nil {
		return 0, false
	}
	return int(n), true
}
