package executor

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// inputRowOf rebuilds, from an aggregated row, the input row a subquery
// in HAVING or the select list of a grouped query reads its outer
// columns from (bound.Subquery.OuterFrom).
func inputRowOf(agg []types.Datum, from []int) []types.Datum {
	in := make([]types.Datum, len(from))
	for i, p := range from {
		if p >= 0 && p < len(agg) {
			in[i] = agg[p]
		} else {
			in[i] = dNull
		}
	}
	return in
}

// compileSubquery evaluates scalar, EXISTS, IN/ANY and ALL subqueries.
// An uncorrelated subquery runs once per execution and its result is
// reused; a correlated one runs for each outer row, with that row pushed
// for its OuterRefs.
func compileSubquery(sq *bound.Subquery) Eval {
	node, _ := sq.Planned.(Node)
	var x Eval
	if sq.X != nil {
		x = Compile(sq.X)
	}
	test := sq.Op.Holds
	return func(c *bound.EvalCtx, row []types.Datum) (types.Datum, error) {
		if node == nil {
			return dNull, pgerror.New(pgerror.InternalError, "subquery was not planned")
		}
		ec, _ := c.Exec.(*Ctx)
		if ec == nil {
			return dNull, pgerror.New(pgerror.InternalError, "subquery outside an execution")
		}
		if sq.Correlated {
			outer := row
			if sq.OuterFrom != nil {
				outer = inputRowOf(row, sq.OuterFrom)
			}
			c.Outer = append(c.Outer, outer)
			defer func() { c.Outer = c.Outer[:len(c.Outer)-1] }()
		}
		var res *subResult
		if !sq.Correlated {
			if r, ok := c.Memo[sq].(*subResult); ok {
				res = r
			}
		}
		if res == nil {
			var err error
			if res, err = runSubquery(ec, sq, node); err != nil {
				return dNull, err
			}
			if !sq.Correlated {
				if c.Memo == nil {
					c.Memo = map[*bound.Subquery]any{}
				}
				c.Memo[sq] = res
			}
		}
		switch sq.Kind {
		case bound.SubScalar:
			return res.scalar, nil
		case bound.SubExists:
			return types.NewBool(res.rows > 0), nil
		case bound.SubArray:
			et, _ := sq.T.Elem()
			return types.NewArray(et, res.all), nil
		}
		v, err := x(c, row)
		if err != nil {
			return dNull, err
		}
		if res.rows == 0 {
			return types.NewBool(sq.Kind == bound.SubAll), nil
		}
		if v.K == types.KindNull {
			return dNull, nil
		}
		sawNull := res.sawNull
		for _, w := range res.values {
			r := test(types.Compare(v, w))
			if sq.Kind == bound.SubAny && r {
				return dTrue, nil
			}
			if sq.Kind == bound.SubAll && !r {
				return dFalse, nil
			}
		}
		if sawNull {
			return dNull, nil
		}
		return types.NewBool(sq.Kind == bound.SubAll), nil
	}
}

// subResult is what one run of a subquery produced.
type subResult struct {
	rows    int
	scalar  types.Datum
	values  []types.Datum // first column, non-NULL (ANY/ALL)
	all     []types.Datum // first column, in order (ARRAY)
	sawNull bool
}

func runSubquery(c *Ctx, sq *bound.Subquery, node Node) (*subResult, error) {
	res := &subResult{}
	err := Drain(c, node, func(row []types.Datum) error {
		res.rows++
		switch sq.Kind {
		case bound.SubScalar:
			if res.rows > 1 {
				return pgerror.New(pgerror.CardinalityViolation, "more than one row returned by a subquery used as an expression")
			}
			res.scalar = row[0]
		case bound.SubExists:
			return errStop
		case bound.SubArray:
			if err := c.Budget.Grow(rowBytes(row[:1])); err != nil {
				return err
			}
			res.all = append(res.all, row[0])
		default:
			if row[0].K == types.KindNull {
				res.sawNull = true
			} else {
				if err := c.Budget.Grow(rowBytes(row[:1])); err != nil {
					return err
				}
				res.values = append(res.values, row[0])
			}
		}
		return nil
	})
	if err == errStop {
		err = nil
	}
	return res, err
}

var errStop = pgerror.New(pgerror.SuccessfulCompletion, "stop")
