package kv

import (
	"encoding/binary"
	"fmt"
)

// OpKind says what a commit did to one key.
type OpKind uint8

const (
	OpPut OpKind = iota + 1
	OpDelete
)

// Op is one key change of a commit.
type Op struct {
	Kind  OpKind
	Key   []byte
	Value []byte // nil for OpDelete
}

// Attachment is opaque data a layer above adds to a commit record (DDL,
// sequence values, NOTIFY payloads). Kind namespaces it; kv never reads it.
type Attachment struct {
	Kind uint8
	Data []byte
}

// Record is one commit: everything it did, in one log entry.
type Record struct {
	LSN         uint64
	CommitTime  int64 // wall clock, Unix microseconds, taken at LSN assignment
	Ops         []Op
	Attachments []Attachment
}

// Record payload layout (all integers little-endian or uvarint):
//
//	lsn u64 | time i64 | nops uvarint | { kind u8 | klen uvarint | key | vlen uvarint | value }
//	| natt uvarint | { kind u8 | len uvarint | data }
//
// lsn and time sit at fixed offsets so a commit can encode its payload before
// it holds the commit mutex and patch them in afterwards.
const payloadHeaderLen = 16

// encodePayload appends the payload of r (with lsn/time zero) to dst.
func encodePayload(dst []byte, ops []Op, atts []Attachment) []byte {
	dst = append(dst, make([]byte, payloadHeaderLen)...)
	dst = binary.AppendUvarint(dst, uint64(len(ops)))
	for i := range ops {
		op := &ops[i]
		dst = append(dst, byte(op.Kind))
		dst = binary.AppendUvarint(dst, uint64(len(op.Key)))
		dst = append(dst, op.Key...)
		dst = binary.AppendUvarint(dst, uint64(len(op.Value)))
		dst = append(dst, op.Value...)
	}
	dst = binary.AppendUvarint(dst, uint64(len(atts)))
	for i := range atts {
		dst = append(dst, atts[i].Kind)
		dst = binary.AppendUvarint(dst, uint64(len(atts[i].Data)))
		dst = append(dst, atts[i].Data...)
	}
	return dst
}

// payloadSize is the exact length encodePayload produces, so the buffer is
// allocated once.
func payloadSize(ops []Op, atts []Attachment) int {
	n := payloadHeaderLen + uvarintLen(uint64(len(ops))) + uvarintLen(uint64(len(atts)))
	for i := range ops {
		n += 1 + uvarintLen(uint64(len(ops[i].Key))) + len(ops[i].Key) +
			uvarintLen(uint64(len(ops[i].Value))) + len(ops[i].Value)
	}
	for i := range atts {
		n += 1 + uvarintLen(uint64(len(atts[i].Data))) + len(atts[i].Data)
	}
	return n
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

func patchPayloadHeader(payload []byte, lsn uint64, commitTime int64) {
	binary.LittleEndian.PutUint64(payload[0:8], lsn)
	binary.LittleEndian.PutUint64(payload[8:16], uint64(commitTime))
}

// decodePayload parses a payload. Keys, values and attachment data alias p,
// which the caller must not modify afterwards. Malformed input returns an
// error, never a panic: the bytes come from disk and may be damaged.
func decodePayload(p []byte) (*Record, error) {
	r := &Record{}
	if err := decodePayloadInto(p, r); err != nil {
		return nil, err
	}
	return r, nil
}

// decodePayloadInto is decodePayload into r, reusing the capacity of its
// Ops and Attachments (recovery decodes every record into one Record).
func decodePayloadInto(p []byte, r *Record) error {
	if len(p) < payloadHeaderLen {
		return fmt.Errorf("record too short (%d bytes)", len(p))
	}
	r.LSN = binary.LittleEndian.Uint64(p[0:8])
	r.CommitTime = int64(binary.LittleEndian.Uint64(p[8:16]))
	r.Ops, r.Attachments = r.Ops[:0], r.Attachments[:0]
	d := decoder{b: p[payloadHeaderLen:]}
	nops := d.count()
	if uint64(cap(r.Ops)) < nops {
		r.Ops = make([]Op, 0, nops)
	}
	for i := uint64(0); i < nops && d.err == nil; i++ {
		kind := OpKind(d.byte1())
		if kind != OpPut && kind != OpDelete {
			d.fail("bad op kind %d", kind)
			break
		}
		key := d.bytes()
		val := d.bytes()
		if kind == OpDelete {
			val = nil
		}
		r.Ops = append(r.Ops, Op{Kind: kind, Key: key, Value: val})
	}
	natt := d.count()
	for i := uint64(0); i < natt && d.err == nil; i++ {
		kind := d.byte1()
		r.Attachments = append(r.Attachments, Attachment{Kind: kind, Data: d.bytes()})
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	return d.err
}

// decoder reads uvarint-framed fields, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads an element count, bounded by the bytes left (each element
// takes at least one byte) so corrupt input cannot ask for a huge allocation.
func (d *decoder) count() uint64 {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail("count %d exceeds remaining %d bytes", n, len(d.b))
		return 0
	}
	return n
}

func (d *decoder) byte1() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 1 {
		d.fail("unexpected end")
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.fail("length %d exceeds remaining %d bytes", n, len(d.b))
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}
