package kv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// SyncMode says how the WAL makes a batch durable.
type SyncMode int

const (
	// SyncFsync: fdatasync after every batch (the default; group commit
	// makes concurrent committers share it).
	SyncFsync SyncMode = iota
	// SyncOff: write to the OS and acknowledge at once. A machine crash can
	// lose acknowledged commits; a process crash cannot. For tests only.
	SyncOff
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const (
	frameHeaderLen = 8       // u32 payload length | u32 crc32c(payload)
	maxFrameLen    = 1 << 30 // a record larger than 1 GiB is corrupt
	walSuffix      = ".wal"
	defaultSegment = 16 << 20 // bytes before the WAL starts a new segment (as PostgreSQL)
)

// WALOptions configure OpenWAL.
type WALOptions struct {
	Sync        SyncMode
	SegmentSize int64 // 0 = 16 MiB
	Logger      *slog.Logger
}

type segment struct {
	firstLSN uint64
	path     string
	size     int64 // bytes written (only meaningful for the open one)
}

type pendingRecord struct {
	lsn     uint64
	payload []byte
}

// WAL is the local CommitLog: segment files of CRC-framed records, written
// by one goroutine that turns everything queued during one fsync into the
// next batch (group commit).
type WAL struct {
	dir  string
	opts WALOptions
	log  *slog.Logger

	mu        sync.Mutex
	queue     []pendingRecord
	spare     []pendingRecord
	batchDone chan struct{} // closed when the batch being queued is durable
	wake      chan struct{}
	closing   bool
	closed    chan struct{}

	// advanced is closed and replaced at every durable advance; readers wait on it.
	advMu    sync.Mutex
	advanced chan struct{}

	segMu    sync.Mutex
	segments []segment // ascending by firstLSN; the last one is open for append
	file     *os.File  // the open segment (writer goroutine only, after open)

	durable   atomic.Uint64
	stats     walCounters
	failure   atomic.Pointer[error]
	onDurable func(lsn uint64)
	buf       []byte
	next      *prepared // the next segment being zero-filled (writer only)
}

// OpenWAL opens (or creates) the WAL in dir, validates it, and calls replay
// for every record with LSN > after, in order. A torn or corrupt tail of the
// newest segment is cut with a warning; corruption followed by valid records,
// or in an older segment, or a gap in LSNs, is refused with ErrCorrupt naming
// the file and offset. It returns the WAL and the last LSN it holds (or after,
// if it holds nothing newer).
func OpenWAL(dir string, opts WALOptions, after uint64, replay func(*Record) error) (*WAL, uint64, error) {
	var fn func(lsn uint64, payload []byte) error
	if replay != nil {
		fn = func(lsn uint64, payload []byte) error {
			// The payload buffer is reused: the record gets its own copy.
			rec, err := decodePayload(bytes.Clone(payload))
			if err != nil {
				return decodeError{err}
			}
			return replay(rec)
		}
	}
	return openWAL(dir, opts, after, fn)
}

// openWAL is OpenWAL with the raw payload of each record, which is only
// valid during the call (segments are read into one reused buffer). A
// decodeError from replay is reported as corruption of that record; other
// errors are returned as they are.
func openWAL(dir string, opts WALOptions, after uint64, replay func(lsn uint64, payload []byte) error) (*WAL, uint64, error) {
	if opts.SegmentSize <= 0 {
		opts.SegmentSize = defaultSegment
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, 0, err
	}
	w := &WAL{dir: dir, opts: opts, log: opts.Logger, wake: make(chan struct{}, 1),
		closed: make(chan struct{}), batchDone: make(chan struct{}), advanced: make(chan struct{})}
	segs, err := listSegments(dir)
	if err != nil {
		return nil, 0, err
	}
	last := after
	prev := uint64(0) // last LSN seen in the log, for the continuity check
	var buf []byte
	for i := range segs {
		isLast := i == len(segs)-1
		var end int64
		var lastLSN uint64
		end, lastLSN, buf, err = scanSegment(&segs[i], buf, isLast, prev, func(lsn uint64, payload []byte) error {
			if lsn <= after {
				return nil
			}
			if lsn != last+1 {
				return fmt.Errorf("%w: %s: LSN %d follows %d: records are missing", ErrCorrupt, segs[i].path, lsn, last)
			}
			last = lsn
			if replay == nil {
				return nil
			}
			if err := replay(lsn, payload); err != nil {
				if de, ok := err.(decodeError); ok {
					return fmt.Errorf("%w: %s: record %d: %v", ErrCorrupt, segs[i].path, lsn, de.error)
				}
				return err
			}
			return nil
		}, w.log)
		if err != nil {
			return nil, 0, err
		}
		segs[i].size = end
		if lastLSN > 0 {
			prev = lastLSN
		}
	}
	if prev > last {
		last = prev
	}
	w.durable.Store(last)
	if len(segs) == 0 {
		segs = append(segs, segment{firstLSN: last + 1, path: segmentPath(dir, last+1)})
		if opts.Sync == SyncFsync {
			// A new log: its first segment is preallocated too (once, at
			// creation), so the first commits' syncs are as cheap as later ones.
			if err := writeZeros(segs[0].path, opts.SegmentSize); err != nil {
				return nil, 0, err
			}
		}
	}
	open := &segs[len(segs)-1]
	f, err := os.OpenFile(open.path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, 0, err
	}
	if err := dropTail(f, open.size); err != nil {
		f.Close()
		return nil, 0, err
	}
	if _, err := f.Seek(open.size, 0); err != nil {
		f.Close()
		return nil, 0, err
	}
	if err := syncDir(dir); err != nil {
		f.Close()
		return nil, 0, err
	}
	w.file = f
	w.segments = segs
	os.Remove(filepath.Join(dir, preparedName)) // maybe half-written by a crash
	w.prepareNext()
	go w.writer()
	return w, last, nil
}

// dropTail makes the open segment end at size for recovery's purposes: a
// cut tail is zeroed where the segment was preallocated (keeping its
// blocks), truncated otherwise.
func dropTail(f *os.File, size int64) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() <= size {
		return nil
	}
	tail := make([]byte, st.Size()-size)
	if n, err := f.ReadAt(tail, size); err == nil && n == len(tail) && allZero(tail) {
		return nil
	}
	return f.Truncate(size)
}

// decodeError marks a replay failure caused by an undecodable record.
type decodeError struct{ error }

func segmentPath(dir string, firstLSN uint64) string {
	return filepath.Join(dir, fmt.Sprintf("%016x%s", firstLSN, walSuffix))
}

func listSegments(dir string) ([]segment, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var segs []segment
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, walSuffix) {
			continue
		}
		lsn, err := strconv.ParseUint(strings.TrimSuffix(name, walSuffix), 16, 64)
		if err != nil {
			continue
		}
		segs = append(segs, segment{firstLSN: lsn, path: filepath.Join(dir, name)})
	}
	sort.Slice(segs, func(i, j int) bool { return segs[i].firstLSN < segs[j].firstLSN })
	return segs, nil
}

// scanSegment validates every frame of one segment and calls fn for each.
// It returns the offset after the last valid frame, that frame's LSN, and
// the buffer it read the segment into (buf, grown if needed), for the next.
func scanSegment(seg *segment, buf []byte, isLast bool, prevLSN uint64, fn func(lsn uint64, payload []byte) error, log *slog.Logger) (int64, uint64, []byte, error) {
	data, err := readFileInto(seg.path, buf)
	if err != nil {
		return 0, 0, buf, err
	}
	off, lastLSN, err := scanFrames(seg, data, isLast, prevLSN, fn, log)
	return off, lastLSN, data, err
}

// readFileInto reads the whole file at path into buf's storage.
func readFileInto(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	n := int(st.Size())
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(f, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

func scanFrames(seg *segment, data []byte, isLast bool, prevLSN uint64, fn func(lsn uint64, payload []byte) error, log *slog.Logger) (int64, uint64, error) {
	off := 0
	var lastLSN uint64
	for off < len(data) {
		payload, n, ok := parseFrame(data[off:])
		if ok {
			lsn := binary.LittleEndian.Uint64(payload)
			if err := fn(lsn, payload); err != nil {
				return 0, 0, err
			}
			lastLSN = lsn
			off += n
			continue
		}
		// Zeros to the end: the unwritten part of a preallocated segment.
		if allZero(data[off:]) {
			return int64(off), lastLSN, nil
		}
		// A bad frame. It may be a torn tail (a crash mid-write) only if it is
		// in the newest segment and nothing valid follows it.
		if !isLast {
			return 0, 0, fmt.Errorf("%w: %s at offset %d: bad record in a sealed segment", ErrCorrupt, seg.path, off)
		}
		after := lastLSN
		if after == 0 {
			after = prevLSN
		}
		if at := findValidFrame(data, off+1, after); at >= 0 {
			return 0, 0, fmt.Errorf("%w: %s at offset %d: bad record followed by a valid one at offset %d", ErrCorrupt, seg.path, off, at)
		}
		log.Warn("wal: cutting torn tail", "file", seg.path, "offset", off, "bytes", len(data)-off)
		return int64(off), lastLSN, nil
	}
	return int64(off), lastLSN, nil
}

// parseFrame returns the payload of the frame at the start of b, its total
// length, and whether it is whole and its checksum matches.
func parseFrame(b []byte) ([]byte, int, bool) {
	if len(b) < frameHeaderLen {
		return nil, 0, false
	}
	n := binary.LittleEndian.Uint32(b[0:4])
	if n < payloadHeaderLen || n > maxFrameLen || int(n) > len(b)-frameHeaderLen {
		return nil, 0, false
	}
	payload := b[frameHeaderLen : frameHeaderLen+int(n)]
	if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(b[4:8]) {
		return nil, 0, false
	}
	return payload, frameHeaderLen + int(n), true
}

// findValidFrame looks for any whole, checksummed frame at or after from
// whose LSN is beyond after: evidence that the damage is not a torn tail.
func findValidFrame(data []byte, from int, after uint64) int {
	for i := from; i+frameHeaderLen+payloadHeaderLen <= len(data); i++ {
		if payload, _, ok := parseFrame(data[i:]); ok && binary.LittleEndian.Uint64(payload) > after {
			return i
		}
	}
	return -1
}

func appendFrame(dst, payload []byte) []byte {
	var hdr [frameHeaderLen]byte
	binary.LittleEndian.PutUint32(hdr[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(hdr[4:8], crc32.Checksum(payload, castagnoli))
	dst = append(dst, hdr[:]...)
	return append(dst, payload...)
}

// Append implements CommitLog.
func (w *WAL) Append(lsn uint64, payload []byte) <-chan struct{} {
	w.mu.Lock()
	w.queue = append(w.queue, pendingRecord{lsn: lsn, payload: payload})
	done := w.batchDone
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return done
}

// walCounters are cumulative counters the writer goroutine maintains.
type walCounters struct {
	batches, records, bytes, syncs, syncNanos atomic.Uint64
}

// WALStats are cumulative counters since OpenWAL, for metrics and
// benchmarks. Records/Batches is the group-commit factor; SyncTime/Syncs the
// mean fdatasync latency.
type WALStats struct {
	Batches  uint64        // writes, one per group of queued records
	Records  uint64        // records written
	Bytes    uint64        // framed bytes written
	Syncs    uint64        // fdatasyncs (0 with SyncOff)
	SyncTime time.Duration // total time spent in fdatasync
}

// Stats returns the WAL's cumulative counters.
func (w *WAL) Stats() WALStats {
	return WALStats{Batches: w.stats.batches.Load(), Records: w.stats.records.Load(),
		Bytes: w.stats.bytes.Load(), Syncs: w.stats.syncs.Load(),
		SyncTime: time.Duration(w.stats.syncNanos.Load())}
}

// SetOnDurable implements CommitLog. Call it before the first Append.
func (w *WAL) SetOnDurable(fn func(lsn uint64)) { w.onDurable = fn }

// DurableLSN implements CommitLog.
func (w *WAL) DurableLSN() uint64 { return w.durable.Load() }

// Err implements CommitLog.
func (w *WAL) Err() error {
	if p := w.failure.Load(); p != nil {
		return *p
	}
	return nil
}

func (w *WAL) fail(err error) {
	err = fmt.Errorf("%w: %v", ErrLogFailed, err)
	w.failure.CompareAndSwap(nil, &err)
	w.log.Error("wal: write failed; no further commits are accepted", "err", err)
}

// writer is the one goroutine that writes and syncs. Everything queued while
// it was busy becomes the next batch: that is group commit.
func (w *WAL) writer() {
	defer close(w.closed)
	for {
		w.mu.Lock()
		for len(w.queue) == 0 && !w.closing {
			w.mu.Unlock()
			<-w.wake
			w.mu.Lock()
		}
		if len(w.queue) == 0 && w.closing {
			w.mu.Unlock()
			return
		}
		batch := w.queue
		w.queue = w.spare[:0]
		done := w.batchDone
		w.batchDone = make(chan struct{})
		w.mu.Unlock()

		if w.Err() == nil {
			if err := w.writeBatch(batch); err != nil {
				w.fail(err)
			} else {
				last := batch[len(batch)-1].lsn
				w.durable.Store(last)
				if w.onDurable != nil {
					w.onDurable(last)
				}
				w.advMu.Lock()
				close(w.advanced)
				w.advanced = make(chan struct{})
				w.advMu.Unlock()
			}
		}
		close(done)
		for i := range batch {
			batch[i] = pendingRecord{}
		}
		w.spare = batch
	}
}

func (w *WAL) writeBatch(batch []pendingRecord) error {
	buf := w.buf[:0]
	for i := range batch {
		buf = appendFrame(buf, batch[i].payload)
	}
	if cap(buf) <= 8<<20 {
		w.buf = buf
	} else {
		w.buf = nil
	}
	if _, err := w.file.Write(buf); err != nil {
		return err
	}
	w.stats.batches.Add(1)
	w.stats.records.Add(uint64(len(batch)))
	w.stats.bytes.Add(uint64(len(buf)))
	if w.opts.Sync == SyncFsync {
		start := time.Now()
		if err := syscall.Fdatasync(int(w.file.Fd())); err != nil {
			return err
		}
		w.stats.syncs.Add(1)
		w.stats.syncNanos.Add(uint64(time.Since(start)))
	}
	w.segMu.Lock()
	cur := &w.segments[len(w.segments)-1]
	cur.size += int64(len(buf))
	full := cur.size >= w.opts.SegmentSize
	w.segMu.Unlock()
	if full {
		return w.rotate(batch[len(batch)-1].lsn + 1)
	}
	return nil
}

// rotate seals the open segment and starts one whose first LSN is next.
func (w *WAL) rotate(next uint64) error {
	if w.opts.Sync == SyncFsync {
		if err := w.file.Sync(); err != nil {
			return err
		}
	}
	if err := w.file.Close(); err != nil {
		return err
	}
	path := segmentPath(w.dir, next)
	flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if w.takePrepared(path) {
		flags = os.O_WRONLY
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return err
	}
	w.prepareNext()
	if err := syncDir(w.dir); err != nil {
		f.Close()
		return err
	}
	w.file = f
	w.segMu.Lock()
	w.segments = append(w.segments, segment{firstLSN: next, path: path})
	w.segMu.Unlock()
	return nil
}

// TruncateBefore implements CommitLog: it deletes sealed segments whose
// records all have LSN < keepFrom.
func (w *WAL) TruncateBefore(keepFrom uint64) error {
	w.segMu.Lock()
	var drop []segment
	for len(w.segments) > 1 && w.segments[1].firstLSN <= keepFrom {
		drop = append(drop, w.segments[0])
		w.segments = w.segments[1:]
	}
	w.segMu.Unlock()
	var errs []error
	for _, s := range drop {
		if err := os.Remove(s.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// FirstLSN implements CommitLog.
func (w *WAL) FirstLSN() uint64 {
	w.segMu.Lock()
	defer w.segMu.Unlock()
	return w.segments[0].firstLSN
}

// RetainedBytes implements CommitLog (segment granularity).
func (w *WAL) RetainedBytes(from uint64) int64 {
	w.segMu.Lock()
	defer w.segMu.Unlock()
	var n int64
	for i, s := range w.segments {
		if i+1 < len(w.segments) && w.segments[i+1].firstLSN <= from {
			continue
		}
		if i == len(w.segments)-1 {
			n += s.size
		} else if st, err := os.Stat(s.path); err == nil {
			n += st.Size()
		}
	}
	return n
}

// segmentFor returns the path of the segment holding lsn and whether the
// log still holds it.
func (w *WAL) segmentFor(lsn uint64) (string, uint64, bool) {
	w.segMu.Lock()
	defer w.segMu.Unlock()
	if lsn < w.segments[0].firstLSN {
		return "", 0, false
	}
	i := sort.Search(len(w.segments), func(i int) bool { return w.segments[i].firstLSN > lsn }) - 1
	return w.segments[i].path, w.segments[i].firstLSN, true
}

// nextSegment returns the segment after the one starting at firstLSN.
func (w *WAL) nextSegment(firstLSN uint64) (string, uint64, bool) {
	w.segMu.Lock()
	defer w.segMu.Unlock()
	for i, s := range w.segments {
		if s.firstLSN == firstLSN && i+1 < len(w.segments) {
			return w.segments[i+1].path, w.segments[i+1].firstLSN, true
		}
	}
	return "", 0, false
}

func (w *WAL) advancedCh() <-chan struct{} {
	w.advMu.Lock()
	defer w.advMu.Unlock()
	return w.advanced
}

// Close implements CommitLog: waits for queued records to be written.
func (w *WAL) Close() error {
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		<-w.closed
		return nil
	}
	w.closing = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.closed
	w.waitPrepared()
	var err error
	if w.opts.Sync == SyncFsync {
		err = w.file.Sync()
	}
	if cerr := w.file.Close(); err == nil {
		err = cerr
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func crcOf(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }
