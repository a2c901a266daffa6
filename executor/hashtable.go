package executor

import "github.com/prkdb/prkdb-sql/sql/types"

// joinTable holds a hash join's inner rows grouped by hash bucket: the
// rows of bucket b are contiguous, at positions [start[b], start[b+1]), in
// one flat array where each row is preceded by a slot holding its hash.
// A probe therefore reads one start entry and then the candidate rows
// themselves, whose first slot rejects a different hash without a
// separate lookup: two cache misses per probe, where a map of row-index
// slices over separately allocated rows took four or five (it was most of
// the time of a 1M × 100k join).
type joinTable struct {
	mask   uint64
	stride int           // datums per stored row: 1 (the hash) + row width
	start  []int32       // bucket -> first position; start[len-1] = row count
	rows   []types.Datum // position k at rows[k*stride:], slot 0: I = hash
	orig   []int32       // position -> index of the row in the inner input
}

// build groups rows (skipping those for which skip is true: NULL keys
// never match) by the hash hashOf gives.
func (t *joinTable) build(rows [][]types.Datum, width int, hashOf func([]types.Datum) uint64, skip func([]types.Datum) bool) {
	size := 1
	for size < 2*len(rows) {
		size <<= 1
	}
	t.mask, t.stride = uint64(size-1), width+1
	t.start = resize(t.start, size+1)
	clear(t.start)
	hashes := make([]uint64, len(rows))
	n := 0
	for i, r := range rows {
		if skip(r) {
			continue
		}
		h := hashOf(r)
		hashes[i] = h
		t.start[h&t.mask]++
		n++
	}
	// Counts to start positions (exclusive prefix sums), then place each
	// row at the next free position of its bucket.
	pos := int32(0)
	for b := 0; b < size; b++ {
		c := t.start[b]
		t.start[b] = pos
		pos += c
	}
	t.start[size] = pos
	next := append([]int32(nil), t.start[:size]...)
	t.rows = resize(t.rows, n*t.stride)
	t.orig = resize(t.orig, n)
	for i, r := range rows {
		if skip(r) {
			continue
		}
		b := hashes[i] & t.mask
		k := int(next[b])
		next[b]++
		dst := t.rows[k*t.stride : (k+1)*t.stride]
		dst[0] = types.Datum{I: int64(hashes[i])}
		copy(dst[1:], r)
		t.orig[k] = int32(i)
	}
}

// bucket returns the positions [from, to) that may hold rows hashing to h.
func (t *joinTable) bucket(h uint64) (from, to int32) {
	b := h & t.mask
	return t.start[b], t.start[b+1]
}

// row returns the stored row at position k, and whether its hash is h.
func (t *joinTable) row(k int32, h uint64) ([]types.Datum, bool) {
	r := t.rows[int(k)*t.stride : (int(k)+1)*t.stride]
	return r[1:], uint64(r[0].I) == h
}

func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
