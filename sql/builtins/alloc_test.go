package builtins

import (
	"testing"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// TestHotPathAllocs keeps the per-row paths of the common date/time and
// json functions free of avoidable allocations.
func TestHotPathAllocs(t *testing.T) {
	ctx := &bound.EvalCtx{Settings: types.DefaultSettings()}
	doc := types.NewJSONB(`{"a": {"b": [1, 2]}, "name": "x", "n": 12}`)
	ts := types.NewTimestamp(631152000000000)
	cases := []struct {
		name string
		max  float64
		f    func()
	}{
		{"jsonb -> key", 0, func() { jsonGetField(doc.S, "a", true, false) }},
		{"jsonb ->> key", 0, func() { jsonGetField(doc.S, "name", true, true) }},
		{"jsonb ? key", 0, func() { jsonbExists(doc.S, "n") }},
		{"extract(year)", 1, func() { timestampPart(ctx, "year", ts.I, false, true) }},
		{"date_part(hour)", 0, func() { timestampPart(ctx, "hour", ts.I, false, false) }},
		{"date_trunc(day)", 0, func() { timestampTrunc("day", ts.I) }},
	}
	for _, c := range cases {
		if n := testing.AllocsPerRun(100, c.f); n > c.max {
			t.Errorf("%s: %v allocations per call, want <= %v", c.name, n, c.max)
		}
	}
}
