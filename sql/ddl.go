package sql

import (
	"context"
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// deparseExpr renders an expression node back to SQL text for storage
// (defaults, CHECK constraints), through PostgreSQL's own deparser.
func deparseExpr(n *pg_query.Node) (string, error) {
	tree := &pg_query.ParseResult{Version: parseTreeVersion(), Stmts: []*pg_query.RawStmt{{Stmt: &pg_query.Node{Node: &pg_query.Node_SelectStmt{
		SelectStmt: &pg_query.SelectStmt{TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: n}}}}},
	}}}}}
	s, err := pg_query.Deparse(tree)
	if err != nil {
		return "", pgerror.New(pgerror.InternalError, "cannot store expression: %v", err)
	}
	return strings.TrimPrefix(s, "SELECT "), nil
}

// uniqueName picks name, or name1, name2 ... if taken in the schema.
func uniqueName(cat *catalog.Catalog, schema uint32, name string) string {
	if len(name) > 63 {
		name = name[:63]
	}
	return uniqueWithin(name, func(n string) bool {
		_, _, taken := cat.Relation(schema, n)
		return taken
	})
}

// uniqueWithin returns name, or name1, name2 ... the first that taken
// does not claim (PostgreSQL's ChooseConstraintName).
func uniqueWithin(name string, taken func(string) bool) string {
	if !taken(name) {
		return name
	}
	for i := 1; ; i++ {
		if c := fmt.Sprintf("%s%d", name, i); !taken(c) {
			return c
		}
	}
}

func uniqueCheckName(t *catalog.Table, name string) string {
	return uniqueWithin(name, func(n string) bool {
		for _, c := range t.Checks {
			if c.Name == n {
				return true
			}
		}
		return false
	})
}

func (s *Session) execCreateTable(ctx context.Context, st *pg_query.CreateStmt, w ResultWriter) error {
	if st.Partspec != nil || len(st.InhRelations) > 0 || st.OfTypename != nil {
		return pgerror.New(pgerror.FeatureNotSupported, "partitioned, inherited and typed tables are not supported yet")
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	temp := st.Relation.Relpersistence == "t" || st.Relation.Schemaname == "pg_temp"
	onCommit, err := onCommitOf(st.Oncommit, temp)
	if err != nil {
		return err
	}
	var schema uint32
	if temp {
		schema, err = s.tempCreationSchema(cat, st.Relation.Schemaname)
	} else {
		schema, err = s.creationSchema(cat, st.Relation.Schemaname)
	}
	if err != nil {
		return err
	}
	name := st.Relation.Relname
	if _, _, exists := cat.Relation(schema, name); exists {
		if st.IfNotExists {
			w.Notice(pgerror.Notice("relation \"%s\" already exists, skipping", name))
			return w.Complete("CREATE TABLE")
		}
		return pgerror.New(pgerror.DuplicateTable, "relation \"%s\" already exists", name)
	}
	t := &catalog.Table{OID: cat.AllocOID(), Schema: schema, Name: name, Kind: catalog.RelTable, Owner: catalog.PostgresRoleOID, NextIndexID: 2}
	for _, o := range st.Options {
		if de := o.GetDefElem(); de != nil {
			if t.Options == nil {
				t.Options = map[string]string{}
			}
			if err := checkTableOption(de.Defname, defElemText(de)); err != nil {
				return err
			}
			t.Options[de.Defname] = defElemText(de)
		}
	}
	type pendingKey struct {
		cols             []string
		name             string
		nullsNotDistinct bool
		primary          bool
	}
	var keys []pendingKey
	var checks []*pg_query.Constraint
	var checkCols []string
	var fks []*pg_query.Constraint
	var identities []int
	var identityOpts [][]*pg_query.Node
	var serials []int
	for _, elt := range st.TableElts {
		switch {
		case elt.GetColumnDef() != nil:
			cd := elt.GetColumnDef()
			if idx, _ := t.ColumnByName(cd.Colname); idx >= 0 {
				return pgerror.New(pgerror.DuplicateColumn, "column \"%s\" specified more than once", cd.Colname)
			}
			col := catalog.Column{Name: cd.Colname, Attnum: int16(len(t.Columns) + 1), NotNull: cd.IsNotNull}
			if st, _, ok := serialType(cd.TypeName); ok {
				col.Type, col.NotNull = st, true
				serials = append(serials, len(t.Columns))
			} else {
				b := newBinder(s, nil)
				if col.Type, err = b.typeName(cd.TypeName); err != nil {
					return err
				}
			}
			var lastFK *pg_query.Constraint // DEFERRABLE etc. follow the constraint they modify
			for _, cn := range cd.Constraints {
				c := cn.GetConstraint()
				if err := constraintAttr(c, lastFK); err != nil {
					return err
				}
				if !isConstraintAttr(c) {
					lastFK = nil
				}
				switch c.Contype {
				case pg_query.ConstrType_CONSTR_NOTNULL:
					col.NotNull = true
				case pg_query.ConstrType_CONSTR_NULL:
					col.NotNull = false
				case pg_query.ConstrType_CONSTR_DEFAULT:
					if col.Default, err = deparseExpr(c.RawExpr); err != nil {
						return err
					}
				case pg_query.ConstrType_CONSTR_PRIMARY:
					keys = append(keys, pendingKey{cols: []string{cd.Colname}, name: c.Conname, primary: true})
					col.NotNull = true
				case pg_query.ConstrType_CONSTR_UNIQUE:
					keys = append(keys, pendingKey{cols: []string{cd.Colname}, name: c.Conname, nullsNotDistinct: c.NullsNotDistinct})
				case pg_query.ConstrType_CONSTR_CHECK:
					checks = append(checks, c)
					checkCols = append(checkCols, cd.Colname)
				case pg_query.ConstrType_CONSTR_FOREIGN:
					c.FkAttrs = []*pg_query.Node{{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: cd.Colname}}}}
					fks = append(fks, c)
					lastFK = c
				case pg_query.ConstrType_CONSTR_IDENTITY:
					col.Identity = c.GeneratedWhen[0]
					col.NotNull = true
					identities = append(identities, len(t.Columns))
					identityOpts = append(identityOpts, c.Options)
				case pg_query.ConstrType_CONSTR_GENERATED:
					if col.Generated, err = deparseExpr(c.RawExpr); err != nil {
						return err
					}
				}
			}
			t.Columns = append(t.Columns, col)
		case elt.GetConstraint() != nil:
			c := elt.GetConstraint()
			var cols []string
			for _, k := range c.Keys {
				cols = append(cols, strVal(k))
			}
			if err := constraintAttr(c, nil); err != nil {
				return err
			}
			switch c.Contype {
			case pg_query.ConstrType_CONSTR_PRIMARY:
				keys = append(keys, pendingKey{cols: cols, name: c.Conname, primary: true})
			case pg_query.ConstrType_CONSTR_UNIQUE:
				keys = append(keys, pendingKey{cols: cols, name: c.Conname, nullsNotDistinct: c.NullsNotDistinct})
			case pg_query.ConstrType_CONSTR_CHECK:
				checks = append(checks, c)
				checkCols = append(checkCols, "")
			case pg_query.ConstrType_CONSTR_FOREIGN:
				fks = append(fks, c)
			default:
				return pgerror.New(pgerror.FeatureNotSupported, "constraint type %s is not supported yet", c.Contype)
			}
		default:
			return pgerror.New(pgerror.FeatureNotSupported, "table element %s is not supported yet", nodeName(elt))
		}
	}
	for _, ci := range serials {
		s.ownSerialSequence(cat, t, &t.Columns[ci])
	}
	for i, ci := range identities {
		if err := s.ownSequence(cat, t, &t.Columns[ci], identityOpts[i]); err != nil {
			return err
		}
	}
	sawPrimary := false
	for _, k := range keys {
		ix := catalog.Index{Unique: true, Primary: k.primary, Constraint: true, NullsNotDistinct: k.nullsNotDistinct}
		for _, cn := range k.cols {
			idx, _ := t.ColumnByName(cn)
			if idx < 0 {
				return pgerror.New(pgerror.UndefinedColumn, "column \"%s\" named in key does not exist", cn)
			}
			ix.Columns = append(ix.Columns, idx)
			if k.primary {
				t.Columns[idx].NotNull = true
			}
		}
		if k.primary {
			if sawPrimary {
				return pgerror.New(pgerror.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", t.Name)
			}
			sawPrimary = true
			ix.Name = k.name
			if ix.Name == "" {
				ix.Name = uniqueName(cat, schema, t.Name+"_pkey")
			}
			ix.ID, ix.OID, ix.ConstraintOID = catalog.PrimaryIndexID, cat.AllocOID(), cat.AllocOID()
			t.Primary = ix
			continue
		}
		ix.Name = k.name
		if ix.Name == "" {
			ix.Name = uniqueName(cat, schema, t.Name+"_"+strings.Join(k.cols, "_")+"_key")
		}
		ix.ID, ix.OID, ix.ConstraintOID = t.NextIndexID, cat.AllocOID(), cat.AllocOID()
		t.NextIndexID++
		t.Indexes = append(t.Indexes, ix)
	}
	if !sawPrimary {
		// No primary key: rows are keyed by a hidden row id.
		t.Columns = append(t.Columns, catalog.Column{Name: "rowid", Type: types.Int8, Attnum: -1, Hidden: true, NotNull: true})
		t.Primary = catalog.Index{ID: catalog.PrimaryIndexID, Name: t.Name + "_rowid", Columns: []int{len(t.Columns) - 1}}
	}
	for i, c := range checks {
		text, err := deparseExpr(c.RawExpr)
		if err != nil {
			return err
		}
		name := c.Conname
		if name == "" {
			col := checkCols[i]
			if col == "" {
				col = firstColumnIn(c.RawExpr, t)
			}
			if col != "" {
				name = uniqueCheckName(t, t.Name+"_"+col+"_check")
			} else {
				name = uniqueCheckName(t, t.Name+"_check")
			}
		}
		t.Checks = append(t.Checks, catalog.Check{OID: cat.AllocOID(), Name: name, Expr: text})
	}
	for _, c := range fks {
		fk, err := s.foreignKey(cat, t, c)
		if err != nil {
			return err
		}
		t.ForeignKeys = append(t.ForeignKeys, *fk)
	}
	// Validate defaults and checks now, as PostgreSQL does at CREATE.
	cat.PutTable(t)
	b := newBinder(s, nil)
	b.cat = cat
	if _, err := b.tableDefaults(t); err != nil {
		return err
	}
	if _, err := b.tableChecks(t); err != nil {
		return err
	}
	if err := s.applyTableTTL(ctx, cat, nil, t); err != nil {
		return err
	}
	s.kvTxn()
	s.noteOnCommit(t.OID, onCommit)
	return w.Complete("CREATE TABLE")
}

// foreignKey resolves a FOREIGN KEY constraint of t (which may reference
// itself): the referenced columns must be its primary key or a unique
// index, of comparable types.
func (s *Session) foreignKey(cat *catalog.Catalog, t *catalog.Table, c *pg_query.Constraint) (*catalog.ForeignKey, error) {
	var ref *catalog.Table
	if c.Pktable.Relname == t.Name && (c.Pktable.Schemaname == "" || cat.SchemaByName(s.dbOID, c.Pktable.Schemaname).OID == t.Schema) {
		ref = t
	} else {
		r, err := s.resolveTable(cat, c.Pktable)
		if err != nil {
			return nil, err
		}
		ref = r
	}
	// PostgreSQL's ATAddForeignKeyConstraint: permanent and temporary
	// tables never reference each other.
	if tTemp, refTemp := isTempRelation(cat, t), isTempRelation(cat, ref); tTemp != refTemp {
		if tTemp {
			return nil, pgerror.New(pgerror.InvalidTableDefinition, "constraints on temporary tables may reference only temporary tables")
		}
		return nil, pgerror.New(pgerror.InvalidTableDefinition, "constraints on permanent tables may reference only permanent tables")
	}
	fk := &catalog.ForeignKey{OID: cat.AllocOID(), Name: c.Conname, RefTable: ref.OID,
		OnDelete: fkAction(c.FkDelAction), OnUpdate: fkAction(c.FkUpdAction)}
	var names []string
	for _, a := range c.FkAttrs {
		idx, _ := t.ColumnByName(strVal(a))
		if idx < 0 {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" referenced in foreign key constraint does not exist", strVal(a))
		}
		fk.Cols = append(fk.Cols, idx)
		names = append(names, strVal(a))
	}
	if len(c.PkAttrs) == 0 {
		if !ref.HasPrimaryKey() {
			return nil, pgerror.New(pgerror.InvalidForeignKey, "there is no primary key for referenced table \"%s\"", ref.Name)
		}
		fk.RefCols = append(fk.RefCols, ref.Primary.Columns...)
	}
	for _, a := range c.PkAttrs {
		idx, _ := ref.ColumnByName(strVal(a))
		if idx < 0 {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" referenced in foreign key constraint does not exist", strVal(a))
		}
		fk.RefCols = append(fk.RefCols, idx)
	}
	if len(fk.Cols) != len(fk.RefCols) {
		return nil, pgerror.New(pgerror.InvalidForeignKey, "number of referencing and referenced columns for foreign key disagree")
	}
	if ref.KeyIndex(fk.RefCols) == nil {
		return nil, pgerror.New(pgerror.InvalidForeignKey, "there is no unique constraint matching given keys for referenced table \"%s\"", ref.Name)
	}
	if ref.TTL() != nil {
		return nil, errTTLReferenced(ref)
	}
	for i := range fk.Cols {
		a, b := t.Columns[fk.Cols[i]], ref.Columns[fk.RefCols[i]]
		if !comparable(a.Type, b.Type) {
			return nil, pgerror.New(pgerror.DatatypeMismatch, "foreign key constraint \"%s\" cannot be implemented", fk.Name).
				WithDetail("Key columns \"%s\" and \"%s\" are of incompatible types: %s and %s.", a.Name, b.Name, types.FormatType(a.Type), types.FormatType(b.Type))
		}
	}
	if c.Initdeferred && !c.Deferrable {
		// INITIALLY DEFERRED alone implies DEFERRABLE (gram.y processCASbits).
		c.Deferrable = true
	}
	fk.Deferrable, fk.InitDeferred = c.Deferrable, c.Initdeferred
	if fk.Name == "" {
		fk.Name = uniqueConstraintName(t, t.Name+"_"+strings.Join(names, "_")+"_fkey")
	}
	return fk, nil
}

func fkAction(a string) byte {
	if a == "" {
		return catalog.FKNoAction
	}
	return a[0]
}

func uniqueConstraintName(t *catalog.Table, name string) string {
	return uniqueWithin(name, func(n string) bool {
		for _, fk := range t.ForeignKeys {
			if fk.Name == n {
				return true
			}
		}
		return false
	})
}

// serialType maps serial type names to their integer type.
func serialType(tn *pg_query.TypeName) (types.Type, int, bool) {
	if len(tn.Names) != 1 {
		return types.Type{}, 0, false
	}
	switch strings.ToLower(strVal(tn.Names[0])) {
	case "serial", "serial4":
		return types.Int4, 32, true
	case "bigserial", "serial8":
		return types.Int8, 64, true
	case "smallserial", "serial2":
		return types.Int2, 16, true
	}
	return types.Type{}, 0, false
}

// ownSerialSequence gives a serial column its sequence, named
// <table>_<column>_seq and owned by the column, and the nextval default.
func (s *Session) ownSerialSequence(cat *catalog.Catalog, t *catalog.Table, col *catalog.Column) {
	_ = s.ownSequence(cat, t, col, nil)
}

// ownSequence gives a serial or identity column its sequence; opts are the
// sequence options of an identity clause (START WITH, INCREMENT BY, ...,
// SEQUENCE NAME), applied as CREATE SEQUENCE applies them.
func (s *Session) ownSequence(cat *catalog.Catalog, t *catalog.Table, col *catalog.Column, opts []*pg_query.Node) error {
	bits := map[uint32]int{types.Int2OID: 16, types.Int4OID: 32, types.Int8OID: 64}[col.Type.OID]
	seq := &catalog.Sequence{OID: cat.AllocOID(), Schema: t.Schema, Owner: t.Owner, Type: col.Type, OwnedByTable: t.OID, OwnedByColumn: col.Attnum}
	var rest []*pg_query.Node
	for _, o := range opts {
		de := o.GetDefElem()
		if de == nil || de.Defname != "sequence_name" {
			rest = append(rest, o)
			continue
		}
		var parts []string
		for _, it := range de.Arg.GetList().GetItems() {
			parts = append(parts, strVal(it))
		}
		if len(parts) == 0 {
			continue
		}
		seq.Name = parts[len(parts)-1]
		if len(parts) > 1 {
			schema, err := s.creationSchema(cat, parts[len(parts)-2])
			if err != nil {
				return err
			}
			seq.Schema = schema
		}
		if _, _, exists := cat.Relation(seq.Schema, seq.Name); exists {
			return pgerror.New(pgerror.DuplicateTable, "relation \"%s\" already exists", seq.Name)
		}
	}
	if seq.Name == "" {
		seq.Name = uniqueName(cat, t.Schema, t.Name+"_"+col.Name+"_seq")
	}
	var err error
	if bits, err = s.applySequenceOptions(seq, bits, rest); err != nil {
		return err
	}
	sequenceBounds(seq, bits)
	if seq.Start < seq.Min {
		return pgerror.New(pgerror.InvalidParameterValue, "START value (%d) cannot be less than MINVALUE (%d)", seq.Start, seq.Min)
	}
	if seq.Start > seq.Max {
		return pgerror.New(pgerror.InvalidParameterValue, "START value (%d) cannot be greater than MAXVALUE (%d)", seq.Start, seq.Max)
	}
	cat.PutSequence(seq)
	col.Default = fmt.Sprintf("nextval('%s'::regclass)", quoteQualified(s, cat, seq.Schema, seq.Name))
	col.NotNull = true
	return nil
}

// firstColumnIn names the first column a CHECK expression mentions (for
// PostgreSQL's <table>_<column>_check naming).
func firstColumnIn(n *pg_query.Node, t *catalog.Table) string {
	found := ""
	var walk func(x *pg_query.Node)
	walk = func(x *pg_query.Node) {
		if x == nil || found != "" {
			return
		}
		if cr := x.GetColumnRef(); cr != nil {
			name := strVal(cr.Fields[len(cr.Fields)-1])
			if idx, _ := t.ColumnByName(name); idx >= 0 {
				found = name
			}
			return
		}
		if a := x.GetAExpr(); a != nil {
			walk(a.Lexpr)
			walk(a.Rexpr)
		}
		if be := x.GetBoolExpr(); be != nil {
			for _, a := range be.Args {
				walk(a)
			}
		}
		if fc := x.GetFuncCall(); fc != nil {
			for _, a := range fc.Args {
				walk(a)
			}
		}
		if tc := x.GetTypeCast(); tc != nil {
			walk(tc.Arg)
		}
		if nt := x.GetNullTest(); nt != nil {
			walk(nt.Arg)
		}
		if l := x.GetList(); l != nil {
			for _, a := range l.Items {
				walk(a)
			}
		}
	}
	walk(n)
	return found
}

// quoteQualified renders a relation name as nextval('...') needs it: the
// schema is omitted when search_path finds the relation anyway.
func quoteQualified(s *Session, cat *catalog.Catalog, schema uint32, name string) string {
	q := quoteIdent(name)
	if sc := cat.Schema(schema); sc != nil {
		if oid, _, ok := s.lookupRelation(cat, "", name); !ok || cat.Sequence(oid) == nil || cat.Sequence(oid).Schema != schema {
			if !(len(s.searchPath()) > 0 && s.searchPath()[0] == sc.Name) {
				return quoteIdent(sc.Name) + "." + q
			}
		}
	}
	return q
}

func quoteIdent(s string) string {
	plain := s != ""
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || (i > 0 && (r >= '0' && r <= '9' || r == '$'))) {
			plain = false
			break
		}
	}
	if plain && !reservedWords[s] {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

var reservedWords = map[string]bool{"all": true, "and": true, "any": true, "array": true, "as": true, "asc": true, "case": true,
	"check": true, "column": true, "constraint": true, "create": true, "default": true, "desc": true, "distinct": true, "do": true,
	"else": true, "end": true, "false": true, "for": true, "foreign": true, "from": true, "grant": true, "group": true, "having": true,
	"in": true, "into": true, "limit": true, "not": true, "null": true, "offset": true, "on": true, "or": true, "order": true,
	"primary": true, "references": true, "select": true, "table": true, "then": true, "to": true, "true": true, "union": true,
	"unique": true, "user": true, "using": true, "when": true, "where": true, "with": true}

// indexTarget resolves the table CREATE INDEX names (a table, not a view or
// sequence) and returns the DDL catalog, the table and a copy to change.
func (s *Session) indexTarget(ctx context.Context, st *pg_query.IndexStmt) (*catalog.Catalog, *catalog.Table, *catalog.Table, error) {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	old, err := s.resolveTable(cat, st.Relation)
	if err != nil {
		return nil, nil, nil, err
	}
	if old.Kind != catalog.RelTable && old.Kind != catalog.RelMatView {
		return nil, nil, nil, pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a table", old.Name)
	}
	return cat, old, old.Clone(), nil
}

func (s *Session) execCreateIndex(ctx context.Context, st *pg_query.IndexStmt, w ResultWriter) error {
	if st.AccessMethod == "gin" {
		return s.execCreateGINIndex(ctx, st, w)
	}
	if st.AccessMethod != "" && st.AccessMethod != "btree" {
		return pgerror.New(pgerror.FeatureNotSupported, "index access method \"%s\" is not supported yet", st.AccessMethod)
	}
	cat, old, t, err := s.indexTarget(ctx, st)
	if err != nil {
		return err
	}
	ix := catalog.Index{Unique: st.Unique, Method: "btree", NullsNotDistinct: st.Unique && st.NullsNotDistinct}
	var colNames []string
	for _, p := range st.IndexIncludingParams {
		ie := p.GetIndexElem()
		if ie.Expr != nil {
			return pgerror.New(pgerror.FeatureNotSupported, "expressions are not supported in included columns")
		}
		idx, _ := t.ColumnByName(ie.Name)
		if idx < 0 {
			return pgerror.New(pgerror.UndefinedColumn, "column \"%s\" does not exist", ie.Name)
		}
		ix.Include = append(ix.Include, idx)
	}
	for i, p := range st.IndexParams {
		ie := p.GetIndexElem()
		if ie.Expr != nil {
			// An expression key column (ddl_index_expr.go): Columns holds
			// -1 for it, as pg_index.indkey holds 0.
			x, err := s.indexKeyExpr(t, ie.Expr)
			if err != nil {
				return err
			}
			if ix.Exprs == nil {
				ix.Exprs = make([]catalog.IndexExpr, len(st.IndexParams))
			}
			ix.Exprs[i] = x
			ix.Columns = append(ix.Columns, -1)
			ie.Name = indexExprName(ie.Expr)
		} else {
			idx, _ := t.ColumnByName(ie.Name)
			if idx < 0 {
				return pgerror.New(pgerror.UndefinedColumn, "column \"%s\" does not exist", ie.Name)
			}
			ix.Columns = append(ix.Columns, idx)
		}
		desc := ie.Ordering == pg_query.SortByDir_SORTBY_DESC
		ix.Desc = append(ix.Desc, desc)
		nullsFirst := desc
		switch ie.NullsOrdering {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			nullsFirst = true
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			nullsFirst = false
		}
		ix.NullsFirst = append(ix.NullsFirst, nullsFirst)
		colNames = append(colNames, ie.Name)
	}
	// NULLS FIRST/LAST is kept only where some column departs from the
	// default (NULLs first exactly in DESC columns).
	nonDefault := false
	for i := range ix.NullsFirst {
		nonDefault = nonDefault || ix.NullsFirst[i] != ix.Desc[i]
	}
	if !nonDefault {
		ix.NullsFirst = nil
	}
	if st.WhereClause != nil {
		if err := s.indexPredicate(t, st.WhereClause, &ix); err != nil {
			return err
		}
	}
	ix.Name = st.Idxname
	if ix.Name == "" {
		ix.Name = uniqueName(cat, t.Schema, t.Name+"_"+strings.Join(indexColumnNames(colNames), "_")+"_idx")
	} else if _, _, exists := cat.Relation(t.Schema, ix.Name); exists {
		if st.IfNotExists {
			w.Notice(pgerror.Notice("relation \"%s\" already exists, skipping", ix.Name))
			return w.Complete("CREATE INDEX")
		}
		return pgerror.New(pgerror.DuplicateTable, "relation \"%s\" already exists", ix.Name)
	}
	ix.ID, ix.OID = t.NextIndexID, cat.AllocOID()
	t.NextIndexID++
	t.Indexes = append(t.Indexes, ix)
	if err := s.backfillIndex(ctx, old, t, &t.Indexes[len(t.Indexes)-1]); err != nil {
		return err
	}
	cat.PutTable(t)
	return w.Complete("CREATE INDEX")
}

// backfillIndex writes index entries for the rows already in the table.
func (s *Session) backfillIndex(ctx context.Context, old, t *catalog.Table, ix *catalog.Index) error {
	txn := s.kvTxn()
	codec := executor.NewTableCodec(t)
	var ic *executor.IndexCodec
	for i := range codec.Indexes {
		if codec.Indexes[i].Index.ID == ix.ID {
			ic = &codec.Indexes[i]
		}
	}
	it := txn.Scan(kv.ScanOptions{Prefix: codec.Prefix})
	defer it.Close()
	row := make([]types.Datum, len(codec.ColTypes))
	expired := s.expiredRows(ctx, old)
	ev := s.evalCtx(ctx)
	for it.Next() {
		if expired.Add(it.Key(), it.Value()) {
			continue // not indexed: deleted below (ttl.go)
		}
		r, err := codec.DecodeRow(it.Value(), row)
		if err != nil {
			return err
		}
		key, val, unique, err := ic.Entry(ev, codec, r, it.Key())
		if err != nil {
			return err
		}
		if key == nil {
			continue // outside a partial index
		}
		if unique {
			if _, exists, err := txn.Get(key); err != nil {
				return err
			} else if exists {
				vals, _, err := ic.KeyValues(ev, r)
				if err != nil {
					return err
				}
				return pgerror.New(pgerror.UniqueViolation, "could not create unique index \"%s\"", ix.Name).
					WithDetail("Key (%s)=(%s) is duplicated.", keyColumns(t, ix), keyValues(s, t, ix, vals))
			}
			if err := txn.PutNew(key, val); err != nil {
				return err
			}
		} else if err := txn.Put(key, val); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return expired.Delete()
}

func keyColumns(t *catalog.Table, ix *catalog.Index) string {
	var names []string
	for i, c := range ix.Columns {
		if x := ix.KeyExpr(i); x != nil {
			names = append(names, x.Text)
			continue
		}
		names = append(names, t.Columns[c].Name)
	}
	return strings.Join(names, ", ")
}

// keyValues prints an index key's values (vals: one per key column).
func keyValues(s *Session, t *catalog.Table, ix *catalog.Index, keyVals []types.Datum) string {
	var vals []string
	for i, v := range keyVals {
		if v.K == types.KindNull {
			vals = append(vals, "null")
			continue
		}
		vals = append(vals, string(types.AppendText(nil, v, ix.KeyType(t, i), s.types)))
	}
	return strings.Join(vals, ", ")
}

func (s *Session) execDrop(ctx context.Context, st *pg_query.DropStmt, w ResultWriter) error {
	var tag string
	switch st.RemoveType {
	case pg_query.ObjectType_OBJECT_TABLE:
		tag = "DROP TABLE"
	case pg_query.ObjectType_OBJECT_INDEX:
		tag = "DROP INDEX"
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		tag = "DROP SEQUENCE"
	case pg_query.ObjectType_OBJECT_VIEW:
		tag = "DROP VIEW"
	case pg_query.ObjectType_OBJECT_MATVIEW:
		tag = "DROP MATERIALIZED VIEW"
	default:
		return pgerror.New(pgerror.FeatureNotSupported, "DROP %s is not supported yet", strings.TrimPrefix(st.RemoveType.String(), "OBJECT_"))
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	cascade := st.Behavior == pg_query.DropBehavior_DROP_CASCADE
	for _, obj := range st.Objects {
		var parts []string
		for _, n := range obj.GetList().GetItems() {
			parts = append(parts, strVal(n))
		}
		schema, name := "", parts[len(parts)-1]
		if len(parts) >= 2 {
			schema = parts[len(parts)-2]
		}
		display := strings.Join(parts, ".")
		oid, kind, ok := s.lookupRelation(cat, schema, name)
		wantKind := map[string]byte{"DROP TABLE": catalog.RelTable, "DROP INDEX": catalog.RelIndex, "DROP SEQUENCE": catalog.RelSequence, "DROP VIEW": catalog.RelView, "DROP MATERIALIZED VIEW": catalog.RelMatView}[tag]
		if !ok {
			if st.MissingOk {
				noun := strings.ToLower(strings.TrimPrefix(tag, "DROP "))
				w.Notice(pgerror.Notice("%s \"%s\" does not exist, skipping", noun, display))
				continue
			}
			if schema != "" {
				if _, ok := s.schemaOID(cat, schema); !ok {
					return pgerror.New(pgerror.InvalidSchemaName, "schema \"%s\" does not exist", schema)
				}
			}
			noun := strings.ToLower(strings.TrimPrefix(tag, "DROP "))
			code := pgerror.UndefinedTable
			if tag == "DROP INDEX" {
				code = pgerror.UndefinedObject
			}
			return pgerror.New(code, "%s \"%s\" does not exist", noun, display)
		}
		if kind != wantKind {
			return pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a%s %s", display, map[bool]string{true: "n", false: ""}[tag == "DROP INDEX"], strings.ToLower(strings.TrimPrefix(tag, "DROP "))).
				WithHint("Use DROP %s to remove a %s.", kindWord(kind, true), kindWord(kind, false))
		}
		switch kind {
		case catalog.RelView:
			v := cat.Table(oid)
			if err := s.dropDependentViews(cat, v, cascade, w); err != nil {
				return err
			}
			cat.DropTable(oid)
		case catalog.RelMatView:
			v := cat.Table(oid)
			if err := s.dropDependentViews(cat, v, cascade, w); err != nil {
				return err
			}
			if err := s.dropTable(cat, v); err != nil {
				return err
			}
		case catalog.RelTable:
			t := cat.Table(oid)
			if err := s.dropDependentViews(cat, t, cascade, w); err != nil {
				return err
			}
			for _, r := range cat.ReferencingKeys(oid) {
				if r.Table.OID == oid {
					continue // a self-reference goes with the table
				}
				if !cascade {
					return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop table %s because other objects depend on it", t.Name).
						WithDetail("constraint %s on table %s depends on table %s", r.FK.Name, r.Table.Name, t.Name).
						WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
				}
				w.Notice(pgerror.Notice("drop cascades to constraint %s on table %s", r.FK.Name, r.Table.Name))
				child := cat.Table(r.Table.OID).Clone()
				for i := range child.ForeignKeys {
					if child.ForeignKeys[i].Name == r.FK.Name {
						child.ForeignKeys = append(child.ForeignKeys[:i], child.ForeignKeys[i+1:]...)
						break
					}
				}
				cat.PutTable(child)
			}
			if err := s.dropTable(cat, t); err != nil {
				return err
			}
		case catalog.RelIndex:
			t, ix := cat.IndexOwner(oid)
			if ix.Constraint {
				return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop index %s because constraint %s on table %s requires it", ix.Name, ix.Name, t.Name).
					WithHint("You can drop constraint %s on table %s instead.", ix.Name, t.Name)
			}
			nt := t.Clone()
			for i := range nt.Indexes {
				if nt.Indexes[i].OID == oid {
					if err := s.deleteRange(catalog.IndexPrefix(nil, t.OID, ix.ID)); err != nil {
						return err
					}
					nt.Indexes = append(nt.Indexes[:i], nt.Indexes[i+1:]...)
					break
				}
			}
			cat.PutTable(nt)
		case catalog.RelSequence:
			seq := cat.Sequence(oid)
			if seq.OwnedByTable != 0 && !cascade {
				// OWNED BY alone does not hold a sequence back; a column
				// default that calls it does (serial columns).
				if owner := cat.Table(seq.OwnedByTable); owner != nil {
					for _, c := range owner.Columns {
						if !c.Dropped && strings.Contains(c.Default, "'"+seq.Name+"'") {
							return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop sequence %s because other objects depend on it", seq.Name).
								WithDetail("default value for column %s of table %s depends on sequence %s", c.Name, owner.Name, seq.Name).
								WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
						}
					}
				}
			}
			cat.DropSequence(oid)
			s.kvTxn().Delete(catalog.SequenceKey(oid))
			s.e.seqs.drop(oid)
		}
	}
	return w.Complete(tag)
}

func kindWord(kind byte, upper bool) string {
	w := map[byte]string{catalog.RelTable: "table", catalog.RelIndex: "index", catalog.RelSequence: "sequence", catalog.RelView: "view", catalog.RelMatView: "materialized view"}[kind]
	if upper {
		return strings.ToUpper(w)
	}
	return w
}

// dropTable removes a table, its rows and index entries, and the
// sequences it owns.
func (s *Session) dropTable(cat *catalog.Catalog, t *catalog.Table) error {
	if err := s.deleteRange(catalog.TablePrefix(t.OID)); err != nil {
		return err
	}
	for _, seq := range cat.Sequences(0) {
		if seq.OwnedByTable == t.OID {
			cat.DropSequence(seq.OID)
			s.kvTxn().Delete(catalog.SequenceKey(seq.OID))
			s.e.seqs.drop(seq.OID)
		}
	}
	cat.DropTable(t.OID)
	return nil
}

// deleteRange deletes every key with the prefix in the transaction.
func (s *Session) deleteRange(prefix []byte) error {
	txn := s.kvTxn()
	it := txn.Scan(kv.ScanOptions{Prefix: prefix})
	var keys [][]byte
	for it.Next() {
		keys = append(keys, it.Key())
	}
	it.Close()
	for _, k := range keys {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	return it.Err()
}

func (s *Session) execCreateSequence(ctx context.Context, st *pg_query.CreateSeqStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	var schema uint32
	if st.Sequence.Relpersistence == "t" {
		schema, err = s.tempCreationSchema(cat, st.Sequence.Schemaname)
	} else {
		schema, err = s.creationSchema(cat, st.Sequence.Schemaname)
	}
	if err != nil {
		return err
	}
	name := st.Sequence.Relname
	if _, _, exists := cat.Relation(schema, name); exists {
		if st.IfNotExists {
			w.Notice(pgerror.Notice("relation \"%s\" already exists, skipping", name))
			return w.Complete("CREATE SEQUENCE")
		}
		return pgerror.New(pgerror.DuplicateTable, "relation \"%s\" already exists", name)
	}
	seq := &catalog.Sequence{OID: cat.AllocOID(), Schema: schema, Name: name, Owner: catalog.PostgresRoleOID, Type: types.Int8}
	bits, err := s.applySequenceOptions(seq, 64, st.Options)
	if err != nil {
		return err
	}
	sequenceBounds(seq, bits)
	if seq.Start < seq.Min || seq.Start > seq.Max {
		return pgerror.New(pgerror.InvalidParameterValue, "START value (%d) cannot be less than MINVALUE (%d)", seq.Start, seq.Min)
	}
	cat.PutSequence(seq)
	s.kvTxn()
	return w.Complete("CREATE SEQUENCE")
}

// applySequenceOptions applies CREATE SEQUENCE options (also those of an
// identity column's clause) to seq; bits is the width of its type, and the
// returned width is that of the type an AS option named.
func (s *Session) applySequenceOptions(seq *catalog.Sequence, bits int, opts []*pg_query.Node) (int, error) {
	for _, o := range opts {
		de := o.GetDefElem()
		var iv int64
		hasVal := false
		if de.Arg != nil {
			if c := de.Arg.GetInteger(); c != nil {
				iv, hasVal = int64(c.Ival), true
			} else if f := de.Arg.GetFloat(); f != nil {
				fmt.Sscan(f.Fval, &iv)
				hasVal = true
			}
		}
		switch de.Defname {
		case "increment":
			seq.Increment = iv
		case "start":
			seq.Start = iv
		case "minvalue":
			if hasVal {
				seq.Min = iv
			}
		case "maxvalue":
			if hasVal {
				seq.Max = iv
			}
		case "cache":
			seq.Cache = iv
		case "cycle":
			seq.Cycle = de.Arg == nil || de.Arg.GetBoolean().GetBoolval()
		case "as":
			b := newBinder(s, nil)
			t, err := b.typeName(de.Arg.GetTypeName())
			if err != nil {
				return 0, err
			}
			seq.Type = t
			bits = map[uint32]int{types.Int2OID: 16, types.Int4OID: 32, types.Int8OID: 64}[t.OID]
			if bits == 0 {
				return 0, pgerror.New(pgerror.InvalidParameterValue, "sequence type must be smallint, integer, or bigint")
			}
		case "owned_by":
		}
	}
	return bits, nil
}

// parseTreeVersion is the version stamp pg_query's deparser requires.
func parseTreeVersion() int32 {
	res, err := pg_query.Parse("SELECT 1")
	if err != nil {
		return 0
	}
	return res.Version
}
