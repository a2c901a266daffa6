package pgwire

import (
	"context"
	"errors"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Sentinel errors. Everything else that pgwire reports to a client is an
// *pgerror.Error built at the point of failure.
var (
	// ErrServerClosed is returned by Serve once Shutdown has begun.
	ErrServerClosed = errors.New("pgwire: server closed")
	// ErrNoEngine is returned by NewServer when Config.Engine is nil.
	ErrNoEngine = errors.New("pgwire: Config.Engine is nil")
	// ErrTLSRequiredWithoutTLS is returned by NewServer when
	// Config.TLSRequired is set without Config.TLS.
	ErrTLSRequiredWithoutTLS = errors.New("pgwire: Config.TLSRequired needs Config.TLS")

	// errMessageTooLarge: a frontend message declared a body longer than
	// Config.MaxMessageSize. The stream cannot be resynchronised without
	// reading the body, so the connection is closed.
	errMessageTooLarge = errors.New("message too large")
	// errBadLength: a length word below 4 (or outside the startup packet's
	// 8..10000 bytes); framing is lost.
	errBadLength = errors.New("invalid message length")
)

// toPgError is the one place where an error reaching the wire is given a
// SQLSTATE. A *pgerror.Error anywhere in the chain is used as is; anything
// else becomes XX000 (pgerror.From), which is a bug to be mapped where it
// arises.
//
// ctx is the context the failing call ran under. When pgwire cancelled it
// (CancelRequest: 57014; Shutdown: FATAL 57P01) and the engine reports the
// cancellation generically — 57014, or a bare context.Canceled — the
// cancellation's cause is reported instead, so that a session stopped by
// shutdown is told so and closed, as PostgreSQL does.
func toPgError(ctx context.Context, err error) *pgerror.Error {
	if err == nil {
		return nil
	}
	pe := pgerror.From(err)
	if ctx.Err() != nil && (pe.Code == pgerror.QueryCanceled ||
		pe.Code == pgerror.InternalError && errors.Is(err, context.Canceled)) {
		var cause *pgerror.Error
		if errors.As(context.Cause(ctx), &cause) {
			return cause
		}
	}
	return pe
}

// Errors pgwire itself raises. Messages follow PostgreSQL 15's wording
// (src/backend/tcop/postgres.c, src/backend/postmaster/postmaster.c) so
// that drivers and people searching for them find the usual explanations.

func errAdminShutdown() *pgerror.Error {
	return fatal(pgerror.AdminShutdown, "terminating connection due to administrator command")
}

func errShuttingDown() *pgerror.Error {
	return fatal(pgerror.CannotConnectNow, "the database system is shutting down")
}

func errQueryCanceled() *pgerror.Error {
	return pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request")
}

func errTooManyClients() *pgerror.Error {
	return fatal(pgerror.TooManyConnections, "sorry, too many clients already")
}

func errInvalidMessageType(typ byte) *pgerror.Error {
	return fatal(pgerror.ProtocolViolation, "invalid frontend message type %d", typ)
}

func errMalformed(err error) *pgerror.Error {
	// PostgreSQL says "invalid message format" (pq_getmsgend) or "invalid
	// string in message"; pgproto3's decoders do not tell which, so the
	// decoder's own text goes into the detail.
	return pgerror.New(pgerror.ProtocolViolation, "invalid message format").WithDetail("%s", strings.TrimSpace(err.Error()))
}

func errPanic(v any) *pgerror.Error {
	return fatal(pgerror.InternalError, "internal error: %v", v)
}

func fatal(code pgerror.Code, format string, args ...any) *pgerror.Error {
	e := pgerror.New(code, format, args...)
	e.Severity = pgerror.SeverityFatal
	return e
}

// asFatal returns a copy of e with severity FATAL (e is not modified: the
// engine may hand out shared error values).
func asFatal(e *pgerror.Error) *pgerror.Error {
	if e.Severity == pgerror.SeverityFatal {
		return e
	}
	c := *e
	c.Severity = pgerror.SeverityFatal
	return &c
}
