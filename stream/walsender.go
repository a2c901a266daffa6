package stream

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
)

// The walsender side of logical replication: reading a slot's changes from
// the log, through an output plugin, to a client (pgwire's CopyBoth stream
// or the SQL functions' rows), and the client's confirmations back to the
// slot.

// KeepaliveInterval is how long an idle stream waits before sending a
// primary keepalive; ReplyRequestAfter is how long without a standby
// status update before a keepalive asks for one (PostgreSQL asks after
// wal_sender_timeout/2, 30 s by default). Variables so tests can shorten
// them.
var (
	KeepaliveInterval = 10 * time.Second
	ReplyRequestAfter = 30 * time.Second
)

// Feedback is a standby status update ('r').
type Feedback struct {
	Write, Flush, Apply uint64
	Reply               bool
}

// ParseStandbyMessage decodes the CopyData payload of a client message on a
// replication stream: 'r' standby status update (ok, fb) or 'h' hot standby
// feedback (ok, no fb); anything else is an error.
func ParseStandbyMessage(data []byte) (fb Feedback, isStatus bool, err error) {
	if len(data) == 0 {
		return fb, false, errors.New("empty message")
	}
	switch data[0] {
	case 'r':
		if len(data) < 1+8*4+1 {
			return fb, false, errors.New("invalid standby status update")
		}
		d := data[1:]
		fb.Write = binary.BigEndian.Uint64(d)
		fb.Flush = binary.BigEndian.Uint64(d[8:])
		fb.Apply = binary.BigEndian.Uint64(d[16:])
		fb.Reply = d[32] != 0
		return fb, true, nil
	case 'h':
		return fb, false, nil
	}
	return fb, false, fmt.Errorf("unexpected message type \"%c\"", data[0])
}

// SenderIO is the connection a stream writes to.
type SenderIO interface {
	// CopyData queues one CopyData message (the payload is copied).
	CopyData(payload []byte) error
	// Flush sends what is queued.
	Flush() error
	// Buffered is how many bytes are queued.
	Buffered() int
}

// StreamOptions configure Stream.
type StreamOptions struct {
	Slot  string
	PID   int32
	Start uint64 // requested start LSN (0: the slot's confirmed position)
	// Plugin decodes; Feedback brings the client's status updates (closed
	// when the client ends the stream with CopyDone).
	Plugin   Plugin
	Feedback <-chan Feedback
	Stats    *SenderStats
	// Confirm, if set, applies an acknowledged position (capped at what
	// was sent) instead of Slots.Confirm (consumer groups, groups.go).
	Confirm func(p uint64) error
}

// ErrStreamEnded: the client ended the stream (CopyDone).
var ErrStreamEnded = errors.New("stream: client ended the copy stream")

// flushBytes: a stream flushes when this much is queued, and whenever it
// has caught up with the log.
const flushBytes = 64 << 10

// Stream sends the slot's changes from max(Start, confirmed) on, following
// new commits, until ctx ends (error ctx.Err()) or the client ends the
// stream (ErrStreamEnded). The slot must be acquired by opts.PID.
func (s *Slots) Stream(ctx context.Context, io SenderIO, opts StreamOptions) error {
	info, ok := s.Get(opts.Slot)
	if !ok {
		return ErrSlotNotFound
	}
	start := opts.Start
	if start < info.Confirmed {
		start = info.Confirmed
	}
	r, err := s.store.Subscribe(FirstUndelivered(start))
	if err != nil {
		if errors.Is(err, kv.ErrNotRetained) {
			return ErrSlotLost
		}
		return err
	}
	defer r.Close()
	var hdr [25]byte
	hdr[0] = 'w'
	var msg []byte
	var now int64
	write := func(lsn uint64, _ uint32, data []byte) error {
		msg = append(msg[:0], hdr[:]...)
		binary.BigEndian.PutUint64(msg[1:], lsn)
		binary.BigEndian.PutUint64(msg[9:], lsn)
		binary.BigEndian.PutUint64(msg[17:], uint64(now))
		msg = append(msg, data...)
		if opts.Stats != nil {
			opts.Stats.Sent.Store(lsn)
		}
		return io.CopyData(msg)
	}
	sentEnd := EndLSN(FirstUndelivered(start) - 1) // everything before is confirmed or skipped
	keepalive := func(reply bool) error {
		var k [18]byte
		k[0] = 'k'
		binary.BigEndian.PutUint64(k[1:], sentEnd)
		binary.BigEndian.PutUint64(k[9:], uint64(PGEpochMicros(time.Now().UnixMicro())))
		if reply {
			k[17] = 1
		}
		if err := io.CopyData(k[:]); err != nil {
			return err
		}
		return io.Flush()
	}
	lastFeedback := time.Now()
	feedback := func(fb Feedback) error {
		lastFeedback = time.Now()
		if st := opts.Stats; st != nil {
			st.Write.Store(fb.Write)
			st.Flush.Store(fb.Flush)
			st.Apply.Store(fb.Apply)
			st.ReplyTime.Store(time.Now().UnixMicro())
		}
		if fb.Flush != 0 {
			p := fb.Flush
			if p > sentEnd {
				p = sentEnd // never confirm what was not sent
			}
			confirm := func(p uint64) error { return s.Confirm(opts.Slot, p) }
			if opts.Confirm != nil {
				confirm = opts.Confirm
			}
			if err := confirm(p); err != nil {
				return err
			}
		}
		if fb.Reply {
			return keepalive(false)
		}
		return nil
	}
	done := ctx.Done()
	lastSend := time.Now()
	for {
		// Drain the client's feedback without blocking.
		for drained := false; !drained; {
			select {
			case fb, ok := <-opts.Feedback:
				if !ok {
					io.Flush()
					return ErrStreamEnded
				}
				if err := feedback(fb); err != nil {
					return err
				}
			default:
				drained = true
			}
		}
		var rec *kv.Record
		if s.store.LastLSN() >= FirstUndelivered(sentEnd) {
			rec, err = r.Next(done)
		} else {
			if io.Buffered() > 0 {
				if err := io.Flush(); err != nil {
					return err
				}
				lastSend = time.Now()
			}
			// Caught up: wait for a commit, the client, a keepalive or the end.
			wait := make(chan struct{})
			closeWait := sync.OnceFunc(func() { close(wait) })
			stop := make(chan struct{})
			idle := KeepaliveInterval - time.Since(lastSend)
			go func() {
				t := time.NewTimer(idle)
				defer t.Stop()
				select {
				case <-t.C:
				case <-done:
				case <-stop:
					return
				}
				closeWait()
			}()
			fbCh := opts.Feedback
			got := make(chan *kv.Record, 1)
			errc := make(chan error, 1)
			go func() {
				rec, err := r.Next(wait)
				if err != nil {
					errc <- err
					return
				}
				got <- rec
			}()
			var fb Feedback
			var fbOK, haveFB bool
			select {
			case rec = <-got:
			case err = <-errc:
			case fb, fbOK = <-fbCh:
				haveFB = true
			}
			if haveFB {
				// Stop the pending read and take its result.
				close(stop)
				closeWait()
				select {
				case rec = <-got:
				case err = <-errc:
				}
				if !fbOK {
					io.Flush()
					return ErrStreamEnded
				}
				if ferr := feedback(fb); ferr != nil {
					return ferr
				}
				if err != nil && errors.Is(err, kv.ErrClosed) && ctx.Err() == nil {
					err = nil
					if rec == nil {
						continue
					}
				}
			} else {
				close(stop)
			}
			if err != nil && errors.Is(err, kv.ErrClosed) && ctx.Err() == nil && rec == nil {
				// Timer: keepalive, asking for a reply when the client has
				// been silent too long (WalSndKeepaliveIfNecessary).
				if kerr := keepalive(time.Since(lastFeedback) >= ReplyRequestAfter); kerr != nil {
					return kerr
				}
				lastSend = time.Now()
				err = nil
				continue
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, kv.ErrNotRetained) {
				return ErrSlotLost // invalidated while streaming
			}
			return err
		}
		if rec == nil {
			continue
		}
		now = PGEpochMicros(time.Now().UnixMicro())
		if CommitLSN(rec.LSN) >= start {
			if err := opts.Plugin.Record(rec, write); err != nil {
				return err
			}
		}
		sentEnd = EndLSN(rec.LSN)
		if io.Buffered() >= flushBytes {
			if err := io.Flush(); err != nil {
				return err
			}
			lastSend = time.Now()
		}
	}
}

// Peek decodes the slot's changes committed after its confirmed position
// and up to the newest commit (or uptoLSN if not 0, or at most uptoChanges
// output rows if > 0; a transaction is never cut), calling w for each output
// row. It returns the end LSN of the last transaction decoded (the
// position to confirm to consume them), or 0 if none.
func (s *Slots) Peek(ctx context.Context, name string, p Plugin, uptoLSN uint64, uptoChanges int, w Writer) (uint64, error) {
	info, ok := s.Get(name)
	if !ok {
		return 0, ErrSlotNotFound
	}
	first := FirstUndelivered(info.Confirmed)
	last := s.store.LastLSN()
	if first > last {
		return 0, nil
	}
	r, err := s.store.Subscribe(first)
	if err != nil {
		if errors.Is(err, kv.ErrNotRetained) {
			return 0, ErrSlotLost
		}
		return 0, err
	}
	defer r.Close()
	var end uint64
	rows := 0
	count := func(lsn uint64, xid uint32, data []byte) error {
		rows++
		return w(lsn, xid, data)
	}
	for n := first; n <= last; n++ {
		if err := ctx.Err(); err != nil {
			return end, err
		}
		if uptoLSN != 0 && CommitLSN(n) > uptoLSN {
			break
		}
		if uptoChanges > 0 && rows >= uptoChanges {
			break
		}
		rec, err := r.Next(nil)
		if err != nil {
			return end, err
		}
		if err := p.Record(rec, count); err != nil {
			return end, err
		}
		end = EndLSN(rec.LSN)
	}
	return end, nil
}
