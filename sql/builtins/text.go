package builtins

import (
	"strings"
	"unicode/utf8"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

func text1(f func(string) string) bound.Fn {
	return func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return types.NewText(f(a[0].S)), nil }
}

func init() {
	fn("lower", sig(tText, text1(asciiLower), tText))
	fn("upper", sig(tText, text1(asciiUpper), tText))
	length := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewInt(int64(utf8.RuneCountInString(a[0].S))), nil
	}
	fn("length", sig(tInt4, length, tText))
	fn("char_length", sig(tInt4, length, tText))
	fn("character_length", sig(tInt4, length, tText))
	fn("octet_length", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewInt(int64(len(a[0].S))), nil
	}, tText))
	fn("btrim", sig(tText, text1(func(s string) string { return strings.Trim(s, " ") }), tText),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewText(strings.Trim(a[0].S, a[1].S)), nil
		}, tText, tText))
	fn("ltrim", sig(tText, text1(func(s string) string { return strings.TrimLeft(s, " ") }), tText),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewText(strings.TrimLeft(a[0].S, a[1].S)), nil
		}, tText, tText))
	fn("rtrim", sig(tText, text1(func(s string) string { return strings.TrimRight(s, " ") }), tText),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewText(strings.TrimRight(a[0].S, a[1].S)), nil
		}, tText, tText))
	fn("replace", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[1].S == "" {
			return a[0], nil
		}
		return types.NewText(strings.ReplaceAll(a[0].S, a[1].S, a[2].S)), nil
	}, tText, tText, tText))
	substr := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r := []rune(a[0].S)
		start := a[1].I // 1-based; may be <= 0
		end := int64(len(r)) + 1
		if len(a) > 2 {
			if a[2].I < 0 {
				return types.Datum{}, pgerror.New(pgerror.SubstringError, "negative substring length not allowed")
			}
			end = start + a[2].I
		}
		if start < 1 {
			start = 1
		}
		if end > int64(len(r))+1 {
			end = int64(len(r)) + 1
		}
		if start >= end {
			return types.NewText(""), nil
		}
		return types.NewText(string(r[start-1 : end-1])), nil
	}
	fn("substr", sig(tText, substr, tText, tInt4), sig(tText, substr, tText, tInt4, tInt4))
	fn("substring", sig(tText, substr, tText, tInt4), sig(tText, substr, tText, tInt4, tInt4))
	fn("strpos", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		i := strings.Index(a[0].S, a[1].S)
		if i < 0 {
			return types.NewInt(0), nil
		}
		return types.NewInt(int64(utf8.RuneCountInString(a[0].S[:i]) + 1)), nil
	}, tText, tText))
	// POSITION(sub IN str) reaches us as position(str, sub), as in gram.y.
	fn("position", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		i := strings.Index(a[0].S, a[1].S)
		if i < 0 {
			return types.NewInt(0), nil
		}
		return types.NewInt(int64(utf8.RuneCountInString(a[0].S[:i]) + 1)), nil
	}, tText, tText))
	fn("concat", Overload{Args: []types.Type{Any}, Variadic: true, Ret: tText, RetFromArg: -1, NullCall: true, AnyAsText: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			var b strings.Builder
			for _, d := range a {
				if d.K != types.KindNull {
					b.WriteString(d.S)
				}
			}
			return types.NewText(b.String()), nil
		}})
}
