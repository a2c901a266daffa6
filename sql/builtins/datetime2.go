package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// make_timestamptz(..., timezone), date_bin and OVERLAPS
// (functions-datetime.html).

// overlapsFn is (s1, e1) OVERLAPS (s2, e2) on values of one ordered kind
// (timestamp.c overlaps_timestamp, non-NULL case): each period's ends are
// put in order, and the periods overlap when they share an instant, with a
// period's end excluded unless both start together.
func overlapsFn(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
	s1, e1, s2, e2 := a[0], a[1], a[2], a[3]
	if types.Compare(s1, e1) > 0 {
		s1, e1 = e1, s1
	}
	if types.Compare(s2, e2) > 0 {
		s2, e2 = e2, s2
	}
	switch c := types.Compare(s1, s2); {
	case c > 0:
		return types.NewBool(types.Compare(s1, e2) < 0), nil
	case c < 0:
		return types.NewBool(types.Compare(s2, e1) < 0), nil
	}
	return types.NewBool(true), nil
}

func init() {
	tTS, tTSTZ, tIv, tInt4, tFloat8, tText := types.Timestamp, types.TimestampTZ, types.Interval, types.Int4, types.Float8, types.Text
	fn("make_timestamptz", sig(tTSTZ, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r, err := makeTimestampInternal(a[0].I, a[1].I, a[2].I, a[3].I, a[4].I, a[5].F)
		if err != nil {
			return types.Datum{}, err
		}
		return zoneConvert(a[6].S, r, false)
	}, tInt4, tInt4, tInt4, tInt4, tInt4, tFloat8, tText))
	// date_bin(stride, source, origin): the start of the stride-wide bin
	// source falls in, counting from origin (strides of months are refused).
	bin := func(a []types.Datum) (int64, error) {
		iv := a[0].Interval()
		if iv.Months != 0 {
			return 0, pgerror.New(pgerror.FeatureNotSupported, "timestamps cannot be binned into intervals containing months or years")
		}
		stride := int64(iv.Days)*types.USecsPerDay + iv.Micros
		if stride <= 0 {
			return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "stride must be greater than zero")
		}
		src, origin := a[1].I, a[2].I
		d := src - origin
		q := d / stride
		if d%stride < 0 {
			q--
		}
		return origin + q*stride, nil
	}
	fn("date_bin",
		sig(tTS, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			r, err := bin(a)
			return types.NewTimestamp(r), err
		}, tIv, tTS, tTS),
		sig(tTSTZ, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			r, err := bin(a)
			return types.NewTimestampTZ(r), err
		}, tIv, tTSTZ, tTSTZ))
	for _, t := range []types.Type{tTS, tTSTZ, types.Time} {
		fn("overlaps", sig(types.Bool, overlapsFn, t, t, t, t))
	}
}
