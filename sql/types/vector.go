package types

import (
	"strconv"
	"strings"
)

// int2vector and oidvector (OIDs 22 and 30) are the one-dimensional,
// zero-based arrays the system catalogs use (pg_index.indkey,
// pg_proc.proargtypes). They behave as arrays of int2 / oid (= ANY,
// subscripts, typelem), but their text form is the elements separated by
// spaces ("1 2"), which clients such as pg_dump parse, and format_type
// prints their own names. Their binary form is array_send's, lower bound 0.
func init() {
	typeInfoByOID[Int2VectorOID] = &typeInfo{oid: Int2VectorOID, typname: "int2vector", sqlName: "int2vector",
		length: -1, category: 'A', byval: false, align: 'i', kind: KindArray, elem: Int2OID}
	typeInfoByOID[OIDVectorOID] = &typeInfo{oid: OIDVectorOID, typname: "oidvector", sqlName: "oidvector",
		length: -1, category: 'A', byval: false, align: 'i', kind: KindArray, elem: OIDOID}
	sqlTypeNames["int2vector"] = Int2VectorOID
	sqlTypeNames["oidvector"] = OIDVectorOID
	typnameToOID["int2vector"] = Int2VectorOID
	typnameToOID["oidvector"] = OIDVectorOID
}

// IsVectorType reports whether oid is int2vector or oidvector.
func IsVectorType(oid uint32) bool { return oid == Int2VectorOID || oid == OIDVectorOID }

// NewVector builds an int2vector or oidvector value (elem Int2 or OID):
// zero-based, as PostgreSQL stores them.
func NewVector(elem Type, vals []int64) Datum {
	elems := make([]Datum, len(vals))
	for i, v := range vals {
		elems[i] = NewInt(v)
	}
	a := &Array{Elem: elem, Elems: elems}
	if len(elems) > 0 {
		a.Dims = []ArrayDim{{Len: int32(len(elems)), Lower: 0}}
	}
	return Datum{K: KindArray, X: a}
}

// appendVector is int2vectorout / oidvectorout: the elements separated by
// single spaces.
func appendVector(dst []byte, a *Array) []byte {
	if a == nil {
		return dst
	}
	for i, e := range a.Elems {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = strconv.AppendInt(dst, e.I, 10)
	}
	return dst
}

// ParseVector is int2vectorin / oidvectorin: integers separated by spaces.
func ParseVector(t Type, s string) (Datum, error) {
	elem := Int2
	if t.OID == OIDVectorOID {
		elem = OID
	}
	var vals []int64
	for _, f := range strings.Fields(s) {
		var v int64
		var err error
		if elem.OID == Int2OID {
			v, err = parseInt2Text(f)
		} else {
			v, err = strconv.ParseInt(f, 10, 64)
			if err != nil || v < 0 || v > 0xFFFFFFFF {
				return Datum{}, errSyntax("oid", f)
			}
		}
		if err != nil {
			return Datum{}, err
		}
		vals = append(vals, v)
	}
	return NewVector(elem, vals), nil
}
