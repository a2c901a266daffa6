package builtins

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// This file re-prints the expressions the catalog stores as SQL text
// (column defaults, CHECK constraints, view queries) the way PostgreSQL's
// ruleutils.c prints its stored, analyzed trees: pg_get_expr,
// pg_get_constraintdef, pg_get_viewdef, information_schema.columns.
// column_default. The text is parsed again, given types (column types,
// operator and function resolution, unknown literals coerced to the type
// they meet) and printed with ruleutils' rules: literals labelled with
// their type ('x'::text, '-1'::integer), implicit casts shown inside
// operators and function calls but not at the top, IN lists as
// = ANY (ARRAY[...]), BETWEEN as two comparisons, and parentheses around
// every operator (or, in pretty mode, only where precedence needs them).

// DeparseRel is a relation whose columns an expression may name.
type DeparseRel struct {
	// Ref is the name the query uses for it (its alias or its name).
	Ref   string
	Table *catalog.Table
}

// Deparser holds what printing needs besides the expression.
type Deparser struct {
	Cat *catalog.Catalog
	// Rels resolve column references (the first one for unqualified names
	// that several relations have).
	Rels []DeparseRel
	// Pretty is ruleutils' PRETTYFLAG_PAREN: only necessary parentheses.
	Pretty bool
	// Prefix qualifies column references with their relation's Ref
	// (view definitions).
	Prefix bool
	// Visible reports whether an unqualified relation name finds this
	// relation through search_path (nil: always).
	Visible func(schema uint32, name string) bool
}

type xkind uint8

const (
	xConst xkind = iota
	xVar
	xOp
	xFunc
	xCast
	xBool
	xNullTest
	xBoolTest
	xSAOp
	xArray
	xCase
	xCoalesce
	xMinMax
	xNullIf
	xDistinct
	xSQLValue
	xRaw
)

// xnode is an analyzed expression, shaped like PostgreSQL's post-analysis
// nodes (Const, Var, OpExpr, FuncExpr, RelabelType ...).
type xnode struct {
	kind xkind
	typ  types.Type
	// xConst: the value's output text; xVar: column; xOp: operator;
	// xFunc: function; xBool: AND/OR/NOT; xNullTest/xBoolTest: the test;
	// xSQLValue and xRaw: the text printed.
	text   string
	isNull bool
	rel    string // xVar: the relation's reference name
	args   []*xnode
	// xCast: implicit coercion (hidden at the top level).
	implicit bool
	// xSAOp: ANY (true) or ALL.
	useOr bool
	// xCase: CASE arg; args alternate WHEN condition and THEN result.
	caseArg *xnode
	elseX   *xnode
	star    bool // xFunc: count(*)
}

var (
	tUnknown = types.Unknown
	tBoolT   = types.Bool
)

// DeparseExpr re-prints stored expression text as pg_get_expr prints it.
// target is the type the expression is assigned to (a column default's
// column type) or the zero Type. On text it cannot parse it returns src.
func (d *Deparser) DeparseExpr(src string, target types.Type) string {
	x := d.Analyze(src, target)
	if x == nil {
		return src
	}
	return d.Print(x)
}

// Analyze parses and types stored expression text (nil if it does not
// parse).
func (d *Deparser) Analyze(src string, target types.Type) *xnode {
	n := parseExprText(src)
	if n == nil {
		return nil
	}
	x := d.expr(n)
	if target.OID != 0 {
		x = d.coerce(x, target, false)
	}
	return x
}

// Print prints an analyzed expression at the top level (implicit casts
// hidden).
func (d *Deparser) Print(x *xnode) string {
	var b strings.Builder
	d.print(&b, x, false)
	return b.String()
}

// IsNullConst reports whether an analyzed expression is a NULL constant
// (PostgreSQL stores no default for DEFAULT NULL).
func IsNullConst(x *xnode) bool {
	for x != nil && x.kind == xCast {
		x = x.args[0]
	}
	return x != nil && x.kind == xConst && x.isNull
}

func parseExprText(src string) *pg_query.Node {
	tree, err := pg_query.Parse("SELECT " + src)
	if err != nil || len(tree.Stmts) != 1 {
		return nil
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 || sel.FromClause != nil {
		return nil
	}
	rt := sel.TargetList[0].GetResTarget()
	if rt == nil {
		return nil
	}
	return rt.Val
}

// rawText deparses a node we do not analyze, as pg_query prints it.
func rawText(n *pg_query.Node) string {
	tree := &pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: &pg_query.Node{Node: &pg_query.Node_SelectStmt{
		SelectStmt: &pg_query.SelectStmt{TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: n}}}}},
	}}}}}
	s, err := pg_query.Deparse(tree)
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(s, "SELECT ")
}

func nodeStr(n *pg_query.Node) string {
	if s := n.GetString_(); s != nil {
		return s.Sval
	}
	return ""
}

// --- analysis ---

func (d *Deparser) expr(n *pg_query.Node) *xnode {
	if n == nil {
		return &xnode{kind: xConst, typ: tUnknown, isNull: true}
	}
	switch {
	case n.GetAConst() != nil:
		return constNode(n.GetAConst())
	case n.GetColumnRef() != nil:
		return d.columnRef(n)
	case n.GetTypeCast() != nil:
		tc := n.GetTypeCast()
		to, ok := typeNameType(tc.TypeName)
		arg := d.expr(tc.Arg)
		if !ok {
			return &xnode{kind: xRaw, typ: tUnknown, text: rawText(n)}
		}
		return d.coerce(arg, to, true)
	case n.GetAExpr() != nil:
		return d.aexpr(n.GetAExpr(), n)
	case n.GetBoolExpr() != nil:
		be := n.GetBoolExpr()
		x := &xnode{kind: xBool, typ: tBoolT}
		switch be.Boolop {
		case pg_query.BoolExprType_AND_EXPR:
			x.text = "AND"
		case pg_query.BoolExprType_OR_EXPR:
			x.text = "OR"
		default:
			x.text = "NOT"
		}
		for _, a := range be.Args {
			x.args = append(x.args, d.coerce(d.expr(a), tBoolT, false))
		}
		return x
	case n.GetNullTest() != nil:
		nt := n.GetNullTest()
		test := " IS NULL"
		if nt.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL {
			test = " IS NOT NULL"
		}
		return &xnode{kind: xNullTest, typ: tBoolT, text: test, args: []*xnode{d.settle(d.expr(nt.Arg))}}
	case n.GetBooleanTest() != nil:
		bt := n.GetBooleanTest()
		test := map[pg_query.BoolTestType]string{
			pg_query.BoolTestType_IS_TRUE: " IS TRUE", pg_query.BoolTestType_IS_NOT_TRUE: " IS NOT TRUE",
			pg_query.BoolTestType_IS_FALSE: " IS FALSE", pg_query.BoolTestType_IS_NOT_FALSE: " IS NOT FALSE",
			pg_query.BoolTestType_IS_UNKNOWN: " IS UNKNOWN", pg_query.BoolTestType_IS_NOT_UNKNOWN: " IS NOT UNKNOWN",
		}[bt.Booltesttype]
		return &xnode{kind: xBoolTest, typ: tBoolT, text: test, args: []*xnode{d.coerce(d.expr(bt.Arg), tBoolT, false)}}
	case n.GetFuncCall() != nil:
		return d.funcCall(n.GetFuncCall(), n)
	case n.GetSqlvalueFunction() != nil:
		return sqlValueNode(n.GetSqlvalueFunction())
	case n.GetCoalesceExpr() != nil:
		x := &xnode{kind: xCoalesce}
		for _, a := range n.GetCoalesceExpr().Args {
			x.args = append(x.args, d.expr(a))
		}
		x.typ = d.unify(x.args)
		for i := range x.args {
			x.args[i] = d.coerce(x.args[i], x.typ, false)
		}
		return x
	case n.GetMinMaxExpr() != nil:
		mm := n.GetMinMaxExpr()
		x := &xnode{kind: xMinMax, text: "GREATEST"}
		if mm.Op == pg_query.MinMaxOp_IS_LEAST {
			x.text = "LEAST"
		}
		for _, a := range mm.Args {
			x.args = append(x.args, d.expr(a))
		}
		x.typ = d.unify(x.args)
		for i := range x.args {
			x.args[i] = d.coerce(x.args[i], x.typ, false)
		}
		return x
	case n.GetAArrayExpr() != nil:
		x := &xnode{kind: xArray}
		for _, e := range n.GetAArrayExpr().Elements {
			x.args = append(x.args, d.expr(e))
		}
		et := d.unify(x.args)
		for i := range x.args {
			x.args[i] = d.coerce(x.args[i], et, false)
		}
		x.typ, _ = types.ArrayOf(et)
		if x.typ.OID == 0 {
			x.typ = types.TextArray
		}
		return x
	case n.GetCaseExpr() != nil:
		ce := n.GetCaseExpr()
		x := &xnode{kind: xCase}
		var results []*xnode
		if ce.Arg != nil {
			x.caseArg = d.expr(ce.Arg)
		}
		for _, w := range ce.Args {
			cw := w.GetCaseWhen()
			if cw == nil {
				continue
			}
			cond := d.expr(cw.Expr)
			if x.caseArg == nil {
				cond = d.coerce(cond, tBoolT, false)
			}
			res := d.expr(cw.Result)
			x.args = append(x.args, cond, res)
			results = append(results, res)
		}
		if ce.Defresult != nil {
			x.elseX = d.expr(ce.Defresult)
		} else {
			x.elseX = &xnode{kind: xConst, typ: tUnknown, isNull: true}
		}
		results = append(results, x.elseX)
		x.typ = d.unify(results)
		for i := 1; i < len(x.args); i += 2 {
			x.args[i] = d.coerce(x.args[i], x.typ, false)
		}
		x.elseX = d.coerce(x.elseX, x.typ, false)
		return x
	}
	return &xnode{kind: xRaw, typ: tUnknown, text: rawText(n)}
}

func constNode(c *pg_query.A_Const) *xnode {
	if c.Isnull {
		return &xnode{kind: xConst, typ: tUnknown, isNull: true}
	}
	switch v := c.Val.(type) {
	case *pg_query.A_Const_Ival:
		return &xnode{kind: xConst, typ: types.Int4, text: strconv.FormatInt(int64(v.Ival.Ival), 10)}
	case *pg_query.A_Const_Fval:
		s := v.Fval.Fval
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				if i >= -1<<31 && i < 1<<31 {
					return &xnode{kind: xConst, typ: types.Int4, text: strconv.FormatInt(i, 10)}
				}
				return &xnode{kind: xConst, typ: types.Int8, text: strconv.FormatInt(i, 10)}
			}
		}
		return &xnode{kind: xConst, typ: types.Numeric, text: normalizeConst(types.Numeric, s)}
	case *pg_query.A_Const_Boolval:
		if v.Boolval.Boolval {
			return &xnode{kind: xConst, typ: tBoolT, text: "t"}
		}
		return &xnode{kind: xConst, typ: tBoolT, text: "f"}
	case *pg_query.A_Const_Sval:
		return &xnode{kind: xConst, typ: tUnknown, text: v.Sval.Sval}
	}
	return &xnode{kind: xRaw, typ: tUnknown, text: "?"}
}

// normalizeConst is the input function then the output function: what a
// constant of type t prints as once stored.
func normalizeConst(t types.Type, s string) string {
	d, err := types.ParseText(types.Type{OID: t.OID, Typmod: -1}, s, nil)
	if err != nil || d.IsNull() {
		return s
	}
	return types.FormatText(d, types.Type{OID: t.OID, Typmod: -1}, nil)
}

func typeNameType(tn *pg_query.TypeName) (types.Type, bool) {
	if tn == nil {
		return types.Type{}, false
	}
	var names []string
	for _, n := range tn.Names {
		names = append(names, nodeStr(n))
	}
	if len(names) == 2 && names[0] == "pg_catalog" {
		names = names[1:]
	}
	name := strings.Join(names, ".")
	var mods []int32
	for _, m := range tn.Typmods {
		if c := m.GetAConst(); c != nil {
			if iv, ok := c.Val.(*pg_query.A_Const_Ival); ok {
				mods = append(mods, iv.Ival.Ival)
				continue
			}
		}
		return types.Type{}, false
	}
	var t types.Type
	var ok bool
	if len(tn.Names) == 2 {
		t, ok = types.TypeByName("pg_catalog."+name, mods)
	}
	if !ok {
		t, ok = types.TypeByName(name, mods)
	}
	if !ok {
		return types.Type{}, false
	}
	if len(tn.ArrayBounds) > 0 {
		return types.ArrayOf(t)
	}
	return t, true
}

func (d *Deparser) columnRef(n *pg_query.Node) *xnode {
	var names []string
	for _, f := range n.GetColumnRef().Fields {
		if f.GetAStar() != nil {
			names = append(names, "*")
			continue
		}
		names = append(names, nodeStr(f))
	}
	col := names[len(names)-1]
	qual := ""
	if len(names) >= 2 {
		qual = names[len(names)-2]
	}
	for _, r := range d.Rels {
		if qual != "" && qual != r.Ref {
			continue
		}
		if r.Table == nil {
			continue
		}
		if _, c := r.Table.ColumnByName(col); c != nil {
			return &xnode{kind: xVar, typ: c.Type, text: col, rel: r.Ref}
		}
	}
	return &xnode{kind: xRaw, typ: tUnknown, text: rawText(n)}
}

func sqlValueNode(f *pg_query.SQLValueFunction) *xnode {
	withPrec := func(name string, t types.Type) *xnode {
		if f.Typmod >= 0 {
			return &xnode{kind: xSQLValue, typ: types.Type{OID: t.OID, Typmod: f.Typmod}, text: name + "(" + strconv.Itoa(int(f.Typmod)) + ")"}
		}
		return &xnode{kind: xSQLValue, typ: t, text: name}
	}
	switch f.Op {
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return &xnode{kind: xSQLValue, typ: types.Date, text: "CURRENT_DATE"}
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		return withPrec("CURRENT_TIME", types.Type{OID: types.TimetzOID, Typmod: -1})
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return withPrec("CURRENT_TIMESTAMP", types.TimestampTZ)
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return withPrec("LOCALTIME", types.Time)
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return withPrec("LOCALTIMESTAMP", types.Timestamp)
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
		return &xnode{kind: xSQLValue, typ: types.Name, text: "CURRENT_ROLE"}
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER:
		return &xnode{kind: xSQLValue, typ: types.Name, text: "CURRENT_USER"}
	case pg_query.SQLValueFunctionOp_SVFOP_USER:
		return &xnode{kind: xSQLValue, typ: types.Name, text: "USER"}
	case pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER:
		return &xnode{kind: xSQLValue, typ: types.Name, text: "SESSION_USER"}
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		return &xnode{kind: xSQLValue, typ: types.Name, text: "CURRENT_CATALOG"}
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		return &xnode{kind: xSQLValue, typ: types.Name, text: "CURRENT_SCHEMA"}
	}
	return &xnode{kind: xRaw, typ: tUnknown, text: "?"}
}

func (d *Deparser) aexpr(e *pg_query.A_Expr, n *pg_query.Node) *xnode {
	name := ""
	if len(e.Name) > 0 {
		name = nodeStr(e.Name[len(e.Name)-1])
	}
	switch e.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP, pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE:
		if e.Lexpr == nil {
			arg := d.expr(e.Rexpr)
			x := &xnode{kind: xOp, text: name, typ: arg.typ, args: []*xnode{arg}}
			if op, ok := types.LookupUnaryOp(name, arg.typ.OID); ok {
				x.typ = op.Result
			}
			return x
		}
		return d.binaryOp(name, d.expr(e.Lexpr), d.expr(e.Rexpr))
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY, pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		l, r := d.expr(e.Lexpr), d.expr(e.Rexpr)
		return d.scalarArrayOp(name, e.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ANY, l, r)
	case pg_query.A_Expr_Kind_AEXPR_IN:
		l := d.expr(e.Lexpr)
		list := e.Rexpr.GetList()
		if list == nil {
			break
		}
		var elems []*xnode
		for _, it := range list.Items {
			elems = append(elems, d.expr(it))
		}
		if len(elems) == 1 {
			return d.binaryOp(name, l, elems[0])
		}
		common := d.unify(append([]*xnode{l}, elems...))
		arr := &xnode{kind: xArray}
		for _, el := range elems {
			arr.args = append(arr.args, d.coerce(el, common, false))
		}
		arr.typ, _ = types.ArrayOf(common)
		return d.scalarArrayOp(name, name == "=", d.coerce(l, common, false), arr)
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN:
		list := e.Rexpr.GetList()
		if list == nil || len(list.Items) != 2 {
			break
		}
		x := d.expr(e.Lexpr)
		lo, hi := d.expr(list.Items[0]), d.expr(list.Items[1])
		if e.Kind == pg_query.A_Expr_Kind_AEXPR_BETWEEN {
			return &xnode{kind: xBool, typ: tBoolT, text: "AND", args: []*xnode{d.binaryOp(">=", x, lo), d.binaryOp("<=", x, hi)}}
		}
		return &xnode{kind: xBool, typ: tBoolT, text: "OR", args: []*xnode{d.binaryOp("<", x, lo), d.binaryOp(">", x, hi)}}
	case pg_query.A_Expr_Kind_AEXPR_DISTINCT, pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		eq := d.binaryOp("=", d.expr(e.Lexpr), d.expr(e.Rexpr))
		x := &xnode{kind: xDistinct, typ: tBoolT, args: eq.args}
		if eq.kind != xOp {
			break
		}
		if e.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT {
			return &xnode{kind: xBool, typ: tBoolT, text: "NOT", args: []*xnode{x}}
		}
		return x
	case pg_query.A_Expr_Kind_AEXPR_NULLIF:
		eq := d.binaryOp("=", d.expr(e.Lexpr), d.expr(e.Rexpr))
		if eq.kind != xOp {
			break
		}
		return &xnode{kind: xNullIf, typ: eq.args[0].typ, args: eq.args}
	}
	return &xnode{kind: xRaw, typ: tUnknown, text: rawText(n)}
}

// binaryOp resolves name(l, r) as PostgreSQL's oper_select_candidate
// would for the common cases and coerces the operands.
func (d *Deparser) binaryOp(name string, l, r *xnode) *xnode {
	lt, rt := l.typ, r.typ
	mk := func(op *types.BinaryOp) *xnode {
		want := func(oid uint32, x *xnode) *xnode {
			if oid == 0 || oid == AnyOID || oid == types.AnyElementOID || oid == types.AnyArrayOID {
				return d.settle(x)
			}
			return d.coerce(x, types.Type{OID: oid, Typmod: -1}, false)
		}
		return &xnode{kind: xOp, text: name, typ: op.Result, args: []*xnode{want(op.Left, l), want(op.Right, r)}}
	}
	unknown := func(t types.Type) bool { return t.OID == types.UnknownOID }
	if !unknown(lt) && !unknown(rt) {
		if op, ok := types.LookupBinaryOp(name, lt.OID, rt.OID); ok {
			return mk(op)
		}
	}
	if unknown(lt) && !unknown(rt) {
		if op, ok := types.LookupBinaryOp(name, rt.OID, rt.OID); ok {
			return mk(op)
		}
	}
	if unknown(rt) && !unknown(lt) {
		if op, ok := types.LookupBinaryOp(name, lt.OID, lt.OID); ok {
			return mk(op)
		}
	}
	if unknown(lt) && unknown(rt) {
		if op, ok := types.LookupBinaryOp(name, types.TextOID, types.TextOID); ok {
			return mk(op)
		}
	}
	cands := types.BinaryOpsNamed(name)
	ovs := make([]Overload, len(cands))
	for i, op := range cands {
		ovs[i] = Overload{Args: []types.Type{{OID: op.Left, Typmod: -1}, {OID: op.Right, Typmod: -1}}, RetFromArg: -1}
	}
	if best, _ := Resolve(ovs, []types.Type{lt, rt}); best != nil {
		for i := range ovs {
			if &ovs[i] == best {
				return mk(cands[i])
			}
		}
	}
	// Operators only the builtins registry knows (json, arrays ...).
	if best, _ := Resolve(binops[name], []types.Type{lt, rt}); best != nil {
		x := &xnode{kind: xOp, text: name, typ: best.Ret, args: []*xnode{l, r}}
		for i := range x.args {
			if i < len(best.Args) && best.Args[i].OID != AnyOID {
				x.args[i] = d.coerce(x.args[i], best.Args[i], false)
			}
		}
		if best.RetFromArg >= 0 && best.RetFromArg < 2 {
			x.typ = x.args[best.RetFromArg].typ
		}
		return x
	}
	typ := lt
	switch name {
	case "=", "<>", "<", "<=", ">", ">=", "~~", "!~~", "~~*", "!~~*", "~", "!~", "~*", "!~*":
		typ = tBoolT
	}
	return &xnode{kind: xOp, text: name, typ: typ, args: []*xnode{l, r}}
}

func (d *Deparser) scalarArrayOp(name string, useOr bool, l, r *xnode) *xnode {
	elem, ok := r.typ.Elem()
	if !ok {
		elem = l.typ
		if r.kind == xConst && r.typ.OID == types.UnknownOID && l.typ.OID != types.UnknownOID {
			if at, ok := types.ArrayOf(l.typ); ok {
				r = d.coerce(r, at, false)
			}
		}
	}
	cmp := d.binaryOp(name, l, &xnode{kind: xConst, typ: elem})
	x := &xnode{kind: xSAOp, typ: tBoolT, text: name, useOr: useOr, args: []*xnode{cmp.args[0], r}}
	return x
}

// settle gives an unknown literal type text, as PostgreSQL does where
// nothing else decides.
func (d *Deparser) settle(x *xnode) *xnode {
	if x.typ.OID == types.UnknownOID && x.kind == xConst {
		return d.coerce(x, types.Text, false)
	}
	return x
}

// unify is select_common_type over the nodes' types (unknown literals
// follow the others; text when all are unknown; numbers promote).
func (d *Deparser) unify(xs []*xnode) types.Type {
	var t types.Type
	for _, x := range xs {
		if x.typ.OID == types.UnknownOID || x.typ.OID == 0 {
			continue
		}
		if t.OID == 0 {
			t = types.Type{OID: x.typ.OID, Typmod: -1}
			continue
		}
		if x.typ.OID != t.OID {
			if a, ok := numRank[t.OID]; ok {
				if b, ok := numRank[x.typ.OID]; ok && b > a {
					t = types.Type{OID: x.typ.OID, Typmod: -1}
				}
				continue
			}
			if _, ok := ImplicitCast(t, x.typ); ok && x.typ.Preferred() {
				t = types.Type{OID: x.typ.OID, Typmod: -1}
			}
		}
	}
	if t.OID == 0 {
		return types.Text
	}
	return t
}

func (d *Deparser) funcCall(fc *pg_query.FuncCall, n *pg_query.Node) *xnode {
	var names []string
	for _, f := range fc.Funcname {
		names = append(names, nodeStr(f))
	}
	name := names[len(names)-1]
	if len(names) > 2 || (len(names) == 2 && names[0] != "pg_catalog") || fc.Over != nil || fc.AggDistinct || fc.AggFilter != nil || len(fc.AggOrder) > 0 {
		return &xnode{kind: xRaw, typ: tUnknown, text: rawText(n)}
	}
	x := &xnode{kind: xFunc, text: name, star: fc.AggStar, typ: tUnknown}
	var argTypes []types.Type
	for _, a := range fc.Args {
		ax := d.expr(a)
		x.args = append(x.args, ax)
		argTypes = append(argTypes, ax.typ)
	}
	if fc.Funcformat == pg_query.CoercionForm_COERCE_SQL_SYNTAX {
		return &xnode{kind: xRaw, typ: tUnknown, text: rawText(n)}
	}
	// The signature whose first argument has the argument's type, else
	// the first of the name and arity (WITHIN GROUP calls are raw above).
	match, nsig := -1, 0
	exact := false
	for i, p := range aggregateProcs {
		if p.Name != name || len(p.Args) != len(x.args) || p.OrderedSet {
			continue
		}
		nsig++
		if !exact && (match < 0 || len(p.Args) == 0 || p.Args[0].OID == x.args[0].typ.OID) {
			match, exact = i, len(p.Args) == 0 || p.Args[0].OID == x.args[0].typ.OID
		}
	}
	if match >= 0 {
		p := aggregateProcs[match]
		x.typ = p.Ret
		if p.Ret.OID == types.AnyElementOID && len(x.args) > 0 {
			x.typ = x.args[0].typ
		}
		if nsig == 1 {
			// The one signature (string_agg(text, text), corr(float8,
			// float8) ...): the arguments are cast to it, as PostgreSQL
			// shows them.
			for i := range x.args {
				x.args[i] = d.coerce(x.args[i], p.Args[i], false)
			}
		}
		return x
	}
	best, _ := Resolve(funcs[name], argTypes)
	if best == nil {
		return x
	}
	for i := range x.args {
		if i < len(best.Args) || best.Variadic {
			want := best.Args[min(i, len(best.Args)-1)]
			if want.OID != AnyOID {
				x.args[i] = d.coerce(x.args[i], want, false)
			} else {
				x.args[i] = d.settle(x.args[i])
			}
		}
	}
	x.typ = best.Ret
	if best.RetFromArg >= 0 && best.RetFromArg < len(x.args) {
		x.typ = x.args[best.RetFromArg].typ
	}
	return x
}

// coerce converts x to type to: an unknown literal becomes a constant of
// that type; anything else of another type gets a cast node (explicit for
// CAST / ::, implicit otherwise).
func (d *Deparser) coerce(x *xnode, to types.Type, explicit bool) *xnode {
	if to.OID == 0 || to.OID == AnyOID || to.OID == types.AnyElementOID || to.OID == types.AnyArrayOID || to.OID == types.UnknownOID {
		return x
	}
	if x.typ.OID == types.UnknownOID && x.kind == xConst {
		c := &xnode{kind: xConst, typ: types.Type{OID: to.OID, Typmod: -1}, text: x.text, isNull: x.isNull}
		if to.OID == types.IntervalOID {
			c.typ.Typmod = to.Typmod
		}
		if !c.isNull {
			c.text = normalizeConst(c.typ, x.text)
		}
		if to.Typmod >= 0 && c.typ.Typmod != to.Typmod {
			return &xnode{kind: xCast, typ: to, args: []*xnode{c}, implicit: !explicit}
		}
		return c
	}
	if x.typ.OID == to.OID {
		if to.Typmod < 0 || to.Typmod == x.typ.Typmod {
			return x
		}
	}
	if x.typ.OID == types.UnknownOID || x.typ.OID == 0 {
		return x // untyped text we could not analyze
	}
	return &xnode{kind: xCast, typ: to, args: []*xnode{x}, implicit: !explicit}
}

// --- printing (ruleutils.c get_rule_expr and friends) ---

func (d *Deparser) print(b *strings.Builder, x *xnode, showImplicit bool) {
	pretty := d.Pretty
	open := func() {
		if !pretty {
			b.WriteByte('(')
		}
	}
	closeP := func() {
		if !pretty {
			b.WriteByte(')')
		}
	}
	switch x.kind {
	case xConst:
		d.printConst(b, x, 0)
	case xVar:
		if d.Prefix && x.rel != "" {
			b.WriteString(QuoteIdent(x.rel))
			b.WriteByte('.')
		}
		b.WriteString(QuoteIdent(x.text))
	case xOp:
		open()
		if len(x.args) == 2 {
			d.printParen(b, x.args[0], true, x)
			b.WriteString(" " + x.text + " ")
			d.printParen(b, x.args[1], true, x)
		} else {
			b.WriteString(x.text + " ")
			d.printParen(b, x.args[0], true, x)
		}
		closeP()
	case xFunc:
		b.WriteString(QuoteIdent(x.text))
		b.WriteByte('(')
		if x.star {
			b.WriteByte('*')
		}
		for i, a := range x.args {
			if i > 0 {
				b.WriteString(", ")
			}
			d.print(b, a, true)
		}
		b.WriteByte(')')
	case xCast:
		if x.implicit && !showImplicit {
			d.printParen(b, x.args[0], false, x)
			return
		}
		d.printCoercion(b, x.args[0], x.typ, x)
	case xBool:
		if x.text == "NOT" {
			open()
			b.WriteString("NOT ")
			d.printParen(b, x.args[0], false, x)
			closeP()
			return
		}
		open()
		for i, a := range x.args {
			if i > 0 {
				b.WriteString(" " + x.text + " ")
			}
			d.printParen(b, a, false, x)
		}
		closeP()
	case xNullTest, xBoolTest:
		open()
		d.printParen(b, x.args[0], true, x)
		b.WriteString(x.text)
		closeP()
	case xSAOp:
		open()
		d.printParen(b, x.args[0], true, x)
		mode := "ALL"
		if x.useOr {
			mode = "ANY"
		}
		b.WriteString(" " + x.text + " " + mode + " (")
		d.printParen(b, x.args[1], true, x)
		b.WriteByte(')')
		closeP()
	case xDistinct:
		open()
		d.printParen(b, x.args[0], true, x)
		b.WriteString(" IS DISTINCT FROM ")
		d.printParen(b, x.args[1], true, x)
		closeP()
	case xNullIf:
		b.WriteString("NULLIF(")
		d.print(b, x.args[0], true)
		b.WriteString(", ")
		d.print(b, x.args[1], true)
		b.WriteByte(')')
	case xArray:
		b.WriteString("ARRAY[")
		for i, a := range x.args {
			if i > 0 {
				b.WriteString(", ")
			}
			d.print(b, a, true)
		}
		b.WriteByte(']')
	case xCoalesce, xMinMax:
		name := "COALESCE"
		if x.kind == xMinMax {
			name = x.text
		}
		b.WriteString(name + "(")
		for i, a := range x.args {
			if i > 0 {
				b.WriteString(", ")
			}
			d.print(b, a, true)
		}
		b.WriteByte(')')
	case xCase:
		b.WriteString("CASE")
		if x.caseArg != nil {
			b.WriteByte(' ')
			d.print(b, x.caseArg, true)
		}
		for i := 0; i+1 < len(x.args); i += 2 {
			b.WriteString(" WHEN ")
			d.print(b, x.args[i], false)
			b.WriteString(" THEN ")
			d.print(b, x.args[i+1], true)
		}
		b.WriteString(" ELSE ")
		d.print(b, x.elseX, true)
		b.WriteString(" END")
	case xSQLValue, xRaw:
		b.WriteString(x.text)
	}
}

// printParen is get_rule_expr_paren.
func (d *Deparser) printParen(b *strings.Builder, x *xnode, showImplicit bool, parent *xnode) {
	need := d.Pretty && !isSimpleNode(x, parent, d.Pretty)
	if need {
		b.WriteByte('(')
	}
	d.print(b, x, showImplicit)
	if need {
		b.WriteByte(')')
	}
}

// printCoercion is get_coercion_expr.
func (d *Deparser) printCoercion(b *strings.Builder, arg *xnode, t types.Type, parent *xnode) {
	if arg.kind == xConst && arg.typ.OID == t.OID && arg.typ.Typmod == -1 {
		d.printConst(b, arg, -1)
	} else {
		if !d.Pretty {
			b.WriteByte('(')
		}
		d.printParen(b, arg, false, parent)
		if !d.Pretty {
			b.WriteByte(')')
		}
	}
	b.WriteString("::" + types.FormatType(t))
}

// printConst is get_const_expr: showtype -1 never labels, 0 labels when
// the literal would not re-read as its type.
func (d *Deparser) printConst(b *strings.Builder, x *xnode, showtype int) {
	label := types.FormatType(x.typ)
	if x.isNull {
		b.WriteString("NULL")
		if showtype >= 0 && x.typ.OID != types.UnknownOID {
			b.WriteString("::" + label)
		}
		return
	}
	needLabel := false
	v := x.text
	switch x.typ.OID {
	case types.Int4OID:
		if !strings.HasPrefix(v, "-") {
			b.WriteString(v)
		} else {
			b.WriteString("'" + v + "'")
			needLabel = true
		}
	case types.NumericOID:
		if len(v) > 0 && v[0] >= '0' && v[0] <= '9' && strings.ContainsAny(v, "eE.") {
			b.WriteString(v)
		} else {
			b.WriteString("'" + v + "'")
			needLabel = true
		}
	case types.BoolOID:
		if v == "t" || v == "true" {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	default:
		b.WriteString(QuoteLiteral(v))
	}
	if showtype < 0 {
		return
	}
	switch x.typ.OID {
	case types.BoolOID, types.UnknownOID:
		needLabel = false
	case types.Int4OID:
	case types.NumericOID:
		needLabel = needLabel || x.typ.Typmod >= 0
	default:
		needLabel = true
	}
	if needLabel || showtype > 0 {
		b.WriteString("::" + label)
	}
}

// isSimpleNode is ruleutils' isSimpleNode: whether x needs no parentheses
// under parent in pretty mode.
func isSimpleNode(x, parent *xnode, pretty bool) bool {
	if x == nil {
		return false
	}
	switch x.kind {
	case xVar, xConst, xSQLValue, xFunc, xArray, xCoalesce, xMinMax, xNullIf, xCase:
		return true
	case xCast:
		return true // a cast FuncExpr is function-like
	case xOp:
		if parent != nil && parent.kind == xOp && len(x.args) == 2 && len(parent.args) == 2 {
			lo := strings.ContainsAny(x.text[:1], "+-") && len(x.text) == 1
			hi := strings.ContainsAny(x.text[:1], "*/%") && len(x.text) == 1
			if !lo && !hi {
				return false
			}
			plo := strings.ContainsAny(parent.text[:1], "+-") && len(parent.text) == 1
			phi := strings.ContainsAny(parent.text[:1], "*/%") && len(parent.text) == 1
			if !plo && !phi {
				return false
			}
			if hi && plo {
				return true
			}
			if lo && phi {
				return false
			}
			return parent.args[0] == x
		}
		return simpleUnder(parent)
	case xNullTest, xBoolTest, xDistinct:
		return simpleUnder(parent)
	case xBool:
		if parent == nil {
			return false
		}
		switch parent.kind {
		case xBool:
			switch x.text {
			case "NOT", "AND":
				return parent.text == "AND" || parent.text == "OR"
			case "OR":
				return parent.text == "OR"
			}
			return false
		case xCast:
			return false
		case xFunc, xArray, xCoalesce, xMinMax, xNullIf, xCase:
			return true
		}
		return false
	}
	return false
}

func simpleUnder(parent *xnode) bool {
	if parent == nil {
		return false
	}
	switch parent.kind {
	case xCast:
		return false
	case xFunc, xBool, xArray, xCoalesce, xMinMax, xNullIf, xCase:
		return true
	}
	return false
}

// QuoteLiteral quotes s as a SQL string literal (quote_literal without the
// E” form: standard_conforming_strings is on).
func QuoteLiteral(s string) string {
	if strings.Contains(s, `\`) {
		return "E'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// QuoteIdent is quote_identifier: s as is when it is a lower-case
// identifier that is not a keyword (other than an unreserved one),
// otherwise double-quoted.
func QuoteIdent(s string) string {
	plain := s != ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			plain = false
			break
		}
	}
	if plain && !quotedKeywords[s] {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// quotedKeywords are PostgreSQL 15's reserved, column-name and
// type/function-name keywords: identifiers spelled like them need quotes.
var quotedKeywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`all analyse analyze and any array as asc asymmetric both case cast check collate column
		constraint create current_catalog current_date current_role current_time current_timestamp current_user default
		deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect
		into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references
		returning select session_user some symmetric table then to trailing true union unique user using variadic when
		where window with
		between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int
		integer interval least national nchar none normalize nullif numeric out overlay position precision real row setof
		smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest
		xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable
		authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like
		natural notnull outer overlaps right similar tablesample verbose`) {
		m[w] = true
	}
	return m
}()
