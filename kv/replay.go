package kv

import (
	"encoding/binary"
	"slices"
	"strings"

	"github.com/tidwall/btree"
)

// Recovery replays the log tail into the writer tree in two stages on two
// goroutines: the reading goroutine checks and decodes each record, copies
// its keys and values out of the segment buffer and allocates their chains
// and versions; the applying goroutine only inserts the prepared items into
// the tree, which is the serial part (a random insert into a large tree
// costs several cache misses per level).
//
// No snapshot exists during recovery, so every key keeps only its newest
// version: an insert replaces whatever chain the key had.

const replayBatch = 1 << 18

type replayItem struct {
	prefix uint64 // first 8 key bytes, big-endian, zero-padded: orders most pairs without touching the key
	seq    int32  // log order, for equal keys
	del    bool   // a tombstone (kept here so apply need not load the chain)
	it     item
}

func keyPrefix(k []byte) uint64 {
	if len(k) >= 8 {
		return binary.BigEndian.Uint64(k)
	}
	var b [8]byte
	copy(b[:], k)
	return binary.BigEndian.Uint64(b[:])
}

func cmpReplayItem(x, y replayItem) int {
	if x.prefix != y.prefix {
		if x.prefix < y.prefix {
			return -1
		}
		return 1
	}
	if c := strings.Compare(x.it.key, y.it.key); c != 0 {
		return c
	}
	return int(x.seq - y.seq)
}

type replayer struct {
	s     *Store
	rec   Record // reused for every record
	batch []replayItem
	todo  chan []replayItem
	free  chan []replayItem
	done  chan struct{}
}

func (s *Store) startReplay() *replayer {
	rp := &replayer{s: s, todo: make(chan []replayItem, 1), free: make(chan []replayItem, 2), done: make(chan struct{})}
	for range 2 {
		rp.free <- make([]replayItem, 0, replayBatch)
	}
	rp.batch = <-rp.free
	go rp.apply()
	return rp
}

// record is openWAL's replay callback. payload is only valid during the
// call: keys and values are copied, key and value into one allocation.
func (rp *replayer) record(lsn uint64, payload []byte) error {
	if err := decodePayloadInto(payload, &rp.rec); err != nil {
		return decodeError{err}
	}
	for i := range rp.rec.Ops {
		op := &rp.rec.Ops[i]
		kl := len(op.Key)
		buf := make([]byte, kl+len(op.Value))
		copy(buf, op.Key)
		copy(buf[kl:], op.Value)
		del := op.Kind == OpDelete
		c := &chain{}
		c.head.Store(newVersion(lsn, buf[kl:], del))
		rp.batch = append(rp.batch, replayItem{prefix: keyPrefix(op.Key), seq: int32(len(rp.batch)), del: del,
			it: item{key: bytesString(buf[:kl]), c: c}})
		if len(rp.batch) == replayBatch {
			rp.todo <- rp.batch
			rp.batch = <-rp.free
		}
	}
	rp.s.sinceCkpt.Add(int64(len(payload)))
	return nil
}

// apply runs on its own goroutine until finish.
func (rp *replayer) apply() {
	defer close(rp.done)
	s := rp.s
	for b := range rp.todo {
		// Sorted (log order kept among equal keys), the batch's inserts walk
		// the tree left to right and find their path in cache.
		slices.SortFunc(b, cmpReplayItem)
		var hint btree.PathHint
		for i := range b {
			s.writer.SetHint(b[i].it, &hint)
			if b[i].del {
				s.dead = append(s.dead, deadKey{key: b[i].it.key, lsn: b[i].it.c.head.Load().lsn()})
			}
		}
		clear(b)
		rp.free <- b[:0]
	}
}

// finish hands over the last batch and waits until everything is applied.
func (rp *replayer) finish() {
	if len(rp.batch) > 0 {
		rp.todo <- rp.batch
	}
	close(rp.todo)
	<-rp.done
}
