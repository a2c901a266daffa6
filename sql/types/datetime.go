package types

import (
	"math"
	"time"
)

// Calendar arithmetic shared by date, time, timestamp and interval, after
// PostgreSQL's src/backend/utils/adt/datetime.c and timestamp.c. Dates are
// Julian-day based (proleptic Gregorian), years <= 0 print as BC.

const (
	usecsPerSec    = int64(1_000_000)
	usecsPerMinute = 60 * usecsPerSec
	usecsPerHour   = 60 * usecsPerMinute
	usecsPerDay    = 24 * usecsPerHour
	secsPerDay     = int64(86400)
	daysPerMonth   = 30 // interval arithmetic, as DAYS_PER_MONTH

	postgresEpochJDate = 2451545 // date2j(2000, 1, 1)
	unixEpochJDate     = 2440588 // date2j(1970, 1, 1)
	// Unix seconds of the PostgreSQL epoch.
	pgEpochUnixSecs = int64(postgresEpochJDate-unixEpochJDate) * secsPerDay

	julianMinYear  = -4713
	julianMinMonth = 11
	julianMinDay   = 24
	julianMaxYear  = 5874898
	// Timestamps: [MIN_TIMESTAMP, END_TIMESTAMP), 4714-11-24 BC to 294277-01-01.
	datetimeMinJulian  = 0
	dateEndJulian      = 2147483494 // date2j(JULIAN_MAXYEAR, 1, 1)
	timestampEndJulian = 109203528  // date2j(294277, 1, 1)
	minTimestamp       = int64(-211813488000000000)
	endTimestamp       = int64(9223371331200000000)
)

// Infinite values.
const (
	DateNegInfinity      = math.MinInt32
	DateInfinity         = math.MaxInt32
	TimestampNegInfinity = math.MinInt64
	TimestampInfinity    = math.MaxInt64
)

func date2j(y, m, d int) int {
	if m > 2 {
		m++
		y += 4800
	} else {
		m += 13
		y += 4799
	}
	century := y / 100
	julian := y*365 - 32167
	julian += y/4 - century + century/4
	julian += 7834*m/256 + d
	return julian
}

func j2date(jd int) (year, month, day int) {
	julian := uint32(jd)
	julian += 32044
	quad := julian / 146097
	extra := (julian-quad*146097)*4 + 3
	julian += 60 + quad*3 + extra/146097
	quad = julian / 1461
	julian -= quad * 1461
	y := int(julian * 4 / 1461)
	if y != 0 {
		julian = (julian+305)%365 + 123
	} else {
		julian = (julian+306)%366 + 123
	}
	y += int(quad * 4)
	year = y - 4800
	quad = julian * 2141 / 65536
	day = int(julian - 7834*quad/256)
	month = int((quad+10)%12 + 1)
	return
}

// j2day is the day of week, 0 = Sunday.
func j2day(jd int) int {
	jd++
	jd %= 7
	if jd < 0 {
		jd += 7
	}
	return jd
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

var daysInMonth = [2][13]int{
	{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0},
	{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0},
}

func monthDays(y, m int) int {
	l := 0
	if isLeap(y) {
		l = 1
	}
	return daysInMonth[l][m-1]
}

// isValidJulian is IS_VALID_JULIAN: the date range both date and timestamp accept before range checks.
func isValidJulian(y, m, d int) bool {
	return (y > julianMinYear || (y == julianMinYear && (m >= julianMinMonth))) && y < julianMaxYear
}

// dateFromYMD converts a (proleptic Gregorian, astronomical) date to days since 2000-01-01.
func dateFromYMD(y, m, d int) int64 { return int64(date2j(y, m, d) - postgresEpochJDate) }

// ymdFromDate is the inverse of dateFromYMD.
func ymdFromDate(days int64) (y, m, d int) { return j2date(int(days + postgresEpochJDate)) }

// timestampFields splits a finite timestamp (µs since 2000-01-01) into
// date and time-of-day fields (as PostgreSQL's timestamp2tm with no zone).
type tsFields struct {
	year, month, day  int
	hour, minute, sec int
	usec              int64
	julian            int
}

func splitTimestamp(ts int64) tsFields {
	date := ts / usecsPerDay
	t := ts % usecsPerDay
	if t < 0 {
		t += usecsPerDay
		date--
	}
	var f tsFields
	f.julian = int(date) + postgresEpochJDate
	f.year, f.month, f.day = j2date(f.julian)
	f.hour = int(t / usecsPerHour)
	t -= int64(f.hour) * usecsPerHour
	f.minute = int(t / usecsPerMinute)
	t -= int64(f.minute) * usecsPerMinute
	f.sec = int(t / usecsPerSec)
	f.usec = t - int64(f.sec)*usecsPerSec
	return f
}

// makeTimestamp joins fields; ok=false outside the timestamp range.
func makeTimestamp(y, m, d, hh, mm, ss int, usec int64) (int64, bool) {
	if !isValidJulian(y, m, d) {
		return 0, false
	}
	date := int64(date2j(y, m, d) - postgresEpochJDate)
	t := ((int64(hh)*60+int64(mm))*60+int64(ss))*usecsPerSec + usec
	r := date*usecsPerDay + t
	if (r-t)/usecsPerDay != date { // overflow
		return 0, false
	}
	if !validTimestamp(r) {
		return 0, false
	}
	return r, true
}

func validTimestamp(ts int64) bool { return ts >= minTimestamp && ts < endTimestamp }

func validDate(days int64) bool {
	return days >= int64(datetimeMinJulian-postgresEpochJDate) && days < int64(dateEndJulian-postgresEpochJDate)
}

// TimeToTimestamp converts a Go time to µs since 2000-01-01 UTC.
func TimeToTimestamp(t time.Time) int64 {
	return (t.Unix()-pgEpochUnixSecs)*usecsPerSec + int64(t.Nanosecond()/1000)
}

// TimestampToTime converts µs since 2000-01-01 UTC to a Go time in loc
// (nil = UTC). Infinite values map to the zero time.
func TimestampToTime(ts int64, loc *time.Location) time.Time {
	if ts == TimestampInfinity || ts == TimestampNegInfinity {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	sec := floorDiv(ts, usecsPerSec)
	us := ts - sec*usecsPerSec
	return time.Unix(sec+pgEpochUnixSecs, us*1000).In(loc)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// zoneOffsetAt returns the UTC offset in seconds (east positive) in effect
// in loc at the UTC instant ts, and the zone abbreviation.
func zoneOffsetAt(ts int64, loc *time.Location) (int, string) {
	if loc == time.UTC || loc == nil {
		return 0, "UTC"
	}
	sec := floorDiv(ts, usecsPerSec) + pgEpochUnixSecs
	name, off := time.Unix(sec, 0).In(loc).Zone()
	return off, name
}

// localToUTCOffset is DetermineTimeZoneOffset: the offset to apply to the
// local wall time `local` (seconds since 2000-01-01 as if UTC) in loc. In a
// spring-forward gap it takes the offset before the transition; in a
// fall-back overlap the one after it (PostgreSQL's documented choice, which
// differs from time.Date's).
func localToUTCOffset(local int64, loc *time.Location) int {
	if loc == time.UTC || loc == nil {
		return 0
	}
	mytime := local + pgEpochUnixSecs
	prev := time.Unix(mytime-secsPerDay, 0).In(loc)
	_, before := prev.Zone()
	_, end := prev.ZoneBounds()
	if end.IsZero() {
		return before
	}
	boundary := end.Unix()
	_, after := end.In(loc).Zone()
	if before == after {
		return before
	}
	beforeTime := mytime - int64(before)
	afterTime := mytime - int64(after)
	if beforeTime < boundary && afterTime < boundary {
		return before
	}
	if beforeTime >= boundary && afterTime >= boundary {
		// The boundary found might not be the last one before mytime (two
		// transitions within a day are vanishingly rare); look again from it.
		_, end2 := end.In(loc).ZoneBounds()
		if !end2.IsZero() && afterTime >= end2.Unix() {
			_, off := time.Unix(afterTime, 0).In(loc).Zone()
			return off
		}
		return after
	}
	if beforeTime > afterTime {
		return before
	}
	return after
}

// localToTimestampTZ converts a local timestamp (µs, wall clock in loc) to UTC µs.
func localToTimestampTZ(local int64, loc *time.Location) int64 {
	if local == TimestampInfinity || local == TimestampNegInfinity {
		return local
	}
	off := localToUTCOffset(floorDiv(local, usecsPerSec), loc)
	return local - int64(off)*usecsPerSec
}

// timestampTZToLocal converts UTC µs to the wall clock of loc (µs).
func timestampTZToLocal(ts int64, loc *time.Location) (int64, int, string) {
	if ts == TimestampInfinity || ts == TimestampNegInfinity {
		return ts, 0, ""
	}
	off, name := zoneOffsetAt(ts, loc)
	return ts + int64(off)*usecsPerSec, off, name
}
