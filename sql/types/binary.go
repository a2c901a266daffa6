package types

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Binary wire format: PostgreSQL 15's typsend/typreceive functions, by type
// OID. Integers are big-endian; see each encoder for its source function.
// The encoders below are allocation-free apart from growing dst.

// ErrBinaryFormat marks binary input whose length does not match its type
// (PostgreSQL reports it as "incorrect binary data format in bind parameter
// N"; the caller knows N and may reword the 22P03 error it comes in).
var ErrBinaryFormat = errors.New("incorrect binary data format")

func errBinaryLength() error {
	return pgerror.Wrap(ErrBinaryFormat, pgerror.InvalidBinaryRepresentation, "incorrect binary data format")
}

func errInsufficient() error {
	return pgerror.New(pgerror.InvalidBinaryRepresentation, "insufficient data left in message")
}

// AppendBinary appends the binary send format of d as type t. NULL appends
// nothing. It fails (0A000) only for a type it does not implement, or
// (XX000) if d's kind cannot be a value of t.
func AppendBinary(dst []byte, d Datum, t Type) ([]byte, error) {
	if d.K == KindNull {
		return dst, nil
	}
	switch t.OID {
	case Int8OID:
		return binary.BigEndian.AppendUint64(dst, uint64(d.I)), nil
	case Int4OID:
		return binary.BigEndian.AppendUint32(dst, uint32(int32(d.I))), nil
	case Int2OID:
		return binary.BigEndian.AppendUint16(dst, uint16(int16(d.I))), nil
	case TextOID, VarcharOID, BPCharOID, NameOID, UnknownOID, JSONOID, ByteaOID:
		return append(dst, d.S...), nil
	case BoolOID:
		return appendBinaryBool(dst, d), nil
	case Float8OID:
		return binary.BigEndian.AppendUint64(dst, math.Float64bits(d.F)), nil
	case Float4OID:
		return binary.BigEndian.AppendUint32(dst, math.Float32bits(float32(d.F))), nil
	case NumericOID:
		if d.K != KindNumeric {
			return dst, errKindMismatch(d, t)
		}
		return appendBinaryNumeric(dst, d.Numeric()), nil
	case TimestamptzOID, TimestampOID, TimeOID:
		return binary.BigEndian.AppendUint64(dst, uint64(d.I)), nil
	case DateOID:
		return binary.BigEndian.AppendUint32(dst, uint32(int32(d.I))), nil
	case IntervalOID:
		return appendBinaryInterval(dst, d.Interval()), nil
	case UUIDOID:
		if len(d.S) != 16 {
			return dst, errKindMismatch(d, t)
		}
		return append(dst, d.S...), nil
	case JSONBOID:
		return append(append(dst, 1), d.S...), nil
	case TSVectorOID:
		return appendBinaryTSVector(dst, d)
	case TSQueryOID:
		return appendBinaryTSQuery(dst, d)
	case CharOID:
		if d.S == "" {
			return append(dst, 0), nil
		}
		return append(dst, d.S[0]), nil
	case OIDOID, RegclassOID, RegtypeOID, RegprocOID, RegprocedureOID, RegoperOID, RegnamespaceOID, RegroleOID, RegconfigOID, RegdictionaryOID:
		return binary.BigEndian.AppendUint32(dst, uint32(d.I)), nil
	}
	if t.IsArray() {
		if d.K != KindArray {
			return dst, errKindMismatch(d, t)
		}
		return appendBinaryArray(dst, d.Array(), t)
	}
	return dst, errUnsupported(t)
}

func errKindMismatch(d Datum, t Type) error {
	return pgerror.New(pgerror.InternalError, "cannot send a %s value as type %s", d.K, FormatType(t))
}

// appendBinaryBool is boolsend.
func appendBinaryBool(dst []byte, d Datum) []byte {
	if d.I != 0 {
		return append(dst, 1)
	}
	return append(dst, 0)
}

// appendBinaryInterval is interval_send: time int64, day int32, month int32.
func appendBinaryInterval(dst []byte, iv IntervalValue) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(iv.Micros))
	dst = binary.BigEndian.AppendUint32(dst, uint32(iv.Days))
	return binary.BigEndian.AppendUint32(dst, uint32(iv.Months))
}

func fixedLen(b []byte, n int) error {
	if len(b) < n {
		return errInsufficient()
	}
	if len(b) > n {
		return errBinaryLength()
	}
	return nil
}

// ParseBinary reads the binary receive format of type t (typmod applied as
// for text input). Malformed input gives 22P03 (or the range/encoding
// errors PostgreSQL's receive function raises), never a panic. Text values
// are copied out of b.
func ParseBinary(t Type, b []byte) (Datum, error) {
	switch t.OID {
	case Int8OID:
		if err := fixedLen(b, 8); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindInt, I: int64(binary.BigEndian.Uint64(b))}, nil
	case Int4OID:
		if err := fixedLen(b, 4); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindInt, I: int64(int32(binary.BigEndian.Uint32(b)))}, nil
	case Int2OID:
		if err := fixedLen(b, 2); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindInt, I: int64(int16(binary.BigEndian.Uint16(b)))}, nil
	case TextOID, UnknownOID:
		s := string(b)
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindText, S: s}, nil
	case VarcharOID, BPCharOID:
		s := string(b)
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		var err error
		if t.OID == VarcharOID {
			s, err = coerceVarchar(s, t.Typmod, false)
		} else {
			s, err = coerceBPChar(s, t.Typmod, false)
		}
		return Datum{K: KindText, S: s}, err
	case NameOID:
		s := string(b)
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		if len(s) >= nameDataLen {
			return Datum{}, pgerror.New(pgerror.NameTooLong, "identifier too long").
				WithDetail("Identifier must be less than %d characters.", nameDataLen)
		}
		return Datum{K: KindText, S: s}, nil
	case CharOID:
		if err := fixedLen(b, 1); err != nil {
			return Datum{}, err
		}
		if b[0] == 0 {
			return Datum{K: KindText}, nil
		}
		return Datum{K: KindText, S: string(b[:1])}, nil
	case ByteaOID:
		return Datum{K: KindBytes, S: string(b)}, nil
	case BoolOID:
		if err := fixedLen(b, 1); err != nil {
			return Datum{}, err
		}
		return NewBool(b[0] != 0), nil
	case Float8OID:
		if err := fixedLen(b, 8); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindFloat, F: math.Float64frombits(binary.BigEndian.Uint64(b))}, nil
	case Float4OID:
		if err := fixedLen(b, 4); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindFloat, F: float64(math.Float32frombits(binary.BigEndian.Uint32(b)))}, nil
	case NumericOID:
		d, err := parseBinaryNumeric(b)
		if err != nil {
			return Datum{}, err
		}
		if err := applyNumericTypmod(d, t); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindNumeric, X: d}, nil
	case DateOID:
		if err := fixedLen(b, 4); err != nil {
			return Datum{}, err
		}
		v := int64(int32(binary.BigEndian.Uint32(b)))
		if v != DateInfinity && v != DateNegInfinity && !validDate(v) {
			return Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range")
		}
		return Datum{K: KindDate, I: v}, nil
	case TimeOID:
		if err := fixedLen(b, 8); err != nil {
			return Datum{}, err
		}
		v := int64(binary.BigEndian.Uint64(b))
		if v < 0 || v > usecsPerDay {
			return Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "time out of range")
		}
		return Datum{K: KindTime, I: adjustTimeTypmod(v, t.Typmod)}, nil
	case TimestampOID, TimestamptzOID:
		if err := fixedLen(b, 8); err != nil {
			return Datum{}, err
		}
		v := int64(binary.BigEndian.Uint64(b))
		if v != TimestampInfinity && v != TimestampNegInfinity && !validTimestamp(v) {
			return Datum{}, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
		}
		v, err := adjustTimestampTypmod(v, t.Typmod, "")
		if err != nil {
			return Datum{}, err
		}
		k := KindTimestamp
		if t.OID == TimestamptzOID {
			k = KindTimestampTZ
		}
		return Datum{K: k, I: v}, nil
	case IntervalOID:
		if err := fixedLen(b, 16); err != nil {
			return Datum{}, err
		}
		iv := IntervalValue{
			Micros: int64(binary.BigEndian.Uint64(b)),
			Days:   int32(binary.BigEndian.Uint32(b[8:])),
			Months: int32(binary.BigEndian.Uint32(b[12:])),
		}
		iv, err := adjustIntervalTypmod(iv, t.Typmod)
		return NewInterval(iv), err
	case UUIDOID:
		if err := fixedLen(b, 16); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindUUID, S: string(b)}, nil
	case JSONOID:
		s := string(b)
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		if err := validateJSON(s); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindJSON, S: s}, nil
	case JSONBOID:
		if len(b) < 1 {
			return Datum{}, errInsufficient()
		}
		if b[0] != 1 {
			return Datum{}, pgerror.New(pgerror.InvalidBinaryRepresentation, "unsupported jsonb version number %d", b[0])
		}
		s := string(b[1:])
		if err := checkUTF8(s); err != nil {
			return Datum{}, err
		}
		j, err := parseJSONB(s)
		return Datum{K: KindJSON, S: j}, err
	case TSVectorOID:
		return decodeBinaryTSVector(b)
	case TSQueryOID:
		return decodeBinaryTSQuery(b)
	case OIDOID, RegclassOID, RegtypeOID, RegprocOID, RegprocedureOID, RegoperOID, RegnamespaceOID, RegroleOID, RegconfigOID, RegdictionaryOID:
		if err := fixedLen(b, 4); err != nil {
			return Datum{}, err
		}
		return Datum{K: KindInt, I: int64(binary.BigEndian.Uint32(b))}, nil
	}
	if t.IsArray() {
		return parseBinaryArray(t, b)
	}
	return Datum{}, errUnsupported(t)
}
