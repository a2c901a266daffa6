package syscat

import (
	"math"

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
// ANALYZE and refreshed automatically; a table shows here once it has
// some. What the planner does not keep is NULL: most_common_vals and
// most_common_freqs (there is no MCV list, so histogram_bounds cover
// every sampled value where PostgreSQL's leave the MCVs out), and the
// element statistics of arrays and tsvectors. anyarray columns are text,
// as elsewhere in syscat: their value is the array literal PostgreSQL
// prints.

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
					v.set(r, "n_distinct", float(float64(nDistinct(cs, st.Rows, c.Type))))
					if len(cs.Bounds) >= 2 {
						if at, ok := types.ArrayOf(c.Type); ok {
							arr := types.NewArray(c.Type, cs.Bounds)
							v.set(r, "histogram_bounds", text(types.FormatText(arr, at, set)))
						}
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

// nDistinct is pg_stats.n_distinct (pg_statistic.stadistinct) as
// analyze.c derives it: 0 for a column of NULLs only or of a type without
// equality (json: compute_trivial_stats), -1 × the non-NULL fraction for a
// unique column, else the estimate rounded to an integer, stored as minus
// its fraction of the rows when it exceeds 10% of them (the number of
// distinct values is then assumed to grow with the table). The float4
// roundings are PostgreSQL's: stanullfrac is a float4 before
// 1 - stanullfrac is computed.
func nDistinct(cs *catalog.ColumnStats, rows float64, typ types.Type) float32 {
	nullFrac := float32(cs.NullFrac)
	if nullFrac >= 1 || typ.OID == types.JSONOID {
		return 0
	}
	if cs.Unique {
		return float32(-1.0 * (1.0 - float64(nullFrac)))
	}
	d := float64(float32(math.Floor(cs.Distinct + 0.5)))
	if d > 0.1*rows {
		return float32(-(d / rows))
	}
	return float32(d)
}
