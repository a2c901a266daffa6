package types

import (
	"strconv"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Integer and boolean text input/output: PostgreSQL's int2in/int4in/int8in
// (pg_strtoint16/32/64 in src/backend/utils/adt/numutils.c) and boolin
// (parse_bool_with_len in bool.c). PostgreSQL 15 takes optional whitespace,
// an optional sign and decimal digits only (no '_' separators, no 0x).

// intTypeName is the name used in error messages.
func intTypeName(oid uint32) string {
	switch oid {
	case Int2OID:
		return "smallint"
	case Int8OID:
		return "bigint"
	}
	return "integer"
}

// parseIntText parses s as an integer in [lo, hi].
func parseIntText(s string, lo, hi int64, typ string) (int64, error) {
	i, n := 0, len(s)
	for i < n && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < n && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	// Accumulate negatively so that MinInt64 fits (as PostgreSQL does).
	// Leaving the type's range among the digits is out of range at once,
	// whatever follows ('123456.789'::int2 is 22003, not 22P02).
	var v int64
	for i < n && isDigit(s[i]) {
		d := int64(s[i] - '0')
		if v < (-1<<63+d)/10 || v*10-d < lo {
			return 0, errValueOutOfRange(s, typ)
		}
		v = v*10 - d
		i++
	}
	overflow := false
	if i == start {
		return 0, errSyntax(typ, s)
	}
	for i < n && isSpace(s[i]) {
		i++
	}
	if i != n {
		return 0, errSyntax(typ, s)
	}
	if !neg {
		if v == -1<<63 {
			overflow = true
		}
		v = -v
	}
	if overflow || v < lo || v > hi {
		return 0, errValueOutOfRange(s, typ)
	}
	return v, nil
}

func parseInt2Text(s string) (int64, error) { return parseIntText(s, -1<<15, 1<<15-1, "smallint") }
func parseInt4Text(s string) (int64, error) { return parseIntText(s, -1<<31, 1<<31-1, "integer") }
func parseInt8Text(s string) (int64, error) { return parseIntText(s, -1<<63, 1<<63-1, "bigint") }

// parseOIDText is oidin: an unsigned 32-bit value, where negative input
// down to -2^31 wraps (PostgreSQL accepts '-1'::oid = 4294967295).
func parseOIDText(s string, typ string) (int64, error) {
	t := trimSpace(s)
	if t == "" {
		return 0, errSyntax(typ, s)
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, errValueOutOfRange(s, typ)
		}
		return 0, errSyntax(typ, s)
	}
	if v < -1<<31 || v > 1<<32-1 {
		return 0, errValueOutOfRange(s, typ)
	}
	return int64(uint32(v)), nil
}

func appendInt(dst []byte, i int64) []byte { return strconv.AppendInt(dst, i, 10) }

// parseBoolText is boolin.
func parseBoolText(s string) (bool, error) {
	t := trimSpace(s)
	if v, ok := parseBool(t); ok {
		return v, nil
	}
	return false, errSyntax("boolean", s)
}

// parseBool is parse_bool_with_len: any prefix of true/false/yes/no, "on",
// "off" (at least "of"), "1", "0", case-insensitively.
func parseBool(s string) (bool, bool) {
	if s == "" {
		return false, false
	}
	prefixOf := func(word string) bool {
		if len(s) > len(word) {
			return false
		}
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != word[i] {
				return false
			}
		}
		return true
	}
	switch s[0] {
	case 't', 'T':
		return true, prefixOf("true")
	case 'f', 'F':
		return false, prefixOf("false")
	case 'y', 'Y':
		return true, prefixOf("yes")
	case 'n', 'N':
		return false, prefixOf("no")
	case 'o', 'O':
		if len(s) < 2 {
			return false, false
		}
		if prefixOf("on") {
			return true, true
		}
		if prefixOf("off") {
			return false, true
		}
	case '1':
		return true, len(s) == 1
	case '0':
		return false, len(s) == 1
	}
	return false, false
}

func appendBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, 't')
	}
	return append(dst, 'f')
}

// checkIntRange reports 22003 "<type> out of range" for v outside oid's range.
func checkIntRange(v int64, oid uint32) error {
	switch oid {
	case Int2OID:
		if v < -1<<15 || v > 1<<15-1 {
			return errSmallintRange
		}
	case Int4OID:
		if v < -1<<31 || v > 1<<31-1 {
			return errIntegerRange
		}
	case OIDOID, RegclassOID, RegtypeOID, RegprocOID, RegprocedureOID, RegoperOID, RegnamespaceOID, RegroleOID:
		if v < 0 || v > 1<<32-1 {
			return pgerror.New(pgerror.NumericValueOutOfRange, "OID out of range")
		}
	}
	return nil
}
