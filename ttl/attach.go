package ttl

import (
	"encoding/binary"
	"errors"

	"github.com/prkdb/prkdb-sql/kv"
)

// AttachExpiry is the kv commit attachment kind that marks a commit as the
// sweeper's: its deletes are expired rows of one table, not a user's
// deletes. (Other kinds in use: stream.AttachNotify 'N'.)
const AttachExpiry uint8 = 'T'

// Expiry is the content of an AttachExpiry attachment.
type Expiry struct {
	Database uint32 // the table's database OID
	Table    uint32 // the table OID whose expired rows the commit deletes
	// Suppress: the table has ttl_disable_changefeed_replication = true;
	// change streams must not publish these deletes at all.
	Suppress bool
}

// ErrBadAttachment: an AttachExpiry attachment that cannot be decoded.
var ErrBadAttachment = errors.New("ttl: malformed expiry attachment")

const expiryVersion = 1

const flagSuppress = 1

// EncodeExpiry is the attachment data of e:
//
//	version u8 (1) | database uvarint | table uvarint | flags u8 (bit 0: Suppress)
func EncodeExpiry(e Expiry) []byte {
	b := make([]byte, 0, 12)
	b = append(b, expiryVersion)
	b = binary.AppendUvarint(b, uint64(e.Database))
	b = binary.AppendUvarint(b, uint64(e.Table))
	var flags byte
	if e.Suppress {
		flags |= flagSuppress
	}
	return append(b, flags)
}

// DecodeExpiry parses attachment data written by EncodeExpiry.
func DecodeExpiry(b []byte) (Expiry, error) {
	if len(b) < 1 || b[0] != expiryVersion {
		return Expiry{}, ErrBadAttachment
	}
	b = b[1:]
	db, n := binary.Uvarint(b)
	if n <= 0 {
		return Expiry{}, ErrBadAttachment
	}
	b = b[n:]
	t, n := binary.Uvarint(b)
	if n <= 0 || len(b) < n+1 {
		return Expiry{}, ErrBadAttachment
	}
	return Expiry{Database: uint32(db), Table: uint32(t), Suppress: b[n]&flagSuppress != 0}, nil
}

// RecordExpiry reports whether a commit record is a sweeper commit, and
// what it expired. Change-stream consumers call it once per record.
func RecordExpiry(r *kv.Record) (Expiry, bool) {
	for _, a := range r.Attachments {
		if a.Kind == AttachExpiry {
			e, err := DecodeExpiry(a.Data)
			return e, err == nil
		}
	}
	return Expiry{}, false
}
