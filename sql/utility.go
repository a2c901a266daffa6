package sql

import (
	"context"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// utility is a statement that is executed directly rather than planned.
type utility func(ctx context.Context, s *Session, w ResultWriter) error

// utilityOf returns the executor of a non-data statement, or nil for
// SELECT/INSERT/UPDATE/DELETE.
func utilityOf(n *pg_query.Node) utility {
	switch {
	case isData(n):
		return nil
	case n.GetTransactionStmt() != nil:
		st := n.GetTransactionStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execTransaction(st, w) }
	case n.GetVariableSetStmt() != nil:
		st := n.GetVariableSetStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execSet(st, w) }
	case n.GetConstraintsSetStmt() != nil:
		st := n.GetConstraintsSetStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execSetConstraints(ctx, st, w) }
	case n.GetVariableShowStmt() != nil:
		st := n.GetVariableShowStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execShow(st.Name, w) }
	case n.GetSelectStmt() != nil: // SELECT INTO (isData takes every other SELECT)
		st := n.GetSelectStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execSelectInto(ctx, st, w) }
	case n.GetCreateTableAsStmt() != nil:
		st := n.GetCreateTableAsStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execCreateTableAs(ctx, st, w) }
	case n.GetRefreshMatViewStmt() != nil:
		st := n.GetRefreshMatViewStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execRefreshMatView(ctx, st, w) }
	case n.GetCreateStmt() != nil:
		st := n.GetCreateStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execCreateTable(ctx, st, w) }
	case n.GetIndexStmt() != nil:
		st := n.GetIndexStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execCreateIndex(ctx, st, w) }
	case n.GetDropStmt() != nil:
		st := n.GetDropStmt()
		if st.RemoveType == pg_query.ObjectType_OBJECT_PUBLICATION {
			return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execDropPublication(ctx, st, w) }
		}
		if st.RemoveType == pg_query.ObjectType_OBJECT_SCHEMA {
			return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execDropSchemas(ctx, st, w) }
		}
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execDrop(ctx, st, w) }
	case n.GetCreatePublicationStmt() != nil:
		st := n.GetCreatePublicationStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error {
			return s.execCreatePublication(ctx, st, w)
		}
	case n.GetAlterPublicationStmt() != nil:
		st := n.GetAlterPublicationStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execAlterPublication(ctx, st, w) }
	case n.GetAlterTableStmt() != nil:
		st := n.GetAlterTableStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execAlterTable(ctx, st, w) }
	case n.GetRenameStmt() != nil:
		st := n.GetRenameStmt()
		if st.RenameType == pg_query.ObjectType_OBJECT_ROLE {
			return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execRenameRole(ctx, st, w) }
		}
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execRename(ctx, st, w) }
	case n.GetCreateRoleStmt() != nil:
		st := n.GetCreateRoleStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execCreateRole(ctx, st, w) }
	case n.GetAlterRoleStmt() != nil:
		st := n.GetAlterRoleStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execAlterRole(ctx, st, w) }
	case n.GetDropRoleStmt() != nil:
		st := n.GetDropRoleStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execDropRole(ctx, st, w) }
	case n.GetTruncateStmt() != nil:
		st := n.GetTruncateStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execTruncate(ctx, st, w) }
	case n.GetVacuumStmt() != nil:
		st := n.GetVacuumStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execVacuum(ctx, st, w) }
	case n.GetCommentStmt() != nil:
		st := n.GetCommentStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execComment(ctx, st, w) }
	case n.GetPrepareStmt() != nil:
		st := n.GetPrepareStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execPrepare(ctx, st, w) }
	case n.GetExecuteStmt() != nil:
		st := n.GetExecuteStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execExecute(ctx, st, w) }
	case n.GetDeallocateStmt() != nil:
		st := n.GetDeallocateStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execDeallocate(st, w) }
	case n.GetDeclareCursorStmt() != nil:
		st := n.GetDeclareCursorStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execDeclareCursor(ctx, st, w) }
	case n.GetFetchStmt() != nil:
		st := n.GetFetchStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execFetch(ctx, st, w) }
	case n.GetClosePortalStmt() != nil:
		st := n.GetClosePortalStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execClosePortal(st, w) }
	case n.GetViewStmt() != nil:
		st := n.GetViewStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execCreateView(ctx, st, w) }
	case n.GetCreateSchemaStmt() != nil:
		st := n.GetCreateSchemaStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execCreateSchema(ctx, st, w) }
	case n.GetCreatedbStmt() != nil:
		st := n.GetCreatedbStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execCreateDatabase(ctx, st, w) }
	case n.GetDropdbStmt() != nil:
		st := n.GetDropdbStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execDropDatabase(ctx, st, w) }
	case n.GetCreateSeqStmt() != nil:
		st := n.GetCreateSeqStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execCreateSequence(ctx, st, w) }
	case n.GetExplainStmt() != nil:
		st := n.GetExplainStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execExplain(ctx, st, w) }
	case n.GetCopyStmt() != nil:
		st := n.GetCopyStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execCopy(ctx, st, w) }
	case n.GetCheckPointStmt() != nil:
		return func(ctx context.Context, s *Session, w ResultWriter) error {
			if err := s.e.store.Checkpoint(); err != nil {
				return err
			}
			return w.Complete("CHECKPOINT")
		}
	case n.GetAlterSeqStmt() != nil:
		st := n.GetAlterSeqStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execAlterSequence(ctx, st, w) }
	case n.GetAlterOwnerStmt() != nil:
		st := n.GetAlterOwnerStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execAlterOwner(ctx, st, w) }
	case n.GetLockStmt() != nil:
		st := n.GetLockStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execLockTable(st, w) }
	case n.GetListenStmt() != nil:
		st := n.GetListenStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execListen(st, w) }
	case n.GetUnlistenStmt() != nil:
		st := n.GetUnlistenStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execUnlisten(st, w) }
	case n.GetNotifyStmt() != nil:
		st := n.GetNotifyStmt()
		return func(ctx context.Context, s *Session, w ResultWriter) error { return s.execNotify(st, w) }
	case n.GetDiscardStmt() != nil:
		target := n.GetDiscardStmt().Target
		return func(ctx context.Context, s *Session, w ResultWriter) error {
			if target == pg_query.DiscardMode_DISCARD_TEMP {
				// Allowed in a transaction block, as PostgreSQL's.
				if err := s.discardTemp(ctx); err != nil {
					return err
				}
				return w.Complete("DISCARD TEMP")
			}
			if s.txn != nil && s.txn.explicit {
				return pgerror.New(pgerror.ActiveSQLTransaction, "DISCARD ALL cannot run inside a transaction block")
			}
			if target == pg_query.DiscardMode_DISCARD_ALL {
				if err := s.discardTemp(ctx); err != nil {
					return err
				}
			}
			for name := range s.stmts {
				if name != "" {
					delete(s.stmts, name)
				}
			}
			if s.listener != nil {
				s.listener.UnlistenAll() // DISCARD ALL includes UNLISTEN *
			}
			return w.Complete("DISCARD ALL")
		}
	}
	return func(ctx context.Context, s *Session, w ResultWriter) error {
		return pgerror.New(pgerror.FeatureNotSupported, "statement %s is not supported yet", nodeName(n))
	}
}

// utilityColumns are the result columns a utility statement returns
// (SHOW and EXPLAIN return rows).
func utilityColumns(s *Session, n *pg_query.Node) []Column {
	switch {
	case n.GetVariableShowStmt() != nil:
		name := n.GetVariableShowStmt().Name
		if strings.EqualFold(name, "all") {
			return []Column{{Name: "name", Type: types.Text}, {Name: "setting", Type: types.Text}, {Name: "description", Type: types.Text}}
		}
		if set, err := s.findSetting(name); err == nil {
			name = set.name
		}
		return []Column{{Name: name, Type: types.Text}}
	case n.GetExplainStmt() != nil:
		if explainJSON(n.GetExplainStmt()) {
			return []Column{{Name: "QUERY PLAN", Type: types.JSON}} // as PostgreSQL describes FORMAT JSON
		}
		return []Column{{Name: "QUERY PLAN", Type: types.Text}}
	case n.GetFetchStmt() != nil && !n.GetFetchStmt().Ismove:
		// FETCH returns its cursor's columns; PostgreSQL describes it so.
		if po, ok := s.portals[n.GetFetchStmt().Portalname]; ok && po.cursor {
			return po.stmt.cols
		}
	case n.GetExecuteStmt() != nil:
		if ps, ok := s.stmts[n.GetExecuteStmt().Name]; ok && !ps.utility {
			return ps.cols
		}
	}
	return nil
}

func (s *Session) execUtility(ctx context.Context, p *parsed, u utility, w ResultWriter) error {
	if cols := utilityColumns(s, p.stmt); cols != nil {
		if err := w.Columns(cols, make([]int16, len(cols)), true); err != nil {
			return err
		}
	}
	return u(ctx, s, w)
}

// execUtilityExtended runs a utility statement through Execute: the
// RowDescription, if any, was sent by Describe.
func (s *Session) execUtilityExtended(ctx context.Context, p *parsed, u utility, w ResultWriter, po *portal) error {
	if cols := utilityColumns(s, p.stmt); cols != nil {
		if err := w.Columns(cols, po.formats, false); err != nil {
			return err
		}
	}
	return u(ctx, s, w)
}

// --- transaction control ---

func txnOptions(s *Session, opts []*pg_query.Node) error {
	for _, o := range opts {
		de := o.GetDefElem()
		if de == nil {
			continue
		}
		v := ""
		if c := de.Arg.GetAConst(); c != nil {
			if sv, ok := c.Val.(*pg_query.A_Const_Sval); ok {
				v = sv.Sval.Sval
			}
			if iv, ok := c.Val.(*pg_query.A_Const_Ival); ok {
				if iv.Ival.Ival != 0 {
					v = "on"
				} else {
					v = "off"
				}
			}
		}
		switch de.Defname {
		case "transaction_isolation":
			canon, err := checkIsolation(s, v)
			if err != nil {
				return pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"transaction_isolation\": \"%s\"", v)
			}
			s.txn.iso, s.txn.isoName = isolationFromName(canon), canon
		case "transaction_read_only":
			s.txn.readOnly = v == "on"
		case "transaction_deferrable":
		}
	}
	return nil
}

func (s *Session) execTransaction(st *pg_query.TransactionStmt, w ResultWriter) error {
	switch st.Kind {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN, pg_query.TransactionStmtKind_TRANS_STMT_START:
		switch {
		case s.txn == nil:
			s.beginTxn(true)
		case !s.txn.explicit:
			s.txn.explicit = true // BEGIN inside a multi-statement string
		default:
			w.Notice(warning(pgerror.ActiveSQLTransaction, "there is already a transaction in progress"))
			return w.Complete("BEGIN")
		}
		if err := txnOptions(s, st.Options); err != nil {
			return err
		}
		if st.Kind == pg_query.TransactionStmtKind_TRANS_STMT_START {
			return w.Complete("START TRANSACTION")
		}
		return w.Complete("BEGIN")
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
		if s.txn == nil || !s.txn.explicit {
			w.Notice(warning(pgerror.NoActiveSQLTransaction, "there is no transaction in progress"))
			if s.txn != nil {
				if err := s.commitTxn(); err != nil {
					return err
				}
			}
			return w.Complete("COMMIT")
		}
		if s.txn.failed {
			s.rollbackTxn()
			return w.Complete("ROLLBACK")
		}
		if err := s.commitTxn(); err != nil {
			return err
		}
		return w.Complete("COMMIT")
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		if s.txn == nil || !s.txn.explicit {
			w.Notice(warning(pgerror.NoActiveSQLTransaction, "there is no transaction in progress"))
		}
		if s.txn != nil {
			s.rollbackTxn()
		}
		return w.Complete("ROLLBACK")
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		if s.txn == nil || !s.txn.explicit {
			return pgerror.New(pgerror.NoActiveSQLTransaction, "SAVEPOINT can only be used in transaction blocks")
		}
		sp := savepoint{name: st.SavepointName, id: s.kvTxn().Savepoint()}
		s.notifySavepoint(&sp)
		sp.logicalMark = s.txn.changes.Mark()
		if s.txn.cat != nil {
			sp.cat = s.txn.cat.Clone()
		}
		s.txn.savepoints = append(s.txn.savepoints, sp)
		return w.Complete("SAVEPOINT")
	case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
		if s.txn == nil || !s.txn.explicit {
			return pgerror.New(pgerror.NoActiveSQLTransaction, "RELEASE SAVEPOINT can only be used in transaction blocks")
		}
		i := s.findSavepoint(st.SavepointName)
		if i < 0 {
			return pgerror.New(pgerror.InvalidSavepointSpecification, "savepoint \"%s\" does not exist", st.SavepointName)
		}
		if err := s.txn.kv.ReleaseSavepoint(s.txn.savepoints[i].id); err != nil {
			return err
		}
		s.txn.savepoints = s.txn.savepoints[:i]
		return w.Complete("RELEASE")
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		if s.txn == nil || !s.txn.explicit {
			return pgerror.New(pgerror.NoActiveSQLTransaction, "ROLLBACK TO SAVEPOINT can only be used in transaction blocks")
		}
		i := s.findSavepoint(st.SavepointName)
		if i < 0 {
			return pgerror.New(pgerror.InvalidSavepointSpecification, "savepoint \"%s\" does not exist", st.SavepointName)
		}
		sp := s.txn.savepoints[i]
		if err := s.txn.kv.RollbackTo(sp.id); err != nil {
			return err
		}
		s.rollbackNotifyTo(&sp)
		s.txn.changes.Truncate(sp.logicalMark)
		if s.txn.cat != nil {
			if sp.cat != nil {
				s.txn.cat = sp.cat.Clone()
			} else {
				// DDL started after the savepoint: back to the published catalog
				// (the DDL lock stays held until the transaction ends).
				s.txn.cat = s.e.Catalog().Clone()
			}
		}
		s.txn.savepoints = s.txn.savepoints[:i+1]
		s.txn.failed = false
		return w.Complete("ROLLBACK")
	}
	return pgerror.New(pgerror.FeatureNotSupported, "two-phase commit is not supported")
}

func (s *Session) findSavepoint(name string) int {
	if s.txn == nil {
		return -1
	}
	for i := len(s.txn.savepoints) - 1; i >= 0; i-- {
		if s.txn.savepoints[i].name == name {
			return i
		}
	}
	return -1
}

func warning(code pgerror.Code, msg string) *pgerror.Error {
	e := pgerror.New(code, "%s", msg)
	e.Severity = pgerror.SeverityWarning
	return e
}

// --- SET / SHOW / RESET ---

func setArgText(args []*pg_query.Node) string {
	var parts []string
	for _, a := range args {
		if c := a.GetAConst(); c != nil {
			switch v := c.Val.(type) {
			case *pg_query.A_Const_Sval:
				parts = append(parts, v.Sval.Sval)
			case *pg_query.A_Const_Ival:
				parts = append(parts, itoa(int(v.Ival.Ival)))
			case *pg_query.A_Const_Fval:
				parts = append(parts, v.Fval.Fval)
			case *pg_query.A_Const_Boolval:
				if v.Boolval.Boolval {
					parts = append(parts, "on")
				} else {
					parts = append(parts, "off")
				}
			}
			continue
		}
		if tc := a.GetTypeCast(); tc != nil {
			// SET TIME ZONE INTERVAL '...' and similar: use the literal.
			parts = append(parts, setArgText([]*pg_query.Node{tc.Arg}))
		}
	}
	return strings.Join(parts, ", ")
}

func (s *Session) execSet(st *pg_query.VariableSetStmt, w ResultWriter) error {
	name := st.Name
	switch st.Kind {
	case pg_query.VariableSetKind_VAR_SET_MULTI:
		switch name {
		case "TRANSACTION", "SESSION CHARACTERISTICS":
			if name == "TRANSACTION" && s.txn != nil && s.txn.kv != nil {
				return pgerror.New(pgerror.ActiveSQLTransaction, "SET TRANSACTION ISOLATION LEVEL must be called before any query")
			}
			for _, a := range st.Args {
				de := a.GetDefElem()
				if de == nil {
					continue
				}
				v := setArgText([]*pg_query.Node{de.Arg})
				target := de.Defname
				if name == "SESSION CHARACTERISTICS" {
					target = "default_" + de.Defname
				}
				if target == "transaction_read_only" || target == "default_transaction_read_only" {
					if v == "1" {
						v = "on"
					} else if v == "0" {
						v = "off"
					}
				}
				set, err := lookupSetting(target)
				if err != nil {
					continue
				}
				if _, err := s.setValue(set, v, false, w); err != nil {
					return err
				}
			}
			return w.Complete("SET")
		}
		return pgerror.New(pgerror.FeatureNotSupported, "SET %s is not supported", name)
	case pg_query.VariableSetKind_VAR_RESET_ALL:
		for _, set := range settingsList {
			if !set.static {
				if err := s.resetValue(set, w); err != nil {
					return err
				}
			}
		}
		return w.Complete("RESET")
	}
	if name == "timezone" && st.Kind == pg_query.VariableSetKind_VAR_SET_VALUE && len(st.Args) == 1 {
		if c := st.Args[0].GetAConst(); c != nil && c.Isnull {
			st.Kind = pg_query.VariableSetKind_VAR_SET_DEFAULT
		}
	}
	set, err := s.findSettingToSet(name)
	if err != nil {
		return err
	}
	switch st.Kind {
	case pg_query.VariableSetKind_VAR_SET_VALUE:
		v := setArgText(st.Args)
		if strings.EqualFold(set.name, "search_path") {
			v = searchPathText(st.Args)
		}
		if strings.EqualFold(set.name, "timezone") {
			if zone, ok := intervalZone(s, st.Args); ok {
				v = zone
			}
		}
		if _, err := s.setValue(set, v, st.IsLocal, w); err != nil {
			return err
		}
		return w.Complete("SET")
	case pg_query.VariableSetKind_VAR_SET_DEFAULT, pg_query.VariableSetKind_VAR_RESET:
		if err := s.resetValue(set, w); err != nil {
			return err
		}
		if st.Kind == pg_query.VariableSetKind_VAR_RESET {
			return w.Complete("RESET")
		}
		return w.Complete("SET")
	}
	return pgerror.New(pgerror.FeatureNotSupported, "SET form not supported")
}

// searchPathText renders SET search_path's list as PostgreSQL stores it:
// identifiers quoted where they need it.
func searchPathText(args []*pg_query.Node) string {
	var parts []string
	for _, a := range args {
		v := setArgText([]*pg_query.Node{a})
		if v != strings.ToLower(v) || strings.ContainsAny(v, " ,\"$") && v != "$user" {
			v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
		} else if v == "$user" {
			v = `"$user"`
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, ", ")
}

func (s *Session) execShow(name string, w ResultWriter) error {
	if strings.EqualFold(name, "all") {
		for _, set := range settingsList {
			if err := w.Row([]types.Datum{types.NewText(set.name), types.NewText(s.showValue(set)), types.NewText(set.short)}); err != nil {
				return err
			}
		}
		return w.Complete("SHOW")
	}
	set, err := s.findSetting(name)
	if err != nil {
		return err
	}
	if err := w.Row([]types.Datum{types.NewText(s.showValue(set))}); err != nil {
		return err
	}
	return w.Complete("SHOW")
}

// intervalZone reads SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE, whose
// sign is ISO's (east positive). (PostgreSQL shows it as <+05:30>-05:30;
// we show the equivalent hours, 5.5.)
func intervalZone(s *Session, args []*pg_query.Node) (string, bool) {
	if len(args) != 1 || args[0].GetTypeCast() == nil {
		return "", false
	}
	tc := args[0].GetTypeCast()
	names := tc.TypeName.Names
	if len(names) == 0 || strVal(names[len(names)-1]) != "interval" {
		return "", false
	}
	d, err := types.ParseText(types.Interval, setArgText([]*pg_query.Node{tc.Arg}), s.types)
	if err != nil {
		return "", false
	}
	// A plain number is hours east of UTC for the TimeZone setting.
	iv := d.Interval()
	return strconv.FormatFloat(float64(iv.Micros)/3.6e9, 'f', -1, 64), true
}
