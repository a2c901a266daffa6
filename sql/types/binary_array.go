package types

import (
	"encoding/binary"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// array_send / array_recv (src/backend/utils/adt/arrayfuncs.c):
//
//	int32 ndim, int32 flags (1 = has nulls), uint32 element type,
//	ndim × (int32 length, int32 lower bound),
//	per element: int32 length (-1 = NULL) and the element's send format.

func appendBinaryArray(dst []byte, a *Array, t Type) ([]byte, error) {
	elem, _ := t.Elem()
	if a == nil || len(a.Elems) == 0 {
		dst = binary.BigEndian.AppendUint32(dst, 0)
		dst = binary.BigEndian.AppendUint32(dst, 0)
		return binary.BigEndian.AppendUint32(dst, elem.OID), nil
	}
	hasNull := uint32(0)
	for _, e := range a.Elems {
		if e.IsNull() {
			hasNull = 1
			break
		}
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(a.Dims)))
	dst = binary.BigEndian.AppendUint32(dst, hasNull)
	dst = binary.BigEndian.AppendUint32(dst, elem.OID)
	for _, d := range a.Dims {
		dst = binary.BigEndian.AppendUint32(dst, uint32(d.Len))
		dst = binary.BigEndian.AppendUint32(dst, uint32(d.Lower))
	}
	for _, e := range a.Elems {
		if e.IsNull() {
			dst = binary.BigEndian.AppendUint32(dst, 0xFFFFFFFF)
			continue
		}
		at := len(dst)
		dst = append(dst, 0, 0, 0, 0)
		var err error
		dst, err = AppendBinary(dst, e, elem)
		if err != nil {
			return dst, err
		}
		binary.BigEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
	}
	return dst, nil
}

func parseBinaryArray(t Type, b []byte) (Datum, error) {
	elem, _ := t.Elem()
	if len(b) < 12 {
		return Datum{}, errInsufficient()
	}
	ndim := int32(binary.BigEndian.Uint32(b))
	flags := int32(binary.BigEndian.Uint32(b[4:]))
	elemOID := binary.BigEndian.Uint32(b[8:])
	b = b[12:]
	if ndim < 0 {
		return Datum{}, pgerror.New(pgerror.InvalidBinaryRepresentation, "invalid number of dimensions: %d", ndim)
	}
	if ndim > maxArrayDims {
		return Datum{}, pgerror.New(pgerror.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", ndim, maxArrayDims)
	}
	if flags != 0 && flags != 1 {
		return Datum{}, pgerror.New(pgerror.InvalidBinaryRepresentation, "invalid array flags")
	}
	if elemOID != elem.OID {
		return Datum{}, pgerror.New(pgerror.DatatypeMismatch, "binary data has array element type %d (%s) instead of expected %d (%s)",
			elemOID, FormatType(Type{elemOID, -1}), elem.OID, FormatType(Type{elem.OID, -1}))
	}
	dims := make([]ArrayDim, ndim)
	n := int64(1)
	for i := range dims {
		if len(b) < 8 {
			return Datum{}, errInsufficient()
		}
		dims[i] = ArrayDim{Len: int32(binary.BigEndian.Uint32(b)), Lower: int32(binary.BigEndian.Uint32(b[4:]))}
		b = b[8:]
		if dims[i].Len < 0 {
			return Datum{}, pgerror.New(pgerror.ProgramLimitExceeded, "array size exceeds the maximum allowed (%d)", 134217727)
		}
		if int64(dims[i].Lower)+int64(dims[i].Len)-1 > 1<<31-1 {
			return Datum{}, pgerror.New(pgerror.ProgramLimitExceeded, "array upper bound is too large: %d", int64(dims[i].Lower)+int64(dims[i].Len)-1)
		}
		n *= int64(dims[i].Len)
		if n > 134217727 {
			return Datum{}, pgerror.New(pgerror.ProgramLimitExceeded, "array size exceeds the maximum allowed (%d)", 134217727)
		}
	}
	if ndim == 0 || n == 0 {
		if len(b) != 0 {
			return Datum{}, errBinaryLength()
		}
		return Datum{K: KindArray, X: &Array{Elem: elem}}, nil
	}
	if n > int64(len(b)/4) {
		return Datum{}, errInsufficient()
	}
	elems := make([]Datum, n)
	for i := range elems {
		if len(b) < 4 {
			return Datum{}, errInsufficient()
		}
		l := int32(binary.BigEndian.Uint32(b))
		b = b[4:]
		if l == -1 {
			continue
		}
		if l < -1 || int(l) > len(b) {
			return Datum{}, errInsufficient()
		}
		e, err := ParseBinary(elem, b[:l])
		if err != nil {
			if pgerror.CodeOf(err) == pgerror.InvalidBinaryRepresentation {
				return Datum{}, pgerror.New(pgerror.InvalidBinaryRepresentation, "improper binary format in array element %d", i+1)
			}
			return Datum{}, err
		}
		elems[i] = e
		b = b[l:]
	}
	if len(b) != 0 {
		return Datum{}, errBinaryLength()
	}
	return Datum{K: KindArray, X: &Array{Elem: elem, Dims: dims, Elems: elems}}, nil
}
