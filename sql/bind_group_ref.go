package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// nonIntegerConstant is PostgreSQL's error for a constant other than an
// integer as an ORDER BY, GROUP BY or DISTINCT ON item (ORDER BY 'x',
// GROUP BY NULL): only an integer names an output column, and any other
// constant would sort or group by nothing (parse_clause.c
// findTargetlistEntrySQL92).
func nonIntegerConstant(c *pg_query.A_Const, clause string) error {
	return pgerror.New(pgerror.SyntaxError, "non-integer constant in %s", clause).WithPosition(c.Location + 1)
}

// groupableTarget rejects GROUP BY n when output column n holds an
// aggregate or a window function, as PostgreSQL does for any GROUP BY
// expression (parse_agg.c check_agglevels_and_constraints).
func groupableTarget(e bound.Expr) error {
	var err error
	bound.Walk(e, func(x bound.Expr) bool {
		if err != nil {
			return false
		}
		switch x.(type) {
		case *bound.AggRef:
			err = pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed in GROUP BY")
		case *bound.WindowRef:
			err = pgerror.New(pgerror.WindowingError, "window functions are not allowed in GROUP BY")
		case *bound.Subquery:
			return false
		}
		return err == nil
	})
	return err
}
