package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/types"
)

// numeric promotion order for implicit casts (PostgreSQL's pg_cast
// castcontext 'i' among the number types).
var numRank = map[uint32]int{
	types.Int2OID: 1, types.Int4OID: 2, types.Int8OID: 3, types.NumericOID: 4, types.Float4OID: 5, types.Float8OID: 6,
}

// ImplicitCast reports whether from converts to to without a cast in the
// query (pg_cast castcontext 'i'), and at what cost (lower is closer).
func ImplicitCast(from, to types.Type) (int, bool) {
	if from.OID == to.OID {
		return 0, true
	}
	if from.OID == types.UnknownOID {
		return 1, true
	}
	if regOrOID(to.OID) && (regOrOID(from.OID) || from.OID == types.Int2OID || from.OID == types.Int4OID || from.OID == types.Int8OID) {
		return 1, true // binary-coercible in pg_cast
	}
	if a, ok := numRank[from.OID]; ok {
		if b, ok := numRank[to.OID]; ok && b > a {
			return b - a, true
		}
		return 0, false
	}
	if isTextual(from.OID) && to.OID == types.TextOID {
		return 1, true
	}
	if from.OID == types.TextOID && (to.OID == types.VarcharOID || to.OID == types.BPCharOID) {
		return 2, true
	}
	if types.CastContext(from.OID, to.OID) == types.CoerceImplicit {
		return 3, true
	}
	switch {
	case from.OID == types.DateOID && to.OID == types.TimestampOID:
		return 1, true
	case from.OID == types.DateOID && to.OID == types.TimestamptzOID:
		return 2, true
	case from.OID == types.TimestampOID && to.OID == types.TimestamptzOID:
		return 1, true
	case from.OID == types.TimeOID && to.OID == types.IntervalOID:
		return 1, true
	case from.OID == types.JSONOID && to.OID == types.JSONBOID:
		return 0, false
	}
	return 0, false
}

func regOrOID(oid uint32) bool {
	switch oid {
	case types.OIDOID, types.RegclassOID, types.RegtypeOID, types.RegprocOID, types.RegnamespaceOID, types.RegroleOID:
		return true
	}
	return false
}

func isTextual(oid uint32) bool {
	switch oid {
	case types.TextOID, types.VarcharOID, types.BPCharOID, types.NameOID, types.CharOID:
		return true
	}
	return false
}

// Resolve picks the overload for the argument types as PostgreSQL's
// func_select_candidate does: among candidates reachable by implicit casts,
// keep those with the most exact matches; then those taking the preferred
// type of its category (float8, text, timestamptz, interval, bool) at the
// most positions needing conversion; then the cheapest casts. An unknown
// argument (quoted literal, untyped parameter) matches anything. It returns
// nil when nothing matches, and ambiguous when candidates still tie.
func Resolve(ovs []Overload, args []types.Type) (best *Overload, ambiguous bool) {
	type cand struct {
		ov               *Overload
		exact, preferred int
		cost             int
	}
	var cands []cand
	for i := range ovs {
		ov := &ovs[i]
		c, ok := score(ov, args)
		if !ok {
			continue
		}
		cands = append(cands, cand{ov, c.exact, c.preferred, c.cost})
	}
	if len(cands) == 0 {
		return nil, false
	}
	better := func(a, b cand) int {
		switch {
		case a.exact != b.exact:
			return a.exact - b.exact
		case a.preferred != b.preferred:
			return a.preferred - b.preferred
		}
		return b.cost - a.cost
	}
	bi := 0
	for i := 1; i < len(cands); i++ {
		if better(cands[i], cands[bi]) > 0 {
			bi = i
		}
	}
	for i := range cands {
		if i != bi && better(cands[i], cands[bi]) == 0 {
			return cands[bi].ov, true
		}
	}
	return cands[bi].ov, false
}

type matchScore struct{ exact, preferred, cost int }

var preferredTypes = map[uint32]bool{types.Float8OID: true, types.TextOID: true, types.TimestamptzOID: true,
	types.IntervalOID: true, types.BoolOID: true, types.OIDOID: true}

func score(ov *Overload, args []types.Type) (matchScore, bool) {
	var m matchScore
	if !ov.Variadic && len(args) != len(ov.Args) {
		return m, false
	}
	if ov.Variadic && len(args) < len(ov.Args)-1 {
		return m, false
	}
	for i, a := range args {
		var want types.Type
		if i < len(ov.Args) {
			want = ov.Args[i]
		} else {
			want = ov.Args[len(ov.Args)-1]
		}
		switch {
		case want.OID == AnyOID:
		case a.OID == want.OID:
			m.exact++
		case a.OID == types.UnknownOID:
			if want.OID == types.TextOID {
				m.preferred++
			} else {
				m.cost++
			}
		default:
			c, ok := ImplicitCast(a, want)
			if !ok {
				return m, false
			}
			if preferredTypes[want.OID] {
				m.preferred++
			}
			m.cost += c
		}
	}
	return m, true
}

// AnyOID marks an argument that accepts any type ("any" in pg_proc).
const AnyOID = 2276

// Any is the pseudo-type "any".
var Any = types.Type{OID: AnyOID, Typmod: -1}
