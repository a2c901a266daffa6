package sql

import (
	"bytes"
	"context"
	"math"
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
	// json has no ordering (no correlation in PostgreSQL); jsonb's is
	// not types.Compare's.
	if typ.Kind() != types.KindJSON && len(vals) > 1 {
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
	case f1 == d: // every sampled value unique: assume a unique column
		cs.Distinct = nonNull
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
	if typ.OID == types.JSONOID {
		return cs // no equality: analyze.c's compute_trivial_stats
	}
	cs.NDistinct = stadistinct(cs.Distinct, f1 == d, cs.NullFrac, total)
	if typ.Kind() != types.KindJSON { // the planner's order of jsonb is not PostgreSQL's
		pgMCVAndHistogram(&cs, vals, d, sampled, total)
	}
	return cs
}

// stadistinct is pg_statistic.stadistinct as analyze.c derives it from an
// estimate of distinct non-NULL values: -1 × the non-NULL fraction for a
// column whose sampled values are all unique, else the estimate rounded,
// stored as minus its fraction of the rows when above 10% of them (it is
// then assumed to grow with the table). The float4 roundings are
// PostgreSQL's (stanullfrac is a float4 before 1 - stanullfrac).
func stadistinct(distinct float64, unique bool, nullFrac, total float64) float64 {
	if unique {
		return float64(float32(-1.0 * (1.0 - float64(float32(nullFrac)))))
	}
	d := float64(float32(math.Floor(distinct + 0.5)))
	if d > 0.1*total {
		return float64(float32(-(d / total)))
	}
	return d
}

// pgMCVAndHistogram fills cs.MCV, MCVFreqs and PGBounds from the sorted
// non-NULL sample vals (d distinct values) out of sampled rows, as
// compute_scalar_stats does: the values seen more than once, most
// frequent first (the first statsBuckets of them), all kept when they are
// every value of a column with a fixed number of them, else only those
// analyze_mcv_list finds significantly more common than the rest; then a
// histogram of the remaining values.
func pgMCVAndHistogram(cs *catalog.ColumnStats, vals []types.Datum, d, sampled int, total float64) {
	type run struct{ start, count int }
	var track []run
	for i := 0; i < len(vals); {
		j := i + 1
		for j < len(vals) && types.Compare(vals[i], vals[j]) == 0 {
			j++
		}
		if j-i > 1 {
			track = append(track, run{i, j - i})
		}
		i = j
	}
	// Most frequent first; among equal counts the smaller value, which
	// analyze.c's insertion into its bounded track array keeps.
	slices.SortStableFunc(track, func(a, b run) int { return b.count - a.count })
	numMCV := min(statsBuckets, len(track))
	if !(len(track) == d && cs.NDistinct > 0 && len(track) <= statsBuckets) && numMCV > 0 {
		counts := make([]int, numMCV)
		for i := range counts {
			counts[i] = track[i].count
		}
		numMCV = analyzeMCVList(counts, cs.NDistinct, float64(float32(cs.NullFrac)), sampled, total)
	}
	inMCV := map[int]bool{}
	for _, t := range track[:numMCV] {
		cs.MCV = append(cs.MCV, vals[t.start])
		cs.MCVFreqs = append(cs.MCVFreqs, float64(t.count)/float64(sampled))
		inMCV[t.start] = true
	}
	numHist := min(d-numMCV, statsBuckets+1)
	if numHist < 2 {
		return
	}
	rest := vals
	if numMCV > 0 {
		rest = make([]types.Datum, 0, len(vals))
		for i := 0; i < len(vals); {
			j := i + 1
			for j < len(vals) && types.Compare(vals[i], vals[j]) == 0 {
				j++
			}
			if !inMCV[i] {
				rest = append(rest, vals[i:j]...)
			}
			i = j
		}
	}
	for i := 0; i < numHist; i++ {
		cs.PGBounds = append(cs.PGBounds, rest[i*(len(rest)-1)/(numHist-1)])
	}
	if slices.EqualFunc(cs.PGBounds, cs.Bounds, func(a, b types.Datum) bool { return types.Compare(a, b) == 0 }) {
		cs.PGBounds = cs.Bounds
	}
}

// analyzeMCVList is analyze.c's analyze_mcv_list: how many of the
// candidate MCVs (their sample counts, most frequent first) to keep. All
// of them when the whole table was sampled; else drop the least common
// while it is not significantly more common than the average of the
// values not in the list (more than 2 standard deviations of its
// hypergeometric sample count, RSE about 20%).
func analyzeMCVList(counts []int, ndistinct, nullFrac float64, sampled int, total float64) int {
	num := len(counts)
	if float64(sampled) == total {
		return num
	}
	if ndistinct < 0 {
		ndistinct = -ndistinct * total
	}
	sum := 0.0
	for i := 0; i < num-1; i++ {
		sum += float64(counts[i])
	}
	for num > 0 {
		selec := 1.0 - sum/float64(sampled) - nullFrac
		selec = min(max(selec, 0), 1)
		if other := ndistinct - float64(num-1); other > 1 {
			selec /= other
		}
		N, n := total, float64(sampled)
		K := N * float64(counts[num-1]) / n
		variance := n * K * (N - K) * (N - n) / (N * N * (N - 1))
		if float64(counts[num-1]) > selec*n+2*math.Sqrt(variance)+0.5 {
			break
		}
		num--
		if num == 0 {
			break
		}
		sum -= float64(counts[num-1])
	}
	return num
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
	if len(d.S) > 0 || d.K == types.KindText || d.K == types.KindBytes {
		// A varlena's header is 1 byte up to 126 bytes of data, else 4
		// (postgres.h, VARATT_CAN_MAKE_SHORT; compression not counted).
		if len(d.S) <= 126 {
			return len(d.S) + 1
		}
		return len(d.S) + 4
	}
	return 8
}
