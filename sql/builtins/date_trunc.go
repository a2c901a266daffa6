package builtins

import (
	"math"
	"time"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// date_trunc, after PostgreSQL 15's timestamp_trunc, timestamptz_trunc,
// timestamptz_trunc_zone and interval_trunc.

var errTimestampOutOfRange = pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
var errIntervalOutOfRange = pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")

// truncFields truncates broken-down timestamp fields to unit u; ok is false
// for a unit date_trunc does not support. redo reports whether the zone
// offset must be determined again (units of a day or more).
func truncFields(u dtUnit, f *types.TimestampFields) (redo, ok bool) {
	switch u {
	case uWeek:
		woy := date2isoweek(f.Year, f.Month, f.Day)
		if woy >= 52 && f.Month == 1 {
			f.Year--
		}
		if woy <= 1 && f.Month == 12 {
			f.Year++
		}
		f.Year, f.Month, f.Day = types.J2Date(isoweek2j(f.Year, woy))
		f.Hour, f.Minute, f.Second, f.Micros = 0, 0, 0, 0
		return true, true
	case uMillennium, uCentury, uDecade, uYear, uQuarter, uMonth, uDay:
		switch u {
		case uMillennium:
			if f.Year > 0 {
				f.Year = ((f.Year+999)/1000)*1000 - 999
			} else {
				f.Year = -((999-(f.Year-1))/1000)*1000 + 1
			}
		case uCentury:
			if f.Year > 0 {
				f.Year = ((f.Year+99)/100)*100 - 99
			} else {
				f.Year = -((99-(f.Year-1))/100)*100 + 1
			}
		case uDecade:
			if f.Year > 0 {
				f.Year = (f.Year / 10) * 10
			} else {
				f.Year = -((8 - (f.Year - 1)) / 10) * 10
			}
		}
		switch u {
		case uMillennium, uCentury, uDecade, uYear:
			f.Month = 1
		}
		if u != uDay && u != uMonth {
			f.Month = 3*((f.Month-1)/3) + 1
		}
		if u != uDay {
			f.Day = 1
		}
		f.Hour, f.Minute, f.Second, f.Micros = 0, 0, 0, 0
		return true, true
	case uHour:
		f.Minute, f.Second, f.Micros = 0, 0, 0
	case uMinute:
		f.Second, f.Micros = 0, 0
	case uSecond:
		f.Micros = 0
	case uMillisec:
		f.Micros = (f.Micros / 1000) * 1000
	case uMicrosec:
	default:
		return false, false
	}
	return false, true
}

func timestampTrunc(field string, ts int64) (types.Datum, error) {
	low := lowerUnit(field)
	class, u := decodeUnits(low)
	if class != ucUnits {
		return types.Datum{}, errUnitNotRecognized(low, types.Timestamp)
	}
	if ts == types.TimestampInfinity || ts == types.TimestampNegInfinity {
		return types.NewTimestamp(ts), nil
	}
	f := types.SplitTimestamp(ts)
	if _, ok := truncFields(u, &f); !ok {
		return types.Datum{}, errUnitNotSupported(low, types.Timestamp)
	}
	r, ok := types.MakeTimestamp(f)
	if !ok {
		return types.Datum{}, errTimestampOutOfRange
	}
	return types.NewTimestamp(r), nil
}

// timestamptzTrunc truncates in zone loc, or at a fixed offset when loc is nil.
func timestamptzTrunc(field string, ts int64, loc *time.Location, fixedOff int) (types.Datum, error) {
	low := lowerUnit(field)
	class, u := decodeUnits(low)
	if class != ucUnits {
		return types.Datum{}, errUnitNotRecognized(low, types.TimestampTZ)
	}
	if ts == types.TimestampInfinity || ts == types.TimestampNegInfinity {
		return types.NewTimestampTZ(ts), nil
	}
	local, off := ts+int64(fixedOff)*types.USecsPerSec, fixedOff
	if loc != nil {
		local, off, _ = types.TimestampTZToLocal(ts, loc)
	}
	f := types.SplitTimestamp(local)
	redo, ok := truncFields(u, &f)
	if !ok {
		return types.Datum{}, errUnitNotSupported(low, types.TimestampTZ)
	}
	r, ok := types.MakeTimestamp(f)
	if !ok {
		return types.Datum{}, errTimestampOutOfRange
	}
	if redo && loc != nil {
		r = types.LocalToTimestampTZ(r, loc)
	} else {
		r -= int64(off) * types.USecsPerSec
	}
	if !types.ValidTimestamp(r) {
		return types.Datum{}, errTimestampOutOfRange
	}
	return types.NewTimestampTZ(r), nil
}

func intervalTrunc(field string, iv types.IntervalValue) (types.Datum, error) {
	low := lowerUnit(field)
	class, u := decodeUnits(low)
	if class != ucUnits {
		return types.Datum{}, errUnitNotRecognized(low, types.Interval)
	}
	year, mon, mday := int64(iv.Months/12), int64(iv.Months%12), int64(iv.Days)
	t := iv.Micros
	hour := t / types.USecsPerHour
	t -= hour * types.USecsPerHour
	min := t / types.USecsPerMinute
	t -= min * types.USecsPerMinute
	sec := t / types.USecsPerSec
	usec := t - sec*types.USecsPerSec
	switch u {
	case uMillennium, uCentury, uDecade, uYear, uQuarter, uMonth, uDay, uHour, uMinute, uSecond:
		switch u {
		case uMillennium:
			year = (year / 1000) * 1000
		case uCentury:
			year = (year / 100) * 100
		case uDecade:
			year = (year / 10) * 10
		}
		switch u {
		case uMillennium, uCentury, uDecade, uYear:
			mon = 0
		case uQuarter:
			mon = 3 * (mon / 3)
		}
		switch u {
		case uHour, uMinute, uSecond:
		default:
			if u != uDay {
				mday = 0
			}
			hour = 0
		}
		if u != uMinute && u != uSecond {
			min = 0
		}
		if u != uSecond {
			sec = 0
		}
		usec = 0
	case uMillisec:
		usec = (usec / 1000) * 1000
	case uMicrosec:
	case uWeek:
		return types.Datum{}, errUnitNotSupported(low, types.Interval).WithDetail("Months usually have fractional weeks.")
	default:
		return types.Datum{}, errUnitNotSupported(low, types.Interval)
	}
	months := year*12 + mon
	if months > math.MaxInt32 || months < math.MinInt32 {
		return types.Datum{}, errIntervalOutOfRange
	}
	return types.NewInterval(types.IntervalValue{Months: int32(months), Days: int32(mday),
		Micros: ((hour*60+min)*60+sec)*types.USecsPerSec + usec}), nil
}

// errZoneNotRecognized is timestamptz_zone's error for an unknown zone.
func errZoneNotRecognized(name string) error {
	return pgerror.New(pgerror.InvalidParameterValue, "time zone \"%s\" not recognized", name)
}

func init() {
	fn("date_trunc",
		sig(types.Timestamp, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return timestampTrunc(a[0].S, a[1].I)
		}, tText, types.Timestamp),
		sig(types.TimestampTZ, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return timestamptzTrunc(a[0].S, a[1].I, types.SessionLocation(c.Settings), 0)
		}, tText, types.TimestampTZ),
		sig(types.TimestampTZ, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			off, fixed, loc, ok := types.ZoneByName(a[2].S)
			if !ok {
				return types.Datum{}, errZoneNotRecognized(a[2].S)
			}
			if fixed {
				loc = nil
			}
			return timestamptzTrunc(a[0].S, a[1].I, loc, off)
		}, tText, types.TimestampTZ, tText),
		sig(types.Interval, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return intervalTrunc(a[0].S, a[1].Interval())
		}, tText, types.Interval))
}
