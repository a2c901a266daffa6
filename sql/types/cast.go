package types

import (
	"math"

	"github.com/cockroachdb/apd/v3"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Cast converts d from type from to type to with PostgreSQL 15's cast
// functions, including the target typmod. explicit selects CAST semantics
// (varchar(n)/char(n) silently truncate) over assignment semantics (22001
// if non-space characters would be lost). Whether the cast is allowed in a
// context is CastContext's business; Cast performs any conversion it knows.
// set supplies the session TimeZone (date/timestamp/timestamptz conversions)
// and DateStyle/IntervalStyle (casts to text). NULL casts to NULL, and so
// does an infinite timestamp cast to time (as PostgreSQL).
//
// Errors: 22003 out of range, 22001 too long, 22P02 and friends from input
// functions (text to anything), 22023 for jsonb of the wrong kind, 0A000
// NaN/Infinity to integer, 42846 cannot cast type x to y.
func Cast(d Datum, from, to Type, explicit bool, set *Settings) (Datum, error) {
	if d.K == KindNull {
		return Datum{}, nil
	}
	if from.OID == UnknownOID {
		from = Text
	}
	// Same base type: only the typmod may change.
	if from.OID == to.OID {
		if to.Typmod < 0 || from.Typmod == to.Typmod && !to.IsArray() {
			return d, nil
		}
		return applyTypmod(d, to, explicit)
	}
	if to.IsString() || to.OID == CharOID {
		return castToString(d, from, to, explicit, set)
	}
	if from.IsString() && !(from.OID == CharOID && to.OID == Int4OID) {
		return castFromString(d, from, to, explicit, set)
	}
	if to.IsArray() {
		if !from.IsArray() || d.K != KindArray {
			return Datum{}, errCannotCast(from, to)
		}
		return castArray(d, from, to, explicit, set)
	}
	switch to.OID {
	case Int2OID, Int4OID, Int8OID:
		return castToInt(d, from, to)
	case OIDOID, RegclassOID, RegtypeOID, RegprocOID, RegprocedureOID, RegoperOID, RegnamespaceOID, RegroleOID:
		return castToOID(d, from, to)
	case Float4OID, Float8OID:
		return castToFloat(d, from, to)
	case NumericOID:
		return castToNumeric(d, from, to)
	case BoolOID:
		switch {
		case from.OID == Int4OID:
			return NewBool(d.I != 0), nil
		case from.OID == JSONBOID:
			v, err := jsonbCastScalar(d, "boolean")
			if err != nil {
				return Datum{}, err
			}
			if v.kind != jTrue && v.kind != jFalse {
				return Datum{}, errJSONBCast(&v, "boolean")
			}
			return NewBool(v.kind == jTrue), nil
		}
	case DateOID:
		return castToDate(d, from, set)
	case TimestampOID, TimestamptzOID:
		return castToTimestamp(d, from, to, set)
	case TimeOID:
		return castToTime(d, from, to, set)
	case IntervalOID:
		if from.OID == TimeOID {
			iv, err := adjustIntervalTypmod(IntervalValue{Micros: d.I}, to.Typmod)
			return NewInterval(iv), err
		}
	case JSONBOID:
		if from.OID == JSONOID {
			s, err := parseJSONB(d.S)
			return Datum{K: KindJSON, S: s}, err
		}
	case JSONOID:
		if from.OID == JSONBOID {
			return Datum{K: KindJSON, S: d.S}, nil
		}
	}
	return Datum{}, errCannotCast(from, to)
}

func errCannotCast(from, to Type) error {
	return pgerror.New(pgerror.CannotCoerce, "cannot cast type %s to %s", FormatType(Type{from.OID, -1}), FormatType(Type{to.OID, -1}))
}

// applyTypmod coerces d (already of to's base type) to to's typmod: the
// length coercion functions varchar(), bpchar(), numeric(), timestamp(),
// time(), interval(), and their array forms.
func applyTypmod(d Datum, to Type, explicit bool) (Datum, error) {
	if to.Typmod < 0 || d.K == KindNull {
		return d, nil
	}
	switch to.OID {
	case VarcharOID:
		s, err := coerceVarchar(d.S, to.Typmod, explicit)
		return Datum{K: KindText, S: s}, err
	case BPCharOID:
		s, err := coerceBPChar(d.S, to.Typmod, explicit)
		return Datum{K: KindText, S: s}, err
	case NumericOID:
		n := new(apd.Decimal)
		n.Set(d.Numeric())
		if err := applyNumericTypmod(n, to); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindNumeric, X: n}, nil
	case TimestampOID, TimestamptzOID:
		v, err := adjustTimestampTypmod(d.I, to.Typmod, "")
		return Datum{K: d.K, I: v}, err
	case TimeOID:
		return Datum{K: KindTime, I: adjustTimeTypmod(d.I, to.Typmod)}, nil
	case IntervalOID:
		iv, err := adjustIntervalTypmod(d.Interval(), to.Typmod)
		return NewInterval(iv), err
	}
	if to.IsArray() && d.K == KindArray {
		return castArray(d, to, to, explicit, nil)
	}
	return d, nil
}

func castArray(d Datum, from, to Type, explicit bool, set *Settings) (Datum, error) {
	a := d.Array()
	fe, _ := from.Elem()
	// The elements' actual typmod is not tracked; -1 makes a same-type
	// element cast apply the target typmod.
	fe.Typmod = -1
	te, _ := to.Elem()
	out := &Array{Elem: te}
	if a != nil {
		out.Dims = a.Dims
		out.Elems = make([]Datum, len(a.Elems))
		for i, e := range a.Elems {
			v, err := Cast(e, fe, te, explicit, set)
			if err != nil {
				return Datum{}, err
			}
			out.Elems[i] = v
		}
	}
	return Datum{K: KindArray, X: out}, nil
}

// stringOf returns the text of a string-typed datum as the cast to text
// sees it: bpchar loses its trailing spaces (rtrim, as bpchar -> text).
func stringOf(d Datum, from Type) string {
	if from.OID == BPCharOID {
		return bpcharTrim(d.S)
	}
	return d.S
}

func castToString(d Datum, from, to Type, explicit bool, set *Settings) (Datum, error) {
	var s string
	switch {
	case from.IsString():
		if from.OID == BPCharOID && to.OID == BPCharOID {
			s = d.S
		} else {
			s = stringOf(d, from)
		}
	case from.OID == CharOID:
		s = d.S
	case from.OID == BoolOID:
		if d.I != 0 {
			s = "true"
		} else {
			s = "false"
		}
	case from.OID == Int4OID && to.OID == CharOID:
		if d.I < -128 || d.I > 127 {
			return Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, `"char" out of range`)
		}
		if d.I == 0 {
			return Datum{K: KindText}, nil
		}
		return Datum{K: KindText, S: string([]byte{byte(int8(d.I))})}, nil
	default:
		if !from.Known() {
			return Datum{}, errCannotCast(from, to)
		}
		s = string(AppendText(nil, d, from, set))
	}
	switch to.OID {
	case VarcharOID:
		v, err := coerceVarchar(s, to.Typmod, explicit)
		return Datum{K: KindText, S: v}, err
	case BPCharOID:
		v, err := coerceBPChar(s, to.Typmod, explicit)
		return Datum{K: KindText, S: v}, err
	case NameOID:
		return Datum{K: KindText, S: coerceName(s)}, nil
	case CharOID:
		if s == "" {
			return Datum{K: KindText}, nil
		}
		return Datum{K: KindText, S: s[:1]}, nil
	}
	return Datum{K: KindText, S: s}, nil
}

// castFromString is the I/O conversion: the target's input function, then
// its typmod with the cast's explicitness.
func castFromString(d Datum, from, to Type, explicit bool, set *Settings) (Datum, error) {
	if from.OID == CharOID {
		// "char" -> int4 is handled in castToInt; others go via text.
		from = Text
	}
	if !to.Known() {
		return Datum{}, errCannotCast(from, to)
	}
	v, err := ParseText(Type{to.OID, -1}, stringOf(d, from), set)
	if err != nil {
		return Datum{}, err
	}
	return applyTypmod(v, to, explicit)
}

func castToInt(d Datum, from, to Type) (Datum, error) {
	switch d.K {
	case KindInt:
		v := d.I
		if from.OID == OIDOID || isRegType(from.OID) {
			if to.OID == Int4OID || to.OID == Int2OID {
				v = int64(int32(uint32(v))) // binary-coercible reinterpretation
			}
		}
		if err := checkIntRange(v, to.OID); err != nil {
			return Datum{}, err
		}
		return NewInt(v), nil
	case KindBool:
		if to.OID == Int4OID {
			return NewInt(d.I), nil
		}
	case KindText:
		if from.OID == CharOID && to.OID == Int4OID {
			if d.S == "" {
				return NewInt(0), nil
			}
			return NewInt(int64(int8(d.S[0]))), nil
		}
	case KindFloat:
		return floatToInt(d.F, from.OID == Float4OID, to.OID)
	case KindNumeric:
		v, err := numericToInt64(d.Numeric(), to.OID)
		if err != nil {
			return Datum{}, err
		}
		return NewInt(v), nil
	case KindJSON:
		if from.OID == JSONBOID {
			v, err := jsonbCastScalar(d, intTypeName(to.OID))
			if err != nil {
				return Datum{}, err
			}
			if v.kind != jNumber {
				return Datum{}, errJSONBCast(&v, intTypeName(to.OID))
			}
			n, err := numericToInt64(v.num, to.OID)
			if err != nil {
				return Datum{}, err
			}
			return NewInt(n), nil
		}
	}
	return Datum{}, errCannotCast(from, to)
}

func isRegType(oid uint32) bool {
	switch oid {
	case RegclassOID, RegtypeOID, RegprocOID, RegprocedureOID, RegoperOID, RegnamespaceOID, RegroleOID:
		return true
	}
	return false
}

// floatToInt is float8_int4 & co: rint (half to even), then the range
// check against the exact power-of-two bounds.
func floatToInt(f float64, isFloat4 bool, to uint32) (Datum, error) {
	if isFloat4 {
		f = float64(float32(math.RoundToEven(float64(float32(f)))))
	} else {
		f = math.RoundToEven(f)
	}
	var lo, hi float64
	switch to {
	case Int2OID:
		lo, hi = -32768, 32768
	case Int4OID:
		lo, hi = -2147483648, 2147483648
	default:
		lo, hi = -9223372036854775808, 9223372036854775808
	}
	if math.IsNaN(f) || f < lo || f >= hi {
		return Datum{}, errIntOutOfRange(to)
	}
	return NewInt(int64(f)), nil
}

func castToOID(d Datum, from, to Type) (Datum, error) {
	if d.K != KindInt {
		return Datum{}, errCannotCast(from, to)
	}
	v := d.I
	switch from.OID {
	case Int8OID:
		if v < 0 || v > math.MaxUint32 {
			return Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "OID out of range")
		}
	case Int4OID, Int2OID:
		v = int64(uint32(int32(v)))
	}
	return NewInt(v), nil
}

func castToFloat(d Datum, from, to Type) (Datum, error) {
	var f float64
	switch d.K {
	case KindInt:
		f = float64(d.I)
		if to.OID == Float4OID {
			f = float64(float32(d.I))
		}
		return NewFloat(f), nil
	case KindFloat:
		f = d.F
		if to.OID == Float4OID && from.OID != Float4OID {
			r := float32(f)
			if math.IsInf(float64(r), 0) && !math.IsInf(f, 0) {
				return Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
			}
			if r == 0 && f != 0 {
				return Datum{}, pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: underflow")
			}
			f = float64(r)
		}
		return NewFloat(f), nil
	case KindNumeric:
		return numericToFloatChecked(d.Numeric(), to)
	case KindJSON:
		if from.OID == JSONBOID {
			name := floatTypeName(to.OID)
			v, err := jsonbCastScalar(d, name)
			if err != nil {
				return Datum{}, err
			}
			if v.kind != jNumber {
				return Datum{}, errJSONBCast(&v, name)
			}
			return numericToFloatChecked(v.num, to)
		}
	}
	return Datum{}, errCannotCast(from, to)
}

// numericToFloatChecked is numeric_float8/numeric_float4: the numeric's
// text read by float8in/float4in, whose range errors quote that text.
func numericToFloatChecked(n *apd.Decimal, to Type) (Datum, error) {
	bits := 64
	if to.OID == Float4OID {
		bits = 32
	}
	f := numericToFloat(n, bits)
	if n.Form == apd.Finite && (math.IsInf(f, 0) || (f == 0 && n.Coeff.Sign() != 0)) {
		return Datum{}, errFloatRange(string(appendNumeric(nil, n)), floatTypeName(to.OID))
	}
	return NewFloat(f), nil
}

func castToNumeric(d Datum, from, to Type) (Datum, error) {
	var n *apd.Decimal
	switch d.K {
	case KindInt:
		n = numericFromInt(d.I)
	case KindFloat:
		bits := 64
		if from.OID == Float4OID {
			bits = 32
		}
		v, err := numericFromFloat(d.F, bits)
		if err != nil {
			return Datum{}, err
		}
		n = new(apd.Decimal)
		n.Set(v)
	case KindJSON:
		if from.OID != JSONBOID {
			return Datum{}, errCannotCast(from, to)
		}
		v, err := jsonbCastScalar(d, "numeric")
		if err != nil {
			return Datum{}, err
		}
		if v.kind != jNumber {
			return Datum{}, errJSONBCast(&v, "numeric")
		}
		n = v.num
	default:
		return Datum{}, errCannotCast(from, to)
	}
	if err := applyNumericTypmod(n, to); err != nil {
		return Datum{}, err
	}
	return Datum{K: KindNumeric, X: n}, nil
}

// jsonbCastScalar parses the jsonb operand of a cast to a scalar type
// (JsonbExtractScalar); the caller checks the kind.
func jsonbCastScalar(d Datum, target string) (jsonValue, error) {
	_ = target
	return parseJSONValue(d.S)
}

func errJSONBCast(v *jsonValue, target string) error {
	return pgerror.New(pgerror.InvalidParameterValue, "cannot cast jsonb %s to type %s", jsonbTypeName(v), target)
}

func castToDate(d Datum, from Type, set *Settings) (Datum, error) {
	var ts int64
	switch d.K {
	case KindTimestamp:
		ts = d.I
	case KindTimestampTZ:
		if d.I == TimestampInfinity || d.I == TimestampNegInfinity {
			ts = d.I
		} else {
			ts, _, _ = timestampTZToLocal(d.I, set.location())
		}
	default:
		return Datum{}, errCannotCast(from, Date)
	}
	switch ts {
	case TimestampInfinity:
		return NewDate(DateInfinity), nil
	case TimestampNegInfinity:
		return NewDate(DateNegInfinity), nil
	}
	return Datum{K: KindDate, I: floorDiv(ts, usecsPerDay)}, nil
}

func castToTimestamp(d Datum, from, to Type, set *Settings) (Datum, error) {
	withTZ := to.OID == TimestamptzOID
	var ts int64
	switch d.K {
	case KindDate:
		if d.I == DateInfinity || d.I == DateNegInfinity {
			ts = dateToTimestampRaw(d.I)
			break
		}
		if d.I >= int64(timestampEndJulian-postgresEpochJDate) {
			return Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range for timestamp")
		}
		ts = d.I * usecsPerDay
		if withTZ {
			ts = localToTimestampTZ(ts, set.location())
			if !validTimestamp(ts) {
				return Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range for timestamp")
			}
		}
	case KindTimestamp:
		ts = d.I
		if withTZ {
			ts = localToTimestampTZ(ts, set.location())
			if ts != TimestampInfinity && ts != TimestampNegInfinity && !validTimestamp(ts) {
				return Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
			}
		}
	case KindTimestampTZ:
		ts = d.I
		if !withTZ {
			ts, _, _ = timestampTZToLocal(ts, set.location())
			if ts != TimestampInfinity && ts != TimestampNegInfinity && !validTimestamp(ts) {
				return Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
			}
		}
	default:
		return Datum{}, errCannotCast(from, to)
	}
	ts, err := adjustTimestampTypmod(ts, to.Typmod, "")
	if err != nil {
		return Datum{}, err
	}
	if withTZ {
		return NewTimestampTZ(ts), nil
	}
	return NewTimestamp(ts), nil
}

func castToTime(d Datum, from, to Type, set *Settings) (Datum, error) {
	var t int64
	switch d.K {
	case KindTimestamp, KindTimestampTZ:
		ts := d.I
		if ts == TimestampInfinity || ts == TimestampNegInfinity {
			return Datum{}, nil // PostgreSQL returns NULL
		}
		if d.K == KindTimestampTZ {
			ts, _, _ = timestampTZToLocal(ts, set.location())
		}
		t = ts - floorDiv(ts, usecsPerDay)*usecsPerDay
	case KindInterval:
		t = d.I % usecsPerDay
		if t < 0 {
			t += usecsPerDay
		}
	default:
		return Datum{}, errCannotCast(from, to)
	}
	return NewTime(adjustTimeTypmod(t, to.Typmod)), nil
}
