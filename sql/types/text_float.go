package types

import (
	"math"
	"strconv"
)

// Float text input/output: PostgreSQL's float4in/float8in and
// float4out/float8out (src/backend/utils/adt/float.c).

func floatTypeName(oid uint32) string {
	if oid == Float4OID {
		return "real"
	}
	return "double precision"
}

// parseFloatText is float8in_internal / float4in: strtod semantics,
// surrounding whitespace allowed, NaN/Infinity/inf spellings, and 22003 when
// the value overflows or underflows to zero (denormals are accepted).
func parseFloatText(s string, bits int) (float64, error) {
	typ := "double precision"
	if bits == 32 {
		typ = "real"
	}
	t := trimSpace(s)
	if t == "" {
		return 0, errSyntax(typ, s)
	}
	if v, ok := parseFloatSpecial(t); ok {
		return v, nil
	}
	body := t
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if !validFloatSyntax(body) {
		return 0, errSyntax(typ, s)
	}
	if len(body) > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') {
		// C's strtod takes hex without a binary exponent; Go needs "p0".
		if !containsAny(body, "pP") {
			t += "p0"
		}
	}
	v, err := strconv.ParseFloat(t, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, errFloatRange(s, typ)
		}
		return 0, errSyntax(typ, s)
	}
	if v == 0 && hasNonZeroMantissa(body) {
		return 0, errFloatRange(s, typ)
	}
	return v, nil
}

func errFloatRange(s, typ string) error {
	return pgerrorNew22003(`"` + s + `" is out of range for type ` + typ)
}

func containsAny(s, chars string) bool {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(chars); j++ {
			if s[i] == chars[j] {
				return true
			}
		}
	}
	return false
}

// validFloatSyntax checks the strtod grammar (without sign) that Go's
// ParseFloat would otherwise extend with '_' separators.
func validFloatSyntax(s string) bool {
	if s == "" {
		return false
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		for i := 2; i < len(s); i++ {
			c := s[i]
			if c == '_' {
				return false
			}
		}
		return true
	}
	i, digits := 0, 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == len(s)
}

func hasNonZeroMantissa(s string) bool {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		for i := 2; i < len(s) && s[i] != 'p' && s[i] != 'P'; i++ {
			if s[i] != '0' && s[i] != '.' {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'e' || c == 'E' {
			break
		}
		if c >= '1' && c <= '9' {
			return true
		}
	}
	return false
}

// canonicalNaN has the bits C's NAN has (Go's math.NaN() differs in the
// low bit, which would show in the binary format).
var canonicalNaN = math.Float64frombits(0x7ff8000000000000)

func parseFloatSpecial(t string) (float64, bool) {
	switch len(t) {
	case 3, 4, 8, 9:
	default:
		return 0, false
	}
	l := lowerASCII(t)
	switch l {
	case "nan", "+nan":
		return canonicalNaN, true
	case "-nan":
		return math.Float64frombits(0xfff8000000000000), true
	case "inf", "+inf", "infinity", "+infinity":
		return math.Inf(1), true
	case "-inf", "-infinity":
		return math.Inf(-1), true
	}
	return 0, false
}

// appendFloat is float8out/float4out. With extra_float_digits > 0 (the
// default 1) it prints the shortest string that reads back exactly, in
// fixed notation for decimal exponents -4 <= e < 15 (6 for float4) and as
// d.ddde+XX otherwise (src/common/d2s.c, f2s.c); with extra_float_digits <= 0
// it is printf("%.*g", DBL_DIG + extra_float_digits).
func appendFloat(dst []byte, f float64, bits int, extraDigits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	maxExp := 15
	if bits == 32 {
		maxExp = 6
	}
	if extraDigits <= 0 {
		prec := maxExp + extraDigits
		if prec < 1 {
			prec = 1
		}
		return strconv.AppendFloat(dst, f, 'g', prec, bits)
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, bits) // [-]d[.ddd]e±XX
	neg := false
	if e[0] == '-' {
		neg = true
		e = e[1:]
	}
	// Split digits and exponent.
	ePos := len(e) - 1
	for e[ePos] != 'e' {
		ePos--
	}
	exp := 0
	expSign := 1
	k := ePos + 1
	if e[k] == '-' {
		expSign = -1
	}
	for k++; k < len(e); k++ {
		exp = exp*10 + int(e[k]-'0')
	}
	exp *= expSign
	var digits [24]byte
	nd := 0
	for i := 0; i < ePos; i++ {
		if e[i] != '.' {
			digits[nd] = e[i]
			nd++
		}
	}
	if neg {
		dst = append(dst, '-')
	}
	if exp < -4 || exp >= maxExp {
		dst = append(dst, digits[0])
		if nd > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:nd]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	}
	if exp < 0 {
		dst = append(dst, '0', '.')
		for i := -1; i > exp; i-- {
			dst = append(dst, '0')
		}
		return append(dst, digits[:nd]...)
	}
	// exp >= 0: digits before the point are digits[0..exp].
	if nd <= exp+1 {
		dst = append(dst, digits[:nd]...)
		for i := nd; i <= exp; i++ {
			dst = append(dst, '0')
		}
		return dst
	}
	dst = append(dst, digits[:exp+1]...)
	dst = append(dst, '.')
	return append(dst, digits[exp+1:nd]...)
}
