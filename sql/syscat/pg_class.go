package syscat

import (
	"sort"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// pg_class, pg_attribute, pg_attrdef, pg_index, pg_constraint and the
// descriptions: the relations of the session's database and the system
// views themselves.

// hasTriggers is relhastriggers: PostgreSQL implements foreign keys with
// triggers on both tables.
func hasTriggers(cat *catalog.Catalog, t *catalog.Table) bool {
	return len(t.ForeignKeys) > 0 || len(cat.ReferencingKeys(t.OID)) > 0
}

// relOptions is reloptions: the table's storage options as key=value.
func relOptions(t *catalog.Table) types.Datum {
	if t == nil || len(t.Options) == 0 {
		return null
	}
	keys := make([]string, 0, len(t.Options))
	for k := range t.Options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + t.Options[k]
	}
	return textArray(out)
}

func init() {
	class := &View{Schema: "pg_catalog", Name: "pg_class", OID: 1259, Kind: 'r',
		Cols: cols(`oid oid, relname name, relnamespace oid, reltype oid, reloftype oid, relowner oid, relam oid,
			relfilenode oid, reltablespace oid, relpages integer, reltuples real, relallvisible integer,
			reltoastrelid oid, relhasindex boolean, relisshared boolean, relpersistence "char", relkind "char",
			relnatts smallint, relchecks smallint, relhasrules boolean, relhastriggers boolean,
			relhassubclass boolean, relrowsecurity boolean, relforcerowsecurity boolean, relispopulated boolean,
			relreplident "char", relispartition boolean, relrewrite oid, relfrozenxid xid, relminmxid xid,
			relacl aclitem[], reloptions text[], relpartbound pg_node_tree`)}
	class.Rows = func(env bound.Env) ([][]types.Datum, error) {
		cat := env.Catalog()
		var rows [][]types.Datum
		for _, rel := range allRelations(env) {
			v := class
			r := v.row()
			am, pages, tuples, replident := uint32(0), int64(0), -1.0, byte('n')
			hasIndex, checks, rules, triggers := false, 0, false, false
			natts := len(rel.attributes())
			frozen, minmxid := uint32(0), uint32(0)
			switch {
			case rel.View != nil:
				if rel.Kind == catalog.RelTable {
					am, replident, hasIndex = 2, 'n', true
				} else {
					rules = true
				}
			case rel.Kind == catalog.RelTable:
				am, replident = 2, 'd'
				if rel.Table.ReplIdent != 0 {
					replident = rel.Table.ReplIdent
				}
				hasIndex = len(builtins.TableIndexes(rel.Table)) > 0
				checks = len(rel.Table.Checks)
				triggers = hasTriggers(cat, rel.Table)
				frozen, minmxid = 1, 1
			case rel.Kind == catalog.RelView:
				rules = true
			case rel.Kind == catalog.RelMatView:
				am, replident, rules = 2, 'd', true
				hasIndex = len(builtins.TableIndexes(rel.Table)) > 0
				frozen, minmxid = 1, 1
			case rel.Kind == catalog.RelIndex:
				am, pages, tuples = 403, 1, 0
				if rel.Index.Method == "hash" {
					am = 405
				}
				if rel.Index.Method == "gin" {
					am = 2742
				}
			case rel.Kind == catalog.RelSequence:
				pages, tuples = 1, 1
			}
			v.set(r, "oid", oid(rel.OID))
			v.set(r, "relname", text(rel.Name))
			v.set(r, "relnamespace", oid(rel.Schema))
			v.set(r, "reltype", oid(0))
			v.set(r, "reloftype", oid(0))
			v.set(r, "relowner", oid(rel.Owner))
			v.set(r, "relam", oid(am))
			fileNode := rel.OID
			if rel.Kind == catalog.RelView {
				fileNode = 0
			}
			v.set(r, "relfilenode", oid(fileNode))
			v.set(r, "reltablespace", oid(0))
			v.set(r, "relpages", i64(pages))
			v.set(r, "reltuples", float(tuples))
			v.set(r, "relallvisible", i64(0))
			v.set(r, "reltoastrelid", oid(0))
			v.set(r, "relhasindex", boolean(hasIndex))
			v.set(r, "relisshared", boolean(rel.View != nil && (rel.Name == "pg_authid" || rel.Name == "pg_database" || rel.Name == "pg_tablespace")))
			persistence := byte('p')
			if builtins.IsTempSchema(cat, rel.Schema) {
				persistence = 't'
			}
			v.set(r, "relpersistence", char(persistence))
			v.set(r, "relkind", char(rel.Kind))
			v.set(r, "relnatts", i64(int64(natts)))
			v.set(r, "relchecks", i64(int64(checks)))
			v.set(r, "relhasrules", boolean(rules))
			v.set(r, "relhastriggers", boolean(triggers))
			v.set(r, "relhassubclass", boolean(false))
			v.set(r, "relrowsecurity", boolean(false))
			v.set(r, "relforcerowsecurity", boolean(false))
			v.set(r, "relispopulated", boolean(rel.Table == nil || !rel.Table.Unpopulated))
			v.set(r, "relreplident", char(replident))
			v.set(r, "relispartition", boolean(false))
			v.set(r, "relrewrite", oid(0))
			v.set(r, "relfrozenxid", oid(frozen))
			v.set(r, "relminmxid", oid(minmxid))
			if (rel.Kind == catalog.RelTable || rel.Kind == catalog.RelMatView) && rel.View == nil {
				v.set(r, "reloptions", relOptions(rel.Table))
			}
			rows = append(rows, r)
		}
		return rows, nil
	}
	register(class)

	attr := &View{Schema: "pg_catalog", Name: "pg_attribute", OID: 1249, Kind: 'r',
		Cols: cols(`attrelid oid, attname name, atttypid oid, attstattarget integer, attlen smallint,
			attnum smallint, attndims integer, attcacheoff integer, atttypmod integer, attbyval boolean,
			attalign "char", attstorage "char", attcompression "char", attnotnull boolean, atthasdef boolean,
			atthasmissing boolean, attidentity "char", attgenerated "char", attisdropped boolean,
			attislocal boolean, attinhcount integer, attcollation oid, attacl aclitem[], attoptions text[],
			attfdwoptions text[], attmissingval anyarray`)}
	attr.Rows = func(env bound.Env) ([][]types.Datum, error) {
		var rows [][]types.Datum
		for _, rel := range allRelations(env) {
			for _, a := range rel.attributes() {
				v := attr
				r := v.row()
				t := a.Type
				typid, typmod, coll := t.OID, t.Typmod, typeCollation(t)
				ndims := 0
				if t.IsArray() && !types.IsVectorType(t.OID) && rel.View == nil {
					ndims = 1
				}
				stattarget := int64(-1)
				if a.Dropped {
					// RemoveAttributeById: no type, no statistics; the
					// storage properties and collation stay.
					typid, typmod, stattarget = 0, -1, 0
				}
				v.set(r, "attrelid", oid(rel.OID))
				v.set(r, "attname", text(a.Name))
				v.set(r, "atttypid", oid(typid))
				v.set(r, "attstattarget", i64(stattarget))
				v.set(r, "attlen", i64(int64(t.Len())))
				v.set(r, "attnum", i64(int64(a.Num)))
				v.set(r, "attndims", i64(int64(ndims)))
				v.set(r, "attcacheoff", i64(-1))
				v.set(r, "atttypmod", i64(int64(typmod)))
				v.set(r, "attbyval", boolean(t.ByVal()))
				v.set(r, "attalign", char(t.Align()))
				v.set(r, "attstorage", char(typeStorage(t)))
				v.set(r, "attcompression", char(0))
				v.set(r, "attnotnull", boolean(a.NotNull))
				v.set(r, "atthasdef", boolean(a.HasDef))
				v.set(r, "atthasmissing", boolean(false))
				v.set(r, "attidentity", char(a.Identity))
				v.set(r, "attgenerated", char(a.Generated))
				v.set(r, "attisdropped", boolean(a.Dropped))
				v.set(r, "attislocal", boolean(true))
				v.set(r, "attinhcount", i64(0))
				v.set(r, "attcollation", oid(coll))
				rows = append(rows, r)
			}
		}
		return rows, nil
	}
	register(attr)

	attrdef := &View{Schema: "pg_catalog", Name: "pg_attrdef", OID: 2604, Kind: 'r',
		Cols: cols(`oid oid, adrelid oid, adnum smallint, adbin pg_node_tree`)}
	attrdef.Rows = func(env bound.Env) ([][]types.Datum, error) {
		cat := env.Catalog()
		var rows [][]types.Datum
		for _, rel := range userRelations(env) {
			if rel.Kind != catalog.RelTable || rel.Table == nil {
				continue
			}
			t := rel.Table
			for i := range t.Columns {
				c := &t.Columns[i]
				if c.Dropped || c.Hidden {
					continue
				}
				var expr string
				switch {
				case c.Generated != "":
					expr = builtins.GeneratedExpr(cat, t, c, false)
				case c.Default != "":
					expr = columnDefault(env, t, c)
				}
				if expr == "" {
					continue
				}
				rows = append(rows, []types.Datum{oid(syntheticOID(1, t.OID, int(c.Attnum))), oid(t.OID), i64(int64(c.Attnum)), text(expr)})
			}
		}
		return rows, nil
	}
	register(attrdef)

	index := &View{Schema: "pg_catalog", Name: "pg_index", OID: 2610, Kind: 'r',
		Cols: cols(`indexrelid oid, indrelid oid, indnatts smallint, indnkeyatts smallint, indisunique boolean,
			indnullsnotdistinct boolean, indisprimary boolean, indisexclusion boolean, indimmediate boolean,
			indisclustered boolean, indisvalid boolean, indcheckxmin boolean, indisready boolean,
			indislive boolean, indisreplident boolean, indkey int2vector, indcollation oidvector,
			indclass oidvector, indoption int2vector, indexprs pg_node_tree, indpred pg_node_tree`)}
	index.Rows = func(env bound.Env) ([][]types.Datum, error) {
		cat := env.Catalog()
		var rows [][]types.Datum
		for _, rel := range userRelations(env) {
			if rel.Index == nil {
				continue
			}
			t, ix := rel.Table, rel.Index
			var keys, colls, classes, opts []int64
			for i, ci := range ix.Columns {
				kt, attnum := ix.KeyType(t, i), int64(0) // 0: an expression
				if ci >= 0 {
					attnum = int64(t.Columns[ci].Attnum)
				}
				keys = append(keys, attnum)
				colls = append(colls, int64(typeCollation(kt)))
				classes = append(classes, int64(btreeOpclass(kt)))
				opt := int64(0)
				if ix.ColDesc(i) {
					opt |= 1 // INDOPTION_DESC
				}
				if ix.ColNullsFirst(i) {
					opt |= 2 // INDOPTION_NULLS_FIRST
				}
				opts = append(opts, opt)
			}
			if ix.Method == "gin" {
				keys, colls, classes, opts = ginIndexColumns(t, ix)
			}
			v := index
			r := v.row()
			n := int64(len(keys))
			// INCLUDE columns follow the keys in indkey (indnatts counts
			// them, indnkeyatts does not).
			for _, ci := range ix.Include {
				keys = append(keys, int64(t.Columns[ci].Attnum))
			}
			v.set(r, "indexrelid", oid(ix.OID))
			v.set(r, "indrelid", oid(t.OID))
			v.set(r, "indnatts", i64(int64(len(keys))))
			v.set(r, "indnkeyatts", i64(n))
			v.set(r, "indisunique", boolean(ix.Unique))
			v.set(r, "indnullsnotdistinct", boolean(ix.NullsNotDistinct))
			v.set(r, "indisprimary", boolean(ix.Primary))
			v.set(r, "indisexclusion", boolean(false))
			v.set(r, "indimmediate", boolean(true))
			v.set(r, "indisclustered", boolean(false))
			v.set(r, "indisvalid", boolean(true))
			v.set(r, "indcheckxmin", boolean(false))
			v.set(r, "indisready", boolean(true))
			v.set(r, "indislive", boolean(true))
			v.set(r, "indisreplident", boolean(false))
			v.set(r, "indkey", types.NewVector(types.Int2, keys))
			v.set(r, "indcollation", types.NewVector(types.OID, colls))
			v.set(r, "indclass", types.NewVector(types.OID, classes))
			v.set(r, "indoption", types.NewVector(types.Int2, opts))
			if ix.Predicate != "" {
				d := &builtins.Deparser{Cat: cat, Rels: []builtins.DeparseRel{{Ref: t.Name, Table: t}}}
				v.set(r, "indpred", text(d.DeparseExpr(ix.Predicate, types.Bool)))
			}
			if ix.TSConfig != 0 {
				v.set(r, "indexprs", text(builtins.GINKeyText(t, ix)))
			}
			if ix.HasExprs() {
				v.set(r, "indexprs", text(builtins.IndexExprsText(cat, t, ix)))
			}
			rows = append(rows, r)
		}
		return rows, nil
	}
	register(index)

	constraint := &View{Schema: "pg_catalog", Name: "pg_constraint", OID: 2606, Kind: 'r',
		Cols: cols(`oid oid, conname name, connamespace oid, contype "char", condeferrable boolean,
			condeferred boolean, convalidated boolean, conrelid oid, contypid oid, conindid oid,
			conparentid oid, confrelid oid, confupdtype "char", confdeltype "char", confmatchtype "char",
			conislocal boolean, coninhcount integer, connoinherit boolean, conkey smallint[],
			confkey smallint[], conpfeqop oid[], conppeqop oid[], conffeqop oid[],
			confdelsetcols smallint[], conexclop oid[], conbin pg_node_tree`)}
	constraint.Rows = func(env bound.Env) ([][]types.Datum, error) {
		cat := env.Catalog()
		var rows [][]types.Datum
		for _, rel := range userRelations(env) {
			if rel.Kind != catalog.RelTable || rel.Table == nil {
				continue
			}
			t := rel.Table
			for _, c := range builtins.TableConstraints(t) {
				v := constraint
				r := v.row()
				v.set(r, "oid", oid(c.OID))
				v.set(r, "conname", text(c.Name))
				v.set(r, "connamespace", oid(t.Schema))
				v.set(r, "contype", char(c.Type))
				v.set(r, "condeferrable", boolean(false))
				v.set(r, "condeferred", boolean(false))
				v.set(r, "convalidated", boolean(true))
				v.set(r, "conrelid", oid(t.OID))
				v.set(r, "contypid", oid(0))
				v.set(r, "conindid", oid(0))
				v.set(r, "conparentid", oid(0))
				v.set(r, "confrelid", oid(0))
				v.set(r, "confupdtype", char(' '))
				v.set(r, "confdeltype", char(' '))
				v.set(r, "confmatchtype", char(' '))
				v.set(r, "conislocal", boolean(true))
				v.set(r, "coninhcount", i64(0))
				v.set(r, "connoinherit", boolean(c.Type != 'c'))
				attnums := func(tt *catalog.Table, cols []int) types.Datum {
					var out []int64
					for _, ci := range cols {
						out = append(out, int64(tt.Columns[ci].Attnum))
					}
					return int2Array(out)
				}
				switch c.Type {
				case 'p', 'u':
					v.set(r, "conindid", oid(c.Index.OID))
					v.set(r, "conkey", attnums(t, c.Index.Columns))
				case 'c':
					d := &builtins.Deparser{Cat: cat, Rels: []builtins.DeparseRel{{Ref: t.Name, Table: t}}}
					x := d.Analyze(c.Check.Expr, types.Bool)
					var used []int64
					seen := map[int16]bool{}
					for i := range t.Columns {
						col := &t.Columns[i]
						if !col.Dropped && !col.Hidden && mentions(c.Check.Expr, col.Name) && !seen[col.Attnum] {
							seen[col.Attnum] = true
							used = append(used, int64(col.Attnum))
						}
					}
					if len(used) > 0 {
						v.set(r, "conkey", int2Array(used))
					}
					if x != nil {
						v.set(r, "conbin", text(d.Print(x)))
					} else {
						v.set(r, "conbin", text(c.Check.Expr))
					}
				case 'f':
					fk := c.FK
					v.set(r, "condeferrable", boolean(fk.Deferrable))
					v.set(r, "condeferred", boolean(fk.InitDeferred))
					ref := cat.Table(fk.RefTable)
					v.set(r, "confrelid", oid(fk.RefTable))
					v.set(r, "confupdtype", char(builtins.FKActionCode(fk.OnUpdate)))
					v.set(r, "confdeltype", char(builtins.FKActionCode(fk.OnDelete)))
					v.set(r, "confmatchtype", char('s'))
					v.set(r, "conkey", attnums(t, fk.Cols))
					if ref != nil {
						v.set(r, "confkey", attnums(ref, fk.RefCols))
						if ix := ref.KeyIndex(fk.RefCols); ix != nil {
							v.set(r, "conindid", oid(ix.OID))
						}
						var eq []types.Datum
						for _, ci := range fk.RefCols {
							eq = append(eq, oid(equalityOperator(ref.Columns[ci].Type)))
						}
						ops := types.NewArray(types.OID, eq)
						v.set(r, "conpfeqop", ops)
						v.set(r, "conppeqop", ops)
						v.set(r, "conffeqop", ops)
					}
				}
				rows = append(rows, r)
			}
		}
		return rows, nil
	}
	register(constraint)

	desc := &View{Schema: "pg_catalog", Name: "pg_description", OID: 2609, Kind: 'r',
		Cols: cols(`objoid oid, classoid oid, objsubid integer, description text`)}
	desc.Rows = func(env bound.Env) ([][]types.Datum, error) {
		rows := [][]types.Datum{{oid(plpgsqlOID), oid(3079), i64(0), text("PL/pgSQL procedural language")}}
		for _, s := range Schemas(env) {
			if d := builtins.SchemaDescription(s); d != "" {
				rows = append(rows, []types.Datum{oid(s.OID), oid(classPgNamespace), i64(0), text(d)})
			}
		}
		for _, rel := range userRelations(env) {
			t := rel.Table
			if t == nil || rel.Index != nil {
				continue
			}
			if t.Comment != "" {
				rows = append(rows, []types.Datum{oid(t.OID), oid(classPgClass), i64(0), text(t.Comment)})
			}
			for i := range t.Columns {
				c := &t.Columns[i]
				if c.Comment != "" && !c.Dropped && !c.Hidden {
					rows = append(rows, []types.Datum{oid(t.OID), oid(classPgClass), i64(int64(c.Attnum)), text(c.Comment)})
				}
			}
		}
		return rows, nil
	}
	register(desc)
}

// mentions reports whether expression text names a column (as an
// identifier, not inside a string literal).
func mentions(expr, col string) bool {
	inStr := false
	for i := 0; i < len(expr); i++ {
		ch := expr[i]
		if ch == '\'' {
			inStr = !inStr
			continue
		}
		if inStr {
			continue
		}
		if i+len(col) <= len(expr) && expr[i:i+len(col)] == col {
			before := i == 0 || !identChar(expr[i-1])
			after := i+len(col) == len(expr) || !identChar(expr[i+len(col)])
			if before && after {
				return true
			}
		}
	}
	return false
}

func identChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '$' || c == '"'
}
