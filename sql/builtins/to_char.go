package builtins

import (
	"strconv"
	"sync"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// to_char(timestamp|timestamptz|interval, text), after PostgreSQL 15's
// formatting.c (parse_format and DCH_to_char) in the C locale.

type dchID uint8

const (
	dchAD_ dchID = iota // A.D.
	dchAM_              // A.M.
	dchAD
	dchAM
	dchBC_
	dchBC
	dchCC
	dchDAY
	dchDDD
	dchDD
	dchDY
	dchDay
	dchDy
	dchD
	dchFF1
	dchFF2
	dchFF3
	dchFF4
	dchFF5
	dchFF6
	dchFX
	dchHH24
	dchHH12
	dchHH
	dchIDDD
	dchIDc
	dchIW
	dchIYYY
	dchIYY
	dchIY
	dchI
	dchJ
	dchMI
	dchMM
	dchMONTH
	dchMON
	dchMS
	dchMonth
	dchMon
	dchOF
	dchPM_
	dchPM
	dchQ
	dchRM
	dchSSSS
	dchSS
	dchTZH
	dchTZM
	dchTZ
	dchUS
	dchWW
	dchW
	dchYYYY_ // Y,YYY
	dchYYYY
	dchYYY
	dchYY
	dchY
	dchad_
	dcham_
	dchad
	dcham
	dchbc_
	dchbc
	dchday
	dchdy
	dchmonth
	dchmon
	dchpm_
	dchpm
	dchrm
	dchtz
)

type keyword struct {
	name string
	id   uint8
}

// dchKeywords is DCH_keywords: grouped by first character, longer names
// before their prefixes.
var dchKeywords = []keyword{
	{"A.D.", uint8(dchAD_)}, {"A.M.", uint8(dchAM_)}, {"AD", uint8(dchAD)}, {"AM", uint8(dchAM)},
	{"B.C.", uint8(dchBC_)}, {"BC", uint8(dchBC)},
	{"CC", uint8(dchCC)},
	{"DAY", uint8(dchDAY)}, {"DDD", uint8(dchDDD)}, {"DD", uint8(dchDD)}, {"DY", uint8(dchDY)}, {"Day", uint8(dchDay)},
	{"Dy", uint8(dchDy)}, {"D", uint8(dchD)},
	{"FF1", uint8(dchFF1)}, {"FF2", uint8(dchFF2)}, {"FF3", uint8(dchFF3)}, {"FF4", uint8(dchFF4)}, {"FF5", uint8(dchFF5)},
	{"FF6", uint8(dchFF6)}, {"FX", uint8(dchFX)},
	{"HH24", uint8(dchHH24)}, {"HH12", uint8(dchHH12)}, {"HH", uint8(dchHH)},
	{"IDDD", uint8(dchIDDD)}, {"ID", uint8(dchIDc)}, {"IW", uint8(dchIW)}, {"IYYY", uint8(dchIYYY)}, {"IYY", uint8(dchIYY)},
	{"IY", uint8(dchIY)}, {"I", uint8(dchI)},
	{"J", uint8(dchJ)},
	{"MI", uint8(dchMI)}, {"MM", uint8(dchMM)}, {"MONTH", uint8(dchMONTH)}, {"MON", uint8(dchMON)}, {"MS", uint8(dchMS)},
	{"Month", uint8(dchMonth)}, {"Mon", uint8(dchMon)},
	{"OF", uint8(dchOF)},
	{"P.M.", uint8(dchPM_)}, {"PM", uint8(dchPM)},
	{"Q", uint8(dchQ)},
	{"RM", uint8(dchRM)},
	{"SSSSS", uint8(dchSSSS)}, {"SSSS", uint8(dchSSSS)}, {"SS", uint8(dchSS)},
	{"TZH", uint8(dchTZH)}, {"TZM", uint8(dchTZM)}, {"TZ", uint8(dchTZ)},
	{"US", uint8(dchUS)},
	{"WW", uint8(dchWW)}, {"W", uint8(dchW)},
	{"Y,YYY", uint8(dchYYYY_)}, {"YYYY", uint8(dchYYYY)}, {"YYY", uint8(dchYYY)}, {"YY", uint8(dchYY)}, {"Y", uint8(dchY)},
	{"a.d.", uint8(dchad_)}, {"a.m.", uint8(dcham_)}, {"ad", uint8(dchad)}, {"am", uint8(dcham)},
	{"b.c.", uint8(dchbc_)}, {"bc", uint8(dchbc)},
	{"cc", uint8(dchCC)},
	{"day", uint8(dchday)}, {"ddd", uint8(dchDDD)}, {"dd", uint8(dchDD)}, {"dy", uint8(dchdy)}, {"d", uint8(dchD)},
	{"ff1", uint8(dchFF1)}, {"ff2", uint8(dchFF2)}, {"ff3", uint8(dchFF3)}, {"ff4", uint8(dchFF4)}, {"ff5", uint8(dchFF5)},
	{"ff6", uint8(dchFF6)}, {"fx", uint8(dchFX)},
	{"hh24", uint8(dchHH24)}, {"hh12", uint8(dchHH12)}, {"hh", uint8(dchHH)},
	{"iddd", uint8(dchIDDD)}, {"id", uint8(dchIDc)}, {"iw", uint8(dchIW)}, {"iyyy", uint8(dchIYYY)}, {"iyy", uint8(dchIYY)},
	{"iy", uint8(dchIY)}, {"i", uint8(dchI)},
	{"j", uint8(dchJ)},
	{"mi", uint8(dchMI)}, {"mm", uint8(dchMM)}, {"month", uint8(dchmonth)}, {"mon", uint8(dchmon)}, {"ms", uint8(dchMS)},
	{"of", uint8(dchOF)},
	{"p.m.", uint8(dchpm_)}, {"pm", uint8(dchpm)},
	{"q", uint8(dchQ)},
	{"rm", uint8(dchrm)},
	{"sssss", uint8(dchSSSS)}, {"ssss", uint8(dchSSSS)}, {"ss", uint8(dchSS)},
	{"tzh", uint8(dchTZH)}, {"tzm", uint8(dchTZM)}, {"tz", uint8(dchtz)},
	{"us", uint8(dchUS)},
	{"ww", uint8(dchWW)}, {"w", uint8(dchW)},
	{"y,yyy", uint8(dchYYYY_)}, {"yyyy", uint8(dchYYYY)}, {"yyy", uint8(dchYYY)}, {"yy", uint8(dchYY)}, {"y", uint8(dchY)},
}

// keywordIndex maps a first byte to the first keyword starting with it.
func keywordIndex(kws []keyword) [128]int16 {
	var idx [128]int16
	for i := range idx {
		idx[i] = -1
	}
	for i := len(kws) - 1; i >= 0; i-- {
		idx[kws[i].name[0]] = int16(i)
	}
	return idx
}

var dchIndex = keywordIndex(dchKeywords)

// seqSearch is index_seq_search.
func seqSearch(s string, kws []keyword, idx *[128]int16) *keyword {
	c := s[0]
	if c <= ' ' || c >= '~' || idx[c] < 0 {
		return nil
	}
	for i := int(idx[c]); i < len(kws) && kws[i].name[0] == c; i++ {
		k := &kws[i]
		if len(s) >= len(k.name) && s[:len(k.name)] == k.name {
			return k
		}
	}
	return nil
}

// Suffixes of DCH keywords.
const (
	sufFM uint8 = 1 << iota
	sufTH
	sufth
	sufSP
	sufTM
)

// fmtNode is a FormatNode: a keyword with suffixes, or literal text.
type fmtNode struct {
	key    *keyword
	suffix uint8
	text   string
	quoted bool // a character of a double-quoted literal
}

// parseFormat is parse_format. For the NUM version (num != nil) it fills
// the number description and reports its errors.
func parseFormat(str string, kws []keyword, idx *[128]int16, num *numDesc) ([]fmtNode, error) {
	var nodes []fmtNode
	dch := num == nil
	for len(str) > 0 {
		var suffix uint8
		if dch {
			switch {
			case hasPrefix(str, "FM") || hasPrefix(str, "fm"):
				suffix |= sufFM
				str = str[2:]
			case hasPrefix(str, "TM") || hasPrefix(str, "tm"):
				suffix |= sufTM
				str = str[2:]
			}
		}
		if len(str) > 0 {
			if k := seqSearch(str, kws, idx); k != nil {
				n := fmtNode{key: k, suffix: suffix}
				str = str[len(k.name):]
				if num != nil {
					if err := num.prepare(k.id); err != nil {
						return nil, err
					}
				}
				if dch && len(str) > 0 {
					switch {
					case hasPrefix(str, "TH"):
						n.suffix |= sufTH
						str = str[2:]
					case hasPrefix(str, "th"):
						n.suffix |= sufth
						str = str[2:]
					case hasPrefix(str, "SP"):
						n.suffix |= sufSP
						str = str[2:]
					}
				}
				nodes = append(nodes, n)
				continue
			}
		}
		if len(str) == 0 {
			break
		}
		if str[0] == '"' {
			str = str[1:]
			for len(str) > 0 {
				if str[0] == '"' {
					str = str[1:]
					break
				}
				if str[0] == '\\' && len(str) > 1 {
					str = str[1:]
				}
				l := charLen(str)
				nodes = append(nodes, fmtNode{text: str[:l], quoted: true})
				str = str[l:]
			}
			continue
		}
		if str[0] == '\\' && len(str) > 1 && str[1] == '"' {
			str = str[1:]
		}
		l := charLen(str)
		nodes = append(nodes, fmtNode{text: str[:l]})
		str = str[l:]
	}
	return nodes, nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// charLen is the byte length of the UTF-8 character starting s (pg_mblen).
func charLen(s string) int {
	c := s[0]
	n := 1
	switch {
	case c >= 0xf0:
		n = 4
	case c >= 0xe0:
		n = 3
	case c >= 0xc0:
		n = 2
	}
	if n > len(s) {
		n = len(s)
	}
	return n
}

// formatCache keeps parsed format pictures (as PostgreSQL's DCH/NUM caches).
type formatCache struct {
	mu sync.Mutex
	m  map[string]any
}

const formatCacheMax = 256

func (c *formatCache) get(k string) (any, bool) {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	return v, ok
}

func (c *formatCache) put(k string, v any) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= formatCacheMax {
		c.m = make(map[string]any)
	}
	c.m[k] = v
	c.mu.Unlock()
}

var dchCache formatCache

func dchFormat(f string) []fmtNode {
	if v, ok := dchCache.get(f); ok {
		return v.([]fmtNode)
	}
	nodes, _ := parseFormat(f, dchKeywords, &dchIndex, nil)
	dchCache.put(f, nodes)
	return nodes
}

// tmToChar is TmToChar: broken-down time (tm_hour is 64-bit for intervals).
type tmToChar struct {
	year, mon, mday int
	hour            int64
	min, sec        int
	fsec            int64
	wday, yday      int
	gmtoff          int
	tzn             string
	hasTzn          bool
}

var monthsFull = [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}
var monthsAbbrev = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var daysFull = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
var daysAbbrev = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
var rmMonthsUpper = [12]string{"XII", "XI", "X", "IX", "VIII", "VII", "VI", "V", "IV", "III", "II", "I"}
var rmMonthsLower = [12]string{"xii", "xi", "x", "ix", "viii", "vii", "vi", "v", "iv", "iii", "ii", "i"}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

// appendPadInt is sprintf("%0*d", width, v).
func appendPadInt(dst []byte, v int64, width int) []byte {
	var buf [24]byte
	b := strconv.AppendInt(buf[:0], v, 10)
	neg := v < 0
	digits := len(b)
	if neg {
		dst = append(dst, '-')
		b = b[1:]
	}
	for i := digits; i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, b...)
}

// appendPadStr is sprintf("%*s", -width, s) (left-justified).
func appendPadStr(dst []byte, s string, width int) []byte {
	dst = append(dst, s...)
	for i := len(s); i < width; i++ {
		dst = append(dst, ' ')
	}
	return dst
}

// appendTH is str_numth: the ordinal suffix for the number just written
// from position start of dst.
func appendTH(dst []byte, start int, upper bool) ([]byte, error) {
	num := dst[start:]
	if len(num) == 0 || num[len(num)-1] < '0' || num[len(num)-1] > '9' {
		return dst, pgerror.New(pgerror.InvalidTextRepresentation, "\"%s\" is not a number", string(num))
	}
	last := num[len(num)-1]
	if len(num) > 1 && num[len(num)-2] == '1' {
		last = 0
	}
	var s string
	switch last {
	case '1':
		s = "st"
	case '2':
		s = "nd"
	case '3':
		s = "rd"
	default:
		s = "th"
	}
	if upper {
		s = upperASCII(s)
	}
	return append(dst, s...), nil
}

func adjustYear(y int, isInterval bool) int {
	if isInterval {
		return y
	}
	if y <= 0 {
		return -(y - 1)
	}
	return y
}

func errInvalidForInterval() error {
	return pgerror.New(pgerror.InvalidDatetimeFormat, "invalid format specification for an interval value").
		WithHint("Intervals are not tied to specific calendar dates.")
}

// dchToChar is DCH_to_char.
func dchToChar(nodes []fmtNode, isInterval bool, tm *tmToChar) ([]byte, error) {
	out := make([]byte, 0, 32)
	var err error
	for i := range nodes {
		n := &nodes[i]
		if n.key == nil {
			out = append(out, n.text...)
			continue
		}
		fm := n.suffix&sufFM != 0
		th := n.suffix&(sufTH|sufth) != 0
		start := len(out)
		width := func(w int, nonneg bool) int {
			if fm {
				return 0
			}
			if !nonneg {
				return w + 1
			}
			return w
		}
		numeric := true // the node wrote a number (TH applies)
		id := dchID(n.key.id)
		switch id {
		case dchAM_, dchPM_, dchAM, dchPM, dcham_, dchpm_, dcham, dchpm:
			numeric = false
			out = append(out, ampmText(id, tm.hour%24 >= 12)...)
		case dchHH, dchHH12:
			h := tm.hour % 12
			if h == 0 {
				h = 12
			}
			out = appendPadInt(out, h, width(2, tm.hour >= 0))
		case dchHH24:
			out = appendPadInt(out, tm.hour, width(2, tm.hour >= 0))
		case dchMI:
			out = appendPadInt(out, int64(tm.min), width(2, tm.min >= 0))
		case dchSS:
			out = appendPadInt(out, int64(tm.sec), width(2, tm.sec >= 0))
		case dchFF1:
			out = appendPadInt(out, tm.fsec/100000, 1)
		case dchFF2:
			out = appendPadInt(out, tm.fsec/10000, 2)
		case dchFF3, dchMS:
			out = appendPadInt(out, tm.fsec/1000, 3)
		case dchFF4:
			out = appendPadInt(out, tm.fsec/100, 4)
		case dchFF5:
			out = appendPadInt(out, tm.fsec/10, 5)
		case dchFF6, dchUS:
			out = appendPadInt(out, tm.fsec, 6)
		case dchSSSS:
			out = strconv.AppendInt(out, tm.hour*3600+int64(tm.min)*60+int64(tm.sec), 10)
		case dchtz, dchTZ:
			numeric = false
			if isInterval {
				return nil, errInvalidForInterval()
			}
			if tm.hasTzn {
				if id == dchtz {
					out = append(out, lowerUnit(tm.tzn)...)
				} else {
					out = append(out, tm.tzn...)
				}
			}
		case dchTZH, dchTZM, dchOF:
			numeric = false
			if isInterval {
				return nil, errInvalidForInterval()
			}
			off := tm.gmtoff
			abs := off
			if abs < 0 {
				abs = -abs
			}
			switch id {
			case dchTZH:
				out = append(out, signChar(off))
				out = appendPadInt(out, int64(abs/3600), 2)
			case dchTZM:
				out = appendPadInt(out, int64(abs%3600/60), 2)
			default:
				out = append(out, signChar(off))
				w := 2
				if fm {
					w = 0
				}
				out = appendPadInt(out, int64(abs/3600), w)
				if abs%3600 != 0 {
					out = append(out, ':')
					out = appendPadInt(out, int64(abs%3600/60), 2)
				}
			}
		case dchAD_, dchBC_, dchAD, dchBC, dchad_, dchbc_, dchad, dchbc:
			numeric = false
			if isInterval {
				return nil, errInvalidForInterval()
			}
			out = append(out, adbcText(id, tm.year <= 0)...)
		case dchMONTH, dchMonth, dchmonth, dchMON, dchMon, dchmon:
			numeric = false
			if isInterval {
				return nil, errInvalidForInterval()
			}
			if tm.mon == 0 {
				break
			}
			full := id == dchMONTH || id == dchMonth || id == dchmonth
			s := monthsAbbrev[tm.mon-1]
			if full {
				s = monthsFull[tm.mon-1]
			}
			switch id {
			case dchMONTH, dchMON:
				s = upperASCII(s)
			case dchmonth, dchmon:
				s = lowerUnit(s)
			}
			if full && !fm && n.suffix&sufTM == 0 {
				out = appendPadStr(out, s, 9)
			} else {
				out = append(out, s...)
			}
		case dchMM:
			out = appendPadInt(out, int64(tm.mon), width(2, tm.mon >= 0))
		case dchDAY, dchDay, dchday, dchDY, dchDy, dchdy:
			numeric = false
			if isInterval {
				return nil, errInvalidForInterval()
			}
			full := id == dchDAY || id == dchDay || id == dchday
			s := daysAbbrev[tm.wday]
			if full {
				s = daysFull[tm.wday]
			}
			switch id {
			case dchDAY, dchDY:
				s = upperASCII(s)
			case dchday, dchdy:
				s = lowerUnit(s)
			}
			if full && !fm && n.suffix&sufTM == 0 {
				out = appendPadStr(out, s, 9)
			} else {
				out = append(out, s...)
			}
		case dchDDD, dchIDDD:
			v := tm.yday
			if id == dchIDDD {
				v = date2isoyearday(tm.year, tm.mon, tm.mday)
			}
			out = appendPadInt(out, int64(v), width(3, true))
		case dchDD:
			out = appendPadInt(out, int64(tm.mday), width(2, true))
		case dchD:
			if isInterval {
				return nil, errInvalidForInterval()
			}
			out = strconv.AppendInt(out, int64(tm.wday+1), 10)
		case dchIDc:
			if isInterval {
				return nil, errInvalidForInterval()
			}
			w := tm.wday
			if w == 0 {
				w = 7
			}
			out = strconv.AppendInt(out, int64(w), 10)
		case dchWW:
			out = appendPadInt(out, int64((tm.yday-1)/7+1), width(2, true))
		case dchIW:
			out = appendPadInt(out, int64(date2isoweek(tm.year, tm.mon, tm.mday)), width(2, true))
		case dchQ:
			if tm.mon == 0 {
				continue
			}
			out = strconv.AppendInt(out, int64((tm.mon-1)/3+1), 10)
		case dchCC:
			var c int
			switch {
			case isInterval:
				c = tm.year / 100
			case tm.year > 0:
				c = (tm.year-1)/100 + 1
			default:
				c = tm.year/100 - 1
			}
			if c <= 99 && c >= -99 {
				out = appendPadInt(out, int64(c), width(2, c >= 0))
			} else {
				out = strconv.AppendInt(out, int64(c), 10)
			}
		case dchYYYY_:
			y := adjustYear(tm.year, isInterval)
			i := y / 1000
			out = strconv.AppendInt(out, int64(i), 10)
			out = append(out, ',')
			out = appendPadInt(out, int64(y-i*1000), 3)
		case dchYYYY, dchIYYY, dchYYY, dchIYY, dchYY, dchIY, dchY, dchI:
			y := tm.year
			if id == dchIYYY || id == dchIYY || id == dchIY || id == dchI {
				y = date2isoyear(tm.year, tm.mon, tm.mday)
			}
			y = adjustYear(y, isInterval)
			nonneg := adjustYear(tm.year, isInterval) >= 0
			switch id {
			case dchYYYY, dchIYYY:
				out = appendPadInt(out, int64(y), width(4, nonneg))
			case dchYYY, dchIYY:
				out = appendPadInt(out, int64(y%1000), width(3, nonneg))
			case dchYY, dchIY:
				out = appendPadInt(out, int64(y%100), width(2, nonneg))
			default:
				out = strconv.AppendInt(out, int64(y%10), 10)
			}
		case dchRM, dchrm:
			numeric = false
			if tm.mon == 0 && tm.year == 0 {
				break
			}
			var mon int
			switch {
			case tm.mon == 0:
				if tm.year < 0 {
					mon = 11
				}
			case tm.mon < 0:
				mon = -1 * (tm.mon + 1)
			default:
				mon = 12 - tm.mon
			}
			s := rmMonthsUpper[mon]
			if id == dchrm {
				s = rmMonthsLower[mon]
			}
			if fm {
				out = append(out, s...)
			} else {
				out = appendPadStr(out, s, 4)
			}
		case dchW:
			out = strconv.AppendInt(out, int64((tm.mday-1)/7+1), 10)
		case dchJ:
			out = strconv.AppendInt(out, int64(types.Date2J(tm.year, tm.mon, tm.mday)), 10)
		default: // FX
			numeric = false
		}
		if th && numeric {
			if out, err = appendTH(out, start, n.suffix&sufTH != 0); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func ampmText(id dchID, pm bool) string {
	var t [2]string
	switch id {
	case dchAM_, dchPM_:
		t = [2]string{"A.M.", "P.M."}
	case dchAM, dchPM:
		t = [2]string{"AM", "PM"}
	case dcham_, dchpm_:
		t = [2]string{"a.m.", "p.m."}
	default:
		t = [2]string{"am", "pm"}
	}
	if pm {
		return t[1]
	}
	return t[0]
}

func adbcText(id dchID, bc bool) string {
	var t [2]string
	switch id {
	case dchAD_, dchBC_:
		t = [2]string{"A.D.", "B.C."}
	case dchAD, dchBC:
		t = [2]string{"AD", "BC"}
	case dchad_, dchbc_:
		t = [2]string{"a.d.", "b.c."}
	default:
		t = [2]string{"ad", "bc"}
	}
	if bc {
		return t[1]
	}
	return t[0]
}

func signChar(off int) byte {
	if off >= 0 {
		return '+'
	}
	return '-'
}

// timestampToChar is timestamp_to_char / timestamptz_to_char.
func timestampToChar(c *bound.EvalCtx, ts int64, withTZ bool, format string) (types.Datum, error) {
	if format == "" || !finiteTS(ts) {
		return types.Datum{}, nil
	}
	var tm tmToChar
	local := ts
	if withTZ {
		var abbrev string
		local, tm.gmtoff, abbrev = types.TimestampTZToLocal(ts, types.SessionLocation(c.Settings))
		tm.tzn, tm.hasTzn = abbrev, true
	}
	f := types.SplitTimestamp(local)
	tm.year, tm.mon, tm.mday = f.Year, f.Month, f.Day
	tm.hour, tm.min, tm.sec, tm.fsec = int64(f.Hour), f.Minute, f.Second, f.Micros
	j := types.Date2J(f.Year, f.Month, f.Day)
	tm.wday = (j + 1) % 7
	tm.yday = j - types.Date2J(f.Year, 1, 1) + 1
	out, err := dchToChar(dchFormat(format), false, &tm)
	if err != nil {
		return types.Datum{}, err
	}
	return types.NewText(string(out)), nil
}

// intervalToChar is interval_to_char.
func intervalToChar(iv types.IntervalValue, format string) (types.Datum, error) {
	if format == "" {
		return types.Datum{}, nil
	}
	var tm tmToChar
	tm.year, tm.mon, tm.mday = int(iv.Months/12), int(iv.Months%12), int(iv.Days)
	t := iv.Micros
	tm.hour = t / types.USecsPerHour
	t -= tm.hour * types.USecsPerHour
	tm.min = int(t / types.USecsPerMinute)
	t -= int64(tm.min) * types.USecsPerMinute
	tm.sec = int(t / types.USecsPerSec)
	tm.fsec = t - int64(tm.sec)*types.USecsPerSec
	tm.yday = (tm.year*12+tm.mon)*30 + tm.mday
	out, err := dchToChar(dchFormat(format), true, &tm)
	if err != nil {
		return types.Datum{}, err
	}
	return types.NewText(string(out)), nil
}

func init() {
	fn("to_char",
		sig(tText, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return timestampToChar(c, a[0].I, false, a[1].S)
		}, types.Timestamp, tText),
		sig(tText, func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return timestampToChar(c, a[0].I, true, a[1].S)
		}, types.TimestampTZ, tText),
		sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return intervalToChar(a[0].Interval(), a[1].S)
		}, types.Interval, tText))
}
