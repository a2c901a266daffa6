package types

import (
	"math"
	"math/bits"

	"github.com/cockroachdb/apd/v3"
)

// Hash returns a 64-bit hash of d for hash joins, hash aggregation and
// DISTINCT. Values that Compare as equal hash equally within a kind, and
// also across the kinds PostgreSQL hashes together: int2/int4/int8, integral
// floats and integral numerics hash like the integer (1 = 1.0::float8 =
// 1.00::numeric); a date hashes like the timestamp of its midnight. A
// non-integral numeric and an equal float8 may hash differently: PostgreSQL
// has no numeric = float8 hash operator either (the binder casts first).
//
// The function is deterministic across processes and platforms (it is not
// randomized per process); seed selects independent hash functions.
func Hash(d Datum, seed uint64) uint64 {
	switch d.K {
	case KindNull:
		return mix64(seed ^ 0x9e3779b97f4a7c15)
	case KindInt, KindBool, KindTime, KindTimestamp, KindTimestampTZ:
		return hashInt(d.I, seed)
	case KindDate:
		return hashInt(dateToTimestampRaw(d.I), seed)
	case KindText, KindBytes, KindUUID, KindTSVector, KindTSQuery:
		return hashString(d.S, seed)
	case KindFloat:
		return hashFloat(d.F, seed)
	case KindNumeric:
		return hashNumeric(d.Numeric(), seed)
	case KindInterval:
		hi, lo := intervalSpan(d.Interval())
		return mix64(hashInt(hi, seed) ^ lo*0x9fb21c651e98df25)
	case KindJSON:
		v, err := parseJSONValue(d.S)
		if err != nil {
			return hashString(d.S, seed)
		}
		return hashJSON(&v, seed)
	case KindArray:
		h := seed ^ 0x243f6a8885a308d3
		if a := d.Array(); a != nil {
			for _, e := range a.Elems {
				h = mix64(h*31 ^ Hash(e, seed))
			}
			for _, dim := range a.Dims {
				h = mix64(h ^ uint64(dim.Len)<<32 ^ uint64(uint32(dim.Lower)))
			}
		}
		return h
	}
	return seed
}

// HashRow combines the hashes of several columns (composite keys).
func HashRow(row []Datum, seed uint64) uint64 {
	h := seed
	for _, d := range row {
		h = mix64(h ^ Hash(d, seed))
	}
	return h
}

func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

func hashInt(i int64, seed uint64) uint64 { return mix64(uint64(i) ^ seed*0x9e3779b97f4a7c15) }

func hashFloat(f float64, seed uint64) uint64 {
	switch {
	case math.IsNaN(f):
		return mix64(seed ^ 0x7ff8000000000000)
	case f == 0:
		return hashInt(0, seed)
	case f == math.Trunc(f) && f >= -9.2233720368547758e18 && f < 9.2233720368547758e18:
		return hashInt(int64(f), seed)
	}
	return mix64(math.Float64bits(f) ^ seed*0x9e3779b97f4a7c15 ^ 0x5bd1e995)
}

func hashNumeric(d *apd.Decimal, seed uint64) uint64 {
	if d == nil {
		return seed
	}
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return hashFloat(math.NaN(), seed)
	case apd.Infinite:
		if d.Negative {
			return hashFloat(math.Inf(-1), seed)
		}
		return hashFloat(math.Inf(1), seed)
	}
	if d.Coeff.Sign() == 0 {
		return hashInt(0, seed)
	}
	// Strip trailing zeros so 1.50 and 1.5 hash alike.
	var c apd.BigInt
	c.Set(&d.Coeff)
	exp := d.Exponent
	var q, r apd.BigInt
	ten := apd.NewBigInt(10)
	for exp < 0 {
		q.QuoRem(&c, ten, &r)
		if r.Sign() != 0 {
			break
		}
		c.Set(&q)
		exp++
	}
	if exp == 0 && c.IsInt64() {
		v := c.Int64()
		if d.Negative {
			v = -v
		}
		return hashInt(v, seed)
	}
	var buf [64]byte
	b := c.Append(buf[:0], 10)
	h := hashString(string(b), seed^uint64(uint32(exp))<<1)
	if d.Negative {
		h = mix64(h ^ 1)
	}
	return h
}

func hashJSON(v *jsonValue, seed uint64) uint64 {
	h := mix64(seed ^ uint64(v.kind)<<56)
	switch v.kind {
	case jString:
		return mix64(h ^ hashString(v.str, seed))
	case jNumber:
		return mix64(h ^ hashNumeric(v.num, seed))
	case jArray:
		for i := range v.arr {
			h = mix64(h*31 ^ hashJSON(&v.arr[i], seed))
		}
	case jObject:
		for i := range v.obj {
			h = mix64(h*31 ^ hashString(v.obj[i].key, seed))
			h = mix64(h*31 ^ hashJSON(&v.obj[i].val, seed))
		}
	}
	return h
}

// hashString is a wyhash-style hash (64-bit multiply-mix over 8-byte words).
func hashString(s string, seed uint64) uint64 {
	const (
		p0 = 0xa0761d6478bd642f
		p1 = 0xe7037ed1a0b428db
		p2 = 0x8ebc6af09c88c6e3
		p3 = 0x589965cc75374cc3
	)
	mum := func(a, b uint64) uint64 {
		hi, lo := bits.Mul64(a, b)
		return hi ^ lo
	}
	h := seed ^ p0
	n := len(s)
	for len(s) > 16 {
		h = mum(le64(s)^p1, le64(s[8:])^h)
		s = s[16:]
	}
	var a, b uint64
	switch {
	case len(s) >= 8:
		a = le64(s)
		b = le64(s[len(s)-8:])
	case len(s) >= 4:
		a = uint64(le32(s))
		b = uint64(le32(s[len(s)-4:]))
	case len(s) > 0:
		a = uint64(s[0])<<16 | uint64(s[len(s)>>1])<<8 | uint64(s[len(s)-1])
	}
	return mum(p1^uint64(n), mum(a^p2, b^h^p3))
}

func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}
