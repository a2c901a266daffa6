package syscat

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// The pg_catalog views over relations: pg_indexes, pg_tables, pg_views,
// pg_matviews, pg_sequence(s), the statistics views.

// IndexDef renders CREATE INDEX as pg_get_indexdef does.
func IndexDef(cat *catalog.Catalog, t *catalog.Table, ix *catalog.Index) string {
	return builtins.IndexDef(cat, t, ix, 0, false, nil)
}

// Indexes lists a table's real indexes: the primary key's (if declared)
// and the secondary ones.
func Indexes(t *catalog.Table) []*catalog.Index { return builtins.TableIndexes(t) }

func roleName(cat *catalog.Catalog, oid uint32) string {
	if n, ok := builtins.RoleName(cat, oid); ok {
		return n
	}
	return ""
}

func init() {
	register(&View{Schema: "pg_catalog", Name: "pg_indexes", OID: 12043,
		Cols: cols(`schemaname name, tablename name, indexname name, tablespace name, indexdef text`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			cat := env.Catalog()
			for _, rel := range userRelations(env) {
				if rel.Index == nil {
					continue
				}
				rows = append(rows, []types.Datum{text(rel.SchemaName), text(rel.Table.Name), text(rel.Index.Name), null,
					text(IndexDef(cat, rel.Table, rel.Index))})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_tables", OID: 12033,
		Cols: cols(`schemaname name, tablename name, tableowner name, tablespace name, hasindexes boolean,
			hasrules boolean, hastriggers boolean, rowsecurity boolean`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			cat := env.Catalog()
			for _, rel := range allRelations(env) {
				if rel.Kind != catalog.RelTable {
					continue
				}
				hasIndexes, triggers := rel.View != nil, false
				if rel.Table != nil {
					hasIndexes = len(Indexes(rel.Table)) > 0
					triggers = hasTriggers(cat, rel.Table)
				}
				rows = append(rows, []types.Datum{text(rel.SchemaName), text(rel.Name), text(roleName(cat, rel.Owner)), null,
					boolean(hasIndexes), boolean(false), boolean(triggers), boolean(false)})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_views", OID: 12028,
		Cols: cols(`schemaname name, viewname name, viewowner name, definition text`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			cat := env.Catalog()
			vis := builtins.VisibleFunc(env)
			for _, rel := range allRelations(env) {
				if rel.Kind != catalog.RelView {
					continue
				}
				def := null
				if rel.Table != nil {
					def = text(builtins.ViewDef(cat, rel.Table, false, vis))
				}
				rows = append(rows, []types.Datum{text(rel.SchemaName), text(rel.Name), text(roleName(cat, rel.Owner)), def})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_matviews", OID: 12038,
		Cols: cols(`schemaname name, matviewname name, matviewowner name, tablespace name, hasindexes boolean,
			ispopulated boolean, definition text`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			cat := env.Catalog()
			vis := builtins.VisibleFunc(env)
			for _, rel := range allRelations(env) {
				if rel.Kind != catalog.RelMatView || rel.Table == nil {
					continue
				}
				rows = append(rows, []types.Datum{text(rel.SchemaName), text(rel.Name), text(roleName(cat, rel.Owner)), null,
					boolean(len(builtins.TableIndexes(rel.Table)) > 0), boolean(!rel.Table.Unpopulated),
					text(builtins.ViewDef(cat, rel.Table, false, vis))})
			}
			return rows, nil
		}})

	register(&View{Schema: "pg_catalog", Name: "pg_sequence", OID: 2224, Kind: 'r',
		Cols: cols(`seqrelid oid, seqtypid oid, seqstart bigint, seqincrement bigint, seqmax bigint, seqmin bigint,
			seqcache bigint, seqcycle boolean`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, rel := range userRelations(env) {
				if s := rel.Seq; s != nil {
					rows = append(rows, []types.Datum{oid(s.OID), oid(seqType(s).OID), i64(s.Start), i64(s.Increment),
						i64(s.Max), i64(s.Min), i64(max(s.Cache, 1)), boolean(s.Cycle)})
				}
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_sequences", OID: 12048,
		Cols: cols(`schemaname name, sequencename name, sequenceowner name, data_type regtype, start_value bigint,
			min_value bigint, max_value bigint, increment_by bigint, cycle boolean, cache_size bigint, last_value bigint`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			cat := env.Catalog()
			for _, rel := range userRelations(env) {
				if s := rel.Seq; s != nil {
					rows = append(rows, []types.Datum{text(rel.SchemaName), text(s.Name), text(roleName(cat, s.Owner)),
						oid(seqType(s).OID), i64(s.Start), i64(s.Min), i64(s.Max), i64(s.Increment), boolean(s.Cycle),
						i64(max(s.Cache, 1)), lastValue(env, s)})
				}
			}
			return rows, nil
		}})

	statCols := cols(`relid oid, schemaname name, relname name, seq_scan bigint, seq_tup_read bigint,
		idx_scan bigint, idx_tup_fetch bigint, n_tup_ins bigint, n_tup_upd bigint, n_tup_del bigint,
		n_tup_hot_upd bigint, n_live_tup bigint, n_dead_tup bigint, n_mod_since_analyze bigint,
		n_ins_since_vacuum bigint, last_vacuum timestamp with time zone, last_autovacuum timestamp with time zone,
		last_analyze timestamp with time zone, last_autoanalyze timestamp with time zone, vacuum_count bigint,
		autovacuum_count bigint, analyze_count bigint, autoanalyze_count bigint`)
	statTables := func(user bool) func(env bound.Env) ([][]types.Datum, error) {
		return func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, rel := range allRelations(env) {
				if rel.Kind != catalog.RelTable || (rel.View != nil) == user {
					continue
				}
				r := make([]types.Datum, len(statCols))
				for i := range r {
					r[i] = i64(0)
				}
				r[0], r[1], r[2] = oid(rel.OID), text(rel.SchemaName), text(rel.Name)
				if rel.Table == nil || len(Indexes(rel.Table)) == 0 {
					r[5], r[6] = null, null
				}
				for i := 15; i <= 18; i++ {
					r[i] = null
				}
				rows = append(rows, r)
			}
			return rows, nil
		}
	}
	register(&View{Schema: "pg_catalog", Name: "pg_stat_user_tables", OID: 12161, Cols: statCols, Rows: statTables(true)})
	register(&View{Schema: "pg_catalog", Name: "pg_stat_sys_tables", OID: 12152, Cols: statCols, Rows: statTables(false)})
	register(&View{Schema: "pg_catalog", Name: "pg_stat_all_tables", OID: 12142, Cols: statCols,
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			a, _ := statTables(false)(env)
			b, _ := statTables(true)(env)
			return append(a, b...), nil
		}})
	ioCols := cols(`relid oid, schemaname name, relname name, heap_blks_read bigint, heap_blks_hit bigint,
		idx_blks_read bigint, idx_blks_hit bigint, toast_blks_read bigint, toast_blks_hit bigint,
		tidx_blks_read bigint, tidx_blks_hit bigint`)
	register(&View{Schema: "pg_catalog", Name: "pg_statio_user_tables", OID: 12179, Cols: ioCols,
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, rel := range userRelations(env) {
				if rel.Kind != catalog.RelTable {
					continue
				}
				r := []types.Datum{oid(rel.OID), text(rel.SchemaName), text(rel.Name), i64(0), i64(0), null, null, null, null, null, null}
				if len(Indexes(rel.Table)) > 0 {
					r[5], r[6] = i64(0), i64(0)
				}
				rows = append(rows, r)
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_stat_user_indexes", OID: 12192,
		Cols: cols(`relid oid, indexrelid oid, schemaname name, relname name, indexrelname name, idx_scan bigint,
			idx_tup_read bigint, idx_tup_fetch bigint`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, rel := range userRelations(env) {
				if rel.Index == nil {
					continue
				}
				rows = append(rows, []types.Datum{oid(rel.Table.OID), oid(rel.OID), text(rel.SchemaName), text(rel.Table.Name),
					text(rel.Name), i64(0), i64(0), i64(0)})
			}
			return rows, nil
		}})

	// Partitioning and inheritance do not exist here.
	register(&View{Schema: "pg_catalog", Name: "pg_inherits", OID: 2611, Kind: 'r',
		Cols: cols(`inhrelid oid, inhparent oid, inhseqno integer, inhdetachpending boolean`),
		Rows: func(bound.Env) ([][]types.Datum, error) { return nil, nil }})
	register(&View{Schema: "pg_catalog", Name: "pg_partitioned_table", OID: 3350, Kind: 'r',
		Cols: cols(`partrelid oid, partstrat "char", partnatts smallint, partdefid oid, partattrs int2vector,
			partclass oidvector, partcollation oidvector, partexprs pg_node_tree`),
		Rows: func(bound.Env) ([][]types.Datum, error) { return nil, nil }})

	// pg_rewrite: every view's and materialized view's _RETURN rule.
	register(&View{Schema: "pg_catalog", Name: "pg_rewrite", OID: 2618, Kind: 'r',
		Cols: cols(`oid oid, rulename name, ev_class oid, ev_type "char", ev_enabled "char", is_instead boolean,
			ev_qual pg_node_tree, ev_action pg_node_tree`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, rel := range userRelations(env) {
				if rel.Kind == catalog.RelView || rel.Kind == catalog.RelMatView {
					rows = append(rows, []types.Datum{oid(syntheticOID(2, rel.OID, 0)), text("_RETURN"), oid(rel.OID), char('1'),
						char('O'), boolean(true), null, null})
				}
			}
			return rows, nil
		}})
}

// seqType is the sequence's data type (bigint unless declared).
func seqType(s *catalog.Sequence) types.Type {
	if s.Type.OID == 0 {
		return types.Int8
	}
	return s.Type
}

// lastValue is pg_sequences.last_value: NULL until nextval was called (or
// when the session cannot read it).
func lastValue(env bound.Env, s *catalog.Sequence) types.Datum {
	if lv, ok := env.(interface {
		SequenceLastValue(oid uint32) (int64, bool)
	}); ok {
		if v, called := lv.SequenceLastValue(s.OID); called {
			return i64(v)
		}
	}
	return null
}
