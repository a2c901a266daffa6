package syscat

import (
	"fmt"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
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
		set := outputSettings(env)
		var rows [][]types.Datum
		forEachColumnStats(env, func(sc *catalog.Schema, t *catalog.Table, c *catalog.Column, cs *catalog.ColumnStats) {
			r := v.row()
			v.set(r, "schemaname", text(sc.Name))
			v.set(r, "tablename", text(t.Name))
			v.set(r, "attname", text(c.Name))
			v.set(r, "inherited", boolean(false))
			v.set(r, "null_frac", float(float64(float32(cs.NullFrac))))
			v.set(r, "avg_width", i64(statsWidth(c, cs)))
			v.set(r, "n_distinct", float(cs.NDistinct))
			if len(cs.MCV) > 0 {
				v.set(r, "most_common_vals", anyarray(c.Type, cs.MCV, set))
				v.set(r, "most_common_freqs", float4Array(cs.MCVFreqs))
			}
			if len(cs.PGBounds) >= 2 {
				v.set(r, "histogram_bounds", anyarray(c.Type, cs.PGBounds, set))
			}
			if cs.HasCorrelation {
				v.set(r, "correlation", float(float64(float32(cs.Correlation))))
			}
			rows = append(rows, r)
		})
		return rows, nil
	}
	register(v)
}

// forEachColumnStats calls fn for each live column of the database's
// analyzed tables that have rows (analyze.c stores nothing for an empty
// table).
func forEachColumnStats(env bound.Env, fn func(sc *catalog.Schema, t *catalog.Table, c *catalog.Column, cs *catalog.ColumnStats)) {
	sl, ok := env.(StatsLister)
	if !ok {
		return
	}
	cat := env.Catalog()
	for _, sc := range cat.Schemas(env.DatabaseOID()) {
		for _, t := range cat.Tables(sc.OID) {
			if t.Kind != catalog.RelTable {
				continue
			}
			st := sl.PlannerStats(t.OID)
			if st == nil || st.Rows == 0 {
				continue
			}
			for i := range t.Columns {
				c, cs := &t.Columns[i], st.Col(i)
				if c.Dropped || c.Hidden || cs == nil {
					continue
				}
				fn(sc, t, c, cs)
			}
		}
	}
}

func outputSettings(env bound.Env) *types.Settings {
	if ts, ok := env.(typeSettingser); ok {
		return ts.TypeSettings()
	}
	return nil
}

// statsWidth is stawidth: the average width truncated to an integer; for
// a column of NULLs only, the type's length (0, "unknown", if variable).
func statsWidth(c *catalog.Column, cs *catalog.ColumnStats) int64 {
	if cs.NullFrac >= 1 {
		return int64(max(c.Type.Len(), 0))
	}
	return int64(cs.Width)
}

func float4Array(fs []float64) types.Datum {
	elems := make([]types.Datum, len(fs))
	for i, f := range fs {
		elems[i] = float(float64(float32(f)))
	}
	return types.NewArray(types.Float4, elems)
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

// Statistics slot kinds (pg_statistic.h, STATISTIC_KIND_*).
const (
	statKindMCV         = 1
	statKindHistogram   = 2
	statKindCorrelation = 3
)

// pg_statistic: the same statistics as pg_stats in the catalog's layout,
// five slots of (kind, operator, collation, numbers, values) filled in
// compute_scalar_stats' order: MCV (with "="), histogram ("<"),
// correlation ("<"). The operators are this server's pg_operator rows;
// varchar's are text's, as in PostgreSQL.
func init() {
	spec := `starelid oid, staattnum smallint, stainherit boolean, stanullfrac real, stawidth integer, stadistinct real`
	for _, part := range []string{"stakind%d smallint", "staop%d oid", "stacoll%d oid", "stanumbers%d real[]", "stavalues%d anyarray"} {
		for i := 1; i <= 5; i++ {
			spec += ", " + fmt.Sprintf(part, i)
		}
	}
	v := &View{Schema: "pg_catalog", Name: "pg_statistic", OID: 2619, Kind: 'r', Cols: cols(spec)}
	v.Rows = func(env bound.Env) ([][]types.Datum, error) {
		set := outputSettings(env)
		type opKey struct {
			name string
			typ  uint32
		}
		ops := map[opKey]uint32{}
		for _, op := range builtins.Operators() {
			if (op.Name == "=" || op.Name == "<") && op.Left == op.Right {
				ops[opKey{op.Name, op.Left}] = op.OID
			}
		}
		var rows [][]types.Datum
		forEachColumnStats(env, func(_ *catalog.Schema, t *catalog.Table, c *catalog.Column, cs *catalog.ColumnStats) {
			r := v.row()
			v.set(r, "starelid", oid(t.OID))
			v.set(r, "staattnum", i64(int64(c.Attnum)))
			v.set(r, "stainherit", boolean(false))
			v.set(r, "stanullfrac", float(float64(float32(cs.NullFrac))))
			v.set(r, "stawidth", i64(statsWidth(c, cs)))
			v.set(r, "stadistinct", float(cs.NDistinct))
			opType := c.Type.OID
			if opType == types.VarcharOID {
				opType = types.TextOID
			}
			coll := typeCollation(c.Type)
			slot := 0
			fill := func(kind int64, op string, numbers, values types.Datum) {
				slot++
				v.set(r, fmt.Sprintf("stakind%d", slot), i64(kind))
				v.set(r, fmt.Sprintf("staop%d", slot), oid(ops[opKey{op, opType}]))
				v.set(r, fmt.Sprintf("stacoll%d", slot), oid(coll))
				v.set(r, fmt.Sprintf("stanumbers%d", slot), numbers)
				v.set(r, fmt.Sprintf("stavalues%d", slot), values)
			}
			if len(cs.MCV) > 0 {
				fill(statKindMCV, "=", float4Array(cs.MCVFreqs), anyarray(c.Type, cs.MCV, set))
			}
			if len(cs.PGBounds) >= 2 {
				fill(statKindHistogram, "<", null, anyarray(c.Type, cs.PGBounds, set))
			}
			if cs.HasCorrelation {
				fill(statKindCorrelation, "<", float4Array([]float64{cs.Correlation}), null)
			}
			for slot < 5 { // unused slots: kind, operator and collation 0
				slot++
				v.set(r, fmt.Sprintf("stakind%d", slot), i64(0))
				v.set(r, fmt.Sprintf("staop%d", slot), oid(0))
				v.set(r, fmt.Sprintf("stacoll%d", slot), oid(0))
			}
			rows = append(rows, r)
		})
		return rows, nil
	}
	register(v)
}
