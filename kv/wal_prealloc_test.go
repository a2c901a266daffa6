package kv

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// appendAll appends records lsn from..to with small payloads and waits for
// each to be durable.
func appendAll(t *testing.T, w *WAL, from, to uint64) {
	t.Helper()
	for lsn := from; lsn <= to; lsn++ {
		payload := encodePayload(nil, []Op{{Kind: OpPut, Key: []byte("k"), Value: bytes.Repeat([]byte{'v'}, 200)}}, nil)
		patchPayloadHeader(payload, lsn, 0)
		<-w.Append(lsn, payload)
		if err := w.Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// waitForPrepared waits until the background zero-fill of the next segment
// has finished, so the next rotation takes it.
func waitForPrepared(t *testing.T, dir string, size int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if st, err := os.Stat(filepath.Join(dir, preparedName)); err == nil && st.Size() == size {
			time.Sleep(10 * time.Millisecond) // its fdatasync
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("next segment was never prepared")
}

// TestPreallocatedSegments: with fsync, segments after the first are taken
// from the zero-filled file prepared in the background; recovery and log
// readers stop at the zeros; appending after a reopen continues in the
// preallocated blocks; a torn frame in front of zeros is cut.
func TestPreallocatedSegments(t *testing.T) {
	dir := t.TempDir()
	const seg = 16 << 10
	opts := WALOptions{Sync: SyncFsync, SegmentSize: seg}
	w, last, err := OpenWAL(dir, opts, 0, nil)
	if err != nil || last != 0 {
		t.Fatal(last, err)
	}
	if segs, _ := listSegments(dir); len(segs) != 1 {
		t.Fatalf("a new log has segments %v", segs)
	} else if st, _ := os.Stat(segs[0].path); st.Size() != seg {
		t.Fatalf("a new log's first segment is %d bytes, want the preallocated %d", st.Size(), seg)
	}
	waitForPrepared(t, dir, seg)
	appendAll(t, w, 1, 100) // ~23 KiB: one rotation into the prepared file
	segs, _ := listSegments(dir)
	if len(segs) != 2 {
		t.Fatalf("segments %v", segs)
	}
	if st, _ := os.Stat(segs[1].path); st.Size() != seg {
		t.Fatalf("second segment is %d bytes, want the preallocated %d", st.Size(), seg)
	}
	// A reader crosses into the preallocated segment and stops at its zeros.
	r, err := w.NewReader(1)
	if err != nil {
		t.Fatal(err)
	}
	for lsn := uint64(1); lsn <= 100; lsn++ {
		rec, err := r.Next(nil)
		if err != nil || rec.LSN != lsn {
			t.Fatalf("reader at %d: %v %v", lsn, rec, err)
		}
	}
	r.Close()
	w.Close()

	// Reopen: every record back, the zero tail kept (no truncation).
	var seen []uint64
	w, last, err = OpenWAL(dir, opts, 0, func(rec *Record) error { seen = append(seen, rec.LSN); return nil })
	if err != nil || last != 100 || len(seen) != 100 {
		t.Fatalf("reopen: last %d, %d records, %v", last, len(seen), err)
	}
	if st, _ := os.Stat(segs[1].path); st.Size() != seg {
		t.Fatalf("reopen truncated the preallocated segment to %d", st.Size())
	}
	appendAll(t, w, 101, 110)
	w.Close()

	// A torn frame (a header promising more than was written) before the
	// zeros is cut; everything acknowledged stays.
	data, _ := os.ReadFile(segs[1].path)
	end := 0
	for {
		_, n, ok := parseFrame(data[end:])
		if !ok {
			break
		}
		end += n
	}
	binary.LittleEndian.PutUint32(data[end:], 500)
	binary.LittleEndian.PutUint32(data[end+4:], 12345)
	os.WriteFile(segs[1].path, data, 0o644)
	seen = nil
	w, last, err = OpenWAL(dir, opts, 0, func(rec *Record) error { seen = append(seen, rec.LSN); return nil })
	if err != nil || last != 110 || len(seen) != 110 {
		t.Fatalf("after a torn frame: last %d, %d records, %v", last, len(seen), err)
	}
	appendAll(t, w, 111, 111)
	w.Close()
}
