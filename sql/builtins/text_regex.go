package builtins

import (
	"regexp"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// The regular-expression functions of PostgreSQL's functions-matching.html
// (regexp_replace, regexp_match(es), regexp_split_to_*, regexp_like,
// regexp_count, substring(text from pattern)) and SIMILAR TO, which the
// grammar turns into x ~ similar_to_escape(pattern [, escape]).
// Patterns go through CompileRegex (RE2 with PostgreSQL's ARE spellings
// translated), so back-references are not supported.

// regexFlags reads a flags string: g (global) and i/c (case) are used; n, p,
// w, s, t, m are accepted as PostgreSQL does (they only change newline
// handling, which RE2's defaults already match for "n" off).
func regexFlags(flags string, allowGlobal bool, fn string) (ci, global bool, err error) {
	for _, f := range flags {
		switch f {
		case 'g':
			if !allowGlobal {
				return false, false, pgerror.New(pgerror.InvalidParameterValue, "%s() does not support the \"global\" option", fn).
					WithHint("Use the regexp_matches function instead.")
			}
			global = true
		case 'i':
			ci = true
		case 'c':
			ci = false
		case 'n', 'p', 'w', 's', 't', 'm', 'x', 'q', 'b', 'e':
		default:
			return false, false, pgerror.New(pgerror.InvalidParameterValue, "invalid regular expression option: \"%c\"", f)
		}
	}
	return ci, global, nil
}

func compileFlags(pattern, flags string, allowGlobal bool, fn string) (*regexp.Regexp, bool, error) {
	ci, global, err := regexFlags(flags, allowGlobal, fn)
	if err != nil {
		return nil, false, err
	}
	re, err := CompileRegex(pattern, ci)
	return re, global, err
}

// expandReplacement writes repl with \1..\9 replaced by the groups of match
// m and \& by the whole match (PostgreSQL's appendStringInfoRegexpSubstr).
func expandReplacement(b *strings.Builder, repl, src string, m []int) {
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '\\' || i+1 == len(repl) {
			b.WriteByte(c)
			continue
		}
		i++
		switch n := repl[i]; {
		case n >= '1' && n <= '9':
			g := int(n - '0')
			if 2*g+1 < len(m) && m[2*g] >= 0 {
				b.WriteString(src[m[2*g]:m[2*g+1]])
			}
		case n == '&':
			b.WriteString(src[m[0]:m[1]])
		case n == '\\':
			b.WriteByte('\\')
		default:
			b.WriteByte('\\')
			b.WriteByte(n)
		}
	}
}

func regexpReplace(src, pattern, repl, flags string) (types.Datum, error) {
	re, global, err := compileFlags(pattern, flags, true, "regexp_replace")
	if err != nil {
		return types.Datum{}, err
	}
	limit := 1
	if global {
		limit = -1
	}
	ms := re.FindAllStringSubmatchIndex(src, limit)
	if len(ms) == 0 {
		return types.NewText(src), nil
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(src[last:m[0]])
		expandReplacement(&b, repl, src, m)
		last = m[1]
	}
	b.WriteString(src[last:])
	return types.NewText(b.String()), nil
}

// matchArray is regexp_match's value for one match: the capture groups
// (NULL where a group did not take part), or the whole match when the
// pattern has none.
func matchArray(src string, m []int) types.Datum {
	if len(m) == 2 {
		return types.NewArray(types.Text, []types.Datum{types.NewText(src[m[0]:m[1]])})
	}
	elems := make([]types.Datum, 0, len(m)/2-1)
	for g := 1; 2*g < len(m); g++ {
		if m[2*g] < 0 {
			elems = append(elems, types.Datum{})
		} else {
			elems = append(elems, types.NewText(src[m[2*g]:m[2*g+1]]))
		}
	}
	return types.NewArray(types.Text, elems)
}

// regexpSplit splits as PostgreSQL does (setup_regexp_matches with
// ignore_degenerate): a match counts only if it starts before the end of
// the string and ends after the previous one, so zero-length matches at the
// ends or right after a match never split.
func regexpSplit(src, pattern, flags string) ([]string, error) {
	re, _, err := compileFlags(pattern, flags, false, "regexp_split_to_table")
	if err != nil {
		return nil, err
	}
	var out []string
	prevEnd := 0
	for _, m := range re.FindAllStringIndex(src, -1) {
		if m[0] < len(src) && m[1] > prevEnd {
			out = append(out, src[prevEnd:m[0]])
			prevEnd = m[1]
		}
	}
	return append(out, src[prevEnd:]), nil
}

// similarToEscape converts a SQL SIMILAR TO pattern to a POSIX regular
// expression, following PostgreSQL's similar_escape_internal (regexp.c):
// the result is anchored as ^(?:...)$, % and _ become .* and ., ( becomes
// (?:, and escape-double-quote separators mark the part substring() returns.
func similarToEscape(pat, esc string, hasEsc bool) (types.Datum, error) {
	e := "\\"
	if hasEsc {
		e = esc
		if len([]rune(e)) > 1 {
			return types.Datum{}, pgerror.New(pgerror.InvalidEscapeSequence, "invalid escape string").
				WithHint("Escape string must be empty or one character.")
		}
	}
	var b strings.Builder
	b.WriteString("^(?:")
	afterEscape, inClass := false, false
	quotes := 0
	// With escape-double-quote separators the first part matches as little
	// as it can (PostgreSQL's {1,1}? makes the whole part non-greedy; RE2
	// needs its own repetitions made lazy).
	lazyFirst := e != "" && strings.Contains(pat, e+"\"")
	for _, c := range pat {
		switch {
		case afterEscape:
			if c == '"' && !inClass {
				switch quotes {
				case 0:
					b.WriteString("){1,1}?(")
				case 1:
					b.WriteString("){1,1}(?:")
				default:
					return types.Datum{}, pgerror.New(pgerror.InvalidUseOfEscapeCharacter, "SQL regular expression may not contain more than two escape-double-quote separators")
				}
				quotes++
			} else {
				b.WriteByte('\\')
				b.WriteRune(c)
			}
			afterEscape = false
		case e != "" && string(c) == e:
			afterEscape = true
		case inClass:
			if c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(c)
			if c == ']' {
				inClass = false
			}
		case c == '[':
			b.WriteRune(c)
			inClass = true
		case c == '%':
			b.WriteString(".*")
			if lazyFirst && quotes == 0 {
				b.WriteByte('?')
			}
		case c == '_':
			b.WriteByte('.')
		case c == '(':
			b.WriteString("(?:")
		case c == '\\' || c == '.' || c == '^' || c == '$':
			b.WriteByte('\\')
			b.WriteRune(c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteString(")$")
	return types.NewText(b.String()), nil
}

func init() {
	tText, tBool, tInt4 := types.Text, types.Bool, types.Int4
	textArr := types.TextArray
	fn("regexp_replace",
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return regexpReplace(a[0].S, a[1].S, a[2].S, "")
		}, tText, tText, tText),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return regexpReplace(a[0].S, a[1].S, a[2].S, a[3].S)
		}, tText, tText, tText, tText))
	match := func(src, pattern, flags string) (types.Datum, error) {
		re, _, err := compileFlags(pattern, flags, false, "regexp_match")
		if err != nil {
			return types.Datum{}, err
		}
		m := re.FindStringSubmatchIndex(src)
		if m == nil {
			return types.Datum{}, nil
		}
		return matchArray(src, m), nil
	}
	fn("regexp_match",
		sig(textArr, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return match(a[0].S, a[1].S, "") }, tText, tText),
		sig(textArr, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return match(a[0].S, a[1].S, a[2].S) }, tText, tText, tText))
	like := func(src, pattern, flags string) (types.Datum, error) {
		re, _, err := compileFlags(pattern, flags, false, "regexp_like")
		if err != nil {
			return types.Datum{}, err
		}
		return types.NewBool(re.MatchString(src)), nil
	}
	fn("regexp_like",
		sig(tBool, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return like(a[0].S, a[1].S, "") }, tText, tText),
		sig(tBool, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return like(a[0].S, a[1].S, a[2].S) }, tText, tText, tText))
	count := func(src, pattern, flags string) (types.Datum, error) {
		re, _, err := compileFlags(pattern, flags, false, "regexp_count")
		if err != nil {
			return types.Datum{}, err
		}
		return types.NewInt(int64(len(re.FindAllStringIndex(src, -1)))), nil
	}
	fn("regexp_count",
		sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return count(a[0].S, a[1].S, "") }, tText, tText),
		sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return count(a[0].S, a[1].S, a[2].S) }, tText, tText, tText))
	splitArr := func(a []types.Datum, flags string) (types.Datum, error) {
		parts, err := regexpSplit(a[0].S, a[1].S, flags)
		if err != nil {
			return types.Datum{}, err
		}
		elems := make([]types.Datum, len(parts))
		for i, p := range parts {
			elems[i] = types.NewText(p)
		}
		return types.NewArray(tText, elems), nil
	}
	fn("regexp_split_to_array",
		sig(textArr, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return splitArr(a, "") }, tText, tText),
		sig(textArr, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return splitArr(a, a[2].S) }, tText, tText, tText))

	matchesGen := func(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
		flags := ""
		if len(a) > 2 {
			flags = a[2].S
		}
		re, global, err := compileFlags(a[1].S, flags, true, "regexp_matches")
		if err != nil {
			return err
		}
		limit := 1
		if global {
			limit = -1
		}
		for _, m := range re.FindAllStringSubmatchIndex(a[0].S, limit) {
			if err := emit([]types.Datum{matchArray(a[0].S, m)}); err != nil {
				return err
			}
		}
		return nil
	}
	matchCols := []SRFColumn{{Name: "", Type: textArr}}
	srf("regexp_matches",
		SRF{Args: []types.Type{tText, tText}, Cols: matchCols, Gen: matchesGen},
		SRF{Args: []types.Type{tText, tText, tText}, Cols: matchCols, Gen: matchesGen})
	splitGen := func(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
		flags := ""
		if len(a) > 2 {
			flags = a[2].S
		}
		parts, err := regexpSplit(a[0].S, a[1].S, flags)
		if err != nil {
			return err
		}
		for _, p := range parts {
			if err := emit([]types.Datum{types.NewText(p)}); err != nil {
				return err
			}
		}
		return nil
	}
	splitCols := []SRFColumn{{Name: "", Type: tText}}
	srf("regexp_split_to_table",
		SRF{Args: []types.Type{tText, tText}, Cols: splitCols, Gen: splitGen},
		SRF{Args: []types.Type{tText, tText, tText}, Cols: splitCols, Gen: splitGen})

	fn("similar_to_escape",
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return similarToEscape(a[0].S, "", false)
		}, tText),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return similarToEscape(a[0].S, a[1].S, true)
		}, tText, tText))
	// substring(s from pattern) and substring(s similar pattern escape e)
	// (textregexsubstr).
	fn("substring", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return regexSubstring(a[0].S, a[1].S)
	}, tText, tText), sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		re, err := similarToEscape(a[1].S, a[2].S, true)
		if err != nil {
			return types.Datum{}, err
		}
		return regexSubstring(a[0].S, re.S)
	}, tText, tText, tText))
}

// regexSubstring is the part of src matching the pattern's first
// parenthesized subexpression, or the whole match when it has none.
func regexSubstring(src, pattern string) (types.Datum, error) {
	re, err := CompileRegex(pattern, false)
	if err != nil {
		return types.Datum{}, err
	}
	m := re.FindStringSubmatchIndex(src)
	if m == nil {
		return types.Datum{}, nil
	}
	if len(m) > 2 {
		if m[2] < 0 {
			return types.Datum{}, nil
		}
		return types.NewText(src[m[2]:m[3]]), nil
	}
	return types.NewText(src[m[0]:m[1]]), nil
}
