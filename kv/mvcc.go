package kv

import (
	"bytes"
	"sync/atomic"

	"github.com/tidwall/btree"
)

// version is one value of a key, written by the commit with LSN ts.
// Versions are immutable once published except for next, which pruning
// may cut (atomically) once no snapshot can reach past it.
type version struct {
	ts      uint64
	value   []byte
	deleted bool
	next    atomic.Pointer[version]
}

// chain is a key's version list, newest first. Its address is shared by
// every copy of the tree, so prepending is visible to all views at once;
// readers filter by their snapshot LSN.
type chain struct {
	head atomic.Pointer[version]
}

// item is what the B-tree holds: the key and its chain.
type item struct {
	key []byte
	c   *chain
}

func itemLess(a, b item) bool { return bytes.Compare(a.key, b.key) < 0 }

type tree = btree.BTreeG[item]

// treeDegree is the B-tree degree (nodes hold up to 2*degree-1 items).
var treeDegree = 64

func newTree() *tree {
	return btree.NewBTreeGOptions(itemLess, btree.Options{NoLocks: true, Degree: treeDegree})
}

// visible returns the newest version at or below ts, or nil.
func (c *chain) visible(ts uint64) *version {
	for v := c.head.Load(); v != nil; v = v.next.Load() {
		if v.ts <= ts {
			return v
		}
	}
	return nil
}

// prepend adds v as the newest version and prunes what no snapshot at or
// above watermark can see: everything after the first version <= watermark.
func (c *chain) prepend(v *version, watermark uint64) {
	old := c.head.Load()
	v.next.Store(old)
	c.head.Store(v)
	pruneAfter(v, watermark)
}

func pruneAfter(v *version, watermark uint64) {
	for ; v != nil; v = v.next.Load() {
		if v.ts <= watermark {
			v.next.Store(nil)
			return
		}
	}
}

// view is an immutable snapshot: a tree copy holding every key committed at
// or below ts.
type view struct {
	ts   uint64
	tree *tree
}

type btreeHint struct{ h btree.PathHint }
