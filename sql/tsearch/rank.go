package tsearch

import (
	"math"
	"sort"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// ts_rank as src/backend/utils/adt/tsrank.c computes it, in float4
// arithmetic where PostgreSQL uses float so that the values agree to the
// last printed digit.

// DefaultWeights are ts_rank's weights of D, C, B and A.
var DefaultWeights = [4]float32{0.1, 0.2, 0.4, 1.0}

// maxEntryPos is MAXENTRYPOS: the distance given to two lexemes without
// positions.
const maxEntryPos = 1 << 14

// Rank is ts_rank(weights, vector, query, normalization).
func Rank(w [4]float32, v *types.TSVector, q *types.TSQuery, method int) float32 {
	if len(v.Lexemes) == 0 || q == nil || q.Root == nil {
		return 0
	}
	var res float32
	if q.Root.Op == types.TSAnd || q.Root.Op == types.TSPhrase {
		res = rankAnd(w, v, q)
	} else {
		res = rankOr(w, v, q)
	}
	if res < 0 {
		res = 1e-20
	}
	return normalize(res, v, method)
}

// normalize applies the normalization bits of ts_rank (1: divide by
// 1 + log(document length), 2: by the length, 8: by the number of unique
// words, 16: by 1 + log of that, 32: rank / (rank + 1)).
func normalize(res float32, v *types.TSVector, method int) float32 {
	length := 0
	for _, l := range v.Lexemes {
		length += max(len(l.Pos), 1)
	}
	if method&1 != 0 && len(v.Lexemes) > 0 {
		res = float32(float64(res) / math.Log(float64(length)+1) * math.Log(2))
	}
	if method&2 != 0 && length > 0 {
		res /= float32(length)
	}
	if method&8 != 0 && len(v.Lexemes) > 0 {
		res /= float32(len(v.Lexemes))
	}
	if method&16 != 0 && len(v.Lexemes) > 0 {
		res = float32(float64(res) / math.Log(float64(len(v.Lexemes))+1) * math.Log(2))
	}
	if method&32 != 0 {
		res /= res + 1
	}
	return res
}

// queryOperands is SortAndUniqItems: the distinct operands of the query
// (including those under !), by lexeme.
func queryOperands(q *types.TSQuery) []*types.TSNode {
	var out []*types.TSNode
	var walk func(n *types.TSNode)
	walk = func(n *types.TSNode) {
		if n == nil {
			return
		}
		if n.Op == types.TSVal {
			out = append(out, n)
			return
		}
		walk(n.L)
		walk(n.R)
	}
	walk(q.Root)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Word < out[j].Word })
	uniq := out[:0]
	for _, n := range out {
		if len(uniq) > 0 && uniq[len(uniq)-1].Word == n.Word {
			continue
		}
		uniq = append(uniq, n)
	}
	return uniq
}

func wpos(w [4]float32, p uint16) float32 { return w[types.TSWeight(p)] }

func rankOr(w [4]float32, v *types.TSVector, q *types.TSQuery) float32 {
	items := queryOperands(q)
	var res float32
	for _, it := range items {
		for _, l := range entries(v, it) {
			pos := l.Pos
			if len(pos) == 0 {
				pos = []uint16{0}
			}
			var resj float32
			wjm := float32(-1)
			jm := 0
			for j, p := range pos {
				resj += wpos(w, p) / float32((j+1)*(j+1))
				if wpos(w, p) > wjm {
					wjm = wpos(w, p)
					jm = j
				}
			}
			// limit of sum(1/i^2) = pi^2/6 = 1.64493406685
			res = float32(float64(res) + float64(wjm+resj-wjm/float32((jm+1)*(jm+1)))/1.64493406685)
		}
	}
	if len(items) > 0 {
		res /= float32(len(items))
	}
	return res
}

func wordDistance(d int) float32 {
	if d > 100 {
		return 1e-30
	}
	return float32(1.0 / (1.005 + 0.05*math.Exp(float64(float32(d))/1.5-2)))
}

func rankAnd(w [4]float32, v *types.TSVector, q *types.TSQuery) float32 {
	items := queryOperands(q)
	if len(items) < 2 {
		return rankOr(w, v, q)
	}
	// A lexeme without positions counts as one at MAXENTRYPOS - 1.
	posNull := []uint16{maxEntryPos - 1}
	pos := make([][]uint16, len(items))
	isNull := make([]bool, len(items))
	res := float32(-1)
	for i, it := range items {
		for _, l := range entries(v, it) {
			pos[i], isNull[i] = l.Pos, len(l.Pos) == 0
			if isNull[i] {
				pos[i] = posNull
			}
			for k := 0; k < i; k++ {
				if pos[k] == nil {
					continue
				}
				for _, pl := range pos[i] {
					for _, pk := range pos[k] {
						dist := types.TSPosition(pl) - types.TSPosition(pk)
						if dist < 0 {
							dist = -dist
						}
						if dist != 0 || isNull[i] || isNull[k] {
							if dist == 0 {
								dist = maxEntryPos
							}
							curw := float32(math.Sqrt(float64(wpos(w, pl) * wpos(w, pk) * wordDistance(dist))))
							if res < 0 {
								res = curw
							} else {
								res = float32(1.0 - (1.0-float64(res))*(1.0-float64(curw)))
							}
						}
					}
				}
			}
		}
	}
	return res
}
