package types

import (
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Interval typmod field masks (src/include/utils/datetime.h: INTERVAL_MASK).
const (
	IntervalMaskMonth  = 1 << 1
	IntervalMaskYear   = 1 << 2
	IntervalMaskDay    = 1 << 3
	IntervalMaskHour   = 1 << 10
	IntervalMaskMinute = 1 << 11
	IntervalMaskSecond = 1 << 12
	intervalFullRange  = 0x7fff
	intervalFullPrec   = 0xffff
)

var intervalRangeNames = map[int32]string{
	IntervalMaskYear:                     " year",
	IntervalMaskMonth:                    " month",
	IntervalMaskDay:                      " day",
	IntervalMaskHour:                     " hour",
	IntervalMaskMinute:                   " minute",
	IntervalMaskSecond:                   " second",
	IntervalMaskYear | IntervalMaskMonth: " year to month",
	IntervalMaskDay | IntervalMaskHour:   " day to hour",
	IntervalMaskDay | IntervalMaskHour | IntervalMaskMinute:                      " day to minute",
	IntervalMaskDay | IntervalMaskHour | IntervalMaskMinute | IntervalMaskSecond: " day to second",
	IntervalMaskHour | IntervalMaskMinute:                                        " hour to minute",
	IntervalMaskHour | IntervalMaskMinute | IntervalMaskSecond:                   " hour to second",
	IntervalMaskMinute | IntervalMaskSecond:                                      " minute to second",
	intervalFullRange:                                                            "",
}

// IntervalTypmod builds an interval typmod from a field mask (0 = all
// fields) and a precision (-1 = none), as INTERVAL_TYPMOD.
func IntervalTypmod(fields int32, precision int32) int32 {
	if fields == 0 {
		fields = intervalFullRange
	}
	if precision < 0 {
		precision = intervalFullPrec
	}
	if fields == intervalFullRange && precision == intervalFullPrec {
		return -1
	}
	return fields<<16 | precision
}

// FormatRegtype prints a type as regtype's output does (format_type_be,
// no typmod given): char without a length is "character" there, where
// format_type(oid, -1) says "bpchar".
func FormatRegtype(t Type) string {
	s := FormatType(t)
	if s == "bpchar" || s == "bpchar[]" {
		return "character" + s[len("bpchar"):]
	}
	return s
}

// FormatType prints t as PostgreSQL's format_type(oid, typmod) does:
// "integer", "character varying(10)", "numeric(10,2)",
// "timestamp(3) with time zone", "integer[]", "bpchar" (char without length).
func FormatType(t Type) string {
	ti := lookupType(t.OID)
	if ti == nil {
		return "???"
	}
	if ti.elem != 0 && !IsVectorType(t.OID) {
		return FormatType(Type{ti.elem, t.Typmod}) + "[]"
	}
	tm := t.Typmod
	switch t.OID {
	case BPCharOID:
		if tm >= 4 {
			return "character(" + strconv.Itoa(int(tm-4)) + ")"
		}
		return "bpchar"
	case VarcharOID:
		if tm >= 4 {
			return "character varying(" + strconv.Itoa(int(tm-4)) + ")"
		}
	case NumericOID:
		if p, s, ok := t.NumericPrecisionScale(); ok {
			return "numeric(" + strconv.Itoa(int(p)) + "," + strconv.Itoa(int(s)) + ")"
		}
	case TimeOID:
		if tm >= 0 {
			return "time(" + strconv.Itoa(int(tm)) + ") without time zone"
		}
	case TimestampOID:
		if tm >= 0 {
			return "timestamp(" + strconv.Itoa(int(tm)) + ") without time zone"
		}
	case TimestamptzOID:
		if tm >= 0 {
			return "timestamp(" + strconv.Itoa(int(tm)) + ") with time zone"
		}
	case IntervalOID:
		if tm >= 0 {
			s := "interval" + intervalRangeNames[(tm>>16)&0x7fff]
			if p := tm & 0xffff; p != intervalFullPrec {
				s += "(" + strconv.Itoa(int(p)) + ")"
			}
			return s
		}
	}
	return ti.sqlName
}

// sqlTypeNames maps SQL spellings (after lower-casing and collapsing
// spaces) to a base OID. Keyword spellings follow gram.y; "char" here is
// the SQL character(n) type, `"char"` (quoted) the one-byte type.
var sqlTypeNames = map[string]uint32{
	"int": Int4OID, "integer": Int4OID, "int4": Int4OID, "serial": Int4OID, "serial4": Int4OID,
	"smallint": Int2OID, "int2": Int2OID, "smallserial": Int2OID, "serial2": Int2OID,
	"bigint": Int8OID, "int8": Int8OID, "bigserial": Int8OID, "serial8": Int8OID,
	"real": Float4OID, "float4": Float4OID,
	"double precision": Float8OID, "float8": Float8OID, "float": Float8OID,
	"numeric": NumericOID, "decimal": NumericOID, "dec": NumericOID,
	"boolean": BoolOID, "bool": BoolOID,
	"text":    TextOID,
	"varchar": VarcharOID, "character varying": VarcharOID, "char varying": VarcharOID,
	"char": BPCharOID, "character": BPCharOID, "bpchar": BPCharOID,
	"bytea": ByteaOID,
	"date":  DateOID,
	"time":  TimeOID, "time without time zone": TimeOID,
	"timestamp": TimestampOID, "timestamp without time zone": TimestampOID,
	"timestamptz": TimestamptzOID, "timestamp with time zone": TimestamptzOID,
	"interval": IntervalOID,
	"uuid":     UUIDOID, "json": JSONOID, "jsonb": JSONBOID,
	"name": NameOID, "oid": OIDOID, `"char"`: CharOID,
	"regclass": RegclassOID, "regtype": RegtypeOID, "regproc": RegprocOID,
	"regprocedure": RegprocedureOID, "regoper": RegoperOID,
	"regnamespace": RegnamespaceOID, "regrole": RegroleOID,
	"unknown": UnknownOID, "void": VoidOID, "record": RecordOID,
}

var typnameToOID = func() map[string]uint32 {
	m := make(map[string]uint32, 2*len(typeInfoByOID))
	for oid, ti := range typeInfoByOID {
		m[ti.typname] = oid
	}
	return m
}()

// TypeByName resolves a SQL type spelling with its typmod arguments, e.g.
// ("character varying", [10]), ("numeric", [10, 2]), ("int[]", nil),
// ("timestamp with time zone", [3]). Names are case-insensitive; a
// "pg_catalog." prefix means the catalog typname (see TypeByTypname), so
// "pg_catalog.bpchar" from pg_query works. It reports false for unknown
// names and invalid modifiers; ResolveType gives the PostgreSQL error.
func TypeByName(name string, typmods []int32) (Type, bool) {
	t, err := ResolveType(name, typmods)
	return t, err == nil
}

// TypeByTypname resolves a pg_type.typname ("int4", "varchar", "_int4",
// "char" = the one-byte "char" type), plus the serial pseudo-types, as
// names arrive from pg_query's TypeName (the grammar has already turned
// keyword spellings like CHAR(n) into pg_catalog.bpchar).
func TypeByTypname(typname string, typmods []int32) (Type, error) {
	n := strings.TrimPrefix(strings.ToLower(typname), "pg_catalog.")
	switch n {
	case "serial", "serial4":
		n = "int4"
	case "bigserial", "serial8":
		n = "int8"
	case "smallserial", "serial2":
		n = "int2"
	}
	oid, ok := typnameToOID[n]
	if !ok {
		return Type{}, pgerror.New(pgerror.UndefinedObject, `type "%s" does not exist`, typname)
	}
	return applyTypmods(Type{oid, -1}, n, typmods)
}

// ResolveType is TypeByName with PostgreSQL's errors: 42704 type "x" does
// not exist; 22023 for out-of-range modifiers (varchar(0), numeric(2000)).
func ResolveType(name string, typmods []int32) (Type, error) {
	n := normalizeTypeName(name)
	array := 0
	for strings.HasSuffix(n, "]") {
		i := strings.LastIndexByte(n, '[')
		if i < 0 {
			break
		}
		n = strings.TrimSpace(n[:i])
		array++
	}
	if strings.HasPrefix(n, "pg_catalog.") {
		t, err := TypeByTypname(n, typmods)
		if err != nil || array == 0 {
			return t, err
		}
		return arrayOrErr(t, name)
	}
	oid, ok := sqlTypeNames[n]
	if !ok {
		if oid2, ok2 := typnameToOID[n]; ok2 && strings.HasPrefix(n, "_") {
			oid, ok = oid2, true
		}
	}
	if !ok {
		return Type{}, pgerror.New(pgerror.UndefinedObject, `type "%s" does not exist`, strings.TrimSpace(name))
	}
	t := Type{oid, -1}
	if oid == Float8OID && n == "float" && len(typmods) == 1 {
		switch p := typmods[0]; {
		case p < 1:
			return Type{}, pgerror.New(pgerror.InvalidParameterValue, "precision for type float must be at least 1 bit")
		case p <= 24:
			return Float4, nil
		case p <= 53:
			t = Float8
		default:
			return Type{}, pgerror.New(pgerror.InvalidParameterValue, "precision for type float must be less than 54 bits")
		}
		typmods = nil
	}
	if oid == BPCharOID && (n == "char" || n == "character") && len(typmods) == 0 {
		typmods = []int32{1} // SQL: CHARACTER means CHARACTER(1)
	}
	t, err := applyTypmods(t, n, typmods)
	if err != nil || array == 0 {
		return t, err
	}
	return arrayOrErr(t, name)
}

func arrayOrErr(t Type, name string) (Type, error) {
	if t.IsArray() {
		return t, nil // int[][] is the same type as int[]
	}
	a, ok := ArrayOf(t)
	if !ok {
		return Type{}, pgerror.New(pgerror.UndefinedObject, `type "%s" does not exist`, name)
	}
	return a, nil
}

func normalizeTypeName(name string) string {
	s := strings.TrimSpace(name)
	if strings.HasPrefix(s, `"`) {
		return s
	}
	s = strings.ToLower(s)
	if strings.IndexByte(s, ' ') >= 0 || strings.IndexByte(s, '\t') >= 0 {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}

// applyTypmods validates typmod arguments as the typmodin functions do.
func applyTypmods(t Type, spelled string, typmods []int32) (Type, error) {
	if len(typmods) == 0 {
		return t, nil
	}
	bad := func() (Type, error) {
		return Type{}, pgerror.New(pgerror.SyntaxError, "type modifier is not allowed for type \"%s\"", spelled)
	}
	switch t.OID {
	case VarcharOID, BPCharOID:
		if len(typmods) != 1 {
			return Type{}, pgerror.New(pgerror.InvalidParameterValue, "invalid type modifier")
		}
		nm := "varchar"
		if t.OID == BPCharOID {
			nm = "char"
		}
		n := typmods[0]
		if n < 1 {
			return Type{}, pgerror.New(pgerror.InvalidParameterValue, "length for type %s must be at least 1", nm)
		}
		if n > 10485760 {
			return Type{}, pgerror.New(pgerror.InvalidParameterValue, "length for type %s cannot exceed %d", nm, 10485760)
		}
		return Type{t.OID, n + 4}, nil
	case NumericOID:
		if len(typmods) > 2 {
			return Type{}, pgerror.New(pgerror.InvalidParameterValue, "invalid NUMERIC type modifier")
		}
		p := typmods[0]
		var s int32
		if len(typmods) == 2 {
			s = typmods[1]
		}
		if p < 1 || p > numericMaxPrecision {
			return Type{}, pgerror.New(pgerror.InvalidParameterValue, "NUMERIC precision %d must be between 1 and %d", p, numericMaxPrecision)
		}
		if s < -1000 || s > 1000 {
			return Type{}, pgerror.New(pgerror.InvalidParameterValue, "NUMERIC scale %d must be between %d and %d", s, -1000, 1000)
		}
		return NumericPS(p, s), nil
	case TimeOID, TimestampOID, TimestamptzOID:
		if len(typmods) != 1 {
			return Type{}, pgerror.New(pgerror.InvalidParameterValue, "invalid type modifier")
		}
		p := typmods[0]
		nm := "TIMESTAMP"
		if t.OID == TimeOID {
			nm = "TIME"
		}
		if p < 0 {
			return Type{}, pgerror.New(pgerror.InvalidParameterValue, "%s(%d) precision must not be negative", nm, p)
		}
		if p > 6 {
			p = 6 // PostgreSQL warns "precision reduced to maximum allowed, 6"
		}
		return Type{t.OID, p}, nil
	case IntervalOID:
		// Typmods arrive either as a precision (interval(3)) or, from
		// pg_query, as [fieldmask] or [fieldmask, precision].
		switch len(typmods) {
		case 1:
			p := typmods[0]
			if p < 0 {
				return Type{}, pgerror.New(pgerror.InvalidParameterValue, "INTERVAL(%d) precision must not be negative", p)
			}
			if p > 6 {
				p = 6
			}
			return Type{IntervalOID, IntervalTypmod(0, p)}, nil
		case 2:
			f, p := typmods[0], typmods[1]
			if _, ok := intervalRangeNames[f]; !ok {
				return Type{}, pgerror.New(pgerror.InvalidParameterValue, "invalid INTERVAL type modifier")
			}
			if p > 6 {
				p = 6
			}
			return Type{IntervalOID, IntervalTypmod(f, p)}, nil
		}
		return bad()
	}
	return bad()
}

// ParseTypeName parses a complete type spelling such as
// "character varying(10)[]", "numeric(10, 2)", "timestamp(3) with time zone",
// "pg_catalog.int4" or `"char"` (what format_type prints, and what
// regtype input and casts in text accept).
func ParseTypeName(s string) (Type, error) {
	name := strings.TrimSpace(s)
	suffix := ""
	for strings.HasSuffix(name, "]") {
		i := strings.LastIndexByte(name, '[')
		if i < 0 {
			return Type{}, pgerror.New(pgerror.SyntaxError, `syntax error at or near "%s"`, s)
		}
		suffix += "[]"
		name = strings.TrimSpace(name[:i])
	}
	var typmods []int32
	if i := strings.IndexByte(name, '('); i >= 0 {
		j := strings.IndexByte(name[i:], ')')
		if j < 0 {
			return Type{}, pgerror.New(pgerror.SyntaxError, `syntax error at end of input`)
		}
		args := name[i+1 : i+j]
		for _, a := range strings.Split(args, ",") {
			v, err := strconv.Atoi(strings.TrimSpace(a))
			if err != nil {
				return Type{}, pgerror.New(pgerror.SyntaxError, `syntax error at or near "%s"`, strings.TrimSpace(a))
			}
			typmods = append(typmods, int32(v))
		}
		name = strings.TrimSpace(name[:i]) + " " + strings.TrimSpace(name[i+j+1:])
	}
	name = strings.TrimSpace(name)
	if strings.HasPrefix(normalizeTypeName(name), "interval ") {
		if mask, ok := parseIntervalFields(normalizeTypeName(name)[len("interval "):]); ok {
			p := int32(-1)
			if len(typmods) == 1 {
				p = typmods[0]
			}
			return Type{IntervalOID, IntervalTypmod(mask, p)}, nil
		}
	}
	return ResolveType(name+suffix, typmods)
}

func parseIntervalFields(s string) (int32, bool) {
	for mask, nm := range intervalRangeNames {
		if nm != "" && nm[1:] == s {
			return mask, true
		}
	}
	return 0, false
}
