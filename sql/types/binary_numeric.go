package types

import (
	"encoding/binary"

	"github.com/cockroachdb/apd/v3"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// numeric_send / numeric_recv (src/backend/utils/adt/numeric.c):
//
//	int16 ndigits, int16 weight, uint16 sign, int16 dscale, ndigits × int16
//
// digits are base 10000, most significant first; the value is
// sum(digit[i] * 10000^(weight-i)).
const (
	numericPos        = 0x0000
	numericNeg        = 0x4000
	numericNaNS       = 0xC000
	numericPInf       = 0xD000
	numericNInf       = 0xF000
	numericDscaleMask = 0x3FFF
	nbase             = 10000
)

// appendBinaryNumeric is numeric_send.
func appendBinaryNumeric(dst []byte, d *apd.Decimal) []byte {
	put := func(ndigits, weight int, sign uint16, dscale int) {
		dst = binary.BigEndian.AppendUint16(dst, uint16(int16(ndigits)))
		dst = binary.BigEndian.AppendUint16(dst, uint16(int16(weight)))
		dst = binary.BigEndian.AppendUint16(dst, sign)
		dst = binary.BigEndian.AppendUint16(dst, uint16(int16(dscale)))
	}
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		put(0, 0, numericNaNS, 0)
		return dst
	case apd.Infinite:
		// PostgreSQL 15 sends dscale 32 for infinities (observed from
		// numeric_send; the value is ignored on receive).
		if d.Negative {
			put(0, 0, numericNInf, 32)
		} else {
			put(0, 0, numericPInf, 32)
		}
		return dst
	}
	dscale := 0
	if d.Exponent < 0 {
		dscale = int(-d.Exponent)
	}
	if d.Coeff.Sign() == 0 {
		put(0, 0, numericPos, dscale)
		return dst
	}
	var scratch [48]byte
	digits := d.Coeff.Append(scratch[:0], 10)
	if digits[0] == '-' {
		digits = digits[1:]
	}
	// Decimal digits before the point (may be <= 0) and after.
	intDigits := len(digits) + int(d.Exponent)
	// Group so that the point falls on a base-10000 boundary: pad on the
	// left to a multiple of 4 integer digits.
	lead := ((intDigits % 4) + 4) % 4 // digits in the first (partial) group
	if lead == 0 {
		lead = 4
	}
	weight := floorDivInt(intDigits-1, 4) // weight of the first group
	// Walk the digit string in groups; position of first digit relative to its group:
	groups := make([]uint16, 0, 8)
	if len(digits) > 32 {
		groups = make([]uint16, 0, len(digits)/4+2)
	}
	pos := 0
	first := true
	for pos < len(digits) {
		n := 4
		if first {
			n = lead
			first = false
		}
		v := 0
		for k := 0; k < n; k++ {
			v *= 10
			if pos < len(digits) {
				v += int(digits[pos] - '0')
			}
			pos++
		}
		groups = append(groups, uint16(v))
	}
	// Strip leading and trailing zero groups.
	for len(groups) > 0 && groups[0] == 0 {
		groups = groups[1:]
		weight--
	}
	for len(groups) > 0 && groups[len(groups)-1] == 0 {
		groups = groups[:len(groups)-1]
	}
	sign := uint16(numericPos)
	if d.Negative {
		sign = numericNeg
	}
	put(len(groups), weight, sign, dscale)
	for _, g := range groups {
		dst = binary.BigEndian.AppendUint16(dst, g)
	}
	return dst
}

func floorDivInt(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// parseBinaryNumeric is numeric_recv (without typmod).
func parseBinaryNumeric(b []byte) (*apd.Decimal, error) {
	if len(b) < 8 {
		return nil, errInsufficient()
	}
	ndigits := int(int16(binary.BigEndian.Uint16(b)))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscaleRaw := binary.BigEndian.Uint16(b[6:])
	b = b[8:]
	if ndigits < 0 || ndigits > numericMaxPrecision+numericMaxDscale {
		return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, `invalid length in external "numeric" value`)
	}
	switch sign {
	case numericPos, numericNeg:
	case numericNaNS:
		return fixedNumeric(b, numericNaN)
	case numericPInf:
		return fixedNumeric(b, numericPosInf)
	case numericNInf:
		return fixedNumeric(b, numericNegInf)
	default:
		return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, `invalid sign in external "numeric" value`)
	}
	if dscaleRaw&numericDscaleMask != dscaleRaw {
		return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, `invalid scale in external "numeric" value`)
	}
	dscale := int(dscaleRaw)
	if len(b) < 2*ndigits {
		return nil, errInsufficient()
	}
	if len(b) > 2*ndigits {
		return nil, errBinaryLength()
	}
	// Build the coefficient in base 10000, then scale to dscale.
	d := new(apd.Decimal)
	var coeff apd.BigInt
	var tmp apd.BigInt
	base := apd.NewBigInt(nbase)
	for i := 0; i < ndigits; i++ {
		g := binary.BigEndian.Uint16(b[2*i:])
		if g >= nbase {
			return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, `invalid digit in external "numeric" value`)
		}
		coeff.Mul(&coeff, base)
		tmp.SetInt64(int64(g))
		coeff.Add(&coeff, &tmp)
	}
	// value = coeff * 10000^(weight - ndigits + 1)
	exp := 4 * (weight - ndigits + 1)
	d.Coeff.Set(&coeff)
	d.Exponent = int32(exp)
	d.Negative = sign == numericNeg
	normalizeNumeric(d)
	// Truncate digits hidden by dscale (trunc_var), or pad to dscale.
	if -int(d.Exponent) > dscale {
		truncNumeric(d, int32(dscale))
	}
	if -int(d.Exponent) < dscale {
		d.Coeff.Mul(&d.Coeff, pow10(dscale+int(d.Exponent)))
		d.Exponent = int32(-dscale)
	}
	if err := checkNumericLimits(d); err != nil {
		return nil, err
	}
	return d, nil
}

func fixedNumeric(rest []byte, v *apd.Decimal) (*apd.Decimal, error) {
	_ = rest
	d := new(apd.Decimal)
	d.Set(v)
	return d, nil
}
