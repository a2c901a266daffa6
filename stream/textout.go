package stream

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
)

// test_decoding: the text output of PostgreSQL's contrib/test_decoding
// (test_decoding.c), for pg_logical_slot_get_changes and friends:
//
//	BEGIN 742
//	table public.t: INSERT: id[integer]:1 v[text]:'a'
//	table public.t: UPDATE: old-key: id[integer]:1 new-tuple: id[integer]:2 v[text]:'a'
//	table public.t: DELETE: id[integer]:2
//	table public.t: TRUNCATE: (no-flags)
//	message: transactional: 1 prefix: p, sz: 5 content:hello
//	COMMIT 742
//
// Options: include-xids (default on), include-timestamp (off),
// skip-empty-xacts (off); only-local and include-rewrites are accepted and
// change nothing here.
type TestDecoding struct {
	schema     Schema
	xids       bool
	timestamps bool
	skipEmpty  bool
	buf, tbuf  []byte
	vals       [][]byte
}

// NewTestDecoding parses test_decoding's options.
func NewTestDecoding(schema Schema, opts [][2]string) (*TestDecoding, error) {
	t := &TestDecoding{schema: schema, xids: true}
	for _, o := range opts {
		var dst *bool
		switch o[0] {
		case "include-xids":
			dst = &t.xids
		case "include-timestamp":
			dst = &t.timestamps
		case "skip-empty-xacts":
			dst = &t.skipEmpty
		case "only-local", "include-rewrites", "stream-changes", "force-binary":
			var x bool
			dst = &x
		default:
			return nil, fmt.Errorf("%w: option \"%s\" = \"%s\" is unknown", ErrPluginOption, o[0], o[1])
		}
		if o[1] == "" {
			*dst = true
			continue
		}
		b, ok := parseBoolOpt(o[1])
		if !ok {
			return nil, fmt.Errorf("%w: could not parse value \"%s\" for parameter \"%s\"", ErrPluginOption, o[1], o[0])
		}
		*dst = b
	}
	return t, nil
}

// appendQualified is quote_qualified_identifier.
func appendQualified(b []byte, ns, name string) []byte {
	b = appendIdent(b, ns)
	b = append(b, '.')
	return appendIdent(b, name)
}

// appendIdent is quote_identifier: quoted unless a plain lower-case name
// that is not a keyword (the reserved-word check covers the common ones).
func appendIdent(b []byte, s string) []byte {
	safe := s != "" && (s[0] >= 'a' && s[0] <= 'z' || s[0] == '_')
	for i := 0; safe && i < len(s); i++ {
		c := s[i]
		safe = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if safe && !reservedWords[s] {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

// reservedWords: keywords quote_identifier quotes (PostgreSQL's reserved,
// type-function-name and column-name keywords most often met as names).
var reservedWords = map[string]bool{"all": true, "analyse": true, "analyze": true, "and": true, "any": true,
	"array": true, "as": true, "asc": true, "between": true, "bigint": true, "bit": true, "boolean": true,
	"both": true, "case": true, "cast": true, "char": true, "character": true, "check": true, "coalesce": true,
	"collate": true, "column": true, "constraint": true, "create": true, "current_date": true,
	"current_time": true, "current_timestamp": true, "current_user": true, "dec": true, "decimal": true,
	"default": true, "desc": true, "distinct": true, "do": true, "else": true, "end": true, "except": true,
	"exists": true, "false": true, "fetch": true, "float": true, "for": true, "foreign": true, "from": true,
	"grant": true, "group": true, "having": true, "in": true, "initially": true, "inout": true, "int": true,
	"integer": true, "intersect": true, "interval": true, "into": true, "join": true, "leading": true,
	"limit": true, "localtime": true, "localtimestamp": true, "national": true, "nchar": true, "none": true,
	"not": true, "null": true, "nullif": true, "numeric": true, "offset": true, "on": true, "only": true,
	"or": true, "order": true, "out": true, "overlay": true, "placing": true, "position": true,
	"precision": true, "primary": true, "real": true, "references": true, "returning": true, "row": true,
	"select": true, "session_user": true, "setof": true, "smallint": true, "some": true, "substring": true,
	"symmetric": true, "table": true, "then": true, "time": true, "timestamp": true, "to": true,
	"trailing": true, "treat": true, "trim": true, "true": true, "union": true, "unique": true, "user": true,
	"using": true, "values": true, "varchar": true, "variadic": true, "when": true, "where": true,
	"window": true, "with": true, "xmlattributes": true}

// appendTupleText is tuple_to_stringinfo: " name[type]:value" per column;
// skipNulls leaves NULL columns out (an old key).
func appendTupleText(b []byte, rel *Relation, vals [][]byte, skipNulls, keyOnly bool) []byte {
	for i := range rel.Columns {
		c := &rel.Columns[i]
		var v []byte
		if i < len(vals) {
			v = vals[i]
		}
		if keyOnly && !c.Key {
			v = nil
		}
		if v == nil && skipNulls {
			continue
		}
		b = append(b, ' ')
		b = appendIdent(b, c.Name)
		b = append(b, '[')
		b = append(b, c.TypeName...)
		b = append(b, "]:"...)
		switch {
		case v == nil:
			b = append(b, "null"...)
		case c.Bool:
			if string(v) == "t" {
				b = append(b, "true"...)
			} else {
				b = append(b, "false"...)
			}
		case c.Bare:
			b = append(b, v...)
		case c.TypeOID == 1560 || c.TypeOID == 1562:
			b = append(b, "B'"...)
			b = append(b, v...)
			b = append(b, '\'')
		default:
			b = append(b, '\'')
			for _, ch := range v {
				if ch == '\'' {
					b = append(b, '\'')
				}
				b = append(b, ch)
			}
			b = append(b, '\'')
		}
	}
	return b
}

// Record implements Plugin.
func (t *TestDecoding) Record(rec *kv.Record, w Writer) error {
	data := logicalData(rec)
	if data == nil && (t.skipEmpty || !hasCatalogChange(rec)) {
		return nil
	}
	n := rec.LSN
	xid := XID(rec)
	begun := false
	begin := func() error {
		if begun {
			return nil
		}
		begun = true
		b := append(t.buf[:0], "BEGIN"...)
		if t.xids {
			b = append(b, ' ')
			b = strconv.AppendUint(b, uint64(xid), 10)
		}
		t.buf = b
		return w(FirstLSN(n), xid, b)
	}
	if !t.skipEmpty {
		if err := begin(); err != nil {
			return err
		}
	}
	i := -1
	err := DecodeChanges(data, func(ch *Change) error {
		i++
		lsn := ChangeLSN(n, i)
		switch ch.Kind {
		case ChangeInsert, ChangeUpdate, ChangeDelete:
			rel := t.schema.Relation(ch.Rel, n)
			if rel == nil {
				return nil
			}
			if err := begin(); err != nil {
				return err
			}
			b := append(t.buf[:0], "table "...)
			b = appendQualified(b, rel.Namespace, rel.Name)
			var err error
			tb := t.tbuf[:0]
			switch ch.Kind {
			case ChangeInsert:
				b = append(b, ": INSERT:"...)
				if t.vals, tb, err = t.schema.RowText(rel, ch.New, t.vals, tb); err != nil {
					return err
				}
				b = appendTupleText(b, rel, t.vals, false, false)
			case ChangeUpdate:
				b = append(b, ": UPDATE:"...)
				if ch.Old != nil && rel.ReplIdent != 'n' {
					var nv [][]byte
					if nv, tb, err = t.schema.RowText(rel, ch.New, nil, tb); err != nil {
						return err
					}
					if t.vals, tb, err = t.schema.RowText(rel, ch.Old, t.vals, tb); err != nil {
						return err
					}
					if rel.ReplIdent == 'f' || keyChanged(rel, t.vals, nv) {
						b = append(b, " old-key:"...)
						b = appendTupleText(b, rel, t.vals, true, rel.ReplIdent != 'f')
						b = append(b, " new-tuple:"...)
					}
					b = appendTupleText(b, rel, nv, false, false)
				} else {
					if t.vals, tb, err = t.schema.RowText(rel, ch.New, t.vals, tb); err != nil {
						return err
					}
					b = appendTupleText(b, rel, t.vals, false, false)
				}
			case ChangeDelete:
				b = append(b, ": DELETE:"...)
				if rel.ReplIdent == 'n' {
					b = append(b, " (no-tuple-data)"...)
					break
				}
				if t.vals, tb, err = t.schema.RowText(rel, ch.Old, t.vals, tb); err != nil {
					return err
				}
				b = appendTupleText(b, rel, t.vals, true, rel.ReplIdent != 'f')
			}
			t.buf, t.tbuf = b, tb
			return w(lsn, xid, b)
		case ChangeTruncate:
			if err := begin(); err != nil {
				return err
			}
			b := append(t.buf[:0], "table "...)
			k := 0
			for _, r := range ch.Rels {
				rel := t.schema.Relation(r, n)
				if rel == nil {
					continue
				}
				if k > 0 {
					b = append(b, ", "...)
				}
				k++
				b = appendQualified(b, rel.Namespace, rel.Name)
			}
			b = append(b, ": TRUNCATE:"...)
			if ch.Flags == 0 {
				b = append(b, " (no-flags)"...)
			}
			if ch.Flags&TruncateRestartIdentity != 0 {
				b = append(b, " restart_seqs"...)
			}
			if ch.Flags&TruncateCascade != 0 {
				b = append(b, " cascade"...)
			}
			t.buf = b
			return w(lsn, xid, b)
		case ChangeMessage, ChangeMessageNT:
			tx := ch.Kind == ChangeMessage
			if tx {
				if err := begin(); err != nil {
					return err
				}
			}
			b := fmt.Appendf(t.buf[:0], "message: transactional: %d prefix: %s, sz: %d content:", b2i(tx), ch.Prefix, len(ch.Content))
			b = append(b, ch.Content...)
			t.buf = b
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
	b := append(t.buf[:0], "COMMIT"...)
	if t.xids {
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(xid), 10)
	}
	if t.timestamps {
		b = append(b, " (at "...)
		b = append(b, time.UnixMicro(rec.CommitTime).UTC().Format("2006-01-02 15:04:05.999999-07")...)
		b = append(b, ')')
	}
	t.buf = b
	return w(EndLSN(n), xid, b)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
