package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// generate_series and unnest, after PostgreSQL 15's int.c, int8.c,
// numeric.c, timestamp.c and arrayfuncs.c.

func errSeries(msg string) error { return pgerror.New(pgerror.InvalidParameterValue, "%s", msg) }

func anyNull(a []types.Datum) bool {
	for _, d := range a {
		if d.IsNull() {
			return true
		}
	}
	return false
}

// intSeries is generate_series_step_int4 / _int8: it stops before the
// value would overflow the type.
func intSeries(lo, hi int64) func(*bound.EvalCtx, []types.Datum, func([]types.Datum) error) error {
	return func(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
		if anyNull(a) {
			return nil
		}
		start, stop, step := a[0].I, a[1].I, int64(1)
		if len(a) > 2 {
			step = a[2].I
		}
		if step == 0 {
			return errSeries("step size cannot equal zero")
		}
		var row [1]types.Datum
		for cur := start; (step > 0 && cur <= stop) || (step < 0 && cur >= stop); {
			row[0] = types.NewInt(cur)
			if err := emit(row[:]); err != nil {
				return err
			}
			next := cur + step
			if (step > 0 && (next < cur || next > hi)) || (step < 0 && (next > cur || next < lo)) {
				break
			}
			cur = next
		}
		return nil
	}
}

func numericSeries(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
	if anyNull(a) {
		return nil
	}
	start, stop := numArg(a[0]), numArg(a[1])
	step := apd.New(1, 0)
	if len(a) > 2 {
		step = numArg(a[2])
	}
	for _, c := range []struct {
		d    *apd.Decimal
		what string
	}{{start, "start value"}, {stop, "stop value"}, {step, "step size"}} {
		switch c.d.Form {
		case apd.NaN, apd.NaNSignaling:
			return errSeries(c.what + " cannot be NaN")
		case apd.Infinite:
			return errSeries(c.what + " cannot be infinity")
		}
	}
	if step.IsZero() {
		return errSeries("step size cannot equal zero")
	}
	neg := step.Negative
	var row [1]types.Datum
	cur := start
	for {
		c := cur.Cmp(stop)
		if (!neg && c > 0) || (neg && c < 0) {
			return nil
		}
		row[0] = types.NewNumeric(cur)
		if err := emit(row[:]); err != nil {
			return err
		}
		next, err := types.NumericAdd(cur, step, false)
		if err != nil {
			return err
		}
		cur = next
	}
}

func timestampSeries(withTZ bool) func(*bound.EvalCtx, []types.Datum, func([]types.Datum) error) error {
	return func(c *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
		if anyNull(a) {
			return nil
		}
		start, stop, step := a[0].I, a[1].I, a[2].Interval()
		sign := types.Compare(a[2], types.NewInterval(types.IntervalValue{}))
		if sign == 0 {
			return errSeries("step size cannot equal zero")
		}
		loc := types.SessionLocation(c.Settings)
		if !withTZ {
			loc = nil
		}
		var row [1]types.Datum
		for cur := start; (sign > 0 && cur <= stop) || (sign < 0 && cur >= stop); {
			if withTZ {
				row[0] = types.NewTimestampTZ(cur)
			} else {
				row[0] = types.NewTimestamp(cur)
			}
			if err := emit(row[:]); err != nil {
				return err
			}
			next, err := types.TimestampPlusInterval(cur, step, loc)
			if err != nil {
				return err
			}
			cur = next
		}
		return nil
	}
}

func unnestGen(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
	if a[0].IsNull() {
		return nil
	}
	arr := a[0].Array()
	if a[0].K != types.KindArray || arr == nil {
		return pgerror.New(pgerror.DatatypeMismatch, "argument of unnest must be an array")
	}
	var row [1]types.Datum
	for _, e := range arr.Elems {
		row[0] = e
		if err := emit(row[:]); err != nil {
			return err
		}
	}
	return nil
}

func init() {
	col := func(t types.Type) []SRFColumn { return []SRFColumn{{"", t}} }
	i4 := intSeries(math.MinInt32, math.MaxInt32)
	i8 := intSeries(math.MinInt64, math.MaxInt64)
	ts, tstz := types.Timestamp, types.TimestampTZ
	srf("generate_series",
		SRF{Args: []types.Type{tInt4, tInt4}, Cols: col(tInt4), Gen: i4},
		SRF{Args: []types.Type{tInt4, tInt4, tInt4}, Cols: col(tInt4), Gen: i4},
		SRF{Args: []types.Type{tInt8, tInt8}, Cols: col(tInt8), Gen: i8},
		SRF{Args: []types.Type{tInt8, tInt8, tInt8}, Cols: col(tInt8), Gen: i8},
		SRF{Args: []types.Type{types.Numeric, types.Numeric}, Cols: col(types.Numeric), Gen: numericSeries},
		SRF{Args: []types.Type{types.Numeric, types.Numeric, types.Numeric}, Cols: col(types.Numeric), Gen: numericSeries},
		SRF{Args: []types.Type{ts, ts, types.Interval}, Cols: col(ts), Gen: timestampSeries(false)},
		SRF{Args: []types.Type{tstz, tstz, types.Interval}, Cols: col(tstz), Gen: timestampSeries(true)})
	srf("unnest", SRF{Args: []types.Type{Any}, Cols: []SRFColumn{{Name: ""}}, ColsFromArg: 0, ElemOfArg: true, Gen: unnestGen})
}
