package sql

import (
	"context"
	"fmt"
	"math"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/syscat"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// SQL-level prepared statements (PREPARE / EXECUTE / DEALLOCATE) and
// cursors (DECLARE / FETCH / MOVE / CLOSE) share the session's statement
// and portal namespaces with the extended protocol, as in PostgreSQL.

func (s *Session) execPrepare(ctx context.Context, st *pg_query.PrepareStmt, w ResultWriter) error {
	if _, exists := s.stmts[st.Name]; exists {
		return pgerror.New(pgerror.DuplicatePreparedStatement, "prepared statement \"%s\" already exists", st.Name)
	}
	b := newBinder(s, nil)
	var ptypes []types.Type
	for _, a := range st.Argtypes {
		t, err := b.typeName(a.GetTypeName())
		if err != nil {
			return err
		}
		ptypes = append(ptypes, t)
	}
	if ptypes == nil {
		ptypes = []types.Type{}
	}
	ps, err := s.prepareParsed(ctx, &parsed{stmt: st.Query}, ptypes, true)
	if err != nil {
		return err
	}
	ps.name, ps.source, ps.prepared, ps.fromSQL = st.Name, s.sourceText, s.e.cfg.Now(), true
	s.stmts[st.Name] = ps
	return w.Complete("PREPARE")
}

// executeArgs evaluates EXECUTE's argument expressions as the statement's
// parameter types.
func (s *Session) executeArgs(ps *preparedStmt, args []*pg_query.Node) ([]types.Datum, error) {
	if len(args) != len(ps.paramTypes) {
		return nil, pgerror.New(pgerror.SyntaxError, "wrong number of parameters for prepared statement \"%s\"", ps.name).
			WithDetail("Expected %d parameters but got %d.", len(ps.paramTypes), len(args))
	}
	b := newBinder(s, nil)
	vals := make([]types.Datum, len(args))
	for i, a := range args {
		e, err := b.bindExpr(a, nil, ps.paramTypes[i])
		if err != nil {
			return nil, err
		}
		if e, err = b.coerce(e, ps.paramTypes[i], castAssignment); err != nil {
			return nil, err
		}
		v, err := executor.Compile(finalize(e))(s.evalCtx(context.Background()), nil)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

func (s *Session) execExecute(ctx context.Context, st *pg_query.ExecuteStmt, w ResultWriter) error {
	ps, ok := s.stmts[st.Name]
	if !ok {
		return pgerror.New(pgerror.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", st.Name)
	}
	params, err := s.executeArgs(ps, st.Params)
	if err != nil {
		return err
	}
	ps.generic++
	if ps.utility {
		if u := utilityOf(ps.p.stmt); u != nil {
			// A prepared SELECT INTO or CREATE TABLE AS reads the
			// arguments as the extended protocol's utilities do.
			s.utilityParams, s.utilityArgs = ps.paramTypes, params
			if s.utilityParams == nil {
				s.utilityParams = []types.Type{}
			}
			defer func() { s.utilityParams, s.utilityArgs = nil, nil }()
			return s.execUtility(ctx, &ps.p, u, w)
		}
		return nil
	}
	pl, err := s.planFor(ctx, ps)
	if err != nil {
		return err
	}
	// The result columns were sent by execUtility (utilityColumns).
	_, err = s.runPlan(ctx, pl, params, w, 0, nil)
	return err
}

func (s *Session) execDeallocate(st *pg_query.DeallocateStmt, w ResultWriter) error {
	if st.Isall || st.Name == "" {
		for name := range s.stmts {
			if name != "" {
				delete(s.stmts, name)
			}
		}
		return w.Complete("DEALLOCATE ALL")
	}
	if _, ok := s.stmts[st.Name]; !ok {
		return pgerror.New(pgerror.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", st.Name)
	}
	delete(s.stmts, st.Name)
	return w.Complete("DEALLOCATE")
}

// Cursor options (CURSOR_OPT_* in parsenodes.h).
const (
	cursorOptBinary = 0x0001
	cursorOptScroll = 0x0002
	cursorOptHold   = 0x0020
)

func (s *Session) execDeclareCursor(ctx context.Context, st *pg_query.DeclareCursorStmt, w ResultWriter) error {
	hold := st.Options&cursorOptHold != 0
	if (s.txn == nil || !s.txn.explicit) && !hold {
		return pgerror.New(pgerror.NoActiveSQLTransaction, "DECLARE CURSOR can only be used in transaction blocks")
	}
	if _, exists := s.portals[st.Portalname]; exists {
		return pgerror.New(pgerror.DuplicateCursor, "cursor \"%s\" already exists", st.Portalname)
	}
	if st.Query.GetSelectStmt() == nil {
		return pgerror.New(pgerror.FeatureNotSupported, "DECLARE CURSOR supports SELECT only")
	}
	if selectInto(st.Query.GetSelectStmt()) != nil {
		// transformSelectStmt below a DECLARE (analyze.c).
		return pgerror.New(pgerror.SyntaxError, "SELECT ... INTO is not allowed here")
	}
	ps, err := s.prepareParsed(ctx, &parsed{stmt: st.Query}, []types.Type{}, false)
	if err != nil {
		return err
	}
	s.portals[st.Portalname] = &portal{name: st.Portalname, stmt: ps, formats: make([]int16, len(ps.cols)), cursor: true,
		scroll: st.Options&cursorOptScroll != 0, hold: hold,
		source: s.sourceText, created: s.e.cfg.Now(), binary: st.Options&cursorOptBinary != 0}
	return w.Complete("DECLARE CURSOR")
}

func (s *Session) execFetch(ctx context.Context, st *pg_query.FetchStmt, w ResultWriter) error {
	po, ok := s.portals[st.Portalname]
	if !ok || !po.cursor {
		return pgerror.New(pgerror.InvalidCursorName, "cursor \"%s\" does not exist", st.Portalname)
	}
	if po.scroll || po.held {
		// A held cursor's rows are stored, so it can move both ways, as
		// PostgreSQL's held portal (a tuplestore) can.
		return s.fetchScroll(ctx, po, st, w)
	}
	verb := "FETCH"
	if st.Ismove {
		verb = "MOVE"
	}
	count := st.HowMany
	switch st.Direction {
	case pg_query.FetchDirection_FETCH_FORWARD:
	case pg_query.FetchDirection_FETCH_RELATIVE:
		if count < 0 {
			return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "cursor can only scan forward").
				WithHint("Declare it with SCROLL option to enable backward scan.")
		}
	default:
		if count != 0 || st.Direction == pg_query.FetchDirection_FETCH_BACKWARD {
			return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "cursor can only scan forward").
				WithHint("Declare it with SCROLL option to enable backward scan.")
		}
	}
	if count < 0 {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "cursor can only scan forward").
			WithHint("Declare it with SCROLL option to enable backward scan.")
	}
	if po.hold {
		return s.fetchScroll(ctx, po, st, w)
	}
	all := count == math.MaxInt64 // FETCH ALL
	if po.done {
		return w.Complete(fmt.Sprintf("%s 0", verb))
	}
	if po.plan == nil {
		pl, err := s.planFor(ctx, po.stmt)
		if err != nil {
			return err
		}
		po.plan = pl
	}
	if po.exec == nil {
		ec, cancel, err := s.openPlan(ctx, po.plan, po.params)
		if err != nil {
			return err
		}
		cancel() // a cursor outlives the statement: no statement timeout
		ec.Eval.Ctx = ctx
		po.exec = ec
	}
	ec := po.exec
	ec.Eval.Ctx = ctx
	n := int64(0)
	for all || n < count {
		row, err := po.plan.root.Next(ec)
		if err != nil {
			s.finishPlan(po.plan, po)
			return err
		}
		if row == nil {
			s.finishPlan(po.plan, po)
			break
		}
		n++
		if !st.Ismove {
			if err := w.Row(row); err != nil {
				return err
			}
		}
	}
	return w.Complete(fmt.Sprintf("%s %d", verb, n))
}

func (s *Session) execClosePortal(st *pg_query.ClosePortalStmt, w ResultWriter) error {
	if st.Portalname == "" { // CLOSE ALL
		for _, po := range s.portals {
			if po.cursor {
				s.closePortal(po)
			}
		}
		return w.Complete("CLOSE CURSOR ALL")
	}
	po, ok := s.portals[st.Portalname]
	if !ok || !po.cursor {
		return pgerror.New(pgerror.InvalidCursorName, "cursor \"%s\" does not exist", st.Portalname)
	}
	s.closePortal(po)
	return w.Complete("CLOSE CURSOR")
}

var _ = bound.LockNone

// PreparedStatements lists the session's named prepared statements for
// pg_prepared_statements (the unnamed statement is not listed, as in
// PostgreSQL).
func (s *Session) PreparedStatements() []syscat.PreparedStatement {
	out := make([]syscat.PreparedStatement, 0, len(s.stmts))
	for name, ps := range s.stmts {
		if name == "" {
			continue
		}
		oids := make([]uint32, len(ps.paramTypes))
		for i, t := range ps.paramTypes {
			oids[i] = t.OID
		}
		out = append(out, syscat.PreparedStatement{Name: name, Statement: ps.source, PrepareTime: ps.prepared,
			ParamTypes: oids, FromSQL: ps.fromSQL, GenericPlans: ps.generic})
	}
	return out
}

// Cursors lists the session's SQL cursors (DECLARE) for pg_cursors;
// protocol-level portals are not listed, as PostgreSQL's are invisible.
func (s *Session) Cursors() []syscat.Cursor {
	var out []syscat.Cursor
	for name, po := range s.portals {
		if !po.cursor {
			continue
		}
		out = append(out, syscat.Cursor{Name: name, Statement: po.source, Holdable: po.hold, Binary: po.binary,
			Scrollable: po.scroll, Created: po.created})
	}
	return out
}
