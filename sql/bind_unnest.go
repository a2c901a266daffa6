package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// multiUnnest binds unnest(a, b, ...) in FROM, which PostgreSQL expands to
// ROWS FROM (unnest(a), unnest(b), ...): one column per array, as many rows
// as the longest, shorter arrays padded with NULLs.
func (b *binder) multiUnnest(fc *pg_query.FuncCall, sc *scope) (builtins.SRF, []bound.Expr, []builtins.SRFColumn, error) {
	var args []bound.Expr
	var cols []builtins.SRFColumn
	for _, a := range fc.Args {
		e, err := b.bindExpr(a, sc, types.Unknown)
		if err != nil {
			return builtins.SRF{}, nil, nil, err
		}
		e = finalize(b.settle(e))
		et, ok := e.Type().Elem()
		if !ok || !e.Type().IsArray() {
			return builtins.SRF{}, nil, nil, pgerror.New(pgerror.UndefinedFunction, "function unnest(%s) does not exist", types.FormatType(e.Type())).
				WithPosition(fc.Location + 1).WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
		}
		args = append(args, e)
		cols = append(cols, builtins.SRFColumn{Name: "unnest", Type: et})
	}
	gen := func(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
		n := 0
		for _, d := range a {
			if arr := d.Array(); !d.IsNull() && arr != nil {
				n = max(n, len(arr.Elems))
			}
		}
		row := make([]types.Datum, len(a))
		for i := 0; i < n; i++ {
			for j, d := range a {
				row[j] = types.Datum{}
				if arr := d.Array(); !d.IsNull() && arr != nil && i < len(arr.Elems) {
					row[j] = arr.Elems[i]
				}
			}
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}
	return builtins.SRF{Cols: cols, Gen: gen}, args, cols, nil
}
