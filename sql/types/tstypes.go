package types

import (
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Full-text search types (PostgreSQL 15's pg_type rows 3614, 3615, 3734 and
// their arrays). tsvector and tsquery values keep their text form in S, so
// row storage, comparison, hashing and key encoding treat them like text;
// the parsed form rides in X when the value was computed (see NewTSVector).
const (
	TSVectorOID       uint32 = 3614
	TSQueryOID        uint32 = 3615
	RegconfigOID      uint32 = 3734
	TSVectorArrayOID  uint32 = 3643
	TSQueryArrayOID   uint32 = 3645
	RegconfigArrayOID uint32 = 3735

	RegdictionaryOID      uint32 = 3769
	RegdictionaryArrayOID uint32 = 3770
)

// Text search dictionaries (regdictionary): the two the configurations
// use, with PostgreSQL 15's OIDs.
const (
	TSDictSimple      uint32 = 3765
	TSDictEnglishStem uint32 = 13163
)

// Text search configurations: the two this server implements, with
// PostgreSQL 15's OIDs (simple is fixed in pg_ts_config.dat; english is the
// OID initdb gives it, which clients only ever see as a regconfig).
const (
	TSConfigSimple  uint32 = 3748
	TSConfigEnglish uint32 = 13164
)

var (
	TSVectorType = Type{TSVectorOID, -1}
	TSQueryType  = Type{TSQueryOID, -1}
	Regconfig    = Type{RegconfigOID, -1}
)

func init() {
	for _, ti := range []typeInfo{
		{TSVectorOID, "tsvector", "tsvector", -1, 'U', false, false, 'i', KindTSVector, TSVectorArrayOID, 0},
		{TSQueryOID, "tsquery", "tsquery", -1, 'U', false, false, 'i', KindTSQuery, TSQueryArrayOID, 0},
		{RegconfigOID, "regconfig", "regconfig", 4, 'N', false, true, 'i', KindInt, RegconfigArrayOID, 0},
		{RegdictionaryOID, "regdictionary", "regdictionary", 4, 'N', false, true, 'i', KindInt, RegdictionaryArrayOID, 0},
	} {
		ti := ti
		typeInfoByOID[ti.oid] = &ti
		typeInfoByOID[ti.array] = &typeInfo{oid: ti.array, typname: "_" + ti.typname, sqlName: ti.sqlName + "[]",
			length: -1, category: 'A', align: 'i', kind: KindArray, elem: ti.oid}
		sqlTypeNames[ti.typname] = ti.oid
		typnameToOID[ti.typname] = ti.oid
		typnameToOID["_"+ti.typname] = ti.array
	}
}

// TSConfigName is regconfigout: the configuration's name, or its OID as a
// number if there is no such configuration.
func TSConfigName(oid uint32) string {
	switch oid {
	case TSConfigSimple:
		return "simple"
	case TSConfigEnglish:
		return "english"
	}
	return strconv.FormatUint(uint64(oid), 10)
}

// ParseRegconfig is regconfigin: a configuration name, optionally
// qualified with pg_catalog (identifier rules: unquoted names fold to lower
// case), or an OID.
func ParseRegconfig(s string) (uint32, error) {
	t := strings.TrimSpace(s)
	if v, err := strconv.ParseUint(t, 10, 32); err == nil && t != "" && t[0] >= '0' && t[0] <= '9' {
		return uint32(v), nil
	}
	name := t
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		schema := foldIdent(t[:i])
		if schema != "pg_catalog" {
			if schema == "public" {
				return 0, pgerror.New(pgerror.UndefinedObject, "text search configuration \"%s\" does not exist", s)
			}
			return 0, pgerror.New(pgerror.InvalidSchemaName, "schema \"%s\" does not exist", schema)
		}
		name = t[i+1:]
	}
	switch foldIdent(name) {
	case "simple":
		return TSConfigSimple, nil
	case "english":
		return TSConfigEnglish, nil
	}
	return 0, pgerror.New(pgerror.UndefinedObject, "text search configuration \"%s\" does not exist", s)
}

func foldIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return strings.ToLower(s)
}

// TSDictName is regdictionaryout.
func TSDictName(oid uint32) string {
	switch oid {
	case TSDictSimple:
		return "simple"
	case TSDictEnglishStem:
		return "english_stem"
	}
	return strconv.FormatUint(uint64(oid), 10)
}

// ParseRegdictionary is regdictionaryin: a dictionary name, optionally
// qualified with pg_catalog, or an OID.
func ParseRegdictionary(s string) (uint32, error) {
	t := strings.TrimSpace(s)
	if v, err := strconv.ParseUint(t, 10, 32); err == nil && t != "" && t[0] >= '0' && t[0] <= '9' {
		return uint32(v), nil
	}
	name := t
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		if schema := foldIdent(t[:i]); schema != "pg_catalog" {
			return 0, pgerror.New(pgerror.UndefinedObject, "text search dictionary \"%s\" does not exist", s)
		}
		name = t[i+1:]
	}
	switch foldIdent(name) {
	case "simple":
		return TSDictSimple, nil
	case "english_stem":
		return TSDictEnglishStem, nil
	}
	return 0, pgerror.New(pgerror.UndefinedObject, "text search dictionary \"%s\" does not exist", s)
}
