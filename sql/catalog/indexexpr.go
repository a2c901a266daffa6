package catalog

import "github.com/prkdb/prkdb-sql/sql/types"

// IndexExpr is one expression key column of a btree index (CREATE INDEX
// ON t (lower(email))). Index.Exprs is aligned with Index.Columns, whose
// entry is -1 for an expression column (pg_index.indkey's 0). The
// expression is kept as SQL text, like defaults and CHECKs: the sql layer
// binds it again over the table's row when a codec is built
// (executor.BindIndexExpr), so the catalog never holds a bound tree.
type IndexExpr struct {
	// SQL is the expression as deparsed from the statement ("" for a
	// plain column key).
	SQL string `json:"sql,omitempty"`
	// Type is its result type: how the key is encoded.
	Type types.Type `json:"type"`
	// Cols are the columns it reads: dropping one drops the index, as
	// PostgreSQL's dependencies do.
	Cols []int `json:"cols,omitempty"`
	// Match is the bound expression as EXPLAIN prints it: the planner uses
	// the index for a WHERE or ORDER BY expression that prints the same
	// (the GIN index's approach, catalog/gin.go).
	Match string `json:"match,omitempty"`
	// Text is the key column as pg_get_indexdef prints it (lower(email),
	// ((a + b))), also the column of a 23505 detail.
	Text string `json:"text,omitempty"`
}

// KeyExpr returns key column i's expression, or nil for a plain column.
func (ix *Index) KeyExpr(i int) *IndexExpr {
	if i < len(ix.Exprs) && ix.Exprs[i].SQL != "" {
		return &ix.Exprs[i]
	}
	return nil
}

// HasExprs reports whether any key column is an expression.
func (ix *Index) HasExprs() bool {
	for i := range ix.Exprs {
		if ix.Exprs[i].SQL != "" {
			return true
		}
	}
	return false
}

// KeyType is the type of key column i.
func (ix *Index) KeyType(t *Table, i int) types.Type {
	if x := ix.KeyExpr(i); x != nil {
		return x.Type
	}
	return t.Columns[ix.Columns[i]].Type
}

// ReadsColumn reports whether the index's keys or predicate read column
// col (plain key columns and the columns of key expressions; PredCols for
// the predicate).
func (ix *Index) ReadsColumn(col int) bool {
	for _, c := range ix.Columns {
		if c == col {
			return true
		}
	}
	for _, x := range ix.Exprs {
		for _, c := range x.Cols {
			if c == col {
				return true
			}
		}
	}
	for _, c := range ix.PredCols {
		if c == col {
			return true
		}
	}
	return false
}
