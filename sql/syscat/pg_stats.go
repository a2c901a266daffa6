package syscat

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// pg_stats: the planner statistics of every analyzed table of the
// database, one row per live column, in PostgreSQL's conventions
// (src/backend/commands/analyze.c, compute_scalar_stats, and the view's
// definition in src/backend/catalog/system_views.sql).
//
// prkdb-sql keeps its statistics in memory (sql/stats.go), gathered by
// ANALYZE (sql/analyze.go, which also derives n_distinct, the MCV list and
// the histogram in PostgreSQL's way for this view) and refreshed
// automatically; a table shows here once it has some. The sample is
// prkdb-sql's, so on tables larger than the sample the estimates differ
// from PostgreSQL's. NULL here: the element statistics of arrays and
// tsvectors, and the MCVs and histogram of jsonb. anyarray columns are
// text, as elsewhere in syscat: their value is the array literal
// PostgreSQL prints.

// StatsLister is implemented by a session that can read the planner's
// statistics; without it pg_stats is empty.
type StatsLister interface {
	// PlannerStats returns a table's statistics, or nil when it has
	// none; it must not start an ANALYZE.
	PlannerStats(oid uint32) *catalog.TableStats
}

// typeSettingser gives the session's output settings (DateStyle,
// extra_float_digits ...) for printing histogram bounds.
type typeSettingser interface {
	TypeSettings() *types.Settings
}

func init() {
	v := &View{Schema: "pg_catalog", Name: "pg_stats", OID: 12053,
		Cols: cols(`schemaname name, tablename name, attname name, inherited boolean, null_frac real,
			avg_width integer, n_distinct real, most_common_vals anyarray, most_common_freqs real[],
			histogram_bounds anyarray, correlation real, most_common_elems anyarray,
			most_common_elem_freqs real[], elem_count_histogram real[]`)}
	v.Rows = func(env bound.Env) ([][]types.Datum, error) {
		sl, ok := env.(StatsLister)
		if !ok {
			return nil, nil
		}
		var set *types.Settings
		if ts, ok := env.(typeSettingser); ok {
			set = ts.TypeSettings()
		}
		cat := env.Catalog()
		var rows [][]types.Datum
		for _, sc := range cat.Schemas(env.DatabaseOID()) {
			for _, t := range cat.Tables(sc.OID) {
				if t.Kind != catalog.RelTable {
					continue
				}
				st := sl.PlannerStats(t.OID)
				// analyze.c stores nothing for a table with no rows.
				if st == nil || st.Rows == 0 {
					continue
				}
				for i, c := range t.Columns {
					cs := st.Col(i)
					if c.Dropped || c.Hidden || cs == nil {
						continue
					}
					r := v.row()
					v.set(r, "schemaname", text(sc.Name))
					v.set(r, "tablename", text(t.Name))
					v.set(r, "attname", text(c.Name))
					v.set(r, "inherited", boolean(false))
					v.set(r, "null_frac", float(float64(float32(cs.NullFrac))))
					width := int64(cs.Width) // stawidth is an int4: truncated
					if cs.NullFrac >= 1 && c.Type.Len() > 0 {
						// NULLs only: analyze.c stores the type's length, or
						// 0 ("unknown") for a variable-length type.
						width = int64(c.Type.Len())
					}
					v.set(r, "avg_width", i64(width))
					v.set(r, "n_distinct", float(cs.NDistinct))
					if len(cs.MCV) > 0 {
						v.set(r, "most_common_vals", anyarray(c.Type, cs.MCV, set))
						freqs := make([]types.Datum, len(cs.MCVFreqs))
						for i, f := range cs.MCVFreqs {
							freqs[i] = float(float64(float32(f)))
						}
						v.set(r, "most_common_freqs", types.NewArray(types.Float4, freqs))
					}
					if len(cs.PGBounds) >= 2 {
						v.set(r, "histogram_bounds", anyarray(c.Type, cs.PGBounds, set))
					}
					if cs.HasCorrelation {
						v.set(r, "correlation", float(float64(float32(cs.Correlation))))
					}
					rows = append(rows, r)
				}
			}
		}
		return rows, nil
	}
	register(v)
}

// anyarray is an anyarray column's value: the array literal of vals, of
// element type t, as PostgreSQL prints it (NULL when t has no array type).
func anyarray(t types.Type, vals []types.Datum, set *types.Settings) types.Datum {
	at, ok := types.ArrayOf(t)
	if !ok {
		return null
	}
	return text(types.FormatText(types.NewArray(t, vals), at, set))
}
