package executor

import (
	"encoding/binary"
	"errors"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Row expiry (TTL) in the executor.
//
// Where the check lives: every path that turns a stored row value of a
// table into a row goes through this file's ttlCheck, keyed by the table's
// codec (built once per plan from the descriptor): Scan (sequential,
// index and point reads, so SELECT, joins, aggregates, COPY TO and the
// targets of UPDATE/DELETE), the GIN bitmap scan, the READ COMMITTED
// re-read of a locked row, joined UPDATE/DELETE targets, ON CONFLICT
// arbiters, foreign key parent and child lookups and deferred checks. kv
// knows nothing of rows, so this is the lowest layer that can decide; a
// new read path that skips the codec's live check would be a bug
// (tests/ttl exercises the paths above).
//
// The statement's timestamp (statement_timestamp(), EvalCtx.StmtTime) is
// "now": a row whose expiry is at or before it is gone for the whole
// statement, so a statement never sees a row disappear half-way.
//
// Expiry of a row:
//   - ttl_expiration_expression: the named timestamptz column (NULL:
//     never).
//   - ttl_expire_after: the row's write time plus the interval (months
//     and days added on the UTC calendar, so every node agrees). The write
//     time is the writing statement's timestamp, stored as an 8-byte
//     suffix of the row value (Table.RowWriteTime). types.DecodeRow stops
//     after the row's own columns, so readers that know nothing of TTL
//     (stream/, ANALYZE) decode such values unchanged.
//   - both: the earlier of the two.
//
// Uniqueness: an expired row does not hold its keys. An insert (or key
// update) that collides with an expired row deletes it (row and index
// entries, under its row lock) in the same transaction and takes its
// place; see replaceExpired.

// ttlCheck is a table's compiled expiry rule.
type ttlCheck struct {
	after    types.IntervalValue
	hasAfter bool
	// afterMicros is after as a fixed length when it has no months or
	// days (the common case: one addition per row).
	afterMicros int64
	fixed       bool
	col         int // expiration column, -1: none
	colTypes    []types.Type
}

func newTTLCheck(t *catalog.Table, colTypes []types.Type) *ttlCheck {
	ttl := t.TTL()
	if ttl == nil {
		return nil
	}
	c := &ttlCheck{after: ttl.ExpireAfter, hasAfter: ttl.HasExpireAfter && t.RowWriteTime, col: ttl.ExpirationColumn, colTypes: colTypes}
	if c.after.Months == 0 && c.after.Days == 0 {
		c.afterMicros, c.fixed = c.after.Micros, true
	}
	if !c.hasAfter && c.col < 0 {
		return nil
	}
	return c
}

// writeTimeLen is the size of the write-time suffix of a row value.
const writeTimeLen = 8

// appendWriteTime adds the write-time suffix when the table keeps one.
func (tc *TableCodec) appendWriteTime(dst []byte, at int64) []byte {
	if !tc.Table.RowWriteTime {
		return dst
	}
	return binary.LittleEndian.AppendUint64(dst, uint64(at))
}

// encodeRowAt is the stored value of a row written at time at.
func (tc *TableCodec) encodeRowAt(dst []byte, row []types.Datum, at int64) []byte {
	return tc.appendWriteTime(types.AppendRow(dst, row, tc.ColTypes), at)
}

// WriteTime is the write time stored with a row value (ok false when the
// table keeps none).
func (tc *TableCodec) WriteTime(val []byte) (int64, bool) {
	if !tc.Table.RowWriteTime || len(val) < writeTimeLen {
		return 0, false
	}
	return int64(binary.LittleEndian.Uint64(val[len(val)-writeTimeLen:])), true
}

// HasTTL reports whether rows of the table can expire.
func (tc *TableCodec) HasTTL() bool { return tc.ttl != nil }

// ExpiresAt is a stored row's expiry (µs since 2000-01-01 UTC); ok is
// false when the row never expires.
func (tc *TableCodec) ExpiresAt(val []byte) (at int64, ok bool) {
	t := tc.ttl
	if t == nil {
		return 0, false
	}
	if t.hasAfter {
		at, ok = tc.afterExpiry(val)
	}
	if t.col >= 0 {
		d, err := types.DecodeColumn(val, t.colTypes, t.col)
		if err == nil && d.K != types.KindNull && (!ok || d.I < at) {
			at, ok = d.I, true
		}
	}
	return at, ok
}

// expiredRow is Expired for a row already decoded from val with its
// expiration column (Scan.need guarantees it): the column is not decoded
// a second time.
func (tc *TableCodec) expiredRow(val []byte, row []types.Datum, now int64) bool {
	t := tc.ttl
	at, ok := int64(0), false
	if t.hasAfter {
		at, ok = tc.afterExpiry(val)
	}
	if t.col >= 0 {
		if d := row[t.col]; d.K != types.KindNull && (!ok || d.I < at) {
			at, ok = d.I, true
		}
	}
	return ok && at <= now
}

// afterExpiry is write time + ttl_expire_after.
func (tc *TableCodec) afterExpiry(val []byte) (int64, bool) {
	t := tc.ttl
	w, has := tc.WriteTime(val)
	if !has {
		return 0, false
	}
	if t.fixed {
		return w + t.afterMicros, true
	}
	v, err := types.TimestampPlusInterval(w, t.after, nil)
	return v, err == nil
}

// need is the scan's Need with the expiration column added, so the
// expiry check reads it from the decoded row (computed once per plan).
func (s *Scan) need() []bool {
	t := s.Codec.ttl
	if t == nil || t.col < 0 || s.Need[t.col] {
		return s.Need
	}
	if s.needTTL == nil {
		s.needTTL = append([]bool(nil), s.Need...)
		s.needTTL[t.col] = true
	}
	return s.needTTL
}

// Expired reports whether a stored row has expired at time now.
func (tc *TableCodec) Expired(val []byte, now int64) bool {
	if tc.ttl == nil {
		return false
	}
	at, ok := tc.ExpiresAt(val)
	return ok && at <= now
}

// live is the read paths' check: false for a row expired at the
// statement's timestamp.
func (tc *TableCodec) live(c *Ctx, val []byte) bool {
	return tc.ttl == nil || !tc.Expired(val, c.Eval.StmtTime)
}

// replaceExpired is called when a new row's key (row key, or the row
// owning a unique index entry) is taken: if the owner row has expired it
// is deleted, with its index entries, so the new row can take its place.
// The owner's row lock is taken first, so two inserts racing for one
// expired key are serialized and the second sees the first's row. It
// reports whether the key is free now.
func replaceExpired(c *Ctx, tc *TableCodec, rowKey []byte) (bool, error) {
	if tc.ttl == nil {
		return false, nil
	}
	if _, err := c.Txn.Lock(c.Eval.Ctx, rowKey, kv.LockBlock); err != nil {
		return false, err
	}
	val, ok, err := c.Txn.GetLatest(rowKey)
	if err != nil {
		return false, err
	}
	if !ok {
		return true, nil
	}
	if !tc.Expired(val, c.Eval.StmtTime) {
		return false, nil
	}
	return true, deleteStored(c, tc, rowKey, val)
}

// DeleteStored deletes a stored row and its index entries (a DDL
// backfill removes the expired rows it meets with it).
func DeleteStored(c *Ctx, tc *TableCodec, key, val []byte) error {
	return deleteStored(c, tc, key, val)
}

// deleteStored deletes a stored row and its index entries.
func deleteStored(c *Ctx, tc *TableCodec, key, val []byte) error {
	row, err := tc.DecodeRow(val, make([]types.Datum, len(tc.ColTypes)))
	if err != nil {
		return err
	}
	if err := c.Txn.Delete(key); err != nil {
		return err
	}
	for i := range tc.Indexes {
		if err := deleteIndexEntry(c, tc, &tc.Indexes[i], row, key); err != nil {
			return err
		}
	}
	return nil
}

// ExpiredBatch is one sweeper step over a table (see package ttl).
type ExpiredBatch struct {
	// Next is where the following batch starts; nil when the scan reached
	// the end of the table.
	Next []byte
	// Deleted rows; Expired rows found (some may have been skipped as
	// locked); Scanned rows read.
	Deleted, Expired, Scanned int
	// OldestLeft is the earliest expiry among the expired rows found and
	// not deleted (valid when Expired > Deleted); OldestFound among all
	// expired rows found (valid when Expired > 0). µs since 2000-01-01.
	OldestLeft, OldestFound int64
}

// DeleteExpired reads the table from start (nil: its first row), deletes
// up to limit rows that have expired at c.Eval.StmtTime, reading at most
// maxScan rows, in c's transaction. Rows locked by another transaction
// are skipped (SKIP LOCKED: the sweeper never waits for users). Each
// deleted row is reported to c.Changes as a delete (notify_changes) unless
// quiet. The sweeper's transaction should be REPEATABLE READ: a row
// updated after its snapshot then fails the commit (first committer wins)
// instead of being deleted on stale information.
func DeleteExpired(c *Ctx, tc *TableCodec, start []byte, limit, maxScan int, quiet bool) (ExpiredBatch, error) {
	var b ExpiredBatch
	if tc.ttl == nil {
		return b, nil
	}
	if start == nil {
		start = tc.Prefix
	}
	it := c.Txn.Scan(kv.ScanOptions{Start: start, End: kv.PrefixEnd(tc.Prefix)})
	defer it.Close()
	type victim struct{ key, val []byte }
	var victims []victim
	now := c.Eval.StmtTime
	oldestLeft, oldestAll := int64(0), int64(0)
	left := false
	for it.Next() {
		if b.Scanned >= maxScan || len(victims) >= limit {
			b.Next = append([]byte(nil), it.Key()...)
			break
		}
		b.Scanned++
		at, ok := tc.ExpiresAt(it.Value())
		if !ok || at > now {
			continue
		}
		b.Expired++
		if b.Expired == 1 || at < oldestAll {
			oldestAll = at
		}
		victims = append(victims, victim{append([]byte(nil), it.Key()...), append([]byte(nil), it.Value()...)})
	}
	if err := it.Err(); err != nil {
		return b, err
	}
	it.Close()
	row := make([]types.Datum, len(tc.ColTypes))
	for _, v := range victims {
		held, err := c.Txn.Lock(c.Eval.Ctx, v.key, kv.LockSkip)
		if errors.Is(err, kv.ErrConflict) {
			continue // written since the batch's snapshot: it is not ours to judge
		}
		if err != nil {
			return b, err
		}
		val, exists, err := c.Txn.GetLatest(v.key)
		if err != nil {
			return b, err
		}
		if !held {
			// A user transaction holds it: left for the next batch.
			if at, ok := tc.ExpiresAt(v.val); ok && (!left || at < oldestLeft) {
				oldestLeft, left = at, true
			}
			continue
		}
		if !exists || !tc.Expired(val, now) {
			continue // deleted, or written again since the scan
		}
		if err := deleteStored(c, tc, v.key, val); err != nil {
			return b, err
		}
		if !quiet {
			r, err := tc.DecodeRow(val, row)
			if err != nil {
				return b, err
			}
			if err := rowChanged(c, tc, ChangeDelete, r, nil); err != nil {
				return b, err
			}
		}
		b.Deleted++
	}
	b.OldestFound, b.OldestLeft = oldestAll, oldestLeft
	return b, nil
}
