package executor

import (
	"fmt"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// NestedLoop joins every left row with the right side's rows (materialized
// once per Open) where On holds. Outer joins fill the missing side with
// NULLs; a RIGHT or FULL join emits unmatched right rows at the end.
type NestedLoop struct {
	Estimated
	mem                   memHeld // rows held against the query's memory budget
	Left, Right           Node
	Kind                  bound.JoinKind
	On                    Eval // over left||right; nil = always
	LeftWidth, RightWidth int
	OnText                string
	HashText              string // EXPLAIN's "Hash Cond"
	// HashKeys, when set, are equality pairs (left column, right column):
	// the right side is hashed on them and probed, instead of scanned.
	HashLeft, HashRight []int
	// Lateral: the right side reads the left row (pushed as the enclosing
	// row of its OuterRefs), so it is evaluated again for every left row.
	Lateral bool

	right     [][]types.Datum
	arena     []types.Datum // the right rows' values, back to back
	ends      []int         // end of each right row in arena
	hashed    bool          // the right rows are indexed by table
	builtKB   int64         // memory of the last hash table built (EXPLAIN ANALYZE)
	table     joinTable     // right rows by the hash of their keys
	matched   []bool
	left      []types.Datum
	probeHash uint64 // the current left row's key hash
	cursor    int32  // next position to try in its bucket
	bucketEnd int32  // end of that bucket
	ri        int
	leftDone  bool
	leftMatch bool
	tail      int
	out       []types.Datum
}

func (j *NestedLoop) Open(c *Ctx) error {
	j.right, j.hashed, j.left, j.leftDone, j.tail = j.right[:0], false, nil, false, 0
	j.out = make([]types.Datum, j.LeftWidth+j.RightWidth)
	if j.Lateral {
		return j.Left.Open(c)
	}
	if err := j.loadRight(c); err != nil {
		return err
	}
	if len(j.HashRight) > 0 {
		j.hashed = true
		j.table.build(j.right, j.RightWidth,
			func(r []types.Datum) uint64 { return hashCols(r, j.HashRight) },
			func(r []types.Datum) bool { return HasNull(r, j.HashRight) }) // NULL never equals anything
		j.builtKB = (j.mem.n + 1023) / 1024
	}
	j.matched = make([]bool, len(j.right))
	return j.Left.Open(c)
}

// loadRight materializes the right side's rows. A LATERAL (or index
// nested loop) join reloads them for every left row, so it copies them
// into one reused array (arena) rather than allocating each; a join that
// loads once copies rows one by one, which avoids growing (and leaving
// behind as garbage) one large array by doubling.
func (j *NestedLoop) loadRight(c *Ctx) error {
	j.right = j.right[:0]
	j.arena, j.ends = j.arena[:0], j.ends[:0]
	j.mem.release()
	err := Drain(c, j.Right, func(row []types.Datum) error {
		if err := j.mem.grow(c, rowBytes(row)); err != nil {
			return err
		}
		if !j.Lateral {
			j.right = append(j.right, copyRow(row))
			return nil
		}
		j.arena = append(j.arena, row...)
		j.ends = append(j.ends, len(j.arena))
		return nil
	})
	start := 0
	for _, end := range j.ends {
		// Full slice expressions: a row never grows into its neighbour.
		j.right = append(j.right, j.arena[start:end:end])
		start = end
	}
	return err
}

// candidates starts the search for right rows matching the current left
// row: its hash chain, or every right row when the join is not hashed.
func (j *NestedLoop) candidates() {
	j.ri, j.cursor, j.bucketEnd = 0, 0, 0
	if j.hashed && !HasNull(j.left, j.HashLeft) {
		j.probeHash = hashCols(j.left, j.HashLeft)
		j.cursor, j.bucketEnd = j.table.bucket(j.probeHash)
	}
}

// nextCandidate returns the next right row that may match the current
// left row, and its index in the right input.
func (j *NestedLoop) nextCandidate() ([]types.Datum, int, bool) {
	if j.hashed {
		for j.cursor < j.bucketEnd {
			k := j.cursor
			j.cursor++
			r, sameHash := j.table.row(k, j.probeHash)
			if sameHash && equalPairs(j.left, r, j.HashLeft, j.HashRight) {
				return r, int(j.table.orig[k]), true
			}
		}
		return nil, 0, false
	}
	if j.ri < len(j.right) {
		j.ri++
		return j.right[j.ri-1], j.ri - 1, true
	}
	return nil, 0, false
}

func (j *NestedLoop) Next(c *Ctx) ([]types.Datum, error) {
	for !j.leftDone {
		if j.left == nil {
			row, err := j.Left.Next(c)
			if err != nil {
				return nil, err
			}
			if row == nil {
				j.leftDone = true
				break
			}
			j.left, j.ri, j.leftMatch = row, 0, false
			if j.Lateral {
				left := copyRow(row)
				c.Eval.Outer = append(c.Eval.Outer, left)
				err := j.loadRight(c)
				c.Eval.Outer = c.Eval.Outer[:len(c.Eval.Outer)-1]
				if err != nil {
					return nil, err
				}
				j.left = left
				j.matched = resize(j.matched, len(j.right))
				clear(j.matched)
			}
			j.candidates()
		}
		for {
			r, idx, ok := j.nextCandidate()
			if !ok {
				break
			}
			copy(j.out, j.left)
			copy(j.out[j.LeftWidth:], r)
			if j.On != nil {
				ok, err := evalBool(j.On, c.Eval, j.out)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			j.leftMatch = true
			j.matched[idx] = true
			return j.out, nil
		}
		left := j.left
		j.left = nil
		if !j.leftMatch && (j.Kind == bound.JoinLeft || j.Kind == bound.JoinFull) {
			copy(j.out, left)
			clearRow(j.out[j.LeftWidth:])
			return j.out, nil
		}
	}
	if j.Kind == bound.JoinRight || j.Kind == bound.JoinFull {
		for j.tail < len(j.right) {
			i := j.tail
			j.tail++
			if j.matched[i] {
				continue
			}
			clearRow(j.out[:j.LeftWidth])
			copy(j.out[j.LeftWidth:], j.right[i])
			return j.out, nil
		}
	}
	return nil, nil
}

func equalPairs(l, r []types.Datum, lc, rc []int) bool {
	for i := range lc {
		x, y := &l[lc[i]], &r[rc[i]]
		if x.K == types.KindInt && y.K == types.KindInt {
			// Integers of every width compare by value (the common key).
			if x.I != y.I {
				return false
			}
			continue
		}
		if types.Compare(*x, *y) != 0 {
			return false
		}
	}
	return true
}

func clearRow(r []types.Datum) {
	for i := range r {
		r[i] = types.Datum{}
	}
}

func (j *NestedLoop) Close() {
	j.Left.Close()
	j.right, j.arena, j.ends = nil, nil, nil
	j.hashed = false
	j.mem.release()
}

func (j *NestedLoop) Explain() *Explain {
	// PostgreSQL's names: "Hash Join", "Hash Left Join", "Nested Loop",
	// "Nested Loop Left Join".
	name, kind := "Nested Loop", ""
	switch j.Kind {
	case bound.JoinLeft:
		kind = " Left"
	case bound.JoinRight:
		kind = " Right"
	case bound.JoinFull:
		kind = " Full"
	}
	switch {
	case len(j.HashLeft) > 0:
		name = "Hash" + kind + " Join"
	case kind != "":
		name += kind + " Join"
	}
	e := &Explain{Name: name, Children: []Node{j.Left, j.Right}}
	if len(j.HashLeft) > 0 {
		// PostgreSQL shows the inner side under a Hash node, and the
		// hash keys as "Hash Cond".
		h := &HashBuild{Input: j.Right, buckets: len(j.table.start) - 1, memKB: j.builtKB}
		if re, ok := j.Right.(Estimator); ok {
			h.est = *re.Est()
			h.est.Startup = h.est.Total
		}
		e.Children[1] = h
		if j.HashText != "" {
			e.Details = append(e.Details, "Hash Cond: "+j.HashText)
		}
	}
	if j.OnText != "" {
		e.Details = append(e.Details, "Join Filter: "+j.OnText)
	}
	return e
}

// HashBuild stands for the hash table a hash join builds from its inner
// side, shown as PostgreSQL's "Hash" node in EXPLAIN. The join builds the
// table itself; HashBuild only passes its input through.
type HashBuild struct {
	Estimated
	Input Node

	buckets int   // of the last table built (0: never built)
	memKB   int64 // its rows' memory
}

func (h *HashBuild) Open(c *Ctx) error                  { return h.Input.Open(c) }
func (h *HashBuild) Next(c *Ctx) ([]types.Datum, error) { return h.Input.Next(c) }
func (h *HashBuild) Close()                             { h.Input.Close() }
func (h *HashBuild) Explain() *Explain {
	e := &Explain{Name: "Hash", Children: []Node{h.Input}}
	if h.buckets > 0 {
		// PostgreSQL's line; there is only ever one batch (no spilling).
		e.Analyzed = []string{fmt.Sprintf("Buckets: %d  Batches: 1  Memory Usage: %dkB", h.buckets, h.memKB)}
	}
	return e
}
