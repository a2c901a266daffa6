package stream

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/kv"
)

// pgoutput: PostgreSQL's built-in logical replication output plugin, in
// text format, byte for byte as PostgreSQL 15 writes it
// (src/backend/replication/pgoutput/pgoutput.c and logical/proto.c;
// "Logical Replication Message Formats" in the documentation).
//
// As in PostgreSQL 15, BEGIN is sent lazily before a transaction's first
// published change, and a transaction with none sends nothing. A relation
// is described (Relation message) before its first change in the session
// and again after it changed. Type messages would describe non-built-in
// column types; every type here is built in, so none are sent. Origin
// messages are sent only for transactions replayed from a replication
// origin, which this server has not, so none are sent either.

// PgOutputOptions are START_REPLICATION's plugin options.
type PgOutputOptions struct {
	ProtoVersion int
	Publications []string
	Messages     bool
	Binary       bool
}

// ErrPluginOption: a bad plugin option (SQLSTATE 22023 at the boundary).
var ErrPluginOption = errors.New("invalid output plugin option")

// ParsePgOutputOptions reads pgoutput's options as parse_output_parameters.
func ParsePgOutputOptions(opts [][2]string) (PgOutputOptions, error) {
	var o PgOutputOptions
	seen := map[string]bool{}
	for _, kv := range opts {
		k, v := kv[0], kv[1]
		if seen[k] {
			return o, fmt.Errorf("%w: conflicting or redundant options", ErrPluginOption)
		}
		seen[k] = true
		switch k {
		case "proto_version":
			n, err := strconv.Atoi(v)
			if err != nil {
				return o, fmt.Errorf("%w: invalid proto_version", ErrPluginOption)
			}
			o.ProtoVersion = n
		case "publication_names":
			for _, p := range splitIdentList(v) {
				o.Publications = append(o.Publications, p)
			}
		case "messages":
			b, ok := parseBoolOpt(v)
			if !ok {
				return o, fmt.Errorf("%w: messages requires a Boolean value", ErrPluginOption)
			}
			o.Messages = b
		case "binary":
			b, ok := parseBoolOpt(v)
			if !ok {
				return o, fmt.Errorf("%w: binary requires a Boolean value", ErrPluginOption)
			}
			o.Binary = b
		case "streaming", "two_phase", "origin":
			// Accepted; this server never streams in-progress transactions
			// nor prepares, and has no origins.
		default:
			return o, fmt.Errorf("%w: unrecognized pgoutput option: %s", ErrPluginOption, k)
		}
	}
	if !seen["proto_version"] {
		return o, fmt.Errorf("%w: proto_version option missing", ErrPluginOption)
	}
	if o.ProtoVersion < 1 || o.ProtoVersion > 3 {
		return o, fmt.Errorf("%w: client sent proto_version=%d but server only supports protocol 1 to 3", ErrPluginOption, o.ProtoVersion)
	}
	if !seen["publication_names"] {
		return o, fmt.Errorf("%w: publication_names parameter missing", ErrPluginOption)
	}
	if o.Binary {
		return o, fmt.Errorf("%w: binary mode is not supported", ErrPluginOption)
	}
	return o, nil
}

func parseBoolOpt(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "true", "on", "1", "t", "yes", "y":
		return true, true
	case "false", "off", "0", "f", "no", "n":
		return false, true
	}
	return false, false
}

// splitIdentList splits a comma-separated identifier list as
// SplitIdentifierString: unquoted names are lower-cased.
func splitIdentList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if len(p) >= 2 && p[0] == '"' && p[len(p)-1] == '"' {
			p = strings.ReplaceAll(p[1:len(p)-1], `""`, `"`)
		} else {
			p = strings.ToLower(p)
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// PgOutput is one session's pgoutput state.
type PgOutput struct {
	opts   PgOutputOptions
	schema Schema
	sent   map[uint32]*Relation // relations described, as described
	acts   map[*Relation]PubActions
	buf    []byte
	vals   [][]byte
	vals2  [][]byte
	tbuf   []byte
}

// NewPgOutput starts a pgoutput session.
func NewPgOutput(schema Schema, opts PgOutputOptions) *PgOutput {
	return &PgOutput{opts: opts, schema: schema, sent: map[uint32]*Relation{}, acts: map[*Relation]PubActions{}}
}

func be64(b []byte, v uint64) []byte { return binary.BigEndian.AppendUint64(b, v) }
func be32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }
func be16(b []byte, v uint16) []byte { return binary.BigEndian.AppendUint16(b, v) }

func (p *PgOutput) actions(rel *Relation) PubActions {
	a, ok := p.acts[rel]
	if !ok {
		a = p.schema.Publishes(p.opts.Publications, rel)
		if len(p.acts) > 4096 {
			clear(p.acts)
		}
		p.acts[rel] = a
	}
	return a
}

// Record implements Plugin.
func (p *PgOutput) Record(rec *kv.Record, w Writer) error {
	data := logicalData(rec)
	if data == nil {
		return nil
	}
	n := rec.LSN
	xid := XID(rec)
	ts := PGEpochMicros(rec.CommitTime)
	begun := false
	begin := func() error {
		if begun {
			return nil
		}
		begun = true
		b := append(p.buf[:0], 'B')
		b = be64(b, CommitLSN(n))
		b = be64(b, uint64(ts))
		b = be32(b, xid)
		p.buf = b
		return w(FirstLSN(n), xid, b)
	}
	i := -1
	err := DecodeChanges(data, func(ch *Change) error {
		i++
		lsn := ChangeLSN(n, i)
		switch ch.Kind {
		case ChangeInsert, ChangeUpdate, ChangeDelete:
			rel := p.schema.Relation(ch.Rel, n)
			if rel == nil {
				return nil
			}
			a := p.actions(rel)
			if ch.Kind == ChangeInsert && a&PubInsert == 0 || ch.Kind == ChangeUpdate && a&PubUpdate == 0 ||
				ch.Kind == ChangeDelete && a&PubDelete == 0 {
				return nil
			}
			if err := begin(); err != nil {
				return err
			}
			if err := p.maybeSendRelation(rel, lsn, xid, w); err != nil {
				return err
			}
			return p.writeChange(rel, ch, lsn, xid, w)
		case ChangeTruncate:
			var rels []uint32
			for _, r := range ch.Rels {
				rel := p.schema.Relation(r, n)
				if rel == nil || p.actions(rel)&PubTruncate == 0 {
					continue
				}
				rels = append(rels, r)
				if err := begin(); err != nil {
					return err
				}
				// TRUNCATE gives the table a new relfilenode: PostgreSQL's
				// relation cache entry is invalidated within the
				// transaction, and pgoutput describes the table again.
				delete(p.sent, r)
				if err := p.maybeSendRelation(rel, lsn, xid, w); err != nil {
					return err
				}
			}
			if len(rels) == 0 {
				return nil
			}
			b := append(p.buf[:0], 'T')
			b = be32(b, uint32(len(rels)))
			b = append(b, ch.Flags)
			for _, r := range rels {
				b = be32(b, r)
			}
			p.buf = b
			err := w(lsn, xid, b)
			// The invalidation holds after the commit too: the next change
			// describes the table once more.
			for _, r := range rels {
				delete(p.sent, r)
			}
			return err
		case ChangeMessage, ChangeMessageNT:
			if !p.opts.Messages {
				return nil
			}
			tx := ch.Kind == ChangeMessage
			if tx {
				if err := begin(); err != nil {
					return err
				}
			}
			b := append(p.buf[:0], 'M')
			if tx {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
			b = be64(b, lsn)
			b = append(b, ch.Prefix...)
			b = append(b, 0)
			b = be32(b, uint32(len(ch.Content)))
			b = append(b, ch.Content...)
			p.buf = b
			if !tx {
				return w(lsn, 0, b)
			}
			return w(lsn, xid, b)
		}
		return nil
	})
	if err != nil || !begun {
		return err
	}
	b := append(p.buf[:0], 'C', 0)
	b = be64(b, CommitLSN(n))
	b = be64(b, EndLSN(n))
	b = be64(b, uint64(ts))
	p.buf = b
	return w(EndLSN(n), xid, b)
}

func (p *PgOutput) maybeSendRelation(rel *Relation, lsn uint64, xid uint32, w Writer) error {
	if p.sent[rel.OID] == rel {
		return nil
	}
	p.sent[rel.OID] = rel
	// logicalrep_write_rel: relid, namespace (empty for pg_catalog),
	// relname, replident, natts, then per column flags, name, type, typmod.
	b := append(p.buf[:0], 'R')
	b = be32(b, rel.OID)
	if rel.Namespace != "pg_catalog" {
		b = append(b, rel.Namespace...)
	}
	b = append(b, 0)
	b = append(b, rel.Name...)
	b = append(b, 0, rel.ReplIdent)
	b = be16(b, uint16(len(rel.Columns)))
	for i := range rel.Columns {
		c := &rel.Columns[i]
		var flags byte
		if rel.ReplIdent == 'f' || c.Key && rel.ReplIdent == 'd' {
			flags = 1
		}
		b = append(b, flags)
		b = append(b, c.Name...)
		b = append(b, 0)
		b = be32(b, c.TypeOID)
		b = be32(b, uint32(c.TypMod))
	}
	p.buf = b
	return w(lsn, xid, b)
}

// appendTuple writes TupleData; keyOnly writes only the key columns' values
// and NULL for the others (ExtractReplicaIdentity's key tuple).
func appendTuple(b []byte, rel *Relation, vals [][]byte, keyOnly bool) []byte {
	b = be16(b, uint16(len(rel.Columns)))
	for i := range rel.Columns {
		if i >= len(vals) || vals[i] == nil || keyOnly && !rel.Columns[i].Key {
			b = append(b, 'n')
			continue
		}
		b = append(b, 't')
		b = be32(b, uint32(len(vals[i])))
		b = append(b, vals[i]...)
	}
	return b
}

// keyChanged reports whether the key columns differ between two rows.
func keyChanged(rel *Relation, old, new [][]byte) bool {
	for i := range rel.Columns {
		if !rel.Columns[i].Key {
			continue
		}
		var o, n []byte
		if i < len(old) {
			o = old[i]
		}
		if i < len(new) {
			n = new[i]
		}
		if (o == nil) != (n == nil) || string(o) != string(n) {
			return true
		}
	}
	return false
}

func (p *PgOutput) writeChange(rel *Relation, ch *Change, lsn uint64, xid uint32, w Writer) error {
	var err error
	tb := p.tbuf[:0]
	b := append(p.buf[:0], byte(ch.Kind))
	b = be32(b, rel.OID)
	switch ch.Kind {
	case ChangeInsert:
		if p.vals, tb, err = p.schema.RowText(rel, ch.New, p.vals, tb); err != nil {
			return err
		}
		b = append(b, 'N')
		b = appendTuple(b, rel, p.vals, false)
	case ChangeUpdate:
		if p.vals, tb, err = p.schema.RowText(rel, ch.New, p.vals, tb); err != nil {
			return err
		}
		if ch.Old != nil && rel.ReplIdent != 'n' {
			if p.vals2, tb, err = p.schema.RowText(rel, ch.Old, p.vals2, tb); err != nil {
				return err
			}
			if rel.ReplIdent == 'f' {
				b = append(b, 'O')
				b = appendTuple(b, rel, p.vals2, false)
			} else if keyChanged(rel, p.vals2, p.vals) {
				b = append(b, 'K')
				b = appendTuple(b, rel, p.vals2, true)
			}
		}
		b = append(b, 'N')
		b = appendTuple(b, rel, p.vals, false)
	case ChangeDelete:
		if rel.ReplIdent == 'n' {
			return nil // PostgreSQL cannot publish it either (no old tuple)
		}
		if p.vals2, tb, err = p.schema.RowText(rel, ch.Old, p.vals2, tb); err != nil {
			return err
		}
		if rel.ReplIdent == 'f' {
			b = append(b, 'O')
			b = appendTuple(b, rel, p.vals2, false)
		} else {
			b = append(b, 'K')
			b = appendTuple(b, rel, p.vals2, true)
		}
	}
	p.buf, p.tbuf = b, tb
	return w(lsn, xid, b)
}
