package executor

import (
	"bytes"
	"fmt"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// SpanSpec bounds an index scan with expressions evaluated at Open (they
// may read parameters): equality on the first len(Eq) index columns, then
// an optional range on the next one.
type SpanSpec struct {
	Eq             []Eval
	EqTypes        []types.Type
	Lo, Hi         Eval
	LoType, HiType types.Type
	LoIncl, HiIncl bool
}

// Scan reads a table through its row storage or a secondary index.
type Scan struct {
	Codec   *TableCodec
	Index   *IndexCodec // nil: the row storage (primary key order)
	Span    *SpanSpec   // nil: the whole index
	Point   bool        // Span.Eq covers the whole primary key: one Get
	Reverse bool
	Filter  Eval // residual predicate over the table row (nil: none)

	// EXPLAIN text.
	IndexName  string
	IndexCond  string
	FilterText string
	EstRows    float64

	it      *kv.Iterator
	row     []types.Datum
	key     []byte // row storage key of the current row
	val     []byte // its stored value
	rowKey  []byte
	empty   bool
	pointed bool
	n       int
	stats   *NodeStats
}

// CurrentKey and CurrentValue are the storage key and value of the row
// Next returned last (UPDATE and DELETE need them).
func (s *Scan) CurrentKey() []byte   { return s.key }
func (s *Scan) CurrentValue() []byte { return s.val }

// Open computes the span and starts iterating.
func (s *Scan) Open(c *Ctx) error {
	if s.row == nil {
		s.row = make([]types.Datum, len(s.Codec.ColTypes))
	}
	s.empty, s.pointed, s.n = false, false, 0
	prefix := s.Codec.Prefix
	var cols []int
	var desc []bool
	var nullsFirst func(int) bool
	if s.Index != nil {
		prefix = s.Index.Prefix
		cols, desc = s.Index.Index.Columns, s.Index.Index.Desc
		nullsFirst = s.Index.Index.ColNullsFirst
	} else {
		cols, desc = s.Codec.Table.Primary.Columns, s.Codec.Table.Primary.Desc
		nullsFirst = s.Codec.Table.Primary.ColNullsFirst
	}
	start, end := prefix, kv.PrefixEnd(prefix)
	if s.Span != nil {
		key := append([]byte(nil), prefix...)
		for i, eq := range s.Span.Eq {
			v, err := eq(c.Eval, nil)
			if err != nil {
				return err
			}
			k, ok, err := s.keyValue(c, v, s.Span.EqTypes[i], cols[i])
			if err != nil {
				return err
			}
			if !ok { // NULL or out of the column's range: matches nothing
				s.empty = true
				return nil
			}
			key = types.AppendKey(key, k, s.Codec.ColTypes[cols[i]], len(desc) > i && desc[i])
		}
		start, end = key, kv.PrefixEnd(key)
		if s.Point && s.Index == nil {
			s.key = key
			return nil
		}
		n := len(s.Span.Eq)
		if n < len(cols) && !(len(desc) > n && desc[n]) && !nullsFirst(n) && (s.Span.Lo != nil || s.Span.Hi != nil) {
			colType := s.Codec.ColTypes[cols[n]]
			// A range never matches NULL: ascending keys sort NULLs last,
			// so the span stops where the NULLs of this column begin.
			end = types.AppendKey(append([]byte(nil), key...), types.Datum{}, colType, false)
			if s.Span.Lo != nil {
				v, err := s.Span.Lo(c.Eval, nil)
				if err != nil {
					return err
				}
				if k, ok, err := s.keyValue(c, v, s.Span.LoType, cols[n]); err != nil {
					return err
				} else if ok {
					b := types.AppendKey(append([]byte(nil), key...), k, colType, false)
					if s.Span.LoIncl {
						start = b
					} else {
						start = kv.PrefixEnd(b)
					}
				} else if v.K == types.KindNull {
					s.empty = true
					return nil
				}
			}
			if s.Span.Hi != nil {
				v, err := s.Span.Hi(c.Eval, nil)
				if err != nil {
					return err
				}
				if k, ok, err := s.keyValue(c, v, s.Span.HiType, cols[n]); err != nil {
					return err
				} else if ok {
					b := types.AppendKey(append([]byte(nil), key...), k, colType, false)
					if s.Span.HiIncl {
						end = kv.PrefixEnd(b)
					} else {
						end = b
					}
				} else if v.K == types.KindNull {
					s.empty = true
					return nil
				}
			}
		}
	}
	s.it = c.Txn.Scan(kv.ScanOptions{Start: start, End: end, Reverse: s.Reverse})
	return nil
}

// keyValue converts a bound value to the column's type for key encoding.
// ok is false when no row can match (NULL, or a value the column cannot
// hold; the residual filter keeps results exact either way).
func (s *Scan) keyValue(c *Ctx, v types.Datum, from types.Type, col int) (types.Datum, bool, error) {
	if v.K == types.KindNull {
		return v, false, nil
	}
	to := s.Codec.ColTypes[col]
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
		if s.Point && s.Index == nil {
			if s.pointed {
				return nil, nil
			}
			s.pointed = true
			v, ok, err := c.Txn.Get(s.key)
			if err != nil || !ok {
				return nil, err
			}
			s.val = v
		} else {
			if !s.it.Next() {
				return nil, s.it.Err()
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
		row, err := s.Codec.DecodeRow(s.val, s.row)
		if err != nil {
			return nil, err
		}
		if s.Filter != nil {
			ok, err := evalBool(s.Filter, c.Eval, row)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
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
	e := &Explain{Rows: s.EstRows, Stats: s.stats}
	name := s.Codec.Table.Name
	switch {
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
