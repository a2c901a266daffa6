package syscat

import (
	"fmt"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// information_schema, as PostgreSQL 15 defines its views (information_
// schema.sql), over the same relations as pg_catalog. Its domains are
// shown as their base types: sql_identifier as name, cardinal_number as
// integer, character_data as varchar, yes_or_no as varchar(3).

const infoSchema = "information_schema"

func yesNo(b bool) types.Datum {
	if b {
		return text("YES")
	}
	return text("NO")
}

func intOrNull(v int64, ok bool) types.Datum {
	if !ok {
		return null
	}
	return i64(v)
}

// infoDataType is columns.data_type: format_type without typmod for
// pg_catalog types, ARRAY for arrays.
func infoDataType(t types.Type) string {
	if t.IsArray() && !types.IsVectorType(t.OID) {
		return "ARRAY"
	}
	return builtins.FormatTypeOID(t.OID, -1, false)
}

// typeFacts are the numeric/character/datetime columns of
// information_schema.columns (and attributes, sequences) for a type.
type typeFacts struct {
	charMax, charOctet, numPrec, numRadix, numScale, dtPrec types.Datum
	intervalType                                            types.Datum
}

func factsOf(t types.Type) typeFacts {
	f := typeFacts{null, null, null, null, null, null, null}
	switch t.OID {
	case types.VarcharOID, types.BPCharOID, types.TextOID:
		if n := t.VarcharLen(); n >= 0 && t.OID != types.TextOID {
			f.charMax = i64(int64(n))
			f.charOctet = i64(int64(n) * 4)
		} else {
			f.charOctet = i64(1 << 30)
		}
	case types.Int2OID:
		f.numPrec, f.numRadix, f.numScale = i64(16), i64(2), i64(0)
	case types.Int4OID:
		f.numPrec, f.numRadix, f.numScale = i64(32), i64(2), i64(0)
	case types.Int8OID:
		f.numPrec, f.numRadix, f.numScale = i64(64), i64(2), i64(0)
	case types.Float4OID:
		f.numPrec, f.numRadix = i64(24), i64(2)
	case types.Float8OID:
		f.numPrec, f.numRadix = i64(53), i64(2)
	case types.NumericOID:
		f.numRadix = i64(10)
		if p, s, ok := t.NumericPrecisionScale(); ok {
			f.numPrec, f.numScale = i64(int64(p)), i64(int64(s))
		}
	case types.DateOID:
		f.dtPrec = i64(0)
	case types.TimeOID, types.TimestampOID, types.TimestamptzOID, types.TimetzOID, types.IntervalOID:
		p := t.TypmodPrecision()
		if p < 0 {
			p = 6
		}
		f.dtPrec = i64(int64(p))
		if t.OID == types.IntervalOID && t.Typmod >= 0 {
			fields := strings.TrimSpace(strings.ToUpper(strings.TrimPrefix(types.FormatType(types.Type{OID: t.OID, Typmod: t.Typmod | 0xffff}), "interval")))
			if fields != "" {
				f.intervalType = text(fields)
			}
		}
	}
	return f
}

// viewUpdatable approximates pg_relation_is_updatable for a view: a
// plain SELECT of columns from one table.
func viewUpdatable(v *catalog.Table) bool {
	if v == nil || v.Query == "" {
		return false
	}
	tree, err := pg_query.Parse(v.Query)
	if err != nil || len(tree.Stmts) != 1 {
		return false
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || sel.Op != pg_query.SetOperation_SETOP_NONE || sel.WithClause != nil || len(sel.DistinctClause) > 0 ||
		len(sel.GroupClause) > 0 || sel.HavingClause != nil || sel.LimitCount != nil || sel.LimitOffset != nil ||
		len(sel.ValuesLists) > 0 || len(sel.FromClause) != 1 || sel.FromClause[0].GetRangeVar() == nil || sel.WindowClause != nil {
		return false
	}
	for _, t := range sel.TargetList {
		rt := t.GetResTarget()
		if rt == nil || rt.Val.GetColumnRef() == nil {
			return false
		}
	}
	return true
}

// notNullName is the name PostgreSQL 15's information_schema gives a NOT
// NULL column: <schema oid>_<table oid>_<attnum>_not_null.
func notNullName(t *catalog.Table, c *catalog.Column) string {
	return fmt.Sprintf("%d_%d_%d_not_null", t.Schema, t.OID, c.Attnum)
}

func constraintTypeName(c byte) string {
	switch c {
	case 'p':
		return "PRIMARY KEY"
	case 'u':
		return "UNIQUE"
	case 'f':
		return "FOREIGN KEY"
	}
	return "CHECK"
}

func fkRule(a byte) string {
	switch builtins.FKActionCode(a) {
	case catalog.FKRestrict:
		return "RESTRICT"
	case catalog.FKCascade:
		return "CASCADE"
	case catalog.FKSetNull:
		return "SET NULL"
	case catalog.FKSetDefault:
		return "SET DEFAULT"
	}
	return "NO ACTION"
}

// userTables are the user relations that are tables or views.
func tablesAndViews(env bound.Env) []relation {
	var out []relation
	for _, r := range userRelations(env) {
		if r.Kind == catalog.RelTable || r.Kind == catalog.RelView {
			out = append(out, r)
		}
	}
	return out
}

func init() {
	is := func(name string, oid uint32, spec string, rows func(env bound.Env, v *View) [][]types.Datum) {
		v := &View{Schema: infoSchema, Name: name, OID: oid, Cols: cols(spec)}
		v.Rows = func(env bound.Env) ([][]types.Datum, error) { return rows(env, v), nil }
		register(v)
	}

	is("information_schema_catalog_name", 13227, `catalog_name sql_identifier`, func(env bound.Env, v *View) [][]types.Datum {
		return [][]types.Datum{{text(env.CurrentDatabase())}}
	})

	is("schemata", 13382, `catalog_name sql_identifier, schema_name sql_identifier, schema_owner sql_identifier,
		default_character_set_catalog sql_identifier, default_character_set_schema sql_identifier,
		default_character_set_name sql_identifier, sql_path character_data`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		cat := env.Catalog()
		for _, s := range Schemas(env) {
			rows = append(rows, []types.Datum{text(env.CurrentDatabase()), text(s.Name), text(roleName(cat, builtins.SchemaOwner(s))),
				null, null, null, null})
		}
		return rows
	})

	is("tables", 13425, `table_catalog sql_identifier, table_schema sql_identifier, table_name sql_identifier,
		table_type character_data, self_referencing_column_name sql_identifier, reference_generation character_data,
		user_defined_type_catalog sql_identifier, user_defined_type_schema sql_identifier,
		user_defined_type_name sql_identifier, is_insertable_into yes_or_no, is_typed yes_or_no,
		commit_action character_data`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range allRelations(env) {
			var typ string
			insertable := true
			switch r.Kind {
			case catalog.RelTable:
				typ = "BASE TABLE"
			case catalog.RelView:
				typ = "VIEW"
				insertable = r.Table != nil && viewUpdatable(r.Table)
			default:
				continue
			}
			rows = append(rows, []types.Datum{text(env.CurrentDatabase()), text(r.SchemaName), text(r.Name), text(typ),
				null, null, null, null, null, yesNo(insertable), yesNo(false), null})
		}
		return rows
	})

	is("columns", 13295, `table_catalog sql_identifier, table_schema sql_identifier, table_name sql_identifier,
		column_name sql_identifier, ordinal_position cardinal_number, column_default character_data,
		is_nullable yes_or_no, data_type character_data, character_maximum_length cardinal_number,
		character_octet_length cardinal_number, numeric_precision cardinal_number,
		numeric_precision_radix cardinal_number, numeric_scale cardinal_number, datetime_precision cardinal_number,
		interval_type character_data, interval_precision cardinal_number, character_set_catalog sql_identifier,
		character_set_schema sql_identifier, character_set_name sql_identifier, collation_catalog sql_identifier,
		collation_schema sql_identifier, collation_name sql_identifier, domain_catalog sql_identifier,
		domain_schema sql_identifier, domain_name sql_identifier, udt_catalog sql_identifier,
		udt_schema sql_identifier, udt_name sql_identifier, scope_catalog sql_identifier, scope_schema sql_identifier,
		scope_name sql_identifier, maximum_cardinality cardinal_number, dtd_identifier sql_identifier,
		is_self_referencing yes_or_no, is_identity yes_or_no, identity_generation character_data,
		identity_start character_data, identity_increment character_data, identity_maximum character_data,
		identity_minimum character_data, identity_cycle yes_or_no, is_generated character_data,
		generation_expression character_data, is_updatable yes_or_no`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		cat := env.Catalog()
		db := env.CurrentDatabase()
		for _, r := range allRelations(env) {
			if r.Kind != catalog.RelTable && r.Kind != catalog.RelView {
				continue
			}
			updatable := r.Kind == catalog.RelTable || (r.Table != nil && viewUpdatable(r.Table))
			for _, a := range r.attributes() {
				if a.Dropped {
					continue
				}
				row := v.row()
				f := factsOf(a.Type)
				v.set(row, "table_catalog", text(db))
				v.set(row, "table_schema", text(r.SchemaName))
				v.set(row, "table_name", text(r.Name))
				v.set(row, "column_name", text(a.Name))
				v.set(row, "ordinal_position", i64(int64(a.Num)))
				if a.Column != nil && r.Table != nil && a.Generated == 0 && r.Kind == catalog.RelTable {
					v.set(row, "column_default", textOrNull(columnDefault(env, r.Table, a.Column)))
				}
				v.set(row, "is_nullable", yesNo(!a.NotNull))
				v.set(row, "data_type", text(infoDataType(a.Type)))
				v.set(row, "character_maximum_length", f.charMax)
				v.set(row, "character_octet_length", f.charOctet)
				v.set(row, "numeric_precision", f.numPrec)
				v.set(row, "numeric_precision_radix", f.numRadix)
				v.set(row, "numeric_scale", f.numScale)
				v.set(row, "datetime_precision", f.dtPrec)
				v.set(row, "interval_type", f.intervalType)
				v.set(row, "udt_catalog", text(db))
				v.set(row, "udt_schema", text("pg_catalog"))
				v.set(row, "udt_name", text(a.Type.Name()))
				v.set(row, "dtd_identifier", text(strconv.Itoa(int(a.Num))))
				v.set(row, "is_self_referencing", yesNo(false))
				v.set(row, "is_identity", yesNo(a.Identity != 0))
				if a.Identity != 0 {
					gen := "BY DEFAULT"
					if a.Identity == 'a' {
						gen = "ALWAYS"
					}
					v.set(row, "identity_generation", text(gen))
					for _, s := range cat.Sequences(0) {
						if s.OwnedByTable == r.OID && s.OwnedByColumn == a.Num {
							v.set(row, "identity_start", text(strconv.FormatInt(s.Start, 10)))
							v.set(row, "identity_increment", text(strconv.FormatInt(s.Increment, 10)))
							v.set(row, "identity_maximum", text(strconv.FormatInt(s.Max, 10)))
							v.set(row, "identity_minimum", text(strconv.FormatInt(s.Min, 10)))
							v.set(row, "identity_cycle", yesNo(s.Cycle))
						}
					}
				} else {
					v.set(row, "identity_cycle", yesNo(false))
				}
				if a.Generated != 0 {
					v.set(row, "is_generated", text("ALWAYS"))
					v.set(row, "generation_expression", text(builtins.GeneratedExpr(cat, r.Table, a.Column, false)))
				} else {
					v.set(row, "is_generated", text("NEVER"))
				}
				v.set(row, "is_updatable", yesNo(updatable))
				rows = append(rows, row)
			}
		}
		return rows
	})

	is("table_constraints", 13411, `constraint_catalog sql_identifier, constraint_schema sql_identifier,
		constraint_name sql_identifier, table_catalog sql_identifier, table_schema sql_identifier,
		table_name sql_identifier, constraint_type character_data, is_deferrable yes_or_no,
		initially_deferred yes_or_no, enforced yes_or_no, nulls_distinct yes_or_no`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		db := env.CurrentDatabase()
		rels := tablesAndViews(env)
		for _, r := range rels {
			if r.Kind != catalog.RelTable {
				continue
			}
			for _, c := range builtins.TableConstraints(r.Table) {
				nd := null
				if c.Type == 'u' {
					nd = yesNo(!c.Index.NullsNotDistinct)
				}
				deferrable, deferred := false, false
				if c.FK != nil {
					deferrable, deferred = c.FK.Deferrable, c.FK.InitDeferred
				}
				rows = append(rows, []types.Datum{text(db), text(r.SchemaName), text(c.Name), text(db), text(r.SchemaName),
					text(r.Name), text(constraintTypeName(c.Type)), yesNo(deferrable), yesNo(deferred), yesNo(true), nd})
			}
		}
		for _, r := range rels {
			if r.Kind != catalog.RelTable {
				continue
			}
			for i := range r.Table.Columns {
				c := &r.Table.Columns[i]
				if c.NotNull && !c.Dropped && !c.Hidden {
					rows = append(rows, []types.Datum{text(db), text(r.SchemaName), text(notNullName(r.Table, c)), text(db),
						text(r.SchemaName), text(r.Name), text("CHECK"), yesNo(false), yesNo(false), yesNo(true), null})
				}
			}
		}
		return rows
	})

	is("check_constraints", 13260, `constraint_catalog sql_identifier, constraint_schema sql_identifier,
		constraint_name sql_identifier, check_clause character_data`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		db := env.CurrentDatabase()
		cat := env.Catalog()
		vis := builtins.VisibleFunc(env)
		for _, r := range tablesAndViews(env) {
			if r.Kind != catalog.RelTable {
				continue
			}
			for _, c := range builtins.TableConstraints(r.Table) {
				if c.Type == 'c' {
					def := builtins.ConstraintDef(cat, c, false, vis)
					rows = append(rows, []types.Datum{text(db), text(r.SchemaName), text(c.Name), text(strings.TrimPrefix(def, "CHECK "))})
				}
			}
			for i := range r.Table.Columns {
				c := &r.Table.Columns[i]
				if c.NotNull && !c.Dropped && !c.Hidden {
					rows = append(rows, []types.Datum{text(db), text(r.SchemaName), text(notNullName(r.Table, c)),
						text(builtins.QuoteIdent(c.Name) + " IS NOT NULL")})
				}
			}
		}
		return rows
	})

	is("key_column_usage", 13329, `constraint_catalog sql_identifier, constraint_schema sql_identifier,
		constraint_name sql_identifier, table_catalog sql_identifier, table_schema sql_identifier,
		table_name sql_identifier, column_name sql_identifier, ordinal_position cardinal_number,
		position_in_unique_constraint cardinal_number`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		db := env.CurrentDatabase()
		cat := env.Catalog()
		for _, r := range tablesAndViews(env) {
			if r.Kind != catalog.RelTable {
				continue
			}
			t := r.Table
			for _, c := range builtins.TableConstraints(t) {
				var keyCols []int
				switch c.Type {
				case 'p', 'u':
					keyCols = c.Index.Columns
				case 'f':
					keyCols = c.FK.Cols
				default:
					continue
				}
				for i, ci := range keyCols {
					pos := null
					if c.Type == 'f' {
						if ref := cat.Table(c.FK.RefTable); ref != nil {
							if ix := ref.KeyIndex(c.FK.RefCols); ix != nil {
								for j, rc := range ix.Columns {
									if i < len(c.FK.RefCols) && rc == c.FK.RefCols[i] {
										pos = i64(int64(j + 1))
									}
								}
							}
						}
					}
					rows = append(rows, []types.Datum{text(db), text(r.SchemaName), text(c.Name), text(db), text(r.SchemaName),
						text(t.Name), text(t.Columns[ci].Name), i64(int64(i + 1)), pos})
				}
			}
		}
		return rows
	})

	is("referential_constraints", 13339, `constraint_catalog sql_identifier, constraint_schema sql_identifier,
		constraint_name sql_identifier, unique_constraint_catalog sql_identifier,
		unique_constraint_schema sql_identifier, unique_constraint_name sql_identifier,
		match_option character_data, update_rule character_data, delete_rule character_data`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		db := env.CurrentDatabase()
		cat := env.Catalog()
		for _, r := range tablesAndViews(env) {
			if r.Kind != catalog.RelTable {
				continue
			}
			for _, fk := range r.Table.ForeignKeys {
				ucat, uschema, uname := null, null, null
				if ref := cat.Table(fk.RefTable); ref != nil {
					if ix := ref.KeyIndex(fk.RefCols); ix != nil && ix.Constraint {
						ucat, uschema, uname = text(db), text(builtins.SchemaName(cat, ref.Schema)), text(ix.Name)
					}
				}
				rows = append(rows, []types.Datum{text(db), text(r.SchemaName), text(fk.Name), ucat, uschema, uname,
					text("NONE"), text(fkRule(fk.OnUpdate)), text(fkRule(fk.OnDelete))})
			}
		}
		return rows
	})

	// constraint_column_usage and constraint_table_usage: for a foreign
	// key, the referenced table and columns; for the others, the
	// constrained table's.
	type usage struct {
		r       relation
		t       *catalog.Table
		schema  string
		cols    []int
		conName string
		conType byte
	}
	usages := func(env bound.Env) []usage {
		var out []usage
		cat := env.Catalog()
		for _, r := range tablesAndViews(env) {
			if r.Kind != catalog.RelTable {
				continue
			}
			for _, c := range builtins.TableConstraints(r.Table) {
				switch c.Type {
				case 'p', 'u':
					out = append(out, usage{r: r, t: r.Table, schema: r.SchemaName, cols: c.Index.Columns, conName: c.Name, conType: c.Type})
				case 'f':
					if ref := cat.Table(c.FK.RefTable); ref != nil {
						out = append(out, usage{r: r, t: ref, schema: builtins.SchemaName(cat, ref.Schema), cols: c.FK.RefCols, conName: c.Name, conType: c.Type})
					}
				case 'c':
					var used []int
					for i := range r.Table.Columns {
						col := &r.Table.Columns[i]
						if !col.Dropped && !col.Hidden && mentions(c.Check.Expr, col.Name) {
							used = append(used, i)
						}
					}
					out = append(out, usage{r: r, t: r.Table, schema: r.SchemaName, cols: used, conName: c.Name, conType: c.Type})
				}
			}
		}
		return out
	}
	is("constraint_column_usage", 13300, `table_catalog sql_identifier, table_schema sql_identifier,
		table_name sql_identifier, column_name sql_identifier, constraint_catalog sql_identifier,
		constraint_schema sql_identifier, constraint_name sql_identifier`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		db := env.CurrentDatabase()
		for _, u := range usages(env) {
			for _, ci := range u.cols {
				rows = append(rows, []types.Datum{text(db), text(u.schema), text(u.t.Name), text(u.t.Columns[ci].Name), text(db),
					text(u.r.SchemaName), text(u.conName)})
			}
		}
		return rows
	})
	is("constraint_table_usage", 13305, `table_catalog sql_identifier, table_schema sql_identifier,
		table_name sql_identifier, constraint_catalog sql_identifier, constraint_schema sql_identifier,
		constraint_name sql_identifier`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		db := env.CurrentDatabase()
		for _, u := range usages(env) {
			if u.conType != 'c' {
				rows = append(rows, []types.Datum{text(db), text(u.schema), text(u.t.Name), text(db), text(u.r.SchemaName), text(u.conName)})
			}
		}
		return rows
	})

	is("sequences", 13386, `sequence_catalog sql_identifier, sequence_schema sql_identifier,
		sequence_name sql_identifier, data_type character_data, numeric_precision cardinal_number,
		numeric_precision_radix cardinal_number, numeric_scale cardinal_number, start_value character_data,
		minimum_value character_data, maximum_value character_data, increment character_data,
		cycle_option yes_or_no`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		db := env.CurrentDatabase()
		for _, r := range userRelations(env) {
			s := r.Seq
			if s == nil {
				continue
			}
			t := seqType(s)
			f := factsOf(t)
			rows = append(rows, []types.Datum{text(db), text(r.SchemaName), text(s.Name), text(infoDataType(t)), f.numPrec,
				f.numRadix, f.numScale, text(strconv.FormatInt(s.Start, 10)), text(strconv.FormatInt(s.Min, 10)),
				text(strconv.FormatInt(s.Max, 10)), text(strconv.FormatInt(s.Increment, 10)), yesNo(s.Cycle)})
		}
		return rows
	})

	is("views", 13483, `table_catalog sql_identifier, table_schema sql_identifier, table_name sql_identifier,
		view_definition character_data, check_option character_data, is_updatable yes_or_no,
		is_insertable_into yes_or_no, is_trigger_updatable yes_or_no, is_trigger_deletable yes_or_no,
		is_trigger_insertable_into yes_or_no`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		db := env.CurrentDatabase()
		cat := env.Catalog()
		vis := builtins.VisibleFunc(env)
		for _, r := range allRelations(env) {
			if r.Kind != catalog.RelView {
				continue
			}
			def, upd := null, false
			if r.Table != nil {
				def = text(builtins.ViewDef(cat, r.Table, false, vis))
				upd = viewUpdatable(r.Table)
			}
			rows = append(rows, []types.Datum{text(db), text(r.SchemaName), text(r.Name), def, text("NONE"), yesNo(upd),
				yesNo(upd), yesNo(false), yesNo(false), yesNo(false)})
		}
		return rows
	})

	is("view_table_usage", 13478, `view_catalog sql_identifier, view_schema sql_identifier, view_name sql_identifier,
		table_catalog sql_identifier, table_schema sql_identifier, table_name sql_identifier`, func(env bound.Env, v *View) [][]types.Datum {
		var rows [][]types.Datum
		db := env.CurrentDatabase()
		cat := env.Catalog()
		for _, r := range userRelations(env) {
			if r.Kind != catalog.RelView {
				continue
			}
			for _, dep := range r.Table.Deps {
				if t := cat.Table(dep); t != nil {
					rows = append(rows, []types.Datum{text(db), text(r.SchemaName), text(r.Name), text(db),
						text(builtins.SchemaName(cat, t.Schema)), text(t.Name)})
				}
			}
		}
		return rows
	})

	is("character_sets", 13250, `character_set_catalog sql_identifier, character_set_schema sql_identifier,
		character_set_name sql_identifier, character_repertoire sql_identifier, form_of_use sql_identifier,
		default_collate_catalog sql_identifier, default_collate_schema sql_identifier,
		default_collate_name sql_identifier`, func(env bound.Env, v *View) [][]types.Datum {
		return [][]types.Datum{{null, null, text("UTF8"), text("UCS"), text("UTF8"), null, null, null}}
	})
	is("enabled_roles", 13325, `role_name sql_identifier`, func(env bound.Env, v *View) [][]types.Datum {
		return [][]types.Datum{{text(env.CurrentUser())}}
	})
	is("applicable_roles", 13236, `grantee sql_identifier, role_name sql_identifier, is_grantable yes_or_no`,
		func(env bound.Env, v *View) [][]types.Datum { return nil })
	is("triggers", 13440, `trigger_catalog sql_identifier, trigger_schema sql_identifier, trigger_name sql_identifier,
		event_manipulation character_data, event_object_catalog sql_identifier, event_object_schema sql_identifier,
		event_object_table sql_identifier, action_order cardinal_number, action_condition character_data,
		action_statement character_data, action_orientation character_data, action_timing character_data,
		action_reference_old_table sql_identifier, action_reference_new_table sql_identifier,
		action_reference_old_row sql_identifier, action_reference_new_row sql_identifier, created time_stamp`,
		func(env bound.Env, v *View) [][]types.Datum { return nil })
}
