package kv

import (
	"sync/atomic"
	"unsafe"

	"github.com/tidwall/btree"
)

// version is one value of a key, written by the commit with LSN lsn().
// Versions are immutable once published except for next, which pruning
// may cut (atomically) once no snapshot can reach past it.
//
// It is 32 bytes (a size class of its own): the deletion flag lives in the
// top bit of the LSN and the value is held as a string header aliasing the
// committed bytes (16 bytes instead of a slice's 24). One is allocated per
// key per commit, so its size is most of kv's own memory per key.
type version struct {
	stamp uint64 // LSN | deletedBit
	next  atomic.Pointer[version]
	val   string // the value's bytes (never modified; see Txn.Put)
}

const deletedBit = 1 << 63

func newVersion(lsn uint64, value []byte, deleted bool) *version {
	v := &version{}
	v.init(lsn, value, deleted)
	return v
}

func (v *version) init(lsn uint64, value []byte, deleted bool) {
	v.stamp, v.val = lsn, bytesString(value)
	if deleted {
		v.stamp |= deletedBit
	}
}

func (v *version) lsn() uint64        { return v.stamp &^ deletedBit }
func (v *version) deleted() bool      { return v.stamp&deletedBit != 0 }
func (v *version) setLSN(lsn uint64)  { v.stamp = lsn | v.stamp&deletedBit }
func (v *version) valueBytes() []byte { return stringBytes(v.val) }

// emptyValue is what a zero-length live value reads as: a non-nil empty
// slice, as Put was given (a string header does not keep that distinction).
var emptyValue = []byte{}

// bytesString and stringBytes convert without copying. kv never modifies
// keys or values it was given (callers promise not to either: Txn.Put), so
// aliasing them as strings is safe and saves a word per key in the tree
// and in every version.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func stringBytes(s string) []byte {
	if len(s) == 0 {
		return emptyValue
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// chain is a key's version list, newest first. Its address is shared by
// every copy of the tree, so prepending is visible to all views at once;
// readers filter by their snapshot LSN.
type chain struct {
	head atomic.Pointer[version]
}

// item is what the B-tree holds: the key and its chain. The key is a
// string header aliasing the committed key bytes: 24-byte items instead of
// 32 make the tree smaller and every copy-on-write clone of a node cheaper.
type item struct {
	key string
	c   *chain
}

func itemLess(a, b item) bool { return a.key < b.key }

// keyItem is the search item for key (the string aliases it for the call).
func keyItem(key []byte) item { return item{key: bytesString(key)} }

func (it item) keyBytes() []byte { return stringBytes(it.key) }

type tree = btree.BTreeG[item]

// treeDegree is the B-tree degree: nodes hold up to 2*degree-1 = 169
// items. With 24-byte items a node's item array (capacity 170) is 4,080
// bytes, which the allocator serves from its 4 KiB size class, two to a
// span: after the copy-on-write churn of a bulk load a partly used span
// wastes little. Degree 64 (arrays of 3 KiB, eight to a span) left the
// heap 20% larger than the live data for the same tree; lookups cost the
// same. Benchmarks may change it (KV_DEGREE) before the first tree is made.
var treeDegree = 85

func newTree() *tree {
	return btree.NewBTreeGOptions(itemLess, btree.Options{NoLocks: true, Degree: treeDegree})
}

// visible returns the newest version at or below ts, or nil.
func (c *chain) visible(ts uint64) *version {
	for v := c.head.Load(); v != nil; v = v.next.Load() {
		if v.lsn() <= ts {
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
		if v.lsn() <= watermark {
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
