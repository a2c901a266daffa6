package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// SRFColumn is one output column of a set-returning function.
type SRFColumn struct {
	Name string
	Type types.Type
}

// SRF is one signature of a set-returning function (generate_series,
// unnest, jsonb_each ...), usable in FROM.
type SRF struct {
	Args []types.Type
	// Cols are the output columns. A function with one unnamed output
	// column takes the function's name (or the alias) as column name: set
	// Name to "" for that.
	Cols []SRFColumn
	// ColsFromArg >= 0 makes the single output column's type that of
	// argument ColsFromArg (or its element type if ElemOfArg).
	ColsFromArg int
	ElemOfArg   bool
	Variadic    bool
	// NullCall: Gen is called with NULL arguments (not strict), as for
	// pg_logical_slot_get_changes(slot, NULL, NULL).
	NullCall bool
	// Gen produces the rows; emit must not retain the row slice.
	Gen func(c *bound.EvalCtx, args []types.Datum, emit func(row []types.Datum) error) error
}

var srfs = map[string][]SRF{}

func srf(name string, s ...SRF) {
	for i := range s {
		if s[i].ColsFromArg == 0 && len(s[i].Cols) > 0 && s[i].Cols[0].Type.OID != 0 {
			s[i].ColsFromArg = -1
		}
	}
	srfs[name] = append(srfs[name], s...)
}

// SetReturning returns the set-returning signatures of a name.
func SetReturning(name string) []SRF { return srfs[name] }

// SRFOverloads presents SRF signatures as Overloads so Resolve can pick one.
func SRFOverloads(ss []SRF) []Overload {
	out := make([]Overload, len(ss))
	for i, s := range ss {
		out[i] = Overload{Args: s.Args, Variadic: s.Variadic, RetFromArg: -1}
	}
	return out
}

func init() {
	// A table that is not partitioned is its own only ancestor.
	srf("pg_partition_ancestors", SRF{Args: []types.Type{types.Regclass}, Cols: []SRFColumn{{Name: "relid", Type: types.Regclass}},
		Gen: func(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
			return emit([]types.Datum{a[0]})
		}})
}
