package sql

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// A bare untyped literal in the select list of a set operation's operand
// takes the column's common type, as PostgreSQL resolves it only there
// (transformSetOperationTree): SELECT 'x' UNION SELECT varchar_col is
// varchar, with 'x' UNION SELECT char_col the blanks of char(n) count as
// char(n)'s. Elsewhere such a literal is text (finalize).

// noteUntyped records that item i of q's select list was the untyped
// literal u.
func (b *binder) noteUntyped(q *bound.Select, i int, u *unknownLit) {
	if b.untyped == nil {
		b.untyped = map[*bound.Select]map[int]*unknownLit{}
	}
	if b.untyped[q] == nil {
		b.untyped[q] = map[int]*unknownLit{}
	}
	b.untyped[q][i] = u
}

// setOpOperand is column i of a set operation's operand for choosing the
// common type: the untyped literal itself when it was one.
func (b *binder) setOpOperand(q *bound.Select, i int) bound.Expr {
	if u := b.untyped[q][i]; u != nil {
		return u
	}
	return q.Targets[i].Expr
}

// typeUntyped gives column i of q, when it was an untyped literal, the
// common type t.
func (b *binder) typeUntyped(q *bound.Select, i int, t types.Type) error {
	u := b.untyped[q][i]
	if u == nil || t.OID == types.TextOID {
		return nil
	}
	e, err := b.coerce(u, t, castImplicit)
	if err != nil {
		return err
	}
	q.Targets[i].Expr = finalize(e)
	return nil
}
