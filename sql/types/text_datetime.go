package types

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Date/time text input, ported from PostgreSQL 15's
// src/backend/utils/adt/datetime.c: ParseDateTime splits the string into
// typed fields, DecodeDateTime / DecodeTimeOnly assign them to date, time
// and zone parts with the same heuristics (field order from DateOrder,
// run-together numbers such as 20010203, ISO "T", AM/PM, BC, zone
// abbreviations and names). Not ported: the ISO "labeled field" forms
// (y2001m02d04, h04mm05s06), Julian-day input (J2451187), day-of-year with
// "doy", and the DST modifier ("MET DST").

// field types (ParseDateTime's ftype)
const (
	dtkNumber = iota + 1
	dtkString
	dtkDate
	dtkTime
	dtkTZ
	dtkSpecial
)

// field masks (DTK_M bits) as datetime.h
const (
	mReserv = 1 << 0
	mMonth  = 1 << 1
	mYear   = 1 << 2
	mDay    = 1 << 3
	mTZ     = 1 << 5
	mDTZ    = 1 << 6
	mAMPM   = 1 << 9
	mHour   = 1 << 10
	mMinute = 1 << 11
	mSecond = 1 << 12
	mDOY    = 1 << 15
	mDOW    = 1 << 16
	mUnits  = 1 << 17
	mADBC   = 1 << 18
	mDate   = mYear | mMonth | mDay
	mTime   = mHour | mMinute | mSecond
)

// parse errors (DTERR_*)
type dtErr uint8

const (
	dtOK dtErr = iota
	dtBadFormat
	dtFieldOverflow
	dtMDFieldOverflow
	dtIntervalOverflow
	dtTZDispOverflow
	dtBadZone
)

// token kinds in datetktbl
const (
	tokReserv = iota + 1
	tokMonth
	tokDOW
	tokAMPM
	tokADBC
	tokISOTime
	tokIgnore
	tokUnits
)

// reserved values
const (
	rsvNow = iota + 1
	rsvToday
	rsvTomorrow
	rsvYesterday
	rsvEpoch
	rsvLate
	rsvEarly
	rsvZulu
)

type dtToken struct {
	kind int
	val  int
}

// datetktbl (datetime.c), less the ISO unit labels we do not decode.
var dateTokens = map[string]dtToken{
	"-infinity": {tokReserv, rsvEarly}, "ad": {tokADBC, 0}, "allballs": {tokReserv, rsvZulu},
	"am": {tokAMPM, 0}, "apr": {tokMonth, 4}, "april": {tokMonth, 4}, "at": {tokIgnore, 0},
	"aug": {tokMonth, 8}, "august": {tokMonth, 8}, "bc": {tokADBC, 1}, "d": {tokUnits, 0},
	"dec": {tokMonth, 12}, "december": {tokMonth, 12}, "dow": {tokUnits, 0}, "doy": {tokUnits, 0},
	"epoch": {tokReserv, rsvEpoch}, "feb": {tokMonth, 2}, "february": {tokMonth, 2},
	"fri": {tokDOW, 5}, "friday": {tokDOW, 5}, "h": {tokUnits, 0}, "infinity": {tokReserv, rsvLate},
	"isodow": {tokUnits, 0}, "isoyear": {tokUnits, 0}, "j": {tokUnits, 0}, "jan": {tokMonth, 1},
	"january": {tokMonth, 1}, "jd": {tokUnits, 0}, "jul": {tokMonth, 7}, "julian": {tokUnits, 0},
	"july": {tokMonth, 7}, "jun": {tokMonth, 6}, "june": {tokMonth, 6}, "m": {tokUnits, 0},
	"mar": {tokMonth, 3}, "march": {tokMonth, 3}, "may": {tokMonth, 5}, "mm": {tokUnits, 0},
	"mon": {tokDOW, 1}, "monday": {tokDOW, 1}, "nov": {tokMonth, 11}, "november": {tokMonth, 11},
	"now": {tokReserv, rsvNow}, "oct": {tokMonth, 10}, "october": {tokMonth, 10}, "on": {tokIgnore, 0},
	"pm": {tokAMPM, 1}, "s": {tokUnits, 0}, "sat": {tokDOW, 6}, "saturday": {tokDOW, 6},
	"sep": {tokMonth, 9}, "sept": {tokMonth, 9}, "september": {tokMonth, 9}, "sun": {tokDOW, 0},
	"sunday": {tokDOW, 0}, "t": {tokISOTime, 0}, "thu": {tokDOW, 4}, "thur": {tokDOW, 4},
	"thurs": {tokDOW, 4}, "thursday": {tokDOW, 4}, "today": {tokReserv, rsvToday},
	"tomorrow": {tokReserv, rsvTomorrow}, "tue": {tokDOW, 2}, "tues": {tokDOW, 2},
	"tuesday": {tokDOW, 2}, "wed": {tokDOW, 3}, "wednesday": {tokDOW, 3}, "weds": {tokDOW, 3},
	"y": {tokUnits, 0}, "yesterday": {tokReserv, rsvYesterday},
}

type dtField struct {
	s string
	t int
}

// parseDateTimeFields is ParseDateTime. Strings are lower-cased.
func parseDateTimeFields(str string, buf []dtField) ([]dtField, dtErr) {
	fields := buf[:0]
	cp := 0
	n := len(str)
	isAlpha := func(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
	isAlnum := func(c byte) bool { return isAlpha(c) || isDigit(c) }
	at := func(i int) byte {
		if i < n {
			return str[i]
		}
		return 0
	}
	for cp < n {
		c := str[cp]
		if isSpace(c) {
			cp++
			continue
		}
		start := cp
		var ftype int
		lower := false
		switch {
		case isDigit(c):
			for cp < n && isDigit(str[cp]) {
				cp++
			}
			switch d := at(cp); {
			case d == ':':
				ftype = dtkTime
				for cp < n && (isDigit(str[cp]) || str[cp] == ':' || str[cp] == '.') {
					cp++
				}
			case d == '-' || d == '/' || d == '.':
				delim := d
				cp++
				if isDigit(at(cp)) {
					if delim == '.' {
						ftype = dtkNumber
					} else {
						ftype = dtkDate
					}
					for cp < n && isDigit(str[cp]) {
						cp++
					}
					if at(cp) == delim {
						ftype = dtkDate
						cp++
						for cp < n && (isDigit(str[cp]) || str[cp] == delim) {
							cp++
						}
					}
				} else {
					ftype = dtkDate
					lower = true
					for cp < n && (isAlnum(str[cp]) || str[cp] == delim) {
						cp++
					}
				}
			default:
				ftype = dtkNumber
			}
		case c == '.':
			cp++
			for cp < n && isDigit(str[cp]) {
				cp++
			}
			ftype = dtkNumber
		case isAlpha(c):
			ftype = dtkString
			lower = true
			for cp < n && isAlpha(str[cp]) {
				cp++
			}
			isDate := false
			if d := at(cp); d == '-' || d == '/' || d == '.' {
				isDate = true
			} else if d == '+' || isDigit(d) {
				if _, ok := dateTokens[strings.ToLower(str[start:cp])]; !ok {
					isDate = true
				}
			}
			if isDate {
				ftype = dtkDate
				for {
					cp++
					if cp >= n {
						break
					}
					d := str[cp]
					if !(d == '+' || d == '-' || d == '/' || d == '_' || d == '.' || d == ':' || isAlnum(d)) {
						break
					}
				}
			}
		case c == '+' || c == '-':
			cp++
			for cp < n && isSpace(str[cp]) {
				cp++
			}
			if isDigit(at(cp)) {
				ftype = dtkTZ
				cp++
				for cp < n && (isDigit(str[cp]) || str[cp] == ':' || str[cp] == '.' || str[cp] == '-') {
					cp++
				}
			} else if isAlpha(at(cp)) {
				ftype = dtkSpecial
				lower = true
				for cp < n && isAlpha(str[cp]) {
					cp++
				}
			} else {
				return nil, dtBadFormat
			}
		case c < 0x80 && isPunct(c):
			cp++
			continue
		default:
			return nil, dtBadFormat
		}
		f := str[start:cp]
		if ftype == dtkTZ || ftype == dtkSpecial {
			// drop whitespace between the sign and the digits
			if len(f) > 1 && isSpace(f[1]) {
				f = f[:1] + strings.TrimLeft(f[1:], " \t\n\r\v\f")
			}
		}
		if lower {
			f = lowerASCII(f)
		}
		if len(fields) >= 25 { // MAXDATEFIELDS
			return nil, dtBadFormat
		}
		fields = append(fields, dtField{f, ftype})
	}
	return fields, dtOK
}

func isPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}

// tmFields is struct pg_tm plus fsec.
type tmFields struct {
	year, mon, mday int
	hour, min, sec  int
	fsec            int64
	yday            int
	tz              int // seconds east of UTC, valid when hasTZ
	hasTZ           bool
	namedTZ         *time.Location
}

// dtype results
const (
	dtypeDate = iota + 1
	dtypeTime
	dtypeEpoch
	dtypeLate
	dtypeEarly
)

// strtoint parses leading decimal digits of s (no sign), returning the
// value, the rest, and false on overflow of int32.
func strtoint(s string) (int, string, bool) {
	i := 0
	v := int64(0)
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	j := i
	for i < len(s) && isDigit(s[i]) {
		v = v*10 + int64(s[i]-'0')
		if v > math.MaxInt32+1 {
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			return 0, s[i:], false
		}
		i++
	}
	if i == j {
		return 0, s, true
	}
	if neg {
		v = -v
	}
	if v > math.MaxInt32 || v < math.MinInt32 {
		return 0, s[i:], false
	}
	return int(v), s[i:], true
}

// parseFractionalSecond is ParseFractionalSecond: s starts with '.'.
func parseFractionalSecond(s string) (int64, dtErr) {
	if s == "." {
		return 0, dtOK
	}
	for i := 1; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, dtBadFormat
		}
	}
	f, err := strconv.ParseFloat("0"+s, 64)
	if err != nil {
		return 0, dtBadFormat
	}
	return int64(math.RoundToEven(f * 1e6)), dtOK
}

// decodeTimezone is DecodeTimezone: "+hh", "-hh:mm[:ss]", "+hhmm". Result east-positive.
func decodeTimezone(s string) (int, dtErr) {
	if s == "" || (s[0] != '+' && s[0] != '-') {
		return 0, dtBadFormat
	}
	hr, cp, ok := strtoint(s[1:])
	if !ok {
		return 0, dtTZDispOverflow
	}
	if len(cp) == len(s)-1 {
		return 0, dtBadFormat
	}
	min, sec := 0, 0
	if cp != "" && cp[0] == ':' {
		if min, cp, ok = strtoint(cp[1:]); !ok {
			return 0, dtTZDispOverflow
		}
		if cp != "" && cp[0] == ':' {
			if sec, cp, ok = strtoint(cp[1:]); !ok {
				return 0, dtTZDispOverflow
			}
		}
	} else if cp == "" && len(s) > 3 {
		min = hr % 100
		hr /= 100
	}
	if hr < 0 || hr > 15 || min < 0 || min >= 60 || sec < 0 || sec >= 60 {
		return 0, dtTZDispOverflow
	}
	tz := (hr*60+min)*60 + sec
	if s[0] == '-' {
		tz = -tz
	}
	if cp != "" {
		return 0, dtBadFormat
	}
	return tz, dtOK
}

// decodeTime is DecodeTime: hh:mm[:ss[.fff]] or mm:ss.fff.
func decodeTime(s string, tm *tmFields, minuteToSecond bool) dtErr {
	var ok bool
	var cp string
	tm.hour, cp, ok = strtoint(s)
	if !ok {
		return dtFieldOverflow
	}
	if cp == "" || cp[0] != ':' {
		return dtBadFormat
	}
	tm.min, cp, ok = strtoint(cp[1:])
	if !ok {
		return dtFieldOverflow
	}
	switch {
	case cp == "":
		tm.sec, tm.fsec = 0, 0
		if minuteToSecond {
			tm.sec, tm.min, tm.hour = tm.min, tm.hour, 0
		}
	case cp[0] == '.':
		f, e := parseFractionalSecond(cp)
		if e != dtOK {
			return e
		}
		tm.fsec = f
		tm.sec, tm.min, tm.hour = tm.min, tm.hour, 0
	case cp[0] == ':':
		tm.sec, cp, ok = strtoint(cp[1:])
		if !ok {
			return dtFieldOverflow
		}
		if cp == "" {
			tm.fsec = 0
		} else if cp[0] == '.' {
			f, e := parseFractionalSecond(cp)
			if e != dtOK {
				return e
			}
			tm.fsec = f
		} else {
			return dtBadFormat
		}
	default:
		return dtBadFormat
	}
	if tm.hour < 0 || tm.min < 0 || tm.min > 59 || tm.sec < 0 || tm.sec > 60 || tm.fsec < 0 || tm.fsec > usecsPerSec {
		return dtFieldOverflow
	}
	return dtOK
}

func timeOverflows(hour, min, sec int, fsec int64) bool {
	if hour < 0 || hour > 24 || min < 0 || min >= 60 || sec < 0 || sec > 60 || fsec < 0 || fsec > usecsPerSec {
		return true
	}
	return ((int64(hour)*60+int64(min))*60+int64(sec))*usecsPerSec+fsec > usecsPerDay
}

// decodeNumberField is DecodeNumberField: run-together yyyymmdd, hhmmss, hhmm,
// optionally with a fraction. Returns dtkDate/dtkTime or an error.
func decodeNumberField(s string, fmask int, tmask *int, tm *tmFields, is2digits *bool) (int, dtErr) {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		frac := s[i:]
		if frac == "." {
			tm.fsec = 0
		} else {
			f, err := strconv.ParseFloat("0"+frac, 64)
			if err != nil {
				return 0, dtBadFormat
			}
			tm.fsec = int64(math.RoundToEven(f * 1e6))
		}
		s = s[:i]
	} else if fmask&mDate != mDate {
		if len(s) >= 6 {
			*tmask = mDate
			tm.mday = atoiPrefix(s[len(s)-2:])
			tm.mon = atoiPrefix(s[len(s)-4 : len(s)-2])
			tm.year = atoiPrefix(s[:len(s)-4])
			if len(s)-4 == 2 {
				*is2digits = true
			}
			return dtkDate, dtOK
		}
	}
	if fmask&mTime != mTime {
		switch len(s) {
		case 6:
			*tmask = mTime
			tm.sec = atoiPrefix(s[4:6])
			tm.min = atoiPrefix(s[2:4])
			tm.hour = atoiPrefix(s[:2])
			return dtkTime, dtOK
		case 4:
			*tmask = mTime
			tm.sec = 0
			tm.min = atoiPrefix(s[2:4])
			tm.hour = atoiPrefix(s[:2])
			return dtkTime, dtOK
		}
	}
	return 0, dtBadFormat
}

func atoiPrefix(s string) int {
	v := 0
	for i := 0; i < len(s) && isDigit(s[i]); i++ {
		v = v*10 + int(s[i]-'0')
		if v > math.MaxInt32 {
			return math.MaxInt32
		}
	}
	return v
}

// decodeNumber is DecodeNumber: one numeric field placed by what we have so far.
func decodeNumber(s string, haveTextMonth bool, fmask int, tmask *int, tm *tmFields, is2digits *bool, order DateOrder) dtErr {
	*tmask = 0
	val, cp, ok := strtoint(s)
	if !ok {
		return dtFieldOverflow
	}
	if len(cp) == len(s) {
		return dtBadFormat
	}
	if cp != "" && cp[0] == '.' {
		if len(s)-len(cp) > 2 {
			if _, e := decodeNumberField(s, fmask|mDate, tmask, tm, is2digits); e != dtOK {
				return e
			}
			return dtOK
		}
		f, e := parseFractionalSecond(cp)
		if e != dtOK {
			return e
		}
		tm.fsec = f
	} else if cp != "" {
		return dtBadFormat
	}
	flen := len(s)
	if flen == 3 && fmask&mDate == mYear && val >= 1 && val <= 366 {
		*tmask = mDOY | mMonth | mDay
		tm.yday = val
		return dtOK
	}
	switch fmask & mDate {
	case 0:
		switch {
		case flen >= 3 || order == DateOrderYMD:
			*tmask = mYear
			tm.year = val
		case order == DateOrderDMY:
			*tmask = mDay
			tm.mday = val
		default:
			*tmask = mMonth
			tm.mon = val
		}
	case mYear:
		*tmask = mMonth
		tm.mon = val
	case mMonth:
		if haveTextMonth {
			if flen >= 3 || order == DateOrderYMD {
				*tmask = mYear
				tm.year = val
			} else {
				*tmask = mDay
				tm.mday = val
			}
		} else {
			*tmask = mDay
			tm.mday = val
		}
	case mYear | mMonth:
		if haveTextMonth {
			if flen >= 3 && *is2digits {
				*tmask = mDay
				tm.mday = tm.year
				tm.year = val
				*is2digits = false
			} else {
				*tmask = mDay
				tm.mday = val
			}
		} else {
			*tmask = mDay
			tm.mday = val
		}
	case mDay:
		*tmask = mMonth
		tm.mon = val
	case mMonth | mDay:
		*tmask = mYear
		tm.year = val
	case mDate:
		if _, e := decodeNumberField(s, fmask, tmask, tm, is2digits); e != dtOK {
			return e
		}
		return dtOK
	default:
		return dtBadFormat
	}
	if *tmask == mYear {
		*is2digits = flen <= 2
	}
	return dtOK
}

// decodeDate is DecodeDate: a date field with separators, possibly with a
// textual month.
func decodeDate(s string, fmask int, tmask *int, is2digits *bool, tm *tmFields, order DateOrder) dtErr {
	*tmask = 0
	var parts [25]string
	nf := 0
	isAlnum := func(c byte) bool { return isDigit(c) || ((c|0x20) >= 'a' && (c|0x20) <= 'z') }
	for len(s) > 0 && nf < len(parts) {
		for len(s) > 0 && !isAlnum(s[0]) {
			s = s[1:]
		}
		if s == "" {
			return dtBadFormat
		}
		i := 0
		if isDigit(s[0]) {
			for i < len(s) && isDigit(s[i]) {
				i++
			}
		} else {
			for i < len(s) && isAlnum(s[i]) && !isDigit(s[i]) {
				i++
			}
		}
		parts[nf] = s[:i]
		nf++
		s = s[i:]
		if len(s) > 0 {
			s = s[1:]
		}
	}
	haveTextMonth := false
	done := [25]bool{}
	for i := 0; i < nf; i++ {
		if !isDigit(parts[i][0]) {
			tok, ok := dateTokens[lowerASCII(parts[i])]
			if !ok {
				return dtBadFormat
			}
			if tok.kind == tokIgnore {
				done[i] = true
				continue
			}
			if tok.kind != tokMonth {
				return dtBadFormat
			}
			tm.mon = tok.val
			haveTextMonth = true
			if fmask&mMonth != 0 {
				return dtBadFormat
			}
			fmask |= mMonth
			*tmask |= mMonth
			done[i] = true
		}
	}
	for i := 0; i < nf; i++ {
		if done[i] {
			continue
		}
		var dmask int
		if e := decodeNumber(parts[i], haveTextMonth, fmask, &dmask, tm, is2digits, order); e != dtOK {
			return e
		}
		if fmask&dmask != 0 {
			return dtBadFormat
		}
		fmask |= dmask
		*tmask |= dmask
	}
	if fmask&^(mDOY|mTZ) != mDate {
		return dtBadFormat
	}
	return dtOK
}

// validateDate is ValidateDate.
func validateDate(fmask int, is2digits, bc bool, tm *tmFields) dtErr {
	if fmask&mYear == 0 {
		// no year: nothing to adjust
	} else if bc {
		if tm.year <= 0 {
			return dtFieldOverflow
		}
		tm.year = -(tm.year - 1)
	} else if is2digits {
		if tm.year < 0 {
			return dtFieldOverflow
		}
		if tm.year < 70 {
			tm.year += 2000
		} else if tm.year < 100 {
			tm.year += 1900
		}
	} else if tm.year <= 0 {
		return dtFieldOverflow
	}
	if fmask&mDOY != 0 {
		tm.year, tm.mon, tm.mday = j2date(date2j(tm.year, 1, 1) + tm.yday - 1)
	}
	if fmask&mMonth != 0 && (tm.mon < 1 || tm.mon > 12) {
		return dtMDFieldOverflow
	}
	if fmask&mDay != 0 && (tm.mday < 1 || tm.mday > 31) {
		return dtMDFieldOverflow
	}
	if fmask&mDate == mDate && tm.mday > monthDays(tm.year, tm.mon) {
		return dtFieldOverflow
	}
	return dtOK
}

// dtCtx carries what DecodeDateTime needs from the session.
type dtCtx struct {
	order   DateOrder
	loc     *time.Location
	set     *Settings // for 'now' and friends
	wantTZ  bool      // a zone is meaningful (timestamptz); others parse and ignore it
	badZone string
}

// setCurrent fills tm with the current date/time in the session zone.
func (c *dtCtx) current(tm *tmFields) {
	ts := c.set.now()
	local, off, _ := timestampTZToLocal(ts, c.loc)
	f := splitTimestamp(local)
	tm.year, tm.mon, tm.mday = f.year, f.month, f.day
	tm.hour, tm.min, tm.sec, tm.fsec = f.hour, f.minute, f.sec, f.usec
	tm.tz, tm.hasTZ = off, true
}

// decodeDateTime is DecodeDateTime.
func decodeDateTime(fields []dtField, tm *tmFields, c *dtCtx) (int, dtErr) {
	dtype := dtypeDate
	fmask, tmask := 0, 0
	ptype := 0
	haveTextMonth, is2digits, bc := false, false, false
	mer := 2 // HR24
	*tm = tmFields{}
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		tmask = 0
		switch f.t {
		case dtkDate:
			if ptype != 0 || fmask&(mMonth|mDay) == mMonth|mDay {
				if isDigit(f.s[0]) || ptype != 0 {
					ptype = 0
					if fmask&mTime == mTime {
						return 0, dtBadFormat
					}
					j := strings.IndexByte(f.s, '-')
					if j < 0 {
						return 0, dtBadFormat
					}
					tz, e := decodeTimezone(f.s[j:])
					if e != dtOK {
						return 0, e
					}
					tm.tz, tm.hasTZ = tz, true
					if _, e := decodeNumberField(f.s[:j], fmask, &tmask, tm, &is2digits); e != dtOK {
						return 0, e
					}
					tmask |= mTZ
				} else {
					_, loc, ok := zoneForInput(f.s)
					if !ok || loc == nil {
						c.badZone = f.s
						return 0, dtBadZone
					}
					tm.namedTZ = loc
					tmask = mTZ
				}
			} else if e := decodeDate(f.s, fmask, &tmask, &is2digits, tm, c.order); e != dtOK {
				return 0, e
			}
		case dtkTime:
			if ptype != 0 {
				ptype = 0
			}
			if e := decodeTime(f.s, tm, false); e != dtOK {
				return 0, e
			}
			tmask = mTime
			if timeOverflows(tm.hour, tm.min, tm.sec, tm.fsec) {
				return 0, dtFieldOverflow
			}
		case dtkTZ:
			tz, e := decodeTimezone(f.s)
			if e != dtOK {
				return 0, e
			}
			tm.tz, tm.hasTZ = tz, true
			tmask = mTZ
		case dtkNumber:
			if ptype != 0 {
				// Only the ISO "T" marker is supported: T followed by hhmmss[.fff].
				ptype = 0
				if _, e := decodeNumberField(f.s, fmask|mDate, &tmask, tm, &is2digits); e != dtOK {
					return 0, e
				}
				break
			}
			flen := len(f.s)
			dot := strings.IndexByte(f.s, '.')
			switch {
			case dot >= 0 && fmask&mDate == 0:
				if e := decodeDate(f.s, fmask, &tmask, &is2digits, tm, c.order); e != dtOK {
					return 0, e
				}
			case dot >= 0 && dot > 2:
				if _, e := decodeNumberField(f.s, fmask, &tmask, tm, &is2digits); e != dtOK {
					return 0, e
				}
			case flen >= 6 && (fmask&mDate == 0 || fmask&mTime == 0):
				if _, e := decodeNumberField(f.s, fmask, &tmask, tm, &is2digits); e != dtOK {
					return 0, e
				}
			default:
				if e := decodeNumber(f.s, haveTextMonth, fmask, &tmask, tm, &is2digits, c.order); e != dtOK {
					return 0, e
				}
			}
		case dtkString, dtkSpecial:
			if a, ok := zoneAbbrevs[f.s]; ok {
				tm.tz, tm.hasTZ = int(a.offset), true
				if a.dst {
					tmask = mDTZ
				} else {
					tmask = mTZ
				}
				// TZ and DTZ share the zone slot.
				if fmask&(mTZ|mDTZ) != 0 {
					return 0, dtBadFormat
				}
				break
			}
			tok, ok := dateTokens[f.s]
			if !ok {
				_, loc, ok := zoneForInput(f.s)
				if !ok || loc == nil {
					return 0, dtBadFormat
				}
				tm.namedTZ = loc
				tmask = mTZ
				break
			}
			switch tok.kind {
			case tokIgnore:
				continue
			case tokReserv:
				tmask = mReserv
				switch tok.val {
				case rsvNow:
					tmask = mDate | mTime | mTZ
					c.current(tm)
				case rsvYesterday, rsvToday, rsvTomorrow:
					tmask = mDate
					var cur tmFields
					c.current(&cur)
					delta := map[int]int{rsvYesterday: -1, rsvToday: 0, rsvTomorrow: 1}[tok.val]
					tm.year, tm.mon, tm.mday = j2date(date2j(cur.year, cur.mon, cur.mday) + delta)
				case rsvZulu:
					tmask = mTime | mTZ
					tm.hour, tm.min, tm.sec, tm.fsec = 0, 0, 0, 0
					tm.tz, tm.hasTZ = 0, true
				case rsvEpoch, rsvLate, rsvEarly:
					tmask = mReserv
					dtype = map[int]int{rsvEpoch: dtypeEpoch, rsvLate: dtypeLate, rsvEarly: dtypeEarly}[tok.val]
				}
			case tokMonth:
				tmask = mMonth
				if fmask&mMonth != 0 && !haveTextMonth && fmask&mDay == 0 && tm.mon >= 1 && tm.mon <= 31 {
					tm.mday = tm.mon
					tmask = mDay
				}
				haveTextMonth = true
				tm.mon = tok.val
			case tokAMPM:
				tmask = mAMPM
				mer = tok.val
			case tokADBC:
				tmask = mADBC
				bc = tok.val == 1
			case tokDOW:
				tmask = mDOW
			case tokISOTime:
				if fmask&mDate != mDate {
					return 0, dtBadFormat
				}
				if i >= len(fields)-1 || (fields[i+1].t != dtkNumber && fields[i+1].t != dtkTime && fields[i+1].t != dtkDate) {
					return 0, dtBadFormat
				}
				ptype = 1
			default:
				return 0, dtBadFormat
			}
		default:
			return 0, dtBadFormat
		}
		if tmask&fmask != 0 {
			return 0, dtBadFormat
		}
		fmask |= tmask
	}
	if e := validateDate(fmask, is2digits, bc, tm); e != dtOK {
		return 0, e
	}
	if mer != 2 && tm.hour > 12 {
		return 0, dtFieldOverflow
	}
	if mer == 0 && tm.hour == 12 {
		tm.hour = 0
	} else if mer == 1 && tm.hour != 12 {
		tm.hour += 12
	}
	if dtype == dtypeDate {
		if fmask&mDate != mDate {
			return 0, dtBadFormat
		}
		if tm.namedTZ != nil {
			local := localSecs(tm)
			tm.tz, tm.hasTZ = localToUTCOffset(local, tm.namedTZ), true
		}
		if !tm.hasTZ && c.wantTZ {
			tm.tz, tm.hasTZ = localToUTCOffset(localSecs(tm), c.loc), true
		}
	}
	return dtype, dtOK
}

// localSecs is the wall-clock seconds since 2000-01-01 of tm's fields.
func localSecs(tm *tmFields) int64 {
	return (int64(date2j(tm.year, tm.mon, tm.mday)-postgresEpochJDate)*24+int64(tm.hour))*3600 +
		int64(tm.min)*60 + int64(tm.sec)
}

// decodeTimeOnly is DecodeTimeOnly (for time input).
func decodeTimeOnly(fields []dtField, tm *tmFields, c *dtCtx) dtErr {
	fmask, tmask := 0, 0
	ptype := 0
	is2digits, bc := false, false
	mer := 2
	*tm = tmFields{}
	nf := len(fields)
	for i := 0; i < nf; i++ {
		f := fields[i]
		tmask = 0
		switch f.t {
		case dtkDate:
			if i == 0 && nf >= 2 && (fields[nf-1].t == dtkDate || fields[1].t == dtkTime) {
				if e := decodeDate(f.s, fmask, &tmask, &is2digits, tm, c.order); e != dtOK {
					return e
				}
			} else if isDigit(f.s[0]) {
				if fmask&mTime == mTime {
					return dtBadFormat
				}
				j := strings.IndexByte(f.s, '-')
				if j < 0 {
					return dtBadFormat
				}
				tz, e := decodeTimezone(f.s[j:])
				if e != dtOK {
					return e
				}
				tm.tz, tm.hasTZ = tz, true
				if _, e := decodeNumberField(f.s[:j], fmask|mDate, &tmask, tm, &is2digits); e != dtOK {
					return e
				}
				tmask |= mTZ
			} else {
				_, loc, ok := zoneForInput(f.s)
				if !ok || loc == nil {
					c.badZone = f.s
					return dtBadZone
				}
				tm.namedTZ = loc
				tmask = mTZ
			}
		case dtkTime:
			if e := decodeTime(f.s, tm, false); e != dtOK {
				return e
			}
			tmask = mTime
		case dtkTZ:
			tz, e := decodeTimezone(f.s)
			if e != dtOK {
				return e
			}
			tm.tz, tm.hasTZ = tz, true
			tmask = mTZ
		case dtkNumber:
			if ptype != 0 {
				ptype = 0
				if _, e := decodeNumberField(f.s, fmask|mDate, &tmask, tm, &is2digits); e != dtOK {
					return e
				}
				break
			}
			flen := len(f.s)
			dot := strings.IndexByte(f.s, '.')
			switch {
			case dot >= 0:
				if i == 0 && nf >= 2 && fields[nf-1].t == dtkDate {
					if e := decodeDate(f.s, fmask, &tmask, &is2digits, tm, c.order); e != dtOK {
						return e
					}
				} else if dot > 2 {
					if _, e := decodeNumberField(f.s, fmask|mDate, &tmask, tm, &is2digits); e != dtOK {
						return e
					}
				} else {
					return dtBadFormat
				}
			case flen > 4:
				if _, e := decodeNumberField(f.s, fmask|mDate, &tmask, tm, &is2digits); e != dtOK {
					return e
				}
			default:
				if e := decodeNumber(f.s, false, fmask|mDate, &tmask, tm, &is2digits, c.order); e != dtOK {
					return e
				}
			}
		case dtkString, dtkSpecial:
			if a, ok := zoneAbbrevs[f.s]; ok {
				tm.tz, tm.hasTZ = int(a.offset), true
				tmask = mTZ
				if a.dst {
					tmask = mDTZ
				}
				if fmask&(mTZ|mDTZ) != 0 {
					return dtBadFormat
				}
				break
			}
			tok, ok := dateTokens[f.s]
			if !ok {
				_, loc, ok := zoneForInput(f.s)
				if !ok || loc == nil {
					return dtBadFormat
				}
				tm.namedTZ = loc
				tmask = mTZ
				break
			}
			switch tok.kind {
			case tokIgnore:
				continue
			case tokReserv:
				switch tok.val {
				case rsvNow:
					tmask = mTime
					c.current(tm)
				case rsvZulu:
					tmask = mTime | mTZ
					tm.hour, tm.min, tm.sec, tm.fsec = 0, 0, 0, 0
				default:
					return dtBadFormat
				}
			case tokAMPM:
				tmask = mAMPM
				mer = tok.val
			case tokADBC:
				tmask = mADBC
				bc = tok.val == 1
			case tokISOTime:
				if i >= nf-1 || (fields[i+1].t != dtkNumber && fields[i+1].t != dtkTime && fields[i+1].t != dtkDate) {
					return dtBadFormat
				}
				ptype = 1
			case tokMonth, tokDOW:
				return dtBadFormat
			default:
				return dtBadFormat
			}
		default:
			return dtBadFormat
		}
		if tmask&fmask != 0 {
			return dtBadFormat
		}
		fmask |= tmask
	}
	if e := validateDate(fmask, is2digits, bc, tm); e != dtOK {
		return e
	}
	if mer != 2 && tm.hour > 12 {
		return dtFieldOverflow
	}
	if mer == 0 && tm.hour == 12 {
		tm.hour = 0
	} else if mer == 1 && tm.hour != 12 {
		tm.hour += 12
	}
	if timeOverflows(tm.hour, tm.min, tm.sec, tm.fsec) {
		return dtFieldOverflow
	}
	if fmask&mTime != mTime {
		return dtBadFormat
	}
	// A named zone whose offset ever changes needs a date to resolve it
	// ('12:00 America/New_York'::time is 22007); a fixed one does not.
	if tm.namedTZ != nil && fmask&mDate != mDate && !fixedZone(tm.namedTZ) {
		return dtBadFormat
	}
	return dtOK
}

// fixedZone reports whether loc has a single offset for all time
// (pg_get_timezone_offset): no transition before or after any instant.
func fixedZone(loc *time.Location) bool {
	start, end := time.Unix(0, 0).In(loc).ZoneBounds()
	return start.IsZero() && end.IsZero()
}

// dateTimeParseError is DateTimeParseError.
func dateTimeParseError(e dtErr, s, typ string, c *dtCtx) error {
	switch e {
	case dtFieldOverflow:
		return pgerror.New(pgerror.DatetimeFieldOverflow, `date/time field value out of range: "%s"`, s)
	case dtMDFieldOverflow:
		return pgerror.New(pgerror.DatetimeFieldOverflow, `date/time field value out of range: "%s"`, s).
			WithHint(`Perhaps you need a different "datestyle" setting.`)
	case dtIntervalOverflow:
		return pgerror.New(pgerror.IntervalFieldOverflow, `interval field value out of range: "%s"`, s)
	case dtTZDispOverflow:
		return pgerror.New(pgerror.InvalidTimeZoneDisplacement, `time zone displacement out of range: "%s"`, s)
	case dtBadZone:
		return pgerror.New(pgerror.InvalidParameterValue, `time zone "%s" not recognized`, c.badZone)
	}
	return pgerror.New(pgerror.InvalidDatetimeFormat, `invalid input syntax for type %s: "%s"`, typ, s)
}

func newDTCtx(set *Settings, wantTZ bool) dtCtx {
	c := dtCtx{loc: set.location(), wantTZ: wantTZ, set: set}
	if set != nil {
		c.order = set.DateOrder
	}
	return c
}

// decodeDateTimeText splits and decodes a date/timestamp input into tm
// (ParseDateTime + DecodeDateTime), with typ's error on failure.
func decodeDateTimeText(s, typ string, withTZ bool, set *Settings, tm *tmFields) (int, error) {
	c := newDTCtx(set, withTZ)
	var buf [8]dtField
	fields, e := parseDateTimeFields(s, buf[:])
	dtype := 0
	if e == dtOK {
		dtype, e = decodeDateTime(fields, tm, &c)
	}
	if e != dtOK {
		return 0, dateTimeParseError(e, s, typ, &c)
	}
	return dtype, nil
}

// parseTimestampText is timestamp_in / timestamptz_in (withTZ).
func parseTimestampText(s string, typmod int32, withTZ bool, set *Settings) (int64, error) {
	typ := "timestamp"
	if withTZ {
		typ = "timestamp with time zone"
	}
	var tm tmFields
	dtype, err := decodeDateTimeText(s, typ, withTZ, set, &tm)
	if err != nil {
		return 0, err
	}
	var r int64
	switch dtype {
	case dtypeEpoch:
		r = -pgEpochUnixSecs * usecsPerSec
	case dtypeLate:
		return TimestampInfinity, nil
	case dtypeEarly:
		return TimestampNegInfinity, nil
	default:
		var ok bool
		r, ok = makeTimestamp(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, tm.fsec)
		if ok && withTZ {
			r -= int64(tm.tz) * usecsPerSec
			ok = validTimestamp(r)
		}
		if !ok {
			return 0, pgerror.New(pgerror.DatetimeFieldOverflow, `timestamp out of range: "%s"`, s)
		}
	}
	return adjustTimestampTypmod(r, typmod, s)
}

var timestampScales = [7]int64{1000000, 100000, 10000, 1000, 100, 10, 1}

// adjustTimestampTypmod is AdjustTimestampForTypmod: round half away from zero.
func adjustTimestampTypmod(ts int64, typmod int32, s string) (int64, error) {
	if typmod < 0 || typmod > 6 || ts == TimestampInfinity || ts == TimestampNegInfinity {
		return ts, nil
	}
	sc := timestampScales[typmod]
	off := sc / 2
	if ts >= 0 {
		ts = ((ts + off) / sc) * sc
	} else {
		ts = -(((-ts + off) / sc) * sc)
	}
	if !validTimestamp(ts) {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
	}
	return ts, nil
}

// parseDateText is date_in.
func parseDateText(s string, set *Settings) (int64, error) {
	var tm tmFields
	dtype, err := decodeDateTimeText(s, "date", false, set, &tm)
	if err != nil {
		return 0, err
	}
	switch dtype {
	case dtypeEpoch:
		tm.year, tm.mon, tm.mday = 1970, 1, 1
	case dtypeLate:
		return DateInfinity, nil
	case dtypeEarly:
		return DateNegInfinity, nil
	}
	if !isValidJulian(tm.year, tm.mon, tm.mday) {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, `date out of range: "%s"`, s)
	}
	d := dateFromYMD(tm.year, tm.mon, tm.mday)
	if !validDate(d) {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, `date out of range: "%s"`, s)
	}
	return d, nil
}

// parseTimeText is time_in.
func parseTimeText(s string, typmod int32, set *Settings) (int64, error) {
	c := newDTCtx(set, false)
	var buf [8]dtField
	fields, e := parseDateTimeFields(s, buf[:])
	var tm tmFields
	if e == dtOK {
		e = decodeTimeOnly(fields, &tm, &c)
	}
	if e != dtOK {
		return 0, dateTimeParseError(e, s, "time", &c)
	}
	t := ((int64(tm.hour)*60+int64(tm.min))*60+int64(tm.sec))*usecsPerSec + tm.fsec
	return adjustTimeTypmod(t, typmod), nil
}

func adjustTimeTypmod(t int64, typmod int32) int64 {
	if typmod < 0 || typmod > 6 {
		return t
	}
	sc := timestampScales[typmod]
	return ((t + sc/2) / sc) * sc
}
