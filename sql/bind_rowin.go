package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// bindRowSubLink binds (a, b) IN (SELECT x, y ...) and the other row forms
// of ANY / ALL with = or <>. It is rewritten to a one-column subquery of
// the row comparisons,
//
//	true = ANY (SELECT s.c1 = a AND s.c2 = b FROM (SELECT x, y ...) s(c1, c2))
//
// whose three-valued results give PostgreSQL's row semantics exactly:
// true when some row is equal, NULL when none is but a comparison was
// unknown, false otherwise (<> uses OR, for <> ALL).
func (b *binder) bindRowSubLink(sl *pg_query.SubLink, row *pg_query.RowExpr, width int, sc *scope) (bound.Expr, error) {
	if len(row.Args) < width {
		return nil, pgerror.New(pgerror.SyntaxError, "subquery has too many columns").WithPosition(sl.Location + 1)
	}
	if len(row.Args) > width {
		return nil, pgerror.New(pgerror.SyntaxError, "subquery has too few columns").WithPosition(sl.Location + 1)
	}
	op := "="
	if len(sl.OperName) > 0 {
		op = opName(sl.OperName)
	}
	join := pg_query.BoolExprType_AND_EXPR
	switch op {
	case "=":
	case "<>", "!=":
		op, join = "<>", pg_query.BoolExprType_OR_EXPR
	default:
		return nil, pgerror.New(pgerror.FeatureNotSupported, "row comparison with %s and a subquery is not supported yet", op).WithPosition(sl.Location + 1)
	}
	const alias = "?rowin?"
	var cols, cmps []*pg_query.Node
	for i, a := range row.Args {
		name := "c" + itoa(i+1)
		cols = append(cols, &pg_query.Node{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: name}}})
		ref := &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{Fields: []*pg_query.Node{
			{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: alias}}}, cols[i]}}}}
		cmps = append(cmps, &pg_query.Node{Node: &pg_query.Node_AExpr{AExpr: &pg_query.A_Expr{Kind: pg_query.A_Expr_Kind_AEXPR_OP,
			Name: []*pg_query.Node{{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: op}}}}, Lexpr: ref, Rexpr: a, Location: sl.Location}}})
	}
	test := cmps[0]
	if len(cmps) > 1 {
		test = &pg_query.Node{Node: &pg_query.Node_BoolExpr{BoolExpr: &pg_query.BoolExpr{Boolop: join, Args: cmps}}}
	}
	outer := &pg_query.SelectStmt{
		TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: test}}}},
		FromClause: []*pg_query.Node{{Node: &pg_query.Node_RangeSubselect{RangeSubselect: &pg_query.RangeSubselect{
			Subquery: sl.Subselect, Alias: &pg_query.Alias{Aliasname: alias, Colnames: cols}}}}},
		Op: pg_query.SetOperation_SETOP_NONE,
	}
	rewritten := &pg_query.SubLink{SubLinkType: sl.SubLinkType, Location: sl.Location,
		Testexpr:  &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Val: &pg_query.A_Const_Boolval{Boolval: &pg_query.Boolean{Boolval: true}}}}},
		Subselect: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: outer}}}
	return b.bindSubLink(rewritten, sc)
}
