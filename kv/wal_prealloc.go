package kv

import (
	"os"
	"path/filepath"
	"syscall"
)

// Segment preallocation. fdatasync after an append that grows the file must
// also write the file's new size (a metadata journal commit on ext4); after
// a write into blocks that already exist and hold zeros it flushes the data
// alone. On this project's machines that made each commit's sync about a
// quarter faster, so, as PostgreSQL does with its WAL, the next segment is
// written full of zeros in the background and renamed into place when the
// open one fills. Nothing reads the zeros as records: a zero frame length is
// never valid, and recovery and readers take an all-zero remainder as the
// clean end of a segment (see scanFrames, walReader.readFrame).
//
// Only the fsync mode preallocates (with SyncOff nothing waits for the
// disk), and a segment is never waited for: if the prepared one is not
// ready, rotate creates an empty file as before.

const preparedName = "next-segment.tmp"

// prepared is a zero-filled, synced file of the segment size, ready to be
// renamed into place by rotate; the preparing goroutine sends its result.
type prepared struct {
	done chan error
}

// prepareNext starts writing the next segment's file (writer goroutine or
// open only).
func (w *WAL) prepareNext() {
	if w.opts.Sync != SyncFsync || w.next != nil {
		return
	}
	p := &prepared{done: make(chan error, 1)}
	w.next = p
	path, size := filepath.Join(w.dir, preparedName), w.opts.SegmentSize
	go func() { p.done <- writeZeros(path, size) }()
}

// takePrepared renames the prepared file to path if it is ready, and says
// whether it did.
func (w *WAL) takePrepared(path string) bool {
	p := w.next
	if p == nil {
		return false
	}
	select {
	case err := <-p.done:
		w.next = nil
		if err != nil {
			w.log.Warn("wal: preparing the next segment failed; appending instead", "err", err)
			return false
		}
		return os.Rename(filepath.Join(w.dir, preparedName), path) == nil
	default:
		return false // still being written: do not make the commit wait
	}
}

// waitPrepared lets a preparation in flight finish (Close).
func (w *WAL) waitPrepared() {
	if w.next != nil {
		<-w.next.done
		w.next = nil
	}
}

func writeZeros(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	zeros := make([]byte, 1<<20)
	for off := int64(0); off < size; off += int64(len(zeros)) {
		n := min(int64(len(zeros)), size-off)
		if _, err := f.Write(zeros[:n]); err != nil {
			f.Close()
			return err
		}
	}
	if err := syscall.Fdatasync(int(f.Fd())); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// allZero reports whether b holds only zero bytes: the unwritten part of a
// preallocated segment.
func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
