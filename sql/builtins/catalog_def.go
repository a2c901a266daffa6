package builtins

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Definitions as pg_get_indexdef, pg_get_constraintdef and pg_get_expr
// print them, from the catalog's descriptors.

// TableIndexes lists a table's real indexes: the primary key's (when
// declared; a table without one is keyed by a hidden row id, which is no
// index) and the secondary ones.
func TableIndexes(t *catalog.Table) []*catalog.Index {
	var out []*catalog.Index
	if t.Primary.Primary {
		out = append(out, &t.Primary)
	}
	for i := range t.Indexes {
		out = append(out, &t.Indexes[i])
	}
	return out
}

// IndexMethod is the index's access method name (btree by default).
func IndexMethod(ix *catalog.Index) string {
	if ix.Method == "" {
		return "btree"
	}
	return ix.Method
}

// IndexDef is pg_get_indexdef(index, col, pretty): the CREATE INDEX
// statement (col 0) or the key of column col. The table is
// schema-qualified, except in pretty mode when visible (see
// RelationName) finds it unqualified.
func IndexDef(cat *catalog.Catalog, t *catalog.Table, ix *catalog.Index, col int, pretty bool, visible func(schema uint32, name string) bool) string {
	colText := func(i int) string {
		if ix.Method == "gin" {
			return GINKeyText(t, ix)
		}
		var s string
		if x := ix.KeyExpr(i); x != nil {
			s = indexExprText(cat, t, x, pretty)
		} else {
			s = QuoteIdent(t.Columns[ix.Columns[i]].Name)
		}
		if col == 0 {
			if ix.ColDesc(i) {
				s += " DESC"
			}
			if nf := ix.ColNullsFirst(i); nf != ix.ColDesc(i) {
				if nf {
					s += " NULLS FIRST"
				} else {
					s += " NULLS LAST"
				}
			}
		}
		return s
	}
	if col > 0 {
		if col > len(ix.Columns) {
			return ""
		}
		return colText(col - 1)
	}
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.Unique {
		b.WriteString("UNIQUE ")
	}
	table := QuoteIdent(SchemaName(cat, t.Schema)) + "." + QuoteIdent(t.Name)
	if pretty {
		table = RelationName(cat, t.Schema, t.Name, visible)
	}
	b.WriteString("INDEX " + QuoteIdent(ix.Name) + " ON " + table + " USING " + IndexMethod(ix) + " (")
	for i := range ix.Columns {
		if i > 0 && ix.Method == "gin" {
			break // one key: the columns are those its expression reads
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(colText(i))
	}
	b.WriteString(")")
	if len(ix.Include) > 0 {
		b.WriteString(" INCLUDE (" + colList(t, ix.Include) + ")")
	}
	if ix.NullsNotDistinct {
		b.WriteString(" NULLS NOT DISTINCT")
	}
	if ix.Predicate != "" {
		d := &Deparser{Cat: cat, Rels: []DeparseRel{{Ref: t.Name, Table: t}}, Pretty: pretty}
		b.WriteString(" WHERE " + d.DeparseExpr(ix.Predicate, types.Bool))
	}
	return b.String()
}

// Constraint is one pg_constraint row of a table: a primary key or unique
// constraint (backed by Index), a CHECK or a foreign key.
type Constraint struct {
	OID   uint32
	Name  string
	Type  byte // contype: 'p', 'u', 'c', 'f'
	Table *catalog.Table
	Index *catalog.Index
	Check *catalog.Check
	FK    *catalog.ForeignKey
}

// TableConstraints lists a table's constraints: primary key, unique
// constraints, checks, foreign keys.
func TableConstraints(t *catalog.Table) []Constraint {
	var out []Constraint
	for _, ix := range TableIndexes(t) {
		if !ix.Constraint {
			continue
		}
		c := Constraint{OID: ix.ConstraintOID, Name: ix.Name, Type: 'u', Table: t, Index: ix}
		if ix.Primary {
			c.Type = 'p'
		}
		out = append(out, c)
	}
	for i := range t.Checks {
		ch := &t.Checks[i]
		out = append(out, Constraint{OID: ch.OID, Name: ch.Name, Type: 'c', Table: t, Check: ch})
	}
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		out = append(out, Constraint{OID: fk.OID, Name: fk.Name, Type: 'f', Table: t, FK: fk})
	}
	return out
}

// FindConstraint finds a constraint by OID in the tables of the catalog.
func FindConstraint(cat *catalog.Catalog, oid uint32) (Constraint, bool) {
	for _, t := range cat.Tables(0) {
		for _, c := range TableConstraints(t) {
			if c.OID == oid {
				return c, true
			}
		}
	}
	return Constraint{}, false
}

func colList(t *catalog.Table, cols []int) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		if c >= 0 && c < len(t.Columns) {
			names[i] = QuoteIdent(t.Columns[c].Name)
		}
	}
	return strings.Join(names, ", ")
}

// ConstraintDef is pg_get_constraintdef(oid, pretty). visible reports
// whether a relation is found unqualified through search_path (the
// referenced table of a foreign key is schema-qualified otherwise).
func ConstraintDef(cat *catalog.Catalog, c Constraint, pretty bool, visible func(schema uint32, name string) bool) string {
	switch c.Type {
	case 'p':
		return "PRIMARY KEY (" + colList(c.Table, c.Index.Columns) + ")"
	case 'u':
		if c.Index.NullsNotDistinct {
			return "UNIQUE NULLS NOT DISTINCT (" + colList(c.Table, c.Index.Columns) + ")"
		}
		return "UNIQUE (" + colList(c.Table, c.Index.Columns) + ")"
	case 'c':
		d := &Deparser{Cat: cat, Rels: []DeparseRel{{Ref: c.Table.Name, Table: c.Table}}, Pretty: pretty}
		return "CHECK (" + d.DeparseExpr(c.Check.Expr, types.Bool) + ")"
	case 'f':
		fk := c.FK
		var b strings.Builder
		b.WriteString("FOREIGN KEY (" + colList(c.Table, fk.Cols) + ") REFERENCES ")
		if rt := cat.Table(fk.RefTable); rt != nil {
			b.WriteString(RelationName(cat, rt.Schema, rt.Name, visible))
			b.WriteString("(" + colList(rt, fk.RefCols) + ")")
		}
		if a := fkAction(fk.OnUpdate); a != "" {
			b.WriteString(" ON UPDATE " + a)
		}
		if a := fkAction(fk.OnDelete); a != "" {
			b.WriteString(" ON DELETE " + a)
		}
		if fk.Deferrable {
			b.WriteString(" DEFERRABLE")
		}
		if fk.InitDeferred {
			b.WriteString(" INITIALLY DEFERRED")
		}
		return b.String()
	}
	return ""
}

func fkAction(a byte) string {
	switch a {
	case catalog.FKRestrict:
		return "RESTRICT"
	case catalog.FKCascade:
		return "CASCADE"
	case catalog.FKSetNull:
		return "SET NULL"
	case catalog.FKSetDefault:
		return "SET DEFAULT"
	}
	return ""
}

// FKActionCode is confupdtype/confdeltype: 'a' (no action) when unset.
func FKActionCode(a byte) byte {
	if a == 0 {
		return catalog.FKNoAction
	}
	return a
}

// RelationName is generate_relation_name: the name, schema-qualified when
// search_path would not find this relation by it.
func RelationName(cat *catalog.Catalog, schema uint32, name string, visible func(schema uint32, name string) bool) string {
	if visible == nil || visible(schema, name) {
		return QuoteIdent(name)
	}
	if s := cat.Schema(schema); s != nil {
		return QuoteIdent(s.Name) + "." + QuoteIdent(name)
	}
	return QuoteIdent(name)
}

// ColumnDefault is pg_get_expr(adbin, adrelid, pretty) of a column's
// default ("" for none: PostgreSQL stores no DEFAULT NULL).
func ColumnDefault(cat *catalog.Catalog, t *catalog.Table, c *catalog.Column, pretty bool) string {
	if c.Default == "" {
		return ""
	}
	d := &Deparser{Cat: cat, Rels: []DeparseRel{{Ref: t.Name, Table: t}}, Pretty: pretty}
	x := d.Analyze(c.Default, c.Type)
	if x == nil {
		return c.Default
	}
	if IsNullConst(x) {
		return ""
	}
	return d.Print(x)
}

// GeneratedExpr is pg_get_expr of a generated column's expression.
func GeneratedExpr(cat *catalog.Catalog, t *catalog.Table, c *catalog.Column, pretty bool) string {
	d := &Deparser{Cat: cat, Rels: []DeparseRel{{Ref: t.Name, Table: t}}, Pretty: pretty}
	return d.DeparseExpr(c.Generated, c.Type)
}
