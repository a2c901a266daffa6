package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Sorting and grouping need a type's btree ordering or equality operator,
// which json (and so json[]) does not have: PostgreSQL's
// get_sort_group_operators (parse_oper.c) fails with 42883 for ORDER BY,
// GROUP BY, DISTINCT [ON], UNION/INTERSECT/EXCEPT without ALL, window
// PARTITION BY / ORDER BY and an aggregate's DISTINCT or ORDER BY. The
// position is the expression's (parse_clause.c's addTargetToSortList and
// addTargetToGroupList); the errors come in PostgreSQL's order of
// analysis: ORDER BY, then GROUP BY, then DISTINCT (transformSelectStmt).

// typeAt is an expression's type and source position.
type typeAt struct {
	t   types.Type
	loc int32
}

// hasBtreeOps reports whether t has ordering and equality operators.
func hasBtreeOps(t types.Type) bool {
	if t.OID == types.JSONOID {
		return false
	}
	if e, ok := t.Elem(); ok && t.IsArray() {
		return hasBtreeOps(e)
	}
	return true
}

// checkOrdering is the error for sorting by a value of type t written at
// loc (0-based, -1 unknown), or nil.
func checkOrdering(t types.Type, loc int32) error {
	if hasBtreeOps(t) {
		return nil
	}
	return withLocation(pgerror.New(pgerror.UndefinedFunction, "could not identify an ordering operator for type %s", types.FormatType(t)).
		WithHint("Use an explicit ordering operator or modify the query."), loc)
}

// checkEquality is the error for grouping by (or DISTINCT on) a value of
// type t written at loc, or nil.
func checkEquality(t types.Type, loc int32) error {
	if hasBtreeOps(t) {
		return nil
	}
	return withLocation(pgerror.New(pgerror.UndefinedFunction, "could not identify an equality operator for type %s", types.FormatType(t)), loc)
}

// checkSortBy checks one ORDER BY item of type t: ORDER BY x USING op
// names its operator, which for a type without one does not exist.
func checkSortBy(sb *pg_query.SortBy, t types.Type) error {
	if hasBtreeOps(t) {
		return nil
	}
	if sb.SortbyDir == pg_query.SortByDir_SORTBY_USING && len(sb.UseOp) > 0 {
		name := types.FormatType(t)
		return pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s %s", name, strVal(sb.UseOp[len(sb.UseOp)-1]), name).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").
			WithPosition(sb.Location + 1)
	}
	return checkOrdering(t, leftmostLocation(sb.Node))
}

func withLocation(e *pgerror.Error, loc int32) *pgerror.Error {
	if loc < 0 {
		return e
	}
	return e.WithPosition(loc + 1)
}

// leftmostLocation is where an expression starts: PostgreSQL's
// exprLocation of a raw expression (nodeFuncs.c), the leftmost position of
// the tokens it was parsed from; -1 when unknown.
func leftmostLocation(n *pg_query.Node) int32 {
	if n == nil {
		return -1
	}
	left := func(loc int32, others ...*pg_query.Node) int32 {
		for _, o := range others {
			if l := leftmostLocation(o); l >= 0 && (loc < 0 || l < loc) {
				loc = l
			}
		}
		return loc
	}
	switch {
	case n.GetColumnRef() != nil:
		return n.GetColumnRef().Location
	case n.GetAConst() != nil:
		return n.GetAConst().Location
	case n.GetParamRef() != nil:
		return n.GetParamRef().Location
	case n.GetAExpr() != nil:
		a := n.GetAExpr()
		return left(a.Location, a.Lexpr)
	case n.GetTypeCast() != nil:
		tc := n.GetTypeCast()
		return left(tc.Location, tc.Arg)
	case n.GetFuncCall() != nil:
		fc := n.GetFuncCall()
		return left(fc.Location, fc.Args...)
	case n.GetAIndirection() != nil:
		return leftmostLocation(n.GetAIndirection().Arg)
	case n.GetAArrayExpr() != nil:
		return n.GetAArrayExpr().Location
	case n.GetRowExpr() != nil:
		return n.GetRowExpr().Location
	case n.GetSubLink() != nil:
		sl := n.GetSubLink()
		return left(sl.Location, sl.Testexpr)
	case n.GetCaseExpr() != nil:
		return n.GetCaseExpr().Location
	case n.GetCoalesceExpr() != nil:
		return n.GetCoalesceExpr().Location
	case n.GetBoolExpr() != nil:
		be := n.GetBoolExpr()
		return left(be.Location, be.Args...)
	case n.GetNullTest() != nil:
		nt := n.GetNullTest()
		return left(nt.Location, nt.Arg)
	case n.GetCollateClause() != nil:
		cc := n.GetCollateClause()
		return left(cc.Location, cc.Arg)
	}
	return -1
}

// setOpColumnLocation is the position PostgreSQL reports for column i of
// a set operation: that column of its leftmost SELECT.
func setOpColumnLocation(st *pg_query.SelectStmt, i int) int32 {
	for st.Op != pg_query.SetOperation_SETOP_NONE && st.Larg != nil {
		st = st.Larg
	}
	if i >= len(st.TargetList) {
		return -1
	}
	rt := st.TargetList[i].GetResTarget()
	if rt == nil {
		return -1
	}
	return leftmostLocation(rt.Val)
}
