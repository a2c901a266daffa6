package bound

// ModifyingCTE is a data-modifying WITH query: WITH name AS (INSERT |
// UPDATE | DELETE ... [RETURNING ...]). It runs once before the statement's
// main query; references read its RETURNING rows.
type ModifyingCTE struct {
	Name string
	Stmt any // *Insert, *Update or *Delete
	// Returning is the statement's RETURNING list (nil without one).
	Returning []Target
	// Plan is the planner's shared row buffer, set when the statement is
	// planned, before the references are.
	Plan any
}

// ModifyingCTERel is a reference to a ModifyingCTE in FROM.
type ModifyingCTERel struct {
	CTE   *ModifyingCTE
	Alias string
}

func (r *ModifyingCTERel) Width() int { return len(r.CTE.Returning) }
