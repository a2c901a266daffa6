package types

import (
	"math/big"

	"github.com/cockroachdb/apd/v3"
)

// NumericStats accumulates var_samp/var_pop/stddev_* over numeric (and
// integer) inputs as PostgreSQL's NumericAggState does: the count, the
// exact sum of X and the exact sum of X*X. The sums are kept as integers
// in units of 10^-scale (sumX) and 10^-2*scale (sumX2), scale being the
// largest display scale seen, so a step allocates nothing while the values
// fit apd.BigInt's inline words.
type NumericStats struct {
	N     int64
	scale int32
	sx    apd.BigInt
	sx2   apd.BigInt
	c     apd.BigInt // scratch: the current value in units of 10^-scale
	nan   bool       // a NaN or an infinity was seen: the result is NaN
}

// AddInt adds an integer input.
func (s *NumericStats) AddInt(v int64) {
	s.N++
	s.c.SetInt64(v)
	if s.scale > 0 {
		s.c.Mul(&s.c, pow10(int(s.scale)))
	}
	s.accum()
}

// AddNumeric adds a numeric input.
func (s *NumericStats) AddNumeric(d *apd.Decimal) {
	s.N++
	if d.Form != apd.Finite {
		s.nan = true
		return
	}
	ds := numScale(d)
	if ds > s.scale {
		k := int(ds - s.scale)
		s.sx.Mul(&s.sx, pow10(k))
		s.sx2.Mul(&s.sx2, pow10(2*k))
		s.scale = ds
	}
	s.c.Set(&d.Coeff)
	if d.Exponent > 0 {
		s.c.Mul(&s.c, pow10(int(d.Exponent)))
	}
	if k := int(s.scale - ds); k > 0 {
		s.c.Mul(&s.c, pow10(k))
	}
	if d.Negative {
		s.c.Neg(&s.c)
	}
	s.accum()
}

func (s *NumericStats) accum() {
	s.sx.Add(&s.sx, &s.c)
	s.c.Mul(&s.c, &s.c)
	s.sx2.Add(&s.sx2, &s.c)
}

// Variance is numeric_stddev_internal: (N*sumX2 - sumX*sumX) / (N*(N-1))
// for the sample forms (N*N for the population ones) at select_div_scale's
// scale, and its square root at the same scale for stddev. ok is false
// where PostgreSQL returns NULL (no input; one input for the sample forms).
func (s *NumericStats) Variance(sample, stddev bool) (*apd.Decimal, bool) {
	if s.N == 0 || (sample && s.N <= 1) {
		return nil, false
	}
	if s.nan {
		return newNaN(), true
	}
	// The numerator at scale 2*scale, as PostgreSQL's mul_var calls keep it.
	num := new(apd.Decimal)
	var n, sq apd.BigInt
	n.SetInt64(s.N)
	num.Coeff.Mul(&n, &s.sx2)
	sq.Mul(&s.sx, &s.sx)
	num.Coeff.Sub(&num.Coeff, &sq)
	if num.Coeff.Sign() <= 0 {
		return new(apd.Decimal), true // roundoff guard in PostgreSQL: exactly 0
	}
	num.Exponent = -2 * s.scale
	den := new(apd.Decimal)
	m := s.N
	if sample {
		m = s.N - 1
	}
	den.Coeff.Mul(&n, apd.NewBigInt(m))
	rscale := selectDivScale(num, den)
	v := divRound(num, den, rscale, false)
	if stddev {
		v = sqrtRound(v, rscale)
	}
	return v, true
}

// sqrtRound returns sqrt(v) rounded half away from zero to rscale digits
// (v >= 0, v's scale <= rscale).
func sqrtRound(v *apd.Decimal, rscale int32) *apd.Decimal {
	// sqrt(C*10^-e) * 10^rscale = sqrt(C * 10^(2*rscale-e)), e = v's scale.
	m := new(big.Int).Set(v.Coeff.MathBigInt())
	if k := 2*int(rscale) - int(numScale(v)); k > 0 {
		m.Mul(m, pow10(k).MathBigInt())
	}
	q := new(big.Int).Sqrt(m)
	// Round up when m > q^2 + q, i.e. sqrt(m) >= q + 1/2.
	r := new(big.Int).Mul(q, q)
	r.Add(r, q)
	if m.Cmp(r) > 0 {
		q.Add(q, big.NewInt(1))
	}
	res := new(apd.Decimal)
	res.Coeff.SetMathBigInt(q)
	res.Exponent = -rscale
	normalizeNumeric(res)
	return res
}
