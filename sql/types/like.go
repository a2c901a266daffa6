package types

import (
	"strings"
	"unicode/utf8"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// LIKE / ILIKE (src/backend/utils/adt/like.c, like_match.c): '%' matches any
// sequence, '_' exactly one character, the escape character (backslash
// unless ESCAPE says otherwise; ESCAPE '' disables escaping) makes the next
// character literal. ILIKE compares characters case-insensitively (Unicode
// simple lower-casing, as lower() under a UTF-8 ctype).

// LikeDefaultEscape is the escape character when no ESCAPE clause is given.
const LikeDefaultEscape = `\`

type likeToken struct {
	lit  string // literal text (lower-cased for ILIKE)
	any1 bool   // '_'
}

// likeSegment is the part of a pattern between two '%'.
type likeSegment []likeToken

// CompileLike compiles pattern once into a matcher. Errors (22025): an
// escape string longer than one character; with an explicit ESCAPE, a
// pattern ending with the escape character. With the default escape such a
// pattern never matches: PostgreSQL raises "LIKE pattern must not end
// with escape character" only when matching reaches that character with
// text left over (and returns false otherwise); this matcher returns false
// in both cases. LikeTrailingEscape reports such patterns for callers that
// want the error.
func CompileLike(pattern string, caseInsensitive bool, escape string) (func(string) bool, error) {
	esc := rune(-1)
	if escape != "" {
		r, size := utf8.DecodeRuneInString(escape)
		if size != len(escape) {
			return nil, pgerror.New(pgerror.InvalidEscapeSequence, "invalid escape string").
				WithHint("Escape string must be empty or one character.")
		}
		esc = r
	}
	var segs []likeSegment
	var cur likeSegment
	var lit strings.Builder
	flushLit := func() {
		if lit.Len() > 0 {
			s := lit.String()
			if caseInsensitive {
				s = foldString(s)
			}
			cur = append(cur, likeToken{lit: s})
			lit.Reset()
		}
	}
	trailingPct := false
	for i := 0; i < len(pattern); {
		r, size := utf8.DecodeRuneInString(pattern[i:])
		i += size
		switch {
		case r == esc:
			if i >= len(pattern) {
				if escape != LikeDefaultEscape {
					// An explicit ESCAPE goes through like_escape, which checks eagerly.
					return nil, pgerror.New(pgerror.InvalidEscapeSequence, "LIKE pattern must not end with escape character")
				}
				return func(string) bool { return false }, nil
			}
			r2, size2 := utf8.DecodeRuneInString(pattern[i:])
			i += size2
			lit.WriteRune(r2)
		case r == '%':
			flushLit()
			if len(cur) > 0 || len(segs) == 0 {
				segs = append(segs, cur)
			}
			cur = nil
			trailingPct = true
			continue
		case r == '_':
			flushLit()
			cur = append(cur, likeToken{any1: true})
		default:
			lit.WriteRune(r)
		}
		trailingPct = false
	}
	flushLit()
	if !trailingPct {
		segs = append(segs, cur)
	} else {
		segs = append(segs, nil) // marks "ends with %"
	}
	m := &likeMatcher{segs: segs, fold: caseInsensitive}
	// Fast paths for the common shapes without '_'.
	if !caseInsensitive && simpleSegs(segs) {
		switch {
		case len(segs) == 1:
			lit := segLit(segs[0])
			return func(s string) bool { return s == lit }, nil
		case len(segs) == 2 && len(segs[1]) == 0:
			lit := segLit(segs[0])
			return func(s string) bool { return strings.HasPrefix(s, lit) }, nil
		case len(segs) == 2 && len(segs[0]) == 0:
			lit := segLit(segs[1])
			return func(s string) bool { return strings.HasSuffix(s, lit) }, nil
		case len(segs) == 3 && len(segs[0]) == 0 && len(segs[2]) == 0:
			lit := segLit(segs[1])
			return func(s string) bool { return strings.Contains(s, lit) }, nil
		}
	}
	return m.match, nil
}

func simpleSegs(segs []likeSegment) bool {
	for _, s := range segs {
		if len(s) > 1 || (len(s) == 1 && s[0].any1) {
			return false
		}
	}
	return true
}

func segLit(s likeSegment) string {
	if len(s) == 0 {
		return ""
	}
	return s[0].lit
}

// foldString lower-cases s for ILIKE as PostgreSQL does under the C
// LC_CTYPE: ASCII letters only ('Ä' ILIKE 'ä' is false there).
func foldString(s string) string {
	return strings.Map(asciiLowerRune, s)
}

func asciiLowerRune(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// likeMatcher: segs[0] is anchored at the start, the last segment at the
// end; an empty first/last segment means the pattern starts/ends with '%'.
type likeMatcher struct {
	segs []likeSegment
	fold bool
}

func (m *likeMatcher) match(s string) bool {
	segs := m.segs
	if len(segs) == 1 {
		end, ok := m.matchAt(segs[0], s, 0)
		return ok && end == len(s)
	}
	pos, ok := m.matchAt(segs[0], s, 0)
	if !ok {
		return false
	}
	last := segs[len(segs)-1]
	for _, seg := range segs[1 : len(segs)-1] {
		found := false
		for start := pos; start <= len(s); {
			if end, ok := m.matchAt(seg, s, start); ok {
				pos, found = end, true
				break
			}
			if start == len(s) {
				break
			}
			_, size := utf8.DecodeRuneInString(s[start:])
			start += size
		}
		if !found {
			return false
		}
	}
	if len(last) == 0 {
		return true
	}
	// The last segment has a fixed number of characters: it must end at len(s).
	n := segChars(last)
	start := len(s)
	for k := 0; k < n; k++ {
		if start <= pos {
			return false
		}
		_, size := utf8.DecodeLastRuneInString(s[:start])
		start -= size
	}
	if start < pos {
		return false
	}
	end, ok := m.matchAt(last, s, start)
	return ok && end == len(s)
}

func segChars(seg likeSegment) int {
	n := 0
	for _, t := range seg {
		if t.any1 {
			n++
		} else {
			n += utf8.RuneCountInString(t.lit)
		}
	}
	return n
}

// matchAt matches seg at s[pos:], returning the end position.
func (m *likeMatcher) matchAt(seg likeSegment, s string, pos int) (int, bool) {
	for _, t := range seg {
		if t.any1 {
			if pos >= len(s) {
				return 0, false
			}
			_, size := utf8.DecodeRuneInString(s[pos:])
			pos += size
			continue
		}
		if !m.fold {
			if !strings.HasPrefix(s[pos:], t.lit) {
				return 0, false
			}
			pos += len(t.lit)
			continue
		}
		for _, pr := range t.lit {
			if pos >= len(s) {
				return 0, false
			}
			r, size := utf8.DecodeRuneInString(s[pos:])
			if asciiLowerRune(r) != pr {
				return 0, false
			}
			pos += size
		}
	}
	return pos, true
}

// LikeTrailingEscape reports whether pattern ends with an unescaped escape
// character (see CompileLike).
func LikeTrailingEscape(pattern, escape string) bool {
	if escape == "" {
		return false
	}
	esc, _ := utf8.DecodeRuneInString(escape)
	for i := 0; i < len(pattern); {
		r, size := utf8.DecodeRuneInString(pattern[i:])
		i += size
		if r == esc {
			if i >= len(pattern) {
				return true
			}
			_, size2 := utf8.DecodeRuneInString(pattern[i:])
			i += size2
		}
	}
	return false
}
