package catalog

// GINExpr describes the key of a full-text GIN index on
// to_tsvector('config', <expression>) when the expression is more than a
// column (Index.TSConfig holds the configuration, Index.Columns the
// columns the expression reads).
type GINExpr struct {
	// SQL is the to_tsvector(...) call as written, for pg_get_indexdef.
	SQL string `json:"sql"`
	// Match is the bound call as EXPLAIN prints it: the planner uses the
	// index for a WHERE expression that prints the same.
	Match string `json:"match"`
	// Doc computes the document text from a row.
	Doc *TSDocExpr `json:"doc"`
}

// TSDocExpr is the small text expression language a GIN index key may
// use: a text column, a string literal, || and coalesce.
type TSDocExpr struct {
	Op   string      `json:"op"` // "col", "lit", "cat" (Args[0] || Args[1]), "coalesce"
	Col  int         `json:"col,omitempty"`
	Lit  string      `json:"lit,omitempty"`
	Args []TSDocExpr `json:"args,omitempty"`
}
