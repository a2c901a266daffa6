package types

import (
	"encoding/binary"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Binary forms of tsvector and tsquery (tsvectorsend/recv, tsquerysend/recv
// in src/backend/utils/adt), byte for byte as PostgreSQL 15 sends them.

// appendBinaryTSVector is tsvectorsend: int32 lexeme count, then per lexeme
// the NUL-terminated word, uint16 position count and the WordEntryPos values.
func appendBinaryTSVector(dst []byte, d Datum) ([]byte, error) {
	v, err := TSVectorOf(d)
	if err != nil {
		return dst, err
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(v.Lexemes)))
	for _, l := range v.Lexemes {
		dst = append(append(dst, l.Word...), 0)
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(l.Pos)))
		for _, p := range l.Pos {
			dst = binary.BigEndian.AppendUint16(dst, p)
		}
	}
	return dst, nil
}

// decodeBinaryTSVector is tsvectorrecv.
func decodeBinaryTSVector(b []byte) (Datum, error) {
	if len(b) < 4 {
		return Datum{}, errInsufficient()
	}
	n := int(binary.BigEndian.Uint32(b))
	b = b[4:]
	v := &TSVector{}
	for ; n > 0; n-- {
		z := strings.IndexByte(string(b), 0)
		if z < 0 || len(b) < z+3 {
			return Datum{}, errInsufficient()
		}
		l := TSLexeme{Word: string(b[:z])}
		np := int(binary.BigEndian.Uint16(b[z+1:]))
		b = b[z+3:]
		if len(b) < 2*np {
			return Datum{}, errInsufficient()
		}
		for i := 0; i < np; i++ {
			p := binary.BigEndian.Uint16(b[2*i:])
			if p&TSMaxPos == 0 {
				return Datum{}, pgerror.New(pgerror.InvalidBinaryRepresentation, "position information is misordered")
			}
			l.Pos = append(l.Pos, p)
		}
		b = b[2*np:]
		v.Lexemes = append(v.Lexemes, l)
	}
	NormalizeTSVector(v)
	return NewTSVector(v), nil
}

// appendBinaryTSQuery is tsquerysend: int32 item count, then the items in
// PostgreSQL's prefix order (operator, right operand, left operand): an
// operand is type 1, weight, prefix and the NUL-terminated lexeme; an
// operator is type 2 and its code (1 NOT, 2 AND, 3 OR, 4 PHRASE with an
// int16 distance).
func appendBinaryTSQuery(dst []byte, d Datum) ([]byte, error) {
	q, err := TSQueryOf(d)
	if err != nil {
		return dst, err
	}
	var items []*TSNode
	var walk func(n *TSNode)
	walk = func(n *TSNode) {
		items = append(items, n)
		if n.Op != TSVal {
			walk(n.R)
			if n.L != nil {
				walk(n.L)
			}
		}
	}
	if q.Root != nil {
		walk(q.Root)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(items)))
	for _, n := range items {
		if n.Op == TSVal {
			prefix := byte(0)
			if n.Prefix {
				prefix = 1
			}
			dst = append(dst, 1, n.Weight, prefix)
			dst = append(append(dst, n.Word...), 0)
			continue
		}
		dst = append(dst, 2, byte(n.Op))
		if n.Op == TSPhrase {
			dst = binary.BigEndian.AppendUint16(dst, uint16(n.Dist))
		}
	}
	return dst, nil
}

// decodeBinaryTSQuery is tsqueryrecv.
func decodeBinaryTSQuery(b []byte) (Datum, error) {
	if len(b) < 4 {
		return Datum{}, errInsufficient()
	}
	n := int(binary.BigEndian.Uint32(b))
	b = b[4:]
	var read func() (*TSNode, error)
	read = func() (*TSNode, error) {
		if n == 0 || len(b) < 2 {
			return nil, errInsufficient()
		}
		n--
		switch b[0] {
		case 1:
			if len(b) < 3 {
				return nil, errInsufficient()
			}
			z := strings.IndexByte(string(b[3:]), 0)
			if z < 0 {
				return nil, errInsufficient()
			}
			node := &TSNode{Op: TSVal, Weight: b[1], Prefix: b[2] != 0, Word: string(b[3 : 3+z])}
			b = b[4+z:]
			return node, nil
		case 2:
			node := &TSNode{Op: TSOp(b[1])}
			b = b[2:]
			switch node.Op {
			case TSPhrase:
				if len(b) < 2 {
					return nil, errInsufficient()
				}
				node.Dist = int(binary.BigEndian.Uint16(b))
				b = b[2:]
			case TSNot, TSAnd, TSOr:
			default:
				return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, "unrecognized operator type: %d", node.Op)
			}
			r, err := read()
			if err != nil {
				return nil, err
			}
			node.R = r
			if node.Op != TSNot {
				if node.L, err = read(); err != nil {
					return nil, err
				}
			}
			return node, nil
		}
		return nil, pgerror.New(pgerror.InvalidBinaryRepresentation, "invalid tsquery: unrecognized item type %d", b[0])
	}
	q := &TSQuery{}
	if n > 0 {
		root, err := read()
		if err != nil {
			return Datum{}, err
		}
		q.Root = root
	}
	return NewTSQuery(q), nil
}
