package catalog

import "encoding/binary"

// Key space of the kv store (first byte):
//
//	'm' kind oid      descriptor of a catalog object (JSON; not a hot path)
//	'm' 'n'           the next OID to assign
//	'r' name          a replication slot (package stream, slots.go)
//	's' oid           a sequence's persisted high-water mark
//	't' table index   table rows and index entries: 't' | table OID u32 |
//	                  index ID u32 | encoded key columns
const (
	prefixMeta  = 'm'
	prefixSeq   = 's'
	prefixTable = 't'
)

// Descriptor kinds under 'm'.
const (
	kindDatabase = 'd'
	kindSchema   = 'c'
	kindRole     = 'r'
	kindTable    = 't'
	kindSequence = 'q'
	// kindPublication: CREATE PUBLICATION (publication.go).
	kindPublication = 'p'
	kindNextOID     = 'n'
)

// IndexPrefix returns the key prefix of index id of table oid. Index 1 is
// the table's primary storage (rows keyed by primary key or row id).
func IndexPrefix(dst []byte, tableOID, indexID uint32) []byte {
	dst = append(dst, prefixTable)
	dst = binary.BigEndian.AppendUint32(dst, tableOID)
	return binary.BigEndian.AppendUint32(dst, indexID)
}

// TablePrefix returns the prefix of every key of table oid.
func TablePrefix(tableOID uint32) []byte {
	dst := []byte{prefixTable}
	return binary.BigEndian.AppendUint32(dst, tableOID)
}

// DecodeIndexKey splits a table key into table OID and index ID.
func DecodeIndexKey(key []byte) (tableOID, indexID uint32, rest []byte, ok bool) {
	if len(key) < 9 || key[0] != prefixTable {
		return 0, 0, nil, false
	}
	return binary.BigEndian.Uint32(key[1:5]), binary.BigEndian.Uint32(key[5:9]), key[9:], true
}

func metaKey(kind byte, oid uint32) []byte {
	k := []byte{prefixMeta, kind}
	return binary.BigEndian.AppendUint32(k, oid)
}

// SequenceKey is where a sequence's high-water mark is kept.
func SequenceKey(oid uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{prefixSeq}, oid)
}

// PrimaryIndexID is the index ID of a table's row storage.
const PrimaryIndexID = 1
