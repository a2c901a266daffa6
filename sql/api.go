package sql

import (
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
	"io"
)

// Column describes one result column, as RowDescription reports it.
type Column struct {
	Name     string
	TableOID uint32 // 0 when the column is not a plain table column
	AttrNum  int16  // 0 likewise
	Type     types.Type
}

// Format codes of the wire protocol.
const (
	FormatText   int16 = 0
	FormatBinary int16 = 1
)

// ResultWriter receives what a statement produces. pgwire implements it and
// encodes values for the wire; the engine never sees protocol messages.
type ResultWriter interface {
	// Columns starts a result set. formats has one entry per column (text
	// or binary). describe is true when the protocol needs a RowDescription
	// now (simple query); in the extended protocol Describe sent it already.
	Columns(cols []Column, formats []int16, describe bool) error
	// Row sends one row; vals must not be retained after Row returns.
	Row(vals []types.Datum) error
	// Complete ends a statement with its command tag ("SELECT 3", "INSERT 0 1").
	Complete(tag string) error
	// EmptyQuery answers a query string with no statements.
	EmptyQuery() error
	// Notice sends a NoticeResponse (e.g. "table does not exist, skipping").
	Notice(n *pgerror.Error)
	// ParameterStatus reports a changed setting that clients track
	// (SET TimeZone, application_name, DateStyle ...).
	ParameterStatus(name, value string)
	// CopyIn starts COPY FROM STDIN: the protocol answers CopyInResponse
	// (overall format, per-column formats) and the returned reader yields
	// the client's CopyData bytes until CopyDone (io.EOF); CopyFail, or the
	// connection closing, is an error (57014 with the client's message).
	CopyIn(format int16, columnFormats []int16) (io.Reader, error)
	// CopyOut starts COPY TO STDOUT: the protocol answers CopyOutResponse;
	// every Write on the returned writer becomes CopyData messages, and
	// Complete after it sends CopyDone then CommandComplete.
	CopyOut(format int16, columnFormats []int16) (io.Writer, error)
}

// SessionParams come from the startup message.
type SessionParams struct {
	User     string
	Database string
	// Options are the other startup parameters (application_name,
	// DateStyle, TimeZone, search_path, options="-c x=y" already split...).
	Options map[string]string
	// BackendPID is the process id pgwire reported in BackendKeyData
	// (pg_backend_pid() returns it).
	BackendPID int32
	// RemoteAddr is the client's address, for pg_stat_activity.
	RemoteAddr string
}

// ParamStatus is one ParameterStatus message.
type ParamStatus struct{ Name, Value string }

// Transaction status bytes of ReadyForQuery.
const (
	TxIdle   byte = 'I'
	TxActive byte = 'T'
	TxFailed byte = 'E'
)

// ErrorSeverityFatal marks errors after which pgwire must close the
// connection (e.g. an unknown database at startup).
func IsFatal(err *pgerror.Error) bool { return err != nil && err.Severity == pgerror.SeverityFatal }
