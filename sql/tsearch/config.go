package tsearch

import (
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// A configuration maps each token type to a dictionary (pg_ts_config_map).
// Two are built in, as in PostgreSQL 15:
//
//	simple   every token type -> the simple dictionary (lower case)
//	english  words and word parts -> english_stem (lower case, drop stop
//	         words, Snowball English stem); numbers, numeric words and
//	         parts, e-mail, URLs, hosts, paths, files -> simple
//
// Blanks, tags, entities and protocols are indexed by neither.

// maxWordLen is MAXSTRLEN - 1: longer words are not indexed (PostgreSQL
// says so with a NOTICE, which this server does not send).
const maxWordLen = 2047

// stemmed reports whether english sends the token type to english_stem.
func stemmed(t TokenType) bool {
	switch t {
	case TokAsciiWord, TokWord, TokAsciiHWord, TokHWord, TokHWordAsciiPart, TokHWordPart:
		return true
	}
	return false
}

// lowerASCII is lowerstr under the C locale: only ASCII letters change.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// CheckConfig fails with 42704 for a configuration this server lacks.
func CheckConfig(cfg uint32) error {
	if cfg != types.TSConfigSimple && cfg != types.TSConfigEnglish {
		return pgerror.New(pgerror.UndefinedObject, "text search configuration %d does not exist", cfg)
	}
	return nil
}

// Dictionary is the dictionary cfg sends a token type to (a regdictionary
// OID), or 0 when the type is not indexed.
func Dictionary(cfg uint32, t TokenType) uint32 {
	switch {
	case t.skipped():
		return 0
	case cfg == types.TSConfigEnglish && stemmed(t):
		return types.TSDictEnglishStem
	}
	return types.TSDictSimple
}

// Lexize is ts_lexize(dict, word): the word's lexeme, none for a stop
// word; ok is false for a dictionary this server lacks.
func Lexize(dict uint32, word string) (lexemes []string, ok bool) {
	w := lowerASCII(word)
	switch dict {
	case types.TSDictSimple:
		return []string{w}, true
	case types.TSDictEnglishStem:
		if stem, ok := stemWord(w); ok {
			return []string{stem}, true
		}
		return []string{}, true
	}
	return nil, false
}

// lexize runs a token through cfg's dictionary: the lexeme, or ok false for
// a stop word (which still takes a position).
func lexize(cfg uint32, t Token) (lexeme string, ok bool) {
	w := lowerASCII(t.Text)
	if cfg != types.TSConfigEnglish || !stemmed(t.Type) {
		return w, true
	}
	return stemWord(w)
}

// stemWord is english_stem on a lower-case word (ok false: a stop word).
func stemWord(w string) (string, bool) {
	if englishStopwords[w] {
		return "", false
	}
	// dict_snowball leaves words over 1000 bytes unstemmed: no human
	// language has them.
	if len(w) > 1000 {
		return w, true
	}
	return StemEnglish(w), true
}

// parsedWord is a lexeme of a document at a position (parsetext's
// ParsedWord).
type parsedWord struct {
	word string
	pos  int
}

// parseText is parsetext: every token that reaches a dictionary takes the
// next position, stop words included; positions stop growing at 16383.
func parseText(cfg uint32, text string) []parsedWord {
	var out []parsedWord
	pos := 0
	for _, t := range Parse(text) {
		if len(t.Text) > maxWordLen {
			continue
		}
		pos++
		if lex, ok := lexize(cfg, t); ok {
			out = append(out, parsedWord{lex, min(pos, types.TSMaxPos)})
		}
	}
	return out
}

// ToTSVector is to_tsvector(cfg, text).
func ToTSVector(cfg uint32, text string) (*types.TSVector, error) {
	if err := CheckConfig(cfg); err != nil {
		return nil, err
	}
	words := parseText(cfg, text)
	v := &types.TSVector{Lexemes: make([]types.TSLexeme, 0, len(words))}
	for _, w := range words {
		v.Lexemes = append(v.Lexemes, types.TSLexeme{Word: w.word, Pos: []uint16{uint16(w.pos)}})
	}
	types.NormalizeTSVector(v)
	// make_tsvector keeps at most MAXNUMPOS - 1 positions per lexeme.
	for i := range v.Lexemes {
		if p := v.Lexemes[i].Pos; len(p) > types.TSMaxNumPos-1 {
			v.Lexemes[i].Pos = p[:types.TSMaxNumPos-1]
		}
	}
	return v, nil
}

// Lexemes lists the distinct lexemes of a document, what a GIN index on
// to_tsvector(cfg, text) stores.
func Lexemes(v *types.TSVector) []string {
	out := make([]string, len(v.Lexemes))
	for i, l := range v.Lexemes {
		out[i] = l.Word
	}
	return out
}
