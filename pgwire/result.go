package pgwire

import (
	"encoding/binary"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// resultWriter is the sql.ResultWriter of one connection: the engine
// calls it and it encodes straight into the connection's write buffer.
// One per connection, reused for every statement; Row allocates nothing.
type resultWriter struct {
	c        *conn
	cols     []sql.Column
	formats  []int16
	settings *types.Settings

	// COPY sub-protocol state (copy.go).
	in      copyInReader
	copyOut bool // CopyOutResponse sent: Complete sends CopyDone first
}

var _ sql.ResultWriter = (*resultWriter)(nil)

// Columns implements sql.ResultWriter.
func (r *resultWriter) Columns(cols []sql.Column, formats []int16, describe bool) error {
	r.cols = append(r.cols[:0], cols...)
	r.formats = r.formats[:0]
	for i := range cols {
		f := sql.FormatText
		if i < len(formats) {
			f = formats[i]
		}
		r.formats = append(r.formats, f)
	}
	r.settings = nil
	if r.c.settings != nil {
		r.settings = r.c.settings.TypeSettings()
	}
	if describe {
		r.c.w.writeRowDescription(r.cols, r.formats)
	}
	return r.c.w.err
}

// Row implements sql.ResultWriter: one DataRow, values encoded in place
// (NULL as length -1). It returns the connection's write error, if any,
// so that the engine stops producing rows for a client that is gone.
func (r *resultWriter) Row(vals []types.Datum) error {
	if len(vals) != len(r.cols) {
		return pgerror.New(pgerror.InternalError, "row of %d values for %d columns", len(vals), len(r.cols))
	}
	w := &r.c.w
	w.begin('D')
	w.appendInt16(int16(len(vals)))
	for i := range vals {
		if vals[i].IsNull() {
			w.appendInt32(-1)
			continue
		}
		at := len(w.buf)
		w.buf = append(w.buf, 0, 0, 0, 0)
		var err error
		if r.formats[i] == sql.FormatBinary {
			w.buf, err = appendBinary(w.buf, vals[i], r.cols[i].Type)
		} else {
			w.buf, err = appendText(w.buf, vals[i], r.cols[i].Type, r.settings)
		}
		if err != nil {
			w.discardPartial()
			return err
		}
		binary.BigEndian.PutUint32(w.buf[at:], uint32(len(w.buf)-at-4))
	}
	w.end()
	return w.err
}

// Complete implements sql.ResultWriter.
func (r *resultWriter) Complete(tag string) error {
	r.endCopyOut()
	r.c.w.writeCommandComplete(tag)
	return r.c.w.err
}

// EmptyQuery implements sql.ResultWriter.
func (r *resultWriter) EmptyQuery() error {
	r.c.w.writeSimple('I') // EmptyQueryResponse
	return r.c.w.err
}

// Notice implements sql.ResultWriter.
func (r *resultWriter) Notice(n *pgerror.Error) {
	if n == nil {
		return
	}
	if n.Severity == "" || n.Severity == pgerror.SeverityError || n.Severity == pgerror.SeverityFatal {
		c := *n
		c.Severity = pgerror.SeverityNotice
		n = &c
	}
	r.c.w.writeError(n)
}

// ParameterStatus implements sql.ResultWriter.
func (r *resultWriter) ParameterStatus(name, value string) {
	r.c.w.writeParameterStatus(name, value)
}
