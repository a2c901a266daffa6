package kv

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeRecord: WAL bytes come from disk and may be damaged; the frame
// parser and record decoder must reject garbage without panicking, and
// round-trip whatever they accept.
func FuzzDecodeRecord(f *testing.F) {
	p := encodePayload(nil, []Op{{Kind: OpPut, Key: []byte("k"), Value: []byte("v")}, {Kind: OpDelete, Key: []byte("d")}},
		[]Attachment{{Kind: 3, Data: []byte("notify")}})
	patchPayloadHeader(p, 42, 1700000000)
	f.Add(appendFrame(nil, p))
	f.Add(p)
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if payload, _, ok := parseFrame(b); ok {
			b = payload
		}
		rec, err := decodePayload(b)
		if err != nil {
			return
		}
		again := encodePayload(nil, rec.Ops, rec.Attachments)
		if n := payloadSize(rec.Ops, rec.Attachments); n != len(again) {
			t.Fatalf("payloadSize %d, encoded %d bytes", n, len(again))
		}
		patchPayloadHeader(again, rec.LSN, rec.CommitTime)
		rec2, err := decodePayload(again)
		if err != nil || rec2.LSN != rec.LSN || len(rec2.Ops) != len(rec.Ops) || len(rec2.Attachments) != len(rec.Attachments) {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}

// FuzzReadCheckpoint: a damaged checkpoint is an error, never a panic.
func FuzzReadCheckpoint(f *testing.F) {
	dir := f.TempDir()
	s, err := Open(Options{Dir: dir, Sync: SyncOff, CheckpointBytes: -1})
	if err != nil {
		f.Fatal(err)
	}
	txn := s.Begin(ReadCommitted)
	txn.Put([]byte("a"), []byte("1"))
	txn.Put([]byte("b"), []byte("22"))
	txn.Commit()
	if err := s.Checkpoint(); err != nil {
		f.Fatal(err)
	}
	s.Close()
	lsns, _ := listCheckpoints(dir)
	good, _ := os.ReadFile(ckptPath(dir, lsns[0]))
	f.Add(good, lsns[0])
	f.Add([]byte("PRKCKPT1"), uint64(1))
	f.Fuzz(func(t *testing.T, b []byte, lsn uint64) {
		path := filepath.Join(t.TempDir(), "c.ckpt")
		os.WriteFile(path, b, 0o644)
		readCheckpoint(path, lsn)
	})
}
