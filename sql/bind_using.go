package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// bindUsing binds JOIN ... USING (and NATURAL JOIN) as PostgreSQL's
// transformFromClauseItem does: each named column pair is compared for
// equality, and one merged column per name comes first in the join's
// columns (SELECT * lists it once, before the others); the tables' own
// columns stay reachable qualified (t1.k, t2.k, t1.*). The merged column is
// the left one, the right one for a RIGHT join, and COALESCE(left, right)
// for a FULL join, which then reads the join through a projection that
// appends the merged values to the join's row.
func (b *binder) bindUsing(j *bound.JoinRel, using []string, lcols, rcols, cols []scopeCol, je *pg_query.JoinExpr) (bound.Expr, []scopeCol, bound.Rel, error) {
	if len(using) == 0 {
		return nil, cols, j, nil
	}
	var on bound.Expr
	var merged []scopeCol
	var full *bound.Select
	width := j.Width()
	if j.Kind == bound.JoinFull {
		// The projection passes the join's row through, position by position.
		full = &bound.Select{From: j, Targets: make([]bound.Target, width)}
		for i := range full.Targets {
			full.Targets[i] = bound.Target{Expr: &bound.ColRef{Idx: i, T: types.Unknown}}
		}
		for _, c := range cols {
			full.Targets[c.idx] = bound.Target{Expr: &bound.ColRef{Idx: c.idx, T: c.typ, Name: c.name, Table: c.table}, Name: c.name}
		}
	}
	for _, name := range using {
		li, ri := -1, -1
		for i, c := range lcols {
			if !c.hidden && !c.qualOnly && c.name == name {
				li = i
			}
		}
		for i, c := range rcols {
			if !c.hidden && !c.qualOnly && c.name == name {
				ri = i
			}
		}
		if li < 0 {
			return nil, nil, nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" specified in USING clause does not exist in left table", name)
		}
		if ri < 0 {
			return nil, nil, nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" specified in USING clause does not exist in right table", name)
		}
		lc, rc := cols[li], cols[len(lcols)+ri]
		lref := &bound.ColRef{Idx: lc.idx, T: lc.typ, Name: name, Table: lc.table}
		rref := &bound.ColRef{Idx: rc.idx, T: rc.typ, Name: name, Table: rc.table}
		eq, err := b.binaryOp("=", lref, rref, je.Larg.GetRangeVar().GetLocation())
		if err != nil {
			return nil, nil, nil, err
		}
		if on == nil {
			on = eq
		} else {
			on = &bound.And{L: on, R: eq}
		}
		m := cols[li]
		if j.Kind == bound.JoinRight {
			m = cols[len(lcols)+ri]
		}
		m.table = ""
		if full != nil {
			m.tableOID, m.attnum = 0, 0
			t, err := b.commonType([]bound.Expr{lref, rref}, "JOIN/USING")
			if err != nil {
				return nil, nil, nil, err
			}
			l, err := b.coerce(lref, t, castImplicit)
			if err != nil {
				return nil, nil, nil, err
			}
			r, err := b.coerce(rref, t, castImplicit)
			if err != nil {
				return nil, nil, nil, err
			}
			m.idx, m.typ = width+len(merged), t
			full.Targets = append(full.Targets, bound.Target{Expr: &bound.Coalesce{Args: []bound.Expr{l, r}, T: t}, Name: name})
		}
		merged = append(merged, m)
		cols[li].qualOnly, cols[len(lcols)+ri].qualOnly = true, true
	}
	out := append(merged, cols...)
	if full == nil {
		return on, out, j, nil
	}
	full.Visible = len(full.Targets)
	return on, out, &bound.SubqueryRel{Query: full}, nil
}
