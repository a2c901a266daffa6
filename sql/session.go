package sql

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/syscat"
	"github.com/prkdb/prkdb-sql/sql/types"
	"github.com/prkdb/prkdb-sql/stream"
)

// Session is one client connection's state. Not safe for concurrent use:
// pgwire drives it from one goroutine.
type Session struct {
	e *Engine
	// replTypesOf, replTypes: the column types of the table whose row
	// changes were last recorded for logical decoding (replication.go).
	replTypesOf *catalog.Table
	replTypes   []types.Type
	// settingsGen counts changes of the session's settings: plans fold
	// constants under the settings they were built with (TimeZone,
	// DateStyle, search_path), so a change makes cached plans stale.
	settingsGen uint64
	// timeouts caches statement_timeout and lock_timeout for settingsGen.
	timeouts struct {
		gen             uint64
		valid           bool
		statement, lock time.Duration
		memLimit        int64 // prkdb.query_mem_limit in bytes
	}
	params SessionParams
	user   string
	// roleOID is the session user's role (connection limits count it;
	// role DDL checks its privileges).
	roleOID uint32
	dbOID   uint32
	dbName  string

	settings sessionSettings
	types    *types.Settings

	txn *txnState

	stmts   map[string]*preparedStmt
	portals map[string]*portal
	// literals keeps parse trees of simple-protocol query shapes.
	literals literalCache
	// searchPathCache is search_path parsed, for the raw value and user.
	searchPathCache struct {
		raw, user string
		path      []string
	}

	currvals map[uint32]int64
	lastval  *int64
	// utilityParams are the parameter types of the utility statement
	// being executed through the extended protocol (nil otherwise).
	utilityParams []types.Type
	// utilityArgs are the values of those parameters.
	utilityArgs []types.Datum
	// matviewFill is the materialized view REFRESH is refilling: the one
	// its INSERT may write.
	matviewFill uint32
	// sourceText is the query string being executed (the simple query's,
	// or the extended-protocol statement's): PREPARE and DECLARE keep it
	// for pg_prepared_statements and pg_cursors.
	sourceText string

	// listener is the session's LISTEN state (nil until its first LISTEN
	// commits); notifyWake is pgwire's wake-up for it (notify.go).
	listener   *stream.Listener
	notifyWake func()

	// temp: the session's temporary schema slot (0 until its first
	// temporary table) and its ON COMMIT DELETE ROWS tables (temp.go).
	temp struct {
		slot       int
		deleteRows map[uint32]bool
	}
}

// txnState is an open transaction (explicit, or the implicit one of a
// statement, a multi-statement query string or an extended-protocol batch).
type txnState struct {
	kv       *kv.Txn
	explicit bool
	failed   bool
	iso      kv.Isolation
	isoName  string // as set ("read uncommitted" runs as read committed)
	readOnly bool
	// cat is this transaction's private catalog once it ran DDL; it holds
	// the engine's DDL lock until the transaction ends.
	cat        *catalog.Catalog
	savepoints []savepoint
	start      int64 // now(), µs since 2000-01-01
	id         int64
	// savedSettings restores SET (not LOCAL) values on rollback.
	savedSettings map[string]*string
	// notify and listenOps are the transaction's NOTIFYs and LISTEN /
	// UNLISTENs, applied at commit (notify.go).
	notify    stream.Pending
	listenOps []listenOp
	// deferred: SET CONSTRAINTS and the queued deferred FK checks (deferred.go).
	deferred *deferredFKs
	// logical: the transaction records its logical changes (a slot
	// exists); nonLogical: it counts in replState.nonLogical until it
	// ends (replication.go).
	logical, nonLogical bool
	changes             stream.Changes
	// schemaChanged: changes holds table descriptions (a DDL transaction).
	schemaChanged bool
	// onCommit: the temporary tables with ON COMMIT DELETE ROWS or DROP
	// it created (temp.go); a savepoint keeps its length.
	onCommit []tempOnCommit
}

type savepoint struct {
	name string
	id   int
	cat  *catalog.Catalog
	// notifyMark, listenMark: lengths of the pending NOTIFY and LISTEN
	// lists when the savepoint was taken.
	notifyMark, listenMark int
	// logicalMark: the logical changes recorded before it.
	logicalMark [2]int
	// onCommitMark: the length of txnState.onCommit when it was taken.
	onCommitMark int
}

// NewSession checks that the role and database exist (FATAL 28000 / 3D000
// otherwise) and applies startup options.
func (e *Engine) NewSession(p SessionParams) (*Session, *pgerror.Error) {
	cat := e.Catalog()
	if p.User == "" {
		p.User = "postgres"
	}
	if p.Database == "" {
		p.Database = p.User
	}
	role := cat.RoleByName(p.User)
	if role == nil {
		err := pgerror.New(pgerror.InvalidAuthorizationSpecification, "role \"%s\" does not exist", p.User)
		err.Severity = pgerror.SeverityFatal
		return nil, err
	}
	if err := e.checkLogin(role); err != nil {
		return nil, err
	}
	db := cat.DatabaseByName(p.Database)
	if db == nil {
		err := pgerror.New(pgerror.InvalidCatalogName, "database \"%s\" does not exist", p.Database)
		err.Severity = pgerror.SeverityFatal
		return nil, err
	}
	if db.NoConnections {
		err := pgerror.New(pgerror.ObjectNotInPrerequisiteState, "database \"%s\" is not currently accepting connections", p.Database)
		err.Severity = pgerror.SeverityFatal
		return nil, err
	}
	s := &Session{e: e, params: p, user: role.Name, roleOID: role.OID, dbOID: db.OID, dbName: db.Name,
		settings: sessionSettings{vals: map[string]string{}}, types: types.DefaultSettings(),
		stmts: map[string]*preparedStmt{}, portals: map[string]*portal{}, currvals: map[uint32]int64{}}
	if loc, err := types.LoadTimeZone(settingsByName["timezone"].def); err == nil {
		s.types.TimeZone = loc
	}
	s.types.RegName = s.regName
	s.types.RegOID = s.regOID
	s.settings.vals["session_authorization"] = role.Name
	if !role.Superuser {
		s.settings.vals["is_superuser"] = "off"
	}
	for name, v := range p.Options {
		set, err := lookupSetting(name)
		if err != nil || set.static {
			continue // PostgreSQL rejects unknown startup options; drivers send harmless extras
		}
		if _, err := s.setValue(set, v, false, nil); err != nil {
			fe := pgerror.From(err)
			fe.Severity = pgerror.SeverityFatal
			return nil, fe
		}
	}
	if err := e.register(s, role); err != nil {
		return nil, err
	}
	return s, nil
}

// ParameterStatuses are the ParameterStatus messages sent after startup.
func (s *Session) ParameterStatuses() []ParamStatus {
	var out []ParamStatus
	for _, set := range settingsList {
		if set.report {
			out = append(out, ParamStatus{Name: set.name, Value: s.settings.get(set)})
		}
	}
	return out
}

// TypeSettings are the session's value formatting settings (TimeZone,
// DateStyle, IntervalStyle, extra_float_digits) for encoding results.
func (s *Session) TypeSettings() *types.Settings { return s.types }

// TxStatus is the ReadyForQuery status byte.
func (s *Session) TxStatus() byte {
	switch {
	case s.txn == nil || !s.txn.explicit:
		return TxIdle
	case s.txn.failed:
		return TxFailed
	}
	return TxActive
}

// Close rolls back an open transaction and releases everything.
func (s *Session) Close() {
	s.closeAllPortals()
	if s.txn != nil {
		s.rollbackTxn()
	}
	s.dropTempSchema()
	s.closeListener()
	if s.e.repl.slots != nil {
		s.e.repl.slots.SessionEnded(s.params.BackendPID)
	}
	s.e.mu.Lock()
	delete(s.e.sessions, s.params.BackendPID)
	s.e.mu.Unlock()
}

func (s *Session) catalog() *catalog.Catalog {
	if s.txn != nil && s.txn.cat != nil {
		return s.txn.cat
	}
	return s.e.Catalog()
}

// --- transactions ---

func (s *Session) defaultIsolation() kv.Isolation {
	return isolationFromName(s.settings.get(settingsByName["default_transaction_isolation"]))
}

func isolationFromName(v string) kv.Isolation {
	switch v {
	case "repeatable read":
		return kv.RepeatableRead
	case "serializable":
		return kv.Serializable
	}
	return kv.ReadCommitted
}

func (s *Session) beginTxn(explicit bool) {
	s.txn = &txnState{explicit: explicit, iso: s.defaultIsolation(), start: types.TimeToTimestamp(s.e.cfg.Now()),
		id:       s.e.txnIDs.Add(1),
		readOnly: s.settings.get(settingsByName["default_transaction_read_only"]) == "on"}
	s.logicalBegin(s.txn)
}

// kvTxn returns the transaction's kv transaction, starting it (and taking
// its snapshot) on first use, as PostgreSQL takes the snapshot at the
// first statement rather than at BEGIN.
func (s *Session) kvTxn() *kv.Txn {
	if s.txn.kv == nil {
		s.txn.kv = s.e.store.Begin(s.txn.iso)
	}
	return s.txn.kv
}

// statementStart refreshes a READ COMMITTED snapshot.
func (s *Session) statementStart() {
	if s.txn != nil && s.txn.kv != nil {
		s.txn.kv.RefreshSnapshot()
	}
}

func (s *Session) endTxn() *txnState {
	t := s.txn
	s.txn = nil
	s.closeAllPortals()
	if len(s.settings.txnVals) > 0 {
		local := s.settings.txnVals
		s.settings.txnVals = nil
		for k := range local {
			if set := settingsByName[k]; set != nil && set.apply != nil {
				set.apply(s, s.settings.get(set))
			}
		}
		s.settingsGen++
	}
	return t
}

func (s *Session) commitTxn() error {
	if err := s.holdCursors(); err != nil {
		s.rollbackTxn()
		return err
	}
	if s.txn != nil && s.txn.deferred != nil && !s.txn.failed {
		// Deferred constraints are checked before anything commits; a
		// failure rolls the transaction back (as COMMIT does in PostgreSQL).
		if err := s.runDeferred(context.Background(), nil); err != nil {
			s.rollbackTxn()
			return err
		}
	}
	if err := s.preCommitTemp(); err != nil {
		s.rollbackTxn()
		return err
	}
	t := s.endTxn()
	if t == nil {
		return nil
	}
	committed := false
	defer func() {
		if t.cat != nil {
			s.e.unlockDDL()
		}
		s.logicalEnd(t)
		if committed {
			s.afterCommitTemp(t)
		}
		s.pruneOnCommit()
	}()
	if t.kv == nil && t.cat != nil && t.cat.Modified() {
		// DDL that wrote no data still commits its catalog changes.
		t.kv = s.e.store.Begin(t.iso)
	}
	undoListen := s.applyListenCommit(t)
	s.recordSchemaChanges(t)
	s.attachLogical(t)
	direct := s.attachNotifications(t)
	if t.kv == nil {
		if direct {
			s.publishNotifications(t)
		}
		committed = true
		return nil
	}
	if t.cat != nil && t.cat.Modified() {
		if err := t.cat.Persist(t.kv); err != nil {
			t.kv.Rollback()
			if undoListen != nil {
				undoListen()
			}
			s.restoreSettings(t)
			return err
		}
	}
	lsn, err := t.kv.Commit()
	if err != nil {
		if undoListen != nil {
			undoListen()
		}
		s.restoreSettings(t)
		return s.commitError(err)
	}
	committed = true
	if t.schemaChanged {
		for cur := s.e.repl.lastSchemaLSN.Load(); cur < lsn && !s.e.repl.lastSchemaLSN.CompareAndSwap(cur, lsn); cur = s.e.repl.lastSchemaLSN.Load() {
		}
	}
	if t.cat != nil && t.cat.Modified() {
		s.e.publish(t.cat)
	}
	if direct {
		s.publishNotifications(t)
	} else {
		s.afterNotifyCommit(t, lsn)
	}
	return nil
}

func (s *Session) rollbackTxn() {
	t := s.endTxn()
	if t == nil {
		return
	}
	if t.kv != nil {
		t.kv.Rollback()
	}
	if t.cat != nil {
		s.e.unlockDDL()
	}
	s.logicalEnd(t)
	s.restoreSettings(t)
	s.pruneOnCommit()
}

func (s *Session) restoreSettings(t *txnState) {
	if len(t.savedSettings) > 0 {
		s.settingsGen++
	}
	for k, v := range t.savedSettings {
		if v == nil {
			delete(s.settings.vals, k)
		} else {
			s.settings.vals[k] = *v
		}
		if set := settingsByName[k]; set != nil && set.apply != nil {
			set.apply(s, s.settings.get(set))
		}
	}
}

// commitError names the constraint a commit-time uniqueness check hit.
func (s *Session) commitError(err error) error {
	var ke *kv.KeyExistsError
	if errors.As(err, &ke) {
		if tOID, ixID, _, ok := catalog.DecodeIndexKey(ke.Key); ok {
			if t := s.e.Catalog().Table(tOID); t != nil {
				name := t.Primary.Name
				for _, ix := range t.Indexes {
					if ix.ID == ixID {
						name = ix.Name
					}
				}
				return pgerror.New(pgerror.UniqueViolation, "duplicate key value violates unique constraint \"%s\"", name).
					WithDetail("A concurrent transaction committed the same key first.").WithConstraint(t.Name, name)
			}
		}
	}
	return toPgError(err)
}

// ddlCatalog returns the transaction's private catalog for DDL, taking the
// node's DDL lock and cloning the published catalog on first use.
func (s *Session) ddlCatalog(ctx context.Context) (*catalog.Catalog, error) {
	if s.txn.cat != nil {
		return s.txn.cat, nil
	}
	if err := s.e.lockDDL(ctx); err != nil {
		return nil, err
	}
	s.txn.cat = s.e.Catalog().Clone()
	return s.txn.cat, nil
}

// toPgError converts any error to the client-visible form.
func toPgError(err error) *pgerror.Error {
	if err == nil {
		return nil
	}
	var pe *pgerror.Error
	if errors.As(err, &pe) {
		return pe
	}
	switch {
	case errors.Is(err, context.Canceled):
		return pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request")
	case errors.Is(err, context.DeadlineExceeded):
		return pgerror.New(pgerror.QueryCanceled, "canceling statement due to statement timeout")
	}
	mapped := executor.KVError(err)
	if errors.As(mapped, &pe) {
		return pe
	}
	return pgerror.From(err)
}

// --- the environment functions see ---

func (s *Session) evalCtx(ctx context.Context) *bound.EvalCtx {
	now := types.TimeToTimestamp(s.e.cfg.Now())
	start := now
	if s.txn != nil {
		start = s.txn.start
	}
	return &bound.EvalCtx{Ctx: ctx, Settings: s.types, TxnTime: start, StmtTime: now, Env: s}
}

func (s *Session) sequence(oid uint32) (*catalog.Sequence, error) {
	seq := s.catalog().Sequence(oid)
	if seq == nil {
		if t := s.catalog().Table(oid); t != nil {
			return nil, pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a sequence", t.Name)
		}
		return nil, pgerror.New(pgerror.UndefinedTable, "could not open relation with OID %d", oid)
	}
	return seq, nil
}

func (s *Session) NextVal(oid uint32) (int64, error) {
	seq, err := s.sequence(oid)
	if err != nil {
		return 0, err
	}
	v, err := s.e.seqs.next(seq)
	if err != nil {
		return 0, err
	}
	s.currvals[oid] = v
	s.lastval = &v
	return v, nil
}

func (s *Session) CurrVal(oid uint32) (int64, error) {
	seq, err := s.sequence(oid)
	if err != nil {
		return 0, err
	}
	v, ok := s.currvals[oid]
	if !ok {
		return 0, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "currval of sequence \"%s\" is not yet defined in this session", seq.Name)
	}
	return v, nil
}

func (s *Session) SetVal(oid uint32, v int64, isCalled bool) (int64, error) {
	seq, err := s.sequence(oid)
	if err != nil {
		return 0, err
	}
	if err := s.e.seqs.set(seq, v, isCalled); err != nil {
		return 0, err
	}
	if isCalled {
		s.currvals[oid] = v
	}
	return v, nil
}

func (s *Session) LastVal() (int64, error) {
	if s.lastval == nil {
		return 0, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "lastval is not yet defined in this session")
	}
	return *s.lastval, nil
}

func (s *Session) CurrentSetting(name string, missingOK bool) (types.Datum, error) {
	set, err := s.findSetting(name)
	if err != nil {
		if missingOK {
			return types.Datum{}, nil
		}
		return types.Datum{}, err
	}
	return types.NewText(s.showValue(set)), nil
}

func (s *Session) SetConfig(name, value string, isLocal bool) (string, error) {
	set, err := s.findSettingToSet(name)
	if err != nil {
		return "", err
	}
	v, err := s.setValue(set, value, isLocal, nil)
	return v, err
}

func (s *Session) CurrentUser() string     { return s.user }
func (s *Session) CurrentDatabase() string { return s.dbName }
func (s *Session) CurrentSchema() string {
	cat := s.catalog()
	for _, n := range s.searchPath() {
		if _, ok := s.schemaOID(cat, n); ok {
			return n
		}
	}
	return ""
}

// SearchPath lists the schemas of search_path that exist (current_schemas).
func (s *Session) SearchPath() []string {
	cat := s.catalog()
	var out []string
	for _, n := range s.searchPath() {
		if oid, ok := s.schemaOID(cat, n); ok {
			if n == "pg_temp" {
				n = cat.Schema(oid).Name
			}
			out = append(out, n)
		}
	}
	return out
}
func (s *Session) BackendPID() int32 { return s.params.BackendPID }
func (s *Session) TxnID() int64 {
	if s.txn != nil {
		return s.txn.id
	}
	return s.e.txnIDs.Add(1)
}
func (s *Session) ResolveRegclass(name string) (uint32, error) {
	schema, rel := splitQualified(name)
	if oid, _, ok := s.lookupRelation(s.catalog(), schema, rel); ok {
		return oid, nil
	}
	if oid, ok := syscat.ResolveReg(s, types.RegclassOID, name); ok {
		return oid, nil
	}
	return 0, pgerror.New(pgerror.UndefinedTable, "relation \"%s\" does not exist", name)
}

// --- settings ---

// showValue is what SHOW prints for a setting.
func (s *Session) showValue(set *setting) string {
	switch strings.ToLower(set.name) {
	case "transaction_isolation":
		if s.txn != nil && s.txn.isoName != "" {
			return s.txn.isoName
		}
		if s.txn != nil {
			return s.txn.iso.String()
		}
		return s.settings.get(settingsByName["default_transaction_isolation"])
	case "transaction_read_only":
		if s.txn != nil && s.txn.readOnly {
			return "on"
		}
		return "off"
	}
	return s.settings.get(set)
}

// setValue validates and stores a setting, reporting it to the client if
// clients track it.
func (s *Session) setValue(set *setting, v string, local bool, w ResultWriter) (string, error) {
	if set.static {
		return "", pgerror.New(pgerror.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed", set.name)
	}
	key := strings.ToLower(set.name)
	switch key {
	case "transaction_isolation":
		if s.txn != nil && s.txn.kv != nil {
			return "", pgerror.New(pgerror.ActiveSQLTransaction, "SET TRANSACTION ISOLATION LEVEL must be called before any query")
		}
		canon, err := checkIsolation(s, v)
		if err != nil {
			return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", set.name, v)
		}
		if s.txn != nil {
			s.txn.iso = isolationFromName(canon)
			s.txn.isoName = canon
		}
		return canon, nil
	case "transaction_read_only":
		canon, err := checkBool(s, v)
		if err != nil {
			return "", err
		}
		if s.txn != nil {
			s.txn.readOnly = canon == "on"
		}
		return canon, nil
	}
	canon := v
	if set.check != nil {
		c, err := set.check(s, v)
		if errors.Is(err, errBadValue) {
			return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", set.name, v)
		}
		if err != nil {
			return "", err
		}
		canon = c
	}
	if local {
		if s.txn == nil {
			return canon, nil // SET LOCAL outside a transaction has no effect (a warning in PostgreSQL)
		}
		if s.settings.txnVals == nil {
			s.settings.txnVals = map[string]string{}
		}
		s.settings.txnVals[key] = canon
	} else {
		if s.txn != nil && s.txn.explicit {
			if s.txn.savedSettings == nil {
				s.txn.savedSettings = map[string]*string{}
			}
			if _, saved := s.txn.savedSettings[key]; !saved {
				if old, ok := s.settings.vals[key]; ok {
					s.txn.savedSettings[key] = &old
				} else {
					s.txn.savedSettings[key] = nil
				}
			}
		}
		s.settings.vals[key] = canon
	}
	if set.apply != nil {
		set.apply(s, canon)
	}
	s.settingsGen++
	if set.report && w != nil {
		w.ParameterStatus(set.name, canon)
	}
	return canon, nil
}

func (s *Session) resetValue(set *setting, w ResultWriter) error {
	if set.static {
		return pgerror.New(pgerror.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed", set.name)
	}
	_, err := s.setValue(set, set.def, false, w)
	delete(s.settings.vals, strings.ToLower(set.name))
	return err
}

// statementTimeout returns statement_timeout as a duration (0 = none).
func (s *Session) statementTimeout() time.Duration {
	s.refreshTimeouts()
	return s.timeouts.statement
}

// lockTimeout returns lock_timeout as a duration (0 = none).
func (s *Session) lockTimeout() time.Duration {
	s.refreshTimeouts()
	return s.timeouts.lock
}

// refreshTimeouts re-reads statement_timeout and lock_timeout when a
// setting changed, so that statements do not parse them each time.
func (s *Session) refreshTimeouts() {
	if s.timeouts.valid && s.timeouts.gen == s.settingsGen {
		return
	}
	stmt, _ := parseDurationMS(s.settings.get(settingsByName["statement_timeout"]))
	lock, _ := parseDurationMS(s.settings.get(settingsByName["lock_timeout"]))
	s.timeouts.statement, s.timeouts.lock = time.Duration(stmt)*time.Millisecond, time.Duration(lock)*time.Millisecond
	s.timeouts.memLimit, _ = parseMemoryBytes(s.settings.get(settingsByName["prkdb.query_mem_limit"]))
	s.timeouts.gen, s.timeouts.valid = s.settingsGen, true
}

func (s *Session) workMem() int64 {
	n, err := parseMemoryBytes(s.settings.get(settingsByName["work_mem"]))
	if err != nil {
		return 4 << 20
	}
	return n
}

// findSetting resolves a name for SHOW/current_setting: a known parameter,
// or a custom one that has been set in this session.
func (s *Session) findSetting(name string) (*setting, error) {
	set, err := lookupSetting(name)
	if err == nil {
		return set, nil
	}
	if c, ok := customSetting(name); ok {
		key := strings.ToLower(name)
		_, inSession := s.settings.vals[key]
		_, inTxn := s.settings.txnVals[key]
		if inSession || inTxn {
			return c, nil
		}
	}
	return nil, err
}

// findSettingToSet resolves a name for SET: custom names may be created.
func (s *Session) findSettingToSet(name string) (*setting, error) {
	set, err := lookupSetting(name)
	if err == nil {
		return set, nil
	}
	if c, ok := customSetting(name); ok {
		return c, nil
	}
	return nil, err
}

// regName prints reg* values: relation names as search_path would need
// them (schema-qualified when not visible), schema and role names.
func (s *Session) regName(regType, oid uint32) (string, bool) {
	cat := s.catalog()
	switch regType {
	case types.RegclassOID:
		var schema uint32
		var name string
		if t := cat.Table(oid); t != nil {
			schema, name = t.Schema, t.Name
		} else if seq := cat.Sequence(oid); seq != nil {
			schema, name = seq.Schema, seq.Name
		} else if t, ix := cat.IndexOwner(oid); ix != nil {
			schema, name = t.Schema, ix.Name
		} else {
			return syscat.RegName(s, regType, oid) // a system view
		}
		if found, _, ok := s.lookupRelation(cat, "", name); ok && found == oid {
			return quoteIdent(name), true
		}
		if sc := cat.Schema(schema); sc != nil {
			return quoteIdent(sc.Name) + "." + quoteIdent(name), true
		}
		return quoteIdent(name), true
	case types.RegnamespaceOID:
		if sc := cat.Schema(oid); sc != nil {
			return quoteIdent(sc.Name), true
		}
	case types.RegroleOID:
		if r := cat.Role(oid); r != nil {
			return quoteIdent(r.Name), true
		}
	}
	// System views, built-in schemas, roles and functions.
	return syscat.RegName(s, regType, oid)
}

// SettingValues lists the settings for pg_settings (syscat.SettingsLister).
func (s *Session) SettingValues() []syscat.SettingValue {
	out := make([]syscat.SettingValue, 0, len(settingsList))
	for _, set := range settingsList {
		src := "default"
		if _, ok := s.settings.vals[strings.ToLower(set.name)]; ok {
			src = "session"
		}
		out = append(out, syscat.SettingValue{Name: set.name, Setting: s.showValue(set), Source: src})
	}
	return out
}

// ServerStartTime is when the engine started (pg_postmaster_start_time).
func (s *Session) ServerStartTime() time.Time { return s.e.StartTime() }

// SequenceLastValue is pg_sequences.last_value: the last value handed out
// (false before the first nextval).
func (s *Session) SequenceLastValue(oid uint32) (int64, bool) {
	st := s.e.seqs.get(oid)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.last, st.loaded && st.called
}

// Catalog and DatabaseOID serve the system views (bound.Env).
func (s *Session) Catalog() *catalog.Catalog { return s.catalog() }
func (s *Session) DatabaseOID() uint32       { return s.dbOID }

// Activity lists the server's sessions for pg_stat_activity.
func (s *Session) Activity() []syscat.Activity {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	out := make([]syscat.Activity, 0, len(s.e.sessions))
	for pid, o := range s.e.sessions {
		// Other sessions' state belongs to their goroutines; only this
		// one is known to be running a statement.
		state := "idle"
		if o == s {
			state = "active"
		}
		role := s.catalog().RoleByName(o.user)
		var roleOID uint32
		if role != nil {
			roleOID = role.OID
		}
		addr, port := o.params.RemoteAddr, int32(0)
		if h, p, err := net.SplitHostPort(addr); err == nil {
			addr = h
			if n, err := strconv.Atoi(p); err == nil {
				port = int32(n)
			}
		}
		out = append(out, syscat.Activity{DatID: o.dbOID, DatName: o.dbName, PID: pid, UserOID: roleOID, UserName: o.user,
			ApplicationName: o.settings.get(settingsByName["application_name"]), ClientAddr: addr, ClientPort: port,
			State: state, BackendType: "client backend"})
	}
	return out
}
