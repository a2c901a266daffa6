package types

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// DateStyle is the output half of PostgreSQL's DateStyle setting.
type DateStyle uint8

const (
	DateStyleISO DateStyle = iota
	DateStyleSQL
	DateStylePostgres
	DateStyleGerman
)

// DateOrder is the field-order half of DateStyle, used to read ambiguous
// input such as 01/02/03 (and by the SQL and Postgres output styles).
type DateOrder uint8

const (
	DateOrderMDY DateOrder = iota
	DateOrderDMY
	DateOrderYMD
)

// IntervalStyle is PostgreSQL's IntervalStyle setting.
type IntervalStyle uint8

const (
	IntervalStylePostgres IntervalStyle = iota
	IntervalStylePostgresVerbose
	IntervalStyleSQLStandard
	IntervalStyleISO8601
)

// Settings are the session settings that change how values are read and
// printed. The session owns one and passes a pointer; a nil *Settings means
// DefaultSettings(). The zero Settings is UTC, 'ISO, MDY', 'postgres' and
// extra_float_digits = 0 (note: PostgreSQL's default is 1, which
// DefaultSettings sets).
type Settings struct {
	TimeZone         *time.Location // nil = UTC
	DateStyle        DateStyle
	DateOrder        DateOrder
	IntervalStyle    IntervalStyle
	ExtraFloatDigits int8 // PostgreSQL's extra_float_digits: > 0 prints shortest-exact floats
	// Now returns the transaction start time (µs since 2000-01-01 UTC) for the
	// special inputs 'now', 'today', 'tomorrow' and 'yesterday'. nil = the clock.
	Now func() int64
	// RegName names a catalog object for reg* output (regclass prints the
	// relation's name); the session installs it. nil = print the OID.
	RegName func(regType, oid uint32) (string, bool)
	// RegOID resolves reg* input by name (regclass 'pg_class', regtype
	// '_int4'), with the input function's error if there is none.
	RegOID func(regType uint32, name string) (uint32, error)
	// ByteaEscape prints bytea in the escape format (bytea_output = escape).
	ByteaEscape bool
	// TSConfig is default_text_search_config (a regconfig OID); 0 means
	// PostgreSQL's default, pg_catalog.english.
	TSConfig uint32
}

var defaultSettings = Settings{TimeZone: time.UTC, ExtraFloatDigits: 1}

// DefaultSettings returns PostgreSQL 15's defaults for a new session with
// TimeZone UTC: DateStyle 'ISO, MDY', IntervalStyle 'postgres', extra_float_digits 1.
func DefaultSettings() *Settings {
	s := defaultSettings
	return &s
}

func (s *Settings) location() *time.Location {
	if s == nil || s.TimeZone == nil {
		return time.UTC
	}
	return s.TimeZone
}

func (s *Settings) now() int64 {
	if s != nil && s.Now != nil {
		return s.Now()
	}
	return TimeToTimestamp(time.Now())
}

// ParseDateStyle parses a DateStyle value as SET DateStyle does: a comma
// separated list of an output style (ISO, SQL, Postgres, German) and/or an
// order (MDY/US/NonEuropean, DMY/European, YMD). cur supplies the parts not given.
func ParseDateStyle(v string, cur DateStyle, curOrder DateOrder) (DateStyle, DateOrder, error) {
	style, order := cur, curOrder
	orderSet := false
	for _, part := range strings.Split(v, ",") {
		p := strings.ToLower(strings.TrimSpace(part))
		switch p {
		case "iso":
			style = DateStyleISO
		case "sql":
			style = DateStyleSQL
		case "postgres":
			style = DateStylePostgres
		case "german":
			style = DateStyleGerman
			if !orderSet {
				order = DateOrderDMY
			}
		case "ymd":
			order, orderSet = DateOrderYMD, true
		case "dmy", "euro", "european":
			order, orderSet = DateOrderDMY, true
		case "mdy", "us", "noneuro", "noneuropean":
			order, orderSet = DateOrderMDY, true
		case "default":
			style, order = DateStyleISO, DateOrderMDY
		default:
			return cur, curOrder, pgerror.New(pgerror.InvalidParameterValue,
				`invalid value for parameter "DateStyle": "%s"`, v).WithDetail(`Unrecognized key word: "%s".`, strings.TrimSpace(part))
		}
	}
	return style, order, nil
}

// FormatDateStyle prints a DateStyle as SHOW DateStyle does ("ISO, MDY").
func FormatDateStyle(style DateStyle, order DateOrder) string {
	s := [...]string{"ISO", "SQL", "Postgres", "German"}[style&3]
	o := [...]string{"MDY", "DMY", "YMD"}[order%3]
	return s + ", " + o
}

// ParseIntervalStyle parses SET IntervalStyle.
func ParseIntervalStyle(v string) (IntervalStyle, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "postgres":
		return IntervalStylePostgres, nil
	case "postgres_verbose":
		return IntervalStylePostgresVerbose, nil
	case "sql_standard":
		return IntervalStyleSQLStandard, nil
	case "iso_8601":
		return IntervalStyleISO8601, nil
	}
	return 0, pgerror.New(pgerror.InvalidParameterValue, `invalid value for parameter "IntervalStyle": "%s"`, v).
		WithHint("Available values: postgres, postgres_verbose, sql_standard, iso_8601.")
}

// FormatIntervalStyle prints an IntervalStyle as SHOW does.
func FormatIntervalStyle(s IntervalStyle) string {
	return [...]string{"postgres", "postgres_verbose", "sql_standard", "iso_8601"}[s&3]
}

var zoneCache sync.Map // name -> *time.Location

// LoadTimeZone resolves a time zone name as SET TimeZone accepts the common
// forms: an IANA name (case-insensitively for the usual spellings), "UTC",
// "GMT", a number of hours east of UTC ("-8", "5.5", as check_timezone
// reads a number), or a POSIX-style offset such as "+05:30", which like
// PostgreSQL (pg_tzset) is read west-positive: see
// https://www.postgresql.org/docs/15/datetime-posix-timezone-specs.html.
// Results are cached.
// Errors: 22023 invalid value for parameter "TimeZone".
func LoadTimeZone(name string) (*time.Location, error) {
	if v, ok := zoneCache.Load(name); ok {
		return v.(*time.Location), nil
	}
	loc, err := loadTimeZone(name)
	if err != nil {
		return nil, err
	}
	zoneCache.Store(name, loc)
	return loc, nil
}

func loadTimeZone(name string) (*time.Location, error) {
	bad := func() error {
		return pgerror.New(pgerror.InvalidParameterValue, `invalid value for parameter "TimeZone": "%s"`, name)
	}
	switch strings.ToLower(name) {
	case "utc", "gmt", "z", "zulu", "etc/utc", "universal", "uct":
		// PostgreSQL keeps the spelling; the offset is what matters here.
		return time.FixedZone(canonicalZoneName(name), 0), nil
	}
	if name == "" {
		return nil, bad()
	}
	if h, err := strconv.ParseFloat(name, 64); err == nil {
		// A plain number is hours east of UTC (SQL sign convention).
		if h < -15 || h > 15 {
			return nil, bad()
		}
		return time.FixedZone(offsetAbbrev(int(h*3600)), int(h*3600)), nil
	}
	if c := name[0]; c == '+' || c == '-' || (c >= '0' && c <= '9') {
		off, ok := parseNumericZone(name)
		if !ok {
			return nil, bad()
		}
		// POSIX: "+5" means 5 hours west of Greenwich.
		return time.FixedZone(name, -off), nil
	}
	loc, err := time.LoadLocation(name)
	if err == nil {
		return loc, nil
	}
	if loc, ok := posixFixedZone(name); ok {
		return loc, nil
	}
	if n, ok := findZoneCaseInsensitive(name); ok {
		if loc, err := time.LoadLocation(n); err == nil {
			return loc, nil
		}
	}
	return nil, bad()
}

func canonicalZoneName(name string) string {
	if strings.EqualFold(name, "utc") {
		return "UTC"
	}
	return name
}

// parseNumericZone parses "+05", "-5", "+05:30", "0530", "+05:30:15" into
// seconds east as written (the caller decides POSIX or ISO sense).
func parseNumericZone(s string) (int, bool) {
	sign := 1
	switch s[0] {
	case '+':
		s = s[1:]
	case '-':
		sign = -1
		s = s[1:]
	}
	h, m, sec := 0, 0, 0
	var ok bool
	if strings.IndexByte(s, ':') >= 0 {
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, false
		}
		vals := [3]int{}
		for i, p := range parts {
			if vals[i], ok = atoiSmall(p); !ok {
				return 0, false
			}
		}
		h, m, sec = vals[0], vals[1], vals[2]
	} else {
		n, ok := atoiSmall(s)
		if !ok {
			return 0, false
		}
		switch {
		case len(s) <= 2:
			h = n
		case len(s) <= 4:
			h, m = n/100, n%100
		case len(s) <= 6:
			h, m, sec = n/10000, n/100%100, n%100
		default:
			return 0, false
		}
	}
	if h > 15 || m >= 60 || sec >= 60 {
		return 0, false
	}
	return sign * (h*3600 + m*60 + sec), true
}

func atoiSmall(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// offsetAbbrev names a fixed offset as PostgreSQL's pg_tzset_offset does:
// "+05", "-03", "+05:30" (east positive).
func offsetAbbrev(off int) string {
	b := appendTimezone(nil, off)
	return string(b)
}

// posixFixedZone reads the simplest POSIX TZ form, STDoffset with no DST
// rule ("GMT+2", "UTC-5", "EST5"), where the offset is hours WEST of UTC.
// PostgreSQL's tzparse takes abbreviations shorter than IANA's three
// letters ("x4", "ab5").
func posixFixedZone(name string) (*time.Location, bool) {
	i := 0
	for i < len(name) && ((name[i]|0x20) >= 'a' && (name[i]|0x20) <= 'z') {
		i++
	}
	if i == 0 || i == len(name) {
		return nil, false
	}
	off, ok := parseNumericZone(name[i:])
	if !ok {
		return nil, false
	}
	return time.FixedZone(strings.ToUpper(name[:i]), -off), true
}
