package builtins

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// regexp_replace(source, pattern, replacement, start [, N [, flags]])
// (PostgreSQL 15's textregexreplace_extended): the search begins at
// character start (1-based); with N given, only the N-th match from there
// is replaced (0: all of them), else the g flag decides as in the short
// forms.

func init() {
	tText, tInt4 := types.Text, types.Int4
	fn("regexp_replace",
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return regexpReplaceFrom(a[0].S, a[1].S, a[2].S, a[3].I, 0, false, "")
		}, tText, tText, tText, tInt4),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return regexpReplaceFrom(a[0].S, a[1].S, a[2].S, a[3].I, a[4].I, true, "")
		}, tText, tText, tText, tInt4, tInt4),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return regexpReplaceFrom(a[0].S, a[1].S, a[2].S, a[3].I, a[4].I, true, a[5].S)
		}, tText, tText, tText, tInt4, tInt4, tText))
}

// regexpReplaceFrom replaces from character start; nGiven: N was passed.
func regexpReplaceFrom(src, pattern, repl string, start, n int64, nGiven bool, flags string) (types.Datum, error) {
	if start <= 0 {
		return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"%s\": %d", "start", start)
	}
	if nGiven && n < 0 {
		return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"%s\": %d", "n", n)
	}
	re, global, err := compileFlags(pattern, flags, true, "regexp_replace")
	if err != nil {
		return types.Datum{}, err
	}
	if !nGiven {
		n = 1
		if global {
			n = 0
		}
	}
	// Byte offset of character start; past the end nothing matches.
	off := 0
	for i := int64(1); i < start; i++ {
		if off >= len(src) {
			return types.NewText(src), nil
		}
		_, size := utf8.DecodeRuneInString(src[off:])
		off += size
	}
	if off > 0 {
		re = withoutTextStart(re)
	}
	limit := -1
	if n > 0 {
		limit = int(n)
	}
	ms := re.FindAllStringSubmatchIndex(src[off:], limit)
	if n > 0 {
		if len(ms) < int(n) {
			return types.NewText(src), nil
		}
		ms = ms[n-1:]
	}
	if len(ms) == 0 {
		return types.NewText(src), nil
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		for i := range m {
			if m[i] >= 0 {
				m[i] += off
			}
		}
		b.WriteString(src[last:m[0]])
		expandReplacement(&b, repl, src, m)
		last = m[1]
	}
	b.WriteString(src[last:])
	return types.NewText(b.String()), nil
}

// withoutTextStart returns re with its start-of-text anchors made
// unmatchable: searched from an offset into the source, the region's start
// is not the text's (PostgreSQL searches the whole string from there), so
// '^' and '\A' cannot match anywhere in it. Patterns without them are
// returned as they are.
func withoutTextStart(re *regexp.Regexp) *regexp.Regexp {
	s := re.String()
	if !strings.ContainsAny(s, "^A") {
		return re
	}
	t, err := syntax.Parse(s, syntax.Perl)
	if err != nil {
		return re
	}
	changed := false
	var walk func(*syntax.Regexp)
	walk = func(r *syntax.Regexp) {
		if r.Op == syntax.OpBeginText {
			r.Op, changed = syntax.OpNoMatch, true
		}
		for _, sub := range r.Sub {
			walk(sub)
		}
	}
	walk(t)
	if !changed {
		return re
	}
	out, err := regexp.Compile(t.String())
	if err != nil {
		return re
	}
	return out
}
