package executor

import (
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// ChangeOp is what a row change did (for notify_changes).
type ChangeOp uint8

const (
	ChangeInsert ChangeOp = iota + 1
	ChangeUpdate
	ChangeDelete
)

// ChangeSink receives every row written by INSERT, UPDATE and DELETE
// (including ON CONFLICT updates and foreign-key cascades) to a table with
// notify_changes on, or to any table when Ctx.Logical is set. Rows are only valid during the call. The session
// implements it and turns changes into notifications of its transaction.
type ChangeSink interface {
	RowChange(t *catalog.Table, op ChangeOp, old, new []types.Datum) error
}

// rowChanged reports a change of a table of tc to the context's sink.
func rowChanged(c *Ctx, tc *TableCodec, op ChangeOp, old, new []types.Datum) error {
	if c.Changes == nil || !tc.Notify && !c.Logical {
		return nil
	}
	return c.Changes.RowChange(tc.Table, op, old, new)
}
