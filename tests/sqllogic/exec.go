package sqllogic

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// outcome is what the server did with one record's SQL.
type outcome struct {
	pgErr  *pgconn.PgError // the statement failed with an ErrorResponse
	other  error           // anything else (I/O, timeout): the connection is suspect
	tag    string          // command tag of the last result
	fields []pgconn.FieldDescription
	rows   [][][]byte
}

// execute runs sql through the simple query protocol, so results arrive in
// text format exactly as the server writes them. Several statements in one
// record are allowed; the last result is the one compared.
func execute(ctx context.Context, conn *pgx.Conn, sql string) outcome {
	var o outcome
	mrr := conn.PgConn().Exec(ctx, sql)
	for mrr.NextResult() {
		// Not ResultReader.Read: it copies the column descriptions only
		// when there is a row, and a query returning no rows still has
		// columns to assert.
		rr := mrr.ResultReader()
		o.fields = append([]pgconn.FieldDescription(nil), rr.FieldDescriptions()...)
		o.rows = nil
		for rr.NextRow() {
			row := make([][]byte, len(rr.Values()))
			for i, v := range rr.Values() {
				if v != nil {
					row[i] = append([]byte{}, v...)
				}
			}
			o.rows = append(o.rows, row)
		}
		tag, err := rr.Close()
		o.tag = tag.String()
		if err != nil {
			break // mrr.Close reports it
		}
	}
	if err := mrr.Close(); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			o.pgErr = pe
		} else {
			o.other = err
		}
	}
	return o
}

func (o outcome) oids() []uint32 {
	out := make([]uint32, len(o.fields))
	for i, f := range o.fields {
		out[i] = f.DataTypeOID
	}
	return out
}

func (o outcome) names() []string {
	out := make([]string, len(o.fields))
	for i, f := range o.fields {
		out[i] = f.Name
	}
	return out
}

// describe says in one line what happened, for failure messages.
func (o outcome) describe() string {
	switch {
	case o.other != nil && pgconn.Timeout(o.other):
		return "no answer within the runner's statement timeout (blocked on a lock held by another connection of this file?): " + o.other.Error()
	case o.other != nil:
		return "connection error: " + o.other.Error()
	case o.pgErr != nil:
		return fmt.Sprintf("error %s: %s", o.pgErr.Code, o.pgErr.Message)
	default:
		return fmt.Sprintf("ok %q", o.tag)
	}
}

// check compares an outcome with a record and returns what differs, or ""
// when the record passes.
func check(r *Record, o outcome) string {
	if o.other != nil {
		return o.describe()
	}
	switch r.Kind {
	case KindStatementOK:
		if o.pgErr != nil {
			return "expected success, got " + o.describe()
		}
		if r.Tag != "" && r.Tag != o.tag {
			return fmt.Sprintf("command tag: expected %q, got %q", r.Tag, o.tag)
		}
	case KindStatementError:
		if o.pgErr == nil {
			return fmt.Sprintf("expected error %s, got %s", r.Code, o.describe())
		}
		if o.pgErr.Code != r.Code {
			return fmt.Sprintf("expected error %s, got %s", r.Code, o.describe())
		}
		if r.MessageRE != nil && !r.MessageRE.MatchString(o.pgErr.Message) {
			return fmt.Sprintf("error message %q does not match /%s/", o.pgErr.Message, r.MessageRE)
		}
	case KindQuery:
		return checkQuery(r, o)
	}
	return ""
}

func checkQuery(r *Record, o outcome) string {
	if o.pgErr != nil {
		return "expected rows, got " + o.describe()
	}
	if len(o.fields) != len(r.Types) {
		return fmt.Sprintf("expected %d columns (%s), got %d (%s)",
			len(r.Types), r.TypeSpec, len(o.fields), specFor(o.oids()))
	}
	if !typesMatch(r.Types, o.oids()) {
		return fmt.Sprintf("column types: expected %s, got %s", r.TypeSpec, specFor(o.oids()))
	}
	var names []string
	if r.ColNames {
		names = o.names()
	}
	got := renderRows(names, o.rows, r.Sort)
	want := normalizeExpected(r.Expected, r.ColNames, r.Sort)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		return fmt.Sprintf("result mismatch (%s)\n  expected:\n%s\n  got:\n%s",
			r.Sort, indent(want), indent(got))
	}
	return ""
}

func typesMatch(want []ColType, got []uint32) bool {
	for i, ct := range want {
		if !ct.Matches(got[i]) {
			return false
		}
	}
	return true
}

func indent(lines []string) string {
	if len(lines) == 0 {
		return "    (no rows)"
	}
	return "    " + strings.Join(lines, "\n    ")
}
