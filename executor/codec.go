package executor

import (
	"sync/atomic"
	"time"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// TableCodec maps a table's rows to kv keys and values: the row storage
// (index 1) keyed by primary key (or hidden row id), and one entry per
// secondary index. A codec belongs to one version of the table descriptor.
type TableCodec struct {
	Table    *catalog.Table
	ColTypes []types.Type
	Prefix   []byte // row storage prefix
	Indexes  []IndexCodec
	// Notify: the table has notify_changes on (see ChangeSink).
	Notify bool
	// ttl: the table's expiry rule, nil when its rows never expire
	// (ttl.go).
	ttl *ttlCheck
	// pkTypes are the primary key columns' types, in key order.
	pkTypes []types.Type
}

// IndexCodec encodes one secondary index's entries.
//
// Entry layout: a non-unique index, or a unique one whose key has a NULL
// (NULLs are distinct), stores prefix|index columns|primary key suffix ->
// empty value. A unique index otherwise stores prefix|index columns ->
// primary key suffix, so a second row with the same key collides on the kv
// key (checked with PutNew).
//
// An expression index's key columns are computed by compiled expressions
// and a partial index has entries only for rows its predicate accepts
// (indexexpr.go).
type IndexCodec struct {
	Index  *catalog.Index
	Prefix []byte
	gin    *ginCodec // a GIN index: many entries per row (gin.go)

	keyTypes []types.Type // per key column
	exprs    []Eval       // per key column; nil entries for plain columns
	pred     Eval         // a partial index's predicate
	err      error        // binding the expressions failed
}

// NewTableCodec builds the codec of a table version.
func NewTableCodec(t *catalog.Table) *TableCodec {
	tc := &TableCodec{Table: t, ColTypes: t.ColumnTypes(), Prefix: catalog.IndexPrefix(nil, t.OID, catalog.PrimaryIndexID),
		Notify: t.NotifyChanges()}
	tc.ttl = newTTLCheck(t, tc.ColTypes)
	for _, c := range t.Primary.Columns {
		tc.pkTypes = append(tc.pkTypes, tc.ColTypes[c])
	}
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		tc.Indexes = append(tc.Indexes, IndexCodec{Index: ix, Prefix: catalog.IndexPrefix(nil, t.OID, ix.ID), gin: newGINCodec(ix)})
		if ix.Method != "gin" {
			tc.Indexes[len(tc.Indexes)-1].compileIndexExprs(t)
		}
	}
	return tc
}

func appendKeyCols(dst []byte, row []types.Datum, ix *catalog.Index, colTypes []types.Type) []byte {
	for i, c := range ix.Columns {
		dst = types.AppendKeyNulls(dst, row[c], colTypes[c], ix.ColDesc(i), ix.ColNullsFirst(i))
	}
	return dst
}

// RowKey is the row storage key of row.
func (tc *TableCodec) RowKey(dst []byte, row []types.Datum) []byte {
	dst = append(dst, tc.Prefix...)
	p := &tc.Table.Primary
	return appendKeyCols(dst, row, p, tc.ColTypes)
}

// EncodeRow is the stored value of row.
func (tc *TableCodec) EncodeRow(dst []byte, row []types.Datum) []byte {
	return tc.appendWriteTime(types.AppendRow(dst, row, tc.ColTypes), 0)
}

// DecodeRow decodes a stored row into dst (len(dst) == len(ColTypes)).
// Columns added after the row was written decode as NULL.
func (tc *TableCodec) DecodeRow(b []byte, dst []types.Datum) ([]types.Datum, error) {
	return types.DecodeRow(b, tc.ColTypes, dst)
}

// HasNull reports whether any of cols is NULL in row.
func HasNull(row []types.Datum, cols []int) bool {
	for _, c := range cols {
		if row[c].K == types.KindNull {
			return true
		}
	}
	return false
}

// Entry returns the kv key and value of row in this index; rowKey is the
// row's storage key (its primary-key suffix is appended or stored).
// unique reports whether the entry must not collide (PutNew). key is nil
// when the row has no entry (a partial index's predicate rejects it).
func (ic *IndexCodec) Entry(ev *bound.EvalCtx, tc *TableCodec, row []types.Datum, rowKey []byte) (key, val []byte, unique bool, err error) {
	ix := ic.Index
	if ic.exprs == nil && ic.pred == nil && ic.err == nil {
		// Plain columns (the common case): the key straight from the row,
		// with nothing allocated but the key and value.
		key = append(make([]byte, 0, len(ic.Prefix)+32), ic.Prefix...)
		key = appendKeyCols(key, row, ix, tc.ColTypes)
		return ic.finish(tc, key, rowKey, ix.Unique && (ix.NullsNotDistinct || !HasNull(row, ix.Columns)))
	}
	vals, in, err := ic.keyValues(ev, row, nil)
	if err != nil || !in {
		return nil, nil, false, err
	}
	key = append(make([]byte, 0, len(ic.Prefix)+32), ic.Prefix...)
	for i, v := range vals {
		key = types.AppendKeyNulls(key, v, ic.keyTypes[i], ix.ColDesc(i), ix.ColNullsFirst(i))
	}
	return ic.finish(tc, key, rowKey, ix.Unique && (ix.NullsNotDistinct || !hasNullValue(vals)))
}

// finish appends or stores the row key suffix.
func (ic *IndexCodec) finish(tc *TableCodec, key, rowKey []byte, unique bool) ([]byte, []byte, bool, error) {
	suffix := rowKey[len(tc.Prefix):]
	if unique {
		return key, append([]byte(nil), suffix...), true, nil
	}
	return append(key, suffix...), []byte{}, false, nil
}

// RowKeyFromEntry recovers the row storage key from an index entry.
func (ic *IndexCodec) RowKeyFromEntry(tc *TableCodec, key, val []byte, dst []byte) []byte {
	dst = append(dst[:0], tc.Prefix...)
	if len(val) > 0 {
		return append(dst, val...)
	}
	// The suffix follows the index columns: decode past them.
	rest := key[len(ic.Prefix):]
	for i := range ic.Index.Columns {
		d := len(ic.Index.Desc) > i && ic.Index.Desc[i]
		_, r, err := types.DecodeKey(rest, ic.keyTypes[i], d)
		if err != nil {
			return nil
		}
		rest = r
	}
	return append(dst, rest...)
}

var lastRowID atomic.Int64

// NextRowID returns a node-unique id for a row of a table without a primary
// key: microseconds since the Unix epoch times 1024, bumped past the last
// one handed out, so ids grow across restarts as long as the clock does not
// go back by more than the restart took.
func NextRowID() int64 {
	for {
		last := lastRowID.Load()
		next := time.Now().UnixMicro() << 10
		if next <= last {
			next = last + 1
		}
		if lastRowID.CompareAndSwap(last, next) {
			return next
		}
	}
}

// primaryTypes is the types of the primary key's columns, in key order.
func (tc *TableCodec) primaryTypes() []types.Type { return tc.pkTypes }
