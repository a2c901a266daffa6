package executor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Writer is implemented by INSERT, UPDATE and DELETE: the command tag needs
// the number of rows they wrote.
type Writer interface {
	Node
	RowsAffected() int64
}

// CheckEval is a compiled CHECK constraint over the storage row.
type CheckEval struct {
	Name string
	Eval Eval
}

// rowChecks validates NOT NULL and CHECK constraints of a new row.
func rowChecks(c *Ctx, tc *TableCodec, row []types.Datum, checks []CheckEval) error {
	t := tc.Table
	for i := range t.Columns {
		col := &t.Columns[i]
		if col.NotNull && !col.Dropped && row[i].K == types.KindNull {
			return pgerror.New(pgerror.NotNullViolation, "null value in column \"%s\" of relation \"%s\" violates not-null constraint", col.Name, t.Name).
				WithDetail("Failing row contains %s.", failingRow(c, tc, row)).WithConstraint(t.Name, "")
		}
	}
	for _, ch := range checks {
		v, err := ch.Eval(c.Eval, row)
		if err != nil {
			return err
		}
		if v.K == types.KindBool && v.I == 0 { // NULL passes a CHECK
			return pgerror.New(pgerror.CheckViolation, "new row for relation \"%s\" violates check constraint \"%s\"", t.Name, ch.Name).
				WithDetail("Failing row contains %s.", failingRow(c, tc, row)).WithConstraint(t.Name, ch.Name)
		}
	}
	return nil
}

// failingRow formats a row as PostgreSQL's "Failing row contains (...)".
func failingRow(c *Ctx, tc *TableCodec, row []types.Datum) string {
	var b strings.Builder
	b.WriteByte('(')
	first := true
	for i, col := range tc.Table.Columns {
		if col.Dropped || col.Hidden {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		if row[i].K == types.KindNull {
			b.WriteString("null")
		} else {
			b.Write(types.AppendText(nil, row[i], col.Type, c.Eval.Settings))
		}
	}
	b.WriteByte(')')
	return b.String()
}

// uniqueViolation builds 23505 for an index whose key row already has.
func uniqueViolation(c *Ctx, tc *TableCodec, name string, cols []int, row []types.Datum) error {
	var names, vals []string
	for _, ci := range cols {
		col := tc.Table.Columns[ci]
		names = append(names, col.Name)
		if row[ci].K == types.KindNull {
			vals = append(vals, "null")
		} else {
			vals = append(vals, string(types.AppendText(nil, row[ci], col.Type, c.Eval.Settings)))
		}
	}
	return pgerror.New(pgerror.UniqueViolation, "duplicate key value violates unique constraint \"%s\"", name).
		WithDetail("Key (%s)=(%s) already exists.", strings.Join(names, ", "), strings.Join(vals, ", ")).
		WithConstraint(tc.Table.Name, name)
}

// putRow writes a new row and its index entries, checking uniqueness
// against the newest committed data and this transaction's own writes.
// (A concurrent insert of the same key is caught again at commit: PutNew.)
func putRow(c *Ctx, tc *TableCodec, row []types.Datum) ([]byte, error) {
	return putRowAt(c, tc, row, c.Eval.StmtTime)
}

// putRowAt is putRow with the row's write time given (a table rewrite
// keeps each row's; ttl.go).
func putRowAt(c *Ctx, tc *TableCodec, row []types.Datum, at int64) ([]byte, error) {
	key := c.slab.keep(tc.RowKey(c.slab.tail(64), row))
	if tc.Table.HasPrimaryKey() {
		if _, exists, err := c.Txn.GetLatest(key); err != nil {
			return nil, err
		} else if exists {
			if free, err := replaceExpired(c, tc, key); err != nil {
				return nil, err
			} else if !free {
				return nil, uniqueViolation(c, tc, tc.Table.Primary.Name, tc.Table.Primary.Columns, row)
			}
		}
	}
	if err := c.Txn.PutNew(key, c.slab.keep(tc.encodeRowAt(c.slab.tail(256), row, at))); err != nil {
		return nil, err
	}
	for i := range tc.Indexes {
		if err := putIndexEntry(c, tc, &tc.Indexes[i], row, key); err != nil {
			return nil, err
		}
	}
	return key, nil
}

func putIndexEntry(c *Ctx, tc *TableCodec, ic *IndexCodec, row []types.Datum, rowKey []byte) error {
	if ic.gin != nil {
		return putGINEntries(c, tc, ic, row, rowKey)
	}
	k, v, unique, err := ic.Entry(c.Eval, tc, row, rowKey)
	if err != nil || k == nil {
		return err // k nil: a partial index without this row
	}
	if !unique {
		return c.Txn.Put(k, v)
	}
	if owner, exists, err := c.Txn.GetLatest(k); err != nil {
		return err
	} else if exists {
		// The entry's row may have expired: then it gives the key up.
		ownerKey := append(append(make([]byte, 0, len(tc.Prefix)+len(owner)), tc.Prefix...), owner...)
		if free, err := replaceExpired(c, tc, ownerKey); err != nil {
			return err
		} else if !free {
			return indexViolation(c, tc, ic, row)
		}
	}
	return c.Txn.PutNew(k, v)
}

func deleteIndexEntry(c *Ctx, tc *TableCodec, ic *IndexCodec, row []types.Datum, rowKey []byte) error {
	if ic.gin != nil {
		return deleteGINEntries(c, tc, ic, row, rowKey)
	}
	k, _, _, err := ic.Entry(c.Eval, tc, row, rowKey)
	if err != nil || k == nil {
		return err
	}
	return c.Txn.Delete(k)
}

// writerState is what INSERT, UPDATE and DELETE share: the RETURNING
// projection and the count for the command tag.
type writerState struct {
	Returning []Eval // over the written (or deleted) row; nil = no RETURNING
	out       []types.Datum
	count     int64
}

func (w *writerState) RowsAffected() int64 { return w.count }

func (w *writerState) open() {
	w.count = 0
	if w.Returning != nil && w.out == nil {
		w.out = make([]types.Datum, len(w.Returning))
	}
}

// wrote counts a row and projects RETURNING over it; out is nil when the
// statement has no RETURNING (the caller moves on to the next row).
func (w *writerState) wrote(c *Ctx, row []types.Datum) ([]types.Datum, error) {
	w.count++
	if w.Returning == nil {
		return nil, nil
	}
	for i, e := range w.Returning {
		v, err := e(c.Eval, row)
		if err != nil {
			return nil, err
		}
		w.out[i] = v
	}
	return w.out, nil
}

// rowWriter replaces a stored row by a new version of it, with the
// checks and index maintenance an UPDATE needs (also used by INSERT ... ON
// CONFLICT DO UPDATE).
type rowWriter struct {
	Codec      *TableCodec
	Checks     []CheckEval
	FKParents  []FKParent
	FKChildren []FKChild
	Generated  []Eval // per storage column: GENERATED ... STORED (nil: none)

	// fkQueue, when set, collects the foreign key checks of changed keys
	// for the end of the statement (the node's runFKQueue), as
	// PostgreSQL's RI triggers; nil checks at once (cascaded updates).
	fkQueue *[]DeferredFK
}

// computeGenerated fills the generated columns of row from the others.
func computeGenerated(c *Ctx, gen []Eval, row []types.Datum) error {
	for i, g := range gen {
		if g == nil {
			continue
		}
		v, err := g(c.Eval, row)
		if err != nil {
			return err
		}
		row[i] = v
	}
	return nil
}

func (u *rowWriter) update(c *Ctx, key []byte, row, newRow []types.Datum) error {
	if err := computeGenerated(c, u.Generated, newRow); err != nil {
		return err
	}
	if err := rowChecks(c, u.Codec, newRow, u.Checks); err != nil {
		return err
	}
	queued := false
	for i := range u.FKParents {
		if keyChanged(row, newRow, u.FKParents[i].Cols) {
			if u.fkQueue != nil && !u.FKParents[i].deferredNow(c) {
				queued = true // after the write, under its key
				continue
			}
			if err := u.FKParents[i].check(c, u.Codec, newRow); err != nil {
				return err
			}
		}
	}
	for i := range u.FKChildren {
		if keyChanged(row, newRow, u.FKChildren[i].RefCols) {
			if err := u.FKChildren[i].onUpdate(c, u.Codec, row, newRow); err != nil {
				return err
			}
		}
	}
	newKey := u.Codec.RowKey(nil, newRow)
	if !bytes.Equal(newKey, key) {
		if err := c.Txn.Delete(key); err != nil {
			return err
		}
		if _, exists, err := c.Txn.GetLatest(newKey); err != nil {
			return err
		} else if exists {
			if free, err := replaceExpired(c, u.Codec, newKey); err != nil {
				return err
			} else if !free {
				return uniqueViolation(c, u.Codec, u.Codec.Table.Primary.Name, u.Codec.Table.Primary.Columns, newRow)
			}
		}
		if err := c.Txn.PutNew(newKey, u.Codec.encodeRowAt(nil, newRow, c.Eval.StmtTime)); err != nil {
			return err
		}
	} else if err := c.Txn.Put(key, u.Codec.encodeRowAt(nil, newRow, c.Eval.StmtTime)); err != nil {
		return err
	}
	for i := range u.Codec.Indexes {
		ic := &u.Codec.Indexes[i]
		if ic.gin != nil {
			if err := updateGINEntries(c, u.Codec, ic, row, key, newRow, newKey); err != nil {
				return err
			}
			continue
		}
		// A partial index's entry comes and goes as the row moves in and
		// out of its predicate (a nil key: no entry).
		oldK, _, _, err := ic.Entry(c.Eval, u.Codec, row, key)
		if err != nil {
			return err
		}
		newK, _, _, err := ic.Entry(c.Eval, u.Codec, newRow, newKey)
		if err != nil {
			return err
		}
		if bytes.Equal(oldK, newK) && (oldK == nil) == (newK == nil) {
			continue
		}
		if oldK != nil {
			if err := c.Txn.Delete(oldK); err != nil {
				return err
			}
		}
		if err := putIndexEntry(c, u.Codec, ic, newRow, newKey); err != nil {
			return err
		}
	}
	if queued {
		for i := range u.FKParents {
			f := &u.FKParents[i]
			if keyChanged(row, newRow, f.Cols) && !f.deferredNow(c) && !hasNull(newRow, f.Cols) {
				*u.fkQueue = append(*u.fkQueue, DeferredFK{Check: f, Child: u.Codec, Key: newKey})
			}
		}
	}
	return rowChanged(c, u.Codec, ChangeUpdate, row, newRow)
}

// hasNull reports whether any of row's cols is NULL (MATCH SIMPLE: such a
// key is not checked).
func hasNull(row []types.Datum, cols []int) bool {
	for _, ci := range cols {
		if row[ci].K == types.KindNull {
			return true
		}
	}
	return false
}

// runFKQueue runs the foreign key checks queued during a statement against
// the rows as they now are (a row since deleted needs none); buf is a
// scratch row of the table's width.
func runFKQueue(c *Ctx, q []DeferredFK, buf []types.Datum) error {
	for i, d := range q {
		if i&1023 == 1023 {
			if err := checkCancel(c); err != nil {
				return err
			}
		}
		v, ok, err := c.Txn.GetLatest(d.Key)
		if err != nil {
			return err
		}
		if !ok || !d.Child.live(c, v) {
			continue
		}
		row, err := d.Child.DecodeRow(v, buf)
		if err != nil {
			return err
		}
		if err := d.Check.checkNow(c, d.Child, row); err != nil {
			return err
		}
	}
	return nil
}

// Insert writes the rows its Source produces.
type Insert struct {
	Estimated
	Codec *TableCodec
	// Source rows have one value per entry of Columns (storage positions),
	// already coerced to the columns' types.
	Source      Node
	Columns     []int
	Defaults    []Eval // per storage column; nil = NULL
	Checks      []CheckEval
	HiddenRowID int // storage position of the row-id column, -1 if none
	FKParents   []FKParent
	Generated   []Eval // per storage column: GENERATED ... STORED (nil: none)
	Conflict    *OnConflict
	writerState

	row []types.Datum
	// fkPending are the foreign key checks of the rows inserted so far,
	// run when the source is exhausted: PostgreSQL's RI triggers fire at
	// the end of the statement, so a NOT NULL, CHECK or unique violation
	// of any row is reported first, and a row may reference one inserted
	// after it.
	fkPending []DeferredFK
}

func (n *Insert) Open(c *Ctx) error {
	n.open()
	if n.Conflict != nil {
		n.Conflict.updated = nil // a cached plan runs again: rows updated by the last run do not count
	}
	n.row = make([]types.Datum, len(n.Codec.ColTypes))
	n.fkPending = n.fkPending[:0]
	if n.Conflict != nil {
		n.Conflict.fkQueue = &n.fkPending // DO UPDATE's checks run with the inserts'
	}
	return n.Source.Open(c)
}

func (n *Insert) Next(c *Ctx) ([]types.Datum, error) {
	for {
		src, err := n.Source.Next(c)
		if err != nil {
			return nil, err
		}
		if src == nil {
			return nil, n.runFKPending(c)
		}
		provided := uint64(0)
		for i, col := range n.Columns {
			n.row[col] = src[i]
			if col < 64 {
				provided |= 1 << col
			}
		}
		for col := range n.row {
			if col < 64 && provided&(1<<col) != 0 {
				continue
			}
			if col >= 64 && containsInt(n.Columns, col) {
				continue
			}
			switch {
			case col == n.HiddenRowID:
				n.row[col] = types.NewInt(NextRowID())
			case n.Defaults[col] != nil:
				v, err := n.Defaults[col](c.Eval, n.row)
				if err != nil {
					return nil, err
				}
				n.row[col] = v
			default:
				n.row[col] = dNull
			}
		}
		if err := computeGenerated(c, n.Generated, n.row); err != nil {
			return nil, err
		}
		if err := rowChecks(c, n.Codec, n.row, n.Checks); err != nil {
			return nil, err
		}
		if n.Conflict != nil {
			key, found, err := n.Conflict.existing(c, n.Codec, n.row)
			if err != nil {
				return nil, err
			}
			if found {
				updated, ok, err := n.Conflict.resolve(c, n.Codec, key, n.row)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue // DO NOTHING, or DO UPDATE ... WHERE false
				}
				if out, err := n.wrote(c, updated); out != nil || err != nil {
					return out, err
				}
				continue
			}
		}
		key, err := putRow(c, n.Codec, n.row)
		if err != nil {
			return nil, err
		}
		if err := n.queueFK(c, key); err != nil {
			return nil, err
		}
		if n.Conflict != nil {
			n.Conflict.inserted(n.Codec, n.row)
		}
		if err := rowChanged(c, n.Codec, ChangeInsert, nil, n.row); err != nil {
			return nil, err
		}
		if n.count&1023 == 1023 {
			if err := checkCancel(c); err != nil {
				return nil, err
			}
		}
		if out, err := n.wrote(c, n.row); out != nil || err != nil {
			return out, err
		}
	}
}

// queueFK queues the foreign key checks of the row just written under key
// (deferred constraints go to the transaction's queue, as before).
func (n *Insert) queueFK(c *Ctx, key []byte) error {
	for i := range n.FKParents {
		f := &n.FKParents[i]
		if f.deferredNow(c) {
			if err := f.check(c, n.Codec, n.row); err != nil {
				return err
			}
			continue
		}
		if !hasNull(n.row, f.Cols) {
			n.fkPending = append(n.fkPending, DeferredFK{Check: f, Child: n.Codec, Key: key})
		}
	}
	return nil
}

// runFKPending runs the queued checks; n.row is free once the source is
// done.
func (n *Insert) runFKPending(c *Ctx) error {
	err := runFKQueue(c, n.fkPending, n.row)
	n.fkPending = n.fkPending[:0]
	return err
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (n *Insert) Close() { n.Source.Close() }
func (n *Insert) Explain() *Explain {
	return &Explain{Name: "Insert on " + n.Codec.Table.Name, Children: []Node{n.Source}}
}

// lockRow takes the row lock of an UPDATE or DELETE target. Under READ
// COMMITTED a row changed by a transaction that committed meanwhile is
// re-read and re-checked against the scan's filter, as PostgreSQL's
// EvalPlanQual does; ok is false when the row no longer qualifies.
func lockRow(c *Ctx, scan *Scan, key, val []byte, row []types.Datum) (newRow []types.Datum, newVal []byte, ok bool, err error) {
	return lockRowWait(c, scan, key, val, row, kv.LockBlock, false)
}

func lockRowWait(c *Ctx, scan *Scan, key, val []byte, row []types.Datum, wait kv.LockWait, shared bool) (newRow []types.Datum, newVal []byte, ok bool, err error) {
	var held bool
	if shared {
		held, err = c.Txn.LockShared(c.Eval.Ctx, key, wait)
	} else {
		held, err = c.Txn.Lock(c.Eval.Ctx, key, wait)
	}
	if errors.Is(err, kv.ErrLockNotAvailable) {
		return nil, nil, false, pgerror.New(pgerror.LockNotAvailable, "could not obtain lock on row in relation \"%s\"", scan.Codec.Table.Name)
	}
	if err != nil {
		return nil, nil, false, err
	}
	if !held { // SKIP LOCKED
		return nil, nil, false, nil
	}
	if c.Txn.Isolation() != kv.ReadCommitted {
		return row, val, true, nil
	}
	latest, exists, err := c.Txn.GetLatest(key)
	if err != nil || !exists || !scan.Codec.live(c, latest) {
		return nil, nil, false, err
	}
	if bytes.Equal(latest, val) {
		return row, val, true, nil
	}
	fresh, err := scan.Codec.DecodeRow(latest, make([]types.Datum, len(scan.Codec.ColTypes)))
	if err != nil {
		return nil, nil, false, err
	}
	if scan.Filter != nil {
		pass, err := evalBool(scan.Filter, c.Eval, fresh)
		if err != nil || !pass {
			return nil, nil, false, err
		}
	}
	return fresh, latest, true, nil
}

// SetItem assigns a storage column from an expression over the old row.
type SetItem struct {
	Col  int
	Expr Eval
}

// Update rewrites the rows its Scan finds.
type Update struct {
	Estimated
	Scan *Scan
	// Input, when Scan is nil, yields the target row followed by columns
	// of UPDATE ... FROM items; each target row is updated once.
	Input     Node
	Set       []SetItem
	rowWriter // Codec, Checks, foreign keys
	writerState

	newRow    []types.Datum
	fkPending []DeferredFK // see rowWriter.fkQueue
	joined    joinedTarget
}

// joinedTarget reads target rows out of a join (UPDATE ... FROM, DELETE
// ... USING): the target row comes first; its key follows from its
// columns; each target row is returned once, locked, at its newest
// version.
type joinedTarget struct {
	seen     map[string]bool
	combined []types.Datum
	ret      []types.Datum
}

// returningRow is what RETURNING reads for a joined target: the target
// row as written followed by the FROM/USING columns of its join row.
func (j *joinedTarget) returningRow(target []types.Datum) []types.Datum {
	j.ret = append(append(j.ret[:0], target...), j.combined[len(target):]...)
	return j.ret
}

func (j *joinedTarget) next(c *Ctx, in Node, tc *TableCodec) (key []byte, row, combined []types.Datum, err error) {
	if j.seen == nil {
		j.seen = map[string]bool{}
	}
	width := len(tc.ColTypes)
	for {
		r, err := in.Next(c)
		if err != nil || r == nil {
			return nil, nil, nil, err
		}
		key := tc.RowKey(nil, r[:width])
		if j.seen[string(key)] {
			continue
		}
		j.seen[string(key)] = true
		if _, err := c.Txn.Lock(c.Eval.Ctx, key, kv.LockBlock); err != nil {
			return nil, nil, nil, err
		}
		val, ok, err := c.Txn.GetLatest(key)
		if err != nil {
			return nil, nil, nil, err
		}
		if !ok || !tc.live(c, val) {
			continue // deleted (or expired) meanwhile
		}
		cur, err := tc.DecodeRow(val, make([]types.Datum, width))
		if err != nil {
			return nil, nil, nil, err
		}
		j.combined = append(append(j.combined[:0], cur...), r[width:]...)
		return key, cur, j.combined, nil
	}
}

func (n *Update) Open(c *Ctx) error {
	n.open()
	n.newRow = make([]types.Datum, len(n.Codec.ColTypes))
	n.fkPending = n.fkPending[:0]
	n.fkQueue = &n.fkPending
	if n.Scan == nil {
		n.joined = joinedTarget{}
		return n.Input.Open(c)
	}
	return n.Scan.Open(c)
}

func (n *Update) Next(c *Ctx) ([]types.Datum, error) {
	if n.Scan == nil {
		return n.nextJoined(c)
	}
	for {
		row, err := n.Scan.Next(c)
		if err != nil {
			return nil, err
		}
		if row == nil {
			return nil, n.runFKPending(c)
		}
		key := bytes.Clone(n.Scan.CurrentKey())
		row, _, ok, err := lockRow(c, n.Scan, key, n.Scan.CurrentValue(), row)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		copy(n.newRow, row)
		for _, s := range n.Set {
			v, err := s.Expr(c.Eval, row)
			if err != nil {
				return nil, err
			}
			n.newRow[s.Col] = v
		}
		if err := n.rowWriter.update(c, key, row, n.newRow); err != nil {
			return nil, err
		}
		if out, err := n.wrote(c, n.newRow); out != nil || err != nil {
			return out, err
		}
	}
}

func (n *Update) nextJoined(c *Ctx) ([]types.Datum, error) {
	for {
		key, row, combined, err := n.joined.next(c, n.Input, n.Codec)
		if err != nil {
			return nil, err
		}
		if key == nil {
			return nil, n.runFKPending(c)
		}
		copy(n.newRow, row)
		for _, s := range n.Set {
			v, err := s.Expr(c.Eval, combined)
			if err != nil {
				return nil, err
			}
			n.newRow[s.Col] = v
		}
		if err := n.rowWriter.update(c, key, row, n.newRow); err != nil {
			return nil, err
		}
		if out, err := n.wrote(c, n.joined.returningRow(n.newRow)); out != nil || err != nil {
			return out, err
		}
	}
}

// runFKPending runs the statement's queued foreign key checks (see
// rowWriter.fkQueue); n.newRow is free once the input is done.
func (n *Update) runFKPending(c *Ctx) error {
	err := runFKQueue(c, n.fkPending, n.newRow)
	n.fkPending = n.fkPending[:0]
	return err
}

func (n *Update) Close() {
	if n.Scan != nil {
		n.Scan.Close()
	} else {
		n.Input.Close()
	}
}
func (n *Update) Explain() *Explain {
	return &Explain{Name: "Update on " + n.Codec.Table.Name, Children: []Node{n.Scan}}
}

// Delete removes the rows its Scan finds.
type Delete struct {
	Estimated
	Codec      *TableCodec
	Scan       *Scan
	Input      Node // when Scan is nil: target row then USING columns
	joined     joinedTarget
	FKChildren []FKChild
	writerState
}

func (n *Delete) Open(c *Ctx) error {
	n.open()
	if n.Scan == nil {
		n.joined = joinedTarget{}
		return n.Input.Open(c)
	}
	return n.Scan.Open(c)
}

func (n *Delete) Next(c *Ctx) ([]types.Datum, error) {
	for {
		var key []byte
		var row []types.Datum
		if n.Scan == nil {
			k, r, _, err := n.joined.next(c, n.Input, n.Codec)
			if err != nil || k == nil {
				return nil, err
			}
			key, row = k, r
		} else {
			r, err := n.Scan.Next(c)
			if err != nil || r == nil {
				return nil, err
			}
			key = bytes.Clone(n.Scan.CurrentKey())
			locked, _, ok, err := lockRow(c, n.Scan, key, n.Scan.CurrentValue(), r)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			row = locked
		}
		for i := range n.FKChildren {
			if err := n.FKChildren[i].onDelete(c, n.Codec, row); err != nil {
				return nil, err
			}
		}
		if err := c.Txn.Delete(key); err != nil {
			return nil, err
		}
		for i := range n.Codec.Indexes {
			if err := deleteIndexEntry(c, n.Codec, &n.Codec.Indexes[i], row, key); err != nil {
				return nil, err
			}
		}
		if err := rowChanged(c, n.Codec, ChangeDelete, row, nil); err != nil {
			return nil, err
		}
		ret := row
		if n.Scan == nil {
			ret = n.joined.returningRow(row)
		}
		if out, err := n.wrote(c, ret); out != nil || err != nil {
			return out, err
		}
	}
}

func (n *Delete) Close() {
	if n.Scan != nil {
		n.Scan.Close()
	} else {
		n.Input.Close()
	}
}
func (n *Delete) Explain() *Explain {
	return &Explain{Name: "Delete on " + n.Codec.Table.Name, Children: []Node{n.Scan}}
}

// KVError maps kv's errors to SQLSTATEs at the executor's boundary.
func KVError(err error) error {
	var ke *kv.KeyExistsError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, kv.ErrReadConflict):
		return pgerror.Wrap(err, pgerror.SerializationFailure, "could not serialize access due to read/write dependencies among transactions").
			WithDetail("Reason code: Canceled on identification as a pivot, during commit attempt.").
			WithHint("The transaction might succeed if retried.")
	case errors.Is(err, kv.ErrConflict):
		return pgerror.Wrap(err, pgerror.SerializationFailure, "could not serialize access due to concurrent update")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return cancelError(err)
	case errors.Is(err, kv.ErrDeadlock):
		return pgerror.Wrap(err, pgerror.DeadlockDetected, "deadlock detected")
	case errors.Is(err, kv.ErrLockNotAvailable):
		return pgerror.Wrap(err, pgerror.LockNotAvailable, "could not obtain lock on row")
	case errors.As(err, &ke):
		return pgerror.Wrap(err, pgerror.UniqueViolation, "duplicate key value violates unique constraint").
			WithDetail("A concurrent transaction inserted the same key (%s).", fmt.Sprintf("%x", ke.Key))
	case errors.Is(err, kv.ErrLockTimeout):
		return pgerror.New(pgerror.LockNotAvailable, "canceling statement due to lock timeout")
	case errors.Is(err, kv.ErrLogFailed):
		return pgerror.Wrap(err, pgerror.IOError, "could not write to the commit log: %v", err)
	}
	return err
}

var _ = bound.LockNone

// LockRows takes the row lock of each row its Scan returns (SELECT ... FOR
// UPDATE, exclusive; FOR SHARE / FOR KEY SHARE, shared). NOWAIT fails at
// once; SKIP LOCKED leaves locked rows out.
type LockRows struct {
	Estimated
	Scan   *Scan
	Wait   kv.LockWait
	Shared bool
}

func (l *LockRows) Open(c *Ctx) error { return l.Scan.Open(c) }

func (l *LockRows) Next(c *Ctx) ([]types.Datum, error) {
	for {
		row, err := l.Scan.Next(c)
		if err != nil || row == nil {
			return row, err
		}
		key := bytes.Clone(l.Scan.CurrentKey())
		fresh, _, ok, err := lockRowWait(c, l.Scan, key, l.Scan.CurrentValue(), row, l.Wait, l.Shared)
		if err != nil {
			return nil, err
		}
		if ok {
			return fresh, nil
		}
	}
}

func (l *LockRows) Close() { l.Scan.Close() }

func (l *LockRows) Explain() *Explain {
	return &Explain{Name: "LockRows", Children: []Node{l.Scan}}
}
