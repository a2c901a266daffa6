package types

// AppendText appends the text form of d as PostgreSQL 15 prints a value of
// type t (its output function), under the session settings set (nil =
// DefaultSettings()): DateStyle and TimeZone for dates and timestamps,
// IntervalStyle, extra_float_digits. A NULL datum appends nothing (the
// caller writes the NULL marker of its format). The type chooses details
// the Datum cannot: float4 vs float8 digits, "char" escapes, timestamptz
// zone display.
func AppendText(dst []byte, d Datum, t Type, set *Settings) []byte {
	switch d.K {
	case KindNull:
		return dst
	case KindInt:
		switch t.OID {
		case RegconfigOID:
			return append(dst, TSConfigName(uint32(d.I))...)
		case RegdictionaryOID:
			return append(dst, TSDictName(uint32(d.I))...)
		case RegtypeOID:
			if tt := (Type{OID: uint32(d.I), Typmod: -1}); tt.Known() {
				return append(dst, FormatRegtype(tt)...)
			}
		case RegclassOID, RegnamespaceOID, RegprocOID, RegroleOID:
			// Names of catalog objects come from the session's catalog.
			if set != nil && set.RegName != nil {
				if name, ok := set.RegName(t.OID, uint32(d.I)); ok {
					return append(dst, name...)
				}
			}
		}
		return appendInt(dst, d.I)
	case KindText:
		if t.OID == CharOID {
			return appendChar(dst, d.S)
		}
		return append(dst, d.S...)
	case KindBool:
		return appendBool(dst, d.I != 0)
	case KindFloat:
		efd := 1
		if set != nil {
			efd = int(set.ExtraFloatDigits)
		}
		if t.OID == Float4OID {
			return appendFloat(dst, d.F, 32, efd)
		}
		return appendFloat(dst, d.F, 64, efd)
	case KindNumeric:
		return appendNumeric(dst, d.Numeric())
	case KindTimestampTZ:
		return appendTimestamp(dst, d.I, true, set)
	case KindTimestamp:
		return appendTimestamp(dst, d.I, false, set)
	case KindDate:
		return appendDate(dst, d.I, set)
	case KindTime:
		return appendTimeOfDay(dst, d.I)
	case KindInterval:
		style := IntervalStylePostgres
		if set != nil {
			style = set.IntervalStyle
		}
		return appendInterval(dst, d.Interval(), style)
	case KindBytes:
		if set != nil && set.ByteaEscape {
			return appendByteaEscape(dst, d.S)
		}
		return appendBytea(dst, d.S)
	case KindUUID:
		return appendUUID(dst, d.S)
	case KindJSON, KindTSVector, KindTSQuery:
		return append(dst, d.S...)
	case KindArray:
		if IsVectorType(t.OID) {
			return appendVector(dst, d.Array())
		}
		return appendArray(dst, d.Array(), set)
	}
	return dst
}

// FormatText is AppendText into a new string ("" for NULL).
func FormatText(d Datum, t Type, set *Settings) string {
	var buf [64]byte
	return string(AppendText(buf[:0], d, t, set))
}
