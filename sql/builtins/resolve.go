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

func isTextual(oid uint32) bool {
	switch oid {
	case types.TextOID, types.VarcharOID, types.BPCharOID, types.NameOID, types.CharOID:
		return true
	}
	return false
}

// Resolve picks the overload best matching the argument types: an exact
// match, else the one needing the fewest and cheapest implicit casts. An
// unknown-typed argument (a quoted literal or an untyped parameter) matches
// anything, preferring text when that is a candidate. It returns nil when
// nothing matches, and ambiguous when two candidates tie.
func Resolve(ovs []Overload, args []types.Type) (best *Overload, ambiguous bool) {
	bestCost := -1
	for i := range ovs {
		ov := &ovs[i]
		cost, ok := matchCost(ov, args)
		if !ok {
			continue
		}
		switch {
		case bestCost < 0 || cost < bestCost:
			best, bestCost, ambiguous = ov, cost, false
		case cost == bestCost:
			ambiguous = true
		}
	}
	return best, ambiguous
}

func matchCost(ov *Overload, args []types.Type) (int, bool) {
	if !ov.Variadic && len(args) != len(ov.Args) {
		return 0, false
	}
	if ov.Variadic && len(args) < len(ov.Args)-1 {
		return 0, false
	}
	total := 0
	for i, a := range args {
		var want types.Type
		if i < len(ov.Args) {
			want = ov.Args[i]
		} else {
			want = ov.Args[len(ov.Args)-1]
		}
		if want.OID == AnyOID {
			continue
		}
		if a.OID == types.UnknownOID {
			// An unknown literal prefers text, then anything.
			if want.OID == types.TextOID {
				total += 0
			} else {
				total += 2
			}
			continue
		}
		c, ok := ImplicitCast(a, want)
		if !ok {
			return 0, false
		}
		total += c * 4
	}
	return total, true
}

// AnyOID marks an argument that accepts any type ("any" in pg_proc).
const AnyOID = 2276

// Any is the pseudo-type "any".
var Any = types.Type{OID: AnyOID, Typmod: -1}
