package sql

import (
	"context"
	"time"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// portal is a bound statement ready to execute (extended protocol).
type portal struct {
	name    string
	stmt    *preparedStmt
	params  []types.Datum
	formats []int16 // one per result column
	plan    *plan
	exec    *executor.Ctx // non-nil while suspended mid-result
	sent    int64
	done    bool
	cursor  bool // a SQL cursor (DECLARE), not a protocol portal
	scroll  bool
	scr     *scrollState // a SCROLL cursor's rows and position (cursor_scroll.go)
	hold    bool         // WITH HOLD: materialized at commit, then kept
	held    bool         // materialized by a commit: outlives transactions
	// A cursor's source (the query string holding its DECLARE), its
	// creation time and the BINARY option, for pg_cursors.
	source  string
	created time.Time
	binary  bool
}

// Prepare handles Parse.
func (s *Session) Prepare(ctx context.Context, name, query string, paramOIDs []uint32) (perr *pgerror.Error) {
	defer s.recoverPanic(&perr)
	if name != "" {
		if _, exists := s.stmts[name]; exists {
			return pgerror.New(pgerror.DuplicatePreparedStatement, "prepared statement \"%s\" already exists", name)
		}
	}
	stmts, err := parse(query)
	if err != nil {
		return toPgError(err)
	}
	if len(stmts) > 1 {
		return pgerror.New(pgerror.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	var ps *preparedStmt
	if len(stmts) == 0 {
		ps = &preparedStmt{utility: true}
	} else {
		if s.txn != nil && s.txn.failed && !allowedWhenFailed(stmts[0].stmt) {
			return errAborted
		}
		paramTypes := make([]types.Type, len(paramOIDs))
		for i, oid := range paramOIDs {
			if oid == 0 {
				paramTypes[i] = types.Unknown
			} else {
				paramTypes[i] = types.Type{OID: oid, Typmod: -1}
			}
		}
		ps, err = s.prepareParsed(ctx, &stmts[0], paramTypes, true)
		if err != nil {
			return toPgError(err)
		}
	}
	ps.name, ps.source, ps.prepared = name, query, s.e.cfg.Now()
	s.stmts[name] = ps
	return nil
}

// Bind handles Bind: it decodes the parameters with their statement types.
func (s *Session) Bind(ctx context.Context, portalName, stmtName string, paramFormats []int16, params [][]byte, resultFormats []int16) (perr *pgerror.Error) {
	defer s.recoverPanic(&perr)
	ps, ok := s.stmts[stmtName]
	if !ok {
		return pgerror.New(pgerror.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", stmtName)
	}
	if len(params) != len(ps.paramTypes) {
		return pgerror.New(pgerror.ProtocolViolation, "bind message supplies %d parameters, but prepared statement \"%s\" requires %d", len(params), stmtName, len(ps.paramTypes))
	}
	if portalName != "" {
		if _, exists := s.portals[portalName]; exists {
			return pgerror.New(pgerror.DuplicateCursor, "portal \"%s\" already exists", portalName)
		}
	}
	if s.txn != nil && s.txn.failed && (ps.p.stmt == nil || !allowedWhenFailed(ps.p.stmt)) {
		return errAborted
	}
	vals := make([]types.Datum, len(params))
	for i, raw := range params {
		if raw == nil {
			continue
		}
		f := FormatText
		switch {
		case len(paramFormats) == 1:
			f = paramFormats[0]
		case len(paramFormats) > i:
			f = paramFormats[i]
		}
		var d types.Datum
		var err error
		if f == FormatBinary {
			d, err = types.ParseBinary(ps.paramTypes[i], raw)
		} else {
			d, err = types.ParseText(ps.paramTypes[i], string(raw), s.types)
		}
		if err != nil {
			return toPgError(err)
		}
		vals[i] = d
	}
	ps.generic++ // PostgreSQL counts a plan per Bind (GetCachedPlan)
	formats := make([]int16, len(ps.cols))
	for i := range formats {
		switch {
		case len(resultFormats) == 1:
			formats[i] = resultFormats[0]
		case len(resultFormats) > i:
			formats[i] = resultFormats[i]
		}
	}
	if old := s.portals[portalName]; old != nil {
		s.closePortal(old)
	}
	s.portals[portalName] = &portal{name: portalName, stmt: ps, params: vals, formats: formats}
	return nil
}

// DescribeStatement handles Describe('S').
func (s *Session) DescribeStatement(name string) ([]uint32, []Column, *pgerror.Error) {
	ps, ok := s.stmts[name]
	if !ok {
		return nil, nil, pgerror.New(pgerror.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", name)
	}
	oids := make([]uint32, len(ps.paramTypes))
	for i, t := range ps.paramTypes {
		oids[i] = t.OID
	}
	return oids, ps.cols, nil
}

// DescribePortal handles Describe('P').
func (s *Session) DescribePortal(name string) ([]Column, []int16, *pgerror.Error) {
	po, ok := s.portals[name]
	if !ok {
		return nil, nil, pgerror.New(pgerror.InvalidCursorName, "portal \"%s\" does not exist", name)
	}
	return po.stmt.cols, po.formats, nil
}

// Execute runs a portal (or resumes a suspended one).
func (s *Session) Execute(ctx context.Context, portalName string, maxRows int, w ResultWriter) (suspended bool, perr *pgerror.Error) {
	defer s.recoverPanic(&perr)
	po, ok := s.portals[portalName]
	if !ok {
		return false, pgerror.New(pgerror.InvalidCursorName, "portal \"%s\" does not exist", portalName)
	}
	ps := po.stmt
	if ps.p.stmt == nil {
		w.EmptyQuery()
		return false, nil
	}
	if po.done {
		// PostgreSQL answers a re-execution of a finished portal with an
		// empty result.
		return false, toPgError(w.Complete("SELECT 0"))
	}
	if s.txn != nil && s.txn.failed && !allowedWhenFailed(ps.p.stmt) {
		return false, errAborted
	}
	if s.txn == nil && needsTxn(ps.p.stmt) {
		s.beginTxn(false)
	}
	if ps.utility {
		po.done = true
		s.sourceText = ps.source
		if u := utilityOf(ps.p.stmt); u != nil {
			s.utilityParams = ps.paramTypes
			if s.utilityParams == nil {
				s.utilityParams = []types.Type{}
			}
			s.utilityArgs = po.params
			err := s.execUtilityExtended(ctx, &ps.p, u, w, po)
			s.utilityParams, s.utilityArgs = nil, nil
			if err != nil {
				s.failTxn()
				return false, toPgError(err)
			}
		}
		return false, nil
	}
	if po.plan == nil {
		pl, err := s.planFor(ctx, ps)
		if err != nil {
			s.failTxn()
			return false, toPgError(err)
		}
		po.plan = pl
	}
	if len(ps.cols) > 0 {
		if err := w.Columns(ps.cols, po.formats, false); err != nil {
			return false, toPgError(err)
		}
	}
	susp, err := s.runPlan(ctx, po.plan, po.params, w, maxRows, po)
	if err != nil {
		s.failTxn()
		return false, toPgError(err)
	}
	return susp, nil
}

// CloseStatement handles Close('S').
func (s *Session) CloseStatement(name string) {
	delete(s.stmts, name)
}

// ClosePortal handles Close('P').
func (s *Session) ClosePortal(name string) {
	if po := s.portals[name]; po != nil {
		s.closePortal(po)
	}
}

func (s *Session) closePortal(po *portal) {
	if po.exec != nil && po.plan != nil {
		po.plan.root.Close()
		po.plan.inUse = false
		po.exec = nil
	}
	delete(s.portals, po.name)
}

func (s *Session) closeAllPortals() {
	for _, po := range s.portals {
		if po.held {
			continue // a WITH HOLD cursor outlives the transaction
		}
		s.closePortal(po)
	}
}

// Sync ends the extended protocol's implicit transaction.
func (s *Session) Sync(ctx context.Context) (perr *pgerror.Error) {
	defer s.recoverPanic(&perr)
	if s.txn != nil && !s.txn.explicit {
		if err := s.commitTxn(); err != nil {
			return toPgError(err)
		}
	}
	return nil
}
