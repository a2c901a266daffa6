package types

import (
	"slices"
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// TSVector is a parsed tsvector (PostgreSQL's src/backend/utils/adt/tsvector.c):
// lexemes unique and sorted bytewise (tsCompareString), each with its
// positions sorted and unique. A lexeme without positions came from a
// stripped vector or from input without positions.
//
// A position is PostgreSQL's WordEntryPos: the weight in the top two bits
// (3 = A, 2 = B, 1 = C, 0 = D) and the position (1..16383) in the low 14.
type TSVector struct {
	Lexemes []TSLexeme
}

// TSLexeme is one lexeme of a tsvector.
type TSLexeme struct {
	Word string
	Pos  []uint16
}

// Limits of tsvector values, as PostgreSQL's ts_type.h.
const (
	TSMaxPos     = 1<<14 - 1 // MAXENTRYPOS - 1: larger positions are clamped
	TSMaxNumPos  = 256       // MAXNUMPOS: positions kept per lexeme
	TSMaxLexeme  = 1<<11 - 1 // MAXSTRLEN - 1: longest lexeme
	tsWeightMask = 0xC000
)

// TSPosition and TSWeight split a WordEntryPos.
func TSPosition(p uint16) int { return int(p & TSMaxPos) }
func TSWeight(p uint16) int   { return int(p >> 14) }

// NewTSVector is a tsvector datum; v must be normalized (sorted, unique)
// and is not modified afterwards. S holds the text form so that storage,
// comparison and hashing treat the value like text.
func NewTSVector(v *TSVector) Datum {
	return Datum{K: KindTSVector, S: string(appendTSVector(nil, v)), X: v}
}

// TSVectorOf returns the parsed value of a tsvector datum, parsing its text
// form when the datum came from storage (X is then nil).
func TSVectorOf(d Datum) (*TSVector, error) {
	if v, ok := d.X.(*TSVector); ok {
		return v, nil
	}
	return parseTSVector(d.S)
}

// ParseTSVector is tsvectorin.
func ParseTSVector(s string) (Datum, error) {
	v, err := parseTSVector(s)
	if err != nil {
		return Datum{}, err
	}
	return NewTSVector(v), nil
}

func errTSVectorSyntax(s string) error {
	return pgerror.New(pgerror.SyntaxError, "syntax error in tsvector: \"%s\"", s)
}

// tsWordReader is PostgreSQL's gettoken_tsvector (tsvector_parser.c): it
// reads one word, quoted ('it”s', with backslash escapes) or bare, and the
// positions after a colon when posOK. In a tsquery (opDelim) a bare word
// also ends at an operator character or a colon, and no positions follow.
type tsWordReader struct {
	s       string
	i       int
	opDelim bool
	// web: websearch_to_tsquery's input, where a double quote ends a word.
	web bool
}

func isTSOperator(c byte) bool {
	return c == '!' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<'
}

func isTSSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// next returns the next word; ok is false at the end of input. errAt is
// the syntax error of the whole input.
func (r *tsWordReader) next(errf func() error) (word string, pos []uint16, ok bool, err error) {
	s := r.s
	for r.i < len(s) && isTSSpace(s[r.i]) {
		r.i++
	}
	if r.i >= len(s) {
		return "", nil, false, nil
	}
	var b strings.Builder
	switch c := s[r.i]; {
	case c == '\'':
		r.i++
		for {
			if r.i >= len(s) {
				return "", nil, false, errf()
			}
			c := s[r.i]
			if c == '\\' {
				if r.i+1 >= len(s) {
					return "", nil, false, errf()
				}
				b.WriteByte(s[r.i+1])
				r.i += 2
				continue
			}
			if c == '\'' {
				if r.i+1 < len(s) && s[r.i+1] == '\'' {
					b.WriteByte('\'')
					r.i += 2
					continue
				}
				r.i++
				break
			}
			b.WriteByte(c)
			r.i++
		}
		if b.Len() == 0 { // '' is no word
			return "", nil, false, errf()
		}
	case r.opDelim && isTSOperator(c):
		return "", nil, false, errf()
	default:
		for r.i < len(s) {
			c := s[r.i]
			if c == '\\' {
				if r.i+1 >= len(s) {
					return "", nil, false, errf()
				}
				b.WriteByte(s[r.i+1])
				r.i += 2
				continue
			}
			if isTSSpace(c) || (r.opDelim && (isTSOperator(c) || c == ':')) || (r.web && c == '"') {
				break
			}
			if c == ':' {
				if b.Len() == 0 {
					return "", nil, false, errf()
				}
				break
			}
			b.WriteByte(c)
			r.i++
		}
		if b.Len() == 0 {
			return "", nil, false, errf()
		}
	}
	if r.opDelim || r.i >= len(s) || s[r.i] != ':' {
		return b.String(), nil, true, nil
	}
	// Positions: ':' num[weight] (',' num[weight])*
	r.i++
	for {
		j := r.i
		for r.i < len(s) && s[r.i] >= '0' && s[r.i] <= '9' {
			r.i++
		}
		if j == r.i {
			return "", nil, false, errf()
		}
		n, _ := strconv.Atoi(s[j:min(r.i, j+9)])
		if r.i-j > 9 {
			n = TSMaxPos
		}
		if n == 0 {
			return "", nil, false, pgerror.New(pgerror.SyntaxError, "wrong position info in tsvector: \"%s\"", s)
		}
		p := uint16(min(n, TSMaxPos))
		if r.i < len(s) {
			switch s[r.i] {
			case 'a', 'A', '*':
				p |= 3 << 14
				r.i++
			case 'b', 'B':
				p |= 2 << 14
				r.i++
			case 'c', 'C':
				p |= 1 << 14
				r.i++
			case 'd', 'D':
				r.i++
			}
		}
		pos = append(pos, p)
		if r.i < len(s) && s[r.i] == ',' {
			r.i++
			continue
		}
		if r.i < len(s) && !isTSSpace(s[r.i]) {
			return "", nil, false, errf()
		}
		return b.String(), pos, true, nil
	}
}

func parseTSVector(s string) (*TSVector, error) {
	if err := checkUTF8(s); err != nil {
		return nil, err
	}
	r := tsWordReader{s: s}
	errf := func() error { return errTSVectorSyntax(s) }
	v := &TSVector{}
	for {
		w, pos, ok, err := r.next(errf)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if len(w) > TSMaxLexeme {
			return nil, pgerror.New(pgerror.ProgramLimitExceeded, "word is too long (%d bytes, max %d bytes)", len(w), TSMaxLexeme)
		}
		v.Lexemes = append(v.Lexemes, TSLexeme{Word: w, Pos: pos})
	}
	NormalizeTSVector(v)
	return v, nil
}

// NormalizeTSVector sorts the lexemes, merges duplicates and sorts and
// de-duplicates each position list (keeping the highest weight of equal
// positions, as uniquePos), at most TSMaxNumPos per lexeme.
func NormalizeTSVector(v *TSVector) {
	ls := v.Lexemes
	slices.SortStableFunc(ls, func(a, b TSLexeme) int { return strings.Compare(a.Word, b.Word) })
	out := ls[:0]
	for _, l := range ls {
		if n := len(out); n > 0 && out[n-1].Word == l.Word {
			if l.Pos != nil {
				out[n-1].Pos = append(out[n-1].Pos, l.Pos...)
			}
			continue
		}
		out = append(out, l)
	}
	for i := range out {
		out[i].Pos = uniquePos(out[i].Pos)
	}
	v.Lexemes = out
}

func uniquePos(p []uint16) []uint16 {
	if len(p) < 2 {
		return p
	}
	slices.SortStableFunc(p, func(a, b uint16) int { return int(a&TSMaxPos) - int(b&TSMaxPos) })
	out := p[:1]
	for _, x := range p[1:] {
		last := &out[len(out)-1]
		if x&TSMaxPos != *last&TSMaxPos {
			out = append(out, x)
		} else if x>>14 > *last>>14 {
			*last = x
		}
	}
	if len(out) > TSMaxNumPos {
		out = out[:TSMaxNumPos]
	}
	return out
}

// appendTSLexeme writes 'word' with quotes and backslashes doubled, as
// tsvectorout and tsqueryout do.
func appendTSLexeme(dst []byte, w string) []byte {
	dst = append(dst, '\'')
	for i := 0; i < len(w); i++ {
		if w[i] == '\'' || w[i] == '\\' {
			dst = append(dst, w[i])
		}
		dst = append(dst, w[i])
	}
	return append(dst, '\'')
}

// appendTSVector is tsvectorout.
func appendTSVector(dst []byte, v *TSVector) []byte {
	for i, l := range v.Lexemes {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = appendTSLexeme(dst, l.Word)
		for j, p := range l.Pos {
			if j == 0 {
				dst = append(dst, ':')
			} else {
				dst = append(dst, ',')
			}
			dst = strconv.AppendInt(dst, int64(TSPosition(p)), 10)
			switch TSWeight(p) {
			case 3:
				dst = append(dst, 'A')
			case 2:
				dst = append(dst, 'B')
			case 1:
				dst = append(dst, 'C')
			}
		}
	}
	return dst
}
