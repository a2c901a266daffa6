package stream

import (
	"encoding/binary"
	"errors"
)

// AttachLogical is the kv attachment kind of a transaction's logical
// changes ('L'): what logical decoding needs and kv ops cannot say (insert
// or update, the old row of an update or delete, TRUNCATE, messages).
// Sessions write it only while a logical slot exists (see Slots.Active).
const AttachLogical uint8 = 'L'

// ChangeKind is one logical change's kind.
type ChangeKind uint8

const (
	ChangeInsert   ChangeKind = 'I'
	ChangeUpdate   ChangeKind = 'U'
	ChangeDelete   ChangeKind = 'D'
	ChangeTruncate ChangeKind = 'T'
	// ChangeMessage is a transactional pg_logical_emit_message.
	ChangeMessage ChangeKind = 'M'
	// ChangeMessageNT is a non-transactional message: it is committed in
	// a record of its own and decoded outside any transaction.
	ChangeMessageNT ChangeKind = 'm'
	// ChangeSchema: a DDL transaction changed or dropped table Rel; its
	// description before the transaction is Content (the SQL layer's
	// descriptor, opaque here). Output plugins skip it.
	ChangeSchema ChangeKind = 'S'
)

// Truncate flags, as pgoutput's (src/include/replication/logicalproto.h).
const (
	TruncateCascade         = 1
	TruncateRestartIdentity = 2
)

// Change is one decoded logical change. Old and New are encoded rows of
// the table (the SQL layer's row encoding, all columns by position; stream
// never reads them, the Schema does). Byte slices alias the record.
type Change struct {
	Kind ChangeKind
	Rel  uint32
	// Old: update/delete's old row (nil when the layer above recorded none:
	// an update that kept the key of a REPLICA IDENTITY DEFAULT table).
	Old, New []byte
	// Truncate: the tables and flags.
	Rels  []uint32
	Flags uint8
	// Messages.
	Prefix  string
	Content []byte
}

var errBadLogical = errors.New("stream: malformed logical attachment")

// Changes accumulates a transaction's logical changes in encoded form
// (the attachment's data). The zero value is empty.
//
//	change = kind u8 | body
//	I: rel u32 | new row
//	U: rel u32 | has old u8 | [old row] | new row
//	D: rel u32 | old row
//	T: flags u8 | n uvarint | rel u32 ...
//	M, m: prefix bytes | content bytes
//	S: rel u32 | descriptor bytes
//
// where a row is u32 length | data (encoded in place) and bytes is uvarint
// length | data. Integers are little-endian.
type Changes struct {
	b []byte
	n int
}

// Len is the number of changes (a savepoint's mark is Mark).
func (c *Changes) Len() int { return c.n }

// Mark is a position to truncate back to (ROLLBACK TO SAVEPOINT).
func (c *Changes) Mark() [2]int { return [2]int{len(c.b), c.n} }

// Truncate drops the changes after m.
func (c *Changes) Truncate(m [2]int) {
	if m[0] <= len(c.b) {
		c.b, c.n = c.b[:m[0]], m[1]
	}
}

// Data is the attachment data.
func (c *Changes) Data() []byte { return c.b }

// Reset empties c, keeping its buffer.
func (c *Changes) Reset() { c.b, c.n = c.b[:0], 0 }

func appendBytes(dst, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// Insert records an insert; row appends the encoded new row (straight
// into the attachment, no intermediate copy).
func (c *Changes) Insert(rel uint32, row func([]byte) []byte) {
	c.b = append(c.b, byte(ChangeInsert))
	c.b = binary.LittleEndian.AppendUint32(c.b, rel)
	c.b = c.appendEncoded(row)
	c.n++
}

// Update records an update; old may be nil (no old row recorded).
func (c *Changes) Update(rel uint32, old, new func([]byte) []byte) {
	c.b = append(c.b, byte(ChangeUpdate))
	c.b = binary.LittleEndian.AppendUint32(c.b, rel)
	if old == nil {
		c.b = append(c.b, 0)
	} else {
		c.b = append(c.b, 1)
		c.b = c.appendEncoded(old)
	}
	c.b = c.appendEncoded(new)
	c.n++
}

// Delete records a delete with its old row.
func (c *Changes) Delete(rel uint32, old func([]byte) []byte) {
	c.b = append(c.b, byte(ChangeDelete))
	c.b = binary.LittleEndian.AppendUint32(c.b, rel)
	c.b = c.appendEncoded(old)
	c.n++
}

// TruncateRels records a TRUNCATE of rels.
func (c *Changes) TruncateRels(rels []uint32, flags uint8) {
	c.b = append(c.b, byte(ChangeTruncate), flags)
	c.b = binary.AppendUvarint(c.b, uint64(len(rels)))
	for _, r := range rels {
		c.b = binary.LittleEndian.AppendUint32(c.b, r)
	}
	c.n++
}

// Message records pg_logical_emit_message(transactional, prefix, content).
func (c *Changes) Message(transactional bool, prefix string, content []byte) {
	k := ChangeMessage
	if !transactional {
		k = ChangeMessageNT
	}
	c.b = append(c.b, byte(k))
	c.b = appendBytes(c.b, []byte(prefix))
	c.b = appendBytes(c.b, content)
	c.n++
}

// Schema records the description table rel had before this transaction
// changed or dropped it.
func (c *Changes) Schema(rel uint32, old []byte) {
	c.b = append(c.b, byte(ChangeSchema))
	c.b = binary.LittleEndian.AppendUint32(c.b, rel)
	c.b = appendBytes(c.b, old)
	c.n++
}

// appendEncoded appends a u32 length and the bytes fill appends (the
// row is encoded in place, then its length patched in).
func (c *Changes) appendEncoded(fill func([]byte) []byte) []byte {
	start := len(c.b)
	b := append(c.b, 0, 0, 0, 0)
	b = fill(b)
	binary.LittleEndian.PutUint32(b[start:], uint32(len(b)-start-4))
	return b
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// DecodeChanges calls f for each change of an 'L' attachment, in order.
// The Change (and its slices) is valid only during the call.
func DecodeChanges(data []byte, f func(*Change) error) error {
	var ch Change
	d := data
	rowField := func() ([]byte, bool) {
		if len(d) < 4 {
			return nil, false
		}
		l := binary.LittleEndian.Uint32(d)
		if uint64(len(d)-4) < uint64(l) {
			return nil, false
		}
		v := d[4 : 4+l : 4+l]
		d = d[4+l:]
		return v, true
	}
	bytesField := func() ([]byte, bool) {
		l, k := binary.Uvarint(d)
		if k <= 0 || uint64(len(d)-k) < l {
			return nil, false
		}
		v := d[k : k+int(l) : k+int(l)]
		d = d[k+int(l):]
		return v, true
	}
	rel := func() (uint32, bool) {
		if len(d) < 4 {
			return 0, false
		}
		r := binary.LittleEndian.Uint32(d)
		d = d[4:]
		return r, true
	}
	for len(d) > 0 {
		ch = Change{Kind: ChangeKind(d[0])}
		d = d[1:]
		var ok bool
		switch ch.Kind {
		case ChangeInsert:
			if ch.Rel, ok = rel(); ok {
				ch.New, ok = rowField()
			}
		case ChangeUpdate:
			if ch.Rel, ok = rel(); ok && len(d) > 0 {
				has := d[0]
				d = d[1:]
				if has == 1 {
					ch.Old, ok = rowField()
				}
				if ok {
					ch.New, ok = rowField()
				}
			} else {
				ok = false
			}
		case ChangeDelete:
			if ch.Rel, ok = rel(); ok {
				ch.Old, ok = rowField()
			}
		case ChangeTruncate:
			if len(d) < 1 {
				break
			}
			ch.Flags = d[0]
			d = d[1:]
			n, k := binary.Uvarint(d)
			if k <= 0 || n > uint64(len(d)) {
				break
			}
			d = d[k:]
			ok = true
			for i := uint64(0); i < n && ok; i++ {
				var r uint32
				if r, ok = rel(); ok {
					ch.Rels = append(ch.Rels, r)
				}
			}
		case ChangeSchema:
			if ch.Rel, ok = rel(); ok {
				ch.Content, ok = bytesField()
			}
		case ChangeMessage, ChangeMessageNT:
			var p []byte
			if p, ok = bytesField(); ok {
				ch.Prefix = string(p)
				ch.Content, ok = bytesField()
			}
		}
		if !ok {
			return errBadLogical
		}
		if err := f(&ch); err != nil {
			return err
		}
	}
	return nil
}
