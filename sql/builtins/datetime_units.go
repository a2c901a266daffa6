package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Field names of extract, date_part and date_trunc, as PostgreSQL 15's
// DecodeUnits (deltatktbl) and DecodeSpecial (datetktbl) read them: the
// name is lower-cased and compared on its first TOKMAXLEN (10) bytes.

type dtUnit uint8

const (
	uNone dtUnit = iota
	uMicrosec
	uMillisec
	uSecond
	uMinute
	uHour
	uDay
	uWeek
	uMonth
	uQuarter
	uYear
	uDecade
	uCentury
	uMillennium
	uJulian
	uDow
	uIsodow
	uDoy
	uIsoyear
	uTZ
	uTZHour
	uTZMinute
	uEpoch
)

// unitClass is the token type of a field name.
type unitClass uint8

const (
	ucUnknown unitClass = iota // not a token at all
	ucUnits                    // UNITS
	ucReserv                   // RESERV (epoch, now, infinity...)
	ucOther                    // a token of another type (month name, "ago"...)
)

const tokMaxLen = 10

// deltaUnits is deltatktbl (DecodeUnits).
var deltaUnits = map[string]dtUnit{
	"c": uCentury, "cent": uCentury, "centuries": uCentury, "century": uCentury,
	"d": uDay, "day": uDay, "days": uDay,
	"dec": uDecade, "decade": uDecade, "decades": uDecade, "decs": uDecade,
	"h": uHour, "hour": uHour, "hours": uHour, "hr": uHour, "hrs": uHour,
	"m": uMinute, "microsecon": uMicrosec,
	"mil": uMillennium, "millennia": uMillennium, "millennium": uMillennium,
	"millisecon": uMillisec, "mils": uMillennium,
	"min": uMinute, "mins": uMinute, "minute": uMinute, "minutes": uMinute,
	"mon": uMonth, "mons": uMonth, "month": uMonth, "months": uMonth,
	"ms": uMillisec, "msec": uMillisec, "msecond": uMillisec, "mseconds": uMillisec, "msecs": uMillisec,
	"qtr": uQuarter, "quarter": uQuarter,
	"s": uSecond, "sec": uSecond, "second": uSecond, "seconds": uSecond, "secs": uSecond,
	"timezone": uTZ, "timezone_h": uTZHour, "timezone_m": uTZMinute,
	"us": uMicrosec, "usec": uMicrosec, "usecond": uMicrosec, "useconds": uMicrosec, "usecs": uMicrosec,
	"w": uWeek, "week": uWeek, "weeks": uWeek,
	"y": uYear, "year": uYear, "years": uYear, "yr": uYear, "yrs": uYear,
}

// deltaOther are deltatktbl tokens that are not units.
var deltaOther = map[string]bool{"@": true, "ago": true}

// specialUnits are the UNITS tokens of datetktbl (DecodeSpecial).
var specialUnits = map[string]dtUnit{
	"d": uDay, "dow": uDow, "doy": uDoy, "h": uHour, "isodow": uIsodow, "isoyear": uIsoyear,
	"j": uJulian, "jd": uJulian, "julian": uJulian, "m": uMonth, "mm": uMinute, "s": uSecond, "y": uYear,
}

// specialReserv are the RESERV tokens of datetktbl.
var specialReserv = map[string]bool{"-infinity": true, "allballs": true, "epoch": true, "infinity": true,
	"now": true, "today": true, "tomorrow": true, "yesterday": true}

// specialOther are datetktbl's other tokens (months, weekdays, am/pm ...).
var specialOther = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range []string{"ad", "am", "apr", "april", "at", "aug", "august", "bc", "dec", "december", "dst",
		"feb", "february", "fri", "friday", "jan", "january", "jul", "july", "jun", "june", "mar", "march", "may",
		"mon", "monday", "nov", "november", "oct", "october", "on", "pm", "sat", "saturday", "sep", "sept",
		"september", "sun", "sunday", "t", "thu", "thur", "thurs", "thursday", "tue", "tues", "tuesday", "wed",
		"wednesday", "weds"} {
		m[s] = true
	}
	return m
}()

// lowerUnit lower-cases ASCII letters (without allocating when there are none).
func lowerUnit(s string) string {
	i := 0
	for i < len(s) && !(s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func tokKey(low string) string {
	if len(low) > tokMaxLen {
		return low[:tokMaxLen]
	}
	return low
}

// decodeUnits is DecodeUnits: the class and unit of a deltatktbl token.
func decodeUnits(low string) (unitClass, dtUnit) {
	k := tokKey(low)
	if u, ok := deltaUnits[k]; ok {
		return ucUnits, u
	}
	if deltaOther[k] {
		return ucOther, uNone
	}
	return ucUnknown, uNone
}

// decodeExtractUnit is extract's lookup: DecodeUnits, then DecodeSpecial.
func decodeExtractUnit(low string) (unitClass, dtUnit) {
	c, u := decodeUnits(low)
	if c != ucUnknown {
		return c, u
	}
	k := tokKey(low)
	if u, ok := specialUnits[k]; ok {
		return ucUnits, u
	}
	if specialReserv[k] {
		if k == "epoch" {
			return ucReserv, uEpoch
		}
		return ucReserv, uNone
	}
	if specialOther[k] {
		return ucOther, uNone
	}
	return ucUnknown, uNone
}

func errUnitNotRecognized(low string, t types.Type) *pgerror.Error {
	return pgerror.New(pgerror.InvalidParameterValue, "unit \"%s\" not recognized for type %s", low, types.FormatType(t))
}

func errUnitNotSupported(low string, t types.Type) *pgerror.Error {
	return pgerror.New(pgerror.FeatureNotSupported, "unit \"%s\" not supported for type %s", low, types.FormatType(t))
}
