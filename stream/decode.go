package stream

import (
	"github.com/prkdb/prkdb-sql/kv"
)

// Logical decoding: committed records -> output plugin messages.
//
// A record's logical changes are its 'L' attachment (logical.go). stream
// never reads rows itself: a Schema, given by the SQL layer, describes
// tables and turns encoded rows into text values, with the table's
// description as of the change: a DDL transaction records each altered or
// dropped table's previous description (ChangeSchema), so the Schema can
// tell which version a record was written under.

// Relation describes a table for decoding.
type Relation struct {
	OID       uint32
	Namespace string // schema name
	Name      string
	// ReplIdent is pg_class.relreplident: 'd' default (primary key), 'f'
	// full, 'n' nothing.
	ReplIdent byte
	Columns   []Column // live columns in attnum order
}

// Column is one column of a Relation.
type Column struct {
	Name     string
	TypeOID  uint32
	TypMod   int32
	TypeName string // format_type_be's spelling (test_decoding prints it)
	Key      bool   // part of the primary key
	// Quote says how test_decoding prints a value: false for the numeric
	// types it prints bare (print_literal).
	Bare bool
	Bool bool // boolean: printed as true/false
}

// PubActions says which changes of a table a set of publications
// publishes.
type PubActions uint8

const (
	PubInsert PubActions = 1 << iota
	PubUpdate
	PubDelete
	PubTruncate
)

// Schema is the SQL layer's side of decoding, one per decoding session
// (it may keep scratch state; it is used from one goroutine).
type Schema interface {
	// Relation describes table rel as it was when kv record n committed,
	// or returns nil if rel was not a table of the slot's database then.
	// The pointer stays the same while the description does, so a plugin
	// can tell when to send it again.
	Relation(rel uint32, n uint64) *Relation
	// Publishes reports what the named publications publish of rel.
	Publishes(pubs []string, rel *Relation) PubActions
	// RowText decodes an encoded row of rel into the text form of each of
	// rel.Columns (nil for NULL), appending the bytes to buf. dst is reused.
	RowText(rel *Relation, row []byte, dst [][]byte, buf []byte) ([][]byte, []byte, error)
}

// Writer receives a plugin's output: one message at a client LSN (the
// XLogData's start, or the row of pg_logical_slot_get_changes), with the
// transaction's xid. data is valid only during the call.
type Writer func(lsn uint64, xid uint32, data []byte) error

// Plugin turns records into output messages.
type Plugin interface {
	// Record decodes one committed record.
	Record(rec *kv.Record, w Writer) error
}

// XID is the transaction id a record's changes are reported with.
func XID(rec *kv.Record) uint32 { return uint32(rec.LSN) }

// PGEpochMicros converts Unix microseconds to PostgreSQL's timestamp
// (microseconds since 2000-01-01 UTC).
func PGEpochMicros(unixMicros int64) int64 { return unixMicros - 946684800000000 }

// logicalData returns the record's 'L' attachment, if any.
func logicalData(rec *kv.Record) []byte {
	for i := range rec.Attachments {
		if rec.Attachments[i].Kind == AttachLogical {
			return rec.Attachments[i].Data
		}
	}
	return nil
}

// hasCatalogChange reports whether a record without logical changes
// changed the catalog (a DDL transaction): test_decoding shows those as
// empty transactions, as PostgreSQL does.
func hasCatalogChange(rec *kv.Record) bool {
	for i := range rec.Ops {
		if k := rec.Ops[i].Key; len(k) > 0 && k[0] == 'm' {
			return true
		}
	}
	return false
}
