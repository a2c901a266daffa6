package tsearch

import (
	"math"
	"sort"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// ts_rank_cd: cover density ranking (Clarke, Cormack and Tudhope, "Relevance
// ranking for one to three term queries"), as calc_rank_cd in
// src/backend/utils/adt/tsrank.c computes it. The document is reduced to
// the positions of lexemes the query names; a cover is a shortest stretch
// of them that satisfies the query; each cover adds its density to the
// rank, and fewer "noise" words inside it count for more.

// docPos is one position of the reduced document (DocRepresentation): the
// operands that match the lexeme there.
type docPos struct {
	pos   uint16 // WordEntryPos (weight bits included)
	entry int    // index of the lexeme in the vector
	items []*types.TSNode
}

// docRep is get_docrep: the positions of every operand's lexemes (with the
// operand's weight restriction, lexemes without positions left out),
// sorted by position, weight and lexeme, entries at one position of one
// lexeme merged.
func docRep(v *types.TSVector, q *types.TSQuery) []docPos {
	var raw []docPos
	var walk func(n *types.TSNode)
	walk = func(n *types.TSNode) {
		if n == nil {
			return
		}
		if n.Op != types.TSVal {
			// Polish order, as the query is stored: operator, right, left.
			walk(n.R)
			walk(n.L)
			return
		}
		for _, l := range entries(v, n) {
			idx := sort.Search(len(v.Lexemes), func(i int) bool { return v.Lexemes[i].Word >= l.Word })
			for _, p := range l.Pos {
				if weightOK(n.Weight, p) {
					raw = append(raw, docPos{pos: p, entry: idx, items: []*types.TSNode{n}})
				}
			}
		}
	}
	walk(q.Root)
	if len(raw) == 0 {
		return nil
	}
	sort.SliceStable(raw, func(i, j int) bool {
		a, b := raw[i], raw[j]
		if types.TSPosition(a.pos) != types.TSPosition(b.pos) {
			return types.TSPosition(a.pos) < types.TSPosition(b.pos)
		}
		if types.TSWeight(a.pos) != types.TSWeight(b.pos) {
			return types.TSWeight(a.pos) < types.TSWeight(b.pos)
		}
		return a.entry < b.entry
	})
	out := raw[:1]
	for _, d := range raw[1:] {
		last := &out[len(out)-1]
		if d.pos == last.pos && d.entry == last.entry {
			last.items = append(last.items, d.items...)
			continue
		}
		out = append(out, d)
	}
	return out
}

// coverState is QueryRepresentation: the operands seen so far in one
// direction of the cover search, with their positions.
type coverState map[*types.TSNode][]int

func (s coverState) check(n *types.TSNode, wantPos bool) (tri, []int) {
	pos, ok := s[n]
	if !ok {
		return triNo, nil
	}
	return triYes, pos
}

// fill is fillQueryRepresentationData: the operands at d are present, at
// its position (kept ascending whichever way the search walks).
func (s coverState) fill(d *docPos, reverse bool) {
	p := types.TSPosition(d.pos)
	for _, n := range d.items {
		pos, ok := s[n]
		switch {
		case !ok:
			s[n] = []int{p}
		case reverse && pos[0] != p:
			s[n] = append([]int{p}, pos...)
		case !reverse && pos[len(pos)-1] != p:
			s[n] = append(pos, p)
		}
	}
}

// cover is Cover: from start, the first stretch [begin, end] of doc that
// satisfies the query, narrowed from the left; next is where the search
// goes on.
func cover(doc []docPos, q *types.TSQuery, start int) (begin, end, next int, ok bool) {
	for ; start < len(doc); start++ {
		st := coverState{}
		end = -1
		for i := start; i < len(doc); i++ {
			st.fill(&doc[i], false)
			if execNode(st, q.Root) != triNo {
				end = i
				break
			}
		}
		if end < 0 {
			return 0, 0, 0, false
		}
		st = coverState{}
		begin = -1
		i := end
		for ; i >= start; i-- {
			st.fill(&doc[i], true)
			if execNode(st, q.Root) != triNo {
				begin = i
				break
			}
		}
		if begin >= 0 && types.TSPosition(doc[begin].pos) <= types.TSPosition(doc[end].pos) {
			return begin, end, i + 1, true
		}
	}
	return 0, 0, 0, false
}

// RankCD is ts_rank_cd(weights, vector, query, normalization).
func RankCD(w [4]float32, v *types.TSVector, q *types.TSQuery, method int) float32 {
	if q == nil || q.Root == nil {
		return 0
	}
	var invws [4]float64
	for i, x := range w {
		invws[i] = 1.0 / float64(x)
	}
	doc := docRep(v, q)
	if doc == nil {
		return 0
	}
	var wdoc, sumDist, prevExtPos float64
	nExtent := 0
	for start := 0; ; {
		begin, end, next, ok := cover(doc, q, start)
		if !ok {
			break
		}
		start = next
		invSum := 0.0
		for i := begin; i <= end; i++ {
			invSum += invws[types.TSWeight(doc[i].pos)]
		}
		cpos := float64(end-begin+1) / invSum
		p, qq := types.TSPosition(doc[begin].pos), types.TSPosition(doc[end].pos)
		// With positions clamped at the end of long documents p may equal
		// q; the noise is then taken as half the cover.
		nNoise := (qq - p) - (end - begin)
		if nNoise < 0 {
			nNoise = (end - begin) / 2
		}
		wdoc += cpos / float64(1+nNoise)
		curExtPos := float64(qq+p) / 2.0
		if nExtent > 0 && curExtPos > prevExtPos {
			sumDist += 1.0 / (curExtPos - prevExtPos)
		}
		prevExtPos = curExtPos
		nExtent++
	}
	length := 0
	for _, l := range v.Lexemes {
		length += max(len(l.Pos), 1)
	}
	if method&1 != 0 && len(v.Lexemes) > 0 {
		wdoc /= math.Log(float64(length) + 1)
	}
	if method&2 != 0 && length > 0 {
		wdoc /= float64(length)
	}
	if method&4 != 0 && nExtent > 0 && sumDist > 0 {
		wdoc /= float64(nExtent) / sumDist
	}
	if method&8 != 0 && len(v.Lexemes) > 0 {
		wdoc /= float64(len(v.Lexemes))
	}
	if method&16 != 0 && len(v.Lexemes) > 0 {
		wdoc /= math.Log(float64(len(v.Lexemes))+1) / math.Log(2)
	}
	if method&32 != 0 {
		wdoc /= wdoc + 1
	}
	return float32(wdoc)
}
