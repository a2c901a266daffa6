package pgerror

import (
	"errors"
	"fmt"
)

// Severity as PostgreSQL spells it in ErrorResponse/NoticeResponse.
const (
	SeverityError   = "ERROR"
	SeverityFatal   = "FATAL"
	SeverityNotice  = "NOTICE"
	SeverityWarning = "WARNING"
)

// Error is an error a client can see. Position is 1-based into the query
// text (0 = none), as PostgreSQL reports it.
type Error struct {
	Severity string
	Code     Code
	Message  string
	Detail   string
	Hint     string
	Position int32
	// Constraint, Table, Column, Schema mirror the optional ErrorResponse
	// fields drivers use (pgx's PgError.ConstraintName, GORM's duplicate key check).
	Schema     string
	Table      string
	Column     string
	Constraint string
	// Where is the CONTEXT line ("COPY t, line 3, column b: ...").
	Where string
	cause error
}

func (e *Error) Error() string { return e.Message }

// Unwrap exposes the internal cause (if any) to errors.Is/As.
func (e *Error) Unwrap() error { return e.cause }

// New builds an ERROR with a code and a formatted message.
func New(code Code, format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Severity: SeverityError, Code: code, Message: msg}
}

// Wrap builds an ERROR that keeps cause for errors.Is.
func Wrap(cause error, code Code, format string, args ...any) *Error {
	e := New(code, format, args...)
	e.cause = cause
	return e
}

// WithDetail, WithHint and WithPosition return the error for chaining.
func (e *Error) WithDetail(format string, args ...any) *Error {
	e.Detail = fmt.Sprintf(format, args...)
	return e
}

func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

func (e *Error) WithPosition(pos int32) *Error {
	e.Position = pos
	return e
}

func (e *Error) WithConstraint(table, constraint string) *Error {
	e.Table, e.Constraint = table, constraint
	return e
}

// Notice builds a NOTICE-severity message (sent as NoticeResponse).
func Notice(format string, args ...any) *Error {
	e := New(SuccessfulCompletion, format, args...)
	e.Severity = SeverityNotice
	return e
}

// From converts any error into an *Error: an *Error in the chain is returned
// as is; anything else is an internal error, which is a bug to be mapped.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return Wrap(err, InternalError, "%s", err.Error())
}

// CodeOf returns the SQLSTATE carried by err, or "" if none.
func CodeOf(err error) Code {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
