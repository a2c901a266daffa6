package types

import (
	"errors"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Errors are *pgerror.Error values with PostgreSQL 15's SQLSTATE and
// message text, built at the point of failure; these helpers keep the
// wording in one place. The message texts are PostgreSQL's (see
// src/backend/utils/adt/*.c) and tests compare them with a real server.

// ErrUnsupportedType is returned (wrapped in a 0A000 error) for a type OID
// this package does not implement.
var ErrUnsupportedType = errors.New("unsupported type")

func errSyntax(typ, s string) error {
	return pgerror.New(pgerror.InvalidTextRepresentation, `invalid input syntax for type %s: "%s"`, typ, s)
}

func errValueOutOfRange(s, typ string) error {
	return pgerror.New(pgerror.NumericValueOutOfRange, `value "%s" is out of range for type %s`, s, typ)
}

func errIntOutOfRange(oid uint32) error {
	switch oid {
	case Int2OID:
		return errSmallintRange
	case Int8OID:
		return errBigintRange
	case OIDOID:
		return pgerror.New(pgerror.NumericValueOutOfRange, "OID out of range")
	}
	return errIntegerRange
}

var (
	errSmallintRange = pgerror.New(pgerror.NumericValueOutOfRange, "smallint out of range")
	errIntegerRange  = pgerror.New(pgerror.NumericValueOutOfRange, "integer out of range")
	errBigintRange   = pgerror.New(pgerror.NumericValueOutOfRange, "bigint out of range")
	errDivByZero     = pgerror.New(pgerror.DivisionByZero, "division by zero")
)

func errUnsupported(t Type) error {
	return pgerror.Wrap(ErrUnsupportedType, pgerror.FeatureNotSupported, "type %s is not supported", FormatType(t))
}

// trimSpace trims the ASCII whitespace PostgreSQL's scanners skip (isspace in C locale).
func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func pgerrorNew22003(msg string) error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "%s", msg)
}
