package executor

import (
	"fmt"
	"math"
	"slices"

	"github.com/cockroachdb/apd/v3"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// errFloatOverflow is float_overflow_error (float.c).
var errFloatOverflow = pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")

// statState accumulates the statistical aggregates of one group: the
// float forms as float.c's transition arrays {N, Sx, Sxx} and {N, Sx,
// Sxx, Sy, Syy, Sxy} updated with the Youngs-Cramer algorithm, the numeric
// forms as exact sums (types.NumericStats).
type statState struct {
	n, sx, sxx, sy, syy, sxy float64
	num                      types.NumericStats
}

// floatAccum is float8_accum: one value of a one-argument statistic.
func (s *statState) floatAccum(x float64) error {
	n0, sx0 := s.n, s.sx
	s.n++
	s.sx += x
	if n0 > 0 {
		t := x*s.n - s.sx
		s.sxx += t * t / (s.n * n0)
		if math.IsInf(s.sx, 0) || math.IsInf(s.sxx, 0) {
			if !math.IsInf(sx0, 0) && !math.IsInf(x, 0) {
				return errFloatOverflow
			}
			s.sxx = math.NaN()
		}
	} else if math.IsNaN(x) || math.IsInf(x, 0) {
		s.sxx = math.NaN()
	}
	return nil
}

// regrAccum is float8_regr_accum: one (Y, X) pair.
func (s *statState) regrAccum(y, x float64) error {
	n0 := s.n
	s.n++
	sx0, sy0 := s.sx, s.sy
	s.sx += x
	s.sy += y
	if n0 > 0 {
		tx := x*s.n - s.sx
		ty := y*s.n - s.sy
		scale := 1.0 / (s.n * n0)
		s.sxx += tx * tx * scale
		s.syy += ty * ty * scale
		s.sxy += tx * ty * scale
		if math.IsInf(s.sx, 0) || math.IsInf(s.sxx, 0) {
			if !math.IsInf(sx0, 0) && !math.IsInf(x, 0) {
				return errFloatOverflow
			}
			s.sxx = math.NaN()
		}
		if math.IsInf(s.sy, 0) || math.IsInf(s.syy, 0) {
			if !math.IsInf(sy0, 0) && !math.IsInf(y, 0) {
				return errFloatOverflow
			}
			s.syy = math.NaN()
		}
		if math.IsInf(s.sxy, 0) {
			if !math.IsInf(sx0, 0) && !math.IsInf(x, 0) && !math.IsInf(sy0, 0) && !math.IsInf(y, 0) {
				return errFloatOverflow
			}
			s.sxy = math.NaN()
		}
	} else {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			s.sxx, s.sxy = math.NaN(), math.NaN()
		}
		if math.IsNaN(y) || math.IsInf(y, 0) {
			s.syy, s.sxy = math.NaN(), math.NaN()
		}
	}
	return nil
}

// stepStat adds one input row's value(s) to a statistical aggregate or
// bit_and/bit_or/bit_xor (v is the first argument, not NULL). With
// DISTINCT the values are collected and accumulated at the end in sort
// order, as PostgreSQL feeds them (the float results depend on it).
func (a *AggSpec) stepStat(c *Ctx, st *aggState, v types.Datum, row []types.Datum) error {
	var x types.Datum
	if a.Kind.IsRegr() {
		var err error
		if x, err = a.Args[1](c.Eval, row); err != nil || x.K == types.KindNull {
			return err
		}
	}
	if a.Distinct {
		if !st.seenPair(v, x) {
			st.parts = append(st.parts, cloneDatum(v), cloneDatum(x))
		}
		return nil
	}
	return a.accumStat(st, v, x)
}

func (a *AggSpec) accumStat(st *aggState, v, x types.Datum) error {
	switch a.Kind {
	case bound.AggBitAnd, bound.AggBitOr, bound.AggBitXor:
		if !st.has {
			st.val, st.has = v, true
			return nil
		}
		switch a.Kind {
		case bound.AggBitAnd:
			st.val.I &= v.I
		case bound.AggBitOr:
			st.val.I |= v.I
		default:
			st.val.I ^= v.I
		}
		return nil
	}
	if st.stat == nil {
		st.stat = &statState{}
	}
	s := st.stat
	if a.Kind.IsRegr() {
		return s.regrAccum(v.F, x.F)
	}
	switch v.K {
	case types.KindFloat:
		return s.floatAccum(v.F)
	case types.KindInt:
		s.num.AddInt(v.I)
	case types.KindNumeric:
		if d, ok := v.X.(*apd.Decimal); ok {
			s.num.AddNumeric(d)
		}
	}
	return nil
}

// accumDistinct accumulates the collected DISTINCT values in sort order.
func (a *AggSpec) accumDistinct(st *aggState) error {
	if st.sorted {
		return nil
	}
	st.sorted = true
	n := len(st.parts) / 2
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	p := st.parts
	slices.SortFunc(idx, func(i, j int) int {
		if c := types.Compare(p[2*i], p[2*j]); c != 0 {
			return c
		}
		return types.Compare(p[2*i+1], p[2*j+1])
	})
	for _, i := range idx {
		if err := a.accumStat(st, p[2*i], p[2*i+1]); err != nil {
			return err
		}
	}
	return nil
}

// seenPair reports whether DISTINCT has seen (v, x) before, recording it.
func (st *aggState) seenPair(v, x types.Datum) bool {
	if st.seen == nil {
		st.seen = map[uint64][]types.Datum{}
	}
	h := types.Hash(x, types.Hash(v, 0))
	bucket := st.seen[h]
	for i := 0; i+1 < len(bucket); i += 2 {
		if types.Compare(bucket[i], v) == 0 && (x.K == types.KindNull) == (bucket[i+1].K == types.KindNull) &&
			(x.K == types.KindNull || types.Compare(bucket[i+1], x) == 0) {
			return true
		}
	}
	st.seen[h] = append(bucket, v, x)
	return false
}

// finalStat is the final function of a statistical aggregate.
func (a *AggSpec) finalStat(st *aggState) (types.Datum, error) {
	if a.Distinct {
		if err := a.accumDistinct(st); err != nil {
			return dNull, err
		}
	}
	switch a.Kind {
	case bound.AggBitAnd, bound.AggBitOr, bound.AggBitXor:
		if !st.has {
			return dNull, nil
		}
		return st.val, nil
	}
	s := st.stat
	if s == nil {
		s = &statState{}
	}
	null := func() (types.Datum, error) { return dNull, nil }
	f := func(x float64) (types.Datum, error) { return types.NewFloat(x), nil }
	switch a.Kind {
	case bound.AggVarSamp, bound.AggVarPop, bound.AggStddevSamp, bound.AggStddevPop:
		sample := a.Kind == bound.AggVarSamp || a.Kind == bound.AggStddevSamp
		sqrt := a.Kind == bound.AggStddevSamp || a.Kind == bound.AggStddevPop
		if a.T.OID == types.NumericOID {
			d, ok := s.num.Variance(sample, sqrt)
			if !ok {
				return null()
			}
			return types.NewNumeric(d), nil
		}
		if s.n == 0 || (sample && s.n <= 1) {
			return null()
		}
		r := s.sxx / s.n
		if sample {
			r = s.sxx / (s.n - 1)
		}
		if sqrt {
			r = math.Sqrt(r)
		}
		return f(r)
	case bound.AggRegrCount:
		return types.NewInt(int64(s.n)), nil
	}
	if s.n < 1 {
		return null()
	}
	switch a.Kind {
	case bound.AggRegrSxx:
		return f(s.sxx)
	case bound.AggRegrSyy:
		return f(s.syy)
	case bound.AggRegrSxy:
		return f(s.sxy)
	case bound.AggRegrAvgX:
		return f(s.sx / s.n)
	case bound.AggRegrAvgY:
		return f(s.sy / s.n)
	case bound.AggCovarPop:
		return f(s.sxy / s.n)
	case bound.AggCovarSamp:
		if s.n < 2 {
			return null()
		}
		return f(s.sxy / (s.n - 1))
	case bound.AggCorr:
		if s.sxx == 0 || s.syy == 0 {
			return null()
		}
		return f(s.sxy / math.Sqrt(s.sxx*s.syy))
	case bound.AggRegrR2:
		if s.sxx == 0 {
			return null()
		}
		if s.syy == 0 {
			return f(1)
		}
		return f(s.sxy * s.sxy / (s.sxx * s.syy))
	case bound.AggRegrSlope:
		if s.sxx == 0 {
			return null()
		}
		return f(s.sxy / s.sxx)
	case bound.AggRegrIntercept:
		if s.sxx == 0 {
			return null()
		}
		return f((s.sy - s.sx*s.sxy/s.sxx) / s.n)
	}
	return dNull, pgerror.New(pgerror.FeatureNotSupported, "aggregate not supported")
}

// stepOrderedSet collects one value of percentile_cont, percentile_disc or
// mode (NULLs are skipped); a direct argument that uses the row's columns
// is evaluated at the group's first row.
func (a *AggSpec) stepOrderedSet(c *Ctx, st *aggState, row []types.Datum) error {
	if a.Direct != nil && !a.DirectConst && !st.has {
		d, err := a.Direct(c.Eval, row)
		if err != nil {
			return err
		}
		st.val, st.has = d, true
	}
	v, err := a.OrderBy[0](c.Eval, row)
	if err != nil || v.K == types.KindNull {
		return err
	}
	st.parts = append(st.parts, cloneDatum(v))
	return nil
}

// finalOrderedSet sorts the collected values and computes the result.
func (a *AggSpec) finalOrderedSet(c *Ctx, st *aggState) (types.Datum, error) {
	var frac types.Datum
	if a.Direct != nil {
		if a.DirectConst {
			d, err := a.Direct(c.Eval, nil)
			if err != nil {
				return dNull, err
			}
			frac = d
		} else if st.has {
			frac = st.val
		} else {
			return dNull, nil // no rows: the result is NULL
		}
		if frac.K == types.KindNull {
			return dNull, nil
		}
	}
	// Check the fractions first: PostgreSQL does, even for no rows.
	var fracs []types.Datum
	if frac.K == types.KindArray {
		fracs = frac.Array().Elems
	} else if a.Direct != nil {
		fracs = []types.Datum{frac}
	}
	for _, p := range fracs {
		if p.K != types.KindNull && (p.F < 0 || p.F > 1 || math.IsNaN(p.F)) {
			return dNull, pgerror.New(pgerror.NumericValueOutOfRange, "percentile value %s is not between 0 and 1", fmt.Sprintf("%.6g", p.F))
		}
	}
	vals := st.parts
	if len(vals) == 0 {
		return dNull, nil
	}
	desc := len(a.OrderKeys) > 0 && a.OrderKeys[0].Desc
	if !st.sorted {
		slices.SortStableFunc(vals, func(x, y types.Datum) int {
			if desc {
				return types.Compare(y, x)
			}
			return types.Compare(x, y)
		})
		st.sorted = true
	}
	if a.Kind == bound.AggMode {
		return modeOf(vals), nil
	}
	one := func(p float64) (types.Datum, error) {
		if a.Kind == bound.AggPercentileDisc {
			return percentileDisc(vals, p), nil
		}
		return percentileCont(vals, p)
	}
	if frac.K != types.KindArray {
		return one(frac.F)
	}
	arr := frac.Array()
	out := make([]types.Datum, len(arr.Elems))
	for i, p := range arr.Elems {
		if p.K == types.KindNull {
			out[i] = dNull
			continue
		}
		r, err := one(p.F)
		if err != nil {
			return dNull, err
		}
		out[i] = r
	}
	elem, _ := a.T.Elem()
	return types.NewArrayDims(elem, arr.Dims, out), nil
}

// modeOf returns the most frequent value of sorted vals, the first in
// sort order among equally frequent ones (ordered_set.c mode_final).
func modeOf(vals []types.Datum) types.Datum {
	best, bestN := 0, 0
	for i := 0; i < len(vals); {
		j := i + 1
		for j < len(vals) && types.Compare(vals[j], vals[i]) == 0 {
			j++
		}
		if j-i > bestN {
			best, bestN = i, j-i
		}
		i = j
	}
	return vals[best]
}

// percentileDisc (ordered_set.c percentile_disc_final) is the first value whose position in the sort order is
// at least p of the values.
func percentileDisc(vals []types.Datum, p float64) types.Datum {
	row := int64(math.Ceil(p * float64(len(vals))))
	if row > 1 {
		return vals[row-1]
	}
	return vals[0]
}

// percentileCont (ordered_set.c percentile_cont_final) interpolates linearly between the values at the floor
// and ceiling of p*(n-1), as float8 or interval (float8_lerp and
// interval_lerp).
func percentileCont(vals []types.Datum, p float64) (types.Datum, error) {
	pos := p * float64(len(vals)-1)
	first, second := int64(math.Floor(pos)), int64(math.Ceil(pos))
	lo := vals[first]
	if second <= first {
		return lo, nil
	}
	hi := vals[second]
	frac := pos - float64(first)
	if lo.K == types.KindFloat {
		return types.NewFloat(lo.F + (hi.F-lo.F)*frac), nil
	}
	diff, err := types.AddInterval(hi.Interval(), lo.Interval(), true)
	if err != nil {
		return dNull, err
	}
	if diff, err = types.MulInterval(diff, frac); err != nil {
		return dNull, err
	}
	r, err := types.AddInterval(lo.Interval(), diff, false)
	if err != nil {
		return dNull, err
	}
	return types.NewInterval(r), nil
}
