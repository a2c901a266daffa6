package stream

import (
	"fmt"
	"strconv"
	"strings"
)

// LSNs as replication clients see them.
//
// kv numbers commit records 1, 2, 3 ...; PostgreSQL's LSNs are byte
// positions in the WAL, and clients do arithmetic on them (pglogrepl's
// examples acknowledge XLogData.WALStart + len(WALData)). So record n is
// shown as the 4 GiB range [n<<32, (n+1)<<32): its transaction begins at
// n<<32, its i-th change is at n<<32 + 1 + i, its commit record is at
// CommitLSN(n) and it ends at EndLSN(n) = (n+1)<<32, which is where the
// next record begins. A position acknowledged anywhere inside a record's
// range never covers a later record.
//
// A transaction is delivered from a start position p when its commit LSN
// is >= p, as PostgreSQL's SnapBuildXactNeedsSkip (commit record start <
// start_decoding_at is skipped): acknowledging a transaction's end LSN (what
// CommitMessage.TransactionEndLSN carries) confirms it; acknowledging a
// position before its commit does not.

const commitOffset = 0xF0000000

// FirstLSN is where record n's transaction begins (Begin's XLogData).
func FirstLSN(n uint64) uint64 { return n << 32 }

// ChangeLSN is the position of the i-th change (from 0) of record n.
func ChangeLSN(n uint64, i int) uint64 { return n<<32 + 1 + uint64(i) }

// CommitLSN is the position of record n's commit (Begin's final LSN).
func CommitLSN(n uint64) uint64 { return n<<32 | commitOffset }

// EndLSN is the end of record n (Commit's end LSN).
func EndLSN(n uint64) uint64 { return (n + 1) << 32 }

// RecordOf is the kv record a client position lies in.
func RecordOf(p uint64) uint64 { return p >> 32 }

// FirstUndelivered is the first kv record delivered from position p: the
// lowest n with CommitLSN(n) >= p.
func FirstUndelivered(p uint64) uint64 {
	n := p >> 32
	if p&0xFFFFFFFF > commitOffset {
		n++
	}
	if n == 0 {
		n = 1
	}
	return n
}

// FormatLSN prints an LSN as PostgreSQL does (%X/%X).
func FormatLSN(p uint64) string {
	return fmt.Sprintf("%X/%X", uint32(p>>32), uint32(p))
}

// ParseLSN reads PostgreSQL's X/X form.
func ParseLSN(s string) (uint64, bool) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, false
	}
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return h<<32 | l, true
}
