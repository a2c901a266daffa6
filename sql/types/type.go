package types

// Type identifies a SQL type: its PostgreSQL OID plus a type modifier
// (typmod, -1 = none) encoded exactly as PostgreSQL encodes atttypmod:
//
//	varchar(n), char(n)      n + 4                       (VARHDRSZ)
//	numeric(p, s)            ((p << 16) | (s & 0x7ff)) + 4
//	time(p), timestamp(p)    p
//	interval fields(p)       (range << 16) | p           (INTERVAL_TYPMOD)
//
// For an array type the typmod is the element's (varchar(10)[] is
// {VarcharArrayOID, 14}), as in pg_attribute.
type Type struct {
	OID    uint32
	Typmod int32
}

// Predefined types without a modifier.
var (
	Bool        = Type{BoolOID, -1}
	Bytea       = Type{ByteaOID, -1}
	Char        = Type{CharOID, -1} // "char"
	Name        = Type{NameOID, -1}
	Int2        = Type{Int2OID, -1}
	Int4        = Type{Int4OID, -1}
	Int8        = Type{Int8OID, -1}
	Float4      = Type{Float4OID, -1}
	Float8      = Type{Float8OID, -1}
	Numeric     = Type{NumericOID, -1}
	Text        = Type{TextOID, -1}
	Varchar     = Type{VarcharOID, -1}
	BPChar      = Type{BPCharOID, -1}
	OID         = Type{OIDOID, -1}
	Regclass    = Type{RegclassOID, -1}
	Regtype     = Type{RegtypeOID, -1}
	Regproc     = Type{RegprocOID, -1}
	Date        = Type{DateOID, -1}
	Time        = Type{TimeOID, -1}
	Timestamp   = Type{TimestampOID, -1}
	TimestampTZ = Type{TimestamptzOID, -1}
	Interval    = Type{IntervalOID, -1}
	UUID        = Type{UUIDOID, -1}
	JSON        = Type{JSONOID, -1}
	JSONB       = Type{JSONBOID, -1}
	Unknown     = Type{UnknownOID, -1}
	Void        = Type{VoidOID, -1}
	Record      = Type{RecordOID, -1}

	Int2Array   = Type{Int2ArrayOID, -1}
	Int4Array   = Type{Int4ArrayOID, -1}
	Int8Array   = Type{Int8ArrayOID, -1}
	TextArray   = Type{TextArrayOID, -1}
	Float8Array = Type{Float8ArrayOID, -1}
)

// VarcharN returns varchar(n); BPCharN returns character(n).
func VarcharN(n int32) Type { return Type{VarcharOID, n + 4} }
func BPCharN(n int32) Type  { return Type{BPCharOID, n + 4} }

// NumericPS returns numeric(p, s). PostgreSQL 15 allows -1000 <= s <= 1000.
func NumericPS(p, s int32) Type { return Type{NumericOID, ((p << 16) | (s & 0x7ff)) + 4} }

// typeInfo is one row of the pg_type subset this package knows.
type typeInfo struct {
	oid       uint32
	typname   string // pg_type.typname
	sqlName   string // format_type() spelling without typmod
	length    int16  // typlen: >0 fixed, -1 varlena, -2 cstring
	category  byte   // typcategory
	preferred bool   // typispreferred
	byval     bool
	align     byte
	kind      Kind
	array     uint32 // typarray of an element type
	elem      uint32 // typelem of an array type
}

// baseTypes is pg_type for the scalar types (query in testdata/pg_type.txt).
var baseTypes = []typeInfo{
	{BoolOID, "bool", "boolean", 1, 'B', true, true, 'c', KindBool, BoolArrayOID, 0},
	{ByteaOID, "bytea", "bytea", -1, 'U', false, false, 'i', KindBytes, ByteaArrayOID, 0},
	{CharOID, "char", `"char"`, 1, 'Z', false, true, 'c', KindText, CharArrayOID, 0},
	{NameOID, "name", "name", 64, 'S', false, false, 'c', KindText, NameArrayOID, 0},
	{Int8OID, "int8", "bigint", 8, 'N', false, true, 'd', KindInt, Int8ArrayOID, 0},
	{Int2OID, "int2", "smallint", 2, 'N', false, true, 's', KindInt, Int2ArrayOID, 0},
	{Int4OID, "int4", "integer", 4, 'N', false, true, 'i', KindInt, Int4ArrayOID, 0},
	{RegprocOID, "regproc", "regproc", 4, 'N', false, true, 'i', KindInt, RegprocArrayOID, 0},
	{TextOID, "text", "text", -1, 'S', true, false, 'i', KindText, TextArrayOID, 0},
	{OIDOID, "oid", "oid", 4, 'N', true, true, 'i', KindInt, OIDArrayOID, 0},
	{JSONOID, "json", "json", -1, 'U', false, false, 'i', KindJSON, JSONArrayOID, 0},
	{Float4OID, "float4", "real", 4, 'N', false, true, 'i', KindFloat, Float4ArrayOID, 0},
	{Float8OID, "float8", "double precision", 8, 'N', true, true, 'd', KindFloat, Float8ArrayOID, 0},
	{UnknownOID, "unknown", "unknown", -2, 'X', false, false, 'c', KindText, 0, 0},
	{BPCharOID, "bpchar", "character", -1, 'S', false, false, 'i', KindText, BPCharArrayOID, 0},
	{VarcharOID, "varchar", "character varying", -1, 'S', false, false, 'i', KindText, VarcharArrayOID, 0},
	{DateOID, "date", "date", 4, 'D', false, true, 'i', KindDate, DateArrayOID, 0},
	{TimeOID, "time", "time without time zone", 8, 'D', false, true, 'd', KindTime, TimeArrayOID, 0},
	{TimestampOID, "timestamp", "timestamp without time zone", 8, 'D', false, true, 'd', KindTimestamp, TimestampArrayOID, 0},
	{TimestamptzOID, "timestamptz", "timestamp with time zone", 8, 'D', true, true, 'd', KindTimestampTZ, TimestamptzArrayOID, 0},
	{IntervalOID, "interval", "interval", 16, 'T', true, false, 'd', KindInterval, IntervalArrayOID, 0},
	{NumericOID, "numeric", "numeric", -1, 'N', false, false, 'i', KindNumeric, NumericArrayOID, 0},
	{RegprocedureOID, "regprocedure", "regprocedure", 4, 'N', false, true, 'i', KindInt, RegprocedureArrayOID, 0},
	{RegoperOID, "regoper", "regoper", 4, 'N', false, true, 'i', KindInt, RegoperArrayOID, 0},
	{RegclassOID, "regclass", "regclass", 4, 'N', false, true, 'i', KindInt, RegclassArrayOID, 0},
	{RegtypeOID, "regtype", "regtype", 4, 'N', false, true, 'i', KindInt, RegtypeArrayOID, 0},
	{UUIDOID, "uuid", "uuid", 16, 'U', false, false, 'c', KindUUID, UUIDArrayOID, 0},
	{JSONBOID, "jsonb", "jsonb", -1, 'U', false, false, 'i', KindJSON, JSONBArrayOID, 0},
	{RegnamespaceOID, "regnamespace", "regnamespace", 4, 'N', false, true, 'i', KindInt, RegnamespaceArrayOID, 0},
	{RegroleOID, "regrole", "regrole", 4, 'N', false, true, 'i', KindInt, RegroleArrayOID, 0},
	{VoidOID, "void", "void", 4, 'P', false, true, 'i', KindNull, 0, 0},
	{RecordOID, "record", "record", -1, 'P', false, false, 'd', KindNull, 0, 0},
}

var typeInfoByOID = func() map[uint32]*typeInfo {
	m := make(map[uint32]*typeInfo, 2*len(baseTypes))
	for i := range baseTypes {
		b := &baseTypes[i]
		m[b.oid] = b
		if b.array != 0 {
			align := b.align
			if align != 'd' {
				align = 'i'
			}
			m[b.array] = &typeInfo{
				oid: b.array, typname: "_" + b.typname, sqlName: b.sqlName + "[]",
				length: -1, category: 'A', byval: false, align: align,
				kind: KindArray, elem: b.oid,
			}
		}
	}
	return m
}()

func lookupType(oid uint32) *typeInfo { return typeInfoByOID[oid] }

// Known reports whether this package implements values of t.
func (t Type) Known() bool { return lookupType(t.OID) != nil }

// Name returns pg_type.typname ("int4", "varchar", "_int4"), or "" if unknown.
func (t Type) Name() string {
	if ti := lookupType(t.OID); ti != nil {
		return ti.typname
	}
	return ""
}

// String is FormatType(t).
func (t Type) String() string { return FormatType(t) }

// Kind is the physical representation of values of t (KindNull if unknown).
func (t Type) Kind() Kind {
	switch t.OID { // hot types first, without the map
	case Int4OID, Int8OID, Int2OID:
		return KindInt
	case TextOID, VarcharOID, BPCharOID:
		return KindText
	case BoolOID:
		return KindBool
	case Float8OID, Float4OID:
		return KindFloat
	case NumericOID:
		return KindNumeric
	case TimestamptzOID:
		return KindTimestampTZ
	case TimestampOID:
		return KindTimestamp
	case DateOID:
		return KindDate
	}
	if ti := lookupType(t.OID); ti != nil {
		return ti.kind
	}
	return KindNull
}

// Len is pg_type.typlen: the fixed size in bytes, -1 for variable length.
func (t Type) Len() int16 {
	if ti := lookupType(t.OID); ti != nil {
		return ti.length
	}
	return -1
}

// Category is pg_type.typcategory ('N' numeric, 'S' string, 'D' datetime, ...).
func (t Type) Category() byte {
	if ti := lookupType(t.OID); ti != nil {
		return ti.category
	}
	return 'U'
}

// Preferred is pg_type.typispreferred (used by operator resolution).
func (t Type) Preferred() bool {
	ti := lookupType(t.OID)
	return ti != nil && ti.preferred
}

// ByVal and Align are pg_type.typbyval and typalign, for the catalogs.
func (t Type) ByVal() bool {
	ti := lookupType(t.OID)
	return ti != nil && ti.byval
}

func (t Type) Align() byte {
	if ti := lookupType(t.OID); ti != nil {
		return ti.align
	}
	return 'i'
}

// IsArray reports whether t is an array type.
func (t Type) IsArray() bool {
	ti := lookupType(t.OID)
	return ti != nil && ti.elem != 0
}

// Elem returns the element type of an array type (keeping the typmod), or
// (Type{}, false).
func (t Type) Elem() (Type, bool) {
	ti := lookupType(t.OID)
	if ti == nil || ti.elem == 0 {
		return Type{}, false
	}
	return Type{ti.elem, t.Typmod}, true
}

// ArrayOf returns the array type whose elements are t (keeping the typmod),
// or (Type{}, false) if t has no array type.
func ArrayOf(t Type) (Type, bool) {
	ti := lookupType(t.OID)
	if ti == nil || ti.array == 0 {
		return Type{}, false
	}
	return Type{ti.array, t.Typmod}, true
}

// IsString reports whether t is in the string category (text, varchar,
// bpchar, name) or is "char" or unknown: the types cast via I/O conversion.
func (t Type) IsString() bool {
	switch t.OID {
	case TextOID, VarcharOID, BPCharOID, NameOID, CharOID, UnknownOID:
		return true
	}
	return false
}

// VarcharLen returns n for varchar(n)/char(n), or -1.
func (t Type) VarcharLen() int32 {
	if t.Typmod < 4 {
		return -1
	}
	return t.Typmod - 4
}

// NumericPrecisionScale returns (p, s, true) for numeric(p,s).
func (t Type) NumericPrecisionScale() (p, s int32, ok bool) {
	if t.Typmod < 4 {
		return 0, 0, false
	}
	m := t.Typmod - 4
	p = (m >> 16) & 0xffff
	s = ((m & 0x7ff) ^ 1024) - 1024 // sign-extend 11 bits, as PostgreSQL 15
	return p, s, true
}

// TypmodPrecision returns p for time(p)/timestamp(p)/interval(p), or -1.
func (t Type) TypmodPrecision() int32 {
	if t.Typmod < 0 {
		return -1
	}
	if t.OID == IntervalOID || t.OID == IntervalArrayOID {
		p := t.Typmod & 0xffff
		if p == 0xffff {
			return -1
		}
		return p
	}
	return t.Typmod
}
