package executor

import "github.com/prkdb/prkdb-sql/sql/types"

// hashBPChar hashes a set operation's row with the trailing blanks of its
// char(n) columns dropped (hashbpchar).
func (s *SetOp) hashBPChar(row []types.Datum) uint64 {
	h := uint64(14695981039346656037)
	for c, d := range row[:s.Width] {
		if s.BPChar[c] && d.K == types.KindText {
			d.S = types.BPCharTrim(d.S)
		}
		h = types.Hash(d, h)
	}
	return h
}

// equalBPChar compares two rows as equalCols does, char(n) columns
// without their trailing blanks (bpchareq).
func (s *SetOp) equalBPChar(a, b []types.Datum) bool {
	for c := 0; c < s.Width; c++ {
		x, y := a[c], b[c]
		if (x.K == types.KindNull) != (y.K == types.KindNull) {
			return false
		}
		if x.K == types.KindNull {
			continue
		}
		if s.BPChar[c] && x.K == types.KindText && y.K == types.KindText {
			if types.CompareBPChar(x.S, y.S) != 0 {
				return false
			}
		} else if types.Compare(x, y) != 0 {
			return false
		}
	}
	return true
}
