package bound

import (
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Expr is a typed expression.
type Expr interface {
	Type() types.Type
}

// Const is a literal (already converted to its type).
type Const struct {
	Val types.Datum
	T   types.Type
}

// Param is $N (Idx = N-1).
type Param struct {
	Idx int
	T   types.Type
}

// ColRef reads position Idx of the input row.
type ColRef struct {
	Idx   int
	T     types.Type
	Name  string
	Table string // qualifier, for messages
}

// OuterRef reads position Idx of an enclosing query's row (correlated
// subqueries): Depth 1 is the immediately enclosing query.
type OuterRef struct {
	Depth int
	Idx   int
	T     types.Type
}

// Fn implements a function or operator on non-NULL arguments unless the
// function is declared to handle NULLs (Strict false).
type Fn func(ctx *EvalCtx, args []types.Datum) (types.Datum, error)

// Call is a resolved function or operator call.
type Call struct {
	Name string // for EXPLAIN and errors: "+", "lower", ...
	Args []Expr
	T    types.Type
	Fn   Fn
	// Strict: any NULL argument gives NULL without calling Fn.
	Strict bool
	// Volatile functions (random, nextval, now is stable) are never
	// constant-folded.
	Volatile bool
	Infix    bool // print as an operator
}

// Compare is a comparison operator (=, <>, <, <=, >, >=) on two values of
// comparable types.
type Compare struct {
	Op   CmpOp
	L, R Expr
}

type CmpOp uint8

const (
	CmpEQ CmpOp = iota
	CmpNE
	CmpLT
	CmpLE
	CmpGT
	CmpGE
)

var cmpNames = [...]string{"=", "<>", "<", "<=", ">", ">="}

// Holds reports whether a three-way comparison result c (negative, zero,
// positive) satisfies the operator.
func (op CmpOp) Holds(c int) bool {
	switch op {
	case CmpEQ:
		return c == 0
	case CmpNE:
		return c != 0
	case CmpLT:
		return c < 0
	case CmpLE:
		return c <= 0
	case CmpGT:
		return c > 0
	}
	return c >= 0
}

func (o CmpOp) String() string { return cmpNames[o] }

// Commute returns the operator with sides swapped (a < b  ==  b > a).
func (o CmpOp) Commute() CmpOp {
	switch o {
	case CmpLT:
		return CmpGT
	case CmpLE:
		return CmpGE
	case CmpGT:
		return CmpLT
	case CmpGE:
		return CmpLE
	}
	return o
}

// And, Or and Not use SQL's three-valued logic.
type And struct{ L, R Expr }
type Or struct{ L, R Expr }
type Not struct{ X Expr }

// IsNull is X IS [NOT] NULL.
type IsNull struct {
	X   Expr
	Not bool
}

// IsBool is X IS [NOT] TRUE/FALSE/UNKNOWN.
type IsBool struct {
	X     Expr
	Value int8 // 1 true, 0 false, -1 unknown
	Not   bool
}

// IsDistinct is X IS [NOT] DISTINCT FROM Y.
type IsDistinct struct {
	L, R Expr
	Not  bool
}

// Case is CASE [operand] WHEN ... THEN ... ELSE ... END; with an operand,
// each When is already an equality comparison against it.
type Case struct {
	Whens []When
	Else  Expr // nil: NULL
	T     types.Type
}

type When struct{ Cond, Then Expr }

// Cast converts X to T.
type Cast struct {
	X        Expr
	T        types.Type
	Explicit bool
}

// Coalesce returns its first non-NULL argument.
type Coalesce struct {
	Args []Expr
	T    types.Type
}

// NullIf is NULLIF(A, B).
type NullIf struct{ A, B Expr }

// InList is X [NOT] IN (list).
type InList struct {
	X    Expr
	List []Expr
	Not  bool
}

// Like is X [NOT] LIKE/ILIKE pattern [ESCAPE e].
type Like struct {
	X, Pattern      Expr
	Escape          Expr // nil: backslash
	CaseInsensitive bool
	Not             bool
}

// AggRef reads the result of aggregate Idx of the enclosing aggregation.
type AggRef struct {
	Idx int
	T   types.Type
}

// Subquery is a scalar, EXISTS, IN or ANY/ALL subquery.
type Subquery struct {
	Kind SubqueryKind
	Plan *Select
	// For IN / ANY / ALL: the left operand and comparison.
	X  Expr
	Op CmpOp
	T  types.Type
	// Correlated: the plan reads OuterRefs, so it runs per outer row.
	Correlated bool
	// OuterFrom, when set, maps the row the subquery is evaluated over (an
	// aggregated row: group keys, then aggregates) back to the input row
	// its OuterRefs were bound to: input column i is at aggregated-row
	// position OuterFrom[i], or -1 (not grouped, so never read).
	OuterFrom []int
	// Planned is the executable plan, set by the planner before the
	// expression is compiled (an executor.Node).
	Planned any
}

type SubqueryKind uint8

const (
	SubScalar SubqueryKind = iota
	SubExists
	SubAny // IN is = ANY
	SubAll
	SubArray // ARRAY(SELECT ...)
)

func (e *Const) Type() types.Type      { return e.T }
func (e *Param) Type() types.Type      { return e.T }
func (e *ColRef) Type() types.Type     { return e.T }
func (e *OuterRef) Type() types.Type   { return e.T }
func (e *Call) Type() types.Type       { return e.T }
func (e *Compare) Type() types.Type    { return types.Bool }
func (e *And) Type() types.Type        { return types.Bool }
func (e *Or) Type() types.Type         { return types.Bool }
func (e *Not) Type() types.Type        { return types.Bool }
func (e *IsNull) Type() types.Type     { return types.Bool }
func (e *IsBool) Type() types.Type     { return types.Bool }
func (e *IsDistinct) Type() types.Type { return types.Bool }
func (e *Case) Type() types.Type       { return e.T }
func (e *Cast) Type() types.Type       { return e.T }
func (e *Coalesce) Type() types.Type   { return e.T }
func (e *NullIf) Type() types.Type     { return e.A.Type() }
func (e *InList) Type() types.Type     { return types.Bool }
func (e *Like) Type() types.Type       { return types.Bool }
func (e *AggRef) Type() types.Type     { return e.T }
func (e *Subquery) Type() types.Type   { return e.T }
