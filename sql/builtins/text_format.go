package builtins

import (
	"crypto/sha256"
	"crypto/sha512"
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// format(), translate(), string_to_array(), to_hex() and the sha2 digests,
// as functions-string.html and functions-binarystring.html describe them.

var errFormatFew = pgerror.New(pgerror.InvalidParameterValue, "too few arguments for format()")

// formatText implements format(fmt, args...) (varlena.c text_format): each
// %[n$][-][width]{s|I|L} takes the next (or the n-th) argument; width may be
// * or *n$, read from an argument; %% is a percent sign. The arguments arrive
// as text (AnyAsText), NULL as NULL.
func formatText(a []types.Datum) (types.Datum, error) {
	if a[0].K == types.KindNull {
		return types.Datum{}, nil
	}
	f, args := a[0].S, a[1:]
	var b strings.Builder
	next := 0 // the argument an unnumbered spec takes
	readNum := func(i int) (int, int, bool) {
		j := i
		for j < len(f) && f[j] >= '0' && f[j] <= '9' {
			j++
		}
		if j == i {
			return 0, i, false
		}
		n, err := strconv.Atoi(f[i:j])
		if err != nil || n > 1<<30 {
			return 0, i, false
		}
		return n, j, true
	}
	argAt := func(n int) (types.Datum, error) {
		if n >= len(args) {
			return types.Datum{}, errFormatFew
		}
		return args[n], nil
	}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		i++
		if i >= len(f) {
			return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "unterminated format() type specifier").
				WithHint("For a single \"%%\" use \"%%%%\".")
		}
		if f[i] == '%' {
			b.WriteByte('%')
			continue
		}
		// [n$]
		if n, j, ok := readNum(i); ok && j < len(f) && f[j] == '$' {
			if n == 0 {
				return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1")
			}
			next, i = n-1, j+1
		}
		left := false
		for i < len(f) && f[i] == '-' {
			left = true
			i++
		}
		width := 0
		if i < len(f) && f[i] == '*' {
			i++
			wArg := next
			if n, j, ok := readNum(i); ok && j < len(f) && f[j] == '$' {
				wArg, i = n-1, j+1
			} else {
				next++
			}
			w, err := argAt(wArg)
			if err != nil {
				return types.Datum{}, err
			}
			if w.K != types.KindNull {
				n, err := strconv.Atoi(strings.TrimSpace(w.S))
				if err != nil {
					return types.Datum{}, pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type integer: \"%s\"", w.S)
				}
				if n < 0 {
					left, n = true, -n
				}
				width = n
			}
		} else if n, j, ok := readNum(i); ok {
			width, i = n, j
		}
		if i >= len(f) {
			return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "unterminated format() type specifier").
				WithHint("For a single \"%%\" use \"%%%%\".")
		}
		conv := f[i]
		if conv != 's' && conv != 'I' && conv != 'L' {
			return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "unrecognized format() type specifier \"%c\"", conv).
				WithHint("For a single \"%%\" use \"%%%%\".")
		}
		v, err := argAt(next)
		if err != nil {
			return types.Datum{}, err
		}
		next++
		var s string
		switch conv {
		case 's':
			if v.K != types.KindNull {
				s = v.S
			}
		case 'I':
			if v.K == types.KindNull {
				return types.Datum{}, pgerror.New(pgerror.NullValueNotAllowed, "null values cannot be formatted as an SQL identifier")
			}
			s = QuoteIdent(v.S)
		case 'L':
			if v.K == types.KindNull {
				s = "NULL"
			} else {
				s = quoteLiteralText(v.S)
			}
		}
		if pad := width - len([]rune(s)); pad > 0 {
			if left {
				s += strings.Repeat(" ", pad)
			} else {
				s = strings.Repeat(" ", pad) + s
			}
		}
		b.WriteString(s)
	}
	return types.NewText(b.String()), nil
}

// quoteLiteralText quotes as quote_literal does: doubled quotes, and an E'...'
// string with doubled backslashes when the text has a backslash.
func quoteLiteralText(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		return "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}

// translateText replaces each character of from by the one at the same
// position in to, deleting it when to is shorter.
func translateText(s, from, to string) string {
	fr, tr := []rune(from), []rune(to)
	var b strings.Builder
	for _, c := range s {
		k := -1
		for i, f := range fr {
			if f == c {
				k = i
				break
			}
		}
		switch {
		case k < 0:
			b.WriteRune(c)
		case k < len(tr):
			b.WriteRune(tr[k])
		}
	}
	return b.String()
}

// stringToArray splits s on delim (every character when delim is NULL; the
// whole string when delim is empty); pieces equal to nullStr become NULL.
func stringToArray(a []types.Datum) (types.Datum, error) {
	if a[0].K == types.KindNull {
		return types.Datum{}, nil
	}
	s := a[0].S
	var parts []string
	switch {
	case a[1].K == types.KindNull:
		for _, c := range s {
			parts = append(parts, string(c))
		}
	case s == "":
	case a[1].S == "":
		parts = []string{s}
	default:
		parts = strings.Split(s, a[1].S)
	}
	elems := make([]types.Datum, len(parts))
	for i, p := range parts {
		if len(a) > 2 && a[2].K != types.KindNull && p == a[2].S {
			continue
		}
		elems[i] = types.NewText(p)
	}
	return types.NewArray(types.Text, elems), nil
}

func init() {
	tText, tInt4, tInt8, tBytea := types.Text, types.Int4, types.Int8, types.Bytea
	fn("format", Overload{Args: []types.Type{tText, Any}, Variadic: true, Ret: tText, RetFromArg: -1, NullCall: true, AnyAsText: true,
		Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return formatText(a) }})
	// overlay(s placing r from n [for k]) = left(s, n-1) || r || substring(s from n+k).
	overlay := func(s, r string, from, n int64) (types.Datum, error) {
		sr := []rune(s)
		if from < 1 || n < 0 {
			return types.Datum{}, pgerror.New(pgerror.SubstringError, "negative substring length not allowed")
		}
		lo := min(from-1, int64(len(sr)))
		hi := min(max(from-1+n, lo), int64(len(sr)))
		return types.NewText(string(sr[:lo]) + r + string(sr[hi:])), nil
	}
	fn("overlay", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return overlay(a[0].S, a[1].S, a[2].I, a[3].I)
	}, tText, tText, tInt4, tInt4), sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return overlay(a[0].S, a[1].S, a[2].I, int64(len([]rune(a[1].S))))
	}, tText, tText, tInt4))
	fn("translate", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewText(translateText(a[0].S, a[1].S, a[2].S)), nil
	}, tText, tText, tText))
	fn("string_to_array",
		Overload{Args: []types.Type{tText, tText}, Ret: types.TextArray, RetFromArg: -1, NullCall: true,
			Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return stringToArray(a) }},
		Overload{Args: []types.Type{tText, tText, tText}, Ret: types.TextArray, RetFromArg: -1, NullCall: true,
			Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return stringToArray(a) }})
	toHex := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewText(strconv.FormatUint(uint64(a[0].I), 16)), nil
	}
	fn("to_hex", sig(tText, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewText(strconv.FormatUint(uint64(uint32(a[0].I)), 16)), nil
	}, tInt4), sig(tText, toHex, tInt8))
	for name, sum := range map[string]func([]byte) []byte{
		"sha224": func(b []byte) []byte { s := sha256.Sum224(b); return s[:] },
		"sha256": func(b []byte) []byte { s := sha256.Sum256(b); return s[:] },
		"sha384": func(b []byte) []byte { s := sha512.Sum384(b); return s[:] },
		"sha512": func(b []byte) []byte { s := sha512.Sum512(b); return s[:] },
	} {
		sum := sum
		fn(name, sig(tBytea, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewBytes(sum([]byte(a[0].S))), nil
		}, tBytea))
	}
}
