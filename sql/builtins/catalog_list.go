package builtins

import (
	"sort"
	"sync"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// Proc is one row of pg_proc: one signature of a built-in function,
// aggregate or set-returning function.
type Proc struct {
	OID      uint32
	Name     string
	Args     []types.Type
	Variadic bool
	Ret      types.Type
	Kind     byte // prokind: 'f' function, 'a' aggregate
	RetSet   bool
	Volatile byte // provolatile: 'i', 's' or 'v'
	Strict   bool
	// NumDirect is pg_aggregate.aggnumdirectargs of an ordered-set
	// aggregate (OrderedSet): its first NumDirect Args are the direct
	// arguments, the rest the WITHIN GROUP ones.
	NumDirect  int
	OrderedSet bool
}

// FirstProcOID numbers the built-in functions of pg_proc (below
// FirstUserOID, as PostgreSQL's own are).
const FirstProcOID = 8000

// Pseudo-types of polymorphic signatures.
var (
	AnyElement = types.Type{OID: types.AnyElementOID, Typmod: -1}
	AnyArray   = types.Type{OID: types.AnyArrayOID, Typmod: -1}
)

// aggregateProcs are the aggregates the binder implements (sql's
// aggKinds), as pg_proc lists them.
var aggregateProcs = []Proc{
	{Name: "array_agg", Args: []types.Type{AnyElement}, Ret: AnyArray},
	{Name: "avg", Args: []types.Type{types.Int8}, Ret: types.Numeric},
	{Name: "avg", Args: []types.Type{types.Int4}, Ret: types.Numeric},
	{Name: "avg", Args: []types.Type{types.Float8}, Ret: types.Float8},
	{Name: "avg", Args: []types.Type{types.Numeric}, Ret: types.Numeric},
	{Name: "bool_and", Args: []types.Type{types.Bool}, Ret: types.Bool},
	{Name: "bool_or", Args: []types.Type{types.Bool}, Ret: types.Bool},
	{Name: "count", Ret: types.Int8},
	{Name: "count", Args: []types.Type{Any}, Ret: types.Int8},
	{Name: "every", Args: []types.Type{types.Bool}, Ret: types.Bool},
	{Name: "max", Args: []types.Type{AnyElement}, Ret: AnyElement},
	{Name: "min", Args: []types.Type{AnyElement}, Ret: AnyElement},
	{Name: "string_agg", Args: []types.Type{types.Text, types.Text}, Ret: types.Text},
	{Name: "sum", Args: []types.Type{types.Int8}, Ret: types.Numeric},
	{Name: "sum", Args: []types.Type{types.Int4}, Ret: types.Int8},
	{Name: "sum", Args: []types.Type{types.Float8}, Ret: types.Float8},
	{Name: "sum", Args: []types.Type{types.Numeric}, Ret: types.Numeric},
	{Name: "bit_and", Args: []types.Type{types.Int2}, Ret: types.Int2},
	{Name: "bit_and", Args: []types.Type{types.Int4}, Ret: types.Int4},
	{Name: "bit_and", Args: []types.Type{types.Int8}, Ret: types.Int8},
	{Name: "bit_or", Args: []types.Type{types.Int2}, Ret: types.Int2},
	{Name: "bit_or", Args: []types.Type{types.Int4}, Ret: types.Int4},
	{Name: "bit_or", Args: []types.Type{types.Int8}, Ret: types.Int8},
	{Name: "bit_xor", Args: []types.Type{types.Int2}, Ret: types.Int2},
	{Name: "bit_xor", Args: []types.Type{types.Int4}, Ret: types.Int4},
	{Name: "bit_xor", Args: []types.Type{types.Int8}, Ret: types.Int8},
	{Name: "mode", Args: []types.Type{AnyElement}, Ret: AnyElement, OrderedSet: true},
	{Name: "percentile_cont", Args: []types.Type{types.Float8, types.Float8}, Ret: types.Float8, NumDirect: 1, OrderedSet: true},
	{Name: "percentile_cont", Args: []types.Type{types.Float8, types.Interval}, Ret: types.Interval, NumDirect: 1, OrderedSet: true},
	{Name: "percentile_cont", Args: []types.Type{float8Array, types.Float8}, Ret: float8Array, NumDirect: 1, OrderedSet: true},
	{Name: "percentile_cont", Args: []types.Type{float8Array, types.Interval}, Ret: intervalArray, NumDirect: 1, OrderedSet: true},
	{Name: "percentile_disc", Args: []types.Type{types.Float8, AnyElement}, Ret: AnyElement, NumDirect: 1, OrderedSet: true},
	{Name: "percentile_disc", Args: []types.Type{float8Array, AnyElement}, Ret: AnyArray, NumDirect: 1, OrderedSet: true},
}

var (
	float8Array, _   = types.ArrayOf(types.Float8)
	intervalArray, _ = types.ArrayOf(types.Interval)
)

func init() {
	// The one-argument statistics: numeric for integer and numeric input,
	// double precision for real and double precision; the (Y, X) ones.
	for _, name := range []string{"stddev", "stddev_pop", "stddev_samp", "var_pop", "var_samp", "variance"} {
		for _, t := range []types.Type{types.Int2, types.Int4, types.Int8, types.Numeric} {
			aggregateProcs = append(aggregateProcs, Proc{Name: name, Args: []types.Type{t}, Ret: types.Numeric})
		}
		for _, t := range []types.Type{types.Float4, types.Float8} {
			aggregateProcs = append(aggregateProcs, Proc{Name: name, Args: []types.Type{t}, Ret: types.Float8})
		}
	}
	for _, name := range []string{"corr", "covar_pop", "covar_samp", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept",
		"regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy"} {
		ret := types.Float8
		if name == "regr_count" {
			ret = types.Int8
		}
		aggregateProcs = append(aggregateProcs, Proc{Name: name, Args: []types.Type{types.Float8, types.Float8}, Ret: ret})
	}
}

var (
	procsOnce sync.Once
	procs     []Proc
)

// Procs lists every built-in function signature with a stable OID (the
// same for the life of the binary: ordered by name, then as registered).
func Procs() []Proc {
	procsOnce.Do(func() {
		var out []Proc
		for name, ovs := range funcs {
			for _, ov := range ovs {
				out = append(out, procOf(name, ov))
			}
		}
		for name, ss := range srfs {
			for _, s := range ss {
				ret := types.Record
				if len(s.Cols) == 1 {
					ret = s.Cols[0].Type
					if s.ColsFromArg >= 0 {
						ret = AnyElement
					}
				}
				out = append(out, Proc{Name: name, Args: s.Args, Variadic: s.Variadic, Ret: ret, Kind: 'f', RetSet: true, Volatile: 'i', Strict: true})
			}
		}
		for _, p := range aggregateProcs {
			p.Kind, p.Volatile, p.Strict = 'a', 'i', false
			out = append(out, p)
		}
		sort.SliceStable(out, func(i, j int) bool {
			if out[i].Name != out[j].Name {
				return out[i].Name < out[j].Name
			}
			return sigKey(out[i].Args) < sigKey(out[j].Args)
		})
		for i := range out {
			out[i].OID = FirstProcOID + uint32(i)
		}
		procs = out
	})
	return procs
}

func procOf(name string, ov Overload) Proc {
	p := Proc{Name: name, Args: ov.Args, Variadic: ov.Variadic, Ret: ov.Ret, Kind: 'f', Volatile: 'i', Strict: !ov.NullCall}
	if ov.RetFromArg >= 0 {
		p.Ret = AnyElement
	}
	if ov.Volatile {
		p.Volatile = 'v'
	}
	return p
}

func sigKey(args []types.Type) string {
	b := make([]byte, 0, 4*len(args))
	for _, a := range args {
		b = append(b, byte(a.OID>>24), byte(a.OID>>16), byte(a.OID>>8), byte(a.OID))
	}
	return string(b)
}

// ProcByOID finds a built-in function by its pg_proc OID.
func ProcByOID(oid uint32) (*Proc, bool) {
	ps := Procs()
	i := int(oid) - FirstProcOID
	if oid < FirstProcOID || i >= len(ps) {
		return nil, false
	}
	return &ps[i], true
}

// Operator is one row of pg_operator.
type Operator struct {
	OID         uint32
	Name        string
	Left, Right uint32 // Left 0: a prefix operator
	Result      types.Type
}

// FirstOperatorOID numbers the operators of pg_operator.
const FirstOperatorOID = 6000

var (
	opsOnce sync.Once
	ops     []Operator
)

// Operators lists the operators (types' table, comparisons included, and
// the ones registered here), with stable OIDs.
func Operators() []Operator {
	opsOnce.Do(func() {
		seen := map[string]bool{}
		var out []Operator
		add := func(name string, l, r uint32, res types.Type) {
			k := name + "\x00" + string(rune(l)) + string(rune(r))
			if seen[k] {
				return
			}
			seen[k] = true
			out = append(out, Operator{Name: name, Left: l, Right: r, Result: res})
		}
		names := append([]string{"=", "<>", "<", "<=", ">", ">=", "~~", "!~~", "~~*", "!~~*"}, operatorNames...)
		for _, name := range names {
			for _, op := range types.BinaryOpsNamed(name) {
				add(name, op.Left, op.Right, op.Result)
			}
			for _, ov := range binops[name] {
				if len(ov.Args) == 2 && ov.Args[0].OID != AnyOID && ov.Args[1].OID != AnyOID {
					add(name, ov.Args[0].OID, ov.Args[1].OID, ov.Ret)
				}
			}
		}
		for name, ovs := range unops {
			for _, ov := range ovs {
				if len(ov.Args) == 1 {
					add(name, 0, ov.Args[0].OID, ov.Ret)
				}
			}
		}
		sort.SliceStable(out, func(i, j int) bool {
			a, b := out[i], out[j]
			if a.Name != b.Name {
				return a.Name < b.Name
			}
			if a.Left != b.Left {
				return a.Left < b.Left
			}
			return a.Right < b.Right
		})
		for i := range out {
			out[i].OID = FirstOperatorOID + uint32(i)
		}
		ops = out
	})
	return ops
}
