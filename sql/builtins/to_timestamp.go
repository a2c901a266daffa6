package builtins

import (
	"math"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// to_date(text, text) and to_timestamp(text, text), after PostgreSQL 15's
// formatting.c (DCH_from_char and do_to_timestamp), in the default
// (non-FX, non-standard) mode with the C locale.

type dateMode uint8

const (
	modeNone dateMode = iota
	modeGregorian
	modeISOWeek
)

// dchDigit and dchMode are the is_digit and date_mode columns of DCH_keywords.
func dchDigit(id dchID) bool {
	switch id {
	case dchCC, dchDDD, dchDD, dchD, dchFF1, dchFF2, dchFF3, dchFF4, dchFF5, dchFF6, dchHH24, dchHH12, dchHH,
		dchIDDD, dchIDc, dchIW, dchIYYY, dchIYY, dchIY, dchI, dchJ, dchMI, dchMM, dchMS, dchQ, dchSSSS, dchSS,
		dchTZM, dchUS, dchWW, dchW, dchYYYY_, dchYYYY, dchYYY, dchYY, dchY:
		return true
	}
	return false
}

func dchMode(id dchID) dateMode {
	switch id {
	case dchDDD, dchDD, dchD, dchMM, dchMONTH, dchMON, dchMonth, dchMon, dchmonth, dchmon, dchRM, dchrm, dchWW, dchW,
		dchYYYY_, dchYYYY, dchYYY, dchYY, dchY:
		return modeGregorian
	case dchIDDD, dchIDc, dchIW, dchIYYY, dchIYY, dchIY, dchI:
		return modeISOWeek
	}
	return modeNone
}

// tmFromChar is TmFromChar.
type tmFromChar struct {
	mode                                                      dateMode
	hh, pm, mi, ss, ssss, d, dd, ddd, mm, ms, year, bc, ww, w int
	cc, j, us, yysz, tzsign, tzh, tzm, ff                     int
	clock12                                                   bool
}

func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// isSeparatorChar is is_separator_char: printable ASCII, not a letter or digit.
func isSeparatorChar(c byte) bool {
	return c > 0x20 && c < 0x7f && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')
}

type fromCharParser struct {
	nodes []fmtNode
	s     string
	pos   int
	out   tmFromChar
}

func errDatetimeFormat(format string, args ...any) *pgerror.Error {
	return pgerror.New(pgerror.InvalidDatetimeFormat, format, args...)
}

// nextIsSeparator is is_next_separator.
func (p *fromCharParser) nextIsSeparator(i int) bool {
	n := &p.nodes[i]
	if n.key != nil && n.suffix&(sufTH|sufth) != 0 {
		return true
	}
	if i+1 >= len(p.nodes) {
		return true
	}
	nx := &p.nodes[i+1]
	if nx.key != nil {
		return !dchDigit(dchID(nx.key.id))
	}
	return !(len(nx.text) == 1 && nx.text[0] >= '0' && nx.text[0] <= '9')
}

// strtol parses like C's strtol from s[i:], returning the value, the end
// index (i when nothing was parsed) and whether it overflowed a long.
func strtol(s string, i int) (int64, int, bool) {
	j := i
	for j < len(s) && isCSpace(s[j]) {
		j++
	}
	neg := false
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		neg = s[j] == '-'
		j++
	}
	start := j
	var v int64
	ovf := false
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		d := int64(s[j] - '0')
		if v > (math.MaxInt64-d)/10 {
			ovf = true
		} else {
			v = v*10 + d
		}
		j++
	}
	if j == start {
		return 0, i, false
	}
	if neg {
		v = -v
	}
	return v, j, ovf
}

func (p *fromCharParser) setInt(dest *int, v int, n *fmtNode) error {
	if *dest != 0 && *dest != v {
		return errDatetimeFormat("conflicting values for \"%s\" field in formatting string", n.key.name).
			WithDetail("This value contradicts a previous setting for the same field type.")
	}
	*dest = v
	return nil
}

// parseIntLen is from_char_parse_int_len; dest may be nil.
func (p *fromCharParser) parseIntLen(dest *int, length int, i int) (int, error) {
	n := &p.nodes[i]
	init := p.pos
	for p.pos < len(p.s) && isCSpace(p.s[p.pos]) {
		p.pos++
	}
	rest := p.s[p.pos:]
	cp := rest
	if len(cp) > length {
		cp = cp[:length]
	}
	var result int64
	var ovf bool
	if n.suffix&sufFM != 0 || p.nextIsSeparator(i) {
		var end int
		result, end, ovf = strtol(p.s, init)
		p.pos = end
	} else {
		if len(rest) < length {
			return 0, errDatetimeFormat("source string too short for \"%s\" formatting field", n.key.name).
				WithDetail("Field requires %d characters, but only %d remain.", length, len(rest)).
				WithHint("If your source string is not fixed-width, try using the \"FM\" modifier.")
		}
		var end int
		result, end, ovf = strtol(cp, 0)
		if end > 0 && end < length {
			return 0, errDatetimeFormat("invalid value \"%s\" for \"%s\"", cp, n.key.name).
				WithDetail("Field requires %d characters, but only %d could be parsed.", length, end).
				WithHint("If your source string is not fixed-width, try using the \"FM\" modifier.")
		}
		p.pos += end
	}
	if p.pos == init {
		return 0, errDatetimeFormat("invalid value \"%s\" for \"%s\"", cp, n.key.name).WithDetail("Value must be an integer.")
	}
	if ovf || result < math.MinInt32 || result > math.MaxInt32 {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "value for \"%s\" in source string is out of range", n.key.name).
			WithDetail("Value must be in the range %d to %d.", math.MinInt32, math.MaxInt32)
	}
	if dest != nil {
		if err := p.setInt(dest, int(result), n); err != nil {
			return 0, err
		}
	}
	return p.pos - init, nil
}

func (p *fromCharParser) parseInt(dest *int, i int) (int, error) {
	return p.parseIntLen(dest, len(p.nodes[i].key.name), i)
}

// seqSearchASCII is from_char_seq_search over an English word list.
func (p *fromCharParser) seqSearch(list []string, i int) (int, error) {
	rest := p.s[p.pos:]
	for idx, w := range list {
		if len(rest) >= len(w) && strings.EqualFold(rest[:len(w)], w) {
			p.pos += len(w)
			return idx, nil
		}
	}
	cp := rest
	if j := strings.IndexAny(cp, " \t\n\r\f\v"); j >= 0 {
		cp = cp[:j]
	}
	return 0, errDatetimeFormat("invalid value \"%s\" for \"%s\"", cp, p.nodes[i].key.name).
		WithDetail("The given value did not match any of the allowed values for this field.")
}

func (p *fromCharParser) skipTH(n *fmtNode) {
	if n.suffix&(sufTH|sufth) != 0 {
		for k := 0; k < 2 && p.pos < len(p.s); k++ {
			p.pos += charLen(p.s[p.pos:])
		}
	}
}

func adjustPartialYear(y int) int {
	switch {
	case y < 70:
		return y + 2000
	case y < 100:
		return y + 1900
	case y < 520:
		return y + 2000
	case y < 1000:
		return y + 1000
	}
	return y
}

var (
	ampmShort  = []string{"am", "pm", "AM", "PM"}
	ampmLong   = []string{"a.m.", "p.m.", "A.M.", "P.M."}
	adbcShort  = []string{"ad", "bc", "AD", "BC"}
	adbcLong   = []string{"a.d.", "b.c.", "A.D.", "B.C."}
	rmLowerSeq = rmMonthsLower[:]
)

// fromChar is DCH_from_char.
func (p *fromCharParser) fromChar() error {
	fx := false
	extraSkip := 0
	out := &p.out
	for i := 0; i < len(p.nodes) && p.pos < len(p.s); i++ {
		n := &p.nodes[i]
		if !fx && (n.key == nil || dchID(n.key.id) != dchFX) && (n.key != nil || i == 0) {
			for p.pos < len(p.s) && isCSpace(p.s[p.pos]) {
				p.pos++
				extraSkip++
			}
		}
		if n.key == nil {
			sepOrSpace := !n.quoted && len(n.text) == 1 && (isSeparatorChar(n.text[0]) || isCSpace(n.text[0]))
			if sepOrSpace {
				if !fx {
					extraSkip--
					if p.pos < len(p.s) && (isCSpace(p.s[p.pos]) || isSeparatorChar(p.s[p.pos])) {
						p.pos++
						extraSkip++
					}
				} else {
					p.pos += charLen(p.s[p.pos:])
				}
				continue
			}
			if !fx {
				if extraSkip > 0 {
					extraSkip--
				} else {
					p.pos += charLen(p.s[p.pos:])
				}
			} else {
				p.pos += charLen(p.s[p.pos:])
			}
			continue
		}
		id := dchID(n.key.id)
		if m := dchMode(id); m != modeNone {
			if out.mode == modeNone {
				out.mode = m
			} else if out.mode != m {
				return errDatetimeFormat("invalid combination of date conventions").
					WithHint("Do not mix Gregorian and ISO week date conventions in a formatting template.")
			}
		}
		var err error
		var v int
		switch id {
		case dchFX:
			fx = true
		case dchAM_, dchPM_, dcham_, dchpm_, dchAM, dchPM, dcham, dchpm:
			list := ampmShort
			if id == dchAM_ || id == dchPM_ || id == dcham_ || id == dchpm_ {
				list = ampmLong
			}
			if v, err = p.seqSearch(list, i); err == nil {
				err = p.setInt(&out.pm, v%2, n)
				out.clock12 = true
			}
		case dchHH, dchHH12:
			if _, err = p.parseIntLen(&out.hh, 2, i); err == nil {
				out.clock12 = true
				p.skipTH(n)
			}
		case dchHH24:
			if _, err = p.parseIntLen(&out.hh, 2, i); err == nil {
				p.skipTH(n)
			}
		case dchMI:
			if _, err = p.parseInt(&out.mi, i); err == nil {
				p.skipTH(n)
			}
		case dchSS:
			if _, err = p.parseInt(&out.ss, i); err == nil {
				p.skipTH(n)
			}
		case dchMS:
			var l int
			if l, err = p.parseIntLen(&out.ms, 3, i); err == nil {
				if l == 1 {
					out.ms *= 100
				} else if l == 2 {
					out.ms *= 10
				}
				p.skipTH(n)
			}
		case dchFF1, dchFF2, dchFF3, dchFF4, dchFF5, dchFF6, dchUS:
			length := 6
			if id != dchUS {
				out.ff = int(id-dchFF1) + 1
				length = out.ff
			}
			var l int
			if l, err = p.parseIntLen(&out.us, length, i); err == nil {
				for ; l < 6; l++ {
					out.us *= 10
				}
				p.skipTH(n)
			}
		case dchSSSS:
			if _, err = p.parseInt(&out.ssss, i); err == nil {
				p.skipTH(n)
			}
		case dchtz, dchTZ, dchOF:
			return pgerror.New(pgerror.FeatureNotSupported, "formatting field \"%s\" is only supported in to_char", n.key.name)
		case dchTZH:
			if p.pos < len(p.s) && (p.s[p.pos] == '+' || p.s[p.pos] == '-' || p.s[p.pos] == ' ') {
				out.tzsign = 1
				if p.s[p.pos] == '-' {
					out.tzsign = -1
				}
				p.pos++
			} else if extraSkip > 0 && p.pos > 0 && p.s[p.pos-1] == '-' {
				out.tzsign = -1
			} else {
				out.tzsign = 1
			}
			_, err = p.parseIntLen(&out.tzh, 2, i)
		case dchTZM:
			if out.tzsign == 0 {
				out.tzsign = 1
			}
			_, err = p.parseIntLen(&out.tzm, 2, i)
		case dchAD_, dchBC_, dchad_, dchbc_, dchAD, dchBC, dchad, dchbc:
			list := adbcShort
			if id == dchAD_ || id == dchBC_ || id == dchad_ || id == dchbc_ {
				list = adbcLong
			}
			if v, err = p.seqSearch(list, i); err == nil {
				err = p.setInt(&out.bc, v%2, n)
			}
		case dchMONTH, dchMonth, dchmonth:
			if v, err = p.seqSearch(monthsFull[:], i); err == nil {
				err = p.setInt(&out.mm, v+1, n)
			}
		case dchMON, dchMon, dchmon:
			if v, err = p.seqSearch(monthsAbbrev[:], i); err == nil {
				err = p.setInt(&out.mm, v+1, n)
			}
		case dchMM:
			if _, err = p.parseInt(&out.mm, i); err == nil {
				p.skipTH(n)
			}
		case dchDAY, dchDay, dchday:
			if v, err = p.seqSearch(daysFull[:], i); err == nil {
				if err = p.setInt(&out.d, v, n); err == nil {
					out.d++
				}
			}
		case dchDY, dchDy, dchdy:
			if v, err = p.seqSearch(daysAbbrev[:], i); err == nil {
				if err = p.setInt(&out.d, v, n); err == nil {
					out.d++
				}
			}
		case dchDDD:
			if _, err = p.parseInt(&out.ddd, i); err == nil {
				p.skipTH(n)
			}
		case dchIDDD:
			if _, err = p.parseIntLen(&out.ddd, 3, i); err == nil {
				p.skipTH(n)
			}
		case dchDD:
			if _, err = p.parseInt(&out.dd, i); err == nil {
				p.skipTH(n)
			}
		case dchD:
			if _, err = p.parseInt(&out.d, i); err == nil {
				p.skipTH(n)
			}
		case dchIDc:
			if _, err = p.parseIntLen(&out.d, 1, i); err == nil {
				if out.d++; out.d > 7 {
					out.d = 1
				}
				p.skipTH(n)
			}
		case dchWW, dchIW:
			if _, err = p.parseInt(&out.ww, i); err == nil {
				p.skipTH(n)
			}
		case dchQ:
			if _, err = p.parseInt(nil, i); err == nil {
				p.skipTH(n)
			}
		case dchCC:
			if _, err = p.parseInt(&out.cc, i); err == nil {
				p.skipTH(n)
			}
		case dchYYYY_:
			err = p.parseYComma(i)
		case dchYYYY, dchIYYY:
			if _, err = p.parseInt(&out.year, i); err == nil {
				out.yysz = 4
				p.skipTH(n)
			}
		case dchYYY, dchIYY, dchYY, dchIY, dchY, dchI:
			var l int
			if l, err = p.parseInt(&out.year, i); err == nil {
				if l < 4 {
					out.year = adjustPartialYear(out.year)
				}
				switch id {
				case dchYYY, dchIYY:
					out.yysz = 3
				case dchYY, dchIY:
					out.yysz = 2
				default:
					out.yysz = 1
				}
				p.skipTH(n)
			}
		case dchRM, dchrm:
			if v, err = p.seqSearch(rmLowerSeq, i); err == nil {
				err = p.setInt(&out.mm, 12-v, n)
			}
		case dchW:
			if _, err = p.parseInt(&out.w, i); err == nil {
				p.skipTH(n)
			}
		case dchJ:
			if _, err = p.parseInt(&out.j, i); err == nil {
				p.skipTH(n)
			}
		}
		if err != nil {
			return err
		}
		if !fx {
			extraSkip = 0
			for p.pos < len(p.s) && isCSpace(p.s[p.pos]) {
				p.pos++
				extraSkip++
			}
		}
	}
	return nil
}

// parseYComma reads "Y,YYY" (sscanf "%d,%03d").
func (p *fromCharParser) parseYComma(i int) error {
	bad := func() error { return errDatetimeFormat("invalid input string for \"Y,YYY\"") }
	mil, end, _ := strtol(p.s, p.pos)
	if end == p.pos || end >= len(p.s) || p.s[end] != ',' {
		return bad()
	}
	j := end + 1
	for j < len(p.s) && isCSpace(p.s[j]) {
		j++
	}
	yrs, end2, _ := strtol(p.s[:minInt(len(p.s), j+3)], j)
	if end2 == j {
		return bad()
	}
	y := mil*1000 + yrs
	if y > math.MaxInt32 || y < math.MinInt32 {
		return pgerror.New(pgerror.DatetimeFieldOverflow, "value for \"Y,YYY\" in source string is out of range")
	}
	if err := p.setInt(&p.out.year, int(y), &p.nodes[i]); err != nil {
		return err
	}
	p.out.yysz = 4
	p.pos = end2
	p.skipTH(&p.nodes[i])
	return nil
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// tsResult is what do_to_timestamp produces.
type tsResult struct {
	f      types.TimestampFields
	hasTZ  bool
	offset int // seconds east
	fprec  int
}

func errFieldOverflow(s string) error {
	return pgerror.New(pgerror.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
}

// doToTimestamp is do_to_timestamp.
func doToTimestamp(input, format string) (tsResult, error) {
	var r tsResult
	tm := types.TimestampFields{Month: 1, Day: 1}
	p := fromCharParser{s: input}
	if format != "" {
		p.nodes = dchFormat(format)
		if err := p.fromChar(); err != nil {
			return r, err
		}
	}
	f := &p.out
	const (
		mYear = 1 << iota
		mMonth
		mDay
	)
	fmask := 0
	if f.ssss != 0 {
		x := f.ssss
		tm.Hour = x / 3600
		x %= 3600
		tm.Minute = x / 60
		tm.Second = x % 60
	}
	if f.ss != 0 {
		tm.Second = f.ss
	}
	if f.mi != 0 {
		tm.Minute = f.mi
	}
	if f.hh != 0 {
		tm.Hour = f.hh
	}
	if f.clock12 {
		if tm.Hour < 1 || tm.Hour > 12 {
			return r, errDatetimeFormat("hour \"%d\" is invalid for the 12-hour clock", tm.Hour).
				WithHint("Use the 24-hour clock, or give an hour between 1 and 12.")
		}
		if f.pm != 0 && tm.Hour < 12 {
			tm.Hour += 12
		} else if f.pm == 0 && tm.Hour == 12 {
			tm.Hour = 0
		}
	}
	if f.year != 0 {
		if f.cc != 0 && f.yysz <= 2 {
			if f.bc != 0 {
				f.cc = -f.cc
			}
			tm.Year = f.year % 100
			if tm.Year != 0 {
				if f.cc >= 0 {
					tm.Year += (f.cc - 1) * 100
				} else {
					tm.Year = (f.cc+1)*100 - tm.Year + 1
				}
			} else if f.cc >= 0 {
				tm.Year = f.cc * 100
			} else {
				tm.Year = f.cc*100 + 1
			}
		} else {
			tm.Year = f.year
			if f.bc != 0 {
				tm.Year = -tm.Year
			}
			if tm.Year < 0 {
				tm.Year++
			}
		}
		fmask |= mYear
	} else if f.cc != 0 {
		if f.bc != 0 {
			f.cc = -f.cc
		}
		if f.cc >= 0 {
			tm.Year = (f.cc-1)*100 + 1
		} else {
			tm.Year = f.cc*100 + 1
		}
		fmask |= mYear
	}
	if f.j != 0 {
		tm.Year, tm.Month, tm.Day = types.J2Date(f.j)
		fmask |= mYear | mMonth | mDay
	}
	if f.ww != 0 {
		if f.mode == modeISOWeek {
			jday := isoweek2j(tm.Year, f.ww)
			if f.d != 0 {
				if f.d > 1 {
					jday += f.d - 2
				} else {
					jday += 6
				}
			}
			tm.Year, tm.Month, tm.Day = types.J2Date(jday)
			fmask |= mYear | mMonth | mDay
		} else {
			f.ddd = (f.ww-1)*7 + 1
		}
	}
	if f.w != 0 {
		f.dd = (f.w-1)*7 + 1
	}
	if f.dd != 0 {
		tm.Day = f.dd
		fmask |= mDay
	}
	if f.mm != 0 {
		tm.Month = f.mm
		fmask |= mMonth
	}
	if f.ddd != 0 && (tm.Month <= 1 || tm.Day <= 1) {
		if tm.Year == 0 && f.bc == 0 {
			return r, errDatetimeFormat("cannot calculate day of year without year information")
		}
		if f.mode == modeISOWeek {
			j0 := isoweek2j(tm.Year, 1) - 1
			tm.Year, tm.Month, tm.Day = types.J2Date(j0 + f.ddd)
			fmask |= mYear | mMonth | mDay
		} else {
			ysum := [2][13]int{{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
				{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}}
			y := ysum[leapIdx(tm.Year)]
			i := 1
			for ; i <= 12; i++ {
				if f.ddd <= y[i] {
					break
				}
			}
			if tm.Month <= 1 {
				tm.Month = i
			}
			if tm.Day <= 1 {
				tm.Day = f.ddd - y[i-1]
			}
			fmask |= mMonth | mDay
		}
	}
	fsec := int64(0)
	if f.ms != 0 {
		fsec += int64(f.ms) * 1000
	}
	if f.us != 0 {
		fsec += int64(f.us)
	}
	r.fprec = f.ff
	if fmask != 0 {
		if fmask&mMonth != 0 && (tm.Month < 1 || tm.Month > 12) {
			return r, errFieldOverflow(input)
		}
		if fmask&mDay != 0 && (tm.Day < 1 || tm.Day > 31) {
			return r, errFieldOverflow(input)
		}
		if fmask == mYear|mMonth|mDay && tm.Day > dayTab[leapIdx(tm.Year)][tm.Month-1] {
			return r, errFieldOverflow(input)
		}
	}
	if tm.Hour < 0 || tm.Hour >= 24 || tm.Minute < 0 || tm.Minute >= 60 || tm.Second < 0 || tm.Second >= 60 ||
		fsec < 0 || fsec >= 1000000 {
		return r, errFieldOverflow(input)
	}
	if f.tzsign != 0 {
		if f.tzh < 0 || f.tzh > 15 || f.tzm < 0 || f.tzm >= 60 {
			return r, pgerror.New(pgerror.InvalidTimeZoneDisplacement, "time zone displacement out of range: \"%s\"", input)
		}
		r.hasTZ = true
		r.offset = f.tzsign * (f.tzh*3600 + f.tzm*60)
	}
	tm.Micros = fsec
	r.f = tm
	return r, nil
}

var timestampScales = [7]int64{1000000, 100000, 10000, 1000, 100, 10, 1}

// adjustTimestampPrecision is AdjustTimestampForTypmod.
func adjustTimestampPrecision(ts int64, prec int) int64 {
	if prec <= 0 || prec >= 6 {
		return ts
	}
	sc := timestampScales[prec]
	off := sc / 2
	if ts >= 0 {
		return ((ts + off) / sc) * sc
	}
	return -((((-ts) + off) / sc) * sc)
}

func toTimestampText(c *bound.EvalCtx, input, format string) (types.Datum, error) {
	r, err := doToTimestamp(input, format)
	if err != nil {
		return types.Datum{}, err
	}
	local, ok := types.MakeTimestamp(r.f)
	if !ok {
		return types.Datum{}, errTimestampOutOfRange
	}
	var ts int64
	if r.hasTZ {
		ts = local - int64(r.offset)*types.USecsPerSec
	} else {
		ts = types.LocalToTimestampTZ(local, types.SessionLocation(c.Settings))
	}
	if !types.ValidTimestamp(ts) {
		return types.Datum{}, errTimestampOutOfRange
	}
	return types.NewTimestampTZ(adjustTimestampPrecision(ts, r.fprec)), nil
}

func toDateText(input, format string) (types.Datum, error) {
	r, err := doToTimestamp(input, format)
	if err != nil {
		return types.Datum{}, err
	}
	if !types.IsValidJulian(r.f.Year, r.f.Month, r.f.Day) {
		return types.Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range: \"%s\"", input)
	}
	days := types.DateFromYMD(r.f.Year, r.f.Month, r.f.Day)
	if !types.ValidDate(days) {
		return types.Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range: \"%s\"", input)
	}
	return types.NewDate(int32(days)), nil
}

func init() {
	fn("to_timestamp", sig(types.TimestampTZ, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return toTimestampText(c, a[0].S, a[1].S)
	}, tText, tText))
	fn("to_date", sig(types.Date, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return toDateText(a[0].S, a[1].S)
	}, tText, tText))
}
