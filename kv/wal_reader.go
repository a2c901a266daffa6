package kv

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// walReader follows the WAL from an LSN: it reads frames from segment files
// up to the durable LSN and then waits for the log to advance. It only ever
// reads bytes the writer finished writing, because a record's bytes are
// written before its LSN is published as durable.
type walReader struct {
	w        *WAL
	next     uint64 // LSN of the record to return next
	file     *os.File
	segFirst uint64
	off      int64
	buf      []byte
	closed   chan struct{}
}

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
	r.file, r.segFirst, r.off = f, first, 0
	return nil
}

// Next implements LogReader.
func (r *walReader) Next(done <-chan struct{}) (*Record, error) {
	for {
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
		rec, err := decodePayload(payload)
		if err != nil {
			return nil, fmt.Errorf("%w: record %d: %v", ErrCorrupt, lsn, err)
		}
		r.next++
		return rec, nil
	}
}

// readFrame reads the frame at r.off. The payload is freshly allocated so
// the returned record may be retained by the caller.
func (r *walReader) readFrame() ([]byte, error) {
	var hdr [frameHeaderLen]byte
	n, err := r.file.ReadAt(hdr[:], r.off)
	if n < frameHeaderLen {
		if err == nil || err == io.EOF {
			return nil, io.EOF
		}
		return nil, err
	}
	size := binary.LittleEndian.Uint32(hdr[0:4])
	if size < payloadHeaderLen || size > maxFrameLen {
		return nil, fmt.Errorf("%w: %s at offset %d: bad frame length %d", ErrCorrupt, r.file.Name(), r.off, size)
	}
	payload := make([]byte, size)
	if _, err := r.file.ReadAt(payload, r.off+frameHeaderLen); err != nil {
		return nil, fmt.Errorf("%w: %s at offset %d: %v", ErrCorrupt, r.file.Name(), r.off, err)
	}
	if crc := binary.LittleEndian.Uint32(hdr[4:8]); crc != crcOf(payload) {
		return nil, fmt.Errorf("%w: %s at offset %d: checksum mismatch", ErrCorrupt, r.file.Name(), r.off)
	}
	r.off += frameHeaderLen + int64(size)
	return payload, nil
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
