package catalog

import "github.com/prkdb/prkdb-sql/sql/types"

// TableStats are a table's planner statistics, gathered by ANALYZE (and
// refreshed automatically as the table changes; see sql/stats.go). They
// are kept in memory beside the catalog rather than in descriptors:
// they change far more often than the schema and must not bump the
// catalog generation. A TableStats value is immutable once published.
type TableStats struct {
	Rows float64       // live rows when analyzed
	Cols []ColumnStats // by column position; shorter after ADD COLUMN
}

// ColumnStats describe one column's values, as PostgreSQL's pg_stats
// does (null_frac, n_distinct, avg_width, histogram_bounds).
type ColumnStats struct {
	NullFrac float64
	// Distinct is the estimated number of distinct non-NULL values.
	Distinct float64
	// Width is the average stored width of a non-NULL value in bytes.
	Width float64
	// Bounds divide the sampled non-NULL values into equally populated
	// buckets, in ascending order (empty when the column has no order).
	Bounds []types.Datum
	// The rest is what pg_stats shows, in PostgreSQL's conventions
	// (analyze.c, compute_scalar_stats); the planner does not read it.
	//
	// NDistinct is pg_stats.n_distinct: Distinct rounded, or minus a
	// fraction of the rows when the number of distinct values is taken
	// to grow with the table; 0 when unknown.
	NDistinct float64
	// MCV are the most common values (most frequent first) and MCVFreqs
	// their frequencies among the sampled rows; PGBounds is PostgreSQL's
	// histogram, of the values other than the MCVs (it shares Bounds'
	// array when they are the same).
	MCV      []types.Datum
	MCVFreqs []float64
	PGBounds []types.Datum
	// Correlation is pg_stats.correlation: the correlation between the
	// sampled values' storage order and their sorted order (-1..1);
	// valid when HasCorrelation (two or more ordered values).
	Correlation    float64
	HasCorrelation bool
}

// Col returns column i's statistics, or nil when there are none.
func (s *TableStats) Col(i int) *ColumnStats {
	if s == nil || i < 0 || i >= len(s.Cols) {
		return nil
	}
	return &s.Cols[i]
}
