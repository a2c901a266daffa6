package builtins

import (
	"math"
	"strconv"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// age, justify_*, make_*, AT TIME ZONE (timezone()), to_timestamp(float8)
// and isfinite, after PostgreSQL 15's timestamp.c and date.c.

var dayTab = [2][12]int{
	{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
	{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
}

func leapIdx(y int) int {
	if types.IsLeapYear(y) {
		return 1
	}
	return 0
}

// ageFields is the symbolic difference of timestamp_age / timestamptz_age
// between two broken-down (local) times; dt1 < dt2 is lt.
func ageFields(f1, f2 types.TimestampFields, lt bool) (types.IntervalValue, error) {
	usec := f1.Micros - f2.Micros
	sec := int64(f1.Second - f2.Second)
	min := int64(f1.Minute - f2.Minute)
	hour := int64(f1.Hour - f2.Hour)
	mday := int64(f1.Day - f2.Day)
	mon := int64(f1.Month - f2.Month)
	year := int64(f1.Year - f2.Year)
	if lt {
		usec, sec, min, hour, mday, mon, year = -usec, -sec, -min, -hour, -mday, -mon, -year
	}
	for usec < 0 {
		usec += 1000000
		sec--
	}
	for sec < 0 {
		sec += 60
		min--
	}
	for min < 0 {
		min += 60
		hour--
	}
	for hour < 0 {
		hour += 24
		mday--
	}
	for mday < 0 {
		if lt {
			mday += int64(dayTab[leapIdx(f1.Year)][f1.Month-1])
		} else {
			mday += int64(dayTab[leapIdx(f2.Year)][f2.Month-1])
		}
		mon--
	}
	for mon < 0 {
		mon += 12
		year--
	}
	if lt {
		usec, sec, min, hour, mday, mon, year = -usec, -sec, -min, -hour, -mday, -mon, -year
	}
	months := year*12 + mon
	if months > math.MaxInt32 || months < math.MinInt32 {
		return types.IntervalValue{}, errIntervalOutOfRange
	}
	return types.IntervalValue{Months: int32(months), Days: int32(mday),
		Micros: ((hour*60+min)*60+sec)*types.USecsPerSec + usec}, nil
}

func finiteTS(ts int64) bool {
	return ts != types.TimestampInfinity && ts != types.TimestampNegInfinity
}

// timestampAge is timestamp_age. Like PostgreSQL 15 it breaks +infinity
// down as the largest int64 (timestamp2tm does not reject it); -infinity
// has a negative Julian day and is out of range.
func timestampAge(a, b int64) (types.Datum, error) {
	if a == types.TimestampNegInfinity || b == types.TimestampNegInfinity {
		return types.Datum{}, errTimestampOutOfRange
	}
	iv, err := ageFields(types.SplitTimestamp(a), types.SplitTimestamp(b), a < b)
	return types.NewInterval(iv), err
}

func timestamptzAge(c *bound.EvalCtx, a, b int64) (types.Datum, error) {
	if a == types.TimestampNegInfinity || b == types.TimestampNegInfinity {
		return types.Datum{}, errTimestampOutOfRange
	}
	loc := types.SessionLocation(c.Settings)
	la, _, _ := types.TimestampTZToLocal(a, loc)
	lb, _, _ := types.TimestampTZToLocal(b, loc)
	iv, err := ageFields(types.SplitTimestamp(la), types.SplitTimestamp(lb), a < b)
	return types.NewInterval(iv), err
}

// currentDateLocal is current_date as a local midnight timestamp (µs).
func currentDateLocal(c *bound.EvalCtx) int64 {
	local, _, _ := types.TimestampTZToLocal(c.TxnTime, types.SessionLocation(c.Settings))
	return local - floorMod(local, types.USecsPerDay)
}

func floorMod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

func addInt32(a int32, b int64) (int32, bool) {
	r := int64(a) + b
	if r > math.MaxInt32 || r < math.MinInt32 {
		return 0, false
	}
	return int32(r), true
}

// justifyHours is interval_justify_hours.
func justifyHours(iv types.IntervalValue) (types.IntervalValue, error) {
	whole := iv.Micros / types.USecsPerDay
	iv.Micros -= whole * types.USecsPerDay
	var ok bool
	if iv.Days, ok = addInt32(iv.Days, whole); !ok {
		return iv, errIntervalOutOfRange
	}
	if iv.Days > 0 && iv.Micros < 0 {
		iv.Micros += types.USecsPerDay
		iv.Days--
	} else if iv.Days < 0 && iv.Micros > 0 {
		iv.Micros -= types.USecsPerDay
		iv.Days++
	}
	return iv, nil
}

// justifyDays is interval_justify_days.
func justifyDays(iv types.IntervalValue) (types.IntervalValue, error) {
	whole := iv.Days / 30
	iv.Days -= whole * 30
	var ok bool
	if iv.Months, ok = addInt32(iv.Months, int64(whole)); !ok {
		return iv, errIntervalOutOfRange
	}
	if iv.Months > 0 && iv.Days < 0 {
		iv.Days += 30
		iv.Months--
	} else if iv.Months < 0 && iv.Days > 0 {
		iv.Days -= 30
		iv.Months++
	}
	return iv, nil
}

// justifyInterval is interval_justify_interval.
func justifyInterval(iv types.IntervalValue) (types.IntervalValue, error) {
	var ok bool
	if (iv.Days > 0 && iv.Micros > 0) || (iv.Days < 0 && iv.Micros < 0) {
		whole := iv.Days / 30
		iv.Days -= whole * 30
		if iv.Months, ok = addInt32(iv.Months, int64(whole)); !ok {
			return iv, errIntervalOutOfRange
		}
	}
	wholeDay := iv.Micros / types.USecsPerDay
	iv.Micros -= wholeDay * types.USecsPerDay
	iv.Days += int32(wholeDay)
	whole := iv.Days / 30
	iv.Days -= whole * 30
	if iv.Months, ok = addInt32(iv.Months, int64(whole)); !ok {
		return iv, errIntervalOutOfRange
	}
	if iv.Months > 0 && (iv.Days < 0 || (iv.Days == 0 && iv.Micros < 0)) {
		iv.Days += 30
		iv.Months--
	} else if iv.Months < 0 && (iv.Days > 0 || (iv.Days == 0 && iv.Micros > 0)) {
		iv.Days -= 30
		iv.Months++
	}
	if iv.Days > 0 && iv.Micros < 0 {
		iv.Micros += types.USecsPerDay
		iv.Days--
	} else if iv.Days < 0 && iv.Micros > 0 {
		iv.Micros -= types.USecsPerDay
		iv.Days++
	}
	return iv, nil
}

// makeInterval is make_interval(years, months, weeks, days, hours, mins, secs).
func makeInterval(a []types.Datum) (types.Datum, error) {
	var v [6]int64
	secs := 0.0
	for i, d := range a {
		if i < 6 {
			v[i] = d.I
		} else {
			secs = d.F
		}
	}
	if math.IsInf(secs, 0) || math.IsNaN(secs) {
		return types.Datum{}, errIntervalOutOfRange
	}
	// PostgreSQL 15 computes months and days in int32 without overflow
	// checks: they wrap around.
	months := int32(v[0])*12 + int32(v[1])
	days := int32(v[2])*7 + int32(v[3])
	us := math.RoundToEven(secs * 1e6)
	if us >= 9223372036854775808.0 || us < -9223372036854775808.0 {
		return types.Datum{}, errIntervalOutOfRange
	}
	t := v[4]*types.USecsPerHour + v[5]*types.USecsPerMinute
	r := t + int64(us)
	if (us > 0 && r < t) || (us < 0 && r > t) {
		return types.Datum{}, errIntervalOutOfRange
	}
	return types.NewInterval(types.IntervalValue{Months: months, Days: days, Micros: r}), nil
}

// validateYMD is ValidateDate for make_date and make_timestamp: negative
// years are BC. It returns the astronomical year, or ok = false.
func validateYMD(y, m, d int64) (int, bool) {
	bc := y < 0
	if bc {
		y = -y
	}
	if y <= 0 {
		return int(y), false
	}
	if bc {
		y = -(y - 1)
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return int(y), false
	}
	if d > int64(dayTab[leapIdx(int(y))][m-1]) {
		return int(y), false
	}
	return int(y), true
}

func makeDate(y, m, d int64) (types.Datum, error) {
	year, ok := validateYMD(y, m, d)
	if !ok {
		shown := y
		if y < 0 && year <= 0 {
			shown = int64(year)
		}
		return types.Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", shown, m, d)
	}
	if !types.IsValidJulian(year, int(m), int(d)) {
		return types.Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range: %d-%02d-%02d", year, m, d)
	}
	days := types.DateFromYMD(year, int(m), int(d))
	if !types.ValidDate(days) {
		return types.Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range: %d-%02d-%02d", year, m, d)
	}
	return types.NewDate(int32(days)), nil
}

// fmtG formats like C's %02g (six significant digits, zero-padded to 2).
func fmtG(f float64) string {
	s := strconv.FormatFloat(f, 'g', 6, 64)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}

func floatTimeOverflows(hour, min int64, sec float64) bool {
	if hour < 0 || hour > 24 || min < 0 || min >= 60 || math.IsNaN(sec) {
		return true
	}
	sec = math.RoundToEven(sec * 1e6)
	if sec < 0 || sec > 60*1e6 {
		return true
	}
	return ((hour*60+min)*60)*1000000+int64(sec) > types.USecsPerDay
}

// makeTimestampInternal is make_timestamp_internal.
func makeTimestampInternal(y, m, d, hour, min int64, sec float64) (int64, error) {
	year, ok := validateYMD(y, m, d)
	if !ok {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", y, m, d)
	}
	if !types.IsValidJulian(year, int(m), int(d)) {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range: %d-%02d-%02d", y, m, d)
	}
	date := types.DateFromYMD(year, int(m), int(d))
	if floatTimeOverflows(hour, min, sec) {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "time field value out of range: %d:%02d:%s", hour, min, fmtG(sec))
	}
	t := ((hour*60+min)*60)*1000000 + int64(math.RoundToEven(sec*1e6))
	r := date*types.USecsPerDay + t
	if (r-t)/types.USecsPerDay != date || (r < 0 && date > 0) || (r > 0 && date < -1) || !types.ValidTimestamp(r) {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range: %d-%02d-%02d %d:%02d:%s", y, m, d, hour, min, fmtG(sec))
	}
	return r, nil
}

// zoneConvert is timestamptz_zone (toLocal) and timestamp_zone.
func zoneConvert(zone string, ts int64, toLocal bool) (types.Datum, error) {
	off, fixed, loc, ok := types.ZoneByName(zone)
	if !ok {
		return types.Datum{}, errZoneNotRecognized(zone)
	}
	if !finiteTS(ts) {
		if toLocal {
			return types.NewTimestamp(ts), nil
		}
		return types.NewTimestampTZ(ts), nil
	}
	var r int64
	switch {
	case fixed && toLocal:
		r = ts + int64(off)*types.USecsPerSec
	case fixed:
		r = ts - int64(off)*types.USecsPerSec
	case toLocal:
		r, _, _ = types.TimestampTZToLocal(ts, loc)
	default:
		r = types.LocalToTimestampTZ(ts, loc)
	}
	if !types.ValidTimestamp(r) {
		if !toLocal && !fixed {
			return types.Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "could not convert to time zone \"%s\"", zone)
		}
		return types.Datum{}, errTimestampOutOfRange
	}
	if toLocal {
		return types.NewTimestamp(r), nil
	}
	return types.NewTimestampTZ(r), nil
}

// intervalZoneOffset is the offset (seconds east) of AT TIME ZONE interval.
func intervalZoneOffset(iv types.IntervalValue) (int64, error) {
	if iv.Months != 0 || iv.Days != 0 {
		return 0, pgerror.New(pgerror.InvalidParameterValue, "interval time zone \"%s\" must not include months or days",
			types.FormatText(types.NewInterval(iv), types.Interval, nil))
	}
	return iv.Micros, nil
}

func init() {
	tIv := types.Interval
	fn("age",
		sig(tIv, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return timestampAge(a[0].I, a[1].I) },
			types.Timestamp, types.Timestamp),
		sig(tIv, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return timestamptzAge(c, a[0].I, a[1].I) },
			types.TimestampTZ, types.TimestampTZ),
		sig(tIv, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return timestampAge(currentDateLocal(c), a[0].I)
		}, types.Timestamp),
		sig(tIv, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			midnight := types.LocalToTimestampTZ(currentDateLocal(c), types.SessionLocation(c.Settings))
			return timestamptzAge(c, midnight, a[0].I)
		}, types.TimestampTZ))
	justify := func(f func(types.IntervalValue) (types.IntervalValue, error)) bound.Fn {
		return func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			iv, err := f(a[0].Interval())
			return types.NewInterval(iv), err
		}
	}
	fn("justify_hours", sig(tIv, justify(justifyHours), tIv))
	fn("justify_days", sig(tIv, justify(justifyDays), tIv))
	fn("justify_interval", sig(tIv, justify(justifyInterval), tIv))
	mi := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return makeInterval(a) }
	miArgs := []types.Type{tInt4, tInt4, tInt4, tInt4, tInt4, tInt4, tFloat8}
	for n := 0; n <= len(miArgs); n++ {
		fn("make_interval", Overload{Args: miArgs[:n:n], Ret: tIv, Fn: mi})
	}
	fn("make_date", sig(types.Date, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return makeDate(a[0].I, a[1].I, a[2].I)
	}, tInt4, tInt4, tInt4))
	fn("make_time", sig(types.Time, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if floatTimeOverflows(a[0].I, a[1].I, a[2].F) {
			return types.Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "time field value out of range: %d:%02d:%s",
				a[0].I, a[1].I, fmtG(a[2].F))
		}
		return types.NewTime(((a[0].I*60+a[1].I)*60)*1000000 + int64(math.RoundToEven(a[2].F*1e6))), nil
	}, tInt4, tInt4, tFloat8))
	fn("make_timestamp", sig(types.Timestamp, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r, err := makeTimestampInternal(a[0].I, a[1].I, a[2].I, a[3].I, a[4].I, a[5].F)
		return types.NewTimestamp(r), err
	}, tInt4, tInt4, tInt4, tInt4, tInt4, tFloat8))
	fn("make_timestamptz", sig(types.TimestampTZ, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r, err := makeTimestampInternal(a[0].I, a[1].I, a[2].I, a[3].I, a[4].I, a[5].F)
		if err != nil {
			return types.Datum{}, err
		}
		r = types.LocalToTimestampTZ(r, types.SessionLocation(c.Settings))
		if !types.ValidTimestamp(r) {
			return types.Datum{}, errTimestampOutOfRange
		}
		return types.NewTimestampTZ(r), nil
	}, tInt4, tInt4, tInt4, tInt4, tInt4, tFloat8))
	fn("timezone",
		sig(types.Timestamp, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return zoneConvert(a[0].S, a[1].I, true)
		}, tText, types.TimestampTZ),
		sig(types.TimestampTZ, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return zoneConvert(a[0].S, a[1].I, false)
		}, tText, types.Timestamp),
		sig(types.Timestamp, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			off, err := intervalZoneOffset(a[0].Interval())
			if err != nil || !finiteTS(a[1].I) {
				return types.NewTimestamp(a[1].I), err
			}
			r := a[1].I + off
			if !types.ValidTimestamp(r) {
				return types.Datum{}, errTimestampOutOfRange
			}
			return types.NewTimestamp(r), nil
		}, tIv, types.TimestampTZ),
		sig(types.TimestampTZ, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			off, err := intervalZoneOffset(a[0].Interval())
			if err != nil || !finiteTS(a[1].I) {
				return types.NewTimestampTZ(a[1].I), err
			}
			r := a[1].I - off
			if !types.ValidTimestamp(r) {
				return types.Datum{}, errTimestampOutOfRange
			}
			return types.NewTimestampTZ(r), nil
		}, tIv, types.Timestamp))
	fn("to_timestamp", sig(types.TimestampTZ, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return floatToTimestampTZ(a[0].F)
	}, tFloat8))
	isfinite := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		switch a[0].K {
		case types.KindDate:
			return types.NewBool(a[0].I != types.DateInfinity && a[0].I != types.DateNegInfinity), nil
		case types.KindTimestamp, types.KindTimestampTZ:
			return types.NewBool(finiteTS(a[0].I)), nil
		}
		return types.NewBool(true), nil
	}
	fn("isfinite", sig(tBool, isfinite, types.Date), sig(tBool, isfinite, types.Timestamp),
		sig(tBool, isfinite, types.TimestampTZ), sig(tBool, isfinite, tIv))
}

// floatToTimestampTZ is float8_timestamptz (to_timestamp(double precision)).
func floatToTimestampTZ(secs float64) (types.Datum, error) {
	if math.IsNaN(secs) {
		return types.Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp cannot be NaN")
	}
	if math.IsInf(secs, 0) {
		if secs < 0 {
			return types.NewTimestampTZ(types.TimestampNegInfinity), nil
		}
		return types.NewTimestampTZ(types.TimestampInfinity), nil
	}
	const unixJD = 2440588
	outOfRange := func() error {
		return pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range: \"%s\"", strconv.FormatFloat(secs, 'g', 6, 64))
	}
	if secs < 86400.0*float64(0-unixJD) || secs >= 86400.0*float64(109203528-unixJD) {
		return types.Datum{}, outOfRange()
	}
	s := secs - float64((types.PostgresEpochJDate-unixJD)*86400)
	r := int64(math.RoundToEven(s * 1e6))
	if !types.ValidTimestamp(r) {
		return types.Datum{}, outOfRange()
	}
	return types.NewTimestampTZ(r), nil
}
