package sqllogic

import "regexp"

// Kind says what a record asserts.
type Kind int

const (
	// KindStatementOK: the SQL succeeds (and returns the tag, if given).
	KindStatementOK Kind = iota
	// KindStatementError: the SQL fails with the SQLSTATE (and message regex).
	KindStatementError
	// KindQuery: the SQL returns the described columns and rows.
	KindQuery
)

// SortMode says how query rows are ordered before comparison.
type SortMode int

const (
	// NoSort compares rows in the order the server sent them.
	NoSort SortMode = iota
	// RowSort sorts the rendered rows (as strings) on both sides.
	RowSort
	// ValueSort renders every value on its own line and sorts the lines.
	ValueSort
)

var sortModeNames = map[string]SortMode{"nosort": NoSort, "rowsort": RowSort, "valuesort": ValueSort}

func (m SortMode) String() string {
	for name, v := range sortModeNames {
		if v == m {
			return name
		}
	}
	return "?"
}

// Condition is a skipif/onlyif line: it applies to the next record only.
type Condition struct {
	Skip   bool   // skipif (true) or onlyif (false)
	Engine string // "postgres" or "prkdb"
	Reason string // mandatory: why the engines intentionally differ
}

// Record is one test step of a file.
type Record struct {
	Line       int    // 1-based line of the header
	Conn       string // connection the SQL runs on ("default" unless changed)
	Conditions []Condition
	Kind       Kind
	SQL        string

	// KindStatementOK: expected command tag, "" when not asserted.
	Tag string

	// KindStatementError.
	Code      string         // five-character SQLSTATE
	MessageRE *regexp.Regexp // nil when not asserted

	// KindQuery.
	Types    []ColType
	TypeSpec string // the spec as written, kept on rewrite when it still holds
	Sort     SortMode
	ColNames bool     // the first expected line holds the column names
	Expected []string // expected lines after "----"

	// Positions in the file's lines (0-based), for rewriting.
	headerIdx          int
	resultLo, resultHi int // expected lines are lines[resultLo:resultHi]
}

// File is a parsed .slt file.
type File struct {
	Path    string
	Lines   []string
	Records []*Record
}
