package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// invalidRecursion is SQLSTATE 42P19.
const invalidRecursion pgerror.Code = "42P19"

// recursiveSelf is what a WITH RECURSIVE query's own name means while one
// of its terms is bound: an error in the non-recursive term, the work
// table in the recursive term.
type recursiveSelf struct {
	err   error
	work  *bound.WorkTable
	names []string
	types []types.Type
	used  bool
}

// bindRecursiveSelf binds a reference to a WITH RECURSIVE query from inside
// its own definition.
func (b *binder) bindRecursiveSelf(c cte, rv *pg_query.RangeVar) (bound.Rel, []scopeCol, error) {
	s := c.self
	if s.err != nil {
		return nil, nil, s.err
	}
	s.used = true
	alias := c.name
	if rv.Alias != nil {
		alias = rv.Alias.Aliasname
	}
	return &bound.WorkTableRel{Alias: alias, Types: s.types, Work: s.work}, cteCols(alias, s.names, s.types, rv), nil
}

// cteCols is the scope of a WITH query referenced as rv.
func cteCols(alias string, names []string, ts []types.Type, rv *pg_query.RangeVar) []scopeCol {
	var cols []scopeCol
	for i, t := range ts {
		name := names[i]
		if rv.Alias != nil && i < len(rv.Alias.Colnames) {
			name = strVal(rv.Alias.Colnames[i])
		}
		cols = append(cols, scopeCol{table: alias, name: name, idx: i, typ: t})
	}
	return cols
}

// bindRecursiveRef binds a reference to a query of WITH RECURSIVE. A query
// that does not reference itself is bound as an ordinary WITH query
// (ok false).
func (b *binder) bindRecursiveRef(c cte, at int, rv *pg_query.RangeVar) (rel bound.Rel, cols []scopeCol, ok bool, err error) {
	saved := b.ctes
	defer func() { b.ctes = saved }()
	q := c.query
	notForm := pgerror.New(invalidRecursion, "recursive query \"%s\" does not have the form non-recursive-term UNION [ALL] recursive-term", c.name)
	if q.Op != pg_query.SetOperation_SETOP_UNION || q.WithClause != nil {
		// Not of the form: any self-reference is an error.
		b.ctes = append(saved[:at:at], cte{name: c.name, self: &recursiveSelf{err: notForm}})
		_, err := b.bindSelect(q, nil)
		return nil, nil, false, err
	}
	nonRec := pgerror.New(invalidRecursion, "recursive reference to query \"%s\" must not appear within its non-recursive term", c.name)
	b.ctes = append(saved[:at:at], cte{name: c.name, self: &recursiveSelf{err: nonRec}})
	l, err := b.bindSelect(q.Larg, nil)
	if err != nil {
		return nil, nil, false, err
	}
	self := &recursiveSelf{work: &bound.WorkTable{Name: c.name}}
	for i := 0; i < l.Visible; i++ {
		name := l.Targets[i].Name
		if i < len(c.columns) {
			name = c.columns[i]
		}
		self.names = append(self.names, name)
		self.types = append(self.types, l.Targets[i].Expr.Type())
	}
	if len(c.columns) > l.Visible {
		return nil, nil, false, pgerror.New(pgerror.Code("42P10"), "WITH query \"%s\" has %d columns available but %d columns specified", c.name, l.Visible, len(c.columns))
	}
	b.ctes = append(saved[:at:at], cte{name: c.name, self: self})
	r, err := b.bindSelect(q.Rarg, nil)
	if err != nil {
		return nil, nil, false, err
	}
	if !self.used {
		return nil, nil, false, nil
	}
	if len(q.SortClause) > 0 || q.LimitCount != nil || q.LimitOffset != nil || q.LockingClause != nil {
		return nil, nil, false, pgerror.New(pgerror.FeatureNotSupported, "ORDER BY/LIMIT/OFFSET/FOR UPDATE in a recursive query is not implemented")
	}
	if r.Visible != l.Visible {
		return nil, nil, false, pgerror.New(pgerror.SyntaxError, "each UNION query must have the same number of columns")
	}
	for i, t := range self.types {
		if rt := r.Targets[i].Expr.Type(); rt != t {
			if _, err := b.coerce(&bound.ColRef{Idx: i, T: rt}, t, castImplicit); err != nil {
				return nil, nil, false, pgerror.New(pgerror.DatatypeMismatch, "recursive query \"%s\" column %d has type %s in non-recursive term but type %s overall",
					c.name, i+1, types.FormatType(t), types.FormatType(rt)).WithHint("Cast the output of the non-recursive term to the correct type.")
			}
		}
	}
	if r, err = b.convertOutputs(r, self.types); err != nil {
		return nil, nil, false, err
	}
	alias := c.name
	if rv.Alias != nil {
		alias = rv.Alias.Aliasname
	}
	rel = &bound.RecursiveRel{Name: c.name, Alias: alias, NonRec: l, Rec: r, All: q.All, Types: self.types, Work: self.work}
	return rel, cteCols(alias, self.names, self.types, rv), true, nil
}
