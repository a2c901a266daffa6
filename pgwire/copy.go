package pgwire

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// The COPY sub-protocol (https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-COPY).
//
// COPY FROM STDIN: CopyIn answers CopyInResponse and hands the engine a
// reader that pulls CopyData bodies straight off the connection, in the
// connection's goroutine (the engine runs synchronously, so nothing else
// reads meanwhile). CopyDone is io.EOF; CopyFail is 57014 "COPY from stdin
// failed: <message>"; Flush and Sync are ignored, as PostgreSQL's
// CopyGetData ignores them; any other message is 08P01. When the engine
// stops early (a bad row), whatever the client still sends — CopyData,
// CopyDone, CopyFail — is dropped by the message loop (conn.handle), and
// in the extended protocol everything else up to Sync too, which is what
// PostgreSQL does.
//
// COPY TO STDOUT: CopyOut answers CopyOutResponse; each Write is one
// CopyData message (the engine writes one row per Write, as PostgreSQL
// sends one row per message); Complete sends CopyDone before
// CommandComplete. An error ends copy-out mode without CopyDone
// (conn.report).

// CopyIn implements sql.ResultWriter.
func (r *resultWriter) CopyIn(format int16, columnFormats []int16) (io.Reader, error) {
	w := &r.c.w
	writeCopyResponse(w, 'G', format, columnFormats)
	// The client waits for this before it sends any data.
	w.flush()
	r.in = copyInReader{c: r.c}
	return &r.in, w.err
}

// CopyOut implements sql.ResultWriter.
func (r *resultWriter) CopyOut(format int16, columnFormats []int16) (io.Writer, error) {
	w := &r.c.w
	writeCopyResponse(w, 'H', format, columnFormats)
	r.copyOut = true
	return copyOutWriter{w: w}, w.err
}

// writeCopyResponse writes CopyInResponse ('G') or CopyOutResponse ('H').
func writeCopyResponse(w *writer, typ byte, format int16, columnFormats []int16) {
	w.begin(typ)
	w.buf = append(w.buf, byte(format))
	w.appendInt16(int16(len(columnFormats)))
	for _, f := range columnFormats {
		w.appendInt16(f)
	}
	w.end()
}

// copyOutWriter sends each Write as one CopyData message.
type copyOutWriter struct{ w *writer }

func (cw copyOutWriter) Write(p []byte) (int, error) {
	w := cw.w
	w.begin('d')
	w.buf = append(w.buf, p...)
	w.end()
	if w.err != nil {
		return 0, w.err
	}
	return len(p), nil
}

// endCopyOut finishes copy-out mode: CopyDone (before CommandComplete).
func (r *resultWriter) endCopyOut() {
	if r.copyOut {
		r.copyOut = false
		r.c.w.writeSimple('c') // CopyDone
	}
}

// copyInReader yields the bodies of the client's CopyData messages.
type copyInReader struct {
	c    *conn
	data []byte // unread rest of the current CopyData body (the read buffer)
	err  error  // sticky: io.EOF after CopyDone, or why the COPY failed
	// lostSync: a message other than CopyData/CopyDone/CopyFail/Flush/Sync
	// came; the error that ends the COPY is followed by FATAL.
	lostSync bool
}

func (cr *copyInReader) Read(p []byte) (int, error) {
	for len(cr.data) == 0 {
		if cr.err != nil {
			return 0, cr.err
		}
		cr.err = cr.next()
	}
	n := copy(p, cr.data)
	cr.data = cr.data[n:]
	return n, nil
}

// next reads one message of the copy-in stream.
func (cr *copyInReader) next() error {
	c := cr.c
	typ, body, err := c.rd.readMessage()
	if err != nil {
		return cr.readError(err)
	}
	switch typ {
	case 'd': // CopyData
		cr.data = body
		return nil
	case 'c': // CopyDone
		return io.EOF
	case 'f': // CopyFail: a C string
		msg, _, _ := bytes.Cut(body, []byte{0})
		return pgerror.New(pgerror.QueryCanceled, "COPY from stdin failed: %s", msg)
	case 'H', 'S':
		// "Ignore Flush/Sync for the convenience of client libraries (such
		// as libpq) that may send those without noticing that the command
		// they just sent was COPY" (copyfromparse.c).
		return nil
	}
	// PostgreSQL raises this before reading the message's body, so it has
	// lost sync with the client: conn.report follows it with a FATAL.
	cr.lostSync = true
	return pgerror.New(pgerror.ProtocolViolation, "unexpected message type 0x%02X during COPY from stdin", typ)
}

func errLostSync() *pgerror.Error {
	return fatal(pgerror.ProtocolViolation, "terminating connection because protocol synchronization was lost")
}

// readError maps a failed read during COPY FROM STDIN. The COPY fails with
// it; when framing is lost it is FATAL, so the connection closes as it
// would between messages (readFailed).
func (cr *copyInReader) readError(err error) error {
	c := cr.c
	var ite *invalidTypeError
	var ne net.Error
	switch {
	case c.s.closing.Load():
		return errAdminShutdown()
	case errors.As(err, &ite):
		return errInvalidMessageType(ite.typ)
	case errors.Is(err, errMessageTooLarge), errors.Is(err, errBadLength):
		return fatal(pgerror.ProtocolViolation, "%s", err.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.As(err, &ne), errors.Is(err, os.ErrDeadlineExceeded):
		// The client is gone; the error goes nowhere, but the COPY's rows
		// must not be committed. The message loop then sees the end of
		// the stream and closes the connection.
		c.lg.Debug("pgwire: connection lost during COPY FROM STDIN", "err", err)
		return pgerror.Wrap(err, pgerror.QueryCanceled, "COPY from stdin failed: %s", "unexpected EOF on client connection")
	}
	return pgerror.Wrap(err, pgerror.QueryCanceled, "COPY from stdin failed: %s", err.Error())
}
