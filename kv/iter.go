package kv

import (
	"bytes"
	"strings"

	"github.com/tidwall/btree"
)

// ScanOptions bound a scan. Start is inclusive, End exclusive; nil means
// unbounded. Prefix, if set, narrows the range to keys with that prefix.
type ScanOptions struct {
	Start, End []byte
	Prefix     []byte
	Reverse    bool
	// LatestOwn sees every own write, even while own writes are frozen
	// for reads (Txn.FreezeOwnWrites): constraint checks must.
	LatestOwn bool
}

// PrefixEnd returns the smallest key greater than every key with prefix p,
// or nil if there is none (p is all 0xff).
func PrefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// Iterator walks a transaction's view of a key range in order, merging its
// own writes over the snapshot. Keys and values must not be modified. Close
// it when done: under SERIALIZABLE that records the range read.
type Iterator struct {
	t          *Txn
	start, end []byte
	reverse    bool

	snap    btree.IterG[item]
	snapOK  bool
	own     btree.IterG[write]
	ownOK   bool
	hasOwn  bool
	key     []byte
	value   []byte
	started bool
	fromOwn bool
	done    bool
	err     error
}

// Scan returns an iterator over the range.
func (t *Txn) Scan(o ScanOptions) *Iterator {
	it := &Iterator{t: t, start: o.Start, end: o.End, reverse: o.Reverse}
	if t.done {
		it.err, it.done = ErrTxnDone, true
		return it
	}
	if o.Prefix != nil {
		if it.start == nil || bytes.Compare(o.Prefix, it.start) > 0 {
			it.start = o.Prefix
		}
		if pe := PrefixEnd(o.Prefix); pe != nil && (it.end == nil || bytes.Compare(pe, it.end) < 0) {
			it.end = pe
		}
	}
	it.snap = t.view.tree.Iter()
	own := t.ownForReads()
	if o.LatestOwn {
		own = t.ws.t
	}
	it.hasOwn = own != nil && own.Len() > 0
	if it.hasOwn {
		// A copy-on-write copy (O(1)) freezes the own writes as of Scan, so
		// the statement may keep writing while it iterates.
		it.own = own.Copy().Iter()
	}
	return it
}

// position places both cursors on the first key of the range.
func (it *Iterator) position() {
	if !it.reverse {
		if it.start != nil {
			it.snapOK = it.snap.Seek(keyItem(it.start))
		} else {
			it.snapOK = it.snap.First()
		}
		if it.hasOwn {
			if it.start != nil {
				it.ownOK = it.own.Seek(write{key: it.start})
			} else {
				it.ownOK = it.own.First()
			}
		}
	} else {
		if it.end != nil {
			it.snapOK = it.snap.Seek(keyItem(it.end))
			if it.snapOK {
				it.snapOK = it.snap.Prev()
			} else {
				it.snapOK = it.snap.Last()
			}
		} else {
			it.snapOK = it.snap.Last()
		}
		if it.hasOwn {
			if it.end != nil {
				it.ownOK = it.own.Seek(write{key: it.end})
				if it.ownOK {
					it.ownOK = it.own.Prev()
				} else {
					it.ownOK = it.own.Last()
				}
			} else {
				it.ownOK = it.own.Last()
			}
		}
	}
}

func (it *Iterator) advanceSnap() {
	if it.reverse {
		it.snapOK = it.snap.Prev()
	} else {
		it.snapOK = it.snap.Next()
	}
}

func (it *Iterator) advanceOwn() {
	if it.reverse {
		it.ownOK = it.own.Prev()
	} else {
		it.ownOK = it.own.Next()
	}
}

// Next moves to the next visible key, returning false at the end.
func (it *Iterator) Next() bool {
	if it.done {
		return false
	}
	if !it.started {
		it.started = true
		it.position()
	} else {
		it.step()
	}
	ts := it.t.view.ts
	for {
		// Skip snapshot entries with nothing visible.
		var sv *version
		for it.snapOK {
			si := it.snap.Item()
			if it.beyond(si.key) {
				it.snapOK = false
				break
			}
			if v := si.c.visible(ts); v != nil && !v.deleted() {
				sv = v
				break
			}
			it.advanceSnap()
		}
		if it.ownOK && it.beyond(bytesString(it.own.Item().key)) {
			it.ownOK = false
		}
		switch {
		case !it.snapOK && !it.ownOK:
			it.finish(true)
			return false
		case it.ownOK && (!it.snapOK || it.ownFirst()):
			w := it.own.Item()
			if it.snapOK && bytesString(w.key) == it.snap.Item().key {
				it.advanceSnap()
			}
			if w.deleted {
				it.advanceOwn()
				continue
			}
			it.key, it.value = w.key, w.value
			it.fromOwn = true
			return true
		default:
			it.key, it.value = it.snap.Item().keyBytes(), sv.valueBytes()
			it.fromOwn = false
			return true
		}
	}
}

// beyond: k is past the far end of the range in iteration order. Both
// cursors were positioned at the near end (Seek), so only the far end needs
// checking.
func (it *Iterator) beyond(k string) bool {
	if it.reverse {
		return it.start != nil && k < bytesString(it.start)
	}
	return it.end != nil && k >= bytesString(it.end)
}

// ownFirst: the own write's key comes before (or equals) the snapshot's in
// iteration order.
func (it *Iterator) ownFirst() bool {
	c := strings.Compare(bytesString(it.own.Item().key), it.snap.Item().key)
	if it.reverse {
		return c >= 0
	}
	return c <= 0
}

// step moves past the current key.
func (it *Iterator) step() {
	if it.fromOwn {
		it.advanceOwn()
	} else {
		it.advanceSnap()
	}
}

// Key and Value of the current entry; valid until the next call to Next.
func (it *Iterator) Key() []byte   { return it.key }
func (it *Iterator) Value() []byte { return it.value }

// Err reports a failure (a finished transaction).
func (it *Iterator) Err() error { return it.err }

// Close ends the scan. Under SERIALIZABLE it records the part of the range
// actually read, so a concurrent insert into it fails this commit.
func (it *Iterator) Close() { it.finish(false) }

func (it *Iterator) finish(exhausted bool) {
	if it.done {
		return
	}
	it.done = true
	if it.t.iso != Serializable || !it.started {
		return
	}
	r := keyRange{start: bytes.Clone(it.start), end: bytes.Clone(it.end)}
	if !exhausted && it.key != nil {
		// Stopped early: only the part up to the last key returned was read.
		if it.reverse {
			r.start = bytes.Clone(it.key)
		} else {
			r.end = append(bytes.Clone(it.key), 0)
		}
	}
	it.t.ranges = append(it.t.ranges, r)
}
