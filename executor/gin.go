package executor

import (
	"bytes"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/tsearch"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// GIN indexes (full-text search): an inverted index with one kv entry per
// (lexeme, row), keyed
//
//	t | table | index | lexeme (text key encoding) | row key suffix -> ''
//
// so the rows holding a lexeme are one prefix scan, and the rows holding
// a lexeme starting with p (p:* in a tsquery) are the prefix scan of p
// without the key's terminator. The index is maintained next to the
// table's other indexes by putIndexEntry / deleteIndexEntry (dml.go).

// ginCodec extracts the lexemes a row contributes to a GIN index.
type ginCodec struct {
	col int    // the indexed column
	cfg uint32 // to_tsvector's configuration; 0: the column is a tsvector
	// doc computes the document from several columns (to_tsvector of an
	// expression); nil: the document is column col.
	doc *catalog.TSDocExpr
}

func newGINCodec(ix *catalog.Index) *ginCodec {
	if ix.Method != "gin" || len(ix.Columns) == 0 {
		return nil
	}
	g := &ginCodec{col: ix.Columns[0], cfg: ix.TSConfig}
	if ix.GIN != nil {
		g.doc = ix.GIN.Doc
	}
	return g
}

// evalDoc evaluates a document expression with PostgreSQL's text
// semantics: || of a NULL is NULL, coalesce takes the first non-NULL.
func evalDoc(e *catalog.TSDocExpr, row []types.Datum) (string, bool) {
	switch e.Op {
	case "col":
		d := row[e.Col]
		return d.S, d.K != types.KindNull
	case "lit":
		return e.Lit, true
	case "cat":
		l, ok := evalDoc(&e.Args[0], row)
		if !ok {
			return "", false
		}
		r, ok := evalDoc(&e.Args[1], row)
		return l + r, ok
	case "coalesce":
		for i := range e.Args {
			if s, ok := evalDoc(&e.Args[i], row); ok {
				return s, true
			}
		}
	}
	return "", false
}

// lexemes lists the distinct lexemes of the row's indexed value (none for
// NULL).
func (g *ginCodec) lexemes(row []types.Datum) ([]string, error) {
	d := row[g.col]
	if g.doc != nil {
		s, ok := evalDoc(g.doc, row)
		if !ok {
			return nil, nil
		}
		d = types.NewText(s)
	}
	if d.K == types.KindNull {
		return nil, nil
	}
	var v *types.TSVector
	var err error
	if g.cfg != 0 {
		v, err = tsearch.ToTSVector(g.cfg, d.S)
	} else {
		v, err = types.TSVectorOf(d)
	}
	if err != nil {
		return nil, err
	}
	return tsearch.Lexemes(v), nil
}

// ginLexemeKey is the key prefix of a lexeme's entries; with prefix, of the
// entries of every lexeme starting with word.
func ginLexemeKey(ixPrefix []byte, word string, prefix bool) []byte {
	k := types.AppendKey(append([]byte(nil), ixPrefix...), types.NewText(word), types.Text, false)
	if prefix {
		k = k[:len(k)-2] // drop the 0x00 0x01 terminator
	}
	return k
}

// ginKeys are the entries of row.
func (ic *IndexCodec) ginKeys(tc *TableCodec, row []types.Datum, rowKey []byte) ([][]byte, error) {
	words, err := ic.gin.lexemes(row)
	if err != nil || len(words) == 0 {
		return nil, err
	}
	suffix := rowKey[len(tc.Prefix):]
	keys := make([][]byte, len(words))
	for i, w := range words {
		keys[i] = append(ginLexemeKey(ic.Prefix, w, false), suffix...)
	}
	return keys, nil
}

func putGINEntries(c *Ctx, tc *TableCodec, ic *IndexCodec, row []types.Datum, rowKey []byte) error {
	keys, err := ic.ginKeys(tc, row, rowKey)
	for _, k := range keys {
		if err := c.Txn.Put(k, []byte{}); err != nil {
			return err
		}
	}
	return err
}

func deleteGINEntries(c *Ctx, tc *TableCodec, ic *IndexCodec, row []types.Datum, rowKey []byte) error {
	keys, err := ic.ginKeys(tc, row, rowKey)
	for _, k := range keys {
		if err := c.Txn.Delete(k); err != nil {
			return err
		}
	}
	return err
}

// updateGINEntries writes only the entries that change: an UPDATE that
// leaves the document alone touches none.
func updateGINEntries(c *Ctx, tc *TableCodec, ic *IndexCodec, oldRow []types.Datum, oldKey []byte, newRow []types.Datum, newKey []byte) error {
	oldKeys, err := ic.ginKeys(tc, oldRow, oldKey)
	if err != nil {
		return err
	}
	newKeys, err := ic.ginKeys(tc, newRow, newKey)
	if err != nil {
		return err
	}
	// Both lists are in lexeme order with one suffix each, so sorted.
	i, j := 0, 0
	for i < len(oldKeys) || j < len(newKeys) {
		var cmp int
		switch {
		case i >= len(oldKeys):
			cmp = 1
		case j >= len(newKeys):
			cmp = -1
		default:
			cmp = bytes.Compare(oldKeys[i], newKeys[j])
		}
		switch {
		case cmp < 0:
			err = c.Txn.Delete(oldKeys[i])
			i++
		case cmp > 0:
			err = c.Txn.Put(newKeys[j], []byte{})
			j++
		default:
			i++
			j++
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// BackfillGIN writes the entries of index ixID for the rows already in
// the table (CREATE INDEX ... USING gin).
func BackfillGIN(c *Ctx, tc *TableCodec, ixID uint32) error {
	var ic *IndexCodec
	for i := range tc.Indexes {
		if tc.Indexes[i].Index.ID == ixID {
			ic = &tc.Indexes[i]
		}
	}
	if ic == nil || ic.gin == nil {
		return nil
	}
	it := c.Txn.Scan(kv.ScanOptions{Prefix: tc.Prefix})
	defer it.Close()
	row := make([]types.Datum, len(tc.ColTypes))
	var rows, keys [][]byte
	for it.Next() {
		rows = append(rows, append([]byte(nil), it.Value()...))
		keys = append(keys, append([]byte(nil), it.Key()...))
	}
	if err := it.Err(); err != nil {
		return err
	}
	// Written after the scan so that it does not see its own entries.
	for i := range rows {
		if i&1023 == 0 {
			if err := checkCancel(c); err != nil {
				return err
			}
		}
		r, err := tc.DecodeRow(rows[i], row)
		if err != nil {
			return err
		}
		if err := putGINEntries(c, tc, ic, r, keys[i]); err != nil {
			return err
		}
	}
	return nil
}
