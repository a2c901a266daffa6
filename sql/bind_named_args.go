package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Named arguments (name => value, sql-syntax-calling-funcs.html) for the
// built-in functions whose pg_proc entries name their parameters; missing
// trailing or skipped parameters take the defaults pg_proc declares (nil:
// none, the call then does not match).
var funcParams = map[string][]struct {
	name string
	def  *pg_query.Node
}{
	"make_interval": {{"years", intConst(0)}, {"months", intConst(0)}, {"weeks", intConst(0)}, {"days", intConst(0)},
		{"hours", intConst(0)}, {"mins", intConst(0)}, {"secs", floatConst("0.0")}},
	"make_date":        {{"year", nil}, {"month", nil}, {"day", nil}},
	"make_time":        {{"hour", nil}, {"min", nil}, {"sec", nil}},
	"make_timestamp":   {{"year", nil}, {"month", nil}, {"mday", nil}, {"hour", nil}, {"min", nil}, {"sec", nil}},
	"make_timestamptz": {{"year", nil}, {"month", nil}, {"mday", nil}, {"hour", nil}, {"min", nil}, {"sec", nil}, {"timezone", nil}},
}

func intConst(v int32) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Val: &pg_query.A_Const_Ival{Ival: &pg_query.Integer{Ival: v}}}}}
}

func floatConst(v string) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Val: &pg_query.A_Const_Fval{Fval: &pg_query.Float{Fval: v}}}}}
}

// positionalArgs rewrites a call with named arguments into positional
// form; a call without them is returned as is.
func positionalArgs(name string, fc *pg_query.FuncCall) (*pg_query.FuncCall, error) {
	named := false
	for _, a := range fc.Args {
		named = named || a.GetNamedArgExpr() != nil
	}
	if !named {
		return fc, nil
	}
	params, ok := funcParams[name]
	noFunc := pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", name).WithPosition(fc.Location + 1).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	if !ok {
		return nil, noFunc
	}
	args := make([]*pg_query.Node, len(params))
	for i, a := range fc.Args {
		na := a.GetNamedArgExpr()
		if na == nil {
			if i >= len(args) {
				return nil, noFunc
			}
			args[i] = a
			continue
		}
		k := -1
		for j, p := range params {
			if p.name == na.Name {
				k = j
			}
		}
		if k < 0 {
			return nil, noFunc
		}
		if args[k] != nil {
			return nil, pgerror.New(pgerror.SyntaxError, "argument name \"%s\" used more than once", na.Name).WithPosition(na.Location + 1)
		}
		args[k] = na.Arg
	}
	last := 0
	for i, a := range args {
		if a != nil {
			last = i
		}
	}
	for i := range args {
		if args[i] == nil {
			if params[i].def == nil {
				return nil, noFunc
			}
			args[i] = params[i].def
		}
	}
	// make_interval has overloads for every prefix; keep the full list
	// only as far as needed.
	if name == "make_interval" {
		args = args[:last+1]
	}
	return &pg_query.FuncCall{Funcname: fc.Funcname, Args: args, AggOrder: fc.AggOrder, AggFilter: fc.AggFilter, Over: fc.Over,
		AggWithinGroup: fc.AggWithinGroup, AggStar: fc.AggStar, AggDistinct: fc.AggDistinct, FuncVariadic: fc.FuncVariadic,
		Funcformat: fc.Funcformat, Location: fc.Location}, nil
}
