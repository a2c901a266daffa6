package types

import "sort"

// KnownTypes lists every type this package implements (scalars, their
// array types, int2vector and oidvector), by OID: the rows of pg_type.
func KnownTypes() []Type {
	out := make([]Type, 0, len(typeInfoByOID))
	for oid := range typeInfoByOID {
		out = append(out, Type{OID: oid, Typmod: -1})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out
}
