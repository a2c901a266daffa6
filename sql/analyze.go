package sql

import (
	"bytes"
	"context"
	"math/rand/v2"
	"slices"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// ANALYZE reads every row key of a table (to count rows exactly: a scan of
// the in-memory store is cheap) but decodes only a uniform sample of
// rows, as PostgreSQL's analyze.c does with 300 × default_statistics_target
// rows.
const (
	statsSampleRows = 30000
	statsBuckets    = 100 // histogram buckets, PostgreSQL's default_statistics_target
)

// analyzeTable computes t's statistics from a snapshot of the store.
// Failure modes: the context's error when cancelled, a kv error, or a
// corrupt row.
func analyzeTable(ctx context.Context, store *kv.Store, t *catalog.Table) (*catalog.TableStats, error) {
	txn := store.Begin(kv.ReadCommitted)
	defer txn.Rollback()
	codec := executor.NewTableCodec(t)
	it := txn.Scan(kv.ScanOptions{Start: codec.Prefix, End: kv.PrefixEnd(codec.Prefix)})
	defer it.Close()
	// Reservoir sampling (Algorithm R) with a seed fixed per table, so the
	// same data gives the same estimates (and the same plans) every time.
	rng := rand.New(rand.NewPCG(uint64(t.OID), 0x5eed))
	// Each sampled row keeps its position in the scan (storage order),
	// and the sample is put back in that order before decoding, as
	// analyze.c sorts its reservoir by block and offset: correlation
	// compares storage order with value order.
	type sampled struct {
		pos int
		val []byte
	}
	var sample []sampled
	n := 0
	for it.Next() {
		n++
		if n&4095 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		switch {
		case len(sample) < statsSampleRows:
			sample = append(sample, sampled{n, bytes.Clone(it.Value())})
		default:
			if j := rng.IntN(n); j < statsSampleRows {
				sample[j] = sampled{n, bytes.Clone(it.Value())}
			}
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(sample, func(a, b sampled) int { return a.pos - b.pos })
	rows := make([][]types.Datum, 0, len(sample))
	for _, v := range sample {
		r, err := codec.DecodeRow(v.val, nil)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	st := &catalog.TableStats{Rows: float64(n), Cols: make([]catalog.ColumnStats, len(codec.ColTypes))}
	vals := make([]types.Datum, 0, len(rows))
	for c, typ := range codec.ColTypes {
		vals = vals[:0]
		width := 0
		for _, r := range rows {
			if c < len(r) && r[c].K != types.KindNull {
				vals = append(vals, r[c])
				width += datumWidth(r[c], typ)
			}
		}
		st.Cols[c] = columnStats(vals, width, len(rows), float64(n), typ)
	}
	return st, nil
}

// columnStats summarizes one column's sampled non-NULL values (vals, in
// storage order) out of sampled rows, for a table of total rows.
func columnStats(vals []types.Datum, width, sampled int, total float64, typ types.Type) catalog.ColumnStats {
	cs := catalog.ColumnStats{}
	if sampled == 0 {
		return cs
	}
	cs.NullFrac = 1 - float64(len(vals))/float64(sampled)
	if len(vals) == 0 {
		return cs
	}
	cs.Width = float64(width) / float64(len(vals))
	// json has no ordering (no correlation in PostgreSQL); jsonb has
	// one, but the planner keeps no histogram of it.
	if typ.OID != types.JSONOID && len(vals) > 1 {
		cs.Correlation, cs.HasCorrelation = correlation(vals), true
	}
	slices.SortFunc(vals, types.Compare)
	d, f1 := 0, 0 // distinct values, values seen exactly once
	for i := 0; i < len(vals); {
		j := i + 1
		for j < len(vals) && types.Compare(vals[i], vals[j]) == 0 {
			j++
		}
		d++
		if j-i == 1 {
			f1++
		}
		i = j
	}
	nonNull := total * (1 - cs.NullFrac)
	n := float64(len(vals))
	switch {
	case n >= nonNull: // the sample is the whole table
		cs.Distinct = float64(d)
		cs.Unique = f1 == d
	case f1 == d: // every sampled value unique: assume a unique column
		cs.Distinct = nonNull
		cs.Unique = true
	default:
		// Haas and Stokes' Duj1 estimator, as PostgreSQL's analyze.c uses:
		// n*d / (n - f1 + f1*n/N).
		cs.Distinct = n * float64(d) / (n - float64(f1) + float64(f1)*n/nonNull)
		cs.Distinct = min(max(cs.Distinct, float64(d)), nonNull)
	}
	if typ.Kind() != types.KindJSON {
		nb := min(statsBuckets, len(vals)-1)
		for i := 0; i <= nb && nb > 0; i++ {
			cs.Bounds = append(cs.Bounds, vals[i*(len(vals)-1)/nb])
		}
	}
	return cs
}

// correlation is analyze.c's (compute_scalar_stats) correlation between
// the values' positions in vals (storage order) and their ranks once
// sorted, equal values ranked by position: with x the rank and y the
// position, both 0..n-1, it is (n·Σxy − (Σx)²) / (n·Σx² − (Σx)²).
func correlation(vals []types.Datum) float64 {
	idx := make([]int, len(vals))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return types.Compare(vals[a], vals[b]) })
	n := float64(len(vals))
	xsum := (n - 1) * n / 2
	x2sum := (n - 1) * n * (2*n - 1) / 6
	xysum := 0.0
	for rank, pos := range idx {
		xysum += float64(rank) * float64(pos)
	}
	return (n*xysum - xsum*xsum) / (n*x2sum - xsum*xsum)
}

// datumWidth is a value's width as PostgreSQL's avg_width counts it: the
// fixed length of the type, or the bytes of a variable-length value.
func datumWidth(d types.Datum, t types.Type) int {
	if l := t.Len(); l > 0 {
		return int(l)
	}
	if len(d.S) > 0 {
		return len(d.S) + 1
	}
	return 8
}
