package types

// Well-known type OIDs, as in PostgreSQL 15's pg_type (src/include/catalog/pg_type.dat).
// Clients (pgx, lib/pq, JDBC) hard-code these numbers, so they are part of the wire contract.
const (
	BoolOID         uint32 = 16
	ByteaOID        uint32 = 17
	CharOID         uint32 = 18 // "char": one byte
	NameOID         uint32 = 19
	Int8OID         uint32 = 20
	Int2OID         uint32 = 21
	Int2VectorOID   uint32 = 22
	Int4OID         uint32 = 23
	RegprocOID      uint32 = 24
	TextOID         uint32 = 25
	OIDOID          uint32 = 26
	TIDOID          uint32 = 27
	XIDOID          uint32 = 28
	CIDOID          uint32 = 29
	OIDVectorOID    uint32 = 30
	JSONOID         uint32 = 114
	Float4OID       uint32 = 700
	Float8OID       uint32 = 701
	UnknownOID      uint32 = 705
	BPCharOID       uint32 = 1042
	VarcharOID      uint32 = 1043
	DateOID         uint32 = 1082
	TimeOID         uint32 = 1083
	TimestampOID    uint32 = 1114
	TimestamptzOID  uint32 = 1184
	IntervalOID     uint32 = 1186
	TimetzOID       uint32 = 1266
	NumericOID      uint32 = 1700
	RegprocedureOID uint32 = 2202
	RegoperOID      uint32 = 2203
	RegclassOID     uint32 = 2205
	RegtypeOID      uint32 = 2206
	RecordOID       uint32 = 2249
	AnyOID          uint32 = 2276
	AnyArrayOID     uint32 = 2277
	VoidOID         uint32 = 2278
	AnyElementOID   uint32 = 2283
	UUIDOID         uint32 = 2950
	JSONBOID        uint32 = 3802
	RegnamespaceOID uint32 = 4089
	RegroleOID      uint32 = 4096

	// Array types (pg_type.typarray of the element type).
	JSONArrayOID         uint32 = 199
	BoolArrayOID         uint32 = 1000
	ByteaArrayOID        uint32 = 1001
	CharArrayOID         uint32 = 1002
	NameArrayOID         uint32 = 1003
	Int2ArrayOID         uint32 = 1005
	Int4ArrayOID         uint32 = 1007
	RegprocArrayOID      uint32 = 1008
	TextArrayOID         uint32 = 1009
	BPCharArrayOID       uint32 = 1014
	VarcharArrayOID      uint32 = 1015
	Int8ArrayOID         uint32 = 1016
	Float4ArrayOID       uint32 = 1021
	Float8ArrayOID       uint32 = 1022
	OIDArrayOID          uint32 = 1028
	TimestampArrayOID    uint32 = 1115
	DateArrayOID         uint32 = 1182
	TimeArrayOID         uint32 = 1183
	TimestamptzArrayOID  uint32 = 1185
	IntervalArrayOID     uint32 = 1187
	NumericArrayOID      uint32 = 1231
	RegprocedureArrayOID uint32 = 2207
	RegoperArrayOID      uint32 = 2208
	RegclassArrayOID     uint32 = 2210
	RegtypeArrayOID      uint32 = 2211
	UUIDArrayOID         uint32 = 2951
	JSONBArrayOID        uint32 = 3807
	RegnamespaceArrayOID uint32 = 4090
	RegroleArrayOID      uint32 = 4097
)
