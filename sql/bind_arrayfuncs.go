package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// arrayConcatFunc binds array_append(arr, elem), array_prepend(elem, arr)
// and array_cat(arr, arr) as the || forms they are (arrayConcat). ok is
// false for other names or argument counts.
func (b *binder) arrayConcatFunc(name string, fc *pg_query.FuncCall, sc *scope) (bound.Expr, bool, error) {
	if (name != "array_append" && name != "array_prepend" && name != "array_cat") || len(fc.Args) != 2 {
		return nil, false, nil
	}
	l, err := b.bindExpr(fc.Args[0], sc, types.Unknown)
	if err != nil {
		return nil, true, err
	}
	r, err := b.bindExpr(fc.Args[1], sc, types.Unknown)
	if err != nil {
		return nil, true, err
	}
	arrSide := map[string][2]bool{"array_append": {true, false}, "array_prepend": {false, true}, "array_cat": {true, true}}[name]
	for i, x := range []bound.Expr{l, r} {
		t := x.Type()
		if arrSide[i] && !t.IsArray() && t.OID != types.UnknownOID || !arrSide[i] && t.IsArray() {
			return nil, true, b.noFunction(name, []bound.Expr{l, r}, fc.Location)
		}
	}
	// An untyped argument in the element place is the element type:
	// array_append(arr, NULL) appends a NULL (|| would read it as an
	// array to concatenate).
	if name != "array_cat" {
		arr, el := &l, &r
		if name == "array_prepend" {
			arr, el = &r, &l
		}
		if elem, ok := (*arr).Type().Elem(); ok && (*el).Type().OID == types.UnknownOID {
			if *el, err = b.coerce(*el, elem, castImplicit); err != nil {
				return nil, true, err
			}
		}
	}
	e, ok, err := b.arrayConcat(l, r, fc.Location)
	if !ok {
		return nil, true, b.noFunction(name, []bound.Expr{l, r}, fc.Location)
	}
	return e, true, err
}
