package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// multiAssignValue is the value one column of UPDATE ... SET (a, b) =
// source takes: the colno-th item of a row constructor, or for a
// subquery, that column of its single row, read as a scalar subquery
// (SELECT s.cK FROM (subquery) s(c1, ..., cn)) so each column keeps
// PostgreSQL's one-row rule (21000).
func multiAssignValue(ma *pg_query.MultiAssignRef) (*pg_query.Node, error) {
	if row := ma.Source.GetRowExpr(); row != nil {
		if len(row.Args) != int(ma.Ncolumns) {
			return nil, pgerror.New(pgerror.SyntaxError, "number of columns does not match number of values").WithPosition(row.Location + 1)
		}
		return row.Args[ma.Colno-1], nil
	}
	sl := ma.Source.GetSubLink()
	if sl == nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression")
	}
	const alias = "?multiassign?"
	str := func(s string) *pg_query.Node {
		return &pg_query.Node{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: s}}}
	}
	var cols []*pg_query.Node
	for i := 1; i <= int(ma.Ncolumns); i++ {
		cols = append(cols, str("c"+itoa(i)))
	}
	ref := &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{Fields: []*pg_query.Node{str(alias), cols[ma.Colno-1]}}}}
	sel := &pg_query.SelectStmt{
		TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: ref}}}},
		FromClause: []*pg_query.Node{{Node: &pg_query.Node_RangeSubselect{RangeSubselect: &pg_query.RangeSubselect{
			Subquery: sl.Subselect, Alias: &pg_query.Alias{Aliasname: alias, Colnames: cols}}}}},
		Op: pg_query.SetOperation_SETOP_NONE,
	}
	return &pg_query.Node{Node: &pg_query.Node_SubLink{SubLink: &pg_query.SubLink{SubLinkType: pg_query.SubLinkType_EXPR_SUBLINK,
		Subselect: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}}, Location: sl.Location}}}, nil
}
