package types

import (
	"math"
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Interval text input/output, ported from PostgreSQL 15's datetime.c
// (DecodeInterval, DecodeISO8601Interval, EncodeInterval) and timestamp.c
// (interval_in, AdjustIntervalForTypmod). An interval keeps months, days and
// microseconds separately; comparisons use 30-day months and 24-hour days.

// itmIn is struct pg_itm_in.
type itmIn struct {
	usec int64
	mday int32
	mon  int32
	year int32
}

func addOvf64(a, b int64) (int64, bool) {
	c := a + b
	return c, (c > a) == (b > 0)
}

func mulAdd64(v, mul int64, sum *int64) bool {
	if v != 0 && (v*mul/mul != v) {
		return false
	}
	p := v * mul
	s, ok := addOvf64(*sum, p)
	if !ok && p != 0 {
		return false
	}
	*sum = s
	return true
}

func add32(a *int32, b int64) bool {
	r := int64(*a) + b
	if r < math.MinInt32 || r > math.MaxInt32 {
		return false
	}
	*a = int32(r)
	return true
}

func (it *itmIn) adjustFractMicros(frac float64, scale int64) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	usec := int64(frac)
	frac -= float64(usec)
	if frac > 0.5 {
		usec++
	} else if frac < -0.5 {
		usec--
	}
	s, ok := addOvf64(it.usec, usec)
	if !ok && usec != 0 {
		return false
	}
	it.usec = s
	return true
}

func (it *itmIn) adjustFractDays(frac float64, scale int) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	extra := int64(frac)
	if !add32(&it.mday, extra) {
		return false
	}
	frac -= float64(extra)
	return it.adjustFractMicros(frac, usecsPerDay)
}

func (it *itmIn) adjustFractYears(frac float64, scale int) bool {
	extra := int64(math.RoundToEven(frac * float64(scale) * 12))
	return add32(&it.mon, extra)
}

func (it *itmIn) adjustMicros(val int64, frac float64, scale int64) bool {
	if !mulAdd64(val, scale, &it.usec) {
		return false
	}
	return it.adjustFractMicros(frac, scale)
}

func (it *itmIn) adjustDays(val int64, mul int64) bool {
	if val < math.MinInt32 || val > math.MaxInt32 {
		return false
	}
	d := val * mul
	if d < math.MinInt32 || d > math.MaxInt32 {
		return false
	}
	return add32(&it.mday, d)
}

func (it *itmIn) adjustMonths(val int64) bool {
	if val < math.MinInt32 || val > math.MaxInt32 {
		return false
	}
	return add32(&it.mon, val)
}

func (it *itmIn) adjustYears(val int64, mul int64) bool {
	if val < math.MinInt32 || val > math.MaxInt32 {
		return false
	}
	y := val * mul
	if y < math.MinInt32 || y > math.MaxInt32 {
		return false
	}
	return add32(&it.year, y)
}

// interval unit kinds
const (
	iuNone = iota
	iuMicro
	iuMilli
	iuSecond
	iuMinute
	iuHour
	iuDay
	iuWeek
	iuMonth
	iuYear
	iuDecade
	iuCentury
	iuMillennium
	iuAgo
	iuIgnore
)

// deltatktbl, keyed by the first 10 characters (TOKMAXLEN) as PostgreSQL looks them up.
var intervalUnits = map[string]int{
	"@": iuIgnore, "ago": iuAgo,
	"c": iuCentury, "cent": iuCentury, "centuries": iuCentury, "century": iuCentury,
	"d": iuDay, "day": iuDay, "days": iuDay,
	"dec": iuDecade, "decade": iuDecade, "decades": iuDecade, "decs": iuDecade,
	"h": iuHour, "hour": iuHour, "hours": iuHour, "hr": iuHour, "hrs": iuHour,
	"m": iuMinute, "microsecon": iuMicro, "mil": iuMillennium, "millennia": iuMillennium,
	"millennium": iuMillennium, "millisecon": iuMilli, "mils": iuMillennium,
	"min": iuMinute, "mins": iuMinute, "minute": iuMinute, "minutes": iuMinute,
	"mon": iuMonth, "mons": iuMonth, "month": iuMonth, "months": iuMonth,
	"ms": iuMilli, "msec": iuMilli, "msecs": iuMilli, "mseconds": iuMilli,
	"s": iuSecond, "sec": iuSecond, "second": iuSecond, "seconds": iuSecond, "secs": iuSecond,
	"us": iuMicro, "usec": iuMicro, "usecs": iuMicro, "useconds": iuMicro,
	"w": iuWeek, "week": iuWeek, "weeks": iuWeek,
	"y": iuYear, "year": iuYear, "years": iuYear, "yr": iuYear, "yrs": iuYear,
}

// decodeTimeForInterval is DecodeTimeForInterval.
func decodeTimeForInterval(s string, rng int32, it *itmIn) dtErr {
	var tm tmFields
	if e := decodeTimeInterval(s, &tm, rng == IntervalMaskMinute|IntervalMaskSecond); e != dtOK {
		return e
	}
	if !mulAdd64(int64(tm.hour), usecsPerHour, &it.usec) || !mulAdd64(int64(tm.min), usecsPerMinute, &it.usec) ||
		!mulAdd64(int64(tm.sec), usecsPerSec, &it.usec) {
		return dtFieldOverflow
	}
	s2, ok := addOvf64(it.usec, tm.fsec)
	if !ok && tm.fsec != 0 {
		return dtFieldOverflow
	}
	it.usec = s2
	return dtOK
}

// decodeTimeInterval is DecodeTime without the 24-hour limit (intervals
// allow '100:00:00').
func decodeTimeInterval(s string, tm *tmFields, minuteToSecond bool) dtErr {
	return decodeTime(s, tm, minuteToSecond)
}

// decodeInterval is DecodeInterval (PostgreSQL 15).
func decodeInterval(fields []dtField, rng int32, style IntervalStyle, it *itmIn) dtErr {
	forceNegative := false
	isBefore := false
	fmask := 0
	*it = itmIn{}
	if style == IntervalStyleSQLStandard && len(fields) > 0 && fields[0].s[0] == '-' {
		forceNegative = true
		for _, f := range fields[1:] {
			if f.s[0] == '-' || f.s[0] == '+' {
				forceNegative = false
				break
			}
		}
	}
	typ := iuIgnore
	for i := len(fields) - 1; i >= 0; i-- {
		f := fields[i]
		tmask := 0
		switch f.t {
		case dtkTime:
			if e := decodeTimeForInterval(f.s, rng, it); e != dtOK {
				return e
			}
			tmask = mTime
			if forceNegative && it.usec > 0 {
				it.usec = -it.usec
			}
			typ = iuDay
		case dtkTZ, dtkDate, dtkNumber:
			if f.t == dtkTZ && strings.IndexByte(f.s[1:], ':') >= 0 {
				save := *it
				if e := decodeTimeForInterval(f.s[1:], rng, it); e == dtOK {
					if f.s[0] == '-' {
						if it.usec == math.MinInt64 {
							return dtFieldOverflow
						}
						// As PostgreSQL: the accumulated microseconds are negated.
						it.usec = -it.usec
					}
					if forceNegative && it.usec > 0 {
						it.usec = -it.usec
					}
					tmask = mTime
					typ = iuDay
					break
				}
				*it = save
			}
			if typ == iuIgnore {
				typ = defaultIntervalUnit(rng)
			}
			val, cp, ok := strtoi64(f.s)
			if !ok {
				return dtFieldOverflow
			}
			// No digits before the point is still a number: '.5' is
			// half a second (strtoi64 reads nothing, then the fraction).
			if len(cp) == len(f.s) && f.s[0] != '.' || (len(cp) == len(f.s)-1 && (f.s[0] == '-' || f.s[0] == '+')) {
				return dtBadFormat
			}
			var fval float64
			switch {
			case cp != "" && cp[0] == '-':
				v2, rest, ok := strtoint(cp[1:])
				if !ok || v2 < 0 || v2 >= 12 || len(rest) == len(cp)-1 {
					return dtFieldOverflow
				}
				if rest != "" {
					return dtBadFormat
				}
				typ = iuMonth
				if f.s[0] == '-' {
					v2 = -v2
				}
				if val > math.MaxInt64/12 || val < math.MinInt64/12 {
					return dtFieldOverflow
				}
				val = val*12 + int64(v2)
			case cp != "" && cp[0] == '.':
				if cp != "." {
					for j := 1; j < len(cp); j++ {
						if !isDigit(cp[j]) {
							return dtBadFormat
						}
					}
					fv, err := strconv.ParseFloat("0"+cp, 64)
					if err != nil {
						return dtBadFormat
					}
					fval = fv
				}
				if f.s[0] == '-' {
					fval = -fval
				}
			case cp == "":
			default:
				return dtBadFormat
			}
			if forceNegative {
				if val > 0 {
					val = -val
				}
				if fval > 0 {
					fval = -fval
				}
			}
			ok = true
			switch typ {
			case iuMicro:
				ok = it.adjustMicros(val, fval, 1)
				tmask = 1 << 20
			case iuMilli:
				ok = it.adjustMicros(val, fval, 1000)
				tmask = 1 << 21
			case iuSecond:
				ok = it.adjustMicros(val, fval, usecsPerSec)
				if fval == 0 {
					tmask = mSecond
				} else {
					tmask = mSecond | 1<<20 | 1<<21
				}
			case iuMinute:
				ok = it.adjustMicros(val, fval, usecsPerMinute)
				tmask = mMinute
			case iuHour:
				ok = it.adjustMicros(val, fval, usecsPerHour)
				tmask = mHour
				typ = iuDay
			case iuDay:
				ok = it.adjustDays(val, 1) && it.adjustFractMicros(fval, usecsPerDay)
				tmask = mDay
			case iuWeek:
				ok = it.adjustDays(val, 7) && it.adjustFractDays(fval, 7)
				tmask = 1 << 22
			case iuMonth:
				ok = it.adjustMonths(val) && it.adjustFractDays(fval, daysPerMonth)
				tmask = mMonth
			case iuYear:
				ok = it.adjustYears(val, 1) && it.adjustFractYears(fval, 1)
				tmask = mYear
			case iuDecade:
				ok = it.adjustYears(val, 10) && it.adjustFractYears(fval, 10)
				tmask = 1 << 23
			case iuCentury:
				ok = it.adjustYears(val, 100) && it.adjustFractYears(fval, 100)
				tmask = 1 << 24
			case iuMillennium:
				ok = it.adjustYears(val, 1000) && it.adjustFractYears(fval, 1000)
				tmask = 1 << 25
			default:
				return dtBadFormat
			}
			if !ok {
				return dtFieldOverflow
			}
		case dtkString, dtkSpecial:
			key := f.s
			if len(key) > 10 {
				key = key[:10]
			}
			u, ok := intervalUnits[key]
			if !ok {
				return dtBadFormat
			}
			switch u {
			case iuIgnore:
				continue
			case iuAgo:
				isBefore = true
			default:
				typ = u
			}
		default:
			return dtBadFormat
		}
		if tmask&fmask != 0 {
			return dtBadFormat
		}
		fmask |= tmask
	}
	if fmask == 0 {
		return dtBadFormat
	}
	if isBefore {
		if it.usec == math.MinInt64 || it.mday == math.MinInt32 || it.mon == math.MinInt32 || it.year == math.MinInt32 {
			return dtFieldOverflow
		}
		it.usec, it.mday, it.mon, it.year = -it.usec, -it.mday, -it.mon, -it.year
	}
	return dtOK
}

func defaultIntervalUnit(rng int32) int {
	switch rng {
	case IntervalMaskYear:
		return iuYear
	case IntervalMaskMonth, IntervalMaskYear | IntervalMaskMonth:
		return iuMonth
	case IntervalMaskDay:
		return iuDay
	case IntervalMaskHour, IntervalMaskDay | IntervalMaskHour:
		return iuHour
	case IntervalMaskMinute, IntervalMaskHour | IntervalMaskMinute, IntervalMaskDay | IntervalMaskHour | IntervalMaskMinute:
		return iuMinute
	}
	return iuSecond
}

// strtoi64 parses an optionally signed decimal prefix.
func strtoi64(s string) (int64, string, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var v uint64
	j := i
	for i < len(s) && isDigit(s[i]) {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, s[i:], false
		}
		v = v*10 + d
		i++
	}
	if i == j {
		return 0, s, true
	}
	if neg {
		if v > 1<<63 {
			return 0, s[i:], false
		}
		return -int64(v), s[i:], true
	}
	if v > math.MaxInt64 {
		return 0, s[i:], false
	}
	return int64(v), s[i:], true
}

// parseISO8601Number is ParseISO8601Number: strtod, then integer and fraction parts.
func parseISO8601Number(s string) (int64, float64, string, dtErr) {
	if s == "" || !(isDigit(s[0]) || s[0] == '-' || s[0] == '.') {
		return 0, 0, s, dtBadFormat
	}
	i := 0
	if s[i] == '-' || s[i] == '+' {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0, s, dtBadFormat
	}
	// strtod would also take an exponent; intervals use 'E'? no unit, so
	// only lower/upper e followed by digits is consumed.
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	v, err := strconv.ParseFloat(s[:i], 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return 0, 0, s, dtBadFormat
	}
	if math.IsNaN(v) || v < -1e15 || v > 1e15 {
		return 0, 0, s, dtFieldOverflow
	}
	var ip int64
	if v >= 0 {
		ip = int64(math.Floor(v))
	} else {
		ip = -int64(math.Floor(-v))
	}
	return ip, v - float64(ip), s[i:], dtOK
}

func iso8601IntegerWidth(s string) int {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

// decodeISO8601Interval is DecodeISO8601Interval.
func decodeISO8601Interval(str string, it *itmIn) dtErr {
	*it = itmIn{}
	if len(str) < 2 || str[0] != 'P' {
		return dtBadFormat
	}
	str = str[1:]
	datepart, havefield := true, false
	for str != "" {
		if str[0] == 'T' {
			datepart, havefield = false, false
			str = str[1:]
			continue
		}
		fieldstart := str
		val, fval, rest, e := parseISO8601Number(str)
		if e != dtOK {
			return e
		}
		str = rest
		var unit byte
		if str != "" {
			unit = str[0]
			str = str[1:]
		}
		if datepart {
			switch unit {
			case 'Y':
				if !it.adjustYears(val, 1) || !it.adjustFractYears(fval, 1) {
					return dtFieldOverflow
				}
			case 'M':
				if !it.adjustMonths(val) || !it.adjustFractDays(fval, daysPerMonth) {
					return dtFieldOverflow
				}
			case 'W':
				if !it.adjustDays(val, 7) || !it.adjustFractDays(fval, 7) {
					return dtFieldOverflow
				}
			case 'D':
				if !it.adjustDays(val, 1) || !it.adjustFractMicros(fval, usecsPerDay) {
					return dtFieldOverflow
				}
			case 'T', 0, '-':
				if unit != '-' && iso8601IntegerWidth(fieldstart) == 8 && !havefield {
					if !it.adjustYears(val/10000, 1) || !it.adjustMonths((val/100)%100) ||
						!it.adjustDays(val%100, 1) || !it.adjustFractMicros(fval, usecsPerDay) {
						return dtFieldOverflow
					}
					if unit == 0 {
						return dtOK
					}
					datepart, havefield = false, false
					continue
				}
				if havefield {
					return dtBadFormat
				}
				if !it.adjustYears(val, 1) || !it.adjustFractYears(fval, 1) {
					return dtFieldOverflow
				}
				if unit == 0 {
					return dtOK
				}
				if unit == 'T' {
					datepart, havefield = false, false
					continue
				}
				val, fval, str, e = parseISO8601Number(str)
				if e != dtOK {
					return e
				}
				if !it.adjustMonths(val) || !it.adjustFractDays(fval, daysPerMonth) {
					return dtFieldOverflow
				}
				if str == "" {
					return dtOK
				}
				if str[0] == 'T' {
					datepart, havefield = false, false
					str = str[1:]
					continue
				}
				if str[0] != '-' {
					return dtBadFormat
				}
				val, fval, str, e = parseISO8601Number(str[1:])
				if e != dtOK {
					return e
				}
				if !it.adjustDays(val, 1) || !it.adjustFractMicros(fval, usecsPerDay) {
					return dtFieldOverflow
				}
				if str == "" {
					return dtOK
				}
				if str[0] == 'T' {
					datepart, havefield = false, false
					str = str[1:]
					continue
				}
				return dtBadFormat
			default:
				return dtBadFormat
			}
		} else {
			switch unit {
			case 'H':
				if !it.adjustMicros(val, fval, usecsPerHour) {
					return dtFieldOverflow
				}
			case 'M':
				if !it.adjustMicros(val, fval, usecsPerMinute) {
					return dtFieldOverflow
				}
			case 'S':
				if !it.adjustMicros(val, fval, usecsPerSec) {
					return dtFieldOverflow
				}
			case 0, ':':
				if unit == 0 && iso8601IntegerWidth(fieldstart) == 6 && !havefield {
					if !it.adjustMicros(val/10000, 0, usecsPerHour) || !it.adjustMicros((val/100)%100, 0, usecsPerMinute) ||
						!it.adjustMicros(val%100, 0, usecsPerSec) || !it.adjustFractMicros(fval, 1) {
						return dtFieldOverflow
					}
					return dtOK
				}
				if havefield {
					return dtBadFormat
				}
				if !it.adjustMicros(val, fval, usecsPerHour) {
					return dtFieldOverflow
				}
				if unit == 0 {
					return dtOK
				}
				val, fval, str, e = parseISO8601Number(str)
				if e != dtOK {
					return e
				}
				if !it.adjustMicros(val, fval, usecsPerMinute) {
					return dtFieldOverflow
				}
				if str == "" {
					return dtOK
				}
				if str[0] != ':' {
					return dtBadFormat
				}
				val, fval, str, e = parseISO8601Number(str[1:])
				if e != dtOK {
					return e
				}
				if !it.adjustMicros(val, fval, usecsPerSec) {
					return dtFieldOverflow
				}
				if str == "" {
					return dtOK
				}
				return dtBadFormat
			default:
				return dtBadFormat
			}
		}
		havefield = true
	}
	return dtOK
}

// parseIntervalText is interval_in.
func parseIntervalText(s string, typmod int32, set *Settings) (IntervalValue, error) {
	rng := int32(intervalFullRange)
	if typmod >= 0 {
		rng = (typmod >> 16) & 0x7fff
	}
	style := IntervalStylePostgres
	if set != nil {
		style = set.IntervalStyle
	}
	var buf [8]dtField
	var it itmIn
	fields, e := parseDateTimeFields(s, buf[:])
	if e == dtOK {
		e = decodeInterval(fields, rng, style, &it)
	}
	if e == dtBadFormat {
		e = decodeISO8601Interval(s, &it)
	}
	if e != dtOK {
		if e == dtFieldOverflow {
			e = dtIntervalOverflow
		}
		return IntervalValue{}, dateTimeParseError(e, s, "interval", nil)
	}
	months := int64(it.year)*12 + int64(it.mon)
	if months > math.MaxInt32 || months < math.MinInt32 {
		return IntervalValue{}, pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
	}
	iv := IntervalValue{Months: int32(months), Days: it.mday, Micros: it.usec}
	return adjustIntervalTypmod(iv, typmod)
}

// adjustIntervalTypmod is AdjustIntervalForTypmod.
func adjustIntervalTypmod(iv IntervalValue, typmod int32) (IntervalValue, error) {
	if typmod < 0 {
		return iv, nil
	}
	rng := (typmod >> 16) & 0x7fff
	prec := typmod & 0xffff
	switch rng {
	case IntervalMaskYear:
		iv.Months = (iv.Months / 12) * 12
		iv.Days, iv.Micros = 0, 0
	case IntervalMaskMonth, IntervalMaskYear | IntervalMaskMonth:
		iv.Days, iv.Micros = 0, 0
	case IntervalMaskDay:
		iv.Micros = 0
	case IntervalMaskHour, IntervalMaskDay | IntervalMaskHour:
		iv.Micros = (iv.Micros / usecsPerHour) * usecsPerHour
	case IntervalMaskMinute, IntervalMaskDay | IntervalMaskHour | IntervalMaskMinute, IntervalMaskHour | IntervalMaskMinute:
		iv.Micros = (iv.Micros / usecsPerMinute) * usecsPerMinute
	}
	if prec != intervalFullPrec && prec >= 0 && prec <= 6 {
		sc := timestampScales[prec]
		if iv.Micros >= 0 {
			iv.Micros = ((iv.Micros + sc/2) / sc) * sc
		} else {
			iv.Micros = -(((-iv.Micros + sc/2) / sc) * sc)
		}
	}
	return iv, nil
}

// appendInterval is interval_out (EncodeInterval) for the IntervalStyle.
func appendInterval(dst []byte, iv IntervalValue, style IntervalStyle) []byte {
	year := int64(iv.Months / 12)
	mon := int64(iv.Months % 12)
	mday := int64(iv.Days)
	t := iv.Micros
	hour := t / usecsPerHour
	t -= hour * usecsPerHour
	min := t / usecsPerMinute
	t -= min * usecsPerMinute
	sec := t / usecsPerSec
	fsec := t - sec*usecsPerSec
	abs := func(v int64) int64 {
		if v < 0 {
			return -v
		}
		return v
	}
	switch style {
	case IntervalStyleSQLStandard:
		hasNeg := year < 0 || mon < 0 || mday < 0 || hour < 0 || min < 0 || sec < 0 || fsec < 0
		hasPos := year > 0 || mon > 0 || mday > 0 || hour > 0 || min > 0 || sec > 0 || fsec > 0
		hasYM := year != 0 || mon != 0
		hasDT := mday != 0 || hour != 0 || min != 0 || sec != 0 || fsec != 0
		std := !(hasNeg && hasPos) && !(hasYM && hasDT)
		if hasNeg && std {
			dst = append(dst, '-')
			year, mon, mday, hour, min, sec, fsec = -year, -mon, -mday, -hour, -min, -sec, -fsec
		}
		switch {
		case !hasNeg && !hasPos:
			dst = append(dst, '0')
		case !std:
			ys, ds, ss := byte('+'), byte('+'), byte('+')
			if year < 0 || mon < 0 {
				ys = '-'
			}
			if mday < 0 {
				ds = '-'
			}
			if hour < 0 || min < 0 || sec < 0 || fsec < 0 {
				ss = '-'
			}
			dst = append(dst, ys)
			dst = strconv.AppendInt(dst, abs(year), 10)
			dst = append(dst, '-')
			dst = strconv.AppendInt(dst, abs(mon), 10)
			dst = append(dst, ' ', ds)
			dst = strconv.AppendInt(dst, abs(mday), 10)
			dst = append(dst, ' ', ss)
			dst = strconv.AppendInt(dst, abs(hour), 10)
			dst = append(dst, ':')
			dst = append(append2(dst, int(abs(min))), ':')
			dst = appendIntervalSeconds(dst, sec, fsec, true)
		case hasYM:
			dst = strconv.AppendInt(dst, year, 10)
			dst = append(dst, '-')
			dst = strconv.AppendInt(dst, mon, 10)
		case mday != 0:
			dst = strconv.AppendInt(dst, mday, 10)
			dst = append(dst, ' ')
			dst = strconv.AppendInt(dst, hour, 10)
			dst = append(dst, ':')
			dst = append(appendZeroPad(dst, int(min), 2), ':')
			dst = appendIntervalSeconds(dst, sec, fsec, true)
		default:
			dst = strconv.AppendInt(dst, hour, 10)
			dst = append(dst, ':')
			dst = append(appendZeroPad(dst, int(min), 2), ':')
			dst = appendIntervalSeconds(dst, sec, fsec, true)
		}
	case IntervalStyleISO8601:
		if year == 0 && mon == 0 && mday == 0 && hour == 0 && min == 0 && sec == 0 && fsec == 0 {
			return append(dst, "PT0S"...)
		}
		dst = append(dst, 'P')
		dst = addISOPart(dst, year, 'Y')
		dst = addISOPart(dst, mon, 'M')
		dst = addISOPart(dst, mday, 'D')
		if hour != 0 || min != 0 || sec != 0 || fsec != 0 {
			dst = append(dst, 'T')
		}
		dst = addISOPart(dst, hour, 'H')
		dst = addISOPart(dst, min, 'M')
		if sec != 0 || fsec != 0 {
			if sec < 0 || fsec < 0 {
				dst = append(dst, '-')
			}
			dst = appendIntervalSeconds(dst, sec, fsec, false)
			dst = append(dst, 'S')
		}
	case IntervalStylePostgresVerbose:
		isZero, isNeg := true, false
		dst = append(dst, '@')
		dst = addVerbosePart(dst, year, "year", &isZero, &isNeg)
		dst = addVerbosePart(dst, mon, "mon", &isZero, &isNeg)
		dst = addVerbosePart(dst, mday, "day", &isZero, &isNeg)
		dst = addVerbosePart(dst, hour, "hour", &isZero, &isNeg)
		dst = addVerbosePart(dst, min, "min", &isZero, &isNeg)
		if sec != 0 || fsec != 0 {
			dst = append(dst, ' ')
			if sec < 0 || (sec == 0 && fsec < 0) {
				if isZero {
					isNeg = true
				} else if !isNeg {
					dst = append(dst, '-')
				}
			} else if isNeg {
				dst = append(dst, '-')
			}
			dst = appendIntervalSeconds(dst, sec, fsec, false)
			dst = append(dst, " sec"...)
			if abs(sec) != 1 || fsec != 0 {
				dst = append(dst, 's')
			}
			isZero = false
		}
		if isZero {
			dst = append(dst, " 0"...)
		}
		if isNeg {
			dst = append(dst, " ago"...)
		}
	default:
		isZero, isBefore := true, false
		dst = addPostgresPart(dst, year, "year", &isZero, &isBefore)
		dst = addPostgresPart(dst, mon, "mon", &isZero, &isBefore)
		dst = addPostgresPart(dst, mday, "day", &isZero, &isBefore)
		if isZero || hour != 0 || min != 0 || sec != 0 || fsec != 0 {
			minus := hour < 0 || min < 0 || sec < 0 || fsec < 0
			if !isZero {
				dst = append(dst, ' ')
			}
			if minus {
				dst = append(dst, '-')
			} else if isBefore {
				dst = append(dst, '+')
			}
			h := abs(hour)
			if h < 10 {
				dst = append(dst, '0')
			}
			dst = strconv.AppendInt(dst, h, 10)
			dst = append(dst, ':')
			dst = append(append2(dst, int(abs(min))), ':')
			dst = appendIntervalSeconds(dst, sec, fsec, true)
		}
	}
	return dst
}

func appendIntervalSeconds(dst []byte, sec, fsec int64, fill bool) []byte {
	if sec < 0 {
		sec = -sec
	}
	if fsec < 0 {
		fsec = -fsec
	}
	if fill {
		return appendSeconds(dst, int(sec), fsec)
	}
	dst = strconv.AppendInt(dst, sec, 10)
	if fsec == 0 {
		return dst
	}
	tmp := appendSeconds(nil, 0, fsec) // "00.ffffff"
	return append(dst, tmp[2:]...)
}

func addISOPart(dst []byte, v int64, unit byte) []byte {
	if v == 0 {
		return dst
	}
	return append(strconv.AppendInt(dst, v, 10), unit)
}

func addPostgresPart(dst []byte, v int64, unit string, isZero, isBefore *bool) []byte {
	if v == 0 {
		return dst
	}
	if !*isZero {
		dst = append(dst, ' ')
	}
	if *isBefore && v > 0 {
		dst = append(dst, '+')
	}
	dst = appendCountedUnit(dst, v, unit)
	*isBefore = v < 0
	*isZero = false
	return dst
}

// appendCountedUnit appends "v unit", plural unless v is 1.
func appendCountedUnit(dst []byte, v int64, unit string) []byte {
	dst = strconv.AppendInt(dst, v, 10)
	dst = append(dst, ' ')
	dst = append(dst, unit...)
	if v != 1 {
		dst = append(dst, 's')
	}
	return dst
}

func addVerbosePart(dst []byte, v int64, unit string, isZero, isBefore *bool) []byte {
	if v == 0 {
		return dst
	}
	if *isZero {
		*isBefore = v < 0
		if v < 0 {
			v = -v
		}
	} else if *isBefore {
		v = -v
	}
	dst = appendCountedUnit(append(dst, ' '), v, unit)
	*isZero = false
	return dst
}

// intervalSpan is interval_cmp_value: the 128-bit total in microseconds
// with 30-day months, as (hi, lo) two's complement.
func intervalSpan(iv IntervalValue) (hi int64, lo uint64) {
	days := int64(iv.Months)*daysPerMonth + int64(iv.Days) // fits easily in int64
	// days * usecsPerDay + micros, in 128 bits.
	h, l := mul64x64(days, usecsPerDay)
	return add128(h, l, iv.Micros)
}

func mul64x64(a, b int64) (int64, uint64) {
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = uint64(-a)
	}
	if b < 0 {
		ub = uint64(-b)
	}
	hi, lo := mulU64(ua, ub)
	if neg {
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	return int64(hi), lo
}

func mulU64(a, b uint64) (uint64, uint64) {
	const mask32 = 1<<32 - 1
	a0, a1 := a&mask32, a>>32
	b0, b1 := b&mask32, b>>32
	w0 := a0 * b0
	t := a1*b0 + w0>>32
	w1 := t&mask32 + a0*b1
	hi := a1*b1 + t>>32 + w1>>32
	return hi, a * b
}

func add128(hi int64, lo uint64, v int64) (int64, uint64) {
	nlo := lo + uint64(v)
	carry := int64(0)
	if nlo < lo {
		carry = 1
	}
	ext := int64(0)
	if v < 0 {
		ext = -1
	}
	return hi + ext + carry, nlo
}
