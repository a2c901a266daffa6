package kv

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Checkpoint file layout:
//
//	magic "PRKCKPT1" | lsn u64 |
//	{ klen+1 uvarint | key | vlen uvarint | value }* | 0 (end marker) |
//	count u64 | crc32c u32 (of every byte before it)
//
// A checkpoint is written to a temp file, fsynced, renamed into place and the
// directory fsynced, so a crash leaves either the old set or the new file.
const (
	ckptMagic  = "PRKCKPT1"
	ckptPrefix = "checkpoint-"
	ckptSuffix = ".ckpt"
)

func ckptPath(dir string, lsn uint64) string {
	return filepath.Join(dir, fmt.Sprintf("%s%016x%s", ckptPrefix, lsn, ckptSuffix))
}

// listCheckpoints returns checkpoint LSNs, newest first.
func listCheckpoints(dir string) ([]uint64, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var lsns []uint64
	for _, e := range ents {
		name := e.Name()
		if strings.HasSuffix(name, ".tmp") {
			os.Remove(filepath.Join(dir, name)) // an interrupted checkpoint
			continue
		}
		if !strings.HasPrefix(name, ckptPrefix) || !strings.HasSuffix(name, ckptSuffix) {
			continue
		}
		lsn, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(name, ckptPrefix), ckptSuffix), 16, 64)
		if err == nil {
			lsns = append(lsns, lsn)
		}
	}
	sort.Slice(lsns, func(i, j int) bool { return lsns[i] > lsns[j] })
	return lsns, nil
}

// loadNewestCheckpoint loads the newest valid checkpoint. A damaged newest
// checkpoint falls back to the previous one with a warning (the log is kept
// from there); with none to fall back to, recovery refuses to start.
func loadNewestCheckpoint(dir string, lg *slog.Logger) (*tree, uint64, uint64, error) {
	lsns, err := listCheckpoints(dir)
	if err != nil {
		return nil, 0, 0, err
	}
	if len(lsns) == 0 {
		return newTree(), 0, 0, nil
	}
	var firstErr error
	for i, lsn := range lsns {
		t, err := readCheckpoint(ckptPath(dir, lsn), lsn)
		if err == nil {
			if firstErr != nil {
				lg.Warn("kv: newest checkpoint is damaged; recovering from an older one", "err", firstErr, "using", ckptPath(dir, lsn))
			}
			prev := uint64(0)
			if i+1 < len(lsns) {
				prev = lsns[i+1]
			}
			return t, lsn, prev, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, 0, 0, firstErr
}

// crcReader checksums the first n bytes read through it (a checkpoint's
// body; its last 4 bytes are the checksum itself), a buffer at a time,
// and counts every byte read.
type crcReader struct {
	r     io.Reader
	h     hash.Hash32
	n     int64 // bytes still to checksum
	total int64 // bytes read
}

func (c *crcReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	if c.n > 0 {
		m := min(int64(k), c.n)
		c.h.Write(p[:m])
		c.n -= m
	}
	c.total += int64(k)
	return k, err
}

// readCheckpoint loads one checkpoint into a new tree; every key gets one
// version at the checkpoint's LSN. Damage is reported with file and offset.
func readCheckpoint(path string, wantLSN uint64) (*tree, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	cr := &crcReader{r: f, h: crc32.New(castagnoli), n: st.Size() - 4}
	br := bufio.NewReaderSize(cr, 1<<20)
	off := func() int64 { return cr.total - int64(br.Buffered()) }
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: checkpoint %s at offset %d: %s", ErrCorrupt, path, off(), fmt.Sprintf(format, args...))
	}
	var hdr [16]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return nil, bad("short header")
	}
	if string(hdr[:8]) != ckptMagic {
		return nil, bad("bad magic")
	}
	lsn := binary.LittleEndian.Uint64(hdr[8:])
	if lsn != wantLSN {
		return nil, bad("LSN %d does not match file name %d", lsn, wantLSN)
	}
	t := newTree()
	var hint btreeHint
	var count uint64
	var scratch []byte
	for {
		kl, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, bad("truncated")
		}
		if kl == 0 {
			break
		}
		kl--
		if kl > 1<<30 {
			return nil, bad("key too large")
		}
		if int64(kl) > st.Size() {
			return nil, bad("truncated key")
		}
		if uint64(cap(scratch)) < kl {
			scratch = make([]byte, kl)
		}
		if _, err := io.ReadFull(br, scratch[:kl]); err != nil {
			return nil, bad("truncated key")
		}
		vl, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, bad("truncated entry")
		}
		if vl > 1<<30 || int64(vl) > st.Size() {
			return nil, bad("value too large")
		}
		// Key and value share one allocation.
		buf := make([]byte, kl+vl)
		copy(buf, scratch[:kl])
		if _, err := io.ReadFull(br, buf[kl:]); err != nil {
			return nil, bad("truncated value")
		}
		c := &chain{}
		c.head.Store(newVersion(lsn, buf[kl:], false))
		t.SetHint(item{key: bytesString(buf[:kl]), c: c}, &hint.h)
		count++
	}
	var tail [8]byte
	if _, err := io.ReadFull(br, tail[:]); err != nil {
		return nil, bad("truncated trailer")
	}
	if n := binary.LittleEndian.Uint64(tail[:]); n != count {
		return nil, bad("count %d, trailer says %d", count, n)
	}
	if off() != st.Size()-4 {
		if off() > st.Size()-4 {
			return nil, bad("missing checksum")
		}
		return nil, bad("trailing bytes")
	}
	var crc [4]byte
	if _, err := io.ReadFull(br, crc[:]); err != nil {
		return nil, bad("missing checksum")
	}
	if binary.LittleEndian.Uint32(crc[:]) != cr.h.Sum32() {
		return nil, bad("checksum mismatch")
	}
	return t, nil
}

// Checkpoint writes a consistent snapshot of every key at the newest
// visible LSN while commits continue, then lets the log drop what the
// previous checkpoint covers (and no retention holder needs).
func (s *Store) Checkpoint() error {
	s.ckptMu.Lock()
	defer s.ckptMu.Unlock()
	if s.closed.Load() {
		return ErrClosed
	}
	t := s.Begin(RepeatableRead) // registers the snapshot so GC keeps it
	defer t.Rollback()
	lsn := t.view.ts
	if lsn == s.ckptLSN {
		return nil
	}
	s.sinceCkpt.Store(0)
	if err := writeCheckpoint(s.opts.Dir, lsn, t.view); err != nil {
		return err
	}
	// Keep the newest two checkpoints; the log is kept from the older one,
	// so a damaged newest checkpoint can still be recovered around.
	lsns, err := listCheckpoints(s.opts.Dir)
	if err != nil {
		return err
	}
	for _, l := range lsns[min(2, len(lsns)):] {
		os.Remove(ckptPath(s.opts.Dir, l))
	}
	s.ckptLSN, s.prevCkptLSN = lsn, 0
	if len(lsns) >= 2 {
		s.prevCkptLSN = lsns[1]
	}
	keep := s.prevCkptLSN + 1
	if m, ok := s.minRetained(); ok && m < keep {
		keep = m
	}
	return s.log.TruncateBefore(keep)
}

func writeCheckpoint(dir string, lsn uint64, v *view) error {
	final := ckptPath(dir, lsn)
	tmp := final + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := crc32.New(castagnoli)
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	bw.WriteString(ckptMagic)
	var u8 [8]byte
	binary.LittleEndian.PutUint64(u8[:], lsn)
	bw.Write(u8[:])
	var count uint64
	var vb [binary.MaxVarintLen64]byte
	v.tree.Scan(func(it item) bool {
		ver := it.c.visible(lsn)
		if ver == nil || ver.deleted() {
			return true
		}
		bw.Write(vb[:binary.PutUvarint(vb[:], uint64(len(it.key))+1)])
		bw.WriteString(it.key)
		bw.Write(vb[:binary.PutUvarint(vb[:], uint64(len(ver.val)))])
		bw.WriteString(ver.val)
		count++
		return true
	})
	bw.WriteByte(0)
	binary.LittleEndian.PutUint64(u8[:], count)
	bw.Write(u8[:])
	if err := bw.Flush(); err != nil {
		return err
	}
	var crc [4]byte
	binary.LittleEndian.PutUint32(crc[:], h.Sum32())
	if _, err := f.Write(crc[:]); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	ok = true
	return syncDir(dir)
}
