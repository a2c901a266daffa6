package tsearch

import (
	"strings"
	"unicode/utf8"
)

// TokenType numbers the token types of PostgreSQL's default text search
// parser (ts_token_type('default'), src/backend/tsearch/wparser_def.c).
type TokenType uint8

const (
	TokAsciiWord TokenType = iota + 1
	TokWord
	TokNumWord
	TokAsciiHWord
	TokHWord
	TokNumHWord
	TokHWordAsciiPart
	TokHWordPart
	TokHWordNumPart
	TokEmail
	TokProtocol
	TokURL
	TokHost
	TokURLPath
	TokFile
	TokSFloat
	TokFloat
	TokInt
	TokUInt
	TokVersion
	TokTag
	TokEntity
	TokBlank
)

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

type tparser struct {
	s   string
	i   int
	out []Token
}

func (p *tparser) emit(t TokenType, from, to int) {
	p.out = append(p.out, Token{Type: t, Text: p.s[from:to]})
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
	if p.protocol() || p.email() || p.hostOrURL(p.i) || p.hword() || p.file() {
		return
	}
	if isDigit(c) && p.number(p.i, false) {
		return
	}
	p.word()
}

// tag skips <name attr="v" ...>, </name>, <name/>, <!-- ... -->, <!...>
// and <?...?>. A name is a letter or underscore, then letters, digits and
// _ : . -; anything else after '<' (an e-mail address or URL in angle
// brackets) is no tag, and its text is parsed as usual.
func (p *tparser) tag() bool {
	s, j := p.s, p.i+1
	if strings.HasPrefix(s[j:], "!--") {
		if k := strings.Index(s[j+3:], "-->"); k >= 0 {
			p.i = j + 3 + k + 3
			return true
		}
		return false
	}
	if j < len(s) && (s[j] == '!' || s[j] == '?') {
		if k := strings.IndexByte(s[j:], '>'); k >= 0 {
			p.i = j + k + 1
			return true
		}
		return false
	}
	closing := j < len(s) && s[j] == '/'
	if closing {
		j++
	}
	if j >= len(s) || !(isASCIILetter(s[j]) || s[j] == '_') {
		return false
	}
	nameStart := j
	for j < len(s) && (isASCIILetter(s[j]) || isDigit(s[j]) || strings.IndexByte("_:.-", s[j]) >= 0) {
		j++
	}
	if !p.tagEnd(j) {
		return false
	}
	// The text of <style> and <script> is skipped up to their closing tag
	// (or to the end), as HTML has it.
	if name := strings.ToLower(s[nameStart:j]); !closing && (name == "style" || name == "script") {
		if k := strings.Index(strings.ToLower(s[p.i:]), "</"+name); k >= 0 {
			p.i += k
		} else {
			p.i = len(s)
		}
	}
	return true
}

// tagEnd reads the rest of a tag after its name from j: '>', '/>' or
// blank-separated attributes, and moves past it.
func (p *tparser) tagEnd(j int) bool {
	s := p.s
	switch {
	case j < len(s) && s[j] == '>':
		p.i = j + 1
		return true
	case j+1 < len(s) && s[j] == '/' && s[j+1] == '>':
		p.i = j + 2
		return true
	case j >= len(s) || !isTSSpaceByte(s[j]):
		return false
	}
	// Attributes: [name][=value], value quoted (a '>' inside quotes does
	// not close the tag) or bare, separated by blanks.
	for j < len(s) {
		for j < len(s) && isTSSpaceByte(s[j]) {
			j++
		}
		if j >= len(s) {
			return false
		}
		if s[j] == '>' {
			p.i = j + 1
			return true
		}
		if s[j] == '/' && j+1 < len(s) && s[j+1] == '>' {
			p.i = j + 2
			return true
		}
		k := j
		for k < len(s) && (isASCIILetter(s[k]) || isDigit(s[k]) || strings.IndexByte("_:.-", s[k]) >= 0) {
			k++
		}
		if k < len(s) && s[k] == '=' {
			k++
			if k < len(s) && (s[k] == '"' || s[k] == '\'') {
				q := strings.IndexByte(s[k+1:], s[k])
				if q < 0 {
					return false
				}
				k += q + 2
			} else {
				for k < len(s) && !isTSSpaceByte(s[k]) && s[k] != '>' && s[k] != '<' {
					k++
				}
			}
		}
		if k == j || (k < len(s) && !isTSSpaceByte(s[k]) && s[k] != '>') {
			return false
		}
		j = k
	}
	return false
}

// entity skips &name; and &#digits;.
func (p *tparser) entity() bool {
	s, j := p.s, p.i+1
	start := j
	if j < len(s) && s[j] == '#' {
		j++
		start = j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	} else {
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
	}
	if j == start || j >= len(s) || s[j] != ';' {
		return false
	}
	p.i = j + 1
	return true
}

// protocol skips scheme:// and reads the URL (or path) after it.
func (p *tparser) protocol() bool {
	s, j := p.s, p.i
	for j < len(s) && isASCIILetter(s[j]) {
		j++
	}
	if j == p.i || j+3 > len(s) || s[j:j+3] != "://" {
		return false
	}
	p.i = j + 3
	if p.i < len(p.s) && !p.hostOrURL(p.i) && !p.file() {
		return true
	}
	return true
}

func isHostChar(c byte) bool { return isASCIILetter(c) || isDigit(c) || c == '-' || c == '_' }

// hostEnd returns the end of the longest host name at j: labels of
// letters, digits, '-' and '_' joined by single dots, at least two, the
// last one two or more letters not followed by a letter or digit.
func (p *tparser) hostEnd(j int) int {
	s := p.s
	best := -1
	labels := 0
	for {
		k := j
		for k < len(s) && isHostChar(s[k]) {
			k++
		}
		if k == j {
			return best
		}
		labels++
		if labels >= 2 {
			// The last label: the letters at its start, if a host can end there.
			e := j
			for e < k && isASCIILetter(s[e]) {
				e++
			}
			if e-j >= 2 && (e == k || s[e] == '-' || s[e] == '_') {
				if ok, _ := p.letterAt(e); !ok && (e >= len(s) || !isDigit(s[e])) {
					best = e
				}
			}
		}
		if k < len(s) && s[k] == '.' {
			j = k + 1
			continue
		}
		return best
	}
}

// isURLPathChar: a URL path runs over printable ASCII except the
// characters RFC 3986 calls unsafe (what PostgreSQL's parser accepts).
func isURLPathChar(c byte) bool {
	return c > ' ' && c < 0x7F && !strings.ContainsRune("\"<>\\{}|^`", rune(c))
}

// hostOrURL reads a host name and, if a path follows it, a URL (url, then
// host and url_path, as PostgreSQL emits them).
func (p *tparser) hostOrURL(j int) bool {
	end := p.hostEnd(j)
	if end < 0 {
		return false
	}
	s := p.s
	k := end
	for k < len(s) && s[end] == '/' && isURLPathChar(s[k]) {
		k++
	}
	if k > end+1 { // a path needs more than the slash
		p.emit(TokURL, j, k)
		p.emit(TokHost, j, end)
		p.emit(TokURLPath, end, k)
		p.i = k
		return true
	}
	p.emit(TokHost, j, end)
	p.i = end
	return true
}

func isEmailLocalChar(c byte) bool {
	return isASCIILetter(c) || isDigit(c) || c == '.' || c == '_' || c == '-'
}

func (p *tparser) email() bool {
	s, j := p.s, p.i
	for j < len(s) && isEmailLocalChar(s[j]) {
		j++
	}
	if j == p.i || j >= len(s) || s[j] != '@' {
		return false
	}
	end := p.hostEnd(j + 1)
	if end < 0 {
		return false
	}
	p.emit(TokEmail, p.i, end)
	p.i = end
	return true
}

func isFileChar(c byte) bool {
	return isASCIILetter(c) || isDigit(c) || c == '.' || c == '_' || c == '/' || c == '-'
}

// file reads a path or a dotted word that is not a host: e.g, a/b.c,
// /usr/local/x.txt, v1.2.
func (p *tparser) file() bool {
	s, j := p.s, p.i
	// A path never holds "//": it ends before one (a//b is a, then /b).
	for j < len(s) && isFileChar(s[j]) && !(s[j] == '/' && j+1 < len(s) && s[j+1] == '/') {
		j++
	}
	for j > p.i && (s[j-1] == '.' || s[j-1] == '-' || (s[j-1] == '/' && j-1 > p.i)) {
		j--
	}
	run := s[p.i:j]
	if run == "" {
		return false
	}
	// A hyphen before any dot or slash makes a hyphenated word (foo-bar.c
	// is foo-bar, then c); after one it belongs to the file (v2.0-beta).
	if k := strings.IndexAny(run, "-./"); k >= 0 && run[k] == '-' && run[0] != '/' {
		return false
	}
	// Digits first make a number, a version or a host unless a slash
	// follows (24/7 is a file).
	if isDigit(run[0]) && !strings.Contains(run, "/") {
		return false
	}
	sep, letter, digitsDots := false, false, true
	for k := 0; k < len(run); k++ {
		c := run[k]
		switch {
		case c == '/':
			sep = true
			digitsDots = false
		case c == '.':
			if k+1 < len(run) && run[k+1] == '.' {
				return false
			}
			if k > 0 && k+1 < len(run) {
				sep = true
			}
		case isASCIILetter(c):
			letter = true
			digitsDots = false
		case c == '_':
			digitsDots = false
		}
	}
	if !sep || digitsDots || (!letter && !strings.ContainsAny(run, "0123456789")) || (!letter && !strings.Contains(run, "/")) {
		return false
	}
	if ok, _ := p.letterAt(j); ok {
		return false
	}
	p.emit(TokFile, p.i, j)
	p.i = j
	return true
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
