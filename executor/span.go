package executor

import (
	"bytes"
	"slices"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// SpanSpec bounds an index scan with expressions evaluated at Open (they
// may read parameters): equality on the first len(Eq) index columns, then
// optionally an IN list on the next column, then an optional range on the
// column after those.
type SpanSpec struct {
	Eq      []Eval
	EqTypes []types.Type
	// EqNull marks equality columns that are "IS NULL" (their Eq entry
	// is unused): the span reads the index's NULL entries.
	EqNull []bool
	// In lists the values of an IN on the column after the equalities:
	// one span per distinct value, in index order.
	In             []Eval
	InType         types.Type
	Lo, Hi         Eval
	LoType, HiType types.Type
	LoIncl, HiIncl bool
}

// keySpan is one contiguous range of keys [start, end).
type keySpan struct{ start, end []byte }

// indexShape is what span building needs to know of the scanned index.
type indexShape struct {
	types      []types.Type // per key column (expression columns have their own)
	desc       []bool
	nullsFirst func(int) bool
}

func (sh indexShape) isDesc(i int) bool { return i < len(sh.desc) && sh.desc[i] }

// computeSpans evaluates the span expressions into the key ranges to read,
// in ascending key order. ok is false when no row can match.
func (s *Scan) computeSpans(c *Ctx, prefix []byte, sh indexShape) ([]keySpan, bool, error) {
	sp := s.Span
	key := append([]byte(nil), prefix...)
	for i := range sp.Eq {
		if i < len(sp.EqNull) && sp.EqNull[i] {
			key = types.AppendKeyNulls(key, types.Datum{}, sh.types[i], sh.isDesc(i), sh.nullsFirst(i))
			continue
		}
		v, err := sp.Eq[i](c.Eval, nil)
		if err != nil {
			return nil, false, err
		}
		k, ok, err := s.keyValue(c, v, sp.EqTypes[i], sh.types[i])
		if err != nil || !ok { // NULL or out of the column's range: matches nothing
			return nil, false, err
		}
		key = types.AppendKey(key, k, sh.types[i], sh.isDesc(i))
	}
	n := len(sp.Eq)
	prefixes := [][]byte{key}
	if sp.In != nil {
		prefixes = prefixes[:0]
		colType := sh.types[n]
		for _, e := range sp.In {
			v, err := e(c.Eval, nil)
			if err != nil {
				return nil, false, err
			}
			k, ok, err := s.keyValue(c, v, sp.InType, colType)
			if err != nil {
				return nil, false, err
			}
			if ok {
				prefixes = append(prefixes, types.AppendKey(bytes.Clone(key), k, colType, sh.isDesc(n)))
			}
		}
		// Sorted and without duplicates: a value listed twice must not
		// return its rows twice, and index order must hold.
		slices.SortFunc(prefixes, bytes.Compare)
		prefixes = slices.CompactFunc(prefixes, bytes.Equal)
		if len(prefixes) == 0 {
			return nil, false, nil
		}
		n++
	}
	spans := make([]keySpan, 0, len(prefixes))
	for _, p := range prefixes {
		span := keySpan{start: p, end: kv.PrefixEnd(p)}
		if n < len(sh.types) && !sh.isDesc(n) && !sh.nullsFirst(n) && (sp.Lo != nil || sp.Hi != nil) {
			ok, err := s.rangeSpan(c, &span, p, sh.types[n])
			if err != nil || !ok {
				return nil, false, err
			}
		}
		spans = append(spans, span)
	}
	return spans, true, nil
}

// rangeSpan narrows span to the Lo/Hi range on the column after key.
func (s *Scan) rangeSpan(c *Ctx, span *keySpan, key []byte, colType types.Type) (bool, error) {
	sp := s.Span
	// A range never matches NULL: ascending keys sort NULLs last, so the
	// span stops where the NULLs of this column begin.
	span.end = types.AppendKey(bytes.Clone(key), types.Datum{}, colType, false)
	if sp.Lo != nil {
		v, err := sp.Lo(c.Eval, nil)
		if err != nil {
			return false, err
		}
		if k, ok, err := s.keyValue(c, v, sp.LoType, colType); err != nil {
			return false, err
		} else if ok {
			b := types.AppendKey(bytes.Clone(key), k, colType, false)
			if sp.LoIncl {
				span.start = b
			} else {
				span.start = kv.PrefixEnd(b)
			}
		} else if v.K == types.KindNull {
			return false, nil
		}
	}
	if sp.Hi != nil {
		v, err := sp.Hi(c.Eval, nil)
		if err != nil {
			return false, err
		}
		if k, ok, err := s.keyValue(c, v, sp.HiType, colType); err != nil {
			return false, err
		} else if ok {
			b := types.AppendKey(bytes.Clone(key), k, colType, false)
			if sp.HiIncl {
				span.end = kv.PrefixEnd(b)
			} else {
				span.end = b
			}
		} else if v.K == types.KindNull {
			return false, nil
		}
	}
	return true, nil
}
