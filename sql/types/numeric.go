package types

import (
	"math"
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Numeric values are *apd.Decimal with Exponent <= 0, where -Exponent is
// PostgreSQL's display scale (dscale), so '1.50' keeps its trailing zero.
// PostgreSQL's limits (src/backend/utils/adt/numeric.c): up to 131072 digits
// before the decimal point and 16383 after; results outside fail with 22003
// "value overflows numeric format". Rounding is half away from zero.

const (
	numericMaxDscale      = 16383  // NUMERIC_DSCALE_MAX
	numericMaxIntDigits   = 131072 // (NUMERIC_WEIGHT_MAX + 1) * DEC_DIGITS
	numericMaxDispScale   = 1000   // NUMERIC_MAX_DISPLAY_SCALE
	numericMinSigDigits   = 16     // NUMERIC_MIN_SIG_DIGITS
	numericMaxPrecision   = 1000   // NUMERIC_MAX_PRECISION (typmod limit)
	numericMaxResultScale = numericMaxPrecision * 2
)

var errNumericOverflow = pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")

var (
	numericNaN    = &apd.Decimal{Form: apd.NaN}
	numericPosInf = &apd.Decimal{Form: apd.Infinite}
	numericNegInf = &apd.Decimal{Form: apd.Infinite, Negative: true}
)

// normalizeNumeric brings a finite decimal to the Datum invariants:
// Exponent <= 0 and no negative zero.
func normalizeNumeric(d *apd.Decimal) {
	if d.Form != apd.Finite {
		return
	}
	if d.Exponent > 0 {
		d.Coeff.Mul(&d.Coeff, pow10(int(d.Exponent)))
		d.Exponent = 0
	}
	if d.Coeff.Sign() == 0 {
		d.Negative = false
	}
}

var pow10Table = func() [64]apd.BigInt {
	var t [64]apd.BigInt
	t[0].SetInt64(1)
	for i := 1; i < len(t); i++ {
		t[i].Mul(&t[i-1], apd.NewBigInt(10))
	}
	return t
}()

// pow10 returns 10^n; the result must not be modified.
func pow10(n int) *apd.BigInt {
	if n < len(pow10Table) {
		return &pow10Table[n]
	}
	r := new(apd.BigInt)
	return r.Exp(apd.NewBigInt(10), apd.NewBigInt(int64(n)), nil)
}

// numericDigits returns the number of decimal digits of the coefficient (0 for 0).
func numericDigits(d *apd.Decimal) int {
	if d.Coeff.Sign() == 0 {
		return 0
	}
	return int(d.NumDigits())
}

// numericIntDigits is the number of digits before the decimal point
// (ignoring leading zeros); 0 for |d| < 1.
func numericIntDigits(d *apd.Decimal) int {
	n := numericDigits(d) + int(d.Exponent)
	if n < 0 {
		return 0
	}
	return n
}

// checkNumericLimits reports 22003 if d cannot be stored as a PostgreSQL numeric.
func checkNumericLimits(d *apd.Decimal) error {
	if d.Form != apd.Finite {
		return nil
	}
	if -d.Exponent > numericMaxDscale || numericIntDigits(d) > numericMaxIntDigits {
		return errNumericOverflow
	}
	return nil
}

// parseNumericText is numeric_in without typmod: whitespace, sign, digits,
// point, exponent; NaN and Infinity spellings.
func parseNumericText(s string) (*apd.Decimal, error) {
	t := trimSpace(s)
	if t == "" {
		return nil, errSyntax("numeric", s)
	}
	d := new(apd.Decimal)
	if err := parseNumericInto(d, t); err != nil {
		if err == errNumericOverflow {
			return nil, err
		}
		return nil, errSyntax("numeric", s)
	}
	return d, nil
}

var errNumericSyntax = pgerror.New(pgerror.InvalidTextRepresentation, "invalid numeric")

// parseNumericInto parses a trimmed numeric literal into d.
func parseNumericInto(d *apd.Decimal, t string) error {
	switch len(t) {
	case 3, 4, 8, 9:
		switch lowerASCII(t) {
		case "nan":
			d.Set(numericNaN)
			return nil
		case "inf", "+inf", "infinity", "+infinity":
			d.Set(numericPosInf)
			return nil
		case "-inf", "-infinity":
			d.Set(numericNegInf)
			return nil
		}
	}
	i := 0
	neg := false
	if t[0] == '+' || t[0] == '-' {
		neg = t[0] == '-'
		i++
	}
	// Collect the digits (without the point) in a small buffer when possible.
	var stack [40]byte
	digits := stack[:0]
	nDigits, frac := 0, 0
	seenPoint := false
	for ; i < len(t); i++ {
		c := t[i]
		if isDigit(c) {
			if len(digits) > 0 || c != '0' {
				digits = append(digits, c)
			}
			nDigits++
			if seenPoint {
				frac++
			}
			continue
		}
		if c == '.' && !seenPoint {
			seenPoint = true
			continue
		}
		break
	}
	if nDigits == 0 {
		return errNumericSyntax
	}
	var exp int64
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		eneg := false
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			eneg = t[i] == '-'
			i++
		}
		j := i
		for ; i < len(t) && isDigit(t[i]); i++ {
			if exp < 1<<40 {
				exp = exp*10 + int64(t[i]-'0')
			}
		}
		if i == j {
			return errNumericSyntax
		}
		if exp >= math.MaxInt32/2 {
			return errNumericOverflow
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(t) {
		return errNumericSyntax
	}
	e := exp - int64(frac)
	dscale := -e
	if dscale < 0 {
		dscale = 0
	}
	if dscale > numericMaxDscale {
		return errNumericOverflow
	}
	if int64(len(digits))+e > numericMaxIntDigits {
		return errNumericOverflow
	}
	d.Form = apd.Finite
	if len(digits) <= 18 {
		var v int64
		for _, c := range digits {
			v = v*10 + int64(c-'0')
		}
		d.Coeff.SetInt64(v)
	} else if _, ok := d.Coeff.SetString(string(digits), 10); !ok {
		return errNumericSyntax
	}
	d.Exponent = int32(e)
	d.Negative = neg
	normalizeNumeric(d)
	return nil
}

// appendNumeric is numeric_out: plain notation with dscale fraction digits.
func appendNumeric(dst []byte, d *apd.Decimal) []byte {
	if d == nil {
		return dst
	}
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return append(dst, "NaN"...)
	case apd.Infinite:
		if d.Negative {
			return append(dst, "-Infinity"...)
		}
		return append(dst, "Infinity"...)
	}
	if d.Negative && d.Coeff.Sign() != 0 {
		dst = append(dst, '-')
	}
	var scratch [40]byte
	digits := d.Coeff.Append(scratch[:0], 10)
	if digits[0] == '-' {
		digits = digits[1:]
	}
	if d.Exponent >= 0 {
		dst = append(dst, digits...)
		for i := int32(0); i < d.Exponent; i++ {
			dst = append(dst, '0')
		}
		return dst
	}
	scale := int(-d.Exponent)
	if len(digits) > scale {
		dst = append(dst, digits[:len(digits)-scale]...)
		dst = append(dst, '.')
		return append(dst, digits[len(digits)-scale:]...)
	}
	dst = append(dst, '0', '.')
	for i := len(digits); i < scale; i++ {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}

// roundNumeric rounds (half away from zero) or pads d in place to `scale`
// fraction digits; a negative scale rounds to tens, hundreds, ...
// The result has Exponent = -max(scale, 0).
func roundNumeric(d *apd.Decimal, scale int32) {
	if d.Form != apd.Finite {
		return
	}
	target := -scale
	switch {
	case d.Exponent > target:
		d.Coeff.Mul(&d.Coeff, pow10(int(d.Exponent-target)))
		d.Exponent = target
	case d.Exponent < target:
		k := int(target - d.Exponent)
		if k > numericDigits(d)+1 {
			d.Coeff.SetInt64(0)
		} else {
			var q, r, r2 apd.BigInt
			p := pow10(k)
			q.QuoRem(&d.Coeff, p, &r)
			r2.Add(&r, &r)
			if r2.Cmp(p) >= 0 {
				q.Add(&q, apd.NewBigInt(1))
			}
			d.Coeff.Set(&q)
		}
		d.Exponent = target
	}
	normalizeNumeric(d)
}

// truncNumeric truncates d in place to `scale` fraction digits (scale >= 0).
func truncNumeric(d *apd.Decimal, scale int32) {
	if d.Form != apd.Finite || -d.Exponent <= scale {
		return
	}
	k := int(-scale - d.Exponent)
	var q apd.BigInt
	q.Quo(&d.Coeff, pow10(k))
	d.Coeff.Set(&q)
	d.Exponent = -scale
	normalizeNumeric(d)
}

// applyNumericTypmod is apply_typmod + apply_typmod_special: round to the
// scale, then 22003 "numeric field overflow" if the integer digits exceed
// precision - scale. d is modified in place.
func applyNumericTypmod(d *apd.Decimal, t Type) error {
	p, s, ok := t.NumericPrecisionScale()
	if !ok {
		return nil
	}
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return nil
	case apd.Infinite:
		return pgerror.New(pgerror.NumericValueOutOfRange, "numeric field overflow").
			WithDetail("A field with precision %d, scale %d cannot hold an infinite value.", p, s)
	}
	roundNumeric(d, s)
	maxDigits := int(p - s)
	// ddigits: position of the most significant digit, which may be
	// negative for |d| < 0.1 (numeric(3,5) accepts 0.00123).
	if d.Coeff.Sign() != 0 && numericDigits(d)+int(d.Exponent) > maxDigits {
		e := pgerror.New(pgerror.NumericValueOutOfRange, "numeric field overflow")
		if maxDigits > 0 {
			return e.WithDetail("A field with precision %d, scale %d must round to an absolute value less than 10^%d.", p, s, maxDigits)
		}
		return e.WithDetail("A field with precision %d, scale %d must round to an absolute value less than 1.", p, s)
	}
	return nil
}

// numericFromInt returns n as a numeric with scale 0.
func numericFromInt(n int64) *apd.Decimal {
	d := new(apd.Decimal)
	d.SetInt64(n)
	return d
}

// numericToInt64 is numericvar_to_int64: round half away from zero, then
// range check. Errors: 0A000 for NaN/Infinity, 22003 "<type> out of range".
func numericToInt64(d *apd.Decimal, oid uint32) (int64, error) {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return 0, pgerror.New(pgerror.FeatureNotSupported, "cannot convert NaN to %s", intTypeName(oid))
	case apd.Infinite:
		return 0, pgerror.New(pgerror.FeatureNotSupported, "cannot convert infinity to %s", intTypeName(oid))
	}
	var r apd.Decimal
	r.Set(d)
	if r.Exponent < 0 {
		roundNumeric(&r, 0)
	}
	if !r.Coeff.IsInt64() {
		return 0, errIntOutOfRange(oid)
	}
	v := r.Coeff.Int64()
	if r.Negative {
		v = -v
	}
	if err := checkIntRange(v, oid); err != nil {
		return 0, err
	}
	return v, nil
}

// numericToFloat is numeric_float8: the decimal text read by strtod, so the
// result is correctly rounded.
func numericToFloat(d *apd.Decimal, bits int) float64 {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return canonicalNaN
	case apd.Infinite:
		if d.Negative {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	if d.Exponent == 0 && d.Coeff.IsInt64() {
		v := d.Coeff.Int64()
		if v < 1<<53 {
			if d.Negative {
				return -float64(v)
			}
			return float64(v)
		}
	}
	var buf [64]byte
	b := buf[:0]
	if d.Negative {
		b = append(b, '-')
	}
	b = d.Coeff.Append(b, 10)
	b = append(b, 'e')
	b = strconv.AppendInt(b, int64(d.Exponent), 10)
	f, _ := strconv.ParseFloat(string(b), bits) // string(b) of a stack buffer does not escape
	return f
}

// numericFromFloat is float8_numeric/float4_numeric: the float printed with
// %.15g (%.6g for float4) and read back, so 0.1::float8::numeric = 0.1.
func numericFromFloat(f float64, bits int) (*apd.Decimal, error) {
	switch {
	case math.IsNaN(f):
		return numericNaN, nil
	case math.IsInf(f, 1):
		return numericPosInf, nil
	case math.IsInf(f, -1):
		return numericNegInf, nil
	}
	prec := 15
	if bits == 32 {
		prec = 6
	}
	var buf [40]byte
	b := strconv.AppendFloat(buf[:0], f, 'e', prec-1, bits)
	// %g strips trailing zeros of the mantissa; numeric_in would keep them as scale.
	mant := b
	exp := []byte(nil)
	for i, c := range b {
		if c == 'e' {
			mant, exp = b[:i], b[i:]
			break
		}
	}
	j := len(mant)
	for j > 0 && mant[j-1] == '0' {
		j--
	}
	if j > 0 && mant[j-1] == '.' {
		j--
	}
	var out [48]byte
	s := append(append(out[:0], mant[:j]...), exp...)
	d := new(apd.Decimal)
	if err := parseNumericInto(d, string(s)); err != nil {
		return nil, err
	}
	// %g prints fixed notation for small exponents, which numeric_in reads
	// with its written scale; the e-notation read above gives the same value
	// and scale because trailing zeros were stripped.
	return d, nil
}

// numericIsInteger reports whether a finite d has no nonzero fraction digits.
func numericIsInteger(d *apd.Decimal) bool {
	if d.Form != apd.Finite {
		return false
	}
	if d.Exponent >= 0 || d.Coeff.Sign() == 0 {
		return true
	}
	var r apd.BigInt
	r.Rem(&d.Coeff, pow10(int(-d.Exponent)))
	return r.Sign() == 0
}
