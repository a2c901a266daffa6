package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// finalize gives every still-untyped literal in e the type text, as
// PostgreSQL resolves unknown to text at the end of analysis.
func finalize(e bound.Expr) bound.Expr {
	if e == nil {
		return nil
	}
	out, _ := bound.Rewrite(e, func(x bound.Expr) (bound.Expr, error) {
		if u, ok := x.(*unknownLit); ok {
			return &bound.Const{Val: u.Val, T: types.Text}, nil
		}
		return x, nil
	})
	return out
}

// bindSelect binds a SELECT (or VALUES) statement.
func (b *binder) bindSelect(st *pg_query.SelectStmt, outer *scope) (*bound.Select, error) {
	if st.WithClause != nil {
		depth := len(b.ctes)
		defer func() { b.ctes = b.ctes[:depth] }()
		if err := b.pushWith(st.WithClause); err != nil {
			return nil, err
		}
	}
	return b.bindSelectBody(st, outer)
}

// bindSelectBody binds a SELECT whose WITH clause (if any) is in scope.
func (b *binder) bindSelectBody(st *pg_query.SelectStmt, outer *scope) (*bound.Select, error) {
	if st.Op != pg_query.SetOperation_SETOP_NONE {
		return b.bindSetOp(st, outer)
	}
	if len(st.ValuesLists) > 0 {
		if len(st.SortClause) > 0 || st.LimitCount != nil || st.LimitOffset != nil {
			return b.bindSelectBody(valuesAsSubquery(st), outer)
		}
		return b.bindValues(st, outer)
	}
	if st.IntoClause != nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "SELECT INTO is not supported yet")
	}
	sel := &bound.Select{}
	sc := &scope{outer: outer}
	// FROM a, b, c is a chain of cross joins.
	for _, item := range st.FromClause {
		b.lateral = sc.cols
		r, cols, err := b.bindFromItem(item, outer)
		b.lateral = nil
		if err != nil {
			return nil, err
		}
		if sel.From == nil {
			sel.From, sc.cols = r, cols
			continue
		}
		if err := checkDuplicateAliases(sc.cols, cols); err != nil {
			return nil, err
		}
		sel.From = &bound.JoinRel{Kind: bound.JoinCross, Left: sel.From, Right: r, Lateral: isLateral(item)}
		sc.cols = append(sc.cols, shiftCols(cols, scopeWidth(sc.cols))...)
	}
	if st.WhereClause != nil {
		b.aggWhat = "WHERE"
		w, err := b.bindExpr(st.WhereClause, sc, types.Bool)
		b.aggWhat = ""
		if err != nil {
			return nil, err
		}
		if w, err = b.asBool(w, "WHERE"); err != nil {
			return nil, err
		}
		sel.Where = finalize(w)
	}
	// Targets, HAVING and ORDER BY may hold aggregates; targets and ORDER
	// BY may hold window functions.
	var aggs []bound.Agg
	b.aggs = &aggs
	var windows []bound.Window
	var srfs []bound.TargetSRF
	savedWindows, savedNamed, savedSRFs := b.windows, b.namedWindows, b.srfs
	b.windows, b.srfs = &windows, &srfs
	b.namedWindows = map[string]*pg_query.WindowDef{}
	for _, wn := range st.WindowClause {
		wd := wn.GetWindowDef()
		b.namedWindows[wd.Name] = wd
	}
	defer func() { b.aggs, b.windows, b.namedWindows, b.srfs = nil, savedWindows, savedNamed, savedSRFs }()
	var targetLocs []int32 // each visible target's position, for DISTINCT's errors
	for _, t := range st.TargetList {
		rt := t.GetResTarget()
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			tgts, err := expandStar(cr, sc)
			if err != nil {
				return nil, err
			}
			b.readStar(cr, sc)
			sel.Targets = append(sel.Targets, tgts...)
			for range tgts {
				targetLocs = append(targetLocs, cr.Location)
			}
			continue
		}
		targetLocs = append(targetLocs, leftmostLocation(rt.Val))
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
		b.noteUnknownTarget(sel, len(sel.Targets), e)
		sel.Targets = append(sel.Targets, tgt)
	}
	sel.Visible = len(sel.Targets)
	var having bound.Expr
	if st.HavingClause != nil {
		b.windows, b.srfs, b.aggWhat = nil, nil, "HAVING"
		h, err := b.bindExpr(st.HavingClause, sc, types.Bool)
		b.windows, b.srfs, b.aggWhat = &windows, &srfs, ""
		if err != nil {
			return nil, err
		}
		if having, err = b.asBool(h, "HAVING"); err != nil {
			return nil, err
		}
	}
	// GROUP BY items: output column positions, output names, or expressions.
	savedChecks := b.groupChecks
	b.groupChecks = nil
	groupBy, groupingSets, err := b.bindGroupClause(st, sc, sel)
	groupChecks := b.groupChecks
	b.groupChecks = savedChecks
	if err != nil {
		return nil, err
	}
	// ORDER BY keys, bound before the aggregation rewrite so they can name
	// aggregates too.
	type orderKey struct {
		expr bound.Expr
		pos  int // >= 0: an existing target
		item bound.OrderItem
	}
	var keys []orderKey
	for _, o := range st.SortClause {
		sb := o.GetSortBy()
		k := orderKey{pos: -1}
		k.item.Desc = sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC
		k.item.NullsFirst = k.item.Desc
		switch sb.SortbyNulls {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			k.item.NullsFirst = true
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			k.item.NullsFirst = false
		}
		if pos, ok, err := outputRef(sb.Node, sel, "ORDER BY"); err != nil {
			return nil, err
		} else if ok {
			k.pos = pos
			if err := checkSortBy(sb, sel.Targets[pos].Expr.Type()); err != nil {
				return nil, err
			}
		} else {
			e, err := b.bindExpr(sb.Node, sc, types.Unknown)
			if err != nil {
				return nil, err
			}
			k.expr = finalize(e)
			if err := checkSortBy(sb, k.expr.Type()); err != nil {
				return nil, err
			}
		}
		keys = append(keys, k)
	}
	for _, g := range groupChecks {
		if err := checkEquality(g.t, g.loc); err != nil {
			return nil, err
		}
	}
	if err := b.resolveGrouping(&aggs, groupBy); err != nil {
		return nil, err
	}
	b.aggs = nil
	if len(aggs) > 0 || len(groupBy) > 0 || having != nil || groupingSets != nil {
		sel.Aggregating = true
		sel.GroupBy, sel.Aggs, sel.GroupingSets = groupBy, aggs, groupingSets
		rw := func(e bound.Expr) (bound.Expr, error) { return aggRewrite(e, groupBy, sc) }
		for _, a := range aggs {
			// The direct argument of an ordered-set aggregate is evaluated
			// once per group (at its first row): grouped columns only.
			if a.Kind.IsOrderedSet() && len(a.Args) > 0 {
				if _, err := rw(a.Args[0]); err != nil {
					if pe, ok := err.(*pgerror.Error); ok && pe.Code == pgerror.GroupingError {
						return nil, pe.WithDetail("Direct arguments of an ordered-set aggregate must use only grouped columns.")
					}
					return nil, err
				}
			}
		}
		for i := range sel.Targets {
			e, err := rw(sel.Targets[i].Expr)
			if err != nil {
				return nil, err
			}
			sel.Targets[i].Expr = e
		}
		if having != nil {
			h, err := rw(finalize(having))
			if err != nil {
				return nil, err
			}
			sel.Having = h
		}
		for i := range keys {
			if keys[i].expr != nil {
				e, err := rw(keys[i].expr)
				if err != nil {
					return nil, err
				}
				keys[i].expr = e
			}
		}
		for i := range windows {
			if err := rewriteWindow(&windows[i], rw); err != nil {
				return nil, err
			}
		}
	}
	if len(srfs) > 0 && sel.Aggregating {
		for i := range srfs {
			for j := range srfs[i].Args {
				e, err := aggRewrite(srfs[i].Args[j], sel.GroupBy, sc)
				if err != nil {
					return nil, err
				}
				srfs[i].Args[j] = e
			}
		}
	}
	if len(windows) > 0 || len(srfs) > 0 {
		inputWidth := len(sel.GroupBy) + len(sel.Aggs)
		if !sel.Aggregating {
			inputWidth = scopeWidth(sc.cols)
		}
		sel.Windows, sel.SRFs = windows, srfs
		for i := range srfs {
			for j := range srfs[i].Args {
				srfs[i].Args[j] = resolveWindowRefs(srfs[i].Args[j], inputWidth)
			}
		}
		resolveSRFs := func(e bound.Expr) bound.Expr {
			out, _ := bound.Rewrite(e, func(x bound.Expr) (bound.Expr, error) {
				if r, ok := x.(*bound.SRFRef); ok {
					return &bound.ColRef{Idx: inputWidth + len(windows) + r.Idx, T: r.T, Name: srfs[r.Idx].Name}, nil
				}
				return x, nil
			})
			return out
		}
		for i := range sel.Targets {
			sel.Targets[i].Expr = resolveSRFs(sel.Targets[i].Expr)
		}
		for i := range sel.Targets {
			sel.Targets[i].Expr = resolveWindowRefs(sel.Targets[i].Expr, inputWidth)
		}
		for i := range keys {
			if keys[i].expr != nil {
				keys[i].expr = resolveSRFs(resolveWindowRefs(keys[i].expr, inputWidth))
			}
		}
	}
	// DISTINCT is a clause list holding one empty node; DISTINCT ON lists
	// its expressions.
	sel.Distinct = len(st.DistinctClause) == 1 && (st.DistinctClause[0] == nil || st.DistinctClause[0].Node == nil)
	var distinctOn []int
	if sel.Distinct {
		for i := 0; i < sel.Visible; i++ {
			if err := checkEquality(sel.Targets[i].Expr.Type(), targetLocs[i]); err != nil {
				return nil, err
			}
		}
	} else {
		for _, d := range st.DistinctClause {
			pos, ok, err := outputRef(d, sel, "DISTINCT ON")
			if err != nil {
				return nil, err
			}
			if ok {
				if err := checkEquality(sel.Targets[pos].Expr.Type(), leftmostLocation(d)); err != nil {
					return nil, err
				}
			}
			if !ok {
				e, err := b.bindExpr(d, sc, types.Unknown)
				if err != nil {
					return nil, err
				}
				e = finalize(e)
				if err := checkEquality(e.Type(), leftmostLocation(d)); err != nil {
					return nil, err
				}
				if sel.Aggregating {
					if e, err = aggRewrite(e, sel.GroupBy, sc); err != nil {
						return nil, err
					}
				}
				if pos = findTarget(sel, e); pos < 0 {
					sel.Targets = append(sel.Targets, bound.Target{Expr: e, Name: "?column?"})
					pos = len(sel.Targets) - 1
				}
			}
			distinctOn = append(distinctOn, pos)
		}
	}
	for _, k := range keys {
		pos := k.pos
		if pos < 0 {
			pos = findTarget(sel, k.expr)
			if pos < 0 {
				if sel.Distinct {
					return nil, pgerror.New(pgerror.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
				}
				sel.Targets = append(sel.Targets, bound.Target{Expr: k.expr, Name: "?column?"})
				pos = len(sel.Targets) - 1
			}
		}
		k.item.Expr = &bound.ColRef{Idx: pos, T: sel.Targets[pos].Expr.Type(), Name: sel.Targets[pos].Name}
		sel.OrderBy = append(sel.OrderBy, k.item)
	}
	for i, pos := range distinctOn {
		if i < len(sel.OrderBy) && sel.OrderBy[i].Expr.(*bound.ColRef).Idx != pos {
			return nil, pgerror.New(pgerror.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
		}
		sel.DistinctOn = append(sel.DistinctOn, &bound.ColRef{Idx: pos, T: sel.Targets[pos].Expr.Type()})
	}
	if err := b.bindLimit(st, sel); err != nil {
		return nil, err
	}
	if len(st.LockingClause) > 0 {
		lc := st.LockingClause[0].GetLockingClause()
		sel.Lock = bound.LockForUpdate
		if lc.Strength == pg_query.LockClauseStrength_LCS_FORSHARE || lc.Strength == pg_query.LockClauseStrength_LCS_FORKEYSHARE {
			sel.Lock = bound.LockForShare
		}
		sel.LockWait = uint8(lc.WaitPolicy)
	}
	return sel, nil
}

func isStar(cr *pg_query.ColumnRef) bool {
	return len(cr.Fields) > 0 && cr.Fields[len(cr.Fields)-1].GetAStar() != nil
}

// readStar records the columns a * reads for view dependencies.
func (b *binder) readStar(cr *pg_query.ColumnRef, sc *scope) {
	qual := ""
	if len(cr.Fields) >= 2 {
		qual = strVal(cr.Fields[len(cr.Fields)-2])
	}
	for _, c := range sc.cols {
		if c.hidden || c.system || (qual != "" && c.table != qual) || (c.qualOnly && qual == "") {
			continue
		}
		b.readColumn(c)
	}
}

func expandStar(cr *pg_query.ColumnRef, sc *scope) ([]bound.Target, error) {
	qual := ""
	if len(cr.Fields) >= 2 {
		qual = strVal(cr.Fields[len(cr.Fields)-2])
	}
	var out []bound.Target
	for _, c := range sc.cols {
		if c.hidden || c.system || (qual != "" && c.table != qual) || (c.qualOnly && qual == "") {
			continue
		}
		out = append(out, bound.Target{Expr: &bound.ColRef{Idx: c.idx, T: c.typ, Name: c.name, Table: c.table}, Name: c.name, TableOID: c.tableOID, AttrNum: c.attnum})
	}
	if qual != "" && len(out) == 0 && !sc.hasTable(qual) {
		return nil, pgerror.New(pgerror.UndefinedTable, "missing FROM-clause entry for table \"%s\"", qual).WithPosition(cr.Location + 1)
	}
	if len(out) == 0 && qual == "" && len(sc.cols) == 0 {
		return nil, pgerror.New(pgerror.SyntaxError, "SELECT * with no tables specified is not valid").WithPosition(cr.Location + 1)
	}
	return out, nil
}

func colOf(sc *scope, idx int) *scopeCol {
	for i := range sc.cols {
		if sc.cols[i].idx == idx {
			return &sc.cols[i]
		}
	}
	return nil
}

// weightedColumnName is FigureColname's strength for the two forms whose
// name is only a fallback: a cast's type name and "case" are weak (a CASE
// takes its ELSE result's name only when that one is strong, as a column
// or function name is).
func weightedColumnName(n *pg_query.Node) (name string, strong bool) {
	switch {
	case n.GetTypeCast() != nil:
		tc := n.GetTypeCast()
		if name, strong := weightedColumnName(tc.Arg); strong {
			return name, true
		}
		ns := tc.TypeName.Names
		name := strVal(ns[len(ns)-1])
		if canon, ok := typeColumnNames[name]; ok {
			return canon, false
		}
		return name, false
	case n.GetCaseExpr() != nil:
		if d := n.GetCaseExpr().Defresult; d != nil {
			if name, strong := weightedColumnName(d); strong {
				return name, true
			}
		}
		return "case", false
	}
	name = columnName(n)
	return name, name != "?column?"
}

// columnName derives a result column's name as PostgreSQL does
// (FigureColname): the column or function name, the cast's type name, or
// "?column?".
func columnName(n *pg_query.Node) string {
	switch {
	case n.GetColumnRef() != nil:
		fs := n.GetColumnRef().Fields
		return strVal(fs[len(fs)-1])
	case n.GetFuncCall() != nil:
		fs := n.GetFuncCall().Funcname
		return strVal(fs[len(fs)-1])
	case n.GetTypeCast() != nil, n.GetCaseExpr() != nil:
		name, _ := weightedColumnName(n)
		return name
	case n.GetAIndirection() != nil:
		// (t).col is named after the field (FigureColnameInternal).
		ind := n.GetAIndirection().Indirection
		for i := len(ind) - 1; i >= 0; i-- {
			if ind[i].GetString_() != nil {
				return strVal(ind[i])
			}
		}
		return columnName(n.GetAIndirection().Arg)
	case n.GetRowExpr() != nil:
		return "row"
	case n.GetAArrayExpr() != nil:
		return "array"
	case n.GetCoalesceExpr() != nil:
		return "coalesce"
	case n.GetGroupingFunc() != nil:
		return "grouping"
	case n.GetMinMaxExpr() != nil:
		if n.GetMinMaxExpr().Op == pg_query.MinMaxOp_IS_LEAST {
			return "least"
		}
		return "greatest"
	case n.GetSqlvalueFunction() != nil:
		switch n.GetSqlvalueFunction().Op {
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
			return "current_date"
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
			return "current_timestamp"
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
			return "current_time"
		case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
			return "localtimestamp"
		case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
			return "localtime"
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER:
			return "current_user"
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
			return "current_role"
		case pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER:
			return "session_user"
		case pg_query.SQLValueFunctionOp_SVFOP_USER:
			return "user"
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
			return "current_catalog"
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
			return "current_schema"
		}
	case n.GetAExpr() != nil:
		if n.GetAExpr().Kind == pg_query.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif"
		}
	case n.GetSubLink() != nil:
		sl := n.GetSubLink()
		switch sl.SubLinkType {
		case pg_query.SubLinkType_EXISTS_SUBLINK:
			return "exists"
		case pg_query.SubLinkType_ARRAY_SUBLINK:
			return "array"
		case pg_query.SubLinkType_EXPR_SUBLINK:
			if sel := sl.Subselect.GetSelectStmt(); sel != nil && len(sel.TargetList) > 0 {
				rt := sel.TargetList[0].GetResTarget()
				if rt.Name != "" {
					return rt.Name
				}
				return columnName(rt.Val)
			}
		}
	}
	return "?column?"
}

// typeColumnNames: SELECT x::int names the column int4 (the type's
// internal name), as FigureColname does.
var typeColumnNames = map[string]string{
	"int": "int4", "integer": "int4", "smallint": "int2", "bigint": "int8", "real": "float4",
	"float": "float8", "double": "float8", "boolean": "bool", "decimal": "numeric",
	"character varying": "varchar", "character": "bpchar", "char": "bpchar",
}

// outputRef recognizes an ORDER BY / GROUP BY item naming an output column
// by position (ORDER BY 2) or by name (ORDER BY alias).
// clause names the clause in errors ("ORDER BY", "DISTINCT ON").
func outputRef(n *pg_query.Node, sel *bound.Select, clause string) (int, bool, error) {
	if c := n.GetAConst(); c != nil {
		iv, ok := c.Val.(*pg_query.A_Const_Ival)
		if !ok {
			return 0, false, nonIntegerConstant(c, clause)
		}
		pos := int(iv.Ival.Ival)
		if pos < 1 || pos > sel.Visible {
			return 0, false, pgerror.New(pgerror.InvalidColumnReference, "%s position %d is not in select list", clause, pos).WithPosition(c.Location + 1)
		}
		return pos - 1, true, nil
	}
	if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
		name := strVal(cr.Fields[0])
		for i := 0; i < sel.Visible; i++ {
			if sel.Targets[i].Name == name {
				// A real input column of the same name wins in PostgreSQL
				// only for GROUP BY; for ORDER BY the output name wins.
				return i, true, nil
			}
		}
	}
	return 0, false, nil
}

func (b *binder) bindGroupItem(g *pg_query.Node, sc *scope, sel *bound.Select) (bound.Expr, error) {
	if c := g.GetAConst(); c != nil {
		iv, ok := c.Val.(*pg_query.A_Const_Ival)
		if !ok {
			return nil, nonIntegerConstant(c, "GROUP BY")
		}
		pos := int(iv.Ival.Ival)
		if pos < 1 || pos > sel.Visible {
			return nil, pgerror.New(pgerror.InvalidColumnReference, "GROUP BY position %d is not in select list", pos).WithPosition(c.Location + 1)
		}
		e := sel.Targets[pos-1].Expr
		if err := groupableTarget(e); err != nil {
			return nil, err
		}
		return e, nil
	}
	saved := b.aggs
	b.aggs, b.aggWhat = nil, "GROUP BY"
	defer func() { b.aggs, b.aggWhat = saved, "" }()
	e, err := b.bindExpr(g, sc, types.Unknown)
	if err != nil {
		// GROUP BY may name an output column that is not an input column.
		if cr := g.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && pgerror.CodeOf(err) == pgerror.UndefinedColumn {
			name := strVal(cr.Fields[0])
			for i := 0; i < sel.Visible; i++ {
				if sel.Targets[i].Name == name {
					return sel.Targets[i].Expr, nil
				}
			}
		}
		return nil, err
	}
	return e, nil
}

func findTarget(sel *bound.Select, e bound.Expr) int {
	key := bound.MatchKey(e)
	for i, t := range sel.Targets {
		if t.Expr.Type() == e.Type() && bound.MatchKey(t.Expr) == key {
			return i
		}
	}
	return -1
}

// aggRewrite turns an expression over input rows into one over aggregated
// rows (group keys then aggregates); a column that is neither grouped nor
// inside an aggregate is 42803.
func aggRewrite(e bound.Expr, groupBy []bound.Expr, sc *scope) (bound.Expr, error) {
	keys := make([]string, len(groupBy))
	for i, g := range groupBy {
		keys[i] = bound.MatchKey(g)
	}
	return bound.Transform(e, func(x bound.Expr) (bound.Expr, bool, error) {
		if a, ok := x.(*bound.AggRef); ok {
			return &bound.ColRef{Idx: len(groupBy) + a.Idx, T: a.T, Name: "agg"}, true, nil
		}
		// A grouped expression reads its group column, a constant too:
		// under GROUPING SETS the column is NULL in the sets without it.
		f := bound.MatchKey(x)
		for i, k := range keys {
			if k == f && groupBy[i].Type() == x.Type() {
				return &bound.ColRef{Idx: i, T: x.Type(), Name: bound.Format(x)}, true, nil
			}
		}
		switch x.(type) {
		case *bound.Const, *bound.Param, *bound.OuterRef:
			return x, true, nil
		}
		if c, ok := x.(*bound.ColRef); ok {
			name := c.Name
			if c.Table != "" {
				name = c.Table + "." + c.Name
			}
			return nil, true, pgerror.New(pgerror.GroupingError, "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function", name)
		}
		if sq, ok := x.(*bound.Subquery); ok && sq.Correlated {
			from, err := subqueryOuterFrom(sq, groupBy, sc)
			if err != nil {
				return nil, true, err
			}
			c := *sq
			c.OuterFrom = from
			if sq.X != nil {
				if c.X, err = aggRewrite(sq.X, groupBy, sc); err != nil {
					return nil, true, err
				}
			}
			return &c, true, nil
		}
		return x, false, nil
	})
}

// subqueryOuterFrom maps the input columns a correlated subquery in HAVING
// or the select list of a grouped query reads to their places among the
// group keys (bound.Subquery.OuterFrom); a column that is not grouped is
// 42803, as PostgreSQL's check_ungrouped_columns.
func subqueryOuterFrom(sq *bound.Subquery, groupBy []bound.Expr, sc *scope) ([]int, error) {
	width := 0
	for _, c := range sc.cols {
		width = max(width, c.idx+1)
	}
	from := make([]int, width)
	for i := range from {
		from[i] = -1
	}
	for i, g := range groupBy {
		if c, ok := g.(*bound.ColRef); ok && c.Idx < width && from[c.Idx] < 0 {
			from[c.Idx] = i
		}
	}
	var err error
	bound.OuterRefsTo(sq.Plan, 1, func(r *bound.OuterRef) {
		if err != nil || (r.Idx < width && from[r.Idx] >= 0) {
			return
		}
		name := "?"
		for _, c := range sc.cols {
			if c.idx == r.Idx {
				name = c.name
				if c.table != "" {
					name = c.table + "." + c.name
				}
				break
			}
		}
		err = pgerror.New(pgerror.GroupingError, "subquery uses ungrouped column \"%s\" from outer query", name)
	})
	return from, err
}

// bindFromItem binds one FROM item and returns its columns.
func (b *binder) bindFromItem(n *pg_query.Node, outer *scope) (bound.Rel, []scopeCol, error) {
	switch {
	case n.GetRangeVar() != nil:
		rv := n.GetRangeVar()
		if rv.Schemaname == "" {
			for i := len(b.ctes) - 1; i >= 0; i-- {
				if b.ctes[i].name == rv.Relname {
					return b.bindCTERef(b.ctes[i], i, rv, outer)
				}
			}
		}
		if v := b.s.systemView(rv); v != nil {
			alias := v.Name
			if rv.Alias != nil {
				alias = rv.Alias.Aliasname
			}
			// System catalogs also have the tableoid system column.
			gen, viewOID := v.Rows, v.OID
			rel := &bound.VirtualRel{Schema: v.Schema, Name: v.Name, Rows: func(env bound.Env) ([][]types.Datum, error) {
				rows, err := gen(env)
				for i := range rows {
					rows[i] = append(rows[i], types.NewInt(int64(viewOID)))
				}
				return rows, err
			}}
			var cols []scopeCol
			for i, c := range v.Cols {
				rel.Types = append(rel.Types, c.Type)
				cols = append(cols, scopeCol{table: alias, name: c.Name, idx: i, typ: c.Type, tableOID: v.OID, attnum: int16(i + 1)})
			}
			rel.Types = append(rel.Types, types.OID)
			cols = append(cols, scopeCol{table: alias, name: "tableoid", idx: len(v.Cols), typ: types.OID, system: true})
			return rel, cols, nil
		}
		if rel, cols, ok := b.sequenceRel(rv); ok {
			return rel, cols, nil
		}
		t, err := b.s.resolveTable(b.cat, rv)
		if err != nil {
			return nil, nil, err
		}
		alias := t.Name
		if rv.Alias != nil {
			alias = rv.Alias.Aliasname
		}
		if t.Kind == catalog.RelView {
			return b.expandView(t, alias, rv, outer)
		}
		if t.Kind == catalog.RelMatView && t.Unpopulated && !b.viewDef {
			// PostgreSQL checks at executor start (ExecCheckRelationsScannable).
			return nil, nil, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "materialized view \"%s\" has not been populated", t.Name).
				WithHint("Use the REFRESH MATERIALIZED VIEW command.")
		}
		return &bound.ScanRel{Table: t, Alias: alias, Stats: b.s.e.stats.get(t)}, tableScope(t, alias, 0), nil
	case n.GetRangeSubselect() != nil:
		rs := n.GetRangeSubselect()
		inner := outer
		if rs.Lateral && len(b.lateral) > 0 {
			// A LATERAL subquery sees the FROM items to its left as an
			// enclosing row.
			inner = &scope{cols: b.lateral, outer: outer}
		}
		lateral := b.lateral
		b.lateral = nil
		q, err := b.bindSelect(rs.Subquery.GetSelectStmt(), inner)
		b.lateral = lateral
		if err != nil {
			return nil, nil, err
		}
		alias := ""
		var colAliases []string
		if rs.Alias != nil {
			alias = rs.Alias.Aliasname
			for _, c := range rs.Alias.Colnames {
				colAliases = append(colAliases, strVal(c))
			}
		}
		if len(colAliases) > q.Visible {
			return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "table \"%s\" has %d columns available but %d columns specified", alias, q.Visible, len(colAliases))
		}
		var cols []scopeCol
		for i := 0; i < q.Visible; i++ {
			name := q.Targets[i].Name
			if i < len(colAliases) {
				name = colAliases[i]
			}
			cols = append(cols, scopeCol{table: alias, name: name, idx: i, typ: q.Targets[i].Expr.Type()})
		}
		return &bound.SubqueryRel{Query: q}, cols, nil
	}
	if je := n.GetJoinExpr(); je != nil {
		return b.bindJoin(je, outer)
	}
	if rf := n.GetRangeFunction(); rf != nil {
		return b.bindRangeFunction(rf, outer)
	}
	return nil, nil, pgerror.New(pgerror.FeatureNotSupported, "FROM item %s is not supported yet", nodeName(n))
}

// shiftCols renumbers a FROM item's columns to follow off columns.
// scopeWidth is the width of the row a scope's columns read: its columns
// are not one per position (a JOIN ... USING adds merged columns).
func scopeWidth(cols []scopeCol) int {
	w := 0
	for _, c := range cols {
		w = max(w, c.idx+1)
	}
	return w
}

func shiftCols(cols []scopeCol, off int) []scopeCol {
	out := make([]scopeCol, len(cols))
	for i, c := range cols {
		c.idx += off
		out[i] = c
	}
	return out
}

func checkDuplicateAliases(left, right []scopeCol) error {
	seen := map[string]bool{}
	for _, c := range left {
		if c.table != "" {
			seen[c.table] = true
		}
	}
	for _, c := range right {
		if c.table != "" && seen[c.table] {
			return pgerror.New(pgerror.DuplicateAlias, "table name \"%s\" specified more than once", c.table)
		}
	}
	return nil
}

// bindJoin binds a JOIN: its row is the left columns then the right's.
func (b *binder) bindJoin(je *pg_query.JoinExpr, outer *scope) (bound.Rel, []scopeCol, error) {
	outerLateral := b.lateral
	l, lcols, err := b.bindFromItem(je.Larg, outer)
	if err != nil {
		return nil, nil, err
	}
	b.lateral = append(append([]scopeCol(nil), outerLateral...), shiftCols(lcols, scopeWidth(outerLateral))...)
	r, rcols, err := b.bindFromItem(je.Rarg, outer)
	b.lateral = outerLateral
	if err != nil {
		return nil, nil, err
	}
	if err := checkDuplicateAliases(lcols, rcols); err != nil {
		return nil, nil, err
	}
	j := &bound.JoinRel{Left: l, Right: r, Lateral: isLateral(je.Rarg)}
	if j.Lateral && len(outerLateral) > 0 {
		return nil, nil, pgerror.New(pgerror.FeatureNotSupported, "LATERAL inside a nested JOIN is not supported yet")
	}
	switch je.Jointype {
	case pg_query.JoinType_JOIN_INNER:
		j.Kind = bound.JoinInner
		if je.Quals == nil && len(je.UsingClause) == 0 && !je.IsNatural {
			j.Kind = bound.JoinCross
		}
	case pg_query.JoinType_JOIN_LEFT:
		j.Kind = bound.JoinLeft
	case pg_query.JoinType_JOIN_RIGHT:
		j.Kind = bound.JoinRight
	case pg_query.JoinType_JOIN_FULL:
		j.Kind = bound.JoinFull
	default:
		return nil, nil, pgerror.New(pgerror.FeatureNotSupported, "join type %s is not supported", je.Jointype)
	}
	cols := append(append([]scopeCol(nil), lcols...), shiftCols(rcols, l.Width())...)
	sc := &scope{cols: cols, outer: outer}
	var using []string
	for _, u := range je.UsingClause {
		using = append(using, strVal(u))
	}
	if je.IsNatural {
		for _, lc := range lcols {
			if lc.hidden || lc.qualOnly {
				continue
			}
			for _, rc := range rcols {
				if !rc.hidden && !rc.qualOnly && rc.name == lc.name {
					using = append(using, lc.name)
				}
			}
		}
	}
	on, cols, rel, err := b.bindUsing(j, using, lcols, rcols, cols, je)
	if err != nil {
		return nil, nil, err
	}
	if je.Quals != nil {
		q, err := b.bindExpr(je.Quals, sc, types.Bool)
		if err != nil {
			return nil, nil, err
		}
		if q, err = b.asBool(q, "JOIN/ON"); err != nil {
			return nil, nil, err
		}
		q = finalize(q)
		if on == nil {
			on = q
		} else {
			on = &bound.And{L: on, R: q}
		}
	}
	j.On = on
	if j.Kind == bound.JoinFull {
		if err := checkFullJoin(on, l.Width()); err != nil {
			return nil, nil, err
		}
	}
	if je.Alias != nil {
		for i := range cols {
			cols[i].table = je.Alias.Aliasname
			// A join alias hides the merged tables' own names.
			cols[i].hidden = cols[i].hidden || cols[i].qualOnly
		}
	}
	return rel, cols, nil
}

// tableScope lists a table's columns at row offset off.
func tableScope(t *catalog.Table, alias string, off int) []scopeCol {
	cols := make([]scopeCol, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = scopeCol{table: alias, name: c.Name, idx: off + i, typ: c.Type, tableOID: t.OID, attnum: c.Attnum, hidden: c.Dropped || c.Hidden}
	}
	return cols
}

// valuesAsSubquery turns VALUES ... ORDER BY/LIMIT into SELECT * FROM (VALUES
// ...) "*VALUES*" ORDER BY/LIMIT, which is how PostgreSQL's grammar treats a
// VALUES clause (a SELECT with a VALUES RTE), so ORDER BY 1 and ORDER BY
// column1 both resolve through the ordinary SELECT path.
func valuesAsSubquery(st *pg_query.SelectStmt) *pg_query.SelectStmt {
	inner := &pg_query.SelectStmt{ValuesLists: st.ValuesLists, Op: st.Op}
	star := &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{
		Fields: []*pg_query.Node{{Node: &pg_query.Node_AStar{AStar: &pg_query.A_Star{}}}}}}}
	return &pg_query.SelectStmt{
		TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: star}}}},
		FromClause: []*pg_query.Node{{Node: &pg_query.Node_RangeSubselect{RangeSubselect: &pg_query.RangeSubselect{
			Subquery: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: inner}},
			Alias:    &pg_query.Alias{Aliasname: "*VALUES*"}}}}},
		SortClause:    st.SortClause,
		LimitCount:    st.LimitCount,
		LimitOffset:   st.LimitOffset,
		LimitOption:   st.LimitOption,
		LockingClause: st.LockingClause,
		Op:            st.Op,
	}
}

// bindValues binds a VALUES list as a query block.
func (b *binder) bindValues(st *pg_query.SelectStmt, outer *scope) (*bound.Select, error) {
	rows := make([][]bound.Expr, len(st.ValuesLists))
	width := -1
	for i, vl := range st.ValuesLists {
		items := vl.GetList().GetItems()
		if width >= 0 && len(items) != width {
			return nil, pgerror.New(pgerror.SyntaxError, "VALUES lists must all be the same length")
		}
		width = len(items)
		for _, it := range items {
			e, err := b.bindExpr(it, &scope{outer: outer}, types.Unknown)
			if err != nil {
				return nil, err
			}
			rows[i] = append(rows[i], e)
		}
	}
	vr := &bound.ValuesRel{Rows: rows}
	sel := &bound.Select{From: vr}
	for c := 0; c < width; c++ {
		col := make([]bound.Expr, len(rows))
		for r := range rows {
			col[r] = rows[r][c]
		}
		t, err := b.commonType(col, "VALUES")
		if err != nil {
			return nil, err
		}
		for r := range rows {
			e, err := b.coerce(rows[r][c], t, castImplicit)
			if err != nil {
				return nil, err
			}
			rows[r][c] = finalize(e)
		}
		vr.Types = append(vr.Types, t)
		name := "column" + itoa(c+1)
		sel.Targets = append(sel.Targets, bound.Target{Expr: &bound.ColRef{Idx: c, T: t, Name: name}, Name: name})
	}
	sel.Visible = width
	return sel, nil
}

func itoa(i int) string {
	return string(pgItoa(nil, int64(i)))
}

func pgItoa(dst []byte, v int64) []byte {
	if v == 0 {
		return append(dst, '0')
	}
	var buf [20]byte
	n := len(buf)
	neg := v < 0
	if neg {
		v = -v
	}
	for v > 0 {
		n--
		buf[n] = byte('0' + v%10)
		v /= 10
	}
	if neg {
		n--
		buf[n] = '-'
	}
	return append(dst, buf[n:]...)
}

// bindRangeFunction binds a set-returning function in FROM.
func (b *binder) bindRangeFunction(rf *pg_query.RangeFunction, outer *scope) (bound.Rel, []scopeCol, error) {
	if rf.IsRowsfrom || len(rf.Functions) != 1 || len(rf.Coldeflist) > 0 {
		return nil, nil, pgerror.New(pgerror.FeatureNotSupported, "this form of function in FROM is not supported yet")
	}
	items := rf.Functions[0].GetList().GetItems()
	fc := items[0].GetFuncCall()
	if fc == nil {
		return nil, nil, pgerror.New(pgerror.FeatureNotSupported, "this form of function in FROM is not supported yet")
	}
	name := strVal(fc.Funcname[len(fc.Funcname)-1])
	// A function in FROM may read the FROM items to its left (it is
	// implicitly LATERAL).
	argScope := &scope{outer: outer}
	if len(b.lateral) > 0 {
		argScope = &scope{outer: &scope{cols: b.lateral, outer: outer}}
	}
	var s builtins.SRF
	var args []bound.Expr
	var cols []builtins.SRFColumn
	var err error
	if name == "unnest" && len(fc.Args) > 1 {
		s, args, cols, err = b.multiUnnest(fc, argScope)
	} else {
		s, args, cols, err = b.resolveSRF(name, fc, argScope)
	}
	if err != nil {
		return nil, nil, err
	}
	if rf.Ordinality {
		cols = append(cols, builtins.SRFColumn{Name: "ordinality", Type: types.Int8})
	}
	alias := name
	var colAliases []string
	if rf.Alias != nil {
		alias = rf.Alias.Aliasname
		for _, c := range rf.Alias.Colnames {
			colAliases = append(colAliases, strVal(c))
		}
	}
	rel := &bound.FuncRel{Name: name, Args: args, Gen: s.Gen, Ordinality: rf.Ordinality, NullCall: s.NullCall}
	var out []scopeCol
	for i, c := range cols {
		cname := c.Name
		if cname == "" {
			cname = alias
		}
		if i < len(colAliases) {
			cname = colAliases[i]
		}
		rel.Types = append(rel.Types, c.Type)
		out = append(out, scopeCol{table: alias, name: cname, idx: i, typ: c.Type, scalar: len(cols) == 1 && !rf.Ordinality})
	}
	return rel, out, nil
}

// expandView binds a view's stored query in place of its name.
func (b *binder) expandView(v *catalog.Table, alias string, rv *pg_query.RangeVar, outer *scope) (bound.Rel, []scopeCol, error) {
	res, err := parse(v.Query)
	if err != nil {
		return nil, nil, err
	}
	b.inView++
	q, err := b.bindSelect(res[0].stmt.GetSelectStmt(), nil)
	b.inView--
	if err != nil {
		return nil, nil, err
	}
	var cols []scopeCol
	for i, c := range v.Columns {
		name := c.Name
		if rv.Alias != nil && i < len(rv.Alias.Colnames) {
			name = strVal(rv.Alias.Colnames[i])
		}
		cols = append(cols, scopeCol{table: alias, name: name, idx: i, typ: q.Targets[i].Expr.Type(), viewOID: v.OID, viewAtt: c.Attnum})
	}
	return &bound.SubqueryRel{Query: q, View: v.OID}, cols, nil
}

func isLateral(n *pg_query.Node) bool {
	if rs := n.GetRangeSubselect(); rs != nil {
		return rs.Lateral
	}
	if n.GetRangeFunction() != nil {
		return true // functions in FROM are implicitly LATERAL
	}
	return false
}

// bindCTERef binds a reference to a WITH query as a subquery in FROM; the
// query sees only the WITH queries defined before it.
func (b *binder) bindCTERef(c cte, at int, rv *pg_query.RangeVar, outer *scope) (bound.Rel, []scopeCol, error) {
	if c.mod != nil {
		return modifyingCTERef(c, rv)
	}
	if c.self != nil {
		return b.bindRecursiveSelf(c, rv)
	}
	if c.recursive {
		if rel, cols, ok, err := b.bindRecursiveRef(c, at, rv); ok || err != nil {
			return rel, cols, err
		}
	}
	saved := b.ctes
	b.ctes = b.ctes[:at]
	q, err := b.bindSelect(c.query, nil)
	b.ctes = saved
	if err != nil {
		return nil, nil, err
	}
	alias := c.name
	if rv.Alias != nil {
		alias = rv.Alias.Aliasname
	}
	var cols []scopeCol
	for i := 0; i < q.Visible; i++ {
		name := q.Targets[i].Name
		if i < len(c.columns) {
			name = c.columns[i]
		}
		if rv.Alias != nil && i < len(rv.Alias.Colnames) {
			name = strVal(rv.Alias.Colnames[i])
		}
		cols = append(cols, scopeCol{table: alias, name: name, idx: i, typ: q.Targets[i].Expr.Type()})
	}
	return &bound.SubqueryRel{Query: q}, cols, nil
}

var setOpNames = map[pg_query.SetOperation]string{pg_query.SetOperation_SETOP_UNION: "UNION",
	pg_query.SetOperation_SETOP_INTERSECT: "INTERSECT", pg_query.SetOperation_SETOP_EXCEPT: "EXCEPT"}

// bindSetOp binds UNION/INTERSECT/EXCEPT: both sides are converted to
// common column types; ORDER BY and LIMIT apply to the combined result
// and may name its columns by name or position.
func (b *binder) bindSetOp(st *pg_query.SelectStmt, outer *scope) (*bound.Select, error) {
	l, err := b.bindSelect(st.Larg, outer)
	if err != nil {
		return nil, err
	}
	r, err := b.bindSelect(st.Rarg, outer)
	if err != nil {
		return nil, err
	}
	name := setOpNames[st.Op]
	if l.Visible != r.Visible {
		return nil, pgerror.New(pgerror.SyntaxError, "each %s query must have the same number of columns", name)
	}
	sel := &bound.Select{Visible: l.Visible}
	kind := map[pg_query.SetOperation]bound.SetOpKind{pg_query.SetOperation_SETOP_UNION: bound.SetUnion,
		pg_query.SetOperation_SETOP_INTERSECT: bound.SetIntersect, pg_query.SetOperation_SETOP_EXCEPT: bound.SetExcept}[st.Op]
	var ltypes, rtypes []types.Type
	for i := 0; i < l.Visible; i++ {
		t, err := b.commonType([]bound.Expr{b.outputExpr(l, i), b.outputExpr(r, i)}, name)
		if err != nil {
			return nil, err
		}
		if err := b.retypeUnknownOutput(l, i, t, castImplicit); err != nil {
			return nil, err
		}
		if err := b.retypeUnknownOutput(r, i, t, castImplicit); err != nil {
			return nil, err
		}
		if kind != bound.SetUnion || !st.All { // the others compare rows
			if err := checkEquality(t, setOpColumnLocation(st, i)); err != nil {
				return nil, err
			}
		}
		ltypes, rtypes = append(ltypes, t), append(rtypes, t)
		sel.Targets = append(sel.Targets, bound.Target{Expr: &bound.ColRef{Idx: i, T: t, Name: l.Targets[i].Name}, Name: l.Targets[i].Name})
	}
	if l, err = b.convertOutputs(l, ltypes); err != nil {
		return nil, err
	}
	if r, err = b.convertOutputs(r, rtypes); err != nil {
		return nil, err
	}
	sel.SetOp = &bound.SetOp{Kind: kind, All: st.All, Left: l, Right: r}
	for _, o := range st.SortClause {
		sb := o.GetSortBy()
		pos, ok, err := outputRef(sb.Node, sel, "ORDER BY")
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "ORDER BY on a UNION/INTERSECT/EXCEPT result must name an output column").
				WithHint("Use a column name or position.")
		}
		if err := checkSortBy(sb, sel.Targets[pos].Expr.Type()); err != nil {
			return nil, err
		}
		item := bound.OrderItem{Desc: sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC}
		item.NullsFirst = item.Desc
		switch sb.SortbyNulls {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			item.NullsFirst = true
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			item.NullsFirst = false
		}
		item.Expr = &bound.ColRef{Idx: pos, T: sel.Targets[pos].Expr.Type(), Name: sel.Targets[pos].Name}
		sel.OrderBy = append(sel.OrderBy, item)
	}
	if err := b.bindLimit(st, sel); err != nil {
		return nil, err
	}
	return sel, nil
}

// convertOutputs wraps q so its visible outputs have the given types.
func (b *binder) convertOutputs(q *bound.Select, want []types.Type) (*bound.Select, error) {
	same := true
	for i, t := range want {
		if q.Targets[i].Expr.Type() != t {
			same = false
		}
	}
	if same {
		return q, nil
	}
	w := &bound.Select{From: &bound.SubqueryRel{Query: q}, Visible: q.Visible}
	for i, t := range want {
		e, err := b.coerce(&bound.ColRef{Idx: i, T: q.Targets[i].Expr.Type()}, t, castImplicit)
		if err != nil {
			return nil, err
		}
		w.Targets = append(w.Targets, bound.Target{Expr: finalize(e), Name: q.Targets[i].Name})
	}
	return w, nil
}

// rewriteWindow applies the aggregation rewrite to a window's expressions.
func rewriteWindow(w *bound.Window, rw func(bound.Expr) (bound.Expr, error)) error {
	var err error
	for i := range w.Args {
		if w.Args[i], err = rw(w.Args[i]); err != nil {
			return err
		}
	}
	for i := range w.PartitionBy {
		if w.PartitionBy[i], err = rw(w.PartitionBy[i]); err != nil {
			return err
		}
	}
	for i := range w.OrderBy {
		if w.OrderBy[i].Expr, err = rw(w.OrderBy[i].Expr); err != nil {
			return err
		}
	}
	if w.Agg != nil {
		w.Agg.Args = w.Args
	}
	return nil
}

// resolveSRF binds a set-returning function call: its signature, converted
// arguments and output columns.
func (b *binder) resolveSRF(name string, fc *pg_query.FuncCall, sc *scope) (builtins.SRF, []bound.Expr, []builtins.SRFColumn, error) {
	ss := builtins.SetReturning(name)
	if ss == nil {
		return builtins.SRF{}, nil, nil, pgerror.New(pgerror.FeatureNotSupported, "function %s in FROM is not supported yet", name).WithPosition(fc.Location + 1)
	}
	fc, err := positionalArgs(name, fc)
	if err != nil {
		return builtins.SRF{}, nil, nil, err
	}
	args := make([]bound.Expr, len(fc.Args))
	ts := make([]types.Type, len(fc.Args))
	for i, a := range fc.Args {
		x, err := b.bindExpr(a, sc, types.Unknown)
		if err != nil {
			return builtins.SRF{}, nil, nil, err
		}
		args[i], ts[i] = x, x.Type()
	}
	ovs := builtins.SRFOverloads(ss)
	ov, ambiguous := builtins.Resolve(ovs, ts)
	if ov == nil || ambiguous {
		return builtins.SRF{}, nil, nil, b.noFunction(name, args, fc.Location)
	}
	var s builtins.SRF
	for i := range ovs {
		if &ovs[i] == ov {
			s = ss[i]
		}
	}
	for i := range args {
		want := builtins.Any
		if i < len(s.Args) {
			want = s.Args[i]
		} else if len(s.Args) > 0 {
			want = s.Args[len(s.Args)-1]
		}
		if want.OID == builtins.AnyOID {
			args[i] = finalize(b.settle(args[i]))
			continue
		}
		c, err := b.coerce(args[i], want, castImplicit)
		if err != nil {
			return builtins.SRF{}, nil, nil, err
		}
		args[i] = finalize(c)
	}
	cols := append([]builtins.SRFColumn(nil), s.Cols...)
	if s.ColsFromArg >= 0 && s.ColsFromArg < len(args) {
		t := args[s.ColsFromArg].Type()
		if s.ElemOfArg {
			if et, ok := t.Elem(); ok {
				t = et
			}
		}
		if len(cols) == 0 {
			cols = []builtins.SRFColumn{{}}
		}
		cols[0].Type = t
	}
	return s, args, cols, nil
}

// bindTargetSRF binds a set-returning function in the select list: the
// query then returns one row per value (PostgreSQL's ProjectSet).
func (b *binder) bindTargetSRF(name string, fc *pg_query.FuncCall, sc *scope) (bound.Expr, error) {
	if b.srfs == nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "set-returning functions are not allowed in %s", orDefault(b.aggWhat, "this context")).WithPosition(fc.Location + 1)
	}
	s, args, cols, err := b.resolveSRF(name, fc, sc)
	if err != nil {
		return nil, err
	}
	if len(cols) != 1 {
		// Several output columns: each row is one record value, as
		// PostgreSQL returns SELECT pg_create_logical_replication_slot(...).
		typs := make([]types.Type, len(cols))
		for i := range cols {
			typs[i] = cols[i].Type
		}
		gen := s.Gen
		s.Gen = func(c *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
			return gen(c, a, func(row []types.Datum) error {
				return emit([]types.Datum{recordDatum(row, typs, c.Settings)})
			})
		}
		cols = []builtins.SRFColumn{{Type: types.Record}}
	}
	*b.srfs = append(*b.srfs, bound.TargetSRF{Name: name, Args: args, Gen: s.Gen, T: cols[0].Type, NullCall: s.NullCall})
	return &bound.SRFRef{Idx: len(*b.srfs) - 1, T: cols[0].Type}, nil
}

// bindLimit binds LIMIT and OFFSET as bigint expressions; LIMIT ALL is a
// NULL constant and means no limit.
func (b *binder) bindLimit(st *pg_query.SelectStmt, sel *bound.Select) error {
	sel.WithTies = st.LimitOption == pg_query.LimitOption_LIMIT_OPTION_WITH_TIES
	if st.LimitCount != nil {
		if c := st.LimitCount.GetAConst(); sel.WithTies && c != nil && c.Isnull {
			return pgerror.New(pgerror.InvalidRowCountInLimit, "row count cannot be null in FETCH FIRST ... WITH TIES clause")
		}
		if c := st.LimitCount.GetAConst(); c == nil || !c.Isnull {
			e, err := b.bindExpr(st.LimitCount, nil, types.Int8)
			if err != nil {
				return err
			}
			if sel.Limit, err = b.coerce(e, types.Int8, castAssignment); err != nil {
				return err
			}
		}
	}
	if st.LimitOffset != nil {
		e, err := b.bindExpr(st.LimitOffset, nil, types.Int8)
		if err != nil {
			return err
		}
		if sel.Offset, err = b.coerce(e, types.Int8, castAssignment); err != nil {
			return err
		}
	}
	return nil
}
