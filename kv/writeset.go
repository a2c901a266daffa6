package kv

import (
	"bytes"

	"github.com/tidwall/btree"
)

// write is a transaction's own pending change to one key.
type write struct {
	key     []byte
	value   []byte
	deleted bool
	// mustNotExist: the commit fails with ErrKeyExists if the key has a
	// live latest version (an INSERT into a primary or unique key).
	mustNotExist bool
}

func writeLess(a, b write) bool { return bytes.Compare(a.key, b.key) < 0 }

// undo restores one key of the write set when a savepoint is rolled back.
type undo struct {
	key  []byte
	had  bool
	prev write
}

// writeSet is a transaction's buffered writes, ordered by key, with an undo
// log so savepoints can roll back part of it.
type writeSet struct {
	t    *btree.BTreeG[write]
	undo []undo
	// savepoints records len(undo) at each open savepoint; ids are indexes.
	savepoints []int
	hint       btree.PathHint
	// getHint: reads of nearby keys one after another (a bulk insert's
	// uniqueness checks) find their place at once.
	getHint btree.PathHint
	// maxKey is at least the greatest key in t: a key above it is new and
	// is appended without a search (bulk loads write ascending keys).
	maxKey []byte
	hasMax bool
}

func (ws *writeSet) init() {
	if ws.t == nil {
		ws.t = btree.NewBTreeGOptions(writeLess, btree.Options{NoLocks: true})
	}
}

func (ws *writeSet) len() int {
	if ws.t == nil {
		return 0
	}
	return ws.t.Len()
}

func (ws *writeSet) get(key []byte) (write, bool) {
	if ws.t == nil || (ws.hasMax && bytes.Compare(key, ws.maxKey) > 0) {
		// Above every written key: an ascending bulk load checks each new
		// key here before writing it, and needs no descent to learn that.
		return write{}, false
	}
	return ws.t.GetHint(write{key: key}, &ws.getHint)
}

func (ws *writeSet) set(w write) {
	ws.init()
	var prev write
	var had bool
	if !ws.hasMax || bytes.Compare(w.key, ws.maxKey) > 0 {
		ws.t.Load(w)
		ws.maxKey, ws.hasMax = w.key, true
	} else {
		// One descent in the common case (a key written once); the hint
		// makes nearly ascending writes find their place at once.
		prev, had = ws.t.SetHint(w, &ws.hint)
	}
	if had {
		fixed := w
		if prev.deleted && !prev.mustNotExist && w.mustNotExist {
			// Re-inserting a key this transaction deleted (a table rewrite
			// with the same key): the old version is ours to replace.
			fixed.mustNotExist = false
		}
		if prev.mustNotExist && !fixed.mustNotExist {
			// A key this transaction inserted keeps its insert check when it
			// is later updated or deleted.
			fixed.mustNotExist = true
		}
		if fixed.mustNotExist != w.mustNotExist {
			ws.t.SetHint(fixed, &ws.hint)
		}
	}
	if len(ws.savepoints) > 0 {
		ws.undo = append(ws.undo, undo{key: w.key, had: had, prev: prev})
	}
}

func (ws *writeSet) savepoint() int {
	ws.savepoints = append(ws.savepoints, len(ws.undo))
	return len(ws.savepoints) - 1
}

// rollbackTo undoes every write since savepoint id; the savepoint stays open
// (as in SQL, ROLLBACK TO keeps it), later ones are discarded.
func (ws *writeSet) rollbackTo(id int) bool {
	if id < 0 || id >= len(ws.savepoints) {
		return false
	}
	mark := ws.savepoints[id]
	for i := len(ws.undo) - 1; i >= mark; i-- {
		u := ws.undo[i]
		if u.had {
			ws.t.Set(u.prev)
		} else {
			ws.t.Delete(write{key: u.key})
		}
	}
	ws.undo = ws.undo[:mark]
	ws.savepoints = ws.savepoints[:id+1]
	return true
}

// release forgets savepoint id and those after it, keeping their writes.
func (ws *writeSet) release(id int) bool {
	if id < 0 || id >= len(ws.savepoints) {
		return false
	}
	ws.savepoints = ws.savepoints[:id]
	if len(ws.savepoints) == 0 {
		ws.undo = ws.undo[:0]
	}
	return true
}
