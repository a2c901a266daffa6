package tsearch

import "strings"

// Dotted and slashed tokens: protocols, hosts, URLs, e-mail addresses
// and file paths.

// protocol skips scheme:// and reads the URL (or path) after it.
func (p *tparser) protocol() bool {
	s, j := p.s, p.i
	for j < len(s) && isASCIILetter(s[j]) {
		j++
	}
	if j == p.i || j+3 > len(s) || s[j:j+3] != "://" {
		return false
	}
	p.emit(TokProtocol, p.i, j+3)
	p.i = j + 3
	if p.i < len(p.s) && !p.hostOrURL(p.i) {
		p.file()
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
			// A non-ASCII letter may follow the host (ex.comñu is ex.com).
			if e-j >= 2 && (e == k || s[e] == '-' || s[e] == '_') && (e >= len(s) || !isASCIIAlnum(s[e])) {
				best = e
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

func isASCIIAlnum(c byte) bool { return isASCIILetter(c) || isDigit(c) }

// fileEnd is the end of a path or dotted word starting at i: a first part
// of letters and digits (a '_' or '-' there makes it a word or hyphenated
// word instead) or a '/', then parts joined by '.' (followed by a letter or
// digit) and '/' (never "//"; followed by a letter, digit, '.', '_' or
// '~'), holding letters, digits, '_' and '-'. It returns i when none.
func fileEnd(s string, i int) int {
	j := i
	if isASCIIAlnum(s[j]) {
		for j < len(s) && isASCIIAlnum(s[j]) {
			j++
		}
		if j >= len(s) || (s[j] != '.' && s[j] != '/') {
			return i
		}
	}
	for j < len(s) {
		c := s[j]
		var next byte
		if j+1 < len(s) {
			next = s[j+1]
		}
		switch {
		case c == '/':
			switch {
			case isASCIIAlnum(next) || next == '_':
				j++
			case next == '~' && j+2 < len(s) && isASCIIAlnum(s[j+2]):
				j += 2 // a home directory: /~v2
			case strings.HasPrefix(s[j+1:], ".."):
				// a/.. ends a path; /..x is no path at all.
				if k := j + 3; k < len(s) && (isASCIIAlnum(s[k]) || s[k] == '.') {
					return j
				}
				return j + 3
			case next == '.' && j+2 < len(s) && isASCIIAlnum(s[j+2]):
				j += 2 // a hidden name: /.a
			default:
				return j
			}
		case c == '.':
			if !isASCIIAlnum(next) && next != '_' {
				return j
			}
			j++
		case isASCIIAlnum(c) || c == '_' || c == '-':
			j++
		default:
			return j
		}
	}
	return j
}

// file reads a path or a dotted word that is not a host: e.g, a/b.c,
// /usr/local/x.txt, v1.2.
func (p *tparser) file() bool {
	s := p.s
	j := fileEnd(s, p.i)
	run := s[p.i:j]
	if run == "" {
		return false
	}
	// Digits and then a dot make a number, a version or a host (3.14/usr
	// is 3.14, then /usr); digits and a slash make a file (24/7).
	if k := strings.IndexAny(run, "./"); isDigit(run[0]) && (k < 0 || run[k] == '.' && strings.Trim(run[:k], "0123456789") == "") {
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
	p.emit(TokFile, p.i, j)
	p.i = j
	return true
}
