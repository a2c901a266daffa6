package syscat

import (
	"time"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// pg_prepared_statements and pg_cursors: the current session's named
// prepared statements (SQL PREPARE and protocol-level Parse) and its SQL
// cursors (DECLARE), as PostgreSQL's pg_prepared_statement() and
// pg_cursor() list them (src/backend/commands/prepare.c, portalmem.c).

// PreparedStatement is one row of pg_prepared_statements.
type PreparedStatement struct {
	Name, Statement string
	PrepareTime     time.Time
	ParamTypes      []uint32 // type OIDs
	FromSQL         bool
	GenericPlans    int64
	CustomPlans     int64
}

// PreparedStatementLister is implemented by a session that keeps prepared
// statements; without it pg_prepared_statements is empty.
type PreparedStatementLister interface {
	PreparedStatements() []PreparedStatement
}

// Cursor is one row of pg_cursors.
type Cursor struct {
	Name, Statement              string
	Holdable, Binary, Scrollable bool
	Created                      time.Time
}

// CursorLister is implemented by a session that has SQL cursors; without
// it pg_cursors is empty.
type CursorLister interface {
	Cursors() []Cursor
}

func timestamptz(t time.Time) types.Datum {
	if t.IsZero() {
		return null
	}
	return types.NewTimestampTZ(types.TimeToTimestamp(t))
}

func init() {
	prepared := &View{Schema: "pg_catalog", Name: "pg_prepared_statements", OID: 12095,
		Cols: cols(`name text, statement text, prepare_time timestamp with time zone, parameter_types regtype[],
			from_sql boolean, generic_plans bigint, custom_plans bigint`)}
	prepared.Rows = func(env bound.Env) ([][]types.Datum, error) {
		l, ok := env.(PreparedStatementLister)
		if !ok {
			return nil, nil
		}
		var rows [][]types.Datum
		for _, ps := range l.PreparedStatements() {
			params := make([]types.Datum, len(ps.ParamTypes))
			for i, o := range ps.ParamTypes {
				params[i] = oid(o)
			}
			rows = append(rows, []types.Datum{text(ps.Name), text(ps.Statement), timestamptz(ps.PrepareTime),
				types.NewArray(types.Regtype, params), boolean(ps.FromSQL), i64(ps.GenericPlans), i64(ps.CustomPlans)})
		}
		return rows, nil
	}
	register(prepared)

	cursors := &View{Schema: "pg_catalog", Name: "pg_cursors", OID: 12077,
		Cols: cols(`name text, statement text, is_holdable boolean, is_binary boolean, is_scrollable boolean,
			creation_time timestamp with time zone`)}
	cursors.Rows = func(env bound.Env) ([][]types.Datum, error) {
		l, ok := env.(CursorLister)
		if !ok {
			return nil, nil
		}
		var rows [][]types.Datum
		for _, c := range l.Cursors() {
			rows = append(rows, []types.Datum{text(c.Name), text(c.Statement), boolean(c.Holdable), boolean(c.Binary),
				boolean(c.Scrollable), timestamptz(c.Created)})
		}
		return rows, nil
	}
	register(cursors)
}
