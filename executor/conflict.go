package executor

import (
	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// OnConflict is INSERT ... ON CONFLICT: the arbiter decides whether a
// proposed row conflicts with an existing one; DO NOTHING skips it, DO
// UPDATE rewrites the existing row from existing || excluded.
type OnConflict struct {
	// Arbiter is the unique index that decides; nil with Primary false
	// means any unique index or the primary key (DO NOTHING only).
	Arbiter   *IndexCodec
	Primary   bool
	DoNothing bool
	Set       []SetItem // over existing || excluded
	Where     Eval      // over existing || excluded; nil = always
	rowWriter

	updated  map[string]bool
	combined []types.Datum
	newRow   []types.Datum
}

// existing finds the stored row a proposed row conflicts with.
func (o *OnConflict) existing(c *Ctx, tc *TableCodec, row []types.Datum) ([]byte, bool, error) {
	if o.Primary || (o.Arbiter == nil && tc.Table.HasPrimaryKey()) {
		key := tc.RowKey(nil, row)
		if v, ok, err := c.Txn.GetLatest(key); err != nil || ok && tc.live(c, v) {
			return key, ok, err
		}
		if o.Primary {
			return nil, false, nil
		}
	}
	for i := range tc.Indexes {
		ic := &tc.Indexes[i]
		if !ic.Index.Unique || (o.Arbiter != nil && o.Arbiter.Index.ID != ic.Index.ID) {
			continue
		}
		k, _, unique, err := ic.Entry(c.Eval, tc, row, tc.RowKey(nil, row))
		if err != nil {
			return nil, false, err
		}
		if !unique {
			continue // NULLs never conflict, nor rows outside a partial index
		}
		v, ok, err := c.Txn.GetLatest(k)
		if err != nil {
			return nil, false, err
		}
		if ok {
			owner := append(append([]byte(nil), tc.Prefix...), v...)
			if tc.ttl != nil {
				if ov, found, err := c.Txn.GetLatest(owner); err != nil {
					return nil, false, err
				} else if found && !tc.live(c, ov) {
					continue // an expired row: the insert replaces it
				}
			}
			return owner, true, nil
		}
	}
	return nil, false, nil
}

// inserted records a row this command inserted: a later proposed row of
// the same command that conflicts with it may not update it either
// (PostgreSQL's ExecOnConflictUpdate sees it as already affected).
func (o *OnConflict) inserted(tc *TableCodec, row []types.Datum) {
	if o.DoNothing {
		return
	}
	if o.updated == nil {
		o.updated = map[string]bool{}
	}
	o.updated[string(tc.RowKey(nil, row))] = true
}

// resolve handles a conflicting proposed row. It reports whether the
// existing row was updated (and returns its new version).
func (o *OnConflict) resolve(c *Ctx, tc *TableCodec, key []byte, proposed []types.Datum) ([]types.Datum, bool, error) {
	if o.DoNothing {
		return nil, false, nil
	}
	if o.updated == nil {
		o.updated = map[string]bool{}
	}
	if o.updated[string(key)] {
		return nil, false, pgerror.New(pgerror.CardinalityViolation, "ON CONFLICT DO UPDATE command cannot affect row a second time").
			WithHint("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.")
	}
	if _, err := c.Txn.Lock(c.Eval.Ctx, key, kv.LockBlock); err != nil {
		return nil, false, err
	}
	val, ok, err := c.Txn.GetLatest(key)
	if err != nil || !ok {
		return nil, false, err
	}
	width := len(tc.ColTypes)
	if o.combined == nil {
		o.combined = make([]types.Datum, 2*width)
		o.newRow = make([]types.Datum, width)
	}
	existing, err := tc.DecodeRow(val, o.combined[:width])
	if err != nil {
		return nil, false, err
	}
	copy(o.combined[width:], proposed)
	if o.Where != nil {
		pass, err := evalBool(o.Where, c.Eval, o.combined)
		if err != nil || !pass {
			return nil, false, err
		}
	}
	copy(o.newRow, existing)
	for _, s := range o.Set {
		v, err := s.Expr(c.Eval, o.combined)
		if err != nil {
			return nil, false, err
		}
		o.newRow[s.Col] = v
	}
	old := copyRow(existing)
	if err := o.update(c, key, old, o.newRow); err != nil {
		return nil, false, err
	}
	o.updated[string(key)] = true
	return o.newRow, true, nil
}
