package pgwire

import (
	"encoding/binary"
	"net"
	"strconv"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

const (
	// flushThreshold: a batch of messages is written to the socket when it
	// grows past this many bytes, so a large result streams instead of
	// piling up in memory. PostgreSQL's send buffer is 8 KiB
	// (PQ_SEND_BUFFER_SIZE in src/backend/libpq/pqcomm.c); a larger one
	// means fewer syscalls for wide results.
	flushThreshold = 32 << 10
	// maxRetainedWriteBuf: after a flush, a buffer that grew past this (one
	// huge row) is dropped so an idle connection does not pin it.
	maxRetainedWriteBuf = 1 << 20
)

// writer buffers backend messages for one connection. Messages are
// appended whole; the socket sees them only at flush, which happens when
// the buffer passes flushThreshold (always at a message boundary), before
// the connection blocks reading (see msgReader), and explicitly at Flush
// and on closing. It is owned by the connection's goroutine.
type writer struct {
	nc  net.Conn
	buf []byte
	// start is the offset of the message being built (its type byte).
	start int
	// complete is the length of buf up to the last finished message; on a
	// recovered panic buf is cut back to it so no half message is sent.
	complete int
	// err is the first write error; once set, every later write is a no-op
	// and the connection is going down.
	err error
}

func (w *writer) begin(typ byte) {
	w.start = len(w.buf)
	w.buf = append(w.buf, typ, 0, 0, 0, 0)
}

func (w *writer) end() {
	binary.BigEndian.PutUint32(w.buf[w.start+1:], uint32(len(w.buf)-w.start-1))
	w.complete = len(w.buf)
	if len(w.buf) >= flushThreshold {
		w.flush()
	}
}

// send appends a message encoded by pgproto3 (used for the rare messages;
// the per-row ones are encoded by hand below).
func (w *writer) send(m pgproto3.BackendMessage) {
	b, err := m.Encode(w.buf)
	if err != nil {
		// pgproto3 fails only on values that do not fit the format (e.g. a
		// string with a NUL); drop the message rather than send half of it.
		w.buf = w.buf[:w.complete]
		if w.err == nil {
			w.err = err
		}
		return
	}
	w.buf = b
	w.complete = len(w.buf)
	if len(w.buf) >= flushThreshold {
		w.flush()
	}
}

// discardPartial drops a message left half-built by a panic.
func (w *writer) discardPartial() { w.buf = w.buf[:w.complete] }

// flush writes the buffered messages. It returns the first write error,
// which sticks.
func (w *writer) flush() error {
	if w.err != nil {
		w.buf, w.complete = w.buf[:0], 0
		return w.err
	}
	if w.complete == 0 {
		return nil
	}
	_, err := w.nc.Write(w.buf[:w.complete])
	if err != nil {
		w.err = err
	}
	n := copy(w.buf, w.buf[w.complete:]) // a message being built stays
	w.buf, w.complete, w.start = w.buf[:n], 0, w.start-w.complete
	if cap(w.buf) > maxRetainedWriteBuf && n == 0 {
		w.buf = nil
	}
	return w.err
}

// Message encoders. Formats: https://www.postgresql.org/docs/15/protocol-message-formats.html

func (w *writer) appendString(s string) {
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, 0)
}

func (w *writer) appendInt16(v int16) { w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(v)) }
func (w *writer) appendInt32(v int32) { w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(v)) }

func (w *writer) writeSimple(typ byte) {
	w.begin(typ)
	w.end()
}

func (w *writer) writeReadyForQuery(status byte) {
	w.begin('Z')
	w.buf = append(w.buf, status)
	w.end()
}

func (w *writer) writeCommandComplete(tag string) {
	w.begin('C')
	w.appendString(tag)
	w.end()
}

func (w *writer) writeParameterStatus(name, value string) {
	w.begin('S')
	w.appendString(name)
	w.appendString(value)
	w.end()
}

func (w *writer) writeBackendKeyData(pid int32, secret [4]byte) {
	w.begin('K')
	w.appendInt32(pid)
	w.buf = append(w.buf, secret[:]...)
	w.end()
}

func (w *writer) writeParameterDescription(oids []uint32) {
	w.begin('t')
	w.appendInt16(int16(len(oids)))
	for _, o := range oids {
		w.appendInt32(int32(o))
	}
	w.end()
}

// writeRowDescription sends one field per column; formats has one entry
// per column, or is nil for all-text (Describe of a statement, where the
// formats are not known yet and PostgreSQL reports zeros).
func (w *writer) writeRowDescription(cols []sql.Column, formats []int16) {
	w.begin('T')
	w.appendInt16(int16(len(cols)))
	for i := range cols {
		c := &cols[i]
		w.appendString(c.Name)
		w.appendInt32(int32(c.TableOID))
		w.appendInt16(c.AttrNum)
		w.appendInt32(int32(c.Type.OID))
		w.appendInt16(c.Type.Len())
		w.appendInt32(c.Type.Typmod)
		var f int16
		if i < len(formats) {
			f = formats[i]
		}
		w.appendInt16(f)
	}
	w.end()
}

// writeError sends an ErrorResponse (severity ERROR/FATAL) or a
// NoticeResponse (NOTICE/WARNING...) carrying every field that is set.
func (w *writer) writeError(e *pgerror.Error) {
	typ := byte('E')
	switch e.Severity {
	case pgerror.SeverityError, pgerror.SeverityFatal, "PANIC", "":
	default:
		typ = 'N'
	}
	sev := e.Severity
	if sev == "" {
		sev = pgerror.SeverityError
	}
	code := string(e.Code)
	if len(code) != 5 {
		code = string(pgerror.InternalError)
	}
	w.begin(typ)
	field := func(f byte, v string) {
		if v == "" {
			return
		}
		w.buf = append(w.buf, f)
		w.appendString(sanitize(v))
	}
	field('S', sev)
	field('V', sev)
	field('C', code)
	msg := e.Message
	if msg == "" {
		msg = "(no message)" // 'M' is required
	}
	field('M', msg)
	field('D', e.Detail)
	field('H', e.Hint)
	if e.Position > 0 {
		field('P', strconv.Itoa(int(e.Position)))
	}
	field('W', e.Where)
	field('s', e.Schema)
	field('t', e.Table)
	field('c', e.Column)
	field('n', e.Constraint)
	w.buf = append(w.buf, 0)
	w.end()
}

// sanitize removes NUL bytes, which would cut a protocol string short and
// desynchronise the client (an error message may quote client input).
func sanitize(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			b := []byte(s)
			j := 0
			for _, c := range b {
				if c != 0 {
					b[j] = c
					j++
				}
			}
			return string(b[:j])
		}
	}
	return s
}
