package types

import (
	"github.com/cockroachdb/apd/v3"
)

// Numeric operators with PostgreSQL's result scales (numeric.c):
//
//	a + b, a - b    scale max(sa, sb), exact
//	a * b           scale sa + sb (rounded to 16383 if larger), exact
//	a / b           scale select_div_scale(a, b): at least 16 significant
//	                digits and at least both input scales, at most 1000;
//	                rounded half away from zero
//	a % b           a - trunc(a/b)*b, scale max(sa, sb)
//
// NaN and ±Infinity follow PostgreSQL 15 (Inf - Inf = NaN, Inf * 0 = NaN,
// x / Inf = 0, x / 0 is 22012 even for Infinity).

func numScale(d *apd.Decimal) int32 {
	if d.Exponent < 0 {
		return -d.Exponent
	}
	return 0
}

func isNaNNum(d *apd.Decimal) bool { return d.Form == apd.NaN || d.Form == apd.NaNSignaling }

func newNaN() *apd.Decimal {
	d := new(apd.Decimal)
	d.Form = apd.NaN
	return d
}

func newInf(neg bool) *apd.Decimal {
	d := new(apd.Decimal)
	d.Form = apd.Infinite
	d.Negative = neg
	return d
}

// signedCoeff returns the coefficient scaled to `scale` fraction digits, with sign.
func signedCoeff(dst *apd.BigInt, d *apd.Decimal, scale int32) {
	dst.Set(&d.Coeff)
	if s := numScale(d); s < scale {
		dst.Mul(dst, pow10(int(scale-s)))
	}
	if d.Negative {
		dst.Neg(dst)
	}
}

func fromSignedCoeff(c *apd.BigInt, scale int32) *apd.Decimal {
	r := new(apd.Decimal)
	r.Negative = c.Sign() < 0
	r.Coeff.Abs(c)
	r.Exponent = -scale
	if r.Coeff.Sign() == 0 {
		r.Negative = false
	}
	return r
}

// NumericAdd returns a+b (sub=false) or a-b.
func NumericAdd(a, b *apd.Decimal, sub bool) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		if isNaNNum(a) || isNaNNum(b) {
			return newNaN(), nil
		}
		bneg := b.Negative != sub
		switch {
		case a.Form == apd.Infinite && b.Form == apd.Infinite:
			if a.Negative != bneg {
				return newNaN(), nil
			}
			return newInf(a.Negative), nil
		case a.Form == apd.Infinite:
			return newInf(a.Negative), nil
		default:
			return newInf(bneg), nil
		}
	}
	scale := numScale(a)
	if s := numScale(b); s > scale {
		scale = s
	}
	var x, y apd.BigInt
	signedCoeff(&x, a, scale)
	signedCoeff(&y, b, scale)
	if sub {
		x.Sub(&x, &y)
	} else {
		x.Add(&x, &y)
	}
	r := fromSignedCoeff(&x, scale)
	return r, checkNumericLimits(r)
}

// NumericMul returns a*b.
func NumericMul(a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		if isNaNNum(a) || isNaNNum(b) {
			return newNaN(), nil
		}
		za := a.Form == apd.Finite && a.Coeff.Sign() == 0
		zb := b.Form == apd.Finite && b.Coeff.Sign() == 0
		if za || zb {
			return newNaN(), nil
		}
		return newInf(a.Negative != b.Negative), nil
	}
	r := new(apd.Decimal)
	r.Coeff.Mul(&a.Coeff, &b.Coeff)
	r.Exponent = -(numScale(a) + numScale(b))
	r.Negative = a.Negative != b.Negative
	normalizeNumeric(r)
	if -r.Exponent > numericMaxDscale {
		roundNumeric(r, numericMaxDscale)
	}
	return r, checkNumericLimits(r)
}

// numericWeight returns PostgreSQL's (weight, first base-10000 digit) of a
// finite nonzero value; (0, 0) for zero.
func numericWeight(d *apd.Decimal) (int, int) {
	if d.Coeff.Sign() == 0 {
		return 0, 0
	}
	var scratch [48]byte
	digits := d.Coeff.Append(scratch[:0], 10)
	p := len(digits) + int(d.Exponent) - 1 // power of ten of the first digit
	w := floorDivInt(p, 4)
	n := p - 4*w + 1 // digits of the first group
	first := 0
	for i := 0; i < n; i++ {
		first *= 10
		if i < len(digits) {
			first += int(digits[i] - '0')
		}
	}
	return w, first
}

// selectDivScale is select_div_scale.
func selectDivScale(a, b *apd.Decimal) int32 {
	w1, f1 := numericWeight(a)
	w2, f2 := numericWeight(b)
	qweight := w1 - w2
	if f1 <= f2 {
		qweight--
	}
	rscale := int32(numericMinSigDigits - qweight*4)
	if s := numScale(a); s > rscale {
		rscale = s
	}
	if s := numScale(b); s > rscale {
		rscale = s
	}
	if rscale < 0 {
		rscale = 0
	}
	if rscale > numericMaxDispScale {
		rscale = numericMaxDispScale
	}
	return rscale
}

// divRound returns round_half_away(x / y) scaled by 10^rscale, where x and y
// are finite and y != 0.
func divRound(a, b *apd.Decimal, rscale int32, truncate bool) *apd.Decimal {
	// a/b * 10^rscale = Ca*10^-sa / (Cb*10^-sb) * 10^rscale
	shift := int(rscale) - int(numScale(a)) + int(numScale(b))
	var num, den apd.BigInt
	num.Set(&a.Coeff)
	den.Set(&b.Coeff)
	if shift >= 0 {
		num.Mul(&num, pow10(shift))
	} else {
		den.Mul(&den, pow10(-shift))
	}
	var q, r apd.BigInt
	q.QuoRem(&num, &den, &r)
	if !truncate {
		r.Add(&r, &r)
		if r.Cmp(&den) >= 0 {
			q.Add(&q, apd.NewBigInt(1))
		}
	}
	res := new(apd.Decimal)
	res.Coeff.Set(&q)
	res.Exponent = -rscale
	res.Negative = a.Negative != b.Negative
	normalizeNumeric(res)
	return res
}

// NumericDiv returns a/b.
func NumericDiv(a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		if isNaNNum(a) || isNaNNum(b) {
			return newNaN(), nil
		}
		if a.Form == apd.Infinite {
			if b.Form == apd.Infinite {
				return newNaN(), nil
			}
			if b.Coeff.Sign() == 0 {
				return nil, errDivByZero
			}
			return newInf(a.Negative != b.Negative), nil
		}
		return new(apd.Decimal), nil // finite / infinite = 0
	}
	if b.Coeff.Sign() == 0 {
		return nil, errDivByZero
	}
	r := divRound(a, b, selectDivScale(a, b), false)
	return r, checkNumericLimits(r)
}

// NumericMod returns a % b.
func NumericMod(a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		if isNaNNum(a) || isNaNNum(b) || a.Form == apd.Infinite {
			if a.Form == apd.Infinite && b.Form == apd.Finite && b.Coeff.Sign() == 0 {
				return nil, errDivByZero
			}
			return newNaN(), nil
		}
		r := new(apd.Decimal) // finite % infinite = the finite value
		r.Set(a)
		return r, nil
	}
	if b.Coeff.Sign() == 0 {
		return nil, errDivByZero
	}
	q := divRound(a, b, 0, true) // trunc(a/b)
	p, err := NumericMul(b, q)
	if err != nil {
		return nil, err
	}
	return NumericAdd(a, p, true)
}

// NumericNeg is unary minus; NumericAbs is abs().
func NumericNeg(a *apd.Decimal) *apd.Decimal {
	r := new(apd.Decimal)
	r.Set(a)
	if r.Form == apd.NaN {
		return r
	}
	r.Negative = !r.Negative
	if r.Form == apd.Finite && r.Coeff.Sign() == 0 {
		r.Negative = false
	}
	return r
}

func NumericAbs(a *apd.Decimal) *apd.Decimal {
	r := new(apd.Decimal)
	r.Set(a)
	if r.Form != apd.NaN {
		r.Negative = false
	}
	return r
}
