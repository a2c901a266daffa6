package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// parseExprText parses a stored expression (a column default, a CHECK).
func parseExprText(text string) (*pg_query.Node, error) {
	res, err := parse("SELECT " + text)
	if err != nil {
		return nil, err
	}
	sel := res[0].stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 {
		return nil, pgerror.New(pgerror.InternalError, "bad stored expression %q", text)
	}
	return sel.TargetList[0].GetResTarget().Val, nil
}

// tableDefaults binds every column default of t (nil where none).
func (b *binder) tableDefaults(t *catalog.Table) ([]bound.Expr, error) {
	out := make([]bound.Expr, len(t.Columns))
	for i, c := range t.Columns {
		if c.Default == "" || c.Dropped {
			continue
		}
		n, err := parseExprText(c.Default)
		if err != nil {
			return nil, err
		}
		e, err := b.bindExpr(n, &scope{}, c.Type)
		if err != nil {
			return nil, err
		}
		if e, err = b.coerce(e, c.Type, castAssignment); err != nil {
			return nil, err
		}
		out[i] = finalize(e)
	}
	return out, nil
}

// tableGenerated binds t's GENERATED ... STORED expressions over its
// storage row (nil where a column is not generated).
func (b *binder) tableGenerated(t *catalog.Table) ([]bound.Expr, error) {
	var out []bound.Expr
	sc := &scope{cols: tableScope(t, t.Name, 0)}
	for i, c := range t.Columns {
		if c.Generated == "" || c.Dropped {
			continue
		}
		if out == nil {
			out = make([]bound.Expr, len(t.Columns))
		}
		n, err := parseExprText(c.Generated)
		if err != nil {
			return nil, err
		}
		e, err := b.bindExpr(n, sc, c.Type)
		if err != nil {
			return nil, err
		}
		if e, err = b.coerce(e, c.Type, castAssignment); err != nil {
			return nil, err
		}
		out[i] = finalize(e)
	}
	return out, nil
}

// explicitValueError is 428C9 for a value given to an identity ALWAYS or
// generated column.
func explicitValueError(col catalog.Column, update bool) error {
	if update {
		return pgerror.New(pgerror.GeneratedAlways, "column \"%s\" can only be updated to DEFAULT", col.Name).
			WithDetail("Column \"%s\" is %s.", col.Name, generatedWhat(col))
	}
	e := pgerror.New(pgerror.GeneratedAlways, "cannot insert a non-DEFAULT value into column \"%s\"", col.Name).
		WithDetail("Column \"%s\" is %s.", col.Name, generatedWhat(col))
	if col.Identity == 'a' {
		e = e.WithHint("Use OVERRIDING SYSTEM VALUE to override.")
	}
	return e
}

func generatedWhat(col catalog.Column) string {
	if col.Generated != "" {
		return "a generated column"
	}
	return "an identity column defined as GENERATED ALWAYS"
}

// tableChecks binds t's CHECK constraints over its storage row.
func (b *binder) tableChecks(t *catalog.Table) ([]bound.CheckExpr, error) {
	var out []bound.CheckExpr
	sc := &scope{cols: tableScope(t, t.Name, 0)}
	for _, ch := range t.Checks {
		n, err := parseExprText(ch.Expr)
		if err != nil {
			return nil, err
		}
		e, err := b.bindExpr(n, sc, types.Bool)
		if err != nil {
			return nil, err
		}
		if e, err = b.asBool(e, "CHECK"); err != nil {
			return nil, err
		}
		out = append(out, bound.CheckExpr{Name: ch.Name, Expr: finalize(e)})
	}
	return out, nil
}

func (b *binder) bindReturning(list []*pg_query.Node, t *catalog.Table, sc *scope) ([]bound.Target, error) {
	if len(list) == 0 {
		return nil, nil
	}
	out := []bound.Target{}
	for _, n := range list {
		rt := n.GetResTarget()
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			tgts, err := expandStar(cr, sc)
			if err != nil {
				return nil, err
			}
			out = append(out, tgts...)
			continue
		}
		e, err := b.bindExpr(rt.Val, sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		tgt := bound.Target{Expr: finalize(e), Name: rt.Name}
		if tgt.Name == "" {
			tgt.Name = columnName(rt.Val)
		}
		if c, ok := e.(*bound.ColRef); ok {
			if sco := colOf(sc, c.Idx); sco != nil {
				tgt.TableOID, tgt.AttrNum = sco.tableOID, sco.attnum
			}
		}
		out = append(out, tgt)
	}
	return out, nil
}

func (b *binder) writableTable(rv *pg_query.RangeVar) (*catalog.Table, error) {
	t, err := b.s.resolveTable(b.cat, rv)
	if err != nil {
		return nil, err
	}
	if t.Kind == catalog.RelMatView && b.s.matviewFill != t.OID {
		return nil, pgerror.New(pgerror.WrongObjectType, "cannot change materialized view \"%s\"", t.Name)
	}
	if t.Kind != catalog.RelTable && t.Kind != catalog.RelMatView {
		return nil, pgerror.New(pgerror.WrongObjectType, "cannot change relation \"%s\"", t.Name)
	}
	return t, nil
}

func (b *binder) bindInsert(st *pg_query.InsertStmt) (*bound.Insert, error) {
	if st.WithClause != nil {
		defer b.popWith(len(b.ctes))
		if err := b.pushWith(st.WithClause); err != nil {
			return nil, err
		}
	}
	t, err := b.writableTable(st.Relation)
	if err != nil {
		return nil, err
	}
	ins := &bound.Insert{Table: t}
	if len(st.Cols) > 0 {
		seen := map[int]bool{}
		for _, c := range st.Cols {
			rt := c.GetResTarget()
			if len(rt.Indirection) > 0 {
				return nil, pgerror.New(pgerror.FeatureNotSupported, "INSERT into a subfield or array element is not supported").WithPosition(rt.Location + 1)
			}
			idx, _ := t.ColumnByName(rt.Name)
			if idx < 0 {
				return nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", rt.Name, t.Name).WithPosition(rt.Location + 1)
			}
			if seen[idx] {
				return nil, pgerror.New(pgerror.DuplicateColumn, "column \"%s\" specified more than once", rt.Name).WithPosition(rt.Location + 1)
			}
			seen[idx] = true
			ins.Columns = append(ins.Columns, idx)
		}
	} else {
		ins.Columns = t.VisibleColumns()
	}
	if ins.Defaults, err = b.tableDefaults(t); err != nil {
		return nil, err
	}
	if ins.Checks, err = b.tableChecks(t); err != nil {
		return nil, err
	}
	if ins.Generated, err = b.tableGenerated(t); err != nil {
		return nil, err
	}
	overriding := st.Override == pg_query.OverridingKind_OVERRIDING_SYSTEM_VALUE
	switch sel := st.SelectStmt.GetSelectStmt(); {
	case st.SelectStmt == nil:
		ins.Columns = nil // DEFAULT VALUES
		ins.Source = &bound.Select{Targets: nil}
	case len(sel.ValuesLists) > 0 && sel.WithClause == nil && len(sel.SortClause) == 0 && sel.LimitCount == nil && sel.LimitOffset == nil:
		src, err := b.bindInsertValues(sel.ValuesLists, t, ins, overriding, len(st.Cols) > 0)
		if err != nil {
			return nil, err
		}
		ins.Source = src
	default:
		q, err := b.bindSelect(sel, nil)
		if err != nil {
			return nil, err
		}
		if q.Visible > len(ins.Columns) {
			return nil, pgerror.New(pgerror.SyntaxError, "INSERT has more expressions than target columns")
		}
		for _, ci := range ins.Columns[:q.Visible] {
			if col := t.Columns[ci]; col.Generated != "" || (col.Identity == 'a' && !overriding) {
				return nil, explicitValueError(col, false)
			}
		}
		if q.Visible < len(ins.Columns) && len(st.Cols) > 0 {
			return nil, pgerror.New(pgerror.SyntaxError, "INSERT has more target columns than expressions")
		}
		ins.Columns = ins.Columns[:q.Visible]
		// Wrap the query so its outputs are converted to the columns' types.
		outer := &bound.Select{From: &bound.SubqueryRel{Query: q}, Visible: q.Visible}
		for i := 0; i < q.Visible; i++ {
			col := t.Columns[ins.Columns[i]]
			// An untyped literal of the select list is read as the
			// column's type, as in INSERT ... VALUES.
			if err := b.retypeUnknownOutput(q, i, col.Type, castAssignment); err != nil {
				return nil, err
			}
			e, err := b.coerce(&bound.ColRef{Idx: i, T: q.Targets[i].Expr.Type()}, col.Type, castAssignment)
			if err != nil {
				return nil, columnTypeError(col, q.Targets[i].Expr.Type())
			}
			outer.Targets = append(outer.Targets, bound.Target{Expr: e, Name: col.Name})
		}
		ins.Source = outer
	}
	sc := &scope{cols: tableScope(t, t.Name, 0)}
	if ins.Returning, err = b.bindReturning(st.ReturningList, t, sc); err != nil {
		return nil, err
	}
	ins.Parents = b.parentTables(t)
	if st.OnConflictClause != nil {
		if ins.OnConflict, err = b.bindOnConflict(st, t); err != nil {
			return nil, err
		}
		ins.Children = b.cat.ReferencingKeys(t.OID)
		if ins.FKDefaults, err = b.fkSetDefaults(ins.Children); err != nil {
			return nil, err
		}
	}
	return ins, nil
}

func columnTypeError(col catalog.Column, got types.Type) *pgerror.Error {
	return pgerror.New(pgerror.DatatypeMismatch, "column \"%s\" is of type %s but expression is of type %s", col.Name, types.FormatType(col.Type), types.FormatType(got)).
		WithHint("You will need to rewrite or cast the expression.")
}

// bindInsertValues binds INSERT ... VALUES, reading each value with its
// target column's type and DEFAULT as the column default.
//
// Without a column list a shorter row fills the leading columns and the rest
// take their defaults, as PostgreSQL's transformInsertStmt does; with one, the
// lengths must match.
func (b *binder) bindInsertValues(lists []*pg_query.Node, t *catalog.Table, ins *bound.Insert, overriding, explicitCols bool) (*bound.Select, error) {
	vr := &bound.ValuesRel{}
	sel := &bound.Select{From: vr}
	width := len(lists[0].GetList().GetItems())
	for _, vl := range lists[1:] {
		if items := vl.GetList().GetItems(); len(items) != width {
			return nil, pgerror.New(pgerror.SyntaxError, "VALUES lists must all be the same length").WithPosition(exprLocation(items[0]) + 1)
		}
	}
	if !explicitCols && width < len(ins.Columns) {
		ins.Columns = ins.Columns[:width]
	}
	for _, vl := range lists {
		items := vl.GetList().GetItems()
		if len(items) > len(ins.Columns) {
			return nil, pgerror.New(pgerror.SyntaxError, "INSERT has more expressions than target columns").WithPosition(exprLocation(items[len(ins.Columns)]) + 1)
		}
		if len(items) < len(ins.Columns) {
			return nil, pgerror.New(pgerror.SyntaxError, "INSERT has more target columns than expressions")
		}
		row := make([]bound.Expr, len(items))
		for i, it := range items {
			col := t.Columns[ins.Columns[i]]
			if it.GetSetToDefault() == nil && (col.Generated != "" || (col.Identity == 'a' && !overriding)) {
				return nil, explicitValueError(col, false)
			}
			if it.GetSetToDefault() != nil {
				if ins.Defaults[ins.Columns[i]] != nil {
					row[i] = ins.Defaults[ins.Columns[i]]
				} else {
					row[i] = &bound.Const{T: col.Type}
				}
				continue
			}
			e, err := b.bindExpr(it, &scope{}, col.Type)
			if err != nil {
				return nil, err
			}
			c, err := b.coerce(e, col.Type, castAssignment)
			if err != nil {
				if pgerror.CodeOf(err) == pgerror.DatatypeMismatch || pgerror.CodeOf(err) == pgerror.CannotCoerce {
					return nil, columnTypeError(col, e.Type()).WithPosition(exprLocation(it) + 1)
				}
				return nil, err
			}
			row[i] = finalize(c)
		}
		vr.Rows = append(vr.Rows, row)
	}
	for i, c := range ins.Columns {
		typ := t.Columns[c].Type
		vr.Types = append(vr.Types, typ)
		sel.Targets = append(sel.Targets, bound.Target{Expr: &bound.ColRef{Idx: i, T: typ}, Name: t.Columns[c].Name})
	}
	sel.Visible = len(sel.Targets)
	return sel, nil
}

// exprLocation finds a node's source position for error messages.
func exprLocation(n *pg_query.Node) int32 {
	switch {
	case n.GetAConst() != nil:
		return n.GetAConst().Location
	case n.GetColumnRef() != nil:
		return n.GetColumnRef().Location
	case n.GetTypeCast() != nil:
		return n.GetTypeCast().Location
	case n.GetFuncCall() != nil:
		return n.GetFuncCall().Location
	case n.GetAExpr() != nil:
		return n.GetAExpr().Location
	case n.GetParamRef() != nil:
		return n.GetParamRef().Location
	}
	return -1
}

// targetTable resolves the table an UPDATE or DELETE writes and the scope
// its WHERE, SET and RETURNING see it in, under its alias if it has one.
func (b *binder) targetTable(rel *pg_query.RangeVar) (t *catalog.Table, alias string, sc *scope, err error) {
	if t, err = b.writableTable(rel); err != nil {
		return nil, "", nil, err
	}
	alias = t.Name
	if rel.Alias != nil {
		alias = rel.Alias.Aliasname
	}
	return t, alias, &scope{cols: tableScope(t, alias, 0)}, nil
}

func (b *binder) bindUpdate(st *pg_query.UpdateStmt) (*bound.Update, error) {
	if st.WithClause != nil {
		defer b.popWith(len(b.ctes))
		if err := b.pushWith(st.WithClause); err != nil {
			return nil, err
		}
	}
	t, alias, sc, err := b.targetTable(st.Relation)
	if err != nil {
		return nil, err
	}
	u := &bound.Update{Table: t, Set: map[int]bound.Expr{}}
	from, err := b.bindExtraFrom(st.FromClause, sc)
	if err != nil {
		return nil, err
	}
	var defaults []bound.Expr
	for _, n := range st.TargetList {
		rt := n.GetResTarget()
		if ma := rt.Val.GetMultiAssignRef(); ma != nil {
			v, err := multiAssignValue(ma)
			if err != nil {
				return nil, err
			}
			rt = &pg_query.ResTarget{Name: rt.Name, Indirection: rt.Indirection, Val: v, Location: rt.Location}
		}
		idx, col := t.ColumnByName(rt.Name)
		if idx < 0 {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", rt.Name, t.Name).WithPosition(rt.Location + 1)
		}
		if _, dup := u.Set[idx]; dup {
			return nil, pgerror.New(pgerror.SyntaxError, "multiple assignments to same column \"%s\"", rt.Name)
		}
		if len(rt.Indirection) > 0 {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "UPDATE of a subfield or array element is not supported").WithPosition(rt.Location + 1)
		}
		if rt.Val.GetSetToDefault() == nil && (col.Generated != "" || col.Identity == 'a') {
			return nil, explicitValueError(*col, true)
		}
		if rt.Val.GetSetToDefault() != nil {
			if defaults == nil {
				if defaults, err = b.tableDefaults(t); err != nil {
					return nil, err
				}
			}
			if defaults[idx] != nil {
				u.Set[idx] = defaults[idx]
			} else {
				u.Set[idx] = &bound.Const{T: col.Type}
			}
			continue
		}
		e, err := b.bindExpr(rt.Val, sc, col.Type)
		if err != nil {
			return nil, err
		}
		c, err := b.coerce(e, col.Type, castAssignment)
		if err != nil {
			if pgerror.CodeOf(err) == pgerror.DatatypeMismatch || pgerror.CodeOf(err) == pgerror.CannotCoerce {
				return nil, columnTypeError(*col, e.Type()).WithPosition(rt.Location + 1)
			}
			return nil, err
		}
		u.Set[idx] = finalize(c)
	}
	where, err := b.bindWhere(st.WhereClause, sc)
	if err != nil {
		return nil, err
	}
	u.Scan = &bound.Select{From: joinExtra(&bound.ScanRel{Table: t, Alias: alias, Stats: b.s.e.stats.get(t)}, from), Where: where}
	if u.Checks, err = b.tableChecks(t); err != nil {
		return nil, err
	}
	if u.Generated, err = b.tableGenerated(t); err != nil {
		return nil, err
	}
	// RETURNING sees the FROM items too (PostgreSQL returns their columns
	// for RETURNING *).
	if u.Returning, err = b.bindReturning(st.ReturningList, t, &scope{cols: sc.cols}); err != nil {
		return nil, err
	}
	u.Parents, u.Children = b.parentTables(t), b.cat.ReferencingKeys(t.OID)
	if u.FKDefaults, err = b.fkSetDefaults(u.Children); err != nil {
		return nil, err
	}
	return u, nil
}

func (b *binder) bindWhere(n *pg_query.Node, sc *scope) (bound.Expr, error) {
	if n == nil {
		return nil, nil
	}
	b.aggWhat = "WHERE"
	defer func() { b.aggWhat = "" }()
	w, err := b.bindExpr(n, sc, types.Bool)
	if err != nil {
		return nil, err
	}
	if w, err = b.asBool(w, "WHERE"); err != nil {
		return nil, err
	}
	return finalize(w), nil
}

func (b *binder) bindDelete(st *pg_query.DeleteStmt) (*bound.Delete, error) {
	if st.WithClause != nil {
		defer b.popWith(len(b.ctes))
		if err := b.pushWith(st.WithClause); err != nil {
			return nil, err
		}
	}
	t, alias, sc, err := b.targetTable(st.Relation)
	if err != nil {
		return nil, err
	}
	using, err := b.bindExtraFrom(st.UsingClause, sc)
	if err != nil {
		return nil, err
	}
	where, err := b.bindWhere(st.WhereClause, sc)
	if err != nil {
		return nil, err
	}
	d := &bound.Delete{Table: t, Scan: &bound.Select{From: joinExtra(&bound.ScanRel{Table: t, Alias: alias, Stats: b.s.e.stats.get(t)}, using), Where: where},
		Children: b.cat.ReferencingKeys(t.OID)}
	if d.FKDefaults, err = b.fkSetDefaults(d.Children); err != nil {
		return nil, err
	}
	if d.Returning, err = b.bindReturning(st.ReturningList, t, &scope{cols: sc.cols}); err != nil {
		return nil, err
	}
	return d, nil
}

// parentTables are the tables t's foreign keys reference.
func (b *binder) parentTables(t *catalog.Table) map[uint32]*catalog.Table {
	if len(t.ForeignKeys) == 0 {
		return nil
	}
	m := map[uint32]*catalog.Table{}
	for _, fk := range t.ForeignKeys {
		if p := b.cat.Table(fk.RefTable); p != nil {
			m[fk.RefTable] = p
		}
	}
	return m
}

// bindOnConflict binds ON CONFLICT: the arbiter index (by columns or
// constraint name) and, for DO UPDATE, SET and WHERE over the existing row
// followed by the proposed one (EXCLUDED).
func (b *binder) bindOnConflict(st *pg_query.InsertStmt, t *catalog.Table) (*bound.OnConflict, error) {
	oc := st.OnConflictClause
	conf := &bound.OnConflict{DoNothing: oc.Action == pg_query.OnConflictAction_ONCONFLICT_NOTHING}
	if inf := oc.Infer; inf != nil {
		if inf.Conname != "" {
			ix := t.IndexByName(inf.Conname)
			if ix == nil || !ix.Unique {
				return nil, pgerror.New(pgerror.UndefinedObject, "constraint \"%s\" for table \"%s\" does not exist", inf.Conname, t.Name)
			}
			conf.Index = ix
		} else if ix := exprArbiter(t, inf); ix != nil {
			conf.Index = ix // a unique expression index: ON CONFLICT (lower(email))
		} else {
			var cols []int
			for _, e := range inf.IndexElems {
				ie := e.GetIndexElem()
				i, _ := t.ColumnByName(ie.Name)
				if i < 0 {
					return nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" does not exist", ie.Name)
				}
				cols = append(cols, i)
			}
			conf.Index = t.KeyIndex(cols)
			if conf.Index == nil && inf.WhereClause != nil {
				conf.Index = partialArbiter(t, cols, inf.WhereClause)
			}
			if conf.Index == nil {
				return nil, pgerror.New(pgerror.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification")
			}
		}
	} else if !conf.DoNothing {
		return nil, pgerror.New(pgerror.SyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name").
			WithHint("For example, ON CONFLICT (column_name).")
	}
	if conf.DoNothing {
		return conf, nil
	}
	alias := t.Name
	if st.Relation.Alias != nil {
		alias = st.Relation.Alias.Aliasname
	}
	sc := &scope{cols: append(tableScope(t, alias, 0), tableScope(t, "excluded", len(t.Columns))...)}
	conf.Set = map[int]bound.Expr{}
	var defaults []bound.Expr
	for _, n := range oc.TargetList {
		rt := n.GetResTarget()
		// DO UPDATE SET (a, b) = (...) and SET a = DEFAULT, as in UPDATE.
		if ma := rt.Val.GetMultiAssignRef(); ma != nil {
			v, err := multiAssignValue(ma)
			if err != nil {
				return nil, err
			}
			rt = &pg_query.ResTarget{Name: rt.Name, Indirection: rt.Indirection, Val: v, Location: rt.Location}
		}
		idx, col := t.ColumnByName(rt.Name)
		if idx < 0 {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", rt.Name, t.Name).WithPosition(rt.Location + 1)
		}
		if _, dup := conf.Set[idx]; dup {
			return nil, pgerror.New(pgerror.SyntaxError, "multiple assignments to same column \"%s\"", rt.Name)
		}
		if rt.Val.GetSetToDefault() != nil {
			if defaults == nil {
				var err error
				if defaults, err = b.tableDefaults(t); err != nil {
					return nil, err
				}
			}
			if defaults[idx] != nil {
				conf.Set[idx] = defaults[idx]
			} else {
				conf.Set[idx] = &bound.Const{T: col.Type}
			}
			continue
		}
		e, err := b.bindExpr(rt.Val, sc, col.Type)
		if err != nil {
			return nil, err
		}
		c, err := b.coerce(e, col.Type, castAssignment)
		if err != nil {
			return nil, columnTypeError(*col, e.Type())
		}
		conf.Set[idx] = finalize(c)
	}
	if oc.WhereClause != nil {
		w, err := b.bindWhere(oc.WhereClause, sc)
		if err != nil {
			return nil, err
		}
		conf.Where = w
	}
	return conf, nil
}

// bindExtraFrom binds UPDATE ... FROM / DELETE ... USING items, appending
// their columns to sc after the target table's.
func (b *binder) bindExtraFrom(items []*pg_query.Node, sc *scope) (bound.Rel, error) {
	var rel bound.Rel
	for _, item := range items {
		b.lateral = sc.cols
		r, cols, err := b.bindFromItem(item, nil)
		b.lateral = nil
		if err != nil {
			return nil, err
		}
		if err := checkDuplicateAliases(sc.cols, cols); err != nil {
			return nil, err
		}
		sc.cols = append(sc.cols, shiftCols(cols, scopeWidth(sc.cols))...)
		if rel == nil {
			rel = r
		} else {
			rel = &bound.JoinRel{Kind: bound.JoinCross, Left: rel, Right: r}
		}
	}
	return rel, nil
}

// joinExtra joins the target table with the extra FROM items (if any).
func joinExtra(t bound.Rel, extra bound.Rel) bound.Rel {
	if extra == nil {
		return t
	}
	return &bound.JoinRel{Kind: bound.JoinCross, Left: t, Right: extra}
}
