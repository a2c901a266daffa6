package bound

import (
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Rel is a FROM item: something that produces rows.
type Rel interface {
	// Width is the number of columns it produces.
	Width() int
}

// ScanRel reads a table. It produces every column of the table in storage
// order (dropped and hidden included, so ColRefs equal storage positions).
type ScanRel struct {
	Table *catalog.Table
	Alias string
	// Stats are the table's planner statistics when the statement was
	// bound (nil: never analyzed).
	Stats *catalog.TableStats
}

// ValuesRel is VALUES (...), (...).
type ValuesRel struct {
	Rows  [][]Expr
	Types []types.Type
}

// SubqueryRel is (SELECT ...) AS alias.
type SubqueryRel struct {
	Query *Select
	View  uint32 // the view it expands, if any
}

// JoinKind of a JoinRel.
type JoinKind uint8

const (
	JoinInner JoinKind = iota
	JoinLeft
	JoinRight
	JoinFull
	JoinCross
)

// JoinRel joins Left and Right; its row is Left's columns then Right's.
type JoinRel struct {
	Kind        JoinKind
	Left, Right Rel
	On          Expr // over the combined row; nil for CROSS
	// Lateral: Right reads Left's row (as an enclosing row), so it is
	// evaluated again for each left row.
	Lateral bool
}

// FuncRel is a set-returning function in FROM (generate_series, unnest).
type FuncRel struct {
	Name  string
	Args  []Expr
	Types []types.Type
	// Gen produces the rows (called once per evaluation).
	Gen func(ctx *EvalCtx, args []types.Datum, emit func(row []types.Datum) error) error
	// Ordinality appends the row number (WITH ORDINALITY); it is the last
	// of Types.
	Ordinality bool
	// NullCall: Gen takes NULL arguments (the function is not strict).
	NullCall bool
}

// VirtualRel is a system view (pg_catalog, information_schema): its rows
// are generated from the live catalog when the statement runs.
type VirtualRel struct {
	Schema, Name string
	Types        []types.Type
	Rows         func(env Env) ([][]types.Datum, error)
}

func (r *VirtualRel) Width() int  { return len(r.Types) }
func (r *ScanRel) Width() int     { return len(r.Table.Columns) }
func (r *ValuesRel) Width() int   { return len(r.Types) }
func (r *SubqueryRel) Width() int { return r.Query.Visible }
func (r *JoinRel) Width() int     { return r.Left.Width() + r.Right.Width() }
func (r *FuncRel) Width() int     { return len(r.Types) }

// AggKind names an aggregate function.
type AggKind uint8

const (
	AggCount AggKind = iota // count(x)
	AggCountStar
	AggSum
	AggAvg
	AggMin
	AggMax
	AggBoolAnd
	AggBoolOr
	AggStringAgg
	AggArrayAgg
	AggJSON        // json_agg
	AggJSONB       // jsonb_agg
	AggJSONObject  // json_object_agg
	AggJSONBObject // jsonb_object_agg
	AggBitAnd
	AggBitOr
	AggBitXor
	// Statistics of one argument: numeric for integer and numeric
	// input, double precision for float input.
	AggVarSamp // var_samp, variance
	AggVarPop
	AggStddevSamp // stddev_samp, stddev
	AggStddevPop
	// Statistics of (Y, X), both double precision.
	AggCorr
	AggCovarPop
	AggCovarSamp
	AggRegrCount
	AggRegrAvgX
	AggRegrAvgY
	AggRegrSlope
	AggRegrIntercept
	AggRegrR2
	AggRegrSxx
	AggRegrSyy
	AggRegrSxy
	// Ordered-set aggregates (WITHIN GROUP): Args holds the direct
	// argument (the fraction), OrderBy the one aggregated value.
	AggPercentileCont
	AggPercentileDisc
	AggMode
)

// IsOrderedSet reports whether k is an ordered-set aggregate.
func (k AggKind) IsOrderedSet() bool {
	return k == AggPercentileCont || k == AggPercentileDisc || k == AggMode
}

// IsVariance reports whether k is one of var_samp, var_pop, stddev_samp,
// stddev_pop (and their aliases).
func (k AggKind) IsVariance() bool { return k >= AggVarSamp && k <= AggStddevPop }

// IsRegr reports whether k is a two-argument statistic of (Y, X).
func (k AggKind) IsRegr() bool { return k >= AggCorr && k <= AggRegrSxy }

// Agg is one aggregate call, evaluated over the input of an aggregation.
type Agg struct {
	Kind     AggKind
	Name     string
	Args     []Expr
	Distinct bool
	Filter   Expr
	// OrderBy orders the values an order-sensitive aggregate sees
	// (string_agg, array_agg, json_agg ... ORDER BY).
	OrderBy []OrderItem
	T       types.Type
	// GroupRefs: for AggGrouping, the Select.GroupBy position of each argument.
	GroupRefs []int
}

// Frame bounds of a window (PostgreSQL's FRAMEOPTION_* bits).
const (
	FrameRange           = 0x00002
	FrameRows            = 0x00004
	FrameGroups          = 0x00008
	FrameStartUnboundedP = 0x00020
	FrameEndUnboundedF   = 0x00100
	FrameStartCurrentRow = 0x00200
	FrameEndCurrentRow   = 0x00400
	FrameStartOffsetP    = 0x00800
	FrameEndOffsetP      = 0x01000
	FrameStartOffsetF    = 0x02000
	FrameEndOffsetF      = 0x04000
	FrameExcludeCurrent  = 0x08000
	FrameExcludeGroup    = 0x10000
	FrameExcludeTies     = 0x20000
	FrameDefault         = FrameRange | FrameStartUnboundedP | FrameEndCurrentRow
)

// Window is one window function call: over the (aggregated) input row,
// computed per partition in the window's order.
type Window struct {
	Name        string // row_number, rank, lag, sum ...
	Agg         *Agg   // for aggregates used as window functions
	Args        []Expr
	PartitionBy []Expr
	OrderBy     []OrderItem // Expr over the input row
	Frame       int32
	StartOffset Expr
	EndOffset   Expr
	// StartBound and EndBound are set for RANGE frames with offsets: the
	// ORDER BY value of a row shifted by the offset (x - offset for an
	// ascending PRECEDING bound), over the input row; a row whose ORDER BY
	// value sorts at or past StartBound and not past EndBound is in the frame.
	StartBound Expr
	EndBound   Expr
	T          types.Type
}

// WindowRef reads window Idx's result (rewritten to a ColRef by the binder).
type WindowRef struct {
	Idx int
	T   types.Type
}

func (e *WindowRef) Type() types.Type { return e.T }

// TargetSRF is a set-returning function in the select list.
type TargetSRF struct {
	Name string
	Args []Expr // over the (aggregated, windowed) input row
	Gen  func(c *EvalCtx, args []types.Datum, emit func(row []types.Datum) error) error
	T    types.Type
	// NullCall: Gen takes NULL arguments (the function is not strict).
	NullCall bool
}

// SRFRef reads the value of TargetSRF Idx (rewritten to a ColRef).
type SRFRef struct {
	Idx int
	T   types.Type
}

func (e *SRFRef) Type() types.Type { return e.T }

// Target is one output column.
type Target struct {
	Expr Expr
	Name string
	// Source table column, for RowDescription (0 when computed).
	TableOID uint32
	AttrNum  int16
}

// OrderItem is one ORDER BY key.
type OrderItem struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// LockMode of SELECT ... FOR UPDATE/SHARE.
type LockMode uint8

const (
	LockNone LockMode = iota
	LockForUpdate
	LockForShare
)

// Select is a query block. Evaluation order: From, Where, GroupBy/Aggs,
// Having, Targets (over the aggregated row when aggregating), Distinct,
// OrderBy, Offset/Limit.
type Select struct {
	From  Rel // nil: one row of no columns
	Where Expr

	// Aggregation: when Aggregating, Having/Targets/OrderBy are over the
	// aggregated row, which is the GroupBy values followed by the Aggs.
	Aggregating bool
	GroupBy     []Expr
	Aggs        []Agg
	Having      Expr

	// GroupingSets, when not nil, are the sets of GROUP BY GROUPING SETS,
	// ROLLUP or CUBE after expansion (PostgreSQL's expand_grouping_sets):
	// each lists the GroupBy positions it groups by, ascending; a GroupBy
	// value absent from a row's set is NULL in that row. Nil: one set of
	// all of GroupBy (a plain GROUP BY).
	GroupingSets [][]int

	// Windows are computed after aggregation and HAVING; the row targets
	// see is the (aggregated) input row followed by the window results.
	Windows []Window
	// SRFs are set-returning functions of the select list, evaluated after
	// the windows: their values follow the windows' in the row.
	SRFs []TargetSRF

	Targets []Target
	// Hidden: the first Visible targets are the result; the rest exist only
	// for ORDER BY.
	Visible    int
	Distinct   bool
	DistinctOn []Expr
	OrderBy    []OrderItem // over the target row: ColRefs index Targets
	Limit      Expr
	Offset     Expr
	// WithTies: FETCH FIRST n ROWS WITH TIES also returns the rows equal
	// to the last one on the ORDER BY keys.
	WithTies bool
	Lock     LockMode
	LockWait uint8

	// SetOp combines this block with others (UNION etc.).
	SetOp *SetOp
}

// SetOp is UNION/INTERSECT/EXCEPT [ALL].
type SetOp struct {
	Kind        SetOpKind
	All         bool
	Left, Right *Select
}

type SetOpKind uint8

const (
	SetUnion SetOpKind = iota
	SetIntersect
	SetExcept
)

// Insert is INSERT INTO Table (Columns) <Source> [RETURNING ...].
type Insert struct {
	Table *catalog.Table
	// Source produces rows of len(Columns) values; Columns are storage
	// positions. Missing columns get defaults.
	Columns []int
	Source  *Select
	// Defaults has one expression per storage column (nil: NULL).
	Defaults []Expr
	// Generated has the expression of each GENERATED ... STORED column
	// (nil for the others), over the storage row.
	Generated  []Expr
	Checks     []CheckExpr
	Returning  []Target
	OnConflict *OnConflict
	// Parents are the tables this table's foreign keys reference (by FK).
	Parents map[uint32]*catalog.Table
	// Children: foreign keys referencing this table (ON CONFLICT DO UPDATE
	// changes existing rows).
	Children []catalog.FKRef
	// FKDefaults: column defaults of the tables whose foreign keys have ON
	// DELETE/UPDATE SET DEFAULT, by table OID (cascades may reach them).
	FKDefaults map[uint32][]Expr
}

// CheckExpr is a compiled CHECK constraint over the full storage row.
type CheckExpr struct {
	Name string
	Expr Expr
}

// OnConflict is INSERT ... ON CONFLICT.
type OnConflict struct {
	Index     *catalog.Index // the arbiter (nil: any unique violation, DO NOTHING only)
	DoNothing bool
	// Set assigns storage positions from expressions over the row
	// existing || excluded (existing columns first).
	Set   map[int]Expr
	Where Expr
}

// Update is UPDATE Table SET ... WHERE ... [RETURNING].
type Update struct {
	Table *catalog.Table
	Scan  *Select // produces the full storage row of each target row
	// Set maps storage positions to new values (over the old row).
	Set       map[int]Expr
	Checks    []CheckExpr
	Returning []Target
	Generated []Expr // as Insert.Generated
	Parents   map[uint32]*catalog.Table
	// Children are the foreign keys of other tables referencing this one.
	Children   []catalog.FKRef
	FKDefaults map[uint32][]Expr // as Insert.FKDefaults
}

// Delete is DELETE FROM Table WHERE ... [RETURNING].
type Delete struct {
	Table      *catalog.Table
	Scan       *Select
	Returning  []Target
	Children   []catalog.FKRef
	FKDefaults map[uint32][]Expr // as Insert.FKDefaults
}
