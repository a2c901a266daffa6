package types

import (
	"strconv"
	"time"
)

// Date/time text output: EncodeDateOnly, EncodeTimeOnly, EncodeDateTime and
// EncodeTimezone from PostgreSQL 15's datetime.c, for the four DateStyles.

var monthAbbrevs = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var dayAbbrevs = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

func appendZeroPad(dst []byte, v int, width int) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	var buf [12]byte
	b := strconv.AppendInt(buf[:0], int64(v), 10)
	for i := len(b); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, b...)
}

func append2(dst []byte, v int) []byte {
	if v >= 0 && v < 100 {
		return append(dst, byte('0'+v/10), byte('0'+v%10))
	}
	return appendZeroPad(dst, v, 2)
}

// appendSeconds is AppendSeconds with fillzeros: "SS" or "SS.ffffff"
// without trailing zeros. sec and fsec are non-negative here.
func appendSeconds(dst []byte, sec int, fsec int64) []byte {
	dst = append2(dst, sec)
	if fsec == 0 {
		return dst
	}
	dst = append(dst, '.')
	var frac [6]byte
	v := fsec
	for i := 5; i >= 0; i-- {
		frac[i] = byte('0' + v%10)
		v /= 10
	}
	n := 6
	for n > 0 && frac[n-1] == '0' {
		n--
	}
	return append(dst, frac[:n]...)
}

// appendTimezone is EncodeTimezone; off is seconds east of UTC.
func appendTimezone(dst []byte, off int) []byte {
	if off >= 0 {
		dst = append(dst, '+')
	} else {
		dst = append(dst, '-')
		off = -off
	}
	sec := off % 60
	min := off / 60 % 60
	hour := off / 3600
	dst = append2(dst, hour)
	if sec != 0 {
		dst = append(dst, ':')
		dst = append2(dst, min)
		dst = append(dst, ':')
		return append2(dst, sec)
	}
	if min != 0 {
		dst = append(dst, ':')
		dst = append2(dst, min)
	}
	return dst
}

func displayYear(y int) int {
	if y > 0 {
		return y
	}
	return -(y - 1)
}

// appendDate is date_out.
func appendDate(dst []byte, days int64, set *Settings) []byte {
	switch days {
	case DateInfinity:
		return append(dst, "infinity"...)
	case DateNegInfinity:
		return append(dst, "-infinity"...)
	}
	y, m, d := ymdFromDate(days)
	style, order := DateStyleISO, DateOrderMDY
	if set != nil {
		style, order = set.DateStyle, set.DateOrder
	}
	switch style {
	case DateStyleSQL, DateStylePostgres:
		sep := byte('/')
		if style == DateStylePostgres {
			sep = '-'
		}
		if order == DateOrderDMY {
			dst = append(append2(dst, d), sep)
			dst = append(append2(dst, m), sep)
		} else {
			dst = append(append2(dst, m), sep)
			dst = append(append2(dst, d), sep)
		}
		dst = appendZeroPad(dst, displayYear(y), 4)
	case DateStyleGerman:
		dst = append(append2(dst, d), '.')
		dst = append(append2(dst, m), '.')
		dst = appendZeroPad(dst, displayYear(y), 4)
	default:
		dst = appendZeroPad(dst, displayYear(y), 4)
		dst = append(dst, '-')
		dst = append(append2(dst, m), '-')
		dst = append2(dst, d)
	}
	if y <= 0 {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendTimeOfDay is time_out: HH:MM:SS[.ffffff].
func appendTimeOfDay(dst []byte, us int64) []byte {
	h := int(us / usecsPerHour)
	us -= int64(h) * usecsPerHour
	m := int(us / usecsPerMinute)
	us -= int64(m) * usecsPerMinute
	s := int(us / usecsPerSec)
	us -= int64(s) * usecsPerSec
	dst = append(append2(dst, h), ':')
	dst = append(append2(dst, m), ':')
	return appendSeconds(dst, s, us)
}

// appendTimestamp is timestamp_out / timestamptz_out.
func appendTimestamp(dst []byte, ts int64, withTZ bool, set *Settings) []byte {
	switch ts {
	case TimestampInfinity:
		return append(dst, "infinity"...)
	case TimestampNegInfinity:
		return append(dst, "-infinity"...)
	}
	off := 0
	tzn := ""
	if withTZ {
		loc := set.location()
		if loc != time.UTC {
			off, tzn = zoneOffsetAt(ts, loc)
			ts += int64(off) * usecsPerSec
		} else {
			tzn = "UTC"
		}
	}
	f := splitTimestamp(ts)
	style, order := DateStyleISO, DateOrderMDY
	if set != nil {
		style, order = set.DateStyle, set.DateOrder
	}
	switch style {
	case DateStyleSQL, DateStyleGerman:
		if style == DateStyleGerman {
			dst = append(append2(dst, f.day), '.')
			dst = append(append2(dst, f.month), '.')
		} else if order == DateOrderDMY {
			dst = append(append2(dst, f.day), '/')
			dst = append(append2(dst, f.month), '/')
		} else {
			dst = append(append2(dst, f.month), '/')
			dst = append(append2(dst, f.day), '/')
		}
		dst = appendZeroPad(dst, displayYear(f.year), 4)
		dst = append(dst, ' ')
		dst = append(append2(dst, f.hour), ':')
		dst = append(append2(dst, f.minute), ':')
		dst = appendSeconds(dst, f.sec, f.usec)
		if withTZ {
			dst = appendZoneName(dst, tzn, off)
		}
	case DateStylePostgres:
		dst = append(dst, dayAbbrevs[j2day(f.julian)]...)
		dst = append(dst, ' ')
		if order == DateOrderDMY {
			dst = append(append2(dst, f.day), ' ')
			dst = append(dst, monthAbbrevs[f.month-1]...)
		} else {
			dst = append(dst, monthAbbrevs[f.month-1]...)
			dst = append(append(dst, ' '), byte('0'+f.day/10), byte('0'+f.day%10))
		}
		dst = append(dst, ' ')
		dst = append(append2(dst, f.hour), ':')
		dst = append(append2(dst, f.minute), ':')
		dst = appendSeconds(dst, f.sec, f.usec)
		dst = append(dst, ' ')
		dst = appendZeroPad(dst, displayYear(f.year), 4)
		if withTZ {
			dst = appendZoneName(dst, tzn, off)
		}
	default:
		dst = appendZeroPad(dst, displayYear(f.year), 4)
		dst = append(dst, '-')
		dst = append(append2(dst, f.month), '-')
		dst = append(append2(dst, f.day), ' ')
		dst = append(append2(dst, f.hour), ':')
		dst = append(append2(dst, f.minute), ':')
		dst = appendSeconds(dst, f.sec, f.usec)
		if withTZ {
			dst = appendTimezone(dst, off)
		}
	}
	if f.year <= 0 {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendZoneName writes " ABBR", or " +hh[:mm]" when the zone has no
// alphabetic abbreviation (tzdata writes those as "+0530"-style names;
// PostgreSQL prints them the same way it received them from tzdata).
func appendZoneName(dst []byte, tzn string, off int) []byte {
	dst = append(dst, ' ')
	if tzn != "" {
		return append(dst, tzn...)
	}
	return appendTimezone(dst, off)
}
