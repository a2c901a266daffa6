package executor

import (
	"bytes"
	"slices"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// BitmapHeapScan answers `indexed @@ query` from a GIN index, as
// PostgreSQL's Bitmap Heap Scan over a Bitmap Index Scan: the child
// (BitmapIndexScan) collects the row keys the query's lexemes name
// (intersecting for & and <->, uniting for |); this node reads those rows
// in key order and rechecks the condition on each, since the index knows
// neither positions, weights nor negation.
type BitmapHeapScan struct {
	Estimated
	Codec   *TableCodec
	Child   Node             // the index scan, maybe wrapped for EXPLAIN ANALYZE
	Index   *BitmapIndexScan // the same, unwrapped
	Recheck Eval             // the indexed condition itself
	Filter  Eval             // the other conjuncts (nil: none)

	// EXPLAIN text.
	Alias, CondText, FilterText string
	// Removed counts rows the filter rejected (EXPLAIN ANALYZE).
	Removed int64

	keys [][]byte // row storage keys to read, in order
	it   *kv.Iterator
	next int
	row  []types.Datum
}

// NewBitmapHeapScan builds the pair of nodes for a GIN lookup.
func NewBitmapHeapScan(tc *TableCodec, ix *IndexCodec, query, recheck Eval, cond string) *BitmapHeapScan {
	bi := NewBitmapIndexScan(tc, ix, query, cond)
	return &BitmapHeapScan{Codec: tc, Child: bi, Index: bi, Recheck: recheck, CondText: cond}
}

// NewBitmapIndexScan builds the index half alone (a Scan's GIN source).
func NewBitmapIndexScan(tc *TableCodec, ix *IndexCodec, query Eval, cond string) *BitmapIndexScan {
	return &BitmapIndexScan{Codec: tc, Index: ix, Query: query, CondText: cond}
}

// openGIN turns a Scan's spans into GIN's candidate row keys, read one
// Get each (or leaves the whole table when the index cannot narrow the
// rows). empty: no row can match. The Scan's filter rechecks every row,
// and is what UPDATE and DELETE re-evaluate on a row changed meanwhile.
func (s *Scan) openGIN(c *Ctx) (empty bool, err error) {
	s.ginPoints = false
	var keys []keySpan
	err = Drain(c, s.GIN, func(row []types.Datum) error {
		keys = append(keys, keySpan{start: []byte(row[0].S)})
		return nil
	})
	if err != nil || s.GIN.all {
		return false, err
	}
	if len(keys) == 0 {
		return true, nil
	}
	s.spans, s.ginPoints = keys, true
	return false, nil
}

// explainGIN shows a GIN-driven Scan in PostgreSQL's shape.
func (s *Scan) explainGIN(e *Explain, name string) {
	e.Name = "Bitmap Heap Scan on " + name
	e.Details = append(e.Details, "Recheck Cond: "+s.GIN.CondText)
	e.Children = append(e.Children, s.GIN)
}

func (b *BitmapHeapScan) Open(c *Ctx) error {
	if b.row == nil {
		b.row = make([]types.Datum, len(b.Codec.ColTypes))
	}
	b.Close()
	b.keys, b.next = b.keys[:0], 0
	err := Drain(c, b.Child, func(row []types.Datum) error {
		b.keys = append(b.keys, []byte(row[0].S))
		return nil
	})
	if err != nil {
		return err
	}
	if b.Index.all {
		b.it = c.Txn.Scan(kv.ScanOptions{Prefix: b.Codec.Prefix})
	}
	return nil
}

// BitmapIndexScan computes the candidate rows of a GIN lookup in Open and
// returns their storage keys, one per row (as bytea), in key order; when
// the query cannot narrow the rows (a negation) it returns none and sets
// all, and the heap scan reads the whole table.
type BitmapIndexScan struct {
	Estimated
	Codec    *TableCodec
	Index    *IndexCodec
	Query    Eval // the tsquery; free of row references, evaluated per Open
	CondText string

	keys [][]byte
	all  bool
	// exact: the candidates are exactly the matching rows (no negation,
	// phrase or weight in the query), so the heap scan need not recheck,
	// as gin_tsquery_consistent tells PostgreSQL.
	exact bool
	next  int
	out   [1]types.Datum
}

func (b *BitmapIndexScan) Open(c *Ctx) error {
	b.keys, b.all, b.exact, b.next = nil, false, false, 0
	qd, err := b.Query(c.Eval, nil)
	if err != nil {
		return err
	}
	if qd.K == types.KindNull {
		return nil
	}
	q, err := types.TSQueryOf(qd)
	if err != nil || q.Root == nil {
		return err
	}
	set, all, err := b.candidates(c, q.Root)
	if err != nil {
		return err
	}
	b.exact = exactQuery(q.Root)
	if all {
		b.all = true
		return nil
	}
	b.keys = make([][]byte, 0, len(set))
	for k := range set {
		b.keys = append(b.keys, append(append([]byte(nil), b.Codec.Prefix...), k...))
	}
	slices.SortFunc(b.keys, bytes.Compare)
	return nil
}

func (b *BitmapIndexScan) Next(*Ctx) ([]types.Datum, error) {
	if b.next >= len(b.keys) {
		return nil, nil
	}
	b.out[0] = types.NewBytes(b.keys[b.next])
	b.next++
	return b.out[:], nil
}

func (b *BitmapIndexScan) Close() {}

func (b *BitmapIndexScan) Explain() *Explain {
	return &Explain{Name: "Bitmap Index Scan on " + b.Index.Index.Name, Details: []string{"Index Cond: " + b.CondText}}
}

// exactQuery reports whether presence of lexemes decides the query.
func exactQuery(n *types.TSNode) bool {
	switch n.Op {
	case types.TSVal:
		return n.Weight == 0
	case types.TSAnd, types.TSOr:
		return exactQuery(n.L) && exactQuery(n.R)
	}
	return false
}

// candidates returns the row key suffixes that may satisfy n; all means
// every row may (a negation, which an inverted index cannot answer).
func (b *BitmapIndexScan) candidates(c *Ctx, n *types.TSNode) (map[string]struct{}, bool, error) {
	switch n.Op {
	case types.TSVal:
		return b.lexemeRows(c, n.Word, n.Prefix)
	case types.TSNot:
		return nil, true, nil
	}
	l, lall, err := b.candidates(c, n.L)
	if err != nil {
		return nil, false, err
	}
	r, rall, err := b.candidates(c, n.R)
	if err != nil {
		return nil, false, err
	}
	if n.Op == types.TSOr {
		if lall || rall {
			return nil, true, nil
		}
		for k := range r {
			l[k] = struct{}{}
		}
		return l, false, nil
	}
	switch {
	case lall && rall:
		return nil, true, nil
	case lall:
		return r, false, nil
	case rall:
		return l, false, nil
	}
	for k := range l {
		if _, ok := r[k]; !ok {
			delete(l, k)
		}
	}
	return l, false, nil
}

// lexemeRows scans the entries of one lexeme (or of every lexeme with the
// prefix) and returns their row key suffixes.
func (b *BitmapIndexScan) lexemeRows(c *Ctx, word string, prefix bool) (map[string]struct{}, bool, error) {
	start := ginLexemeKey(b.Index.Prefix, word, prefix)
	it := c.Txn.Scan(kv.ScanOptions{Prefix: start})
	defer it.Close()
	out := map[string]struct{}{}
	for it.Next() {
		k := it.Key()[len(b.Index.Prefix):]
		// The lexeme's key ends at its 0x00 0x01 terminator (lexemes hold
		// no NUL bytes, so the first 0x00 is it).
		end := bytes.IndexByte(k, 0)
		if end < 0 || end+2 > len(k) {
			continue
		}
		out[string(k[end+2:])] = struct{}{}
		if len(out)&1023 == 0 {
			if err := checkCancel(c); err != nil {
				return nil, false, err
			}
		}
	}
	return out, false, it.Err()
}

func (b *BitmapHeapScan) Next(c *Ctx) ([]types.Datum, error) {
	for {
		var val []byte
		if b.it != nil {
			if !b.it.Next() {
				return nil, b.it.Err()
			}
			val = b.it.Value()
		} else {
			if b.next >= len(b.keys) {
				return nil, nil
			}
			key := b.keys[b.next]
			b.next++
			v, ok, err := c.Txn.Get(key)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			val = v
		}
		if !b.Codec.live(c, val) {
			continue
		}
		row, err := b.Codec.DecodeRow(val, b.row)
		if err != nil {
			return nil, err
		}
		if !b.Index.exact {
			if ok, err := evalBool(b.Recheck, c.Eval, row); err != nil || !ok {
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		if b.Filter != nil {
			ok, err := evalBool(b.Filter, c.Eval, row)
			if err != nil {
				return nil, err
			}
			if !ok {
				b.Removed++
				continue
			}
		}
		return row, nil
	}
}

func (b *BitmapHeapScan) Close() {
	if b.it != nil {
		b.it.Close()
		b.it = nil
	}
}

func (b *BitmapHeapScan) Explain() *Explain {
	name := b.Codec.Table.Name
	if b.Alias != "" && b.Alias != name {
		name += " " + b.Alias
	}
	e := &Explain{Name: "Bitmap Heap Scan on " + name, Removed: b.Removed}
	e.Details = append(e.Details, "Recheck Cond: "+b.CondText)
	if b.FilterText != "" {
		e.Details = append(e.Details, "Filter: "+b.FilterText)
	}
	e.Children = []Node{b.Child}
	return e
}
