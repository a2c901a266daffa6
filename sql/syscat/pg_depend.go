package syscat

import (
	"slices"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// pg_depend and pg_init_privs: what pg_dump reads to order the objects it
// dumps and to tell granted privileges from initdb's.
//
// pg_depend holds the rows PostgreSQL 15 records for the objects of this
// server's catalog (see dependencies), except the ones of objects that do
// not exist here (row types, TOAST tables, foreign-key triggers). pg_dump
// sorts by them: a view after the tables it reads, a column default that
// calls nextval after its sequence (which breaks the table -> sequence ->
// table loop by dumping the default as ALTER TABLE ... SET DEFAULT), a
// foreign key after the referenced key.

// dependency is one pg_depend row.
type dependency struct {
	classID, objID     uint32
	objSub             int32
	refClassID, refObj uint32
	refSub             int32
	depType            byte
}

// dependencies lists the pg_depend rows of the session database's objects.
func dependencies(env bound.Env) []dependency {
	cat := env.Catalog()
	var out []dependency
	add := func(classID, objID uint32, objSub int32, refClassID, refObj uint32, refSub int32, t byte) {
		out = append(out, dependency{classID, objID, objSub, refClassID, refObj, refSub, t})
	}
	for _, rel := range userRelations(env) {
		switch {
		case rel.Seq != nil:
			s := rel.Seq
			if s.OwnedByTable != 0 {
				// An identity column's sequence is part of the column
				// (internal); a serial column's is owned by it (auto).
				dt := byte('a')
				if t := cat.Table(s.OwnedByTable); t != nil {
					for i := range t.Columns {
						if c := &t.Columns[i]; c.Attnum == s.OwnedByColumn && c.Identity != 0 && !c.Dropped {
							dt = 'i'
						}
					}
				}
				add(classPgClass, s.OID, 0, classPgClass, s.OwnedByTable, int32(s.OwnedByColumn), dt)
			}
			add(classPgClass, s.OID, 0, classPgNamespace, rel.Schema, 0, 'n')
		case rel.Index != nil:
			ix, t := rel.Index, rel.Table
			if ix.Constraint {
				add(classPgClass, ix.OID, 0, classPgConstraint, ix.ConstraintOID, 0, 'i')
				continue
			}
			// As index_create records them: each plain key column, the
			// whole table when there is none, then the columns of the key
			// expressions and of the predicate (each set once).
			simple := false
			for _, ci := range ix.Columns {
				if ci >= 0 {
					simple = true
					add(classPgClass, ix.OID, 0, classPgClass, t.OID, int32(t.Columns[ci].Attnum), 'a')
				}
			}
			if !simple {
				add(classPgClass, ix.OID, 0, classPgClass, t.OID, 0, 'a')
			}
			var exprCols []int
			for _, x := range ix.Exprs {
				for _, c := range x.Cols {
					if !slices.Contains(exprCols, c) {
						exprCols = append(exprCols, c)
					}
				}
			}
			for _, cols := range [][]int{exprCols, ix.PredCols} {
				for _, c := range cols {
					add(classPgClass, ix.OID, 0, classPgClass, t.OID, int32(t.Columns[c].Attnum), 'a')
				}
			}
		case (rel.Kind == catalog.RelView || rel.Kind == catalog.RelMatView) && rel.Table != nil:
			v := rel.Table
			add(classPgClass, v.OID, 0, classPgNamespace, rel.Schema, 0, 'n')
			rw := syntheticOID(2, v.OID, 0)
			for _, d := range v.Deps {
				if d != v.OID {
					add(classPgRewrite, rw, 0, classPgClass, d, 0, 'n')
				}
			}
			for _, d := range v.ColDeps {
				if d.Rel != v.OID {
					add(classPgRewrite, rw, 0, classPgClass, d.Rel, int32(d.Attnum), 'n')
				}
			}
			add(classPgRewrite, rw, 0, classPgClass, v.OID, 0, 'n')
			add(classPgRewrite, rw, 0, classPgClass, v.OID, 0, 'i')
		case rel.Kind == catalog.RelTable && rel.Table != nil:
			t := rel.Table
			add(classPgClass, t.OID, 0, classPgNamespace, rel.Schema, 0, 'n')
			for i := range t.Columns {
				c := &t.Columns[i]
				if c.Dropped || c.Hidden || (c.Default == "" && c.Generated == "") || (c.Generated == "" && c.Identity != 0) {
					continue
				}
				ad := syntheticOID(1, t.OID, int(c.Attnum))
				expr := c.Default
				if c.Generated != "" {
					expr = c.Generated
				}
				for _, r := range regclassRefs(env, t, expr) {
					add(classPgAttrdef, ad, 0, classPgClass, r.oid, 0, 'n')
				}
				add(classPgAttrdef, ad, 0, classPgClass, t.OID, int32(c.Attnum), 'a')
			}
			for _, con := range builtins.TableConstraints(t) {
				switch con.Type {
				case 'p', 'u':
					for _, ci := range con.Index.Columns {
						add(classPgConstraint, con.OID, 0, classPgClass, t.OID, int32(t.Columns[ci].Attnum), 'a')
					}
				case 'c':
					for i := range t.Columns {
						col := &t.Columns[i]
						if !col.Dropped && !col.Hidden && mentions(con.Check.Expr, col.Name) {
							add(classPgConstraint, con.OID, 0, classPgClass, t.OID, int32(col.Attnum), 'n')
							add(classPgConstraint, con.OID, 0, classPgClass, t.OID, int32(col.Attnum), 'a')
						}
					}
				case 'f':
					fk := con.FK
					if ref := cat.Table(fk.RefTable); ref != nil {
						for _, ci := range fk.RefCols {
							add(classPgConstraint, con.OID, 0, classPgClass, ref.OID, int32(ref.Columns[ci].Attnum), 'n')
						}
						if ix := ref.KeyIndex(fk.RefCols); ix != nil {
							add(classPgConstraint, con.OID, 0, classPgClass, ix.OID, 0, 'n')
						}
					}
					for _, ci := range fk.Cols {
						add(classPgConstraint, con.OID, 0, classPgClass, t.OID, int32(t.Columns[ci].Attnum), 'a')
					}
				}
			}
		}
	}
	return out
}

// regclassRef is one 'name'::regclass constant of an expression's text.
type regclassRef struct {
	start, end int // the quoted literal's bounds in the text
	oid        uint32
	schema     uint32
	name       string
}

// regclassRefs finds the 'name'::regclass constants of a column default
// (nextval('seq'::regclass)) and the relations they name: a qualified
// name in its schema, an unqualified one in the table's schema first,
// then along search_path.
func regclassRefs(env bound.Env, t *catalog.Table, expr string) []regclassRef {
	const suffix = "::regclass"
	var out []regclassRef
	cat := env.Catalog()
	for i := 0; i < len(expr); i++ {
		if expr[i] != '\'' {
			continue
		}
		j := i + 1
		var lit strings.Builder
		for j < len(expr) {
			if expr[j] == '\'' {
				if j+1 < len(expr) && expr[j+1] == '\'' {
					lit.WriteByte('\'')
					j += 2
					continue
				}
				break
			}
			lit.WriteByte(expr[j])
			j++
		}
		if j >= len(expr) {
			break
		}
		end := j + 1
		if strings.HasPrefix(expr[end:], suffix) && (i == 0 || expr[i-1] != 'E' && expr[i-1] != 'e') {
			schemaName, name := splitName(lit.String())
			var schemas []uint32
			if schemaName != "" {
				if s := cat.SchemaByName(env.DatabaseOID(), schemaName); s != nil {
					schemas = []uint32{s.OID}
				}
			} else {
				schemas = append([]uint32{t.Schema}, searchPathSchemas(env)...)
			}
			for _, s := range schemas {
				if o, _, ok := cat.Relation(s, name); ok {
					out = append(out, regclassRef{start: i, end: end, oid: o, schema: s, name: name})
					break
				}
			}
		}
		i = end - 1
	}
	return out
}

// searchPathSchemas lists the schemas of search_path that exist in the
// session's database.
func searchPathSchemas(env bound.Env) []uint32 {
	var out []uint32
	for _, n := range env.SearchPath() {
		if s := env.Catalog().SchemaByName(env.DatabaseOID(), n); s != nil {
			out = append(out, s.OID)
		}
	}
	return out
}

// columnDefault is pg_get_expr of a column's pg_attrdef row under the
// session's search_path ("" when it has none: an identity column's
// nextval is no default in PostgreSQL, the column's attidentity is).
func columnDefault(env bound.Env, t *catalog.Table, c *catalog.Column) string {
	if c.Identity != 0 || c.Generated != "" {
		return ""
	}
	return qualifyRegclass(env, t, builtins.ColumnDefault(env.Catalog(), t, c, false))
}

// qualifyRegclass rewrites the 'name'::regclass constants of an
// expression as regclass output names the relation under the session's
// search_path (schema-qualified when not visible), as PostgreSQL prints
// its stored OID constants: pg_dump, which empties search_path, then
// writes nextval('public.t_id_seq'::regclass).
func qualifyRegclass(env bound.Env, t *catalog.Table, expr string) string {
	refs := regclassRefs(env, t, expr)
	if len(refs) == 0 {
		return expr
	}
	var b strings.Builder
	last := 0
	for _, r := range refs {
		name := builtins.QuoteIdent(r.name)
		if !builtins.RelationVisible(env, r.schema, r.name) {
			name = builtins.QuoteIdent(builtins.SchemaName(env.Catalog(), r.schema)) + "." + name
		}
		b.WriteString(expr[last:r.start])
		b.WriteString(builtins.QuoteLiteral(name))
		last = r.end
	}
	b.WriteString(expr[last:])
	return b.String()
}

func init() {
	register(&View{Schema: "pg_catalog", Name: "pg_depend", OID: 2608, Kind: 'r',
		Cols: cols(`classid oid, objid oid, objsubid integer, refclassid oid, refobjid oid, refobjsubid integer, deptype "char"`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			deps := dependencies(env)
			rows := make([][]types.Datum, len(deps))
			for i, d := range deps {
				rows[i] = []types.Datum{oid(d.classID), oid(d.objID), i64(int64(d.objSub)), oid(d.refClassID), oid(d.refObj),
					i64(int64(d.refSub)), char(d.depType)}
			}
			return rows, nil
		}})

	// pg_init_privs: the privileges initdb gives; pg_dump dumps only the
	// differences from them. Of the objects this server has, the
	// pg_catalog and public schemas have initial privileges.
	register(&View{Schema: "pg_catalog", Name: "pg_init_privs", OID: 3394, Kind: 'r',
		Cols: cols(`objoid oid, classoid oid, objsubid integer, privtype "char", initprivs aclitem[]`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, s := range Schemas(env) {
				if s.OID != catalog.PgCatalogOID && !(s.Name == "public" && builtins.SchemaOwner(s) == builtins.DatabaseOwnerRoleOID) {
					continue
				}
				if acl := builtins.SchemaACL(s); acl != nil {
					rows = append(rows, []types.Datum{oid(s.OID), oid(classPgNamespace), i64(0), char('i'), textArray(acl)})
				}
			}
			return rows, nil
		}})
}
