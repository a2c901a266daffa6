package executor

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Scan reads a table through its row storage or a secondary index.
type Scan struct {
	Estimated
	Codec   *TableCodec
	Index   *IndexCodec // nil: the row storage (primary key order)
	Span    *SpanSpec   // nil: the whole index
	Point   bool        // Span.Eq covers the whole primary key: one Get
	Reverse bool
	Filter  Eval // residual predicate over the table row (nil: none)
	// Need marks the columns the query reads; the others are not decoded
	// and read as NULL (nil: all). Never set for scans whose whole rows
	// are written back (UPDATE, DELETE, FOR UPDATE).
	Need []bool

	// EXPLAIN text.
	Alias      string // the FROM alias, shown when it differs from the name
	IndexName  string
	IndexCond  string
	FilterText string
	// Removed counts rows the filter rejected (EXPLAIN ANALYZE).
	Removed int64
	// Actual counts loops and rows always (two increments): UPDATE,
	// DELETE and FOR UPDATE hold their scan in a typed field that EXPLAIN
	// ANALYZE cannot wrap, and show these counts instead.
	Actual NodeStats
	// GIN, when set, names the candidate rows (UPDATE and DELETE through
	// a GIN index, gin_scan.go); Filter still holds the whole condition.
	GIN       *BitmapIndexScan
	ginPoints bool // the spans are GIN's row keys, read by Get

	it      *kv.Iterator
	row     []types.Datum
	needTTL []bool // Need plus the expiration column (ttl.go)
	key     []byte // row storage key of the current row
	val     []byte // its stored value
	rowKey  []byte
	empty   bool
	spans   []keySpan // key ranges to read, in scan order
	spanIdx int
	n       int
}

// CurrentKey and CurrentValue are the storage key and value of the row
// Next returned last (UPDATE and DELETE need them).
func (s *Scan) CurrentKey() []byte   { return s.key }
func (s *Scan) CurrentValue() []byte { return s.val }

// Open computes the spans and starts iterating.
func (s *Scan) Open(c *Ctx) error {
	if s.row == nil {
		s.row = make([]types.Datum, len(s.Codec.ColTypes))
	}
	s.empty, s.n, s.spanIdx = false, 0, 0
	s.Actual.Loops++
	prefix := s.Codec.Prefix
	var sh indexShape
	if s.Index != nil {
		prefix = s.Index.Prefix
		sh = indexShape{types: s.Index.keyTypes, desc: s.Index.Index.Desc, nullsFirst: s.Index.Index.ColNullsFirst}
	} else {
		p := &s.Codec.Table.Primary
		sh = indexShape{types: s.Codec.primaryTypes(), desc: p.Desc, nullsFirst: p.ColNullsFirst}
	}
	s.spans = append(s.spans[:0], keySpan{start: prefix, end: kv.PrefixEnd(prefix)})
	if s.Span != nil {
		spans, ok, err := s.computeSpans(c, prefix, sh)
		if err != nil {
			return err
		}
		if !ok {
			s.empty = true
			return nil
		}
		s.spans = spans
	}
	if s.GIN != nil {
		if empty, err := s.openGIN(c); empty || err != nil {
			s.empty = empty
			return err
		}
	}
	if s.Reverse {
		slices.Reverse(s.spans)
	}
	return s.openSpan(c)
}

// openSpan starts reading s.spans[s.spanIdx] (a point lookup needs no
// iterator).
func (s *Scan) openSpan(c *Ctx) error {
	if s.it != nil {
		s.it.Close()
		s.it = nil
	}
	sp := s.spans[s.spanIdx]
	if (s.Point || s.ginPoints) && s.Index == nil {
		s.key = sp.start
		return nil
	}
	s.it = c.Txn.Scan(kv.ScanOptions{Start: sp.start, End: sp.end, Reverse: s.Reverse})
	return nil
}

// nextSpan moves to the next span; false at the end of the last one.
func (s *Scan) nextSpan(c *Ctx) (bool, error) {
	if err := s.it.Err(); err != nil {
		return false, err
	}
	if s.spanIdx+1 >= len(s.spans) {
		return false, nil
	}
	s.spanIdx++
	return true, s.openSpan(c)
}

// keyValue converts a bound value to the column's type for key encoding.
// ok is false when no row can match (NULL, or a value the column cannot
// hold; the residual filter keeps results exact either way).
func (s *Scan) keyValue(c *Ctx, v types.Datum, from, to types.Type) (types.Datum, bool, error) {
	if v.K == types.KindNull {
		return v, false, nil
	}
	if from == to {
		return v, true, nil
	}
	cv, err := types.Cast(v, from, to, false, c.Eval.Settings)
	if err != nil {
		return v, false, nil
	}
	// A lossy conversion (1.5 into an integer column) cannot be used as an
	// exact key: fall back to the residual filter over a wider span.
	if types.Compare(cv, v) != 0 {
		return v, false, nil
	}
	return cv, true, nil
}

// Next returns the next row passing the filter.
func (s *Scan) Next(c *Ctx) ([]types.Datum, error) {
	if s.empty {
		return nil, nil
	}
	for {
		if (s.Point || s.ginPoints) && s.Index == nil {
			if s.spanIdx >= len(s.spans) {
				return nil, nil
			}
			s.key = s.spans[s.spanIdx].start
			s.spanIdx++
			v, ok, err := c.Txn.Get(s.key)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			s.val = v
		} else {
			if !s.it.Next() {
				if more, err := s.nextSpan(c); !more || err != nil {
					return nil, err
				}
				continue
			}
			s.n++
			if s.n&1023 == 0 {
				if err := checkCancel(c); err != nil {
					return nil, err
				}
			}
			if s.Index == nil {
				s.key, s.val = s.it.Key(), s.it.Value()
			} else {
				s.rowKey = s.Index.RowKeyFromEntry(s.Codec, s.it.Key(), s.it.Value(), s.rowKey)
				if s.rowKey == nil {
					return nil, fmt.Errorf("corrupt index entry in %s", s.IndexName)
				}
				v, ok, err := c.Txn.Get(s.rowKey)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue // entry of a row deleted in this transaction
				}
				s.key, s.val = bytes.Clone(s.rowKey), v
			}
		}
		var row []types.Datum
		var err error
		if s.Need != nil {
			row, err = types.DecodeRowNeed(s.val, s.Codec.ColTypes, s.need(), s.row)
		} else {
			row, err = s.Codec.DecodeRow(s.val, s.row)
		}
		if err != nil {
			return nil, err
		}
		if s.Codec.ttl != nil && s.Codec.expiredRow(s.val, row, c.Eval.StmtTime) {
			continue // expired: gone for every read (ttl.go)
		}
		if s.Filter != nil {
			ok, err := evalBool(s.Filter, c.Eval, row)
			if err != nil {
				return nil, err
			}
			if !ok {
				s.Removed++
				continue
			}
		}
		s.Actual.Rows++
		return row, nil
	}
}

func (s *Scan) Close() {
	if s.it != nil {
		s.it.Close()
		s.it = nil
	}
}

func (s *Scan) Explain() *Explain {
	e := &Explain{Removed: s.Removed}
	name := s.Codec.Table.Name
	if s.Alias != "" && s.Alias != name {
		name += " " + s.Alias
	}
	switch {
	case s.GIN != nil:
		s.explainGIN(e, name)
	case s.Index == nil && s.Span == nil && s.IndexName == "":
		e.Name = "Seq Scan on " + name
	default:
		e.Name = fmt.Sprintf("Index Scan using %s on %s", s.IndexName, name)
		if s.Reverse {
			e.Name = fmt.Sprintf("Index Scan Backward using %s on %s", s.IndexName, name)
		}
		if s.IndexCond != "" {
			e.Details = append(e.Details, "Index Cond: "+s.IndexCond)
		}
	}
	if s.FilterText != "" {
		e.Details = append(e.Details, "Filter: "+s.FilterText)
	}
	return e
}

// evalBool evaluates a predicate: only TRUE passes (NULL does not).
func evalBool(f Eval, c *bound.EvalCtx, row []types.Datum) (bool, error) {
	v, err := f(c, row)
	if err != nil {
		return false, err
	}
	return v.K == types.KindBool && v.I == 1, nil
}
