package sql

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
	"github.com/prkdb/prkdb-sql/stream"
)

// Logical replication, the SQL side (package stream owns slots, decoding
// and the output plugins; pgwire owns the replication protocol):
//
//   - While at least one slot exists, every transaction records its
//     logical changes (insert/update/delete with old and new rows,
//     TRUNCATE, pg_logical_emit_message) and attaches them to its commit
//     ('L', stream.Changes). Before that, nothing is recorded, so a node
//     without slots pays nothing. Creating the first slot waits, as
//     PostgreSQL's snapshot builder does, for the transactions that began
//     without recording to end; the slot's consistent point comes after.
//   - decodeSchema describes tables and renders rows as text for the
//     output plugins, with the catalog as of decoding time.
//   - Publications (ddl_publication.go), REPLICA IDENTITY, the slot
//     functions (pg_create_logical_replication_slot ...), the system views
//     (pg_replication_slots, pg_stat_replication, pg_publication*).

// replState is the engine's replication state.
type replState struct {
	slots *stream.Slots
	// nonLogical counts open transactions that began while no slot
	// existed (they record no logical changes).
	nonLogical atomic.Int64
	// lastSchemaLSN: the newest commit that recorded table descriptions
	// (recordSchemaChanges); at startup, conservatively the newest commit.
	lastSchemaLSN atomic.Uint64
	// schemaPending counts DDL commits that recorded descriptions and have
	// not yet raised lastSchemaLSN.
	schemaPending atomic.Int64
	// groups and subs: consumer groups and subscriptions (streams.go).
	groups *stream.Groups
	subs   *stream.Subscriptions
}

func (e *Engine) openReplication() error {
	sl, err := stream.OpenSlots(e.store)
	if err != nil {
		return err
	}
	e.repl.slots = sl
	e.repl.lastSchemaLSN.Store(e.store.LastLSN())
	return e.openStreams()
}

func (e *Engine) closeReplication() {
	e.closeStreams()
	if e.repl.slots != nil {
		e.repl.slots.Close()
	}
}

// Slots exposes the node's replication slots (pgwire streams from them).
func (e *Engine) Slots() *stream.Slots { return e.repl.slots }

// logicalBegin decides whether transaction t records logical changes.
// The counter is raised before the check so that a slot created between
// the two sees this transaction (settleLogical).
func (s *Session) logicalBegin(t *txnState) {
	r := &s.e.repl
	r.nonLogical.Add(1)
	if r.slots != nil && r.slots.Active() {
		r.nonLogical.Add(-1)
		t.logical = true
		return
	}
	t.nonLogical = true
}

// logicalEnd runs once t has committed or rolled back.
func (s *Session) logicalEnd(t *txnState) {
	if t.schemaChanged {
		t.schemaChanged = false
		s.e.repl.schemaPending.Add(-1)
	}
	if t.nonLogical {
		t.nonLogical = false
		s.e.repl.nonLogical.Add(-1)
	}
}

// settleLogical waits until no transaction that began without recording
// logical changes is still open (other than the caller's own).
func (s *Session) settleLogical(ctx context.Context) error {
	own := int64(0)
	if s.txn != nil && s.txn.nonLogical {
		own = 1
	}
	for s.e.repl.nonLogical.Load() > own {
		select {
		case <-ctx.Done():
			return pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request")
		case <-time.After(2 * time.Millisecond):
		}
	}
	return nil
}

// logRowChange records a row change for logical decoding.
func (s *Session) logRowChange(t *catalog.Table, op executor.ChangeOp, old, new []types.Datum) {
	tx := s.txn
	if tx == nil || !tx.logical || t.Kind != catalog.RelTable {
		return
	}
	if isTempRelation(s.catalog(), t) {
		return // temporary tables are never decoded (PostgreSQL does not WAL-log them)
	}
	ct := s.replColTypes(t)
	enc := func(row []types.Datum) func([]byte) []byte {
		return func(b []byte) []byte { return types.AppendRow(b, row, ct) }
	}
	switch op {
	case executor.ChangeInsert:
		tx.changes.Insert(t.OID, enc(new))
	case executor.ChangeUpdate:
		// The old row is kept when decoding may need it: REPLICA IDENTITY
		// FULL, or a key that changed.
		if t.ReplIdent == 'f' || s.keyChanged(t, ct, old, new) {
			tx.changes.Update(t.OID, enc(old), enc(new))
		} else {
			tx.changes.Update(t.OID, nil, enc(new))
		}
	case executor.ChangeDelete:
		tx.changes.Delete(t.OID, enc(old))
	}
}

func (s *Session) replColTypes(t *catalog.Table) []types.Type {
	if s.replTypesOf != t {
		s.replTypesOf, s.replTypes = t, t.ColumnTypes()
	}
	return s.replTypes
}

func (s *Session) keyChanged(t *catalog.Table, ct []types.Type, old, new []types.Datum) bool {
	var a, b [64]byte
	ka, kb := a[:0], b[:0]
	for _, c := range t.Primary.Columns {
		ka = types.AppendKey(ka, old[c], ct[c], false)
		kb = types.AppendKey(kb, new[c], ct[c], false)
	}
	return !bytes.Equal(ka, kb)
}

// logTruncate records a TRUNCATE of tables.
func (s *Session) logTruncate(tables []*catalog.Table, cascade, restart bool) {
	if s.txn == nil || !s.txn.logical {
		return
	}
	rels := make([]uint32, 0, len(tables))
	for _, t := range tables {
		if !isTempRelation(s.catalog(), t) {
			rels = append(rels, t.OID)
		}
	}
	if len(rels) == 0 {
		return
	}
	var flags uint8
	if cascade {
		flags |= stream.TruncateCascade
	}
	if restart {
		flags |= stream.TruncateRestartIdentity
	}
	s.txn.changes.TruncateRels(rels, flags)
}

// EmitLogicalMessage is pg_logical_emit_message(transactional, prefix,
// content). It returns the message's LSN. A non-transactional message is
// committed at once in a record of its own.
func (s *Session) EmitLogicalMessage(transactional bool, prefix string, content []byte) (string, error) {
	if !transactional {
		if s.e.repl.slots == nil || !s.e.repl.slots.Active() {
			return stream.FormatLSN(stream.EndLSN(s.e.store.LastLSN())), nil
		}
		var c stream.Changes
		c.Message(false, prefix, content)
		txn := s.e.store.Begin(s.defaultIsolation())
		txn.Attach(stream.AttachLogical, c.Data())
		lsn, err := txn.Commit()
		if err != nil {
			return "", toPgError(err)
		}
		return stream.FormatLSN(stream.ChangeLSN(lsn, 0)), nil
	}
	if s.txn == nil {
		s.beginTxn(false)
	}
	i := s.txn.changes.Len()
	if s.txn.logical {
		s.txn.changes.Message(true, prefix, content)
	}
	// The record's LSN is not known before commit: report where the
	// message will be relative to the newest commit.
	return stream.FormatLSN(stream.ChangeLSN(s.e.store.LastLSN()+1, i)), nil
}

// attachLogical adds the transaction's logical changes to its commit.
func (s *Session) attachLogical(t *txnState) {
	if t.logical && t.changes.Len() > 0 {
		if t.kv == nil {
			t.kv = s.e.store.Begin(t.iso)
		}
		t.kv.Attach(stream.AttachLogical, t.changes.Data())
	}
}

// --- decoding: the stream.Schema of one decoding session ---

// recordSchemaChanges adds to a DDL transaction's logical changes the
// description each table it altered or dropped had before, so that
// decoding can describe (and decode) earlier changes as they were written.
func (s *Session) recordSchemaChanges(t *txnState) {
	if !t.logical || t.cat == nil || !t.cat.Modified() {
		return
	}
	old := s.e.Catalog()
	for _, db := range old.Databases() {
		for _, sc := range old.Schemas(db.OID) {
			for _, tb := range old.Tables(sc.OID) {
				if tb.Kind != catalog.RelTable || t.cat.Table(tb.OID) == tb {
					continue
				}
				if b, err := json.Marshal(tb); err == nil {
					t.changes.Schema(tb.OID, b)
					if !t.schemaChanged {
						t.schemaChanged = true
						s.e.repl.schemaPending.Add(1)
					}
				}
			}
		}
	}
}

type decodeSchema struct {
	e   *Engine
	db  uint32
	set *types.Settings
	gen uint64
	// cur: tables as the current catalog describes them; byRel: every
	// description handed out (current and historic), for RowText.
	cur   map[uint32]*relEntry
	byRel map[*stream.Relation]*relEntry
	// hist: per table, the descriptions it had before each DDL that
	// changed it (from ChangeSchema entries), in LSN order; scanned: the
	// log has been searched for them up to this record.
	hist    map[uint32][]histEntry
	scanned uint64
	row     []types.Datum
	offs    []int
}

type histEntry struct {
	lsn uint64 // the DDL's record: the description held before it
	t   *catalog.Table
	re  *relEntry // built on first use
}

type relEntry struct {
	t     *catalog.Table
	rel   *stream.Relation
	cols  []int // stored column position of each rel column
	types []types.Type
}

func newDecodeSchema(e *Engine, db uint32, set *types.Settings) *decodeSchema {
	return &decodeSchema{e: e, db: db, set: set, cur: map[uint32]*relEntry{}, byRel: map[*stream.Relation]*relEntry{},
		hist: map[uint32][]histEntry{}}
}

// scanHistory reads the log from record from to the newest commit for
// descriptions recorded by DDL transactions. It is skipped when no such
// transaction committed after what was scanned (replState.lastSchemaLSN).
func (d *decodeSchema) scanHistory(from uint64) {
	if d.scanned >= from {
		from = d.scanned + 1
	}
	// Read the newest commit before the markers: a DDL commit is durable
	// before it raises lastSchemaLSN, and counts in schemaPending until
	// then.
	last := d.e.store.LastLSN()
	if d.e.repl.schemaPending.Load() == 0 && d.e.repl.lastSchemaLSN.Load() < from {
		// No description recorded at or after from: none can matter.
		if last > d.scanned {
			d.scanned = last
		}
		return
	}
	if from > last {
		return
	}
	r, err := d.e.store.Subscribe(from)
	if err != nil {
		d.scanned = last // the log before is gone: the current catalog it is
		return
	}
	defer r.Close()
	for n := from; n <= last; n++ {
		rec, err := r.Next(nil)
		if err != nil {
			return
		}
		for i := range rec.Attachments {
			if rec.Attachments[i].Kind != stream.AttachLogical {
				continue
			}
			stream.DecodeChanges(rec.Attachments[i].Data, func(ch *stream.Change) error {
				if ch.Kind != stream.ChangeSchema {
					return nil
				}
				tb := &catalog.Table{}
				if json.Unmarshal(ch.Content, tb) == nil {
					d.hist[ch.Rel] = append(d.hist[ch.Rel], histEntry{lsn: rec.LSN, t: tb})
				}
				return nil
			})
		}
		d.scanned = n
	}
}

func (d *decodeSchema) build(t *catalog.Table, cat *catalog.Catalog) *relEntry {
	if t == nil || t.Kind != catalog.RelTable || cat.DatabaseOf(t.Schema) != d.db {
		return nil
	}
	re := &relEntry{t: t, types: t.ColumnTypes()}
	rel := &stream.Relation{OID: t.OID, Name: t.Name, ReplIdent: replIdent(t)}
	if sc := cat.Schema(t.Schema); sc != nil {
		rel.Namespace = sc.Name
	}
	key := map[int]bool{}
	if t.HasPrimaryKey() {
		for _, c := range t.Primary.Columns {
			key[c] = true
		}
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Dropped || c.Hidden {
			continue
		}
		typ := c.Type
		name := types.FormatType(types.Type{OID: typ.OID, Typmod: -1})
		if typ.OID == types.BPCharOID {
			name = "character"
		}
		col := stream.Column{Name: c.Name, TypeOID: typ.OID, TypMod: typ.Typmod, TypeName: name, Key: key[i]}
		switch typ.OID {
		case types.Int2OID, types.Int4OID, types.Int8OID, types.OIDOID, types.Float4OID, types.Float8OID, types.NumericOID:
			col.Bare = true
		case types.BoolOID:
			col.Bool = true
		}
		rel.Columns = append(rel.Columns, col)
		re.cols = append(re.cols, i)
	}
	re.rel = rel
	d.byRel[rel] = re
	return re
}

// entry describes table oid as of kv record n.
func (d *decodeSchema) entry(oid uint32, n uint64) *relEntry {
	cat := d.e.Catalog()
	if g := cat.Gen(); g != d.gen {
		d.gen = g
		// Keep current entries whose descriptor is unchanged, so the
		// Relation pointers (and the plugin's "already described") stay.
		for k, re := range d.cur {
			if re == nil || cat.Table(k) != re.t {
				delete(d.cur, k)
			}
		}
		d.scanHistory(n)
	} else if d.scanned < n {
		d.scanHistory(n)
	}
	// The first DDL on the table after record n holds its description
	// as of n.
	if hs := d.hist[oid]; len(hs) > 0 {
		for i := range hs {
			if hs[i].lsn > n {
				if hs[i].re == nil {
					hs[i].re = d.build(hs[i].t, cat)
				}
				return hs[i].re
			}
		}
	}
	if re, ok := d.cur[oid]; ok {
		return re
	}
	re := d.build(cat.Table(oid), cat)
	d.cur[oid] = re
	return re
}

func replIdent(t *catalog.Table) byte {
	if t.ReplIdent == 0 {
		return 'd'
	}
	return t.ReplIdent
}

// Relation implements stream.Schema.
func (d *decodeSchema) Relation(oid uint32, n uint64) *stream.Relation {
	if re := d.entry(oid, n); re != nil {
		return re.rel
	}
	return nil
}

// Publishes implements stream.Schema.
func (d *decodeSchema) Publishes(pubs []string, rel *stream.Relation) stream.PubActions {
	cat := d.e.Catalog()
	var a stream.PubActions
	for _, name := range pubs {
		p := cat.PublicationByName(d.db, name)
		if p == nil || !(p.AllTables || p.HasTable(rel.OID)) {
			continue
		}
		if p.Insert {
			a |= stream.PubInsert
		}
		if p.Update {
			a |= stream.PubUpdate
		}
		if p.Delete {
			a |= stream.PubDelete
		}
		if p.Truncate {
			a |= stream.PubTruncate
		}
	}
	return a
}

// RowText implements stream.Schema.
func (d *decodeSchema) RowText(rel *stream.Relation, row []byte, dst [][]byte, buf []byte) ([][]byte, []byte, error) {
	re := d.byRel[rel]
	if re == nil {
		return dst, buf, errors.New("relation not described")
	}
	if cap(d.row) < len(re.types) {
		d.row = make([]types.Datum, len(re.types))
	}
	vals, err := types.DecodeRow(row, re.types, d.row[:len(re.types)])
	if err != nil {
		return dst, buf, err
	}
	// Offsets first, slices after: buf may move while it grows.
	offs := d.offs[:0]
	for _, c := range re.cols {
		if c >= len(vals) || vals[c].IsNull() {
			offs = append(offs, -1, -1)
			continue
		}
		start := len(buf)
		buf = types.AppendText(buf, vals[c], re.types[c], d.set)
		offs = append(offs, start, len(buf))
	}
	d.offs = offs
	dst = dst[:0]
	for i := 0; i < len(offs); i += 2 {
		if offs[i] < 0 {
			dst = append(dst, nil)
			continue
		}
		dst = append(dst, buf[offs[i]:offs[i+1]:offs[i+1]])
	}
	return dst, buf, nil
}

// --- plugins and errors ---

// newPlugin creates an output plugin of a slot for this session.
func (s *Session) newPlugin(plugin string, opts [][2]string, pgoutput bool) (stream.Plugin, error) {
	schema := newDecodeSchema(s.e, s.dbOID, s.types)
	switch plugin {
	case "pgoutput":
		if !pgoutput {
			return nil, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "logical decoding output plugin \"pgoutput\" produces binary output, but function \"pg_logical_slot_get_changes(name,pg_lsn,integer,text[])\" expects textual data")
		}
		o, err := stream.ParsePgOutputOptions(opts)
		if err != nil {
			return nil, replError(err, "")
		}
		// PostgreSQL 15 raises this when the first change is decoded
		// (LoadPublications); here it comes at START_REPLICATION.
		for _, name := range o.Publications {
			if s.e.Catalog().PublicationByName(s.dbOID, name) == nil {
				return nil, pgerror.New(pgerror.UndefinedObject, "publication \"%s\" does not exist", name)
			}
		}
		return stream.NewPgOutput(schema, o), nil
	case "test_decoding":
		p, err := stream.NewTestDecoding(schema, opts)
		if err != nil {
			return nil, replError(err, "")
		}
		return p, nil
	case "wal2json":
		p, err := stream.NewJSONOutput(schema, opts)
		if err != nil {
			return nil, replError(err, "")
		}
		return p, nil
	}
	return nil, errUnknownPlugin(plugin)
}

func errUnknownPlugin(plugin string) error {
	return pgerror.New(pgerror.UndefinedFile, "could not access file \"%s\": No such file or directory", plugin)
}

func validPlugin(plugin string) bool {
	return plugin == "pgoutput" || plugin == "test_decoding" || plugin == "wal2json"
}

// replError maps stream's errors to PostgreSQL's messages and SQLSTATEs.
func replError(err error, slot string) error {
	var pe *pgerror.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return pe
	case errors.Is(err, stream.ErrSlotExists):
		return pgerror.New(pgerror.DuplicateObject, "replication slot \"%s\" already exists", slot)
	case errors.Is(err, stream.ErrSlotNotFound):
		return pgerror.New(pgerror.UndefinedObject, "replication slot \"%s\" does not exist", slot)
	case errors.Is(err, stream.ErrSlotActive):
		msg := err.Error()
		pid := msg[strings.LastIndexByte(msg, ' ')+1:]
		return pgerror.New(pgerror.ObjectInUse, "replication slot \"%s\" is active for PID %s", slot, pid)
	case errors.Is(err, stream.ErrSlotInvalidName):
		if len(slot) > 63 {
			return pgerror.New(pgerror.NameTooLong, "replication slot name \"%s\" is too long", slot)
		}
		if slot == "" {
			return pgerror.New(pgerror.InvalidName, "replication slot name \"%s\" is too short", slot)
		}
		return pgerror.New(pgerror.InvalidName, "replication slot name \"%s\" contains invalid character", slot).
			WithHint("Replication slot names may only contain lower case letters, numbers, and the underscore character.")
	case errors.Is(err, stream.ErrSlotLost):
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "can no longer get changes from replication slot \"%s\"", slot).
			WithDetail("This slot has been invalidated because it exceeded the maximum reserved size.")
	case errors.Is(err, stream.ErrSlotOtherDB):
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "replication slot \"%s\" was not created in this database", slot)
	case errors.Is(err, stream.ErrPluginOption):
		return pgerror.New(pgerror.InvalidParameterValue, "%s", strings.TrimPrefix(err.Error(), stream.ErrPluginOption.Error()+": "))
	}
	return toPgError(err)
}

// --- slots, for the SQL functions and the replication protocol ---

// CreateSlot creates a logical slot (CREATE_REPLICATION_SLOT,
// pg_create_logical_replication_slot) and returns its consistent point.
//
// useSnapshot (CREATE_REPLICATION_SLOT ... (SNAPSHOT 'use'), what
// PostgreSQL's tablesync worker sends) must come first in a transaction
// block: the transaction's snapshot is taken as the slot's consistent
// point, so that what it reads (COPY) and what the slot sends meet
// exactly.
func (s *Session) CreateSlot(ctx context.Context, name, plugin string, temporary, useSnapshot bool) (string, error) {
	if err := stream.ValidName(name); err != nil {
		return "", replError(err, name)
	}
	if !validPlugin(plugin) {
		return "", errUnknownPlugin(plugin)
	}
	if s.txn != nil && s.txn.explicit && s.txn.changes.Len() > 0 {
		// PostgreSQL refuses a slot in a transaction that has written.
		// Writes are seen here only while another slot exists (they are
		// recorded then); otherwise the slot starts after the newest commit
		// and this transaction's writes, committed later, are decoded
		// only if they were recorded, which they are not.
		return "", pgerror.New(pgerror.ActiveSQLTransaction, "cannot create logical replication slot in transaction that has performed writes")
	}
	if useSnapshot {
		if s.txn == nil || !s.txn.explicit {
			return "", pgerror.New(pgerror.NoActiveSQLTransaction, "CREATE_REPLICATION_SLOT ... (SNAPSHOT 'use') must be called inside a transaction")
		}
		if s.txn.kv != nil {
			return "", pgerror.New(pgerror.ActiveSQLTransaction, "CREATE_REPLICATION_SLOT ... (SNAPSHOT 'use') must be called before any query")
		}
	}
	info, err := s.e.repl.slots.CreateAt(name, plugin, s.dbOID, temporary, s.params.BackendPID, func() (uint64, error) {
		if err := s.settleLogical(ctx); err != nil {
			return 0, err
		}
		if useSnapshot {
			// Every transaction open now records its changes: commits
			// after this snapshot are the slot's, the ones in it the
			// transaction's.
			return s.kvTxn().SnapshotLSN(), nil
		}
		return 0, nil
	})
	if err != nil {
		return "", replError(err, name)
	}
	return stream.FormatLSN(info.Confirmed), nil
}

// DropSlot drops a slot (DROP_REPLICATION_SLOT [WAIT], pg_drop_replication_slot).
func (s *Session) DropSlot(ctx context.Context, name string, wait bool) error {
	if err := s.e.repl.slots.Drop(ctx, name, s.params.BackendPID, wait); err != nil {
		return replError(err, name)
	}
	s.forgetGroups(name)
	return nil
}

// SlotChanges is pg_logical_slot_get_changes / peek_changes: the decoded
// rows (lsn, xid, data) after the slot's confirmed position; get
// consumes them.
func (s *Session) SlotChanges(ctx context.Context, name string, uptoLSN string, uptoN int64, opts [][2]string, consume, binary bool, emit func(lsn string, xid uint32, data []byte) error) error {
	pid := s.params.BackendPID
	info, err := s.e.repl.slots.Acquire(name, pid, s.dbOID)
	if err != nil {
		return replError(err, name)
	}
	defer s.e.repl.slots.Release(name, pid)
	if info.Plugin == "pgoutput" && !binary {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "logical decoding output plugin \"pgoutput\" produces binary output, but function \"pg_logical_slot_get_changes(name,pg_lsn,integer,text[])\" expects textual data")
	}
	p, err := s.newPlugin(info.Plugin, opts, true)
	if err != nil {
		return err
	}
	var upto uint64
	if uptoLSN != "" {
		var ok bool
		if upto, ok = stream.ParseLSN(uptoLSN); !ok {
			return pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type pg_lsn: \"%s\"", uptoLSN)
		}
	}
	end, err := s.e.repl.slots.Peek(ctx, name, p, upto, int(uptoN), func(lsn uint64, xid uint32, data []byte) error {
		return emit(stream.FormatLSN(lsn), xid, data)
	})
	if err != nil {
		return replError(err, name)
	}
	if consume && end != 0 {
		if err := s.e.repl.slots.Confirm(name, end); err != nil {
			return replError(err, name)
		}
	}
	return nil
}

// AdvanceSlot is pg_replication_slot_advance: it confirms up to lsn (at
// most the newest commit) and returns the slot's new position.
func (s *Session) AdvanceSlot(name, lsnText string) (string, error) {
	target, ok := stream.ParseLSN(lsnText)
	if !ok {
		return "", pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type pg_lsn: \"%s\"", lsnText)
	}
	if target == 0 {
		return "", pgerror.New(pgerror.InvalidParameterValue, "invalid target WAL LSN")
	}
	pid := s.params.BackendPID
	info, err := s.e.repl.slots.Acquire(name, pid, s.dbOID)
	if err != nil {
		return "", replError(err, name)
	}
	defer s.e.repl.slots.Release(name, pid)
	if end := stream.EndLSN(s.e.store.LastLSN()); target > end {
		target = end
	}
	if target > info.Confirmed {
		if err := s.e.repl.slots.Confirm(name, target); err != nil {
			return "", replError(err, name)
		}
	}
	info, _ = s.e.repl.slots.Get(name)
	return stream.FormatLSN(info.Confirmed), nil
}

// ReplicationSlots lists the slots for pg_replication_slots.
func (s *Session) ReplicationSlots() []stream.SlotStatus { return s.e.repl.slots.List() }

// CurrentWALLSN is pg_current_wal_lsn(): the end of the newest commit.
func (s *Session) CurrentWALLSN() string { return stream.FormatLSN(stream.EndLSN(s.e.store.LastLSN())) }

// --- the replication protocol's session side (pgwire/replication.go) ---

// SystemIdentifier is IDENTIFY_SYSTEM's systemid: stable for the data
// directory (the engine start time is not; the first catalog OID is).
func (e *Engine) SystemIdentifier() string {
	return "7300000000000000001"
}

// StartReplication acquires a slot for streaming and returns its plugin
// (pgoutput options parsed). The caller streams with
// Engine.Slots().Stream and releases with ReleaseSlot.
func (s *Session) StartReplication(name string, opts [][2]string) (stream.Plugin, error) {
	pid := s.params.BackendPID
	info, err := s.e.repl.slots.Acquire(name, pid, s.dbOID)
	if err != nil {
		return nil, replError(err, name)
	}
	p, err := s.newPlugin(info.Plugin, opts, true)
	if err != nil {
		s.e.repl.slots.Release(name, pid)
		return nil, err
	}
	return p, nil
}

// ReleaseSlot ends this session's use of a slot.
func (s *Session) ReleaseSlot(name string) { s.e.repl.slots.Release(name, s.params.BackendPID) }

// ReadSlot is READ_REPLICATION_SLOT: slot type, restart LSN and timeline,
// or ok false if there is no such slot.
func (s *Session) ReadSlot(name string) (restart string, ok bool) {
	for _, st := range s.e.repl.slots.List() {
		if st.Name == name {
			return stream.FormatLSN(st.RestartLSN), true
		}
	}
	return "", false
}

// ReplError maps a stream error about slot to its SQLSTATE (pgwire).
func ReplError(err error, slot string) *pgerror.Error {
	if err == nil {
		return nil
	}
	return toPgError(replError(err, slot))
}

// ApplicationName is the session's application_name (pg_stat_replication).
func (s *Session) ApplicationName() string {
	return s.settings.get(settingsByName["application_name"])
}

// max_slot_wal_keep_size: how much log a slot may hold before it is
// invalidated (-1, the default, is no limit). In PostgreSQL it is a server
// setting changed by ALTER SYSTEM and a reload; here SET changes it for
// the whole node at once (the value a session shows is the one it set).
func init() {
	st := &setting{name: "max_slot_wal_keep_size", def: "-1", unit: "MB",
		short: "Sets the maximum WAL size that can be reserved by replication slots.",
		check: checkMaxSlotKeep}
	settingsList = append(settingsList, st)
	settingsByName["max_slot_wal_keep_size"] = st
}

func checkMaxSlotKeep(s *Session, v string) (string, error) {
	n, ok := parseMemSize(v)
	if !ok {
		return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"max_slot_wal_keep_size\": \"%s\"", v).
			WithHint("Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".")
	}
	if s != nil && s.e.repl.slots != nil {
		s.e.repl.slots.SetMaxKeepBytes(n)
	}
	return v, nil
}

// parseMemSize reads a size in bytes; a bare number is in MB, -1 is
// unlimited.
func parseMemSize(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if v == "-1" {
		return -1, true
	}
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(v[:i], 10, 64)
	if err != nil {
		return 0, false
	}
	mult := map[string]int64{"": 1 << 20, "B": 1, "kB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}[strings.TrimSpace(v[i:])]
	if mult == 0 {
		return 0, false
	}
	return n * mult, true
}
