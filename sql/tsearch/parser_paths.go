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
