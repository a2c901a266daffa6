package executor

import (
	"strings"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// FKParent checks, for a row written into a referencing table, that the
// referenced row exists (MATCH SIMPLE: a key with a NULL is not checked).
// The referenced row is locked until commit, so a concurrent DELETE of it
// waits for this transaction (PostgreSQL takes FOR KEY SHARE).
type FKParent struct {
	OID    uint32
	Name   string
	Cols   []int // positions in the referencing row, in the order of KeyCols
	Parent *TableCodec
	// Index is the referenced unique index; nil means the primary key.
	Index   *IndexCodec
	KeyCols []int // referenced key columns (positions in the parent), in key order
	// Deferrable, InitDeferred: see catalog.ForeignKey; a deferred check is
	// queued on Ctx.Deferred and run at commit.
	Deferrable, InitDeferred bool
}

// FKChild finds rows of a referencing table that point at a row being
// deleted (or whose key is being changed): NO ACTION / RESTRICT fail.
type FKChild struct {
	Name     string
	Child    *TableCodec
	Cols     []int // positions in the child row
	RefCols  []int // positions in this (referenced) table, matching Cols
	OnDelete byte
	OnUpdate byte
	// Grandchildren returns the foreign keys referencing the child table,
	// for cascades that reach further (built lazily: keys may form cycles).
	Grandchildren func() []FKChild
	// Defaults are the child columns' defaults (per Cols; nil: NULL) for ON
	// DELETE/UPDATE SET DEFAULT.
	Defaults []Eval
	// OID, Deferrable, InitDeferred: a deferred NO ACTION check runs at
	// commit (RESTRICT never defers).
	OID                      uint32
	Deferrable, InitDeferred bool
}

// Foreign key actions (pg_constraint.confdeltype).
const (
	fkNoAction = 'a'
	fkRestrict = 'r'
	fkCascade  = 'c'
	fkSetNull  = 'n'
	fkSetDef   = 'd'
)

func (f *FKParent) key(c *Ctx, tc *TableCodec, row []types.Datum) ([]byte, bool, error) {
	prefix := f.Parent.Prefix
	if f.Index != nil {
		prefix = f.Index.Prefix
	}
	key := append([]byte(nil), prefix...)
	for i, pc := range f.KeyCols {
		v := row[f.Cols[i]]
		if v.K == types.KindNull {
			return nil, false, nil
		}
		pt, ct := f.Parent.ColTypes[pc], tc.ColTypes[f.Cols[i]]
		if pt.OID != ct.OID {
			cv, err := types.Cast(v, ct, pt, false, c.Eval.Settings)
			if err != nil {
				return nil, false, err
			}
			v = cv
		}
		key = types.AppendKey(key, v, pt, false)
	}
	return key, true, nil
}

// deferredNow reports whether the check is deferred to commit now.
func (f *FKParent) deferredNow(c *Ctx) bool {
	return f.Deferrable && c.Deferred != nil && c.Deferred.IsDeferred(f.OID, f.InitDeferred)
}

// check verifies the referenced row of row exists, or queues the check
// for commit when the constraint is deferred.
func (f *FKParent) check(c *Ctx, tc *TableCodec, row []types.Datum) error {
	if f.Deferrable && c.Deferred != nil && c.Deferred.IsDeferred(f.OID, f.InitDeferred) {
		for _, ci := range f.Cols {
			if row[ci].K == types.KindNull {
				return nil // MATCH SIMPLE: nothing to check
			}
		}
		c.Deferred.Defer(DeferredFK{Check: f, Child: tc, Key: tc.RowKey(nil, row)})
		return nil
	}
	return f.checkNow(c, tc, row)
}

func (f *FKParent) checkNow(c *Ctx, tc *TableCodec, row []types.Datum) error {
	key, ok, err := f.key(c, tc, row)
	if err != nil || !ok {
		return err
	}
	rowKey := key
	if f.Index != nil {
		v, exists, err := c.Txn.GetLatest(key)
		if err != nil {
			return err
		}
		if exists {
			rowKey = append(append([]byte(nil), f.Parent.Prefix...), v...)
		}
	}
	// The referenced row is locked shared, as PostgreSQL's FOR KEY SHARE:
	// many children may reference one parent at once.
	if _, err := c.Txn.LockShared(c.Eval.Ctx, rowKey, kv.LockBlock); err != nil {
		return err
	}
	if v, exists, err := c.Txn.GetLatest(rowKey); err != nil {
		return err
	} else if !exists || !f.Parent.live(c, v) {
		return pgerror.New(pgerror.ForeignKeyViolation, "insert or update on table \"%s\" violates foreign key constraint \"%s\"", tc.Table.Name, f.Name).
			WithDetail("Key (%s)=(%s) is not present in table \"%s\".", colNames(tc, f.Cols), colValues(c, tc, f.Cols, row), f.Parent.Table.Name).
			WithConstraint(tc.Table.Name, f.Name)
	}
	return nil
}

// changed reports whether the key columns differ between two rows.
func keyChanged(old, new []types.Datum, cols []int) bool {
	for _, c := range cols {
		a, b := old[c], new[c]
		if (a.K == types.KindNull) != (b.K == types.KindNull) {
			return true
		}
		if a.K != types.KindNull && types.Compare(a, b) != 0 {
			return true
		}
	}
	return false
}

// children returns the keys and rows of the child rows pointing at old.
func (f *FKChild) children(c *Ctx, old []types.Datum, limit int) ([][]byte, [][]types.Datum, error) {
	for _, rc := range f.RefCols {
		if old[rc].K == types.KindNull {
			return nil, nil, nil
		}
	}
	it := c.Txn.Scan(kv.ScanOptions{Prefix: f.Child.Prefix, LatestOwn: true})
	defer it.Close()
	var keys [][]byte
	var rows [][]types.Datum
	row := make([]types.Datum, len(f.Child.ColTypes))
	n := 0
	for it.Next() {
		n++
		if n&1023 == 0 {
			if err := checkCancel(c); err != nil {
				return nil, nil, err
			}
		}
		if !f.Child.live(c, it.Value()) {
			continue // an expired child no longer references anything
		}
		r, err := f.Child.DecodeRow(it.Value(), row)
		if err != nil {
			return nil, nil, err
		}
		match := true
		for i, cc := range f.Cols {
			if r[cc].K == types.KindNull || types.Compare(r[cc], old[f.RefCols[i]]) != 0 {
				match = false
				break
			}
		}
		if match {
			keys = append(keys, it.Key())
			rows = append(rows, copyRow(r))
			if limit > 0 && len(keys) >= limit {
				break
			}
		}
	}
	return keys, rows, it.Err()
}

// onDelete applies the key's ON DELETE action for a deleted parent row.
func (f *FKChild) onDelete(c *Ctx, tc *TableCodec, old []types.Datum) error {
	return f.act(c, tc, old, nil, f.OnDelete)
}

// onUpdate applies ON UPDATE when the referenced key of a row changed.
func (f *FKChild) onUpdate(c *Ctx, tc *TableCodec, old, new []types.Datum) error {
	return f.act(c, tc, old, new, f.OnUpdate)
}

func (f *FKChild) act(c *Ctx, tc *TableCodec, old, new []types.Datum, action byte) error {
	if action != fkCascade && action != fkSetNull && action != fkSetDef {
		if action == fkNoAction && f.Deferrable && c.Deferred != nil && c.Deferred.IsDeferred(f.OID, f.InitDeferred) {
			c.Deferred.Defer(DeferredFK{Restrict: f, Parent: tc, Old: copyRow(old)})
			return nil
		}
		return f.checkDelete(c, tc, old)
	}
	keys, rows, err := f.children(c, old, 0)
	if err != nil {
		return err
	}
	var grand []FKChild
	if f.Grandchildren != nil && len(keys) > 0 {
		grand = f.Grandchildren()
	}
	w := rowWriter{Codec: f.Child, FKChildren: grand}
	for i, key := range keys {
		if _, err := c.Txn.Lock(c.Eval.Ctx, key, kv.LockBlock); err != nil {
			return err
		}
		row := rows[i]
		if action == fkCascade && new == nil {
			// ON DELETE CASCADE: the child row goes too, with its own children.
			for j := range grand {
				if err := grand[j].onDelete(c, f.Child, row); err != nil {
					return err
				}
			}
			if err := c.Txn.Delete(key); err != nil {
				return err
			}
			for j := range f.Child.Indexes {
				if err := deleteIndexEntry(c, f.Child, &f.Child.Indexes[j], row, key); err != nil {
					return err
				}
			}
			if err := rowChanged(c, f.Child, ChangeDelete, row, nil); err != nil {
				return err
			}
			continue
		}
		updated := copyRow(row)
		for j, cc := range f.Cols {
			switch action {
			case fkSetNull:
				updated[cc] = types.Datum{}
			case fkSetDef:
				updated[cc] = types.Datum{}
				if f.Defaults[j] != nil {
					v, err := f.Defaults[j](c.Eval, row)
					if err != nil {
						return err
					}
					updated[cc] = v
				}
			default:
				updated[cc] = new[f.RefCols[j]]
			}
		}
		if action == fkSetDef && !f.pointsAt(updated, old) {
			if err := f.defaultExists(c, tc, updated); err != nil {
				return err
			}
		}
		if err := w.update(c, key, row, updated); err != nil {
			return err
		}
	}
	if action == fkSetDef && len(keys) > 0 {
		// A default equal to the removed key still references it: PostgreSQL
		// then fails as NO ACTION would (ri_triggers.c ri_set).
		return f.checkDelete(c, tc, old)
	}
	return nil
}

// pointsAt reports whether child row's key equals parent row's key.
func (f *FKChild) pointsAt(child, parent []types.Datum) bool {
	for i, cc := range f.Cols {
		a, b := child[cc], parent[f.RefCols[i]]
		if a.K == types.KindNull || b.K == types.KindNull || types.Compare(a, b) != 0 {
			return false
		}
	}
	return true
}

// defaultExists checks that the key a SET DEFAULT action wrote into a
// child row exists in the referenced table tc, as the child's own foreign
// key check would.
func (f *FKChild) defaultExists(c *Ctx, tc *TableCodec, child []types.Datum) error {
	chk := FKParent{Name: f.Name, Parent: tc}
	ix := tc.Table.KeyIndex(f.RefCols)
	if ix == nil {
		return nil
	}
	chk.KeyCols = ix.Columns
	for _, kc := range ix.Columns {
		for i, rc := range f.RefCols {
			if rc == kc {
				chk.Cols = append(chk.Cols, f.Cols[i])
			}
		}
	}
	for i := range tc.Indexes {
		if tc.Indexes[i].Index.ID == ix.ID {
			chk.Index = &tc.Indexes[i]
		}
	}
	return chk.check(c, f.Child, child)
}

// referenced reports whether any child row points at parent row old.
func (f *FKChild) referenced(c *Ctx, old []types.Datum) (bool, error) {
	for _, rc := range f.RefCols {
		if old[rc].K == types.KindNull {
			return false, nil
		}
	}
	it := c.Txn.Scan(kv.ScanOptions{Prefix: f.Child.Prefix, LatestOwn: true})
	defer it.Close()
	row := make([]types.Datum, len(f.Child.ColTypes))
	n := 0
	for it.Next() {
		n++
		if n&1023 == 0 {
			if err := checkCancel(c); err != nil {
				return false, err
			}
		}
		if !f.Child.live(c, it.Value()) {
			continue // an expired child no longer references anything
		}
		r, err := f.Child.DecodeRow(it.Value(), row)
		if err != nil {
			return false, err
		}
		match := true
		for i, cc := range f.Cols {
			if r[cc].K == types.KindNull || types.Compare(r[cc], old[f.RefCols[i]]) != 0 {
				match = false
				break
			}
		}
		if match {
			return true, nil
		}
	}
	return false, it.Err()
}

// checkDelete fails if a child still references the row being removed.
func (f *FKChild) checkDelete(c *Ctx, tc *TableCodec, old []types.Datum) error {
	ref, err := f.referenced(c, old)
	if err != nil || !ref {
		return err
	}
	return pgerror.New(pgerror.ForeignKeyViolation, "update or delete on table \"%s\" violates foreign key constraint \"%s\" on table \"%s\"", tc.Table.Name, f.Name, f.Child.Table.Name).
		WithDetail("Key (%s)=(%s) is still referenced from table \"%s\".", colNames(tc, f.RefCols), colValues(c, tc, f.RefCols, old), f.Child.Table.Name).
		WithConstraint(f.Child.Table.Name, f.Name)
}

func colNames(tc *TableCodec, cols []int) string {
	var names []string
	for _, c := range cols {
		names = append(names, tc.Table.Columns[c].Name)
	}
	return strings.Join(names, ", ")
}

func colValues(c *Ctx, tc *TableCodec, cols []int, row []types.Datum) string {
	var vals []string
	for _, ci := range cols {
		if row[ci].K == types.KindNull {
			vals = append(vals, "null")
		} else {
			vals = append(vals, string(types.AppendText(nil, row[ci], tc.ColTypes[ci], c.Eval.Settings)))
		}
	}
	return strings.Join(vals, ", ")
}

// recheckDelete is a deferred NO ACTION check at commit: nothing to do if
// the parent key exists again (re-inserted or restored by an update, as
// ri_triggers.c ri_restrict checks); otherwise no child may reference it.
func (f *FKChild) recheckDelete(c *Ctx, parent *TableCodec, old []types.Datum) error {
	if ix := parent.Table.KeyIndex(f.RefCols); ix != nil {
		chk := FKParent{Parent: parent, KeyCols: ix.Columns, Cols: ix.Columns}
		for i := range parent.Indexes {
			if parent.Indexes[i].Index.ID == ix.ID {
				chk.Index = &parent.Indexes[i]
			}
		}
		key, ok, err := chk.key(c, parent, old)
		if err != nil {
			return err
		}
		if ok {
			if _, exists, err := c.Txn.GetLatest(key); err != nil || exists {
				return err
			}
		}
	}
	return f.checkDelete(c, parent, old)
}
