package tsearch

import "strings"

// Markup the default parser skips: XML/HTML tags and entities.

// tag skips <name attr="v" ...>, </name>, <name/>, <!-- ... -->, <!...>
// and <?...?>. A name is a letter or underscore, then letters, digits and
// _ : . -; anything else after '<' (an e-mail address or URL in angle
// brackets) is no tag, and its text is parsed as usual.
func (p *tparser) tag() bool {
	s, j := p.s, p.i+1
	if strings.HasPrefix(s[j:], "!--") {
		if k := strings.Index(s[j+3:], "-->"); k >= 0 {
			p.emit(TokTag, p.i, j+3+k+3)
			p.i = j + 3 + k + 3
			return true
		}
		return false
	}
	if j < len(s) && (s[j] == '!' || s[j] == '?') {
		if k := strings.IndexByte(s[j:], '>'); k >= 0 {
			p.emit(TokTag, p.i, j+k+1)
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
	start := p.i
	if !p.tagEnd(j) {
		return false
	}
	p.emit(TokTag, start, p.i)
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
	p.emit(TokEntity, p.i, j+1)
	p.i = j + 1
	return true
}
