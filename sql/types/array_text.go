package types

import (
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Array text input/output: PostgreSQL 15's array_in / array_out
// (src/backend/utils/adt/arrayfuncs.c). Elements are read with the element
// type's input function and typmod; the delimiter is ',' for every type
// this package knows.

const maxArrayDims = 6 // MAXDIM

func errMalformedArray(s, detail string) error {
	return pgerror.New(pgerror.InvalidTextRepresentation, `malformed array literal: "%s"`, s).WithDetail("%s", detail)
}

func isArraySpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

type arrayParser struct {
	src   string
	s     string
	i     int
	elem  Type
	set   *Settings
	dims  []int32 // lengths found per depth (0 = not yet known)
	elems []Datum
	ndim  int
}

// parseArrayText is array_in.
func parseArrayText(s string, t Type, set *Settings) (Datum, error) {
	elem, ok := t.Elem()
	if !ok {
		return Datum{}, errUnsupported(t)
	}
	p := arrayParser{src: s, s: s, elem: elem, set: set}
	p.skipSpace()
	var given []ArrayDim
	if p.i < len(p.s) && p.s[p.i] == '[' {
		for p.i < len(p.s) && p.s[p.i] == '[' {
			if len(given) >= maxArrayDims {
				return Datum{}, pgerror.New(pgerror.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", len(given)+1, maxArrayDims)
			}
			p.i++
			lo, hi := int64(1), int64(0)
			n1, ok := p.readInt()
			if !ok {
				return Datum{}, errMalformedArray(s, `"[" must introduce explicitly-specified array dimensions.`)
			}
			if p.i < len(p.s) && p.s[p.i] == ':' {
				p.i++
				lo = n1
				n2, ok := p.readInt()
				if !ok {
					return Datum{}, errMalformedArray(s, "Missing array dimension value.")
				}
				hi = n2
			} else {
				hi = n1
			}
			if p.i >= len(p.s) || p.s[p.i] != ']' {
				return Datum{}, errMalformedArray(s, `Missing "]" after array dimensions.`)
			}
			p.i++
			if hi < lo {
				return Datum{}, pgerror.New(pgerror.ArraySubscriptError, "upper bound cannot be less than lower bound")
			}
			given = append(given, ArrayDim{Len: int32(hi - lo + 1), Lower: int32(lo)})
		}
		if p.i >= len(p.s) || p.s[p.i] != '=' {
			return Datum{}, errMalformedArray(s, `Missing "=" after array dimensions.`)
		}
		p.i++
		p.skipSpace()
	}
	if p.i >= len(p.s) || p.s[p.i] != '{' {
		return Datum{}, errMalformedArray(s, `Array value must start with "{" or dimension information.`)
	}
	if err := p.parseLevel(0); err != nil {
		return Datum{}, err
	}
	p.skipSpace()
	if p.i < len(p.s) {
		return Datum{}, errMalformedArray(s, "Junk after closing right brace.")
	}
	var dims []ArrayDim
	if len(p.elems) > 0 {
		dims = make([]ArrayDim, p.ndim)
		for k := 0; k < p.ndim; k++ {
			dims[k] = ArrayDim{Len: p.dims[k], Lower: 1}
		}
	}
	if given != nil {
		if len(given) != len(dims) {
			return Datum{}, errMalformedArray(s, "Specified array dimensions do not match array contents.")
		}
		for k := range given {
			if given[k].Len != dims[k].Len {
				return Datum{}, errMalformedArray(s, "Specified array dimensions do not match array contents.")
			}
		}
		dims = given
	}
	return Datum{K: KindArray, X: &Array{Elem: elem, Dims: dims, Elems: p.elems}}, nil
}

func (p *arrayParser) skipSpace() {
	for p.i < len(p.s) && isArraySpace(p.s[p.i]) {
		p.i++
	}
}

func (p *arrayParser) readInt() (int64, bool) {
	p.skipSpace()
	j := p.i
	if p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '+') {
		p.i++
	}
	k := p.i
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		p.i++
	}
	if p.i == k {
		return 0, false
	}
	v, err := strconv.ParseInt(p.s[j:p.i], 10, 32)
	p.skipSpace()
	return v, err == nil
}

func (p *arrayParser) unexpected() error {
	if p.i >= len(p.s) {
		return errMalformedArray(p.src, "Unexpected end of input.")
	}
	return errMalformedArray(p.src, `Unexpected "`+p.s[p.i:p.i+1]+`" character.`)
}

// parseLevel parses "{...}" at depth d (p.s[p.i] == '{').
func (p *arrayParser) parseLevel(d int) error {
	if d >= maxArrayDims {
		return pgerror.New(pgerror.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", d+1, maxArrayDims)
	}
	if len(p.dims) <= d {
		p.dims = append(p.dims, 0)
	}
	p.i++ // {
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		if d == 0 {
			p.i++
			return nil // '{}': empty array
		}
		return p.unexpected()
	}
	n := int32(0)
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return p.unexpected()
		}
		c := p.s[p.i]
		if c == '{' {
			if p.ndim != 0 && p.ndim <= d+1 && n == 0 && len(p.elems) > 0 {
				return p.unexpected()
			}
			if p.ndim == d+1 { // scalars already seen at this depth
				return p.unexpected()
			}
			if err := p.parseLevel(d + 1); err != nil {
				return err
			}
		} else {
			if c == '}' || c == ',' {
				return p.unexpected()
			}
			if p.ndim == 0 {
				p.ndim = d + 1
			} else if p.ndim != d+1 {
				return errMalformedArray(p.src, "Unexpected array element.")
			}
			if err := p.parseElement(); err != nil {
				return err
			}
		}
		n++
		p.skipSpace()
		if p.i >= len(p.s) {
			return p.unexpected()
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			continue
		case '}':
			p.i++
		default:
			if p.s[p.i] == '"' || p.ndim == d+1 {
				return errMalformedArray(p.src, "Unexpected array element.")
			}
			return p.unexpected()
		}
		break
	}
	if p.ndim < d+1 {
		return p.unexpected()
	}
	if p.dims[d] == 0 {
		p.dims[d] = n
	} else if p.dims[d] != n {
		return errMalformedArray(p.src, "Multidimensional arrays must have sub-arrays with matching dimensions.")
	}
	return nil
}

// parseElement reads one scalar element, quoted or not.
func (p *arrayParser) parseElement() error {
	var b strings.Builder
	quoted := false
	escaped := false
	keepUnquoted := 0
	if p.s[p.i] == '"' {
		quoted = true
		p.i++
		for {
			if p.i >= len(p.s) {
				return errMalformedArray(p.src, "Unexpected end of input.")
			}
			c := p.s[p.i]
			if c == '\\' {
				p.i++
				if p.i >= len(p.s) {
					return errMalformedArray(p.src, "Unexpected end of input.")
				}
				b.WriteByte(p.s[p.i])
				p.i++
				continue
			}
			if c == '"' {
				p.i++
				break
			}
			b.WriteByte(c)
			p.i++
		}
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != '}' {
			return errMalformedArray(p.src, "Unexpected array element.")
		}
	} else {
		keep := 0 // length up to the last non-space or escaped char
		for p.i < len(p.s) {
			c := p.s[p.i]
			if c == ',' || c == '}' {
				break
			}
			if c == '{' || c == '"' {
				return p.unexpected()
			}
			if c == '\\' {
				p.i++
				if p.i >= len(p.s) {
					return errMalformedArray(p.src, "Unexpected end of input.")
				}
				b.WriteByte(p.s[p.i])
				p.i++
				escaped = true
				keep = b.Len()
				continue
			}
			b.WriteByte(c)
			p.i++
			if !isArraySpace(c) {
				keep = b.Len()
			}
		}
		if p.i >= len(p.s) {
			return errMalformedArray(p.src, "Unexpected end of input.")
		}
		keepUnquoted = keep
	}
	val := b.String()
	if !quoted {
		val = val[:keepUnquoted]
		if !escaped && strings.EqualFold(val, "NULL") {
			p.elems = append(p.elems, Datum{})
			return nil
		}
	}
	d, err := ParseText(p.elem, val, p.set)
	if err != nil {
		return err
	}
	p.elems = append(p.elems, d)
	return nil
}

// appendArray is array_out.
func appendArray(dst []byte, a *Array, set *Settings) []byte {
	if a == nil || len(a.Dims) == 0 || len(a.Elems) == 0 {
		return append(dst, '{', '}')
	}
	decorate := false
	for _, d := range a.Dims {
		if d.Lower != 1 {
			decorate = true
		}
	}
	if decorate {
		for _, d := range a.Dims {
			dst = append(dst, '[')
			dst = strconv.AppendInt(dst, int64(d.Lower), 10)
			dst = append(dst, ':')
			dst = strconv.AppendInt(dst, int64(d.Lower)+int64(d.Len)-1, 10)
			dst = append(dst, ']')
		}
		dst = append(dst, '=')
	}
	idx := 0
	return appendArrayLevel(dst, a, 0, &idx, set)
}

func appendArrayLevel(dst []byte, a *Array, d int, idx *int, set *Settings) []byte {
	dst = append(dst, '{')
	n := int(a.Dims[d].Len)
	for k := 0; k < n; k++ {
		if k > 0 {
			dst = append(dst, ',')
		}
		if d+1 < len(a.Dims) {
			dst = appendArrayLevel(dst, a, d+1, idx, set)
			continue
		}
		e := a.Elems[*idx]
		*idx++
		if e.IsNull() {
			dst = append(dst, "NULL"...)
			continue
		}
		start := len(dst)
		dst = AppendText(dst, e, a.Elem, set)
		if arrayNeedsQuote(dst[start:]) {
			dst = quoteArrayElem(dst, start)
		}
	}
	return append(dst, '}')
}

func arrayNeedsQuote(v []byte) bool {
	if len(v) == 0 {
		return true
	}
	if len(v) == 4 && strings.EqualFold(string(v), "NULL") {
		return true
	}
	for _, c := range v {
		switch c {
		case '"', '\\', '{', '}', ',':
			return true
		}
		if isArraySpace(c) {
			return true
		}
	}
	return false
}

// quoteArrayElem rewrites dst[start:] as a quoted element.
func quoteArrayElem(dst []byte, start int) []byte {
	raw := string(dst[start:])
	dst = append(dst[:start], '"')
	for i := 0; i < len(raw); i++ {
		if raw[i] == '"' || raw[i] == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, raw[i])
	}
	return append(dst, '"')
}
