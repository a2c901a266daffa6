package types

import (
	"strconv"
	"strings"
	"time"
)

// Calendar helpers exported for the date/time functions of sql/builtins
// (extract, date_trunc, to_char, age, make_*, AT TIME ZONE). Pure value
// functions over the representations documented on Datum.

// Microseconds per unit.
const (
	USecsPerSec    = usecsPerSec
	USecsPerMinute = usecsPerMinute
	USecsPerHour   = usecsPerHour
	USecsPerDay    = usecsPerDay
	// UnixEpochMicros is 1970-01-01 00:00:00 in µs since 2000-01-01.
	UnixEpochMicros = -pgEpochUnixSecs * usecsPerSec
	// PostgresEpochJDate is the Julian day of 2000-01-01.
	PostgresEpochJDate = postgresEpochJDate
)

// TimestampFields are the broken-down fields of a finite timestamp, as
// PostgreSQL's timestamp2tm gives them: Year is astronomical (1 BC = 0),
// Micros the fractional second.
type TimestampFields struct {
	Year, Month, Day     int
	Hour, Minute, Second int
	Micros               int64
}

// SplitTimestamp breaks a finite timestamp (µs since 2000-01-01) into fields.
func SplitTimestamp(ts int64) TimestampFields {
	f := splitTimestamp(ts)
	return TimestampFields{f.year, f.month, f.day, f.hour, f.minute, f.sec, f.usec}
}

// MakeTimestamp joins fields (tm2timestamp); ok is false outside the
// timestamp range.
func MakeTimestamp(f TimestampFields) (int64, bool) {
	return makeTimestamp(f.Year, f.Month, f.Day, f.Hour, f.Minute, f.Second, f.Micros)
}

// Date2J is the Julian day number of a (proleptic Gregorian) date.
func Date2J(y, m, d int) int { return date2j(y, m, d) }

// J2Date is the inverse of Date2J.
func J2Date(jd int) (y, m, d int) { return j2date(jd) }

// J2Day is the day of the week of a Julian day, 0 = Sunday.
func J2Day(jd int) int { return j2day(jd) }

// IsLeapYear reports whether astronomical year y is a leap year.
func IsLeapYear(y int) bool { return isLeap(y) }

// DaysInMonth is the number of days of month m (1-12) of year y.
func DaysInMonth(y, m int) int { return monthDays(y, m) }

// IsValidJulian is IS_VALID_JULIAN (the dates date2j handles).
func IsValidJulian(y, m, d int) bool { return isValidJulian(y, m, d) }

// DateFromYMD converts a date to days since 2000-01-01; YMDFromDate inverts it.
func DateFromYMD(y, m, d int) int64        { return dateFromYMD(y, m, d) }
func YMDFromDate(days int64) (y, m, d int) { return ymdFromDate(days) }

// ValidTimestamp and ValidDate are IS_VALID_TIMESTAMP and IS_VALID_DATE.
func ValidTimestamp(ts int64) bool { return validTimestamp(ts) }
func ValidDate(days int64) bool    { return validDate(days) }

// SessionLocation is the session's TimeZone (UTC for nil settings).
func SessionLocation(set *Settings) *time.Location { return set.location() }

// TimestampTZToLocal converts a finite timestamptz to the wall clock of loc,
// returning the local timestamp, the UTC offset (seconds east) and the zone
// abbreviation in effect.
func TimestampTZToLocal(ts int64, loc *time.Location) (local int64, offEast int, abbrev string) {
	return timestampTZToLocal(ts, loc)
}

// LocalToTimestampTZ converts a wall-clock timestamp in loc to UTC, resolving
// DST gaps and overlaps as PostgreSQL's DetermineTimeZoneOffset does.
func LocalToTimestampTZ(local int64, loc *time.Location) int64 {
	return localToTimestampTZ(local, loc)
}

// ZoneAbbrevOffset looks up a fixed-offset time zone abbreviation of the
// default timezone_abbreviations set (case-insensitively); it returns the
// offset in seconds east of UTC.
func ZoneAbbrevOffset(name string) (int, bool) {
	a, ok := zoneAbbrevs[lowerASCII(name)]
	return int(a.offset), ok
}

// ZoneByName resolves the zone argument of AT TIME ZONE, timezone() and
// date_trunc(..., zone) as PostgreSQL's timestamptz_zone does: first a
// fixed-offset abbreviation (fixed is true and offEast the offset), then a
// full zone name or POSIX spec (loc). A bare number or a signed offset is a
// POSIX spec, so '+05' and '5' mean five hours west of Greenwich.
func ZoneByName(name string) (offEast int, fixed bool, loc *time.Location, ok bool) {
	if off, found := ZoneAbbrevOffset(name); found {
		return off, true, nil, true
	}
	if name == "" {
		return 0, false, nil, false
	}
	if c := name[0]; c == '+' || c == '-' || (c >= '0' && c <= '9') {
		s := name
		if i := strings.IndexByte(s, '.'); i >= 0 {
			if _, err := strconv.ParseFloat(s, 64); err == nil {
				s = s[:i]
			}
		}
		off, good := parseNumericZone(s)
		if !good {
			return 0, false, nil, false
		}
		return -off, true, nil, true
	}
	l, err := LoadTimeZone(name)
	if err != nil {
		return 0, false, nil, false
	}
	return 0, false, l, true
}

// AppendTimezoneOffset appends an offset (seconds east) as EncodeTimezone
// does in ISO style: "+05", "-03:30", "+00:00:12".
func AppendTimezoneOffset(dst []byte, offEast int) []byte { return appendTimezone(dst, offEast) }

// AppendXSDDate appends a date as json/jsonb output writes it
// (EncodeDateOnly with USE_XSD_DATES): "2020-01-31", "0044-03-15 BC",
// "infinity".
func AppendXSDDate(dst []byte, days int64) []byte {
	switch days {
	case DateInfinity:
		return append(dst, "infinity"...)
	case DateNegInfinity:
		return append(dst, "-infinity"...)
	}
	y, m, d := ymdFromDate(days)
	dst = appendZeroPad(dst, displayYear(y), 4)
	dst = append(append(dst, '-'), byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
	if y <= 0 {
		dst = append(dst, " BC"...)
	}
	return dst
}

// AppendXSDTimestamp appends a timestamp as json/jsonb output writes it
// (EncodeDateTime with USE_XSD_DATES): "2020-01-31T10:00:00.5", and for
// timestamptz the session zone's offset as "+00:00".
func AppendXSDTimestamp(dst []byte, ts int64, withTZ bool, set *Settings) []byte {
	switch ts {
	case TimestampInfinity:
		return append(dst, "infinity"...)
	case TimestampNegInfinity:
		return append(dst, "-infinity"...)
	}
	off := 0
	if withTZ {
		ts, off, _ = timestampTZToLocal(ts, set.location())
	}
	f := splitTimestamp(ts)
	dst = appendZeroPad(dst, displayYear(f.year), 4)
	dst = append(dst, '-')
	dst = append(append2(dst, f.month), '-')
	dst = append(append2(dst, f.day), 'T')
	dst = append(append2(dst, f.hour), ':')
	dst = append(append2(dst, f.minute), ':')
	dst = appendSeconds(dst, f.sec, f.usec)
	if withTZ {
		a := off
		if a < 0 {
			a = -a
		}
		if a%60 != 0 || a/60%60 != 0 {
			dst = appendTimezone(dst, off)
		} else {
			dst = append(appendTimezone(dst, off), ":00"...)
		}
	}
	if f.year <= 0 {
		dst = append(dst, " BC"...)
	}
	return dst
}
