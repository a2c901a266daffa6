package sql

import (
	"context"
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/planner"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

func (s *Session) execAlterTable(ctx context.Context, st *pg_query.AlterTableStmt, w ResultWriter) error {
	if len(st.Cmds) == 1 {
		if cmd := st.Cmds[0].GetAlterTableCmd(); cmd.Subtype == pg_query.AlterTableType_AT_ChangeOwner {
			return s.execAlterRelationOwner(ctx, st, cmd.Newowner, w)
		}
	}
	if st.Objtype != pg_query.ObjectType_OBJECT_TABLE {
		return pgerror.New(pgerror.FeatureNotSupported, "ALTER %s is not supported yet", strings.TrimPrefix(st.Objtype.String(), "OBJECT_"))
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	t0, err := s.resolveTable(cat, st.Relation)
	if err != nil {
		if st.MissingOk && pgerror.CodeOf(err) == pgerror.UndefinedTable {
			w.Notice(pgerror.Notice("relation \"%s\" does not exist, skipping", st.Relation.Relname))
			return w.Complete("ALTER TABLE")
		}
		return err
	}
	if t0.Kind != catalog.RelTable {
		return pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a table", t0.Name)
	}
	for _, cn := range st.Cmds {
		cmd := cn.GetAlterTableCmd()
		t := cat.Table(t0.OID).Clone()
		if err := s.alterTableCmd(ctx, cat, t, cmd, w); err != nil {
			return err
		}
	}
	// The expiration column must survive DROP/ALTER COLUMN (ttl.go).
	if err := checkTableTTL(cat, cat.Table(t0.OID)); err != nil {
		return err
	}
	return w.Complete("ALTER TABLE")
}

func (s *Session) alterTableCmd(ctx context.Context, cat *catalog.Catalog, t *catalog.Table, cmd *pg_query.AlterTableCmd, w ResultWriter) error {
	old := cat.Table(t.OID)
	colIdx := func(name string) (int, error) {
		i, _ := t.ColumnByName(name)
		if i < 0 {
			return 0, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, t.Name)
		}
		return i, nil
	}
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AddColumn:
		cd := cmd.Def.GetColumnDef()
		if i, _ := t.ColumnByName(cd.Colname); i >= 0 {
			if cmd.MissingOk {
				w.Notice(pgerror.Notice("column \"%s\" of relation \"%s\" already exists, skipping", cd.Colname, t.Name))
				return nil
			}
			return pgerror.New(pgerror.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", cd.Colname, t.Name)
		}
		return s.addColumn(ctx, cat, old, t, cd)
	case pg_query.AlterTableType_AT_DropColumn:
		i, _ := t.ColumnByName(cmd.Name)
		if i < 0 {
			if cmd.MissingOk {
				w.Notice(pgerror.Notice("column \"%s\" of relation \"%s\" does not exist, skipping", cmd.Name, t.Name))
				return nil
			}
			return pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", cmd.Name, t.Name)
		}
		if err := s.dropColumnDependents(cat, t, t.Columns[i], cmd.Behavior == pg_query.DropBehavior_DROP_CASCADE, w); err != nil {
			return err
		}
		if t.HasPrimaryKey() && containsInt(t.Primary.Columns, i) {
			return pgerror.New(pgerror.FeatureNotSupported, "dropping a primary key column is not supported yet")
		}
		// Indexes and constraints on the column go with it, as in PostgreSQL.
		var keep []catalog.Index
		for _, ix := range t.Indexes {
			if ix.ReadsColumn(i) {
				if err := s.deleteRange(catalog.IndexPrefix(nil, t.OID, ix.ID)); err != nil {
					return err
				}
				continue
			}
			keep = append(keep, ix)
		}
		t.Indexes = keep
		var fks []catalog.ForeignKey
		for _, fk := range t.ForeignKeys {
			if !containsInt(fk.Cols, i) {
				fks = append(fks, fk)
			}
		}
		t.ForeignKeys = fks
		var checks []catalog.Check
		for _, ch := range t.Checks {
			if !strings.Contains(ch.Expr, t.Columns[i].Name) {
				checks = append(checks, ch)
			}
		}
		t.Checks = checks
		t.Columns[i].Dropped = true
		t.Columns[i].NotNull = false
		t.Columns[i].Default = ""
		t.Columns[i].Name = fmt.Sprintf("........pg.dropped.%d........", t.Columns[i].Attnum)
		cat.PutTable(t)
		return nil
	case pg_query.AlterTableType_AT_ColumnDefault:
		i, err := colIdx(cmd.Name)
		if err != nil {
			return err
		}
		if cmd.Def == nil {
			t.Columns[i].Default = ""
		} else {
			text, err := deparseExpr(cmd.Def)
			if err != nil {
				return err
			}
			t.Columns[i].Default = text
		}
		cat.PutTable(t)
		b := newBinder(s, nil)
		b.cat = cat
		_, err = b.tableDefaults(t)
		return err
	case pg_query.AlterTableType_AT_AddIdentity:
		i, err := colIdx(cmd.Name)
		if err != nil {
			return err
		}
		return s.addIdentity(cat, t, &t.Columns[i], cmd.Def.GetConstraint())
	case pg_query.AlterTableType_AT_SetIdentity:
		i, err := colIdx(cmd.Name)
		if err != nil {
			return err
		}
		return s.setIdentity(cat, t, i, cmd.Def.GetList().GetItems())
	case pg_query.AlterTableType_AT_SetNotNull:
		i, err := colIdx(cmd.Name)
		if err != nil {
			return err
		}
		if !t.Columns[i].NotNull {
			ec := s.execCtx(ctx)
			err := executor.ScanRows(ec, executor.NewTableCodec(old), func(row []types.Datum) error {
				if row[i].K == types.KindNull {
					return pgerror.New(pgerror.NotNullViolation, "column \"%s\" of relation \"%s\" contains null values", t.Columns[i].Name, t.Name).
						WithConstraint(t.Name, "")
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		t.Columns[i].NotNull = true
		cat.PutTable(t)
		return nil
	case pg_query.AlterTableType_AT_DropNotNull:
		i, err := colIdx(cmd.Name)
		if err != nil {
			return err
		}
		if t.HasPrimaryKey() && containsInt(t.Primary.Columns, i) {
			return pgerror.New(pgerror.InvalidTableDefinition, "column \"%s\" is in a primary key", cmd.Name)
		}
		t.Columns[i].NotNull = false
		cat.PutTable(t)
		return nil
	case pg_query.AlterTableType_AT_AddConstraint:
		return s.addConstraint(ctx, cat, old, t, cmd.Def.GetConstraint(), w)
	case pg_query.AlterTableType_AT_DropConstraint:
		return s.dropConstraint(cat, t, cmd.Name, cmd.MissingOk, w)
	case pg_query.AlterTableType_AT_AlterColumnType:
		return s.alterColumnType(ctx, cat, old, t, cmd)
	case pg_query.AlterTableType_AT_SetRelOptions, pg_query.AlterTableType_AT_ResetRelOptions:
		if t.Options == nil {
			t.Options = map[string]string{}
		}
		for _, o := range cmd.Def.GetList().GetItems() {
			de := o.GetDefElem()
			if cmd.Subtype == pg_query.AlterTableType_AT_ResetRelOptions {
				delete(t.Options, de.Defname)
			} else {
				if err := checkTableOption(de.Defname, defElemText(de)); err != nil {
					return err
				}
				t.Options[de.Defname] = defElemText(de)
			}
		}
		cat.PutTable(t)
		return s.applyTableTTL(ctx, cat, old, t)
	case pg_query.AlterTableType_AT_ReplicaIdentity:
		return s.alterReplicaIdentity(cat, t, cmd.Def.GetReplicaIdentityStmt())
	case pg_query.AlterTableType_AT_ValidateConstraint:
		return nil // constraints are always validated
	}
	return pgerror.New(pgerror.FeatureNotSupported, "ALTER TABLE %s is not supported yet", strings.TrimPrefix(cmd.Subtype.String(), "AT_"))
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func defElemText(de *pg_query.DefElem) string {
	if de.Arg == nil {
		return "true"
	}
	if s := de.Arg.GetString_(); s != nil {
		return s.Sval
	}
	if i := de.Arg.GetInteger(); i != nil {
		return fmt.Sprint(i.Ival)
	}
	if f := de.Arg.GetFloat(); f != nil {
		return f.Fval
	}
	if b := de.Arg.GetBoolean(); b != nil {
		return fmt.Sprint(b.Boolval)
	}
	if tn := de.Arg.GetTypeName(); tn != nil && len(tn.Names) > 0 {
		// An unquoted word (notify_changes = maybe) parses as a type name.
		return tn.Names[len(tn.Names)-1].GetString_().GetSval()
	}
	return setArgText([]*pg_query.Node{de.Arg})
}

// addColumn appends a column; existing rows get its default (rewritten
// when there is one, since a stored row shorter than the table reads NULL).
func (s *Session) addColumn(ctx context.Context, cat *catalog.Catalog, old, t *catalog.Table, cd *pg_query.ColumnDef) error {
	maxAttnum := int16(0)
	for _, c := range t.Columns {
		if c.Attnum > maxAttnum {
			maxAttnum = c.Attnum
		}
	}
	col := catalog.Column{Name: cd.Colname, Attnum: maxAttnum + 1, NotNull: cd.IsNotNull}
	b := newBinder(s, nil)
	b.cat = cat
	var err error
	serial := false
	if st, _, ok := serialType(cd.TypeName); ok {
		col.Type, serial = st, true
	} else if col.Type, err = b.typeName(cd.TypeName); err != nil {
		return err
	}
	var cons []*pg_query.Constraint
	for _, cn := range cd.Constraints {
		c := cn.GetConstraint()
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_NOTNULL:
			col.NotNull = true
		case pg_query.ConstrType_CONSTR_NULL:
			col.NotNull = false
		case pg_query.ConstrType_CONSTR_DEFAULT:
			if col.Default, err = deparseExpr(c.RawExpr); err != nil {
				return err
			}
		case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_CHECK, pg_query.ConstrType_CONSTR_FOREIGN:
			if len(c.Keys) == 0 && c.Contype != pg_query.ConstrType_CONSTR_CHECK {
				c.Keys = []*pg_query.Node{{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: cd.Colname}}}}
				c.FkAttrs = c.Keys
			}
			cons = append(cons, c)
		default:
			return pgerror.New(pgerror.FeatureNotSupported, "column constraint %s is not supported yet", c.Contype)
		}
	}
	t.Columns = append(t.Columns, col)
	pos := len(t.Columns) - 1
	if serial {
		s.ownSerialSequence(cat, t, &t.Columns[pos])
		col = t.Columns[pos]
	}
	cat.PutTable(t)
	defaults, err := b.tableDefaults(t)
	if err != nil {
		return err
	}
	if defaults[pos] != nil || col.NotNull {
		def := defaults[pos]
		var ev executor.Eval
		if def != nil {
			ev = executor.Compile(def)
		}
		ec := s.execCtx(ctx)
		err := executor.RewriteTable(ec, executor.NewTableCodec(old), executor.NewTableCodec(t), nil, func(o, n []types.Datum) error {
			copy(n, o)
			if ev != nil {
				v, err := ev(ec.Eval, n)
				if err != nil {
					return err
				}
				n[pos] = v
			}
			if col.NotNull && n[pos].K == types.KindNull {
				return pgerror.New(pgerror.NotNullViolation, "column \"%s\" of relation \"%s\" contains null values", col.Name, t.Name)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, c := range cons {
		cur := cat.Table(t.OID)
		if err := s.addConstraint(ctx, cat, cur, cur.Clone(), c, nil); err != nil {
			return err
		}
	}
	return nil
}

// addConstraint adds PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY to a table,
// validating the existing rows.
func (s *Session) addConstraint(ctx context.Context, cat *catalog.Catalog, old, t *catalog.Table, c *pg_query.Constraint, w ResultWriter) error {
	var cols []int
	var names []string
	for _, k := range c.Keys {
		i, _ := t.ColumnByName(strVal(k))
		if i < 0 {
			return pgerror.New(pgerror.UndefinedColumn, "column \"%s\" named in key does not exist", strVal(k))
		}
		cols = append(cols, i)
		names = append(names, strVal(k))
	}
	ec := s.execCtx(ctx)
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_PRIMARY:
		if t.HasPrimaryKey() {
			return pgerror.New(pgerror.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", t.Name)
		}
		name := c.Conname
		if name == "" {
			name = uniqueName(cat, t.Schema, t.Name+"_pkey")
		}
		for _, ci := range cols {
			t.Columns[ci].NotNull = true
		}
		// The row storage is re-keyed by the primary key; the hidden row id
		// column becomes a dropped one.
		for i := range t.Columns {
			if t.Columns[i].Hidden {
				t.Columns[i].Hidden, t.Columns[i].Dropped = false, true
				t.Columns[i].Name = "........pg.dropped.rowid........"
			}
		}
		t.Primary = catalog.Index{ID: catalog.PrimaryIndexID, OID: cat.AllocOID(), Name: name, Columns: cols, Unique: true,
			Primary: true, Constraint: true, ConstraintOID: cat.AllocOID()}
		err := executor.RewriteTable(ec, executor.NewTableCodec(old), executor.NewTableCodec(t), nil, func(o, n []types.Datum) error {
			copy(n, o)
			for _, ci := range cols {
				if n[ci].K == types.KindNull {
					return pgerror.New(pgerror.NotNullViolation, "column \"%s\" of relation \"%s\" contains null values", t.Columns[ci].Name, t.Name)
				}
			}
			return nil
		})
		if err != nil {
			return pkDuplicateError(err, name, t, cols)
		}
		cat.PutTable(t)
		return nil
	case pg_query.ConstrType_CONSTR_UNIQUE:
		name := c.Conname
		if name == "" {
			name = uniqueName(cat, t.Schema, t.Name+"_"+strings.Join(names, "_")+"_key")
		}
		if _, _, exists := cat.Relation(t.Schema, name); exists {
			return pgerror.New(pgerror.DuplicateTable, "relation \"%s\" already exists", name)
		}
		ix := catalog.Index{ID: t.NextIndexID, OID: cat.AllocOID(), Name: name, Columns: cols, Unique: true, Constraint: true, ConstraintOID: cat.AllocOID(),
			NullsNotDistinct: c.NullsNotDistinct}
		t.NextIndexID++
		t.Indexes = append(t.Indexes, ix)
		if err := s.backfillIndex(ctx, old, t, &t.Indexes[len(t.Indexes)-1]); err != nil {
			return err
		}
		cat.PutTable(t)
		return nil
	case pg_query.ConstrType_CONSTR_CHECK:
		text, err := deparseExpr(c.RawExpr)
		if err != nil {
			return err
		}
		name := c.Conname
		if name == "" {
			if col := firstColumnIn(c.RawExpr, t); col != "" {
				name = uniqueCheckName(t, t.Name+"_"+col+"_check")
			} else {
				name = uniqueCheckName(t, t.Name+"_check")
			}
		}
		t.Checks = append(t.Checks, catalog.Check{OID: cat.AllocOID(), Name: name, Expr: text})
		b := newBinder(s, nil)
		b.cat = cat
		checks, err := b.tableChecks(t)
		if err != nil {
			return err
		}
		last := checks[len(checks)-1]
		ev := executor.Compile(last.Expr)
		err = executor.ScanRows(ec, executor.NewTableCodec(old), func(row []types.Datum) error {
			v, err := ev(ec.Eval, row)
			if err != nil {
				return err
			}
			if v.K == types.KindBool && v.I == 0 {
				return pgerror.New(pgerror.CheckViolation, "check constraint \"%s\" of relation \"%s\" is violated by some row", name, t.Name).WithConstraint(t.Name, name)
			}
			return nil
		})
		if err != nil {
			return err
		}
		cat.PutTable(t)
		return nil
	case pg_query.ConstrType_CONSTR_FOREIGN:
		fk, err := s.foreignKey(cat, t, c)
		if err != nil {
			return err
		}
		t.ForeignKeys = append(t.ForeignKeys, *fk)
		cat.PutTable(t)
		parents := map[uint32]*catalog.Table{fk.RefTable: cat.Table(fk.RefTable)}
		if fk.RefTable == t.OID {
			parents[t.OID] = t
		}
		ins := &bound.Insert{Table: t, Parents: parents, Source: &bound.Select{}}
		wr, err := planner.Insert(ins)
		if err != nil {
			return err
		}
		insNode := wr.(*executor.Insert)
		codec := executor.NewTableCodec(t)
		for i := range insNode.FKParents {
			if insNode.FKParents[i].Name != fk.Name {
				continue
			}
			f := &insNode.FKParents[i]
			err := executor.ScanRows(ec, codec, func(row []types.Datum) error { return executor.CheckFKParent(ec, f, codec, row) })
			if err != nil {
				return err
			}
		}
		return nil
	}
	return pgerror.New(pgerror.FeatureNotSupported, "constraint type %s is not supported yet", c.Contype)
}

func pkDuplicateError(err error, name string, t *catalog.Table, cols []int) error {
	if pgerror.CodeOf(err) == pgerror.UniqueViolation {
		pe := pgerror.From(err)
		return pgerror.New(pgerror.UniqueViolation, "could not create unique index \"%s\"", name).
			WithDetail("%s", strings.Replace(strings.Replace(pe.Detail, "already exists", "is duplicated", 1), "Key (", "Key (", 1))
	}
	return err
}

func (s *Session) dropConstraint(cat *catalog.Catalog, t *catalog.Table, name string, missingOK bool, w ResultWriter) error {
	for i, fk := range t.ForeignKeys {
		if fk.Name == name {
			t.ForeignKeys = append(t.ForeignKeys[:i], t.ForeignKeys[i+1:]...)
			cat.PutTable(t)
			return nil
		}
	}
	for i, ch := range t.Checks {
		if ch.Name == name {
			t.Checks = append(t.Checks[:i], t.Checks[i+1:]...)
			cat.PutTable(t)
			return nil
		}
	}
	for i, ix := range t.Indexes {
		if ix.Constraint && ix.Name == name {
			if err := s.deleteRange(catalog.IndexPrefix(nil, t.OID, ix.ID)); err != nil {
				return err
			}
			t.Indexes = append(t.Indexes[:i], t.Indexes[i+1:]...)
			cat.PutTable(t)
			return nil
		}
	}
	if t.Primary.Primary && t.Primary.Name == name {
		for _, r := range cat.ReferencingKeys(t.OID) {
			if r.Table.OID != t.OID {
				return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop constraint %s on table %s because other objects depend on it", name, t.Name).
					WithDetail("constraint %s on table %s depends on index %s", r.FK.Name, r.Table.Name, name).
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			}
		}
		return pgerror.New(pgerror.FeatureNotSupported, "dropping a primary key is not supported yet")
	}
	if missingOK {
		w.Notice(pgerror.Notice("constraint \"%s\" of relation \"%s\" does not exist, skipping", name, t.Name))
		return nil
	}
	return pgerror.New(pgerror.UndefinedObject, "constraint \"%s\" of relation \"%s\" does not exist", name, t.Name)
}

// alterColumnType converts a column's values (USING expr, or an
// assignment cast) and rewrites the table.
func (s *Session) alterColumnType(ctx context.Context, cat *catalog.Catalog, old, t *catalog.Table, cmd *pg_query.AlterTableCmd) error {
	i, _ := t.ColumnByName(cmd.Name)
	if i < 0 {
		return pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", cmd.Name, t.Name)
	}
	cd := cmd.Def.GetColumnDef()
	b := newBinder(s, nil)
	b.cat = cat
	to, err := b.typeName(cd.TypeName)
	if err != nil {
		return err
	}
	sc := &scope{cols: tableScope(old, old.Name, 0)}
	var conv bound.Expr
	if cd.RawDefault != nil { // USING expression
		e, err := b.bindExpr(cd.RawDefault, sc, to)
		if err != nil {
			return err
		}
		if conv, err = b.coerce(e, to, castAssignment); err != nil {
			return columnTypeError(t.Columns[i], e.Type())
		}
	} else {
		ref := &bound.ColRef{Idx: i, T: old.Columns[i].Type, Name: old.Columns[i].Name}
		if conv, err = b.coerce(ref, to, castAssignment); err != nil {
			return pgerror.New(pgerror.DatatypeMismatch, "column \"%s\" cannot be cast automatically to type %s", cmd.Name, types.FormatType(to)).
				WithHint("You might need to specify \"USING %s::%s\".", cmd.Name, types.FormatType(to))
		}
	}
	conv = finalize(conv)
	if err := alterTypeDependents(cat, t, t.Columns[i]); err != nil {
		return err
	}
	t.Columns[i].Type = to
	if err := s.refreshIndexExprs(t); err != nil {
		return err
	}
	cat.PutTable(t)
	ev := executor.Compile(conv)
	ec := s.execCtx(ctx)
	return executor.RewriteTable(ec, executor.NewTableCodec(old), executor.NewTableCodec(t), nil, func(o, n []types.Datum) error {
		copy(n, o)
		v, err := ev(ec.Eval, o)
		if err != nil {
			return err
		}
		n[i] = v
		return nil
	})
}

func (s *Session) execRename(ctx context.Context, st *pg_query.RenameStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	switch st.RenameType {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW, pg_query.ObjectType_OBJECT_COLUMN:
		t0, err := s.resolveTable(cat, st.Relation)
		if err != nil {
			if st.MissingOk {
				w.Notice(pgerror.Notice("relation \"%s\" does not exist, skipping", st.Relation.Relname))
				return w.Complete(renameTag(st))
			}
			return err
		}
		t := t0.Clone()
		if st.RenameType == pg_query.ObjectType_OBJECT_COLUMN {
			i, _ := t.ColumnByName(st.Subname)
			if i < 0 {
				return pgerror.New(pgerror.UndefinedColumn, "column \"%s\" does not exist", st.Subname)
			}
			if j, _ := t.ColumnByName(st.Newname); j >= 0 {
				return pgerror.New(pgerror.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", st.Newname, t.Name)
			}
			if err := renameIndexExprColumn(t, i, st.Subname, st.Newname); err != nil {
				return err
			}
			t.Columns[i].Name = st.Newname
			renameTTLColumn(t, st.Subname, st.Newname)
			if err := s.refreshIndexExprs(t); err != nil {
				return err
			}
		} else {
			if _, _, exists := cat.Relation(t.Schema, st.Newname); exists {
				return pgerror.New(pgerror.DuplicateTable, "relation \"%s\" already exists", st.Newname)
			}
			t.Name = st.Newname
		}
		cat.PutTable(t)
		return w.Complete(renameTag(st))
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		return s.renameSequence(cat, st, w)
	case pg_query.ObjectType_OBJECT_INDEX:
		oid, kind, ok := s.lookupRelation(cat, st.Relation.Schemaname, st.Relation.Relname)
		if !ok || kind != catalog.RelIndex {
			if st.MissingOk {
				return w.Complete("ALTER INDEX")
			}
			return pgerror.New(pgerror.UndefinedTable, "relation \"%s\" does not exist", st.Relation.Relname)
		}
		owner, _ := cat.IndexOwner(oid)
		t := owner.Clone()
		if _, _, exists := cat.Relation(t.Schema, st.Newname); exists {
			return pgerror.New(pgerror.DuplicateTable, "relation \"%s\" already exists", st.Newname)
		}
		if t.Primary.OID == oid {
			t.Primary.Name = st.Newname
		}
		for i := range t.Indexes {
			if t.Indexes[i].OID == oid {
				t.Indexes[i].Name = st.Newname
			}
		}
		cat.PutTable(t)
		return w.Complete("ALTER INDEX")
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		t0, err := s.resolveTable(cat, st.Relation)
		if err != nil {
			return err
		}
		t := t0.Clone()
		found := false
		for i := range t.ForeignKeys {
			if t.ForeignKeys[i].Name == st.Subname {
				t.ForeignKeys[i].Name, found = st.Newname, true
			}
		}
		for i := range t.Checks {
			if t.Checks[i].Name == st.Subname {
				t.Checks[i].Name, found = st.Newname, true
			}
		}
		for i := range t.Indexes {
			if t.Indexes[i].Constraint && t.Indexes[i].Name == st.Subname {
				t.Indexes[i].Name, found = st.Newname, true
			}
		}
		if t.Primary.Primary && t.Primary.Name == st.Subname {
			t.Primary.Name, found = st.Newname, true
		}
		if !found {
			return pgerror.New(pgerror.UndefinedObject, "constraint \"%s\" for table \"%s\" does not exist", st.Subname, t.Name)
		}
		cat.PutTable(t)
		return w.Complete("ALTER TABLE")
	}
	return pgerror.New(pgerror.FeatureNotSupported, "ALTER ... RENAME of %s is not supported yet", strings.TrimPrefix(st.RenameType.String(), "OBJECT_"))
}

func renameTag(st *pg_query.RenameStmt) string {
	if st.RenameType == pg_query.ObjectType_OBJECT_VIEW || st.RelationType == pg_query.ObjectType_OBJECT_VIEW {
		return "ALTER VIEW"
	}
	if st.RenameType == pg_query.ObjectType_OBJECT_MATVIEW || st.RelationType == pg_query.ObjectType_OBJECT_MATVIEW {
		return "ALTER MATERIALIZED VIEW"
	}
	return "ALTER TABLE"
}

func (s *Session) execTruncate(ctx context.Context, st *pg_query.TruncateStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	var tables []*catalog.Table
	for _, r := range st.Relations {
		t, err := s.resolveTable(cat, r.GetRangeVar())
		if err != nil {
			return err
		}
		if t.Kind != catalog.RelTable {
			return pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a table", t.Name)
		}
		tables = append(tables, t)
	}
	listed := map[uint32]bool{}
	for _, t := range tables {
		listed[t.OID] = true
	}
	cascade := st.Behavior == pg_query.DropBehavior_DROP_CASCADE
	for i := 0; i < len(tables); i++ {
		for _, r := range cat.ReferencingKeys(tables[i].OID) {
			if listed[r.Table.OID] {
				continue
			}
			if !cascade {
				return pgerror.New(pgerror.FeatureNotSupported, "cannot truncate a table referenced in a foreign key constraint").
					WithDetail("Table \"%s\" references \"%s\".", r.Table.Name, tables[i].Name).
					WithHint("Truncate table \"%s\" at the same time, or use TRUNCATE ... CASCADE.", r.Table.Name)
			}
			w.Notice(pgerror.Notice("truncate cascades to table \"%s\"", r.Table.Name))
			listed[r.Table.OID] = true
			tables = append(tables, r.Table)
		}
	}
	s.logTruncate(tables, cascade, st.RestartSeqs)
	for _, t := range tables {
		if err := s.deleteRange(catalog.TablePrefix(t.OID)); err != nil {
			return err
		}
		if st.RestartSeqs {
			for _, seq := range cat.Sequences(0) {
				if seq.OwnedByTable == t.OID {
					if err := s.e.seqs.set(seq, seq.Start, false); err != nil {
						return err
					}
				}
			}
		}
		s.e.stats.forget(t.OID) // the row count and histograms no longer hold
	}
	return w.Complete("TRUNCATE TABLE")
}

// execVacuum accepts VACUUM and ANALYZE: old versions are collected by
// the store as snapshots move on, so VACUUM has nothing to do; ANALYZE
// (alone or as VACUUM's option) gathers planner statistics (stats.go).
func (s *Session) execVacuum(ctx context.Context, st *pg_query.VacuumStmt, w ResultWriter) error {
	cat := s.catalog()
	var tables []*catalog.Table
	for _, r := range st.Rels {
		if vr := r.GetVacuumRelation(); vr != nil && vr.Relation != nil {
			t, err := s.resolveTable(cat, vr.Relation)
			if err != nil {
				return err
			}
			tables = append(tables, t)
		}
	}
	analyze := !st.IsVacuumcmd
	for _, o := range st.Options {
		if de := o.GetDefElem(); de != nil && de.Defname == "analyze" {
			analyze = true
		}
	}
	if st.IsVacuumcmd && s.txn != nil && s.txn.explicit {
		return pgerror.New(pgerror.ActiveSQLTransaction, "VACUUM cannot run inside a transaction block")
	}
	if analyze {
		if len(st.Rels) == 0 {
			for _, sc := range cat.Schemas(s.dbOID) {
				tables = append(tables, cat.Tables(sc.OID)...)
			}
		}
		for _, t := range tables {
			if t.Kind != catalog.RelTable {
				continue
			}
			ts, err := analyzeTable(ctx, s.e.store, t)
			if err != nil {
				return err
			}
			s.e.stats.set(t.OID, ts)
		}
	}
	if st.IsVacuumcmd {
		return w.Complete("VACUUM")
	}
	return w.Complete("ANALYZE")
}

func (s *Session) execComment(ctx context.Context, st *pg_query.CommentStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	var parts []string
	for _, n := range st.Object.GetList().GetItems() {
		parts = append(parts, strVal(n))
	}
	switch st.Objtype {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		rv := &pg_query.RangeVar{Relname: parts[len(parts)-1]}
		if len(parts) > 1 {
			rv.Schemaname = parts[len(parts)-2]
		}
		t0, err := s.resolveTable(cat, rv)
		if err != nil {
			return err
		}
		t := t0.Clone()
		t.Comment = st.Comment
		cat.PutTable(t)
	case pg_query.ObjectType_OBJECT_COLUMN:
		rv := &pg_query.RangeVar{Relname: parts[len(parts)-2]}
		if len(parts) > 2 {
			rv.Schemaname = parts[len(parts)-3]
		}
		t0, err := s.resolveTable(cat, rv)
		if err != nil {
			return err
		}
		t := t0.Clone()
		i, _ := t.ColumnByName(parts[len(parts)-1])
		if i < 0 {
			return pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", parts[len(parts)-1], t.Name)
		}
		t.Columns[i].Comment = st.Comment
		cat.PutTable(t)
	default:
		return pgerror.New(pgerror.FeatureNotSupported, "COMMENT ON %s is not supported yet", strings.TrimPrefix(st.Objtype.String(), "OBJECT_"))
	}
	return w.Complete("COMMENT")
}

// addIdentity is ALTER COLUMN c ADD GENERATED {ALWAYS | BY DEFAULT} AS
// IDENTITY [(sequence options)], which pg_dump prints for every identity
// column. The column must be an integer, NOT NULL, without a default.
func (s *Session) addIdentity(cat *catalog.Catalog, t *catalog.Table, col *catalog.Column, c *pg_query.Constraint) error {
	switch {
	case col.Type.OID != types.Int2OID && col.Type.OID != types.Int4OID && col.Type.OID != types.Int8OID:
		return pgerror.New(pgerror.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
	case col.Identity != 0:
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column \"%s\" of relation \"%s\" is already an identity column", col.Name, t.Name)
	case col.Default != "" || col.Generated != "":
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column \"%s\" of relation \"%s\" already has a default value", col.Name, t.Name)
	case !col.NotNull:
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column \"%s\" of relation \"%s\" must be declared NOT NULL before identity can be added", col.Name, t.Name)
	}
	if err := s.ownSequence(cat, t, col, c.Options); err != nil {
		return err
	}
	col.Identity = c.GeneratedWhen[0]
	cat.PutTable(t)
	return nil
}
