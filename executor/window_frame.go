package executor

import (
	"sort"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Window frames in ROWS, RANGE and GROUPS mode with EXCLUDE, as
// PostgreSQL's nodeWindowAgg.c computes them (sql-expressions.html
// #SYNTAX-WINDOW-FUNCTIONS).

// peers describes a partition's peer groups (rows with equal ORDER BY
// values): the group of each row and each group's first and last row.
type peers struct {
	group      []int
	start, end []int // per group
}

func partitionPeers(rs []winRow, keys []SortKey) *peers {
	p := &peers{group: make([]int, len(rs))}
	for i := range rs {
		if i == 0 || CompareRows(rs[i-1].order, rs[i].order, keys) != 0 {
			p.start = append(p.start, i)
			p.end = append(p.end, i)
		}
		g := len(p.start) - 1
		p.group[i], p.end[g] = g, i
	}
	return p
}

func (p *peers) first(i int) int { return p.start[p.group[i]] }
func (p *peers) last(i int) int  { return p.end[p.group[i]] }

// frameRows returns the rows [lo, hi] of row i's frame (lo > hi: empty).
func (w *Window) frameRows(c *Ctx, sp *WindowSpec, rs []winRow, i int, p *peers) (int, int, error) {
	f, n := sp.Frame, len(rs)
	count := func(e Eval, what string) (int, error) {
		v, err := e(c.Eval, nil)
		if err != nil {
			return 0, err
		}
		if v.K == types.KindNull {
			return 0, pgerror.New(pgerror.NullValueNotAllowed, "frame %s offset must not be null", what)
		}
		if v.I < 0 {
			return 0, pgerror.New(pgerror.InvalidPrecedingOrFollowingSize, "frame %s offset must not be negative", what)
		}
		return int(min(v.I, int64(n)+1)), nil
	}
	// rangeBound is the first row sorting after (strict) or at-or-after the
	// bound value of row i.
	rangeBound := func(e Eval, preceding, strict bool) (int, error) {
		row := w.rows[rs[i].idx]
		v, err := e(c.Eval, row)
		if err != nil {
			return 0, err
		}
		key := sp.OrderKeys[:1]
		cur := rs[i].order[:1]
		bv := []types.Datum{v}
		if cur[0].K != types.KindNull && v.K != types.KindNull {
			if c := CompareRows(bv, cur, key); (preceding && c > 0) || (!preceding && c < 0) {
				return 0, pgerror.New(pgerror.InvalidPrecedingOrFollowingSize, "invalid preceding or following size in window function")
			}
		}
		return sort.Search(n, func(k int) bool {
			c := CompareRows(rs[k].order[:1], bv, key)
			return c > 0 || (!strict && c == 0)
		}), nil
	}
	lo, hi := 0, n-1
	switch {
	case f&bound.FrameStartUnboundedP != 0:
	case f&bound.FrameStartCurrentRow != 0:
		lo = i
		if f&(bound.FrameRange|bound.FrameGroups) != 0 {
			lo = p.first(i)
		}
	case f&(bound.FrameStartOffsetP|bound.FrameStartOffsetF) != 0:
		preceding := f&bound.FrameStartOffsetP != 0
		if f&bound.FrameRange != 0 {
			k, err := rangeBound(sp.StartBound, preceding, false)
			if err != nil {
				return 0, 0, err
			}
			lo = k
			break
		}
		o, err := count(sp.StartOffset, "starting")
		if err != nil {
			return 0, 0, err
		}
		if preceding {
			o = -o
		}
		if f&bound.FrameGroups != 0 {
			switch g := p.group[i] + o; {
			case g < 0:
				lo = 0
			case g >= len(p.start):
				lo = n
			default:
				lo = p.start[g]
			}
		} else {
			lo = i + o
		}
	}
	switch {
	case f&bound.FrameEndUnboundedF != 0:
	case f&bound.FrameEndCurrentRow != 0:
		hi = i
		if f&(bound.FrameRange|bound.FrameGroups) != 0 {
			hi = p.last(i)
		}
	case f&(bound.FrameEndOffsetP|bound.FrameEndOffsetF) != 0:
		preceding := f&bound.FrameEndOffsetP != 0
		if f&bound.FrameRange != 0 {
			k, err := rangeBound(sp.EndBound, preceding, true)
			if err != nil {
				return 0, 0, err
			}
			hi = k - 1
			break
		}
		o, err := count(sp.EndOffset, "ending")
		if err != nil {
			return 0, 0, err
		}
		if preceding {
			o = -o
		}
		if f&bound.FrameGroups != 0 {
			switch g := p.group[i] + o; {
			case g < 0:
				hi = -1
			case g >= len(p.start):
				hi = n - 1
			default:
				hi = p.end[g]
			}
		} else {
			hi = i + o
		}
	}
	return max(lo, 0), min(hi, n-1), nil
}

// frameMembers lists the frame's rows [lo, hi] without those its EXCLUDE
// clause removes; buf is reused.
func frameMembers(buf []int, f int32, i, lo, hi int, p *peers) []int {
	buf = buf[:0]
	for k := lo; k <= hi; k++ {
		switch {
		case f&bound.FrameExcludeCurrent != 0 && k == i:
			continue
		case f&bound.FrameExcludeGroup != 0 && p.group[k] == p.group[i]:
			continue
		case f&bound.FrameExcludeTies != 0 && k != i && p.group[k] == p.group[i]:
			continue
		}
		buf = append(buf, k)
	}
	return buf
}
