package executor

import (
	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// RewriteTable moves every row of a table from its old layout to a new
// one (ALTER TABLE that changes keys, types or column values): each row is
// decoded with old, transformed by fn into a row of new's width, checked,
// and written with new's keys and index entries; the old row and entries
// are deleted. It runs in the caller's transaction, so a failure leaves
// nothing behind.
func RewriteTable(c *Ctx, old, new *TableCodec, checks []CheckEval, fn func(oldRow, newRow []types.Datum) error) error {
	// Collect first: the scan must not see the rows this writes.
	type entry struct{ key, val []byte }
	var rows []entry
	it := c.Txn.Scan(kv.ScanOptions{Prefix: old.Prefix})
	for it.Next() {
		rows = append(rows, entry{it.Key(), it.Value()})
	}
	it.Close()
	if err := it.Err(); err != nil {
		return err
	}
	oldRow := make([]types.Datum, len(old.ColTypes))
	newRow := make([]types.Datum, len(new.ColTypes))
	for i, e := range rows {
		if i&1023 == 0 {
			if err := checkCancel(c); err != nil {
				return err
			}
		}
		r, err := old.DecodeRow(e.val, oldRow)
		if err != nil {
			return err
		}
		if err := c.Txn.Delete(e.key); err != nil {
			return err
		}
		for j := range old.Indexes {
			if err := deleteIndexEntry(c, old, &old.Indexes[j], r, e.key); err != nil {
				return err
			}
		}
		clearRow(newRow)
		if err := fn(r, newRow); err != nil {
			return err
		}
		if err := rowChecks(c, new, newRow, checks); err != nil {
			return err
		}
		at, ok := old.WriteTime(e.val)
		if !ok {
			at = c.Eval.StmtTime // the table starts keeping write times now
		}
		if _, err := putRowAt(c, new, newRow, at); err != nil {
			return err
		}
	}
	return nil
}

// ScanRows calls fn for every row of a table (validation of a new
// constraint over existing rows).
func ScanRows(c *Ctx, tc *TableCodec, fn func(row []types.Datum) error) error {
	it := c.Txn.Scan(kv.ScanOptions{Prefix: tc.Prefix})
	defer it.Close()
	row := make([]types.Datum, len(tc.ColTypes))
	n := 0
	for it.Next() {
		n++
		if n&1023 == 0 {
			if err := checkCancel(c); err != nil {
				return err
			}
		}
		if !tc.live(c, it.Value()) {
			continue // an expired row is checked against nothing
		}
		r, err := tc.DecodeRow(it.Value(), row)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return it.Err()
}

// CheckFKParent validates one row against a foreign key (ALTER TABLE ADD
// FOREIGN KEY over existing rows).
func CheckFKParent(c *Ctx, f *FKParent, tc *TableCodec, row []types.Datum) error {
	return f.check(c, tc, row)
}

// RowChecks exposes NOT NULL and CHECK validation of a row.
func RowChecks(c *Ctx, tc *TableCodec, row []types.Datum, checks []CheckEval) error {
	return rowChecks(c, tc, row, checks)
}
