package executor

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// sumAcc accumulates sum() and avg(): integers in an int64 that moves to
// an exact decimal on overflow (PostgreSQL sums int8 in numeric), numerics
// in a decimal, floats in a float64.
type sumAcc struct {
	kind  types.Kind
	i     int64
	d     *apd.Decimal
	f     float64
	scale int32
}

func (s *sumAcc) add(v types.Datum) error {
	switch v.K {
	case types.KindInt:
		if s.d == nil {
			r := s.i + v.I
			if (v.I > 0 && r < s.i) || (v.I < 0 && r > s.i) {
				s.d = apd.New(s.i, 0)
			} else {
				s.i = r
				return nil
			}
		}
		_, err := builtins.NumericCtx().Add(s.d, s.d, apd.New(v.I, 0))
		return err
	case types.KindFloat:
		s.f += v.F
	case types.KindNumeric:
		x, _ := v.X.(*apd.Decimal)
		if x == nil {
			return nil
		}
		if s.d == nil {
			s.d = apd.New(s.i, 0)
		}
		if x.Exponent < 0 && -x.Exponent > s.scale {
			s.scale = -x.Exponent
		}
		_, err := builtins.NumericCtx().Add(s.d, s.d, x)
		return err
	case types.KindInterval:
		return pgerror.New(pgerror.FeatureNotSupported, "sum/avg of interval is not supported yet")
	}
	return nil
}

func (s *sumAcc) decimal() *apd.Decimal {
	if s.d != nil {
		return s.d
	}
	return apd.New(s.i, 0)
}

// sum returns the final sum in result type t.
func (s *sumAcc) sum(t types.Type) (types.Datum, error) {
	switch t.OID {
	case types.Int8OID:
		if s.d != nil {
			return types.Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "bigint out of range")
		}
		return types.NewInt(s.i), nil
	case types.Float4OID:
		return types.NewFloat(float64(float32(s.f))), nil
	case types.Float8OID:
		return types.NewFloat(s.f), nil
	}
	d := new(apd.Decimal).Set(s.decimal())
	if s.scale > 0 && d.Exponent > -s.scale {
		builtins.NumericCtx().Quantize(d, d, -s.scale)
	}
	return types.NewNumeric(d), nil
}

// avg returns sum/count in result type t.
func (s *sumAcc) avg(count int64, t types.Type) (types.Datum, error) {
	if t.OID == types.Float8OID {
		return types.NewFloat(s.f / float64(count)), nil
	}
	sum := new(apd.Decimal).Set(s.decimal())
	if s.scale > 0 && sum.Exponent > -s.scale {
		builtins.NumericCtx().Quantize(sum, sum, -s.scale)
	}
	q, err := types.NumericDiv(sum, apd.New(count, 0))
	if err != nil {
		return types.Datum{}, err
	}
	return types.NewNumeric(q), nil
}

// toInt64 reads an integer-valued datum (LIMIT, OFFSET).
func toInt64(v types.Datum) (int64, error) {
	switch v.K {
	case types.KindInt:
		return v.I, nil
	case types.KindFloat:
		if v.F > math.MaxInt64 || v.F < math.MinInt64 {
			return 0, pgerror.New(pgerror.NumericValueOutOfRange, "bigint out of range")
		}
		return int64(math.RoundToEven(v.F)), nil
	case types.KindNumeric:
		if d, ok := v.X.(*apd.Decimal); ok {
			r := new(apd.Decimal)
			builtins.NumericCtx().RoundToIntegralValue(r, d)
			i, err := r.Int64()
			if err != nil {
				return 0, pgerror.New(pgerror.NumericValueOutOfRange, "bigint out of range")
			}
			return i, nil
		}
	}
	return 0, pgerror.New(pgerror.DatatypeMismatch, "argument must be an integer")
}
