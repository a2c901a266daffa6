package tsearch

import (
	"sort"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// Evaluation of tsvector @@ tsquery, as TS_execute and TS_phrase_execute
// in src/backend/utils/adt/tsvector_op.c: three-valued, because a lexeme
// without positions (a stripped vector) cannot say whether a phrase
// matches.
type tri uint8

const (
	triNo tri = iota
	triYes
	triMaybe
)

// Match is tsvector @@ tsquery. An empty query matches nothing (but an
// empty vector matches !x).
func Match(v *types.TSVector, q *types.TSQuery) bool {
	if q == nil || q.Root == nil {
		return false
	}
	return execNode(vectorSource{v}, q.Root) != triNo
}

// operandSource answers for the operands of a query: whether one is
// present and, when positions are wanted (inside a phrase), where, in
// ascending order. A vector answers @@ (checkcondition_str); ts_rank_cd's
// cover search answers from the part of the document it has seen
// (checkcondition_QueryOperand).
type operandSource interface {
	check(n *types.TSNode, wantPos bool) (tri, []int)
}

type vectorSource struct{ v *types.TSVector }

func (s vectorSource) check(n *types.TSNode, wantPos bool) (tri, []int) {
	if !wantPos {
		for _, l := range entries(s.v, n) {
			if n.Weight == 0 || len(l.Pos) == 0 {
				return triYes, nil
			}
			for _, p := range l.Pos {
				if weightOK(n.Weight, p) {
					return triYes, nil
				}
			}
		}
		return triNo, nil
	}
	var pos []int
	for _, l := range entries(s.v, n) {
		if len(l.Pos) == 0 {
			return triMaybe, nil
		}
		for _, p := range l.Pos {
			if weightOK(n.Weight, p) {
				pos = append(pos, types.TSPosition(p))
			}
		}
	}
	if len(pos) == 0 {
		return triNo, nil
	}
	sort.Ints(pos)
	return triYes, pos
}

// entries returns the lexemes an operand matches: the equal one, or with
// :* every lexeme it is a prefix of.
func entries(v *types.TSVector, n *types.TSNode) []types.TSLexeme {
	ls := v.Lexemes
	i := sort.Search(len(ls), func(i int) bool { return ls[i].Word >= n.Word })
	if !n.Prefix {
		if i < len(ls) && ls[i].Word == n.Word {
			return ls[i : i+1]
		}
		return nil
	}
	j := i
	for j < len(ls) && strings.HasPrefix(ls[j].Word, n.Word) {
		j++
	}
	return ls[i:j]
}

// weightOK reports whether position p has a weight in mask (0 = any).
func weightOK(mask uint8, p uint16) bool {
	return mask == 0 || mask&(1<<types.TSWeight(p)) != 0
}

func execNode(src operandSource, n *types.TSNode) tri {
	switch n.Op {
	case types.TSVal:
		r, _ := src.check(n, false)
		return r
	case types.TSNot:
		switch execNode(src, n.R) {
		case triNo:
			return triYes
		case triYes:
			return triNo
		}
		return triMaybe
	case types.TSAnd:
		l := execNode(src, n.L)
		if l == triNo {
			return triNo
		}
		r := execNode(src, n.R)
		if r == triNo {
			return triNo
		}
		if l == triYes && r == triYes {
			return triYes
		}
		return triMaybe
	case types.TSOr:
		l := execNode(src, n.L)
		if l == triYes {
			return triYes
		}
		r := execNode(src, n.R)
		if r == triYes {
			return triYes
		}
		if l == triNo && r == triNo {
			return triNo
		}
		return triMaybe
	}
	// A phrase whose positions are unknown does not match (PostgreSQL
	// keeps this for compatibility with its older implementation).
	var d phraseData
	if execPhrase(src, n, &d) == triYes {
		return triYes
	}
	return triNo
}

// phraseData is ExecPhraseData: the end positions of a match, its width,
// and negate meaning "everywhere except these positions".
type phraseData struct {
	pos    []int
	width  int
	negate bool
}

func execPhrase(src operandSource, n *types.TSNode, d *phraseData) tri {
	switch n.Op {
	case types.TSVal:
		r, pos := src.check(n, true)
		d.pos = pos
		return r
	case types.TSNot:
		switch execPhrase(src, n.R, d) {
		case triNo:
			d.negate = true
			return triYes
		case triYes:
			if len(d.pos) > 0 {
				d.negate = !d.negate
				return triYes
			}
			if d.negate {
				d.negate = false
				return triNo
			}
		}
		return triMaybe
	}
	var ld, rd phraseData
	var lm, rm tri
	if n.Op == types.TSOr {
		lm, rm = execPhrase(src, n.L, &ld), execPhrase(src, n.R, &rd)
		if lm == triNo && rm == triNo {
			return triNo
		}
	} else {
		if lm = execPhrase(src, n.L, &ld); lm == triNo {
			return triNo
		}
		if rm = execPhrase(src, n.R, &rd); rm == triNo {
			return triNo
		}
	}
	if lm == triMaybe || rm == triMaybe {
		return triMaybe
	}
	if lm == triNo {
		ld.width = 0
	}
	if rm == triNo {
		rd.width = 0
	}
	var loff, roff int
	if n.Op == types.TSPhrase {
		loff = n.Dist + rd.width
		d.width = n.Dist + ld.width + rd.width
	} else {
		d.width = max(ld.width, rd.width)
		loff, roff = d.width-ld.width, d.width-rd.width
	}
	const both, lOnly, rOnly = 1, 2, 4
	var emit int
	negate := false
	switch {
	case n.Op == types.TSOr && ld.negate && rd.negate:
		emit, negate = both, true
	case n.Op == types.TSOr && ld.negate:
		emit, negate = lOnly, true
	case n.Op == types.TSOr && rd.negate:
		emit, negate = rOnly, true
	case n.Op == types.TSOr:
		emit = both | lOnly | rOnly
	case ld.negate && rd.negate:
		emit, negate = both|lOnly|rOnly, true
	case ld.negate:
		emit = rOnly
	case rd.negate:
		emit = lOnly
	default:
		emit = both
	}
	d.pos = mergePhrase(ld.pos, rd.pos, loff, roff, emit)
	d.negate = negate
	if negate || len(d.pos) > 0 {
		return triYes
	}
	return triNo
}

// mergePhrase is TS_phrase_output: walks both sorted position lists
// (shifted by their offsets) and keeps positions on both sides, on the
// left only or on the right only, as emit says.
func mergePhrase(l, r []int, loff, roff, emit int) []int {
	var out []int
	i, j := 0, 0
	for i < len(l) || j < len(r) {
		switch {
		case j >= len(r) || (i < len(l) && l[i]+loff < r[j]+roff):
			if emit&2 != 0 {
				out = append(out, l[i]+loff)
			}
			i++
		case i >= len(l) || r[j]+roff < l[i]+loff:
			if emit&4 != 0 {
				out = append(out, r[j]+roff)
			}
			j++
		default:
			if emit&1 != 0 {
				out = append(out, l[i]+loff)
			}
			i++
			j++
		}
	}
	return out
}
