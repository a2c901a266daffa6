package builtins

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// ViewDef is pg_get_viewdef(view, pretty): the view's query as PostgreSQL
// 15 prints it (" SELECT t.a,\n    t.b\n   FROM t\n  WHERE ...;"), column
// references qualified, * expanded, implicit casts and literal labels as
// ruleutils shows them. Queries beyond a plain SELECT over tables and
// joins (set operations, WITH, sub-selects in FROM) come back as stored.
func ViewDef(cat *catalog.Catalog, v *catalog.Table, pretty bool, visible func(schema uint32, name string) bool) string {
	out, ok := viewDef(cat, v, pretty, visible)
	if !ok {
		return " " + v.Query + ";"
	}
	return out
}

type viewPrinter struct {
	d       *Deparser
	cat     *catalog.Catalog
	v       *catalog.Table
	visible func(schema uint32, name string) bool
	ok      bool
}

func viewDef(cat *catalog.Catalog, v *catalog.Table, pretty bool, visible func(schema uint32, name string) bool) (string, bool) {
	tree, err := pg_query.Parse(v.Query)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || sel.Op != pg_query.SetOperation_SETOP_NONE || sel.WithClause != nil || len(sel.ValuesLists) > 0 ||
		sel.IntoClause != nil || len(sel.LockingClause) > 0 || sel.WindowClause != nil {
		return "", false
	}
	p := &viewPrinter{d: &Deparser{Cat: cat, Pretty: pretty, Prefix: true}, cat: cat, v: v, visible: visible, ok: true}
	var b strings.Builder
	// FROM first: it defines the names the targets use.
	var from []string
	for _, f := range sel.FromClause {
		from = append(from, p.fromItem(f, 0))
	}
	if !p.ok {
		return "", false
	}
	b.WriteString(" SELECT")
	if len(sel.DistinctClause) > 0 {
		if len(sel.DistinctClause) == 1 && sel.DistinctClause[0] == nil || sel.DistinctClause[0].Node == nil {
			b.WriteString(" DISTINCT")
		} else {
			return "", false
		}
	}
	visibleNames := viewColumnNames(v)
	col := 0
	for _, t := range sel.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			return "", false
		}
		for _, item := range p.targets(rt) {
			if col > 0 {
				b.WriteString(",")
			}
			name := item.name
			if col < len(visibleNames) {
				name = visibleNames[col]
			}
			col++
			text := p.d.Print(item.x)
			switch {
			case item.x.kind == xCase:
				b.WriteString("\n        " + p.caseIndented(item.x))
			case col == 1:
				b.WriteString(" " + text) // the first target follows SELECT
			default:
				b.WriteString("\n    " + text)
			}
			if !(item.x.kind == xVar && item.x.text == name) {
				b.WriteString(" AS " + QuoteIdent(name))
			}
		}
	}
	if !p.ok {
		return "", false
	}
	if len(from) > 0 {
		b.WriteString("\n   FROM " + strings.Join(from, ",\n    "))
	}
	if sel.WhereClause != nil {
		b.WriteString("\n  WHERE " + p.d.Print(p.d.coerce(p.d.expr(sel.WhereClause), types.Bool, false)))
	}
	if len(sel.GroupClause) > 0 {
		var parts []string
		for _, g := range sel.GroupClause {
			parts = append(parts, p.sortExpr(g, sel))
		}
		b.WriteString("\n  GROUP BY " + strings.Join(parts, ", "))
	}
	if sel.HavingClause != nil {
		b.WriteString("\n HAVING " + p.d.Print(p.d.coerce(p.d.expr(sel.HavingClause), types.Bool, false)))
	}
	if len(sel.SortClause) > 0 {
		var parts []string
		for _, s := range sel.SortClause {
			sb := s.GetSortBy()
			if sb == nil {
				return "", false
			}
			part := p.sortExpr(sb.Node, sel)
			switch sb.SortbyDir {
			case pg_query.SortByDir_SORTBY_DESC:
				part += " DESC"
				if sb.SortbyNulls == pg_query.SortByNulls_SORTBY_NULLS_LAST {
					part += " NULLS LAST"
				}
			default:
				if sb.SortbyNulls == pg_query.SortByNulls_SORTBY_NULLS_FIRST {
					part += " NULLS FIRST"
				}
			}
			parts = append(parts, part)
		}
		b.WriteString("\n  ORDER BY " + strings.Join(parts, ", "))
	}
	if sel.LimitOffset != nil {
		b.WriteString("\n OFFSET " + p.d.Print(p.d.expr(sel.LimitOffset)))
	}
	if sel.LimitCount != nil {
		b.WriteString("\n LIMIT " + p.d.Print(p.d.expr(sel.LimitCount)))
	}
	if !p.ok {
		return "", false
	}
	b.WriteString(";")
	return b.String(), true
}

// viewColumnNames are the view's column names (CREATE VIEW v(a, b) renames).
func viewColumnNames(v *catalog.Table) []string {
	var out []string
	for _, i := range v.VisibleColumns() {
		out = append(out, v.Columns[i].Name)
	}
	return out
}

type viewTarget struct {
	x    *xnode
	name string
}

func (p *viewPrinter) targets(rt *pg_query.ResTarget) []viewTarget {
	if cr := rt.Val.GetColumnRef(); cr != nil && cr.Fields[len(cr.Fields)-1].GetAStar() != nil {
		qual := ""
		if len(cr.Fields) == 2 {
			qual = nodeStr(cr.Fields[0])
		}
		var out []viewTarget
		for _, r := range p.d.Rels {
			if qual != "" && r.Ref != qual {
				continue
			}
			for _, i := range r.Table.VisibleColumns() {
				c := r.Table.Columns[i]
				out = append(out, viewTarget{x: &xnode{kind: xVar, typ: c.Type, text: c.Name, rel: r.Ref}, name: c.Name})
			}
		}
		return out
	}
	x := p.d.settle(p.d.expr(rt.Val))
	if x.kind == xRaw {
		p.ok = false
	}
	name := rt.Name
	if name == "" {
		switch {
		case x.kind == xVar:
			name = x.text
		case x.kind == xFunc:
			name = x.text
		default:
			name = "?column?"
		}
	}
	return []viewTarget{{x: x, name: name}}
}

// sortExpr prints a GROUP BY / ORDER BY item: an output column number, or
// an expression.
func (p *viewPrinter) sortExpr(n *pg_query.Node, sel *pg_query.SelectStmt) string {
	if c := n.GetAConst(); c != nil {
		if iv, ok := c.Val.(*pg_query.A_Const_Ival); ok {
			return strconv.Itoa(int(iv.Ival.Ival))
		}
	}
	x := p.d.expr(n)
	if x.kind == xRaw {
		// An output column alias.
		if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
			for _, t := range sel.TargetList {
				if rt := t.GetResTarget(); rt != nil && rt.Name == nodeStr(cr.Fields[0]) {
					return p.d.Print(p.d.settle(p.d.expr(rt.Val)))
				}
			}
		}
		p.ok = false
	}
	return p.d.Print(p.d.settle(x))
}

// fromItem prints a FROM item and records its relations.
func (p *viewPrinter) fromItem(n *pg_query.Node, depth int) string {
	switch {
	case n.GetRangeVar() != nil:
		rv := n.GetRangeVar()
		t := p.findTable(rv)
		if t == nil {
			p.ok = false
			return ""
		}
		ref := t.Name
		s := RelationName(p.cat, t.Schema, t.Name, p.visible)
		if rv.Alias != nil && rv.Alias.Aliasname != "" {
			ref = rv.Alias.Aliasname
			s += " " + QuoteIdent(ref)
		}
		p.d.Rels = append(p.d.Rels, DeparseRel{Ref: ref, Table: t})
		return s
	case n.GetJoinExpr() != nil:
		je := n.GetJoinExpr()
		if je.IsNatural || len(je.UsingClause) > 0 || je.Alias != nil {
			p.ok = false
			return ""
		}
		left := p.fromItem(je.Larg, depth+1)
		right := p.fromItem(je.Rarg, depth+1)
		kind := map[pg_query.JoinType]string{pg_query.JoinType_JOIN_INNER: "JOIN", pg_query.JoinType_JOIN_LEFT: "LEFT JOIN",
			pg_query.JoinType_JOIN_RIGHT: "RIGHT JOIN", pg_query.JoinType_JOIN_FULL: "FULL JOIN"}[je.Jointype]
		if je.Quals == nil {
			if je.Jointype != pg_query.JoinType_JOIN_INNER {
				p.ok = false
				return ""
			}
			kind = "CROSS JOIN"
		}
		var b strings.Builder
		if !p.d.Pretty {
			b.WriteString("(")
		}
		b.WriteString(left + "\n     " + kind + " " + right)
		if je.Quals != nil {
			on := p.d.Print(p.d.coerce(p.d.expr(je.Quals), types.Bool, false))
			if !p.d.Pretty {
				on = "(" + on + ")"
			}
			b.WriteString(" ON " + on)
		}
		if !p.d.Pretty {
			b.WriteString(")")
		}
		return b.String()
	}
	p.ok = false
	return ""
}

// findTable resolves a FROM table of the view among the relations it
// depends on.
func (p *viewPrinter) findTable(rv *pg_query.RangeVar) *catalog.Table {
	var cands []*catalog.Table
	for _, oid := range p.v.Deps {
		if t := p.cat.Table(oid); t != nil && t.Name == rv.Relname {
			cands = append(cands, t)
		}
	}
	if len(cands) == 0 {
		// Views made before dependencies were recorded: same schema, then
		// any.
		if oid, _, ok := p.cat.Relation(p.v.Schema, rv.Relname); ok {
			if t := p.cat.Table(oid); t != nil {
				cands = append(cands, t)
			}
		}
	}
	for _, t := range cands {
		if rv.Schemaname == "" || SchemaName(p.cat, t.Schema) == rv.Schemaname {
			return t
		}
	}
	return nil
}

// caseIndented prints a CASE target the way ruleutils indents it in a
// view definition.
func (p *viewPrinter) caseIndented(x *xnode) string {
	var b strings.Builder
	b.WriteString("CASE")
	if x.caseArg != nil {
		b.WriteString(" " + p.d.printArg(x.caseArg))
	}
	for i := 0; i+1 < len(x.args); i += 2 {
		b.WriteString("\n            WHEN ")
		var wb strings.Builder
		p.d.print(&wb, x.args[i], false)
		b.WriteString(wb.String() + " THEN " + p.d.printArg(x.args[i+1]))
	}
	b.WriteString("\n            ELSE " + p.d.printArg(x.elseX))
	b.WriteString("\n        END")
	return b.String()
}

func (d *Deparser) printArg(x *xnode) string {
	var b strings.Builder
	d.print(&b, x, true)
	return b.String()
}
