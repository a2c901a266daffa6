package executor

import (
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

func colEval(i int) Eval {
	return func(_ *bound.EvalCtx, row []types.Datum) (types.Datum, error) { return row[i], nil }
}

// The transition step of the statistical aggregates allocates nothing per
// row (the hot path rule), for float, integer and numeric input.
func TestStatStepAllocs(t *testing.T) {
	c := &Ctx{Eval: &bound.EvalCtx{}}
	num, _, _ := apd.NewFromString("12345.678")
	cases := []struct {
		name string
		spec AggSpec
		row  []types.Datum
	}{
		{"var_samp(float8)", AggSpec{Kind: bound.AggVarSamp, Args: []Eval{colEval(0)}, T: types.Float8}, []types.Datum{types.NewFloat(1.5)}},
		{"stddev(int8)", AggSpec{Kind: bound.AggStddevSamp, Args: []Eval{colEval(0)}, T: types.Numeric}, []types.Datum{types.NewInt(123456789)}},
		{"var_pop(numeric)", AggSpec{Kind: bound.AggVarPop, Args: []Eval{colEval(0)}, T: types.Numeric}, []types.Datum{types.NewNumeric(num)}},
		{"corr(float8, float8)", AggSpec{Kind: bound.AggCorr, Args: []Eval{colEval(0), colEval(1)}, T: types.Float8}, []types.Datum{types.NewFloat(2), types.NewFloat(3)}},
		{"bit_xor(int4)", AggSpec{Kind: bound.AggBitXor, Args: []Eval{colEval(0)}, T: types.Int4}, []types.Datum{types.NewInt(5)}},
	}
	for _, tc := range cases {
		var st aggState
		if err := tc.spec.step(c, &st, tc.row); err != nil { // first row: the state itself
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(1000, func() {
			if err := tc.spec.step(c, &st, tc.row); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per row, want 0", tc.name, allocs)
		}
		if _, err := tc.spec.final(c, &st); err != nil {
			t.Errorf("%s: final: %v", tc.name, err)
		}
	}
}
