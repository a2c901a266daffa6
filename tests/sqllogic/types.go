package sqllogic

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

// ColType is the expected type of one result column: either a category
// letter (coarse, for readability) or an exact type (OID).
type ColType struct {
	Category byte   // 'I', 'R', 'T', 'B' or 'A'; 0 when OID is exact
	OID      uint32 // exact type when Category == 0
}

// Categories of the one-letter spec. A letter matches every type listed;
// 'A' matches any type. The lists follow PostgreSQL's pg_type.typcategory
// loosely: N (numeric) split into integers and the rest, S (string), B (bool).
var categories = map[byte][]string{
	'I': {"int2", "int4", "int8", "oid"},
	'R': {"float4", "float8", "numeric"},
	'T': {"text", "varchar", "bpchar", "name", "char", "unknown"},
	'B': {"bool"},
}

// typeMap resolves the built-in types pgx knows. It is only read, which is
// safe from many goroutines.
var typeMap = pgtype.NewMap()

// extraTypes are built-in PostgreSQL types (pg_type.dat) that pgx does not
// register.
var extraTypes = map[string]uint32{
	"regproc": 24, "regclass": 2205, "regtype": 2206, "regnamespace": 4089,
	"money": 790, "timetz": 1266, "_timetz": 1270, "pg_lsn": 3220, "void": 2278,
}

// TypeName returns pg_type.typname for a built-in OID, or the OID in decimal.
func TypeName(oid uint32) string {
	for name, o := range extraTypes {
		if o == oid {
			return name
		}
	}
	if t, ok := typeMap.TypeForOID(oid); ok {
		return t.Name
	}
	return strconv.FormatUint(uint64(oid), 10)
}

func typeOID(name string) (uint32, bool) {
	if oid, ok := extraTypes[name]; ok {
		return oid, true
	}
	if t, ok := typeMap.TypeForName(name); ok {
		return t.OID, true
	}
	if n, err := strconv.ParseUint(name, 10, 32); err == nil {
		return uint32(n), true
	}
	return 0, false
}

// parseTypeSpec reads a column spec: either upper-case letters, one per
// column ("ITB"), or a comma-separated list whose items are a letter, a
// pg_type name or a decimal OID ("int4,text", "I,jsonb"). A single lower-case
// word is a one-column list ("jsonb").
func parseTypeSpec(spec string) ([]ColType, error) {
	if spec == "" {
		return nil, fmt.Errorf("missing column type spec")
	}
	if !strings.Contains(spec, ",") && strings.ToUpper(spec) == spec && !isDigits(spec) {
		var out []ColType
		for i := 0; i < len(spec); i++ {
			ct, err := parseTypeItem(spec[i : i+1])
			if err != nil {
				return nil, err
			}
			out = append(out, ct)
		}
		return out, nil
	}
	var out []ColType
	for _, item := range strings.Split(spec, ",") {
		ct, err := parseTypeItem(item)
		if err != nil {
			return nil, err
		}
		out = append(out, ct)
	}
	return out, nil
}

func parseTypeItem(item string) (ColType, error) {
	if len(item) == 1 && item[0] >= 'A' && item[0] <= 'Z' {
		if _, ok := categories[item[0]]; ok || item[0] == 'A' {
			return ColType{Category: item[0]}, nil
		}
		return ColType{}, fmt.Errorf("unknown type letter %q (want I, R, T, B or A)", item)
	}
	oid, ok := typeOID(item)
	if !ok {
		return ColType{}, fmt.Errorf("unknown type name %q (use pg_type.typname, e.g. int4, timestamptz, or a decimal OID)", item)
	}
	return ColType{OID: oid}, nil
}

// Matches reports whether a result column of type oid satisfies ct.
func (ct ColType) Matches(oid uint32) bool {
	switch ct.Category {
	case 0:
		return ct.OID == oid
	case 'A':
		return true
	}
	name := TypeName(oid)
	for _, n := range categories[ct.Category] {
		if n == name {
			return true
		}
	}
	return false
}

// specFor writes the exact spec for a list of result OIDs ("int4,text").
func specFor(oids []uint32) string {
	names := make([]string, len(oids))
	for i, oid := range oids {
		names[i] = TypeName(oid)
	}
	return strings.Join(names, ",")
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
