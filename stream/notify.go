package stream

import (
	"encoding/binary"
	"errors"
)

// AttachNotify is the kv attachment kind of a transaction's notifications.
// kv attachment kinds are namespaced by the layer that writes them; this
// one is stream's ('N').
const AttachNotify uint8 = 'N'

// MaxPayload is PostgreSQL's NOTIFY payload limit in bytes: the payload
// must be shorter than NOTIFY_PAYLOAD_MAX_LENGTH (8000, src/backend/commands/async.c).
const MaxPayload = 8000

// MaxChannel is the longest channel name (NAMEDATALEN-1).
const MaxChannel = 63

// Notification is one NOTIFY as a listener receives it.
type Notification struct {
	Channel string
	Payload string
	PID     int32  // the backend PID of the session that sent it
	LSN     uint64 // the commit that carried it
}

var errBadNotify = errors.New("stream: malformed NOTIFY attachment")

// AppendNotify appends the attachment data for the notifications of one
// transaction in database db, sent by backend pid:
//
//	db u32 | pid u32 | count uvarint | { channel len uvarint | channel | payload len uvarint | payload }
func AppendNotify(dst []byte, db uint32, pid int32, ns []Notification) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, db)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(pid))
	dst = binary.AppendUvarint(dst, uint64(len(ns)))
	for i := range ns {
		dst = binary.AppendUvarint(dst, uint64(len(ns[i].Channel)))
		dst = append(dst, ns[i].Channel...)
		dst = binary.AppendUvarint(dst, uint64(len(ns[i].Payload)))
		dst = append(dst, ns[i].Payload...)
	}
	return dst
}

// DecodeNotify decodes AppendNotify's encoding, calling f for each
// notification in order. Channel and payload are copied.
func DecodeNotify(data []byte, f func(db uint32, pid int32, channel, payload string)) error {
	if len(data) < 8 {
		return errBadNotify
	}
	db := binary.LittleEndian.Uint32(data)
	pid := int32(binary.LittleEndian.Uint32(data[4:]))
	data = data[8:]
	n, k := binary.Uvarint(data)
	if k <= 0 {
		return errBadNotify
	}
	data = data[k:]
	str := func() (string, bool) {
		l, k := binary.Uvarint(data)
		if k <= 0 || uint64(len(data)-k) < l {
			return "", false
		}
		s := string(data[k : k+int(l)])
		data = data[k+int(l):]
		return s, true
	}
	for ; n > 0; n-- {
		ch, ok := str()
		if !ok {
			return errBadNotify
		}
		p, ok := str()
		if !ok {
			return errBadNotify
		}
		f(db, pid, ch, p)
	}
	return nil
}

// Pending collects the notifications of one transaction: NOTIFY and
// pg_notify add to it, savepoint rollback truncates it, commit attaches it.
// Duplicates are folded as PostgreSQL's AsyncExistsPendingNotify does: a
// notification with the same channel and payload as one already pending in
// the transaction is dropped (the first keeps its place in the order).
// Like PostgreSQL, it searches the list while it is short and builds a
// hash table only past pendingHashMin entries.
type Pending struct {
	list []Notification
	seen map[[2]string]struct{} // nil while the list is short
}

// pendingHashMin is where Pending starts hashing (PostgreSQL: MIN_HASHABLE_NOTIFIES).
const pendingHashMin = 16

// Add queues a notification unless an identical one is pending.
func (p *Pending) Add(channel, payload string) {
	k := [2]string{channel, payload}
	if p.seen != nil {
		if _, dup := p.seen[k]; dup {
			return
		}
		p.seen[k] = struct{}{}
	} else {
		for i := range p.list {
			if p.list[i].Channel == channel && p.list[i].Payload == payload {
				return
			}
		}
		if len(p.list)+1 >= pendingHashMin {
			p.seen = make(map[[2]string]struct{}, 2*pendingHashMin)
			for i := range p.list {
				p.seen[[2]string{p.list[i].Channel, p.list[i].Payload}] = struct{}{}
			}
			p.seen[k] = struct{}{}
		}
	}
	p.list = append(p.list, Notification{Channel: channel, Payload: payload})
}

// Len is the number of pending notifications (a savepoint's mark).
func (p *Pending) Len() int { return len(p.list) }

// Truncate drops the notifications added after mark (ROLLBACK TO SAVEPOINT).
func (p *Pending) Truncate(mark int) {
	if mark >= len(p.list) {
		return
	}
	if p.seen != nil {
		for _, n := range p.list[mark:] {
			delete(p.seen, [2]string{n.Channel, n.Payload})
		}
	}
	p.list = p.list[:mark]
}

// List returns the pending notifications in the order they were added.
func (p *Pending) List() []Notification { return p.list }
