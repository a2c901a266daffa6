package stream

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/prkdb/prkdb-sql/kv"
)

// JSONOutput is the "wal2json" output plugin: one JSON object per
// message, as wal2json's format-version 2 writes them:
//
//	{"action":"B","xid":742}
//	{"action":"I","xid":742,"schema":"public","table":"t","columns":[{"name":"id","type":"integer","value":1}]}
//	{"action":"U",...,"columns":[...],"identity":[...]}   identity: the old key (or old row, REPLICA IDENTITY FULL)
//	{"action":"D",...,"identity":[...]}
//	{"action":"T","xid":742,"schema":"public","table":"t"}
//	{"action":"M","xid":742,"transactional":true,"prefix":"p","content":"..."}
//	{"action":"C","xid":742}
//
// Numbers and booleans are JSON numbers and booleans, NULL is null,
// everything else a string of the value's text form. Begin and commit are
// left out for transactions without changes.
type JSONOutput struct {
	schema      Schema
	buf, tbuf   []byte
	vals, vals2 [][]byte
}

// NewJSONOutput parses the plugin's options (include-xids and the like
// are accepted and ignored).
func NewJSONOutput(schema Schema, opts [][2]string) (*JSONOutput, error) {
	for _, o := range opts {
		switch o[0] {
		case "format-version", "include-xids", "include-timestamp", "pretty-print", "include-lsn":
		default:
			return nil, fmt.Errorf("%w: option \"%s\" = \"%s\" is unknown", ErrPluginOption, o[0], o[1])
		}
	}
	return &JSONOutput{schema: schema}, nil
}

func appendJSONString(b []byte, s []byte) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c < 0x20:
				b = fmt.Appendf(b, "\\u%04x", c)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}

func appendJSONCols(b []byte, rel *Relation, vals [][]byte, keyOnly bool) []byte {
	b = append(b, '[')
	k := 0
	for i := range rel.Columns {
		c := &rel.Columns[i]
		if keyOnly && !c.Key {
			continue
		}
		if k > 0 {
			b = append(b, ',')
		}
		k++
		b = append(b, `{"name":`...)
		b = appendJSONString(b, []byte(c.Name))
		b = append(b, `,"type":`...)
		b = appendJSONString(b, []byte(c.TypeName))
		b = append(b, `,"value":`...)
		var v []byte
		if i < len(vals) {
			v = vals[i]
		}
		b = appendJSONValue(b, c, v)
		b = append(b, '}')
	}
	return append(b, ']')
}

// Record implements Plugin.
func (j *JSONOutput) Record(rec *kv.Record, w Writer) error {
	data := logicalData(rec)
	if data == nil {
		return nil
	}
	n := rec.LSN
	xid := XID(rec)
	head := func(action string, x uint32) []byte {
		b := append(j.buf[:0], `{"action":"`...)
		b = append(b, action...)
		b = append(b, '"')
		if x != 0 {
			b = append(b, `,"xid":`...)
			b = strconv.AppendUint(b, uint64(x), 10)
		}
		return b
	}
	begun := false
	begin := func() error {
		if begun {
			return nil
		}
		begun = true
		b := append(head("B", xid), '}')
		j.buf = b
		return w(FirstLSN(n), xid, b)
	}
	i := -1
	err := DecodeChanges(data, func(ch *Change) error {
		i++
		lsn := ChangeLSN(n, i)
		switch ch.Kind {
		case ChangeInsert, ChangeUpdate, ChangeDelete:
			rel := j.schema.Relation(ch.Rel, n)
			if rel == nil {
				return nil
			}
			if err := begin(); err != nil {
				return err
			}
			b := head(string(rune(ch.Kind)), xid)
			b = append(b, `,"schema":`...)
			b = appendJSONString(b, []byte(rel.Namespace))
			b = append(b, `,"table":`...)
			b = appendJSONString(b, []byte(rel.Name))
			var err error
			tb := j.tbuf[:0]
			if ch.New != nil {
				if j.vals, tb, err = j.schema.RowText(rel, ch.New, j.vals, tb); err != nil {
					return err
				}
				b = append(b, `,"columns":`...)
				b = appendJSONCols(b, rel, j.vals, false)
			}
			if ch.Old != nil && rel.ReplIdent != 'n' {
				if j.vals2, tb, err = j.schema.RowText(rel, ch.Old, j.vals2, tb); err != nil {
					return err
				}
				b = append(b, `,"identity":`...)
				b = appendJSONCols(b, rel, j.vals2, rel.ReplIdent != 'f')
			}
			b = append(b, '}')
			j.buf, j.tbuf = b, tb
			return w(lsn, xid, b)
		case ChangeTruncate:
			for _, r := range ch.Rels {
				rel := j.schema.Relation(r, n)
				if rel == nil {
					continue
				}
				if err := begin(); err != nil {
					return err
				}
				b := head("T", xid)
				b = append(b, `,"schema":`...)
				b = appendJSONString(b, []byte(rel.Namespace))
				b = append(b, `,"table":`...)
				b = appendJSONString(b, []byte(rel.Name))
				b = append(b, '}')
				j.buf = b
				if err := w(lsn, xid, b); err != nil {
					return err
				}
			}
			return nil
		case ChangeMessage, ChangeMessageNT:
			tx := ch.Kind == ChangeMessage
			x := uint32(0)
			if tx {
				if err := begin(); err != nil {
					return err
				}
				x = xid
			}
			b := head("M", x)
			b = append(b, `,"transactional":`...)
			b = strconv.AppendBool(b, tx)
			b = append(b, `,"prefix":`...)
			b = appendJSONString(b, []byte(ch.Prefix))
			b = append(b, `,"content":`...)
			b = appendJSONString(b, ch.Content)
			b = append(b, '}')
			j.buf = b
			return w(lsn, x, b)
		}
		return nil
	})
	if err != nil || !begun {
		return err
	}
	b := append(head("C", xid), '}')
	j.buf = b
	return w(EndLSN(n), xid, b)
}

// appendJSONValue writes a column's text value as JSON: null, a boolean,
// a bare number (not NaN or infinite), or a string.
func appendJSONValue(b []byte, c *Column, v []byte) []byte {
	switch {
	case v == nil:
		return append(b, "null"...)
	case c.Bool:
		if string(v) == "t" {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case c.Bare && string(v) != "NaN" && string(v) != "Infinity" && string(v) != "-Infinity":
		return append(b, v...)
	}
	return appendJSONString(b, v)
}
