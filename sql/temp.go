package sql

import (
	"context"
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Temporary tables (CREATE TEMP TABLE) live in the session's own schema
// pg_temp_<slot>, created in the catalog on first use like any schema (so
// it commits or rolls back with the transaction that first needs it) and
// dropped with everything in it when the session closes. The slot is
// unique among live sessions of the engine (PostgreSQL uses the backend's
// slot number, see namespace.c InitTempTableNamespace). Relation lookups
// search it first unless search_path names pg_temp elsewhere; functions
// never look there. The schema is persisted as every catalog entry is, so
// Open drops leftovers of sessions that a crash ended.

// tempSchemaPrefix names every session's temporary schema.
const tempSchemaPrefix = "pg_temp_"

// isTempSchemaName: a temporary schema of some session.
func isTempSchemaName(name string) bool {
	return strings.HasPrefix(name, tempSchemaPrefix) || strings.HasPrefix(name, "pg_toast_temp_")
}

// onCommitAction is a temporary table's ON COMMIT clause.
type onCommitAction uint8

const (
	onCommitPreserve onCommitAction = iota
	onCommitDelete
	onCommitDrop
)

// tempSlot returns the session's temporary-schema slot, allocating one.
func (s *Session) tempSlot() int {
	if s.temp.slot != 0 {
		return s.temp.slot
	}
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.tempSlots == nil {
		e.tempSlots = map[int]bool{}
	}
	n := 3 // as PostgreSQL's first client backend
	for e.tempSlots[n] {
		n++
	}
	e.tempSlots[n] = true
	s.temp.slot = n
	return n
}

// tempSchema is the session's temporary schema in cat, if it exists.
func (s *Session) tempSchema(cat *catalog.Catalog) *catalog.Schema {
	if s.temp.slot == 0 {
		return nil
	}
	return cat.SchemaByName(s.dbOID, fmt.Sprintf("%s%d", tempSchemaPrefix, s.temp.slot))
}

// ensureTempSchema returns the session's temporary schema in the DDL
// catalog cat, creating it. A schema of that name left by a crashed
// session (the slot is free, so no live session owns it) is emptied first.
func (s *Session) ensureTempSchema(cat *catalog.Catalog) (uint32, error) {
	fresh := s.temp.slot == 0
	name := fmt.Sprintf("%s%d", tempSchemaPrefix, s.tempSlot())
	if sc := cat.SchemaByName(s.dbOID, name); sc != nil {
		if !fresh {
			return sc.OID, nil
		}
		if err := s.dropSchema(cat, sc, true, nil); err != nil {
			return 0, err
		}
	}
	sc := &catalog.Schema{OID: cat.AllocOID(), Database: s.dbOID, Name: name, Owner: catalog.PostgresRoleOID}
	cat.PutSchema(sc)
	s.kvTxn()
	return sc.OID, nil
}

// tempCreationSchema is where CREATE TEMP TABLE puts a table: the
// session's temporary schema; naming another schema is 42P16 as in
// PostgreSQL (RangeVarAdjustRelationPersistence).
func (s *Session) tempCreationSchema(cat *catalog.Catalog, explicit string) (uint32, error) {
	if explicit != "" && explicit != "pg_temp" {
		if sc := s.tempSchema(cat); sc == nil || sc.Name != explicit {
			return 0, pgerror.New(pgerror.InvalidTableDefinition, "cannot create temporary relation in non-temporary schema")
		}
	}
	return s.ensureTempSchema(cat)
}

// isTempRelation: the table is in some session's temporary schema.
func isTempRelation(cat *catalog.Catalog, t *catalog.Table) bool {
	sc := cat.Schema(t.Schema)
	return sc != nil && isTempSchemaName(sc.Name)
}

// otherSessionsTemp: t is a temporary table of another session, which
// this one may see in the catalog but never read or change (0A000 as
// PostgreSQL's "cannot access temporary tables of other sessions").
func (s *Session) otherSessionsTemp(cat *catalog.Catalog, t *catalog.Table) bool {
	if !isTempRelation(cat, t) {
		return false
	}
	own := s.tempSchema(cat)
	return own == nil || own.OID != t.Schema
}

// tempOnCommit is a temporary table created by the transaction with its
// ON COMMIT action. Kept in the transaction until it commits (a rolled
// back savepoint truncates the list: the OIDs allocated after it may be
// reused by later tables of the same transaction).
type tempOnCommit struct {
	oid    uint32
	action onCommitAction
}

// noteOnCommit records a new temporary table's ON COMMIT action.
func (s *Session) noteOnCommit(oid uint32, a onCommitAction) {
	if a != onCommitPreserve {
		s.txn.onCommit = append(s.txn.onCommit, tempOnCommit{oid, a})
	}
}

// preCommitTemp runs the ON COMMIT actions in the committing transaction:
// the rows of ON COMMIT DELETE ROWS tables (the session's and the
// transaction's own) are deleted, the ON COMMIT DROP tables it created
// dropped (PostgreSQL's PreCommit_on_commit_actions).
func (s *Session) preCommitTemp() error {
	t := s.txn
	if t == nil || t.failed || (len(t.onCommit) == 0 && len(s.temp.deleteRows) == 0) {
		return nil
	}
	cat := s.catalog()
	deleteRows := func(oid uint32) error {
		if cat.Table(oid) == nil {
			return nil // dropped
		}
		return s.deleteRange(catalog.TablePrefix(oid))
	}
	for oid := range s.temp.deleteRows {
		if err := deleteRows(oid); err != nil {
			return err
		}
	}
	var drop []uint32
	for _, oc := range t.onCommit {
		switch oc.action {
		case onCommitDelete:
			if err := deleteRows(oc.oid); err != nil {
				return err
			}
		case onCommitDrop:
			drop = append(drop, oc.oid)
		}
	}
	if len(drop) > 0 {
		dcat, err := s.ddlCatalog(context.Background())
		if err != nil {
			return err
		}
		for _, oid := range drop {
			if tb := dcat.Table(oid); tb != nil {
				if err := s.dropTable(dcat, tb); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// afterCommitTemp keeps the committed transaction t's ON COMMIT DELETE
// ROWS tables for the session's later commits, and forgets those that no
// longer exist.
func (s *Session) afterCommitTemp(t *txnState) {
	for _, oc := range t.onCommit {
		if oc.action == onCommitDelete {
			if s.temp.deleteRows == nil {
				s.temp.deleteRows = map[uint32]bool{}
			}
			s.temp.deleteRows[oc.oid] = true
		}
	}
	s.pruneOnCommit()
}

// pruneOnCommit forgets ON COMMIT DELETE ROWS tables that no longer exist.
func (s *Session) pruneOnCommit() {
	if len(s.temp.deleteRows) == 0 {
		return
	}
	cat := s.e.Catalog()
	for oid := range s.temp.deleteRows {
		if cat.Table(oid) == nil {
			delete(s.temp.deleteRows, oid)
		}
	}
}

// dropTempSchema drops the session's temporary schema and all in it, in
// a transaction of its own, when the session ends; the slot is freed.
func (s *Session) dropTempSchema() {
	if s.temp.slot == 0 {
		return
	}
	defer func() {
		s.e.mu.Lock()
		delete(s.e.tempSlots, s.temp.slot)
		s.e.mu.Unlock()
		s.temp.slot = 0
	}()
	if s.tempSchema(s.e.Catalog()) == nil {
		return
	}
	s.beginTxn(false)
	cat, err := s.ddlCatalog(context.Background())
	if err == nil {
		if sc := s.tempSchema(cat); sc != nil {
			err = s.dropSchema(cat, sc, true, nil)
		}
	}
	if err != nil {
		s.rollbackTxn()
		s.e.lg.Warn("dropping temporary schema at session end", "err", err)
		return
	}
	if err := s.commitTxn(); err != nil {
		s.e.lg.Warn("dropping temporary schema at session end", "err", err)
	}
}

// dropLeftoverTempSchemas removes the temporary schemas (and their
// tables' rows and sequences) that sessions of a previous run left
// behind: no session survives a restart, so neither do its tables.
func dropLeftoverTempSchemas(st *kv.Store, cat *catalog.Catalog) (*catalog.Catalog, error) {
	var doomed []*catalog.Schema
	for _, db := range cat.Databases() {
		for _, sc := range cat.Schemas(db.OID) {
			if isTempSchemaName(sc.Name) {
				doomed = append(doomed, sc)
			}
		}
	}
	if len(doomed) == 0 {
		return cat, nil
	}
	c := cat.Clone()
	txn := st.Begin(kv.ReadCommitted)
	for _, sc := range doomed {
		for _, t := range c.Tables(sc.OID) {
			it := txn.Scan(kv.ScanOptions{Prefix: catalog.TablePrefix(t.OID)})
			var keys [][]byte
			for it.Next() {
				keys = append(keys, it.Key())
			}
			it.Close()
			if err := it.Err(); err != nil {
				txn.Rollback()
				return nil, err
			}
			for _, k := range keys {
				if err := txn.Delete(k); err != nil {
					txn.Rollback()
					return nil, err
				}
			}
			for _, seq := range c.Sequences(0) {
				if seq.OwnedByTable == t.OID {
					c.DropSequence(seq.OID)
					txn.Delete(catalog.SequenceKey(seq.OID))
				}
			}
			c.DropTable(t.OID)
		}
		for _, seq := range c.Sequences(sc.OID) {
			c.DropSequence(seq.OID)
			txn.Delete(catalog.SequenceKey(seq.OID))
		}
		c.DropSchema(sc.OID)
	}
	if err := c.Persist(txn); err != nil {
		txn.Rollback()
		return nil, err
	}
	if _, err := txn.Commit(); err != nil {
		return nil, err
	}
	return c, nil
}

// onCommitOf maps a CREATE TABLE's ON COMMIT clause; it needs a temporary
// table (42P16 as in PostgreSQL's heap_create_with_catalog).
func onCommitOf(a pg_query.OnCommitAction, temp bool) (onCommitAction, error) {
	var out onCommitAction
	switch a {
	case pg_query.OnCommitAction_ONCOMMIT_DELETE_ROWS:
		out = onCommitDelete
	case pg_query.OnCommitAction_ONCOMMIT_DROP:
		out = onCommitDrop
	case pg_query.OnCommitAction_ONCOMMIT_PRESERVE_ROWS:
	default:
		return onCommitPreserve, nil
	}
	if !temp {
		return 0, pgerror.New(pgerror.InvalidTableDefinition, "ON COMMIT can only be used on temporary tables")
	}
	return out, nil
}

// TempSchemaOID is the session's temporary schema in the catalog its
// statement sees, 0 if none (builtins.TempSchemaEnv).
func (s *Session) TempSchemaOID() uint32 {
	if sc := s.tempSchema(s.catalog()); sc != nil {
		return sc.OID
	}
	return 0
}

// discardTemp drops the session's temporary tables and sequences in the
// current transaction (DISCARD TEMP, DISCARD ALL).
func (s *Session) discardTemp(ctx context.Context) error {
	if s.tempSchema(s.catalog()) == nil {
		return nil
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	sc := s.tempSchema(cat)
	if sc == nil {
		return nil
	}
	for _, t := range cat.Tables(sc.OID) {
		if err := s.dropTable(cat, t); err != nil {
			return err
		}
	}
	for _, seq := range cat.Sequences(sc.OID) {
		cat.DropSequence(seq.OID)
		s.kvTxn().Delete(catalog.SequenceKey(seq.OID))
		s.e.seqs.drop(seq.OID)
	}
	s.kvTxn()
	return nil
}
