package executor

import "github.com/prkdb/prkdb-sql/sql/types"

// Deferred foreign key checks (DEFERRABLE constraints, SET CONSTRAINTS):
// a check the transaction defers is queued with the written row's storage
// key and run again at commit against the row as it then is, as
// PostgreSQL's deferred RI triggers do (a row deleted or changed since
// needs no check for its old key; a changed key queued its own check).

// DeferredChecks is a transaction's deferred-constraint state.
type DeferredChecks interface {
	// IsDeferred reports whether constraint oid is deferred now
	// (initially: its INITIALLY DEFERRED).
	IsDeferred(oid uint32, initially bool) bool
	// Defer queues a check for commit (or SET CONSTRAINTS ... IMMEDIATE).
	Defer(DeferredFK)
}

// DeferredFK is one queued foreign key check: that a written child row's
// parent exists (Check), or for a NO ACTION key, that no child row still
// points at a removed or changed parent key (Restrict).
type DeferredFK struct {
	Check *FKParent
	Child *TableCodec
	Key   []byte // the child row's storage key

	Restrict *FKChild
	Parent   *TableCodec
	Old      []types.Datum // the parent row as it was
}

// OID is the constraint the check belongs to.
func (d DeferredFK) OID() uint32 {
	if d.Restrict != nil {
		return d.Restrict.OID
	}
	return d.Check.OID
}

// Run performs the check on the rows as they are now.
func (d DeferredFK) Run(c *Ctx) error {
	if d.Restrict != nil {
		return d.Restrict.recheckDelete(c, d.Parent, d.Old)
	}
	v, ok, err := c.Txn.GetLatest(d.Key)
	if err != nil || !ok || !d.Child.live(c, v) {
		return err
	}
	row, err := d.Child.DecodeRow(v, make([]types.Datum, len(d.Child.ColTypes)))
	if err != nil {
		return err
	}
	return d.Check.checkNow(c, d.Child, row)
}
