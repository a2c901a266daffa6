package types

import (
	"math"
	"time"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Date, time, timestamp and interval arithmetic (date.c, timestamp.c).

var (
	errTimestampRange = pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
	errDateRange      = pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range")
	errIntervalRange  = pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
)

// DatePlusDays is date + integer (date_pli); date - integer passes -days.
func DatePlusDays(date int64, days int64) (int64, error) {
	if date == DateInfinity || date == DateNegInfinity {
		return date, nil
	}
	r := date + days
	if !validDate(r) || r > math.MaxInt32 || r < math.MinInt32 {
		return 0, errDateRange
	}
	return r, nil
}

// DateMinusDate is date - date (date_mi), in days.
func DateMinusDate(a, b int64) (int64, error) {
	if a == DateInfinity || a == DateNegInfinity || b == DateInfinity || b == DateNegInfinity {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "cannot subtract infinite dates")
	}
	return a - b, nil
}

// TimestampPlusInterval is timestamp_pl_interval (loc = nil) or
// timestamptz_pl_interval (loc = the session zone: months and days are
// added on the local calendar, so '1 day' across a DST change keeps the
// wall-clock time).
func TimestampPlusInterval(ts int64, iv IntervalValue, loc *time.Location) (int64, error) {
	if ts == TimestampInfinity || ts == TimestampNegInfinity {
		return ts, nil
	}
	withTZ := loc != nil
	if iv.Months != 0 || iv.Days != 0 {
		local := ts
		if withTZ {
			local, _, _ = timestampTZToLocal(ts, loc)
		}
		f := splitTimestamp(local)
		y, m, d := f.year, f.month, f.day
		if iv.Months != 0 {
			m += int(iv.Months)
			if m > 12 {
				y += (m - 1) / 12
				m = (m-1)%12 + 1
			} else if m < 1 {
				y += m/12 - 1
				m = m%12 + 12
			}
			if md := monthDays(y, m); d > md {
				d = md
			}
		}
		if iv.Days != 0 {
			y, m, d = j2date(date2j(y, m, d) + int(iv.Days))
		}
		r, ok := makeTimestamp(y, m, d, f.hour, f.minute, f.sec, f.usec)
		if !ok {
			return 0, errTimestampRange
		}
		if withTZ {
			r = localToTimestampTZ(r, loc)
		}
		ts = r
	}
	r := ts + iv.Micros
	if (iv.Micros > 0 && r < ts) || (iv.Micros < 0 && r > ts) || !validTimestamp(r) {
		return 0, errTimestampRange
	}
	return r, nil
}

// NegInterval is interval_um.
func NegInterval(iv IntervalValue) (IntervalValue, error) {
	if iv.Months == math.MinInt32 || iv.Days == math.MinInt32 || iv.Micros == math.MinInt64 {
		return IntervalValue{}, errIntervalRange
	}
	return IntervalValue{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}, nil
}

// TimestampMinus is timestamp_mi: the difference justified into days and time.
func TimestampMinus(a, b int64) (IntervalValue, error) {
	if a == TimestampInfinity || a == TimestampNegInfinity || b == TimestampInfinity || b == TimestampNegInfinity {
		return IntervalValue{}, pgerror.New(pgerror.DatetimeFieldOverflow, "cannot subtract infinite timestamps")
	}
	t := a - b
	if (b < 0 && t < a) || (b > 0 && t > a) {
		return IntervalValue{}, errIntervalRange
	}
	return JustifyHours(IntervalValue{Micros: t}), nil
}

// JustifyHours is justify_hours: whole 24-hour periods become days.
func JustifyHours(iv IntervalValue) IntervalValue {
	whole := iv.Micros / usecsPerDay
	iv.Micros -= whole * usecsPerDay
	iv.Days += int32(whole)
	if iv.Days > 0 && iv.Micros < 0 {
		iv.Micros += usecsPerDay
		iv.Days--
	} else if iv.Days < 0 && iv.Micros > 0 {
		iv.Micros -= usecsPerDay
		iv.Days++
	}
	return iv
}

// AddInterval is interval_pl (sub=false) and interval_mi.
func AddInterval(a, b IntervalValue, sub bool) (IntervalValue, error) {
	if sub {
		var err error
		if b, err = NegInterval(b); err != nil {
			return IntervalValue{}, err
		}
	}
	m := int64(a.Months) + int64(b.Months)
	d := int64(a.Days) + int64(b.Days)
	t := a.Micros + b.Micros
	if m > math.MaxInt32 || m < math.MinInt32 || d > math.MaxInt32 || d < math.MinInt32 ||
		(b.Micros > 0 && t < a.Micros) || (b.Micros < 0 && t > a.Micros) {
		return IntervalValue{}, errIntervalRange
	}
	return IntervalValue{Months: int32(m), Days: int32(d), Micros: t}, nil
}

func tsRound(f float64) float64 { return math.RoundToEven(f*1e6) / 1e6 }

// MulInterval is interval_mul (interval * float8), cascading fractional
// months into days and fractional days into time as PostgreSQL 15 does.
func MulInterval(iv IntervalValue, factor float64) (IntervalValue, error) {
	var r IntervalValue
	rd := float64(iv.Months) * factor
	if math.IsNaN(rd) || rd > math.MaxInt32 || rd < math.MinInt32 {
		return r, errIntervalRange
	}
	r.Months = int32(rd)
	rd = float64(iv.Days) * factor
	if math.IsNaN(rd) || rd > math.MaxInt32 || rd < math.MinInt32 {
		return r, errIntervalRange
	}
	r.Days = int32(rd)
	monthRemDays := tsRound((float64(iv.Months)*factor - float64(r.Months)) * daysPerMonth)
	secRem := tsRound((float64(iv.Days)*factor - float64(r.Days) + monthRemDays - float64(int64(monthRemDays))) * float64(secsPerDay))
	if math.Abs(secRem) >= float64(secsPerDay) {
		r.Days += int32(secRem / float64(secsPerDay))
		secRem -= float64(int64(secRem/float64(secsPerDay))) * float64(secsPerDay)
	}
	r.Days += int32(monthRemDays)
	rd = math.RoundToEven(float64(iv.Micros)*factor + secRem*1e6)
	if math.IsNaN(rd) || rd < -9223372036854775808.0 || rd >= 9223372036854775808.0 {
		return r, errIntervalRange
	}
	r.Micros = int64(rd)
	return r, nil
}

// DivInterval is interval_div (interval / float8).
func DivInterval(iv IntervalValue, factor float64) (IntervalValue, error) {
	if factor == 0 {
		return IntervalValue{}, errDivByZero
	}
	var r IntervalValue
	r.Months = int32(float64(iv.Months) / factor)
	r.Days = int32(float64(iv.Days) / factor)
	monthRemDays := tsRound((float64(iv.Months)/factor - float64(r.Months)) * daysPerMonth)
	secRem := tsRound((float64(iv.Days)/factor - float64(r.Days) + monthRemDays - float64(int64(monthRemDays))) * float64(secsPerDay))
	if math.Abs(secRem) >= float64(secsPerDay) {
		r.Days += int32(secRem / float64(secsPerDay))
		secRem -= float64(int64(secRem/float64(secsPerDay))) * float64(secsPerDay)
	}
	r.Days += int32(monthRemDays)
	rd := math.RoundToEven(float64(iv.Micros)/factor + secRem*1e6)
	if math.IsNaN(rd) || rd < -9223372036854775808.0 || rd >= 9223372036854775808.0 {
		return r, errIntervalRange
	}
	r.Micros = int64(rd)
	return r, nil
}

// TimePlusInterval is time_pl_interval (wraps around midnight).
func TimePlusInterval(t int64, iv IntervalValue) int64 {
	r := t + iv.Micros
	r -= r / usecsPerDay * usecsPerDay
	if r < 0 {
		r += usecsPerDay
	}
	return r
}

// DateToTimestamp is date2timestamp (22008 beyond the timestamp range).
func DateToTimestamp(days int64) (int64, error) {
	if days == DateInfinity || days == DateNegInfinity {
		return dateToTimestampRaw(days), nil
	}
	if days >= int64(timestampEndJulian-postgresEpochJDate) {
		return 0, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range for timestamp")
	}
	return days * usecsPerDay, nil
}
