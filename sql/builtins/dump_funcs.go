package builtins

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Functions pg_dump's catalog queries call that nothing else needs.

func init() {
	quoteLit := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return types.NewText(QuoteLiteral(a[0].S)), nil
	}
	quoteNullable := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0].IsNull() {
			return types.NewText("NULL"), nil
		}
		return types.NewText(QuoteLiteral(a[0].S)), nil
	}
	fnIfAbsent("quote_literal", sig(types.Text, quoteLit, types.Text),
		Overload{Args: args(Any), Ret: types.Text, RetFromArg: -1, AnyAsText: true, Fn: quoteLit})
	fnIfAbsent("quote_nullable", Overload{Args: args(types.Text), Ret: types.Text, RetFromArg: -1, NullCall: true, Fn: quoteNullable},
		Overload{Args: args(Any), Ret: types.Text, RetFromArg: -1, NullCall: true, AnyAsText: true, Fn: quoteNullable})

	// pg_options_to_table(text[]): the name=value entries of reloptions,
	// attoptions, fdwoptions ... as rows (option_name, option_value); an
	// entry without '=' has a NULL value.
	if SetReturning("pg_options_to_table") == nil {
		srf("pg_options_to_table", SRF{Args: []types.Type{types.TextArray},
			Cols: []SRFColumn{{Name: "option_name", Type: types.Text}, {Name: "option_value", Type: types.Text}},
			Gen: func(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
				arr, ok := a[0].X.(*types.Array)
				if a[0].IsNull() || !ok {
					return nil
				}
				for _, e := range arr.Elems {
					if e.IsNull() {
						continue
					}
					name, val, found := strings.Cut(e.S, "=")
					v := types.Datum{}
					if found {
						v = types.NewText(val)
					}
					if err := emit([]types.Datum{types.NewText(name), v}); err != nil {
						return err
					}
				}
				return nil
			}})
	}
}
