package builtins

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

func runes(s string) []rune { return []rune(s) }

func pad(s string, n int64, fill string, left bool) string {
	r := runes(s)
	if n <= 0 {
		return ""
	}
	if int64(len(r)) >= n {
		return string(r[:n])
	}
	f := runes(fill)
	if len(f) == 0 {
		return s
	}
	var p []rune
	for int64(len(p)+len(r)) < n {
		p = append(p, f[len(p)%len(f)])
	}
	if left {
		return string(p) + s
	}
	return s + string(p)
}

func init() {
	tBPChar, tBytea := types.BPChar, types.Bytea
	fn("left", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r, n := runes(a[0].S), a[1].I
		if n < 0 {
			n = max(int64(len(r))+n, 0)
		}
		return types.NewText(string(r[:min(n, int64(len(r)))])), nil
	}, tText, tInt4))
	fn("right", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r, n := runes(a[0].S), a[1].I
		if n < 0 {
			n = max(int64(len(r))+n, 0)
		}
		n = min(n, int64(len(r)))
		return types.NewText(string(r[int64(len(r))-n:])), nil
	}, tText, tInt4))
	fn("repeat", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[1].I <= 0 {
			return types.NewText(""), nil
		}
		if int64(len(a[0].S))*a[1].I > 1<<30 {
			return types.Datum{}, pgerror.New(pgerror.ProgramLimitExceeded, "requested length too large")
		}
		return types.NewText(strings.Repeat(a[0].S, int(a[1].I))), nil
	}, tText, tInt4))
	fn("reverse", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r := runes(a[0].S)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return types.NewText(string(r)), nil
	}, tText))
	fn("initcap", sig(tText, text1(asciiInitcap), tText))
	fn("lpad", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewText(pad(a[0].S, a[1].I, " ", true)), nil
	}, tText, tInt4), sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewText(pad(a[0].S, a[1].I, a[2].S, true)), nil
	}, tText, tInt4, tText))
	fn("rpad", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewText(pad(a[0].S, a[1].I, " ", false)), nil
	}, tText, tInt4), sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewText(pad(a[0].S, a[1].I, a[2].S, false)), nil
	}, tText, tInt4, tText))
	fn("split_part", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		n := a[2].I
		if n == 0 {
			return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "field position must not be zero")
		}
		parts := []string{a[0].S}
		if a[1].S != "" {
			parts = strings.Split(a[0].S, a[1].S)
		}
		if n < 0 {
			n = int64(len(parts)) + n + 1
		}
		if n < 1 || n > int64(len(parts)) {
			return types.NewText(""), nil
		}
		return types.NewText(parts[n-1]), nil
	}, tText, tText, tInt4))
	fn("starts_with", sig(tBool, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewBool(strings.HasPrefix(a[0].S, a[1].S)), nil
	}, tText, tText))
	fn("md5", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		h := md5.Sum([]byte(a[0].S))
		return types.NewText(hex.EncodeToString(h[:])), nil
	}, tText))
	fn("ascii", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r, _ := utf8.DecodeRuneInString(a[0].S)
		if a[0].S == "" {
			r = 0
		}
		return types.NewInt(int64(r)), nil
	}, tText))
	fn("chr", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0].I <= 0 || a[0].I > utf8.MaxRune {
			return types.Datum{}, pgerror.New(pgerror.ProgramLimitExceeded, "requested character too large for encoding: %d", a[0].I)
		}
		return types.NewText(string(rune(a[0].I))), nil
	}, tInt4))
	fn("concat_ws", Overload{Args: []types.Type{tText, Any}, Variadic: true, Ret: tText, RetFromArg: -1, NullCall: true, AnyAsText: true,
		Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[0].K == types.KindNull {
				return types.Datum{}, nil
			}
			var parts []string
			for _, d := range a[1:] {
				if d.K != types.KindNull {
					parts = append(parts, d.S)
				}
			}
			return types.NewText(strings.Join(parts, a[0].S)), nil
		}})
	// char(n): length ignores the padding, octet_length counts it.
	fn("length", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewInt(int64(utf8.RuneCountInString(strings.TrimRight(a[0].S, " ")))), nil
	}, tBPChar), sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewInt(int64(len(a[0].S))), nil
	}, tBytea))
	octets := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewInt(int64(len(a[0].S))), nil
	}
	fn("octet_length", sig(tInt4, octets, tBPChar), sig(tInt4, octets, tBytea))
	bits := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewInt(8 * int64(len(a[0].S))), nil
	}
	fn("bit_length", sig(tInt4, bits, tText), sig(tInt4, bits, tBytea))
	fn("encode", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		switch strings.ToLower(a[1].S) {
		case "hex":
			return types.NewText(hex.EncodeToString([]byte(a[0].S))), nil
		case "base64":
			return types.NewText(base64Std(a[0].S)), nil
		case "escape":
			return types.NewText(escapeBytea(a[0].S)), nil
		}
		return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "unrecognized encoding: \"%s\"", a[1].S)
	}, tBytea, tText))
	fn("decode", sig(tBytea, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		switch strings.ToLower(a[1].S) {
		case "hex":
			b, err := hex.DecodeString(a[0].S)
			if err != nil {
				return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal data")
			}
			return types.NewBytes(b), nil
		case "base64":
			b, err := unbase64(a[0].S)
			if err != nil {
				return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "invalid base64 data")
			}
			return types.NewBytes(b), nil
		case "escape":
			return types.ParseText(tBytea, a[0].S, nil)
		}
		return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "unrecognized encoding: \"%s\"", a[1].S)
	}, tText, tText))
}
