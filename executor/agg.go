package executor

import (
	"slices"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// AggSpec is one compiled aggregate.
type AggSpec struct {
	Kind     bound.AggKind
	Args     []Eval
	Distinct bool
	Filter   Eval
	T        types.Type
	ArgType  types.Type
	Sep      Eval // string_agg delimiter
	Value    Eval // json_object_agg's value
	// OrderBy sorts the collected values of order-sensitive aggregates.
	OrderBy   []Eval
	OrderKeys []SortKey
	// GroupRefs: GROUPING()'s arguments as GroupBy positions (agg_sets.go).
	GroupRefs []int
	// Direct is an ordered-set aggregate's direct argument (the
	// fraction); DirectConst: it uses no input column, so it is
	// evaluated once per group at the end, even for no rows.
	Direct      Eval
	DirectConst bool
}

// aggState accumulates one aggregate for one group.
type aggState struct {
	count int64
	val   types.Datum // running min / max / bool
	sum   sumAcc
	has   bool
	seen  map[uint64][]types.Datum // DISTINCT
	parts []types.Datum            // array_agg / string_agg / json_agg
	seps  []string
	vals  []types.Datum   // json_object_agg values
	keys  [][]types.Datum // ORDER BY keys, one per part
	stat  *statState      // statistical aggregates
	// sorted: parts of an ordered-set aggregate are sorted already.
	sorted bool
}

// HashAgg groups its input by GroupBy and computes Aggs; its output row is
// the group values followed by the aggregate results. With no GroupBy it
// produces exactly one row, even for empty input.
type HashAgg struct {
	Estimated
	mem     memHeld // rows held against the query's memory budget
	Input   Node
	GroupBy []Eval
	Aggs    []AggSpec
	Text    []string

	groups map[uint64][]*group
	order  []*group
	i      int
	out    []types.Datum
}

type group struct {
	keys   []types.Datum
	states []aggState
}

func (h *HashAgg) Open(c *Ctx) error {
	h.groups, h.order, h.i = map[uint64][]*group{}, nil, 0
	h.mem.release()
	keys := make([]types.Datum, len(h.GroupBy))
	keyCols := make([]int, len(h.GroupBy))
	for i := range keyCols {
		keyCols[i] = i
	}
	err := Drain(c, h.Input, func(row []types.Datum) error {
		for i, g := range h.GroupBy {
			v, err := g(c.Eval, row)
			if err != nil {
				return err
			}
			keys[i] = v
		}
		hash := hashCols(keys, keyCols)
		var grp *group
		for _, cand := range h.groups[hash] {
			if equalCols(cand.keys, keys, keyCols) {
				grp = cand
				break
			}
		}
		if grp == nil {
			if err := h.mem.grow(c, rowBytes(keys)+int64(len(h.Aggs))*64); err != nil {
				return err
			}
			grp = &group{keys: copyRow(keys), states: make([]aggState, len(h.Aggs))}
			h.groups[hash] = append(h.groups[hash], grp)
			h.order = append(h.order, grp)
		}
		for i := range h.Aggs {
			if err := h.Aggs[i].step(c, &grp.states[i], row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(h.GroupBy) == 0 && len(h.order) == 0 {
		h.order = append(h.order, &group{states: make([]aggState, len(h.Aggs))})
	}
	return nil
}

func (h *HashAgg) Next(c *Ctx) ([]types.Datum, error) {
	if h.i >= len(h.order) {
		return nil, nil
	}
	g := h.order[h.i]
	h.i++
	var err error
	h.out, err = groupRow(c, h.out, g.keys, h.Aggs, g.states, false, nil)
	return h.out, err
}

// groupRow writes a finished group into out (allocated on first use): its
// keys, then each aggregate's final value. With grouping sets, set is the
// group's (possibly empty) set, which GROUPING() reports on.
func groupRow(c *Ctx, out, keys []types.Datum, aggs []AggSpec, states []aggState, sets bool, set []int) ([]types.Datum, error) {
	if out == nil {
		out = make([]types.Datum, len(keys)+len(aggs))
	}
	copy(out, keys)
	for i := range aggs {
		if sets && aggs[i].Kind == bound.AggGrouping {
			out[len(keys)+i] = types.NewInt(groupingMask(set, aggs[i].GroupRefs))
			continue
		}
		v, err := aggs[i].final(c, &states[i])
		if err != nil {
			return out, err
		}
		out[len(keys)+i] = v
	}
	return out, nil
}

func (h *HashAgg) Close() { h.groups, h.order = nil, nil; h.mem.release() }
func (h *HashAgg) Explain() *Explain {
	e := &Explain{Name: "Aggregate", Children: []Node{h.Input}}
	if len(h.GroupBy) > 0 {
		e.Name = "HashAggregate"
		e.Details = []string{"Group Key: " + strings.Join(h.Text, ", ")}
	}
	return e
}

func (a *AggSpec) step(c *Ctx, st *aggState, row []types.Datum) error {
	if a.Filter != nil {
		ok, err := evalBool(a.Filter, c.Eval, row)
		if err != nil || !ok {
			return err
		}
	}
	if a.Kind == bound.AggCountStar {
		st.count++
		return nil
	}
	if a.Kind.IsOrderedSet() {
		return a.stepOrderedSet(c, st, row)
	}
	v, err := a.Args[0](c.Eval, row)
	if err != nil {
		return err
	}
	keepsNull := a.Kind == bound.AggArrayAgg || a.Kind == bound.AggJSON || a.Kind == bound.AggJSONB
	if v.K == types.KindNull && !keepsNull {
		if a.Kind == bound.AggJSONObject || a.Kind == bound.AggJSONBObject {
			return pgerror.New(pgerror.InvalidParameterValue, "field name must not be null")
		}
		return nil
	}
	if a.Kind >= bound.AggBitAnd {
		return a.stepStat(c, st, v, row)
	}
	if a.Distinct {
		if st.seen == nil {
			st.seen = map[uint64][]types.Datum{}
		}
		h := types.Hash(v, 0)
		for _, s := range st.seen[h] {
			if (s.K == types.KindNull) == (v.K == types.KindNull) && (v.K == types.KindNull || types.Compare(s, v) == 0) {
				return nil
			}
		}
		st.seen[h] = append(st.seen[h], cloneDatum(v))
	}
	// The ORDER BY keys are those of the values kept: a duplicate that
	// DISTINCT drops must not leave its keys behind (keys and parts pair
	// up by position).
	if len(a.OrderBy) > 0 {
		k := make([]types.Datum, len(a.OrderBy))
		for i, o := range a.OrderBy {
			kv, err := o(c.Eval, row)
			if err != nil {
				return err
			}
			k[i] = kv
		}
		st.keys = append(st.keys, k)
	}
	st.count++
	switch a.Kind {
	case bound.AggCount:
	case bound.AggSum, bound.AggAvg:
		st.has = true
		if err := st.sum.add(v); err != nil {
			return err
		}
	case bound.AggMin:
		if !st.has || types.Compare(v, st.val) < 0 {
			st.val, st.has = cloneDatum(v), true
		}
	case bound.AggMax:
		if !st.has || types.Compare(v, st.val) > 0 {
			st.val, st.has = cloneDatum(v), true
		}
	case bound.AggBoolAnd:
		if !st.has {
			st.val, st.has = v, true
		} else if v.I == 0 {
			st.val = v
		}
	case bound.AggBoolOr:
		if !st.has {
			st.val, st.has = v, true
		} else if v.I == 1 {
			st.val = v
		}
	case bound.AggStringAgg:
		sep := ""
		if a.Sep != nil {
			sv, err := a.Sep(c.Eval, row)
			if err != nil {
				return err
			}
			if sv.K != types.KindNull {
				sep = sv.S
			}
		}
		st.parts = append(st.parts, cloneDatum(v))
		st.seps = append(st.seps, sep)
	case bound.AggArrayAgg, bound.AggJSON, bound.AggJSONB:
		st.parts = append(st.parts, cloneDatum(v))
	case bound.AggJSONObject, bound.AggJSONBObject:
		val, err := a.Value(c.Eval, row)
		if err != nil {
			return err
		}
		st.parts = append(st.parts, v)
		st.vals = append(st.vals, val)
	default:
		return pgerror.New(pgerror.FeatureNotSupported, "aggregate not supported")
	}
	return nil
}

func (a *AggSpec) final(c *Ctx, st *aggState) (types.Datum, error) {
	if a.Kind.IsOrderedSet() {
		return a.finalOrderedSet(c, st)
	}
	if a.Kind >= bound.AggBitAnd {
		return a.finalStat(st)
	}
	if len(st.keys) == len(st.parts) && len(st.keys) > 1 {
		st.sortByKeys(a.OrderKeys)
	} else if a.Distinct && len(a.OrderBy) == 0 && len(st.parts) > 1 {
		// PostgreSQL sorts the input of a DISTINCT aggregate by its
		// argument to drop duplicates, so the kept values come out in
		// ascending order, NULLs last (nodeAgg.c process_ordered_aggregate_single).
		st.keys = make([][]types.Datum, len(st.parts))
		for i := range st.parts {
			st.keys[i] = st.parts[i : i+1]
		}
		st.sortByKeys(distinctKeys)
		st.keys = nil
	}
	switch a.Kind {
	case bound.AggJSON, bound.AggJSONB, bound.AggJSONObject, bound.AggJSONBObject:
		if len(st.parts) == 0 {
			return dNull, nil
		}
		name := map[bound.AggKind]string{bound.AggJSON: "json_build_array", bound.AggJSONB: "jsonb_build_array",
			bound.AggJSONObject: "json_build_object", bound.AggJSONBObject: "jsonb_build_object"}[a.Kind]
		args := st.parts
		if a.Kind == bound.AggJSONObject || a.Kind == bound.AggJSONBObject {
			args = make([]types.Datum, 0, 2*len(st.parts))
			for i := range st.parts {
				args = append(args, st.parts[i], st.vals[i])
			}
		}
		if a.Kind == bound.AggJSON && (a.ArgType.OID == types.RecordOID || a.ArgType.IsArray()) {
			// json_agg puts a newline after the separator of composite and
			// array elements (json.c json_agg_transfn).
			return builtins.JSONArrayText(c.Eval.Settings, args, ", \n ")
		}
		r, err := builtins.Func(name)[0].Fn(c.Eval, args)
		if err == nil && a.Kind == bound.AggJSONObject && len(r.S) >= 2 {
			// json_object_agg writes "{ k : v, ... }", with blanks inside
			// the braces that json_build_object does not write (json.c).
			r = types.NewJSON("{ " + r.S[1:len(r.S)-1] + " }")
		}
		return r, err
	case bound.AggCount, bound.AggCountStar:
		return types.NewInt(st.count), nil
	case bound.AggSum:
		if !st.has {
			return dNull, nil
		}
		return st.sum.sum(a.T)
	case bound.AggAvg:
		if !st.has {
			return dNull, nil
		}
		return st.sum.avg(st.count, a.T)
	case bound.AggMin, bound.AggMax, bound.AggBoolAnd, bound.AggBoolOr:
		if !st.has {
			return dNull, nil
		}
		return st.val, nil
	case bound.AggStringAgg:
		if len(st.parts) == 0 {
			return dNull, nil
		}
		var b strings.Builder
		for i, p := range st.parts {
			if i > 0 {
				b.WriteString(st.seps[i])
			}
			b.WriteString(p.S)
		}
		if a.T.OID == types.ByteaOID {
			return types.NewBytesString(b.String()), nil
		}
		return types.NewText(b.String()), nil
	case bound.AggArrayAgg:
		if len(st.parts) == 0 {
			return dNull, nil
		}
		return types.NewArray(a.ArgType, st.parts), nil
	}
	return dNull, pgerror.New(pgerror.FeatureNotSupported, "aggregate not supported")
}

// distinctKeys sorts a DISTINCT aggregate's values by themselves.
var distinctKeys = []SortKey{{Col: 0}}

// sortByKeys orders the collected values by their ORDER BY keys (stable).
func (st *aggState) sortByKeys(keys []SortKey) {
	idx := make([]int, len(st.parts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return CompareRows(st.keys[a], st.keys[b], keys) })
	permute := func(xs []types.Datum) []types.Datum {
		if len(xs) != len(idx) {
			return xs
		}
		out := make([]types.Datum, len(xs))
		for i, j := range idx {
			out[i] = xs[j]
		}
		return out
	}
	st.parts, st.vals = permute(st.parts), permute(st.vals)
	if len(st.seps) == len(idx) {
		seps := make([]string, len(idx))
		for i, j := range idx {
			seps[i] = st.seps[j]
		}
		st.seps = seps
	}
}

// cloneDatum detaches a datum from buffers that will be reused (row
// values alias kv storage, which is immutable, so only S from a reused
// encoder buffer would need copying; datums here are safe to keep).
func cloneDatum(d types.Datum) types.Datum { return d }
