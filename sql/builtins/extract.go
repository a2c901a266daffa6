package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// extract(field FROM x) and date_part(field, x), after PostgreSQL 15's
// timestamp_part_common, interval_part_common, time_part_common and
// extract_date: extract returns numeric, date_part double precision.

// scaledNumeric is v / 10^scale as a numeric of that display scale
// (int64_div_fast_to_numeric).
func scaledNumeric(v int64, scale int32) types.Datum {
	return types.NewNumeric(apd.New(v, -scale))
}

func numOrFloat(v int64, numeric bool) types.Datum {
	if numeric {
		return types.NewNumeric(apd.New(v, 0))
	}
	return types.NewFloat(float64(v))
}

func infPart(neg, numeric bool) types.Datum {
	if numeric {
		d := &apd.Decimal{Form: apd.Infinite, Negative: neg}
		return types.NewNumeric(d)
	}
	if neg {
		return types.NewFloat(math.Inf(-1))
	}
	return types.NewFloat(math.Inf(1))
}

// date2isoweek and date2isoyear are PostgreSQL's ISO 8601 week helpers.
func date2isoweek(year, mon, mday int) int {
	dayn := types.Date2J(year, mon, mday)
	day4 := types.Date2J(year, 1, 4)
	day0 := types.J2Day(day4 - 1)
	if dayn < day4-day0 {
		day4 = types.Date2J(year-1, 1, 4)
		day0 = types.J2Day(day4 - 1)
	}
	result := (dayn-(day4-day0))/7 + 1
	if result >= 52 {
		day4 = types.Date2J(year+1, 1, 4)
		day0 = types.J2Day(day4 - 1)
		if dayn >= day4-day0 {
			result = (dayn-(day4-day0))/7 + 1
		}
	}
	return result
}

func date2isoyear(year, mon, mday int) int {
	dayn := types.Date2J(year, mon, mday)
	day4 := types.Date2J(year, 1, 4)
	day0 := types.J2Day(day4 - 1)
	if dayn < day4-day0 {
		day4 = types.Date2J(year-1, 1, 4)
		day0 = types.J2Day(day4 - 1)
		year--
	}
	result := (dayn-(day4-day0))/7 + 1
	if result >= 52 {
		day4 = types.Date2J(year+1, 1, 4)
		day0 = types.J2Day(day4 - 1)
		if dayn >= day4-day0 {
			year++
		}
	}
	return year
}

// date2isoyearday is the day of the ISO year (IDDD).
func date2isoyearday(year, mon, mday int) int {
	return types.Date2J(year, mon, mday) - isoweek2j(date2isoyear(year, mon, mday), 1) + 1
}

// isoweek2j is the Julian day of the Monday of ISO week `week` of `year`.
func isoweek2j(year, week int) int {
	day4 := types.Date2J(year, 1, 4)
	day0 := types.J2Day(day4 - 1)
	return (week-1)*7 + (day4 - day0)
}

// calendarPart computes the date fields common to date and timestamp.
// ok is false when u is not one of them.
func calendarPart(u dtUnit, y, m, d int) (int64, bool) {
	switch u {
	case uDay:
		return int64(d), true
	case uMonth:
		return int64(m), true
	case uQuarter:
		return int64((m-1)/3 + 1), true
	case uWeek:
		return int64(date2isoweek(y, m, d)), true
	case uYear:
		if y > 0 {
			return int64(y), true
		}
		return int64(y - 1), true
	case uDecade:
		if y >= 0 {
			return int64(y / 10), true
		}
		return int64(-((8 - (y - 1)) / 10)), true
	case uCentury:
		if y > 0 {
			return int64((y + 99) / 100), true
		}
		return int64(-((99 - (y - 1)) / 100)), true
	case uMillennium:
		if y > 0 {
			return int64((y + 999) / 1000), true
		}
		return int64(-((999 - (y - 1)) / 1000)), true
	case uIsoyear:
		r := date2isoyear(y, m, d)
		if r <= 0 {
			r--
		}
		return int64(r), true
	case uDow:
		return int64(types.J2Day(types.Date2J(y, m, d))), true
	case uIsodow:
		r := types.J2Day(types.Date2J(y, m, d))
		if r == 0 {
			r = 7
		}
		return int64(r), true
	case uDoy:
		return int64(types.Date2J(y, m, d) - types.Date2J(y, 1, 1) + 1), true
	}
	return 0, false
}

// monotonicUnit reports the units for which an infinite input gives ±Infinity.
func monotonicUnit(u dtUnit) bool {
	switch u {
	case uYear, uDecade, uCentury, uMillennium, uJulian, uIsoyear, uEpoch:
		return true
	}
	return false
}

// timestampPart is timestamp_part_common (withTZ for timestamptz).
func timestampPart(c *bound.EvalCtx, field string, ts int64, withTZ, numeric bool) (types.Datum, error) {
	low := lowerUnit(field)
	class, u := decodeExtractUnit(low)
	t := types.Timestamp
	if withTZ {
		t = types.TimestampTZ
	}
	if ts == types.TimestampInfinity || ts == types.TimestampNegInfinity {
		if class != ucUnits && class != ucReserv {
			return types.Datum{}, errUnitNotRecognized(low, t)
		}
		switch {
		case monotonicUnit(u):
			return infPart(ts < 0, numeric), nil
		case u == uNone:
			return types.Datum{}, errUnitNotSupported(low, t)
		}
		return types.Datum{}, nil
	}
	switch class {
	case ucReserv:
		if u != uEpoch {
			return types.Datum{}, errUnitNotSupported(low, t)
		}
		v := ts - types.UnixEpochMicros
		if numeric {
			return scaledNumeric(v, 6), nil
		}
		return types.NewFloat(float64(v) / 1000000.0), nil
	case ucUnits:
	default:
		return types.Datum{}, errUnitNotRecognized(low, t)
	}
	local, off := ts, 0
	if withTZ {
		local, off, _ = types.TimestampTZToLocal(ts, types.SessionLocation(c.Settings))
	}
	f := types.SplitTimestamp(local)
	usec := int64(f.Second)*1000000 + f.Micros
	switch u {
	case uMicrosec:
		return numOrFloat(usec, numeric), nil
	case uMillisec:
		if numeric {
			return scaledNumeric(usec, 3), nil
		}
		return types.NewFloat(float64(f.Second)*1000.0 + float64(f.Micros)/1000.0), nil
	case uSecond:
		if numeric {
			return scaledNumeric(usec, 6), nil
		}
		return types.NewFloat(float64(f.Second) + float64(f.Micros)/1000000.0), nil
	case uMinute:
		return numOrFloat(int64(f.Minute), numeric), nil
	case uHour:
		return numOrFloat(int64(f.Hour), numeric), nil
	case uJulian:
		j := types.Date2J(f.Year, f.Month, f.Day)
		dayUsec := ((int64(f.Hour)*60+int64(f.Minute))*60+int64(f.Second))*1000000 + f.Micros
		if numeric {
			frac, err := types.NumericDiv(apd.New(dayUsec, 0), apd.New(86400*1000000, 0))
			if err != nil {
				return types.Datum{}, err
			}
			r, err := types.NumericAdd(apd.New(int64(j), 0), frac, false)
			if err != nil {
				return types.Datum{}, err
			}
			return types.NewNumeric(r), nil
		}
		return types.NewFloat(float64(j) + (float64((int64(f.Hour)*60+int64(f.Minute))*60+int64(f.Second))+
			float64(f.Micros)/1000000.0)/86400.0), nil
	case uTZ, uTZHour, uTZMinute:
		if !withTZ {
			return types.Datum{}, errUnitNotSupported(low, t)
		}
		switch u {
		case uTZ:
			return numOrFloat(int64(off), numeric), nil
		case uTZHour:
			return numOrFloat(int64(off/3600), numeric), nil
		}
		return numOrFloat(int64(off/60%60), numeric), nil
	}
	if v, ok := calendarPart(u, f.Year, f.Month, f.Day); ok {
		return numOrFloat(v, numeric), nil
	}
	return types.Datum{}, errUnitNotSupported(low, t)
}

// datePart is extract_date (extract from date; numeric result).
func datePart(field string, days int64) (types.Datum, error) {
	low := lowerUnit(field)
	class, u := decodeExtractUnit(low)
	if days == types.DateInfinity || days == types.DateNegInfinity {
		if class != ucUnits && class != ucReserv {
			return types.Datum{}, errUnitNotRecognized(low, types.Date)
		}
		switch u {
		case uDay, uMonth, uQuarter, uWeek, uDow, uIsodow, uDoy:
			return types.Datum{}, nil
		case uYear, uDecade, uCentury, uMillennium, uJulian, uIsoyear, uEpoch:
			return infPart(days < 0, true), nil
		}
		return types.Datum{}, errUnitNotSupported(low, types.Date)
	}
	switch class {
	case ucReserv:
		if u != uEpoch {
			return types.Datum{}, errUnitNotSupported(low, types.Date)
		}
		return numOrFloat((days+int64(types.PostgresEpochJDate)-2440588)*86400, true), nil
	case ucUnits:
	default:
		return types.Datum{}, errUnitNotRecognized(low, types.Date)
	}
	if u == uJulian {
		return numOrFloat(days+int64(types.PostgresEpochJDate), true), nil
	}
	y, m, d := types.YMDFromDate(days)
	if v, ok := calendarPart(u, y, m, d); ok {
		return numOrFloat(v, true), nil
	}
	return types.Datum{}, errUnitNotSupported(low, types.Date)
}

// intervalPart is interval_part_common.
func intervalPart(field string, iv types.IntervalValue, numeric bool) (types.Datum, error) {
	low := lowerUnit(field)
	class, u := decodeExtractUnit(low)
	switch class {
	case ucReserv:
		if u != uEpoch {
			return types.Datum{}, errUnitNotSupported(low, types.Interval)
		}
		secsFromDayMonth := int64(365.25*86400)*int64(iv.Months/12) + int64(30*86400)*int64(iv.Months%12) + 86400*int64(iv.Days)
		if numeric {
			v := secsFromDayMonth * 1000000
			if v/1000000 == secsFromDayMonth {
				if s := v + iv.Micros; (iv.Micros >= 0) == (s >= v) {
					return scaledNumeric(s, 6), nil
				}
			}
			r, err := types.NumericAdd(apd.New(iv.Micros, -6), apd.New(secsFromDayMonth, 0), false)
			if err != nil {
				return types.Datum{}, err
			}
			return types.NewNumeric(r), nil
		}
		r := float64(iv.Micros) / 1000000.0
		r += (365.25 * 86400) * float64(iv.Months/12)
		r += (30.0 * 86400) * float64(iv.Months%12)
		r += 86400.0 * float64(iv.Days)
		return types.NewFloat(r), nil
	case ucUnits:
	default:
		return types.Datum{}, errUnitNotRecognized(low, types.Interval)
	}
	year, mon := int64(iv.Months/12), int64(iv.Months%12)
	if d, ok := clockPart(u, iv.Micros, numeric); ok {
		return d, nil
	}
	switch u {
	case uDay:
		return numOrFloat(int64(iv.Days), numeric), nil
	case uMonth:
		return numOrFloat(mon, numeric), nil
	case uQuarter:
		return numOrFloat(mon/3+1, numeric), nil
	case uYear:
		return numOrFloat(year, numeric), nil
	case uDecade:
		return numOrFloat(year/10, numeric), nil
	case uCentury:
		return numOrFloat(year/100, numeric), nil
	case uMillennium:
		return numOrFloat(year/1000, numeric), nil
	}
	return types.Datum{}, errUnitNotSupported(low, types.Interval)
}

// timePart is time_part_common.
func timePart(field string, t int64, numeric bool) (types.Datum, error) {
	low := lowerUnit(field)
	class, u := decodeExtractUnit(low)
	switch class {
	case ucReserv:
		if u != uEpoch {
			return types.Datum{}, errUnitNotSupported(low, types.Time)
		}
		if numeric {
			return scaledNumeric(t, 6), nil
		}
		return types.NewFloat(float64(t) / 1000000.0), nil
	case ucUnits:
	default:
		return types.Datum{}, errUnitNotRecognized(low, types.Time)
	}
	if d, ok := clockPart(u, t, numeric); ok {
		return d, nil
	}
	return types.Datum{}, errUnitNotSupported(low, types.Time)
}

// clockPart extracts microseconds, milliseconds, seconds, minutes or hours
// from a count of microseconds (a time of day, or an interval's time part);
// ok is false for the other units.
func clockPart(u dtUnit, t int64, numeric bool) (types.Datum, bool) {
	hour := t / types.USecsPerHour
	t -= hour * types.USecsPerHour
	min := t / types.USecsPerMinute
	t -= min * types.USecsPerMinute
	sec := t / types.USecsPerSec
	fsec := t - sec*types.USecsPerSec
	switch u {
	case uMicrosec:
		return numOrFloat(sec*1000000+fsec, numeric), true
	case uMillisec:
		if numeric {
			return scaledNumeric(sec*1000000+fsec, 3), true
		}
		return types.NewFloat(float64(sec)*1000.0 + float64(fsec)/1000.0), true
	case uSecond:
		if numeric {
			return scaledNumeric(sec*1000000+fsec, 6), true
		}
		return types.NewFloat(float64(sec) + float64(fsec)/1000000.0), true
	case uMinute:
		return numOrFloat(min, numeric), true
	case uHour:
		return numOrFloat(hour, numeric), true
	}
	return types.Datum{}, false
}

func init() {
	tNum := types.Numeric
	for _, name := range []string{"extract", "date_part"} {
		numeric := name == "extract"
		ret := tFloat8
		if numeric {
			ret = tNum
		}
		fn(name,
			sig(ret, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return timestampPart(c, a[0].S, a[1].I, false, numeric)
			}, tText, types.Timestamp),
			sig(ret, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return timestampPart(c, a[0].S, a[1].I, true, numeric)
			}, tText, types.TimestampTZ),
			sig(ret, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return intervalPart(a[0].S, a[1].Interval(), numeric)
			}, tText, types.Interval),
			sig(ret, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return timePart(a[0].S, a[1].I, numeric)
			}, tText, types.Time))
	}
	fn("extract", sig(tNum, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return datePart(a[0].S, a[1].I)
	}, tText, types.Date))
	// date_part(text, date) is SQL: date_part($1, $2::timestamp).
	fn("date_part", sig(tFloat8, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		ts, err := types.DateToTimestamp(a[1].I)
		if err != nil {
			return types.Datum{}, err
		}
		return timestampPart(c, a[0].S, ts, false, false)
	}, tText, types.Date))
}
