package pgwire

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"slices"
	"sync/atomic"
)

const (
	// readBufSize is the socket read buffer. PostgreSQL uses 8 KiB
	// (PQ_RECV_BUFFER_SIZE); so does pgproto3's chunkReader.
	readBufSize = 8 << 10
	// Startup packet limits from src/backend/postmaster/postmaster.c
	// (ProcessStartupPacket): the length word counts itself.
	minStartupPacketLen = 4 + 4
	maxStartupPacketLen = 10000
	// maxRetainedReadBuf: a message body buffer that grew past this (a big
	// Bind or Query) is dropped before the next read so that an idle
	// connection does not pin it.
	maxRetainedReadBuf = 1 << 20
	// readChunk: bodies longer than this are read in growing chunks, so a
	// client that announces a large message but never sends it costs
	// memory only for what it actually sent.
	readChunk = 64 << 10
)

// msgReader frames frontend messages. pgwire frames messages itself and
// uses pgproto3 only to decode bodies, so that it can tell a framing error
// (length below 4, oversized, unknown type: the stream is lost and the
// connection must close) from a malformed body (the stream is intact:
// PostgreSQL answers ERROR 08P01 and goes on, skipping to Sync in the
// extended protocol). The size cap is checked on the length word before
// any body is read, which is what pgproto3.Backend.SetMaxBodyLen would do.
type msgReader struct {
	br  *bufio.Reader
	buf []byte
	max int
}

// flushingReader flushes the connection's pending output before every
// read from the socket. bufio calls it only when its buffer is empty,
// i.e. exactly when the connection is about to block waiting for the
// client: so a client that has pipelined more messages gets its replies
// in one batch, and a client that waits never waits for output that is
// sitting in our buffer.
type flushingReader struct {
	nc net.Conn
	w  *writer
	// skip: another goroutine owns the writer (a replication stream).
	skip *atomic.Bool
}

func (f flushingReader) Read(p []byte) (int, error) {
	if f.skip == nil || !f.skip.Load() {
		if err := f.w.flush(); err != nil {
			return 0, err
		}
	}
	return f.nc.Read(p)
}

func newMsgReader(r io.Reader, max int) msgReader {
	return msgReader{br: bufio.NewReaderSize(r, readBufSize), max: max}
}

// readStartup reads one startup-phase packet (StartupMessage, SSLRequest,
// GSSENCRequest or CancelRequest): a length word, then a 4-byte code and
// the rest. body includes the code.
func (r *msgReader) readStartup() (code uint32, body []byte, err error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r.br, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := int32(binary.BigEndian.Uint32(hdr[:]))
	if n < minStartupPacketLen || n > maxStartupPacketLen {
		return 0, nil, fmt.Errorf("%w: startup packet of %d bytes", errBadLength, n)
	}
	body, err = r.readBody(int(n) - 4)
	if err != nil {
		return 0, nil, err
	}
	return binary.BigEndian.Uint32(body), body, nil
}

// readMessage reads one regular message. body is valid until the next
// read; anything kept longer (by the session too) must be copied.
//
// Errors: io.EOF when the client closed between messages; errBadLength,
// errMessageTooLarge and *invalidTypeError when framing is lost; any
// other error is the socket's.
func (r *msgReader) readMessage() (typ byte, body []byte, err error) {
	typ, err = r.br.ReadByte()
	if err != nil {
		return 0, nil, err
	}
	// PostgreSQL validates the type before reading the length, "if we have
	// lost sync, better to say 'command unknown' than to run out of memory
	// because we used garbage as a length word" (postgres.c, SocketBackend).
	if !validFrontendType(typ) {
		return typ, nil, &invalidTypeError{typ}
	}
	var hdr [4]byte
	if _, err := io.ReadFull(r.br, hdr[:]); err != nil {
		return typ, nil, unexpectedEOF(err)
	}
	n := int64(int32(binary.BigEndian.Uint32(hdr[:])))
	if n < 4 {
		return typ, nil, fmt.Errorf("%w: %d", errBadLength, n)
	}
	if n-4 > int64(r.max) {
		return typ, nil, fmt.Errorf("%w: %d bytes (limit %d)", errMessageTooLarge, n-4, r.max)
	}
	body, err = r.readBody(int(n - 4))
	return typ, body, err
}

func (r *msgReader) readBody(n int) ([]byte, error) {
	if cap(r.buf) > maxRetainedReadBuf && n <= maxRetainedReadBuf {
		r.buf = nil
	}
	if n <= cap(r.buf) || n <= readChunk {
		if cap(r.buf) < n {
			r.buf = make([]byte, n, max(n, 512))
		}
		r.buf = r.buf[:n]
		if _, err := io.ReadFull(r.br, r.buf); err != nil {
			return nil, unexpectedEOF(err)
		}
		return r.buf, nil
	}
	r.buf = r.buf[:0]
	for len(r.buf) < n {
		chunk := min(n-len(r.buf), max(len(r.buf), readChunk))
		r.buf = slices.Grow(r.buf, chunk)
		start := len(r.buf)
		r.buf = r.buf[:start+chunk]
		if _, err := io.ReadFull(r.br, r.buf[start:]); err != nil {
			return nil, unexpectedEOF(err)
		}
	}
	return r.buf, nil
}

// validFrontendType lists the message types a frontend may send after
// startup (https://www.postgresql.org/docs/15/protocol-message-formats.html).
func validFrontendType(t byte) bool {
	switch t {
	case 'Q', 'P', 'B', 'E', 'D', 'C', 'S', 'H', 'F', 'X', 'd', 'c', 'f':
		return true
	}
	return false
}

type invalidTypeError struct{ typ byte }

func (e *invalidTypeError) Error() string {
	return fmt.Sprintf("invalid frontend message type %d", e.typ)
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
