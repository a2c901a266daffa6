package sql

import (
	"context"
	"fmt"
	"runtime/debug"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// ExecSimple runs a simple-protocol query string: its statements share one
// implicit transaction unless they open or close explicit ones, and the
// first error ends the string (as PostgreSQL's exec_simple_query).
func (s *Session) ExecSimple(ctx context.Context, query string, w ResultWriter) (perr *pgerror.Error) {
	defer s.recoverPanic(&perr)
	var one [1]parsed
	var stmts []parsed
	if p, ok := s.literals.lookup(query); ok {
		one[0] = *p
		stmts = one[:]
	} else if p := s.literals.remember(query); p != nil {
		one[0] = *p
		stmts = one[:]
	} else {
		var err error
		if stmts, err = parse(query); err != nil {
			s.failTxn()
			return toPgError(err)
		}
	}
	if len(stmts) == 0 {
		w.EmptyQuery()
		return nil
	}
	s.sourceText = query
	for i := range stmts {
		p := &stmts[i]
		if err := s.execParsed(ctx, p, nil, w, len(stmts) > 1); err != nil {
			s.failTxn()
			return positionInQuery(toPgError(err), p)
		}
	}
	// The implicit transaction of the string ends with it.
	if s.txn != nil && !s.txn.explicit {
		if err := s.commitTxn(); err != nil {
			return toPgError(err)
		}
	}
	return nil
}

// positionInQuery shifts an error position relative to a statement's own
// text to the whole query string.
func positionInQuery(e *pgerror.Error, p *parsed) *pgerror.Error {
	return e
}

// failTxn records an error: an explicit transaction enters the failed
// state (25P02 until ROLLBACK); an implicit one is rolled back.
func (s *Session) failTxn() {
	if s.txn == nil {
		return
	}
	if s.txn.explicit {
		s.txn.failed = true
		s.closeAllPortals()
		return
	}
	s.rollbackTxn()
}

// recoverPanic turns a panic in one session into XX000 for that session.
func (s *Session) recoverPanic(perr **pgerror.Error) {
	if r := recover(); r != nil {
		s.e.lg.Error("panic in session", "panic", r, "stack", string(debug.Stack()))
		*perr = pgerror.New(pgerror.InternalError, "internal error: %v", r)
		s.failTxn()
	}
}

var errAborted = pgerror.New(pgerror.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")

// execParsed runs one parsed statement through the simple protocol.
func (s *Session) execParsed(ctx context.Context, p *parsed, params []types.Datum, w ResultWriter, multi bool) error {
	if s.txn != nil && s.txn.failed && !allowedWhenFailed(p.stmt) {
		return errAborted
	}
	if s.txn == nil && needsTxn(p.stmt) {
		s.beginTxn(false)
	}
	if u := utilityOf(p.stmt); u != nil {
		return s.execUtility(ctx, p, u, w)
	}
	ps, err := s.prepareParsed(ctx, p, nil, false)
	if err != nil {
		return err
	}
	pl, err := s.planFor(ctx, ps)
	if err != nil {
		return err
	}
	formats := make([]int16, len(ps.cols))
	if len(ps.cols) > 0 {
		if err := w.Columns(ps.cols, formats, true); err != nil {
			return err
		}
	}
	_, err = s.runPlan(ctx, pl, params, w, 0, nil)
	return err
}

// needsTxn: every statement but transaction control runs in a transaction.
func needsTxn(n *pg_query.Node) bool {
	if ts := n.GetTransactionStmt(); ts != nil {
		return ts.Kind != pg_query.TransactionStmtKind_TRANS_STMT_BEGIN && ts.Kind != pg_query.TransactionStmtKind_TRANS_STMT_START
	}
	return true
}

// allowedWhenFailed: in a failed transaction only ROLLBACK (and COMMIT,
// which rolls back) and ROLLBACK TO SAVEPOINT run.
func allowedWhenFailed(n *pg_query.Node) bool {
	ts := n.GetTransactionStmt()
	if ts == nil {
		return false
	}
	switch ts.Kind {
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT, pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK,
		pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO, pg_query.TransactionStmtKind_TRANS_STMT_PREPARE,
		pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		return true
	}
	return false
}

// plan is an executable form of a data statement.
type plan struct {
	root   executor.Node
	writer executor.Writer // root as a writer (INSERT/UPDATE/DELETE), or nil
	tag    string
	gen    uint64 // catalog state it was built against
	// settingsGen is the session's settings generation it was built under.
	settingsGen uint64
	inUse       bool
	// table is the OID of the table a writer modifies, whose modified-row
	// count feeds automatic ANALYZE.
	table uint32
	// statsGen is the statistics generation it was planned under.
	statsGen uint64
}

// runPlan executes pl (or resumes a suspended portal), sending rows to w.
// It returns whether the portal was suspended by maxRows.
func (s *Session) runPlan(ctx context.Context, pl *plan, params []types.Datum, w ResultWriter, maxRows int, po *portal) (bool, error) {
	var ec *executor.Ctx
	if po != nil && po.exec != nil {
		ec = po.exec
	} else {
		var cancel context.CancelFunc
		var err error
		if ec, cancel, err = s.openPlan(ctx, pl, params); err != nil {
			return false, err
		}
		defer cancel()
		if po != nil {
			po.exec = ec
		}
	}
	if po != nil {
		// A resumed portal runs under the context of this Execute.
		ec.Eval.Ctx = ctx
	}
	n := 0
	if po != nil {
		n = int(po.sent)
	}
	sent := 0
	for {
		if maxRows > 0 && sent >= maxRows {
			if po != nil {
				po.sent += int64(sent)
			}
			return true, nil
		}
		row, err := pl.root.Next(ec)
		if err != nil {
			s.finishPlan(pl, po)
			return false, err
		}
		if row == nil {
			break
		}
		if err := w.Row(row); err != nil {
			s.finishPlan(pl, po)
			return false, err
		}
		sent++
	}
	s.finishPlan(pl, po)
	// The tag counts the rows this Execute sent, as PostgreSQL's does
	// for a resumed portal.
	total := int64(sent)
	_ = n
	var tag string
	switch {
	case pl.writer != nil && pl.tag == "INSERT":
		s.e.stats.noteWrites(pl.table, pl.writer.RowsAffected())
		tag = fmt.Sprintf("INSERT 0 %d", pl.writer.RowsAffected())
	case pl.writer != nil:
		s.e.stats.noteWrites(pl.table, pl.writer.RowsAffected())
		tag = fmt.Sprintf("%s %d", pl.tag, pl.writer.RowsAffected())
	default:
		tag = fmt.Sprintf("SELECT %d", total)
	}
	return false, w.Complete(tag)
}

// openPlan starts executing a plan: a statement snapshot, the statement
// timeout, and the executor context. cancel ends the timeout's context.
func (s *Session) openPlan(ctx context.Context, pl *plan, params []types.Datum) (*executor.Ctx, context.CancelFunc, error) {
	if s.txn.readOnly && pl.writer != nil {
		s.statementStart()
		return nil, func() {}, pgerror.New(pgerror.ReadOnlySQLTransaction, "cannot execute %s in a read-only transaction", pl.tag)
	}
	ctx, cancel := s.startStatement(ctx)
	ec := s.execCtx(ctx)
	ec.Eval.Params = params
	if err := pl.root.Open(ec); err != nil {
		pl.root.Close()
		cancel()
		return nil, func() {}, err
	}
	pl.inUse = true
	return ec, cancel, nil
}

// startStatement marks the start of a statement (statement_timestamp, a
// fresh snapshot under READ COMMITTED) and bounds ctx by statement_timeout.
func (s *Session) startStatement(ctx context.Context) (context.Context, context.CancelFunc) {
	s.statementStart()
	if timeout := s.statementTimeout(); timeout > 0 {
		return context.WithTimeout(ctx, timeout)
	}
	return ctx, func() {}
}

// execCtx is the executor context of one statement: the session's
// evaluation context, its kv transaction (with lock_timeout applied) and a
// memory budget.
func (s *Session) execCtx(ctx context.Context) *executor.Ctx {
	ec := &executor.Ctx{Eval: s.evalCtx(ctx), Txn: s.kvTxn(), Budget: &executor.MemBudget{Limit: s.queryMemLimit()}, Changes: s,
		Logical: s.txn != nil && s.txn.logical}
	ec.Eval.Exec = ec
	ec.Deferred = (*txnDeferred)(s)
	ec.Txn.SetLockTimeout(s.lockTimeout())
	ec.Txn.ThawOwnWrites() // a statement that froze them and failed before closing
	return ec
}

func (s *Session) finishPlan(pl *plan, po *portal) {
	pl.root.Close()
	pl.inUse = false
	if po != nil {
		po.exec = nil
		po.done = true
	}
}

// queryMemLimit bounds what one query's sorts and hash tables hold.
func (s *Session) queryMemLimit() int64 {
	s.refreshTimeouts()
	return s.timeouts.memLimit
}
