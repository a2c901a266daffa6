package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Overload is one signature of a function or operator.
type Overload struct {
	Args []types.Type
	// Variadic: the last Args entry repeats (concat, greatest...).
	Variadic bool
	// Ret is the result type; RetFromArg >= 0 takes the type of that
	// argument instead (coalesce-like functions, greatest).
	Ret        types.Type
	RetFromArg int
	Fn         bound.Fn
	// NullCall: Fn is called with NULL arguments (not strict).
	NullCall bool
	Volatile bool
	// AnyAsText: arguments of type "any" arrive converted to text (concat).
	AnyAsText bool
}

var (
	funcs  = map[string][]Overload{}
	binops = map[string][]Overload{}
	unops  = map[string][]Overload{}
)

func fn(name string, ov ...Overload) {
	for i := range ov {
		if ov[i].Ret.OID == 0 && ov[i].RetFromArg == 0 {
			ov[i].RetFromArg = -1
		}
	}
	funcs[name] = append(funcs[name], ov...)
}

func binop(name string, ov ...Overload) {
	for i := range ov {
		ov[i].RetFromArg = -1
	}
	binops[name] = append(binops[name], ov...)
}

func unop(name string, ov ...Overload) {
	for i := range ov {
		ov[i].RetFromArg = -1
	}
	unops[name] = append(unops[name], ov...)
}

// Func, BinOp and UnOp return the overloads of a name (nil if unknown).
func Func(name string) []Overload  { return funcs[name] }
func BinOp(name string) []Overload { return binops[name] }
func UnOp(name string) []Overload  { return unops[name] }

// FuncNames lists every function name (for pg_proc).
func FuncNames() []string {
	out := make([]string, 0, len(funcs))
	for k := range funcs {
		out = append(out, k)
	}
	return out
}

func sig(ret types.Type, fn bound.Fn, args ...types.Type) Overload {
	return Overload{Args: args, Ret: ret, Fn: fn}
}
