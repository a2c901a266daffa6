package sql

import (
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// scopeCol is one column a name can resolve to.
type scopeCol struct {
	table    string // alias or table name ("" for unnamed)
	name     string
	idx      int // position in the input row
	typ      types.Type
	tableOID uint32
	attnum   int16
	// viewOID, viewAtt: a view's column, for view dependencies.
	viewOID uint32
	viewAtt int16
	hidden  bool // not visible to * or by name (dropped, row id)
	// qualOnly: a column a JOIN ... USING merged, reachable only through
	// its table's name (t.k, t.*); the merged column stands for it
	// unqualified.
	qualOnly bool
	system   bool // found by name but not by * (tableoid)
	// scalar: the one column of a function in FROM returning a scalar,
	// which is also the item's whole-row value.
	scalar bool
}

// scope is the set of columns visible to expressions of one query level.
type scope struct {
	cols  []scopeCol
	outer *scope
}

// resolve finds a column by optional qualifier. It returns the depth (0 =
// this scope) so correlated references can become OuterRefs.
func (sc *scope) resolve(qual, name string, loc int32) (scopeCol, int, error) {
	depth := 0
	for s := sc; s != nil; s, depth = s.outer, depth+1 {
		var found *scopeCol
		qualSeen := false
		for i := range s.cols {
			c := &s.cols[i]
			if c.hidden || (c.qualOnly && qual == "") {
				continue
			}
			if qual != "" && c.table != qual {
				continue
			}
			qualSeen = qualSeen || qual != ""
			if c.name != name {
				continue
			}
			if found != nil {
				return scopeCol{}, 0, pgerror.New(pgerror.AmbiguousColumn, "column reference \"%s\" is ambiguous", name).WithPosition(loc + 1)
			}
			found = c
		}
		if found != nil {
			return *found, depth, nil
		}
		if qual != "" && !qualSeen && !s.hasTable(qual) && s.outer == nil && depth == 0 {
			return scopeCol{}, 0, pgerror.New(pgerror.UndefinedTable, "missing FROM-clause entry for table \"%s\"", qual).WithPosition(loc + 1)
		}
	}
	if qual != "" {
		if !sc.anyHasTable(qual) {
			return scopeCol{}, 0, pgerror.New(pgerror.UndefinedTable, "missing FROM-clause entry for table \"%s\"", qual).WithPosition(loc + 1)
		}
		return scopeCol{}, 0, pgerror.New(pgerror.UndefinedColumn, "column %s.%s does not exist", qual, name).WithPosition(loc + 1)
	}
	return scopeCol{}, 0, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" does not exist", name).WithPosition(loc + 1)
}

func (sc *scope) hasTable(qual string) bool {
	for _, c := range sc.cols {
		if c.table == qual {
			return true
		}
	}
	return false
}

func (sc *scope) anyHasTable(qual string) bool {
	for s := sc; s != nil; s = s.outer {
		if s.hasTable(qual) {
			return true
		}
	}
	return false
}
