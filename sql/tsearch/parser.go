package tsearch

import (
	"unicode/utf8"
)

// TokenType numbers the token types of PostgreSQL's default text search
// parser as ts_token_type('default') does (tokid, src/backend/tsearch/wparser_def.c).
type TokenType uint8

const (
	TokAsciiWord TokenType = iota + 1
	TokWord
	TokNumWord
	TokEmail
	TokURL
	TokHost
	TokSFloat
	TokVersion
	TokHWordNumPart
	TokHWordPart
	TokHWordAsciiPart
	TokBlank
	TokTag
	TokProtocol
	TokNumHWord
	TokAsciiHWord
	TokHWord
	TokURLPath
	TokFile
	TokFloat
	TokInt
	TokUInt
	TokEntity
)

// TokenTypes are ts_token_type('default'): alias and description by tokid.
var TokenTypes = [...]struct{ Alias, Description string }{
	{},
	{"asciiword", "Word, all ASCII"},
	{"word", "Word, all letters"},
	{"numword", "Word, letters and digits"},
	{"email", "Email address"},
	{"url", "URL"},
	{"host", "Host"},
	{"sfloat", "Scientific notation"},
	{"version", "Version number"},
	{"hword_numpart", "Hyphenated word part, letters and digits"},
	{"hword_part", "Hyphenated word part, all letters"},
	{"hword_asciipart", "Hyphenated word part, all ASCII"},
	{"blank", "Space symbols"},
	{"tag", "XML tag"},
	{"protocol", "Protocol head"},
	{"numhword", "Hyphenated word, letters and digits"},
	{"asciihword", "Hyphenated word, all ASCII"},
	{"hword", "Hyphenated word, all letters"},
	{"url_path", "URL path"},
	{"file", "File or path name"},
	{"float", "Decimal notation"},
	{"int", "Signed integer"},
	{"uint", "Unsigned integer"},
	{"entity", "XML entity"},
}

// skipped reports whether no configuration indexes the type.
func (t TokenType) skipped() bool {
	return t == TokBlank || t == TokTag || t == TokEntity || t == TokProtocol
}

// Token is one token of a document: its type and its text.
type Token struct {
	Type TokenType
	Text string
}

// Parse splits text into the tokens PostgreSQL's default parser yields
// under the C locale, leaving out blanks, tags, entities and protocols (no
// configuration indexes them, and they take no position).
//
// This is not a port of wparser_def.c's state machine; it reproduces its
// results for: words (ASCII, non-ASCII, with digits), hyphenated words and
// their parts, integers with and without sign, decimals, versions,
// exponent floats, e-mail addresses, host names, URLs with and without a
// protocol (url, host, url_path), file paths and dotted abbreviations
// (file), XML/HTML tags and entities. In the C locale every non-ASCII
// character is a letter, as PostgreSQL's p_isalpha says.
func Parse(text string) []Token {
	p := tparser{s: text}
	for p.i < len(p.s) {
		p.step()
	}
	return p.out
}

// ParseAll is Parse with the blanks, tags, entities and protocols left in
// (ts_parse, ts_debug): every byte of text is in exactly one token, except
// that url is followed by its host and url_path, and a hyphenated word by
// its parts.
func ParseAll(text string) []Token {
	p := tparser{s: text, all: true}
	for p.i < len(p.s) {
		p.step()
	}
	p.flushBlank(len(text))
	return p.out
}

type tparser struct {
	s   string
	i   int
	out []Token
	all bool // ParseAll
	// last is the end of the text the tokens so far cover (ParseAll).
	last int
}

func (p *tparser) emit(t TokenType, from, to int) {
	if !p.all {
		if !t.skipped() {
			p.out = append(p.out, Token{Type: t, Text: p.s[from:to]})
		}
		return
	}
	p.flushBlank(from)
	p.out = append(p.out, Token{Type: t, Text: p.s[from:to]})
	p.last = max(p.last, to)
}

// flushBlank emits the uncovered text before to as blank tokens. A new
// blank starts at each '-', '+', '&', '<' and '/': PostgreSQL's parser
// begins a token there (a sign, an entity, a tag, a path) and, failing,
// makes it a blank of its own.
func (p *tparser) flushBlank(to int) {
	if !p.all || to <= p.last {
		return
	}
	from := p.last
	for k := from + 1; k < to; k++ {
		if c := p.s[k]; c == '-' || c == '+' || c == '&' || c == '<' || c == '/' {
			p.out = append(p.out, Token{Type: TokBlank, Text: p.s[from:k]})
			from = k
		}
	}
	p.out = append(p.out, Token{Type: TokBlank, Text: p.s[from:to]})
	p.last = to
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool       { return c >= '0' && c <= '9' }

// isLetterAt reports whether a letter starts at j (ASCII or any non-ASCII
// character) and its byte length.
func (p *tparser) letterAt(j int) (bool, int) {
	if j >= len(p.s) {
		return false, 0
	}
	c := p.s[j]
	if c < utf8.RuneSelf {
		return isASCIILetter(c), 1
	}
	_, n := utf8.DecodeRuneInString(p.s[j:])
	return true, n
}

// alnumRun is the end of the run of letters and digits from j, and what it
// holds.
func (p *tparser) alnumRun(j int) (end int, hasDigit, hasLetter, nonASCII bool) {
	for j < len(p.s) {
		if isDigit(p.s[j]) {
			hasDigit = true
			j++
			continue
		}
		ok, n := p.letterAt(j)
		if !ok {
			break
		}
		hasLetter = true
		nonASCII = nonASCII || n > 1
		j += n
	}
	return j, hasDigit, hasLetter, nonASCII
}

func (p *tparser) step() {
	c := p.s[p.i]
	switch {
	case c == '<':
		if p.tag() {
			return
		}
	case c == '&':
		if p.entity() {
			return
		}
	case c == '/':
		if p.file() {
			return
		}
	case (c == '-' || c == '+') && p.i+1 < len(p.s) && isDigit(p.s[p.i+1]):
		p.number(p.i, true)
		return
	}
	isLetter, _ := p.letterAt(p.i)
	if !isLetter && !isDigit(c) {
		p.i++
		return
	}
	// An exponent number first: 1e5x is 1e5, then x (and 1e5a.b is 1e5,
	// then a.b).
	if isDigit(c) && isSFloatAt(p.s, p.i) && p.number(p.i, false) {
		return
	}
	if p.protocol() || p.email() || p.hostOrURL(p.i) || p.hword() || p.file() {
		return
	}
	if isDigit(c) && p.number(p.i, false) {
		return
	}
	p.word()
}

// isSFloatAt reports whether digits[.digits]e[+-]digits starts at i.
func isSFloatAt(s string, i int) bool {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
		for j++; j < len(s) && isDigit(s[j]); j++ {
		}
	}
	if j >= len(s) || (s[j] != 'e' && s[j] != 'E') {
		return false
	}
	j++
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	return j < len(s) && isDigit(s[j])
}

// number reads [+-]digits, decimals (float), dotted digit groups
// (version) and exponent forms (sfloat) from j.
func (p *tparser) number(j int, signed bool) bool {
	s := p.s
	k := j
	if signed {
		k++
	}
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	typ := TokUInt
	if signed {
		typ = TokInt
	}
	dots := 0
	for k+1 < len(s) && s[k] == '.' && isDigit(s[k+1]) {
		k++
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		dots++
	}
	switch {
	case dots == 1:
		typ = TokFloat
	case dots > 1:
		if signed {
			// PostgreSQL has no signed version: the sign is a blank.
			return p.number(j+1, false)
		}
		typ = TokVersion
	}
	if dots <= 1 && k < len(s) && (s[k] == 'e' || s[k] == 'E') {
		e := k + 1
		if e < len(s) && (s[e] == '+' || s[e] == '-') {
			e++
		}
		if e < len(s) && isDigit(s[e]) {
			for e < len(s) && isDigit(s[e]) {
				e++
			}
			p.emit(TokSFloat, j, e)
			p.i = e
			return true
		}
	}
	if dots == 0 && !signed {
		// Digits followed by letters make a numword.
		if ok, _ := p.letterAt(k); ok {
			return false
		}
	}
	p.emit(typ, j, k)
	p.i = k
	return true
}

// wordType classifies a run of letters and digits.
func wordType(hasDigit, nonASCII bool) TokenType {
	switch {
	case hasDigit:
		return TokNumWord
	case nonASCII:
		return TokWord
	}
	return TokAsciiWord
}

func (p *tparser) word() {
	end, hasDigit, _, nonASCII := p.alnumRun(p.i)
	p.emit(wordType(hasDigit, nonASCII), p.i, end)
	p.i = end
}

// hword reads a hyphenated word (parts of letters and digits, each with a
// letter): the whole, then each part.
func (p *tparser) hword() bool {
	s := p.s
	type part struct {
		from, to int
		typ      TokenType
	}
	var parts []part
	j := p.i
	for {
		end, hasDigit, hasLetter, nonASCII := p.alnumRun(j)
		if end == j || !hasLetter {
			break
		}
		typ := TokHWordAsciiPart
		switch {
		case hasDigit:
			typ = TokHWordNumPart
		case nonASCII:
			typ = TokHWordPart
		}
		parts = append(parts, part{j, end, typ})
		if end+1 < len(s) && s[end] == '-' {
			j = end + 1
			continue
		}
		break
	}
	if len(parts) < 2 {
		return false
	}
	end := parts[len(parts)-1].to
	whole := TokAsciiHWord
	for _, pt := range parts {
		switch {
		case pt.typ == TokHWordNumPart:
			whole = TokNumHWord
		case pt.typ == TokHWordPart && whole == TokAsciiHWord:
			whole = TokHWord
		}
	}
	p.emit(whole, p.i, end)
	// The parts cover the text again, the hyphens between them as blanks
	// (ts_parse shows foo-bar, foo, -, bar).
	p.last = p.i
	for _, pt := range parts {
		p.emit(pt.typ, pt.from, pt.to)
	}
	p.i = end
	// PostgreSQL's parser takes the hyphen after a hyphenated word as a
	// blank, so foo-bar-123 ends with 123, not -123.
	if p.i+1 < len(s) && s[p.i] == '-' && isDigit(s[p.i+1]) {
		p.i++
	}
	return true
}
