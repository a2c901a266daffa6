package types

// ParseText reads s as a value of type t with PostgreSQL's input function
// for t (the same rules COPY, untyped literals and text-format parameters
// go through), including the typmod: varchar(n)/char(n) length checks (22001),
// char(n) padding, numeric(p,s) rounding and overflow (22003), time and
// timestamp precision. set supplies TimeZone (for timestamptz input without
// a zone), DateOrder (for 01/02/03) and IntervalStyle (sql_standard sign
// rules); nil means DefaultSettings().
//
// Errors are *pgerror.Error with PostgreSQL's SQLSTATE and message: 22P02
// invalid input syntax, 22003 out of range, 22001 too long, 22007/22008
// for dates and times, 22021 for invalid UTF-8, 0A000 for types this
// package does not implement. ParseText never panics on any input.
func ParseText(t Type, s string, set *Settings) (Datum, error) {
	switch t.OID {
	case Int4OID:
		v, err := parseInt4Text(s)
		return Datum{K: KindInt, I: v}, err
	case Int8OID:
		v, err := parseInt8Text(s)
		return Datum{K: KindInt, I: v}, err
	case Int2OID:
		v, err := parseInt2Text(s)
		return Datum{K: KindInt, I: v}, err
	case TextOID, UnknownOID:
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindText, S: s}, nil
	case VarcharOID:
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		v, err := coerceVarchar(s, t.Typmod, false)
		return Datum{K: KindText, S: v}, err
	case BPCharOID:
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		v, err := coerceBPChar(s, t.Typmod, false)
		return Datum{K: KindText, S: v}, err
	case NameOID:
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindText, S: coerceName(s)}, nil
	case CharOID:
		return Datum{K: KindText, S: parseCharText(s)}, nil
	case BoolOID:
		b, err := parseBoolText(s)
		if err != nil {
			return Datum{}, err
		}
		return NewBool(b), nil
	case Float8OID:
		f, err := parseFloatText(s, 64)
		return Datum{K: KindFloat, F: f}, err
	case Float4OID:
		f, err := parseFloatText(s, 32)
		return Datum{K: KindFloat, F: f}, err
	case NumericOID:
		d, err := parseNumericText(s)
		if err != nil {
			return Datum{}, err
		}
		if err := applyNumericTypmod(d, t); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindNumeric, X: d}, nil
	case OIDOID:
		v, err := parseOIDText(s, "oid")
		return Datum{K: KindInt, I: v}, err
	case RegclassOID, RegtypeOID, RegprocOID, RegprocedureOID, RegoperOID, RegnamespaceOID, RegroleOID:
		v, err := parseRegText(s, t, set)
		return Datum{K: KindInt, I: v}, err
	case ByteaOID:
		b, err := parseByteaText(s)
		return Datum{K: KindBytes, S: b}, err
	case DateOID:
		v, err := parseDateText(s, set)
		return Datum{K: KindDate, I: v}, err
	case TimeOID:
		v, err := parseTimeText(s, t.Typmod, set)
		return Datum{K: KindTime, I: v}, err
	case TimestampOID:
		v, err := parseTimestampText(s, t.Typmod, false, set)
		return Datum{K: KindTimestamp, I: v}, err
	case TimestamptzOID:
		v, err := parseTimestampText(s, t.Typmod, true, set)
		return Datum{K: KindTimestampTZ, I: v}, err
	case IntervalOID:
		iv, err := parseIntervalText(s, t.Typmod, set)
		if err != nil {
			return Datum{}, err
		}
		return NewInterval(iv), nil
	case UUIDOID:
		u, err := parseUUIDText(s)
		return Datum{K: KindUUID, S: u}, err
	case JSONOID:
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		if err := validateJSON(s); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindJSON, S: s}, nil
	case JSONBOID:
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		j, err := parseJSONB(s)
		return Datum{K: KindJSON, S: j}, err
	}
	switch t.OID {
	case TSVectorOID:
		return ParseTSVector(s)
	case TSQueryOID:
		return ParseTSQuery(s)
	case RegconfigOID:
		oid, err := ParseRegconfig(s)
		return NewInt(int64(oid)), err
	case RegdictionaryOID:
		oid, err := ParseRegdictionary(s)
		return NewInt(int64(oid)), err
	}
	if IsVectorType(t.OID) {
		return ParseVector(t, s)
	}
	if t.IsArray() {
		return parseArrayText(s, t, set)
	}
	return Datum{}, errUnsupported(t)
}
