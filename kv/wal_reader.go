package kv

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// walReader follows the WAL from an LSN: it reads frames from segment files
// up to the durable LSN and then waits for the log to advance. It only ever
// parses frames of durable records, whose bytes the writer finished writing
// before it published their LSN as durable.
//
// It reads a segment in chunks (one syscall per chunk, not two per record)
// and returns records whose keys, values and attachments alias the chunk.
// A chunk is never written again once a record points into it, so records
// stay valid however long the caller keeps them; keeping one keeps its
// chunk (at most readerChunk bytes, or one frame if larger) in memory.
type walReader struct {
	w        *WAL
	next     uint64 // LSN of the record to return next
	file     *os.File
	segFirst uint64
	buf      []byte // bytes of file from offset bufOff; read-only once filled
	bufOff   int64
	pos      int    // offset in buf of the next frame
	scratch  []byte // read target, reused until records may alias it
	closed   chan struct{}
}

// readerChunk is how much of a segment one read fetches.
const readerChunk = 64 << 10

// NewReader implements CommitLog.
func (w *WAL) NewReader(from uint64) (LogReader, error) {
	if from == 0 {
		from = 1
	}
	r := &walReader{w: w, next: from, closed: make(chan struct{})}
	if from <= w.DurableLSN() {
		if err := r.openFor(from); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *walReader) openFor(lsn uint64) error {
	path, first, ok := r.w.segmentFor(lsn)
	if !ok {
		return fmt.Errorf("%w: LSN %d (log starts at %d)", ErrNotRetained, lsn, r.w.FirstLSN())
	}
	return r.open(path, first)
}

func (r *walReader) open(path string, first uint64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: LSN %d: %v", ErrNotRetained, r.next, err)
	}
	if r.file != nil {
		r.file.Close()
	}
	r.file, r.segFirst = f, first
	r.buf, r.bufOff, r.pos = nil, 0, 0
	return nil
}

// Next implements LogReader.
func (r *walReader) Next(done <-chan struct{}) (*Record, error) {
	for {
		if r.next <= r.w.DurableLSN() {
			return r.readDurable()
		}
		// Take the channel before checking again, so an advance between
		// the check and the wait is not missed.
		adv := r.w.advancedCh()
		if r.next <= r.w.DurableLSN() {
			return r.readDurable()
		}
		if err := r.w.Err(); err != nil {
			return nil, err
		}
		select {
		case <-adv:
		case <-done:
			return nil, ErrClosed
		case <-r.closed:
			return nil, ErrClosed
		}
	}
}

// readDurable returns record r.next, which is known to be on disk.
func (r *walReader) readDurable() (*Record, error) {
	if r.file == nil {
		if err := r.openFor(r.next); err != nil {
			return nil, err
		}
	}
	for {
		payload, err := r.readFrame()
		if err == io.EOF {
			// The record is durable, so it is in a later segment.
			path, first, ok := r.w.nextSegment(r.segFirst)
			if !ok {
				return nil, fmt.Errorf("%w: LSN %d is durable but not found after segment %016x", ErrCorrupt, r.next, r.segFirst)
			}
			if err := r.open(path, first); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		lsn := binary.LittleEndian.Uint64(payload)
		if lsn < r.next {
			continue
		}
		if lsn != r.next {
			return nil, fmt.Errorf("%w: expected LSN %d, found %d", ErrCorrupt, r.next, lsn)
		}
		rec, err := decodeRecord(payload)
		if err != nil {
			return nil, fmt.Errorf("%w: record %d: %v", ErrCorrupt, lsn, err)
		}
		r.next++
		return rec, nil
	}
}

// recordWithOp lets a one-op record (the common case) and its op share one
// allocation.
type recordWithOp struct {
	Record
	op [1]Op
}

// decodeRecord decodes payload into a new record that aliases it.
func decodeRecord(payload []byte) (*Record, error) {
	rw := &recordWithOp{}
	rw.Ops = rw.op[:0]
	if err := decodePayloadInto(payload, &rw.Record); err != nil {
		return nil, err
	}
	if len(rw.Ops) == 0 {
		rw.Ops = nil
	}
	return &rw.Record, nil
}

// fill reads up to want bytes at off into a buffer no record aliases yet
// and makes it the current chunk. A full read hands the scratch buffer over
// to the records; a short one (the end of the segment, or the tail a
// follower waits at) is copied to an exact-size chunk so the scratch buffer
// is reused.
func (r *walReader) fill(off int64, want int) (int, error) {
	if cap(r.scratch) < want {
		r.scratch = make([]byte, max(want, readerChunk))
	}
	n, err := r.file.ReadAt(r.scratch[:want], off)
	if err != nil && err != io.EOF {
		return 0, err
	}
	if n == want {
		r.buf, r.scratch = r.scratch[:n:n], nil
	} else {
		r.buf = append([]byte(nil), r.scratch[:n]...)
	}
	r.bufOff, r.pos = off, 0
	return n, nil
}

// readFrame returns the payload of the frame at the read position and
// moves past it. io.EOF: the segment has no more
// frames.
func (r *walReader) readFrame() ([]byte, error) {
	if payload, n, ok := parseFrame(r.buf[r.pos:]); ok {
		r.pos += n
		return payload, nil
	}
	// Not a whole frame in the buffer: read afresh from its start.
	off := r.bufOff + int64(r.pos)
	want := readerChunk
	for {
		n, err := r.fill(off, want)
		if err != nil {
			return nil, err
		}
		if n < frameHeaderLen {
			return nil, io.EOF
		}
		size := binary.LittleEndian.Uint32(r.buf[0:4])
		if size == 0 && allZero(r.buf[:n]) {
			return nil, io.EOF // the unwritten, zero-filled part of a segment
		}
		if size < payloadHeaderLen || size > maxFrameLen {
			return nil, fmt.Errorf("%w: %s at offset %d: bad frame length %d", ErrCorrupt, r.file.Name(), off, size)
		}
		if need := int(size) + frameHeaderLen; need > n {
			if n == want { // a frame larger than the chunk
				want = need
				continue
			}
			return nil, fmt.Errorf("%w: %s at offset %d: frame of %d bytes is cut short", ErrCorrupt, r.file.Name(), off, size)
		}
		payload, fn, ok := parseFrame(r.buf)
		if !ok {
			return nil, fmt.Errorf("%w: %s at offset %d: checksum mismatch", ErrCorrupt, r.file.Name(), off)
		}
		r.pos = fn
		return payload, nil
	}
}

// Close implements LogReader.
func (r *walReader) Close() error {
	select {
	case <-r.closed:
	default:
		close(r.closed)
	}
	if r.file != nil {
		return r.file.Close()
	}
	return nil
}
