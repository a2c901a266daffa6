package sql

import (
	"encoding/binary"
	"math"
	"sync"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// sequences hands out sequence values. As in PostgreSQL, nextval is not
// transactional: a value once handed out is never handed out again, even
// if the transaction that took it rolls back.
//
// Durability without a write per value: each sequence reserves a range by
// committing its new high-water mark (kv key catalog.SequenceKey) before
// handing out values below it. After a crash the sequence resumes at the
// mark, skipping at most one range, as PostgreSQL skips up to 32 values
// (SEQ_LOG_VALS). The range grows when refills come fast, so bulk inserts
// through serial columns do not wait on an fsync every few rows.
type sequences struct {
	store *kv.Store
	mu    sync.Mutex
	state map[uint32]*seqState
}

type seqState struct {
	mu       sync.Mutex
	loaded   bool
	last     int64 // last value handed out (or start-inc before the first)
	called   bool
	reserved int64 // values up to here (in the direction of inc) are durable to hand out
	chunk    int64
	refilled time.Time
}

func newSequences(st *kv.Store) *sequences {
	return &sequences{store: st, state: map[uint32]*seqState{}}
}

func (sq *sequences) get(oid uint32) *seqState {
	sq.mu.Lock()
	defer sq.mu.Unlock()
	s := sq.state[oid]
	if s == nil {
		s = &seqState{chunk: 32}
		sq.state[oid] = s
	}
	return s
}

// Persisted layout: last i64 | called u8 | reserved i64.
func encodeSeq(last int64, called bool, reserved int64) []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(last))
	c := byte(0)
	if called {
		c = 1
	}
	b = append(b, c)
	return binary.BigEndian.AppendUint64(b, uint64(reserved))
}

func (sq *sequences) load(seq *catalog.Sequence, s *seqState) error {
	if s.loaded {
		return nil
	}
	txn := sq.store.Begin(kv.ReadCommitted)
	v, ok, err := txn.Get(catalog.SequenceKey(seq.OID))
	txn.Rollback()
	if err != nil {
		return err
	}
	if ok && len(v) == 17 {
		// Resume past everything that may have been handed out.
		s.reserved = int64(binary.BigEndian.Uint64(v[9:]))
		s.last = s.reserved
		s.called = v[8] == 1
		if !s.called {
			s.last = int64(binary.BigEndian.Uint64(v[:8]))
			s.reserved = s.last
		}
	} else {
		s.last, s.called, s.reserved = seq.Start, false, seq.Start
	}
	s.loaded = true
	return nil
}

// persist commits the sequence's state in a transaction of its own.
func (sq *sequences) persist(oid uint32, last int64, called bool, reserved int64) error {
	txn := sq.store.Begin(kv.ReadCommitted)
	txn.Put(catalog.SequenceKey(oid), encodeSeq(last, called, reserved))
	_, err := txn.Commit()
	return err
}

func seqLimitError(seq *catalog.Sequence, up bool) error {
	if up {
		return pgerror.New(pgerror.SequenceGeneratorLimitExceeded, "nextval: reached maximum value of sequence \"%s\" (%d)", seq.Name, seq.Max)
	}
	return pgerror.New(pgerror.SequenceGeneratorLimitExceeded, "nextval: reached minimum value of sequence \"%s\" (%d)", seq.Name, seq.Min)
}

// next returns the sequence's next value.
func (sq *sequences) next(seq *catalog.Sequence) (int64, error) {
	s := sq.get(seq.OID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := sq.load(seq, s); err != nil {
		return 0, err
	}
	var v int64
	if !s.called {
		v = s.last
	} else {
		nv, overflow := addOverflow(s.last, seq.Increment)
		if overflow || nv > seq.Max || nv < seq.Min {
			if !seq.Cycle {
				return 0, seqLimitError(seq, seq.Increment > 0)
			}
			if seq.Increment > 0 {
				nv = seq.Min
			} else {
				nv = seq.Max
			}
			s.reserved = nv - seq.Increment // force a refill
		}
		v = nv
	}
	up := seq.Increment > 0
	if (up && v > s.reserved) || (!up && v < s.reserved) || (!s.called && v == s.reserved) {
		if time.Since(s.refilled) < 100*time.Millisecond && s.chunk < 1<<16 {
			s.chunk *= 2
		}
		r, overflow := addOverflow(v, seq.Increment*s.chunk)
		if overflow || r > seq.Max || r < seq.Min {
			if up {
				r = seq.Max
			} else {
				r = seq.Min
			}
		}
		if err := sq.persist(seq.OID, v, true, r); err != nil {
			return 0, err
		}
		s.reserved, s.refilled = r, time.Now()
	}
	s.last, s.called = v, true
	return v, nil
}

// set implements setval.
func (sq *sequences) set(seq *catalog.Sequence, v int64, called bool) error {
	if v < seq.Min || v > seq.Max {
		return pgerror.New(pgerror.NumericValueOutOfRange, "setval: value %d is out of bounds for sequence \"%s\" (%d..%d)", v, seq.Name, seq.Min, seq.Max)
	}
	s := sq.get(seq.OID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := sq.persist(seq.OID, v, called, v); err != nil {
		return err
	}
	s.loaded, s.last, s.called, s.reserved = true, v, called, v
	return nil
}

// drop forgets a dropped sequence's state.
func (sq *sequences) drop(oid uint32) {
	sq.mu.Lock()
	delete(sq.state, oid)
	sq.mu.Unlock()
}

// flush writes exact positions at a clean shutdown so no range is skipped.
func (sq *sequences) flush() {
	sq.mu.Lock()
	defer sq.mu.Unlock()
	for oid, s := range sq.state {
		s.mu.Lock()
		if s.loaded && s.called {
			sq.persist(oid, s.last, true, s.last)
			s.reserved = s.last
		}
		s.mu.Unlock()
	}
}

func addOverflow(a, b int64) (int64, bool) {
	c := a + b
	return c, (b > 0 && c < a) || (b < 0 && c > a)
}

// sequenceBounds fills PostgreSQL's defaults for a sequence of type bits.
func sequenceBounds(seq *catalog.Sequence, bits int) {
	max := int64(math.MaxInt64)
	switch bits {
	case 16:
		max = math.MaxInt16
	case 32:
		max = math.MaxInt32
	}
	if seq.Increment == 0 {
		seq.Increment = 1
	}
	if seq.Increment > 0 {
		if seq.Min == 0 {
			seq.Min = 1
		}
		if seq.Max == 0 {
			seq.Max = max
		}
		if seq.Start == 0 {
			seq.Start = seq.Min
		}
	} else {
		if seq.Min == 0 {
			seq.Min = -max - 1
		}
		if seq.Max == 0 {
			seq.Max = -1
		}
		if seq.Start == 0 {
			seq.Start = seq.Max
		}
	}
	if seq.Cache == 0 {
		seq.Cache = 1
	}
}
