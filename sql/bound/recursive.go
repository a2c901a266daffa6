package bound

import "github.com/prkdb/prkdb-sql/sql/types"

// RecursiveRel is a WITH RECURSIVE query referenced in FROM: NonRec runs
// once, then Rec runs repeatedly reading the previous iteration's rows
// through a WorkTableRel until an iteration yields nothing. It is its own
// Rel (not a SetOp) because the two terms share the work table.
type RecursiveRel struct {
	Name   string
	Alias  string
	NonRec *Select
	Rec    *Select
	All    bool // UNION ALL; else rows already produced are dropped
	Types  []types.Type
	Work   *WorkTable
}

// WorkTable links a RecursiveRel with the WorkTableRels of its recursive
// term; the planner stores the executor's shared row buffer in Plan.
type WorkTable struct {
	Name string
	Plan any
}

// WorkTableRel is the recursive self-reference inside the recursive term:
// it reads the rows the previous iteration produced.
type WorkTableRel struct {
	Alias string
	Types []types.Type
	Work  *WorkTable
}

func (r *RecursiveRel) Width() int { return len(r.Types) }
func (r *WorkTableRel) Width() int { return len(r.Types) }
