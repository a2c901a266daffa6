package sql

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
	"github.com/prkdb/prkdb-sql/ttl"
)

// Row expiry, the engine's side (ARCHITECTURE.md "Row expiry (ttl/)"):
// validation of the ttl_* storage options, what DDL does when they change,
// and the ttl.Target the sweeper drives. Reads hide expired rows in
// executor/ttl.go; scheduling is package ttl's.

// errSweepReferenced: the sweeper leaves a table that foreign keys
// reference (possible only if DDL checks were bypassed; shown as the
// table's last_error).
var errSweepReferenced = errors.New("ttl: not swept: foreign keys reference the table")

// errTTLOption is 22023 as PostgreSQL's reloptions parser reports bad
// values ("invalid value for ... option").
func errTTLOption(name, value, why string) error {
	e := pgerror.New(pgerror.InvalidParameterValue, "invalid value for %s option \"%s\": %s", why, name, value)
	return e
}

// isTTLOption reports whether a storage option is one of row expiry's.
func isTTLOption(name string) bool { return strings.HasPrefix(name, "ttl_") }

// checkTTLOption validates one ttl_* option value (the others pass).
func checkTTLOption(name, value string) error {
	switch name {
	case catalog.TTLExpireAfterOption, catalog.TTLJobIntervalOption:
		iv, err := catalog.ParseTTLInterval(value)
		if err != nil {
			return errTTLOption(name, value, "interval")
		}
		if catalog.IntervalDuration(iv) <= 0 {
			return pgerror.New(pgerror.InvalidParameterValue, "value %s out of bounds for option \"%s\"", value, name).
				WithDetail("The interval must be positive.")
		}
	case catalog.TTLExpirationExpressionOption:
		if strings.TrimSpace(value) == "" {
			return errTTLOption(name, value, "column name")
		}
	case catalog.TTLDeleteBatchSizeOption:
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return errTTLOption(name, value, "integer")
		}
		if n < 1 || n > 1_000_000 {
			return pgerror.New(pgerror.InvalidParameterValue, "value %s out of bounds for option \"%s\"", value, name).
				WithDetail("Valid values are between \"1\" and \"1000000\".")
		}
	case catalog.TTLDeleteRateLimitOption:
		f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return errTTLOption(name, value, "floating point")
		}
		if f < 0 {
			return pgerror.New(pgerror.InvalidParameterValue, "value %s out of bounds for option \"%s\"", value, name).
				WithDetail("Valid values are 0 (no limit) and above.")
		}
	case catalog.TTLDisableChangefeedOption:
		if _, ok := catalog.ParseBoolOption(value); !ok {
			return pgerror.New(pgerror.InvalidParameterValue, "invalid value for boolean option \"%s\": %s", name, value)
		}
	default:
		if strings.HasPrefix(name, "ttl_") {
			return pgerror.New(pgerror.InvalidParameterValue, "unrecognized parameter \"%s\"", name)
		}
	}
	return nil
}

// checkTableTTL validates the TTL options of a table as a whole (after
// CREATE TABLE or ALTER TABLE SET/RESET): the expiration column must be a
// timestamptz column of the table, and a table referenced by foreign
// keys cannot expire rows (the sweeper deletes without cascading, as
// CockroachDB's row-level TTL first did).
func checkTableTTL(cat *catalog.Catalog, t *catalog.Table) error {
	if v, ok := t.Options[catalog.TTLExpirationExpressionOption]; ok {
		name := catalog.TTLColumnName(v)
		_, col := t.ColumnByName(name)
		if col == nil {
			return pgerror.New(pgerror.UndefinedColumn, "column \"%s\" named by ttl_expiration_expression does not exist", name)
		}
		if col.Type.OID != types.TimestamptzOID {
			return pgerror.New(pgerror.DatatypeMismatch, "column \"%s\" named by ttl_expiration_expression must be of type timestamp with time zone", name)
		}
	}
	if t.TTL() != nil && len(cat.ReferencingKeys(t.OID)) > 0 {
		return errTTLReferenced(t)
	}
	return nil
}

// renameTTLColumn follows RENAME COLUMN of the expiration column, so the
// option keeps naming it.
func renameTTLColumn(t *catalog.Table, from, to string) {
	v, ok := t.Options[catalog.TTLExpirationExpressionOption]
	if !ok || catalog.TTLColumnName(v) != from {
		return
	}
	if to == strings.ToLower(to) && !strings.ContainsAny(to, ` "`) {
		t.Options[catalog.TTLExpirationExpressionOption] = to
	} else {
		t.Options[catalog.TTLExpirationExpressionOption] = `"` + strings.ReplaceAll(to, `"`, `""`) + `"`
	}
}

// errTTLReferenced: foreign keys may not reference a table whose rows
// expire (the sweeper does not cascade).
func errTTLReferenced(t *catalog.Table) error {
	return pgerror.New(pgerror.FeatureNotSupported, "foreign keys cannot reference table \"%s\", whose rows expire", t.Name).
		WithHint("Row expiry (ttl_expire_after, ttl_expiration_expression) deletes rows without cascading.")
}

// applyTableTTL runs after a table's options changed: a table that now
// has ttl_expire_after starts keeping each row's write time (existing
// rows are rewritten with the statement's time as their write time).
func (s *Session) applyTableTTL(ctx context.Context, cat *catalog.Catalog, old, t *catalog.Table) error {
	if err := checkTableTTL(cat, t); err != nil {
		return err
	}
	if _, ok := t.Options[catalog.TTLExpireAfterOption]; !ok || t.RowWriteTime {
		return nil
	}
	t.RowWriteTime = true
	cat.PutTable(t)
	if old == nil {
		return nil // a new table: no rows yet
	}
	ec := s.execCtx(ctx)
	return executor.RewriteTable(ec, executor.NewTableCodec(old), executor.NewTableCodec(t), nil, func(o, n []types.Datum) error {
		copy(n, o)
		return nil
	})
}

// expiredSet collects the expired rows a DDL backfill meets: they are not
// indexed but deleted (with their entries in the table's other indexes),
// so an expired row cannot make CREATE UNIQUE INDEX fail.
type expiredSet struct {
	ec    *executor.Ctx
	codec *executor.TableCodec // the table before the new index
	keys  [][]byte
	vals  [][]byte
}

func (s *Session) expiredRows(ctx context.Context, old *catalog.Table) *expiredSet {
	c := executor.NewTableCodec(old)
	if !c.HasTTL() {
		return &expiredSet{}
	}
	return &expiredSet{ec: s.execCtx(ctx), codec: c}
}

// Add reports whether a stored row has expired, keeping it for Delete.
func (x *expiredSet) Add(key, val []byte) bool {
	if x.codec == nil || !x.codec.Expired(val, x.ec.Eval.StmtTime) {
		return false
	}
	x.keys = append(x.keys, append([]byte(nil), key...))
	x.vals = append(x.vals, append([]byte(nil), val...))
	return true
}

// Delete deletes the collected rows.
func (x *expiredSet) Delete() error {
	for i := range x.keys {
		if err := executor.DeleteStored(x.ec, x.codec, x.keys[i], x.vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// --- the sweeper's target ---

// ttlTarget is the engine as ttl.Target.
type ttlTarget struct{ e *Engine }

// TTL returns the engine's sweeper (tests call SweepOnce on it).
func (e *Engine) TTL() *ttl.Sweeper { return e.ttl }

// TTLTables implements ttl.Target: every table whose rows can expire.
func (t ttlTarget) TTLTables() []ttl.Table {
	cat := t.e.Catalog()
	var out []ttl.Table
	for _, db := range cat.Databases() {
		for _, sc := range cat.Schemas(db.OID) {
			for _, tb := range cat.Tables(sc.OID) {
				tt := tb.TTL()
				if tt == nil {
					continue
				}
				out = append(out, ttl.Table{OID: tb.OID, Name: sc.Name + "." + tb.Name, JobInterval: tt.JobInterval,
					BatchSize: tt.DeleteBatchSize, RateLimit: tt.DeleteRateLimit})
			}
		}
	}
	return out
}

// ttlMaxScan bounds the rows one batch reads, so a table with few expired
// rows is still walked in short transactions.
const ttlMaxScan = 10_000

// SweepBatch implements ttl.Target: one REPEATABLE READ transaction of an
// internal session of the table's database deletes expired rows and
// commits with an AttachExpiry attachment. notify_changes notifications
// of the deletes go with it unless the table suppresses change streams.
func (t ttlTarget) SweepBatch(ctx context.Context, tt ttl.Table, start []byte, limit int) (ttl.Batch, error) {
	e := t.e
	tb := e.Catalog().Table(tt.OID)
	if tb == nil || tb.TTL() == nil {
		return ttl.Batch{}, nil // dropped, or no longer expiring
	}
	if len(e.Catalog().ReferencingKeys(tb.OID)) > 0 {
		return ttl.Batch{}, errSweepReferenced
	}
	sc := e.Catalog().Schema(tb.Schema)
	if sc == nil {
		return ttl.Batch{}, nil
	}
	s := e.internalSession(sc.Database)
	suppress := tb.TTL().DisableChangefeed
	s.beginTxn(false)
	s.txn.iso = kv.RepeatableRead
	ec := s.execCtx(ctx)
	if suppress {
		ec.Changes = nil
	}
	if s.txn.logical && !suppress {
		// Logical decoding sees the batch's deletes after this message
		// (pgoutput Message, test_decoding "message:"), so a consumer can
		// tell them from user deletes; suppressed tables record neither.
		s.txn.changes.Message(true, TTLMessagePrefix, ttlMessage(sc.Name, tb))
	}
	tc := executor.NewTableCodec(tb)
	b, err := executor.DeleteExpired(ec, tc, start, limit, ttlMaxScan, suppress)
	if err != nil {
		s.rollbackTxn()
		return ttl.Batch{}, err
	}
	out := ttl.Batch{Next: b.Next, Deleted: b.Deleted, Expired: b.Expired, Scanned: b.Scanned}
	if b.Expired > b.Deleted {
		out.Oldest = types.TimestampToTime(b.OldestLeft, nil)
	}
	if b.Expired > 0 {
		out.OldestFound = types.TimestampToTime(b.OldestFound, nil)
	}
	if b.Deleted == 0 {
		s.rollbackTxn()
		return out, nil
	}
	s.txn.kv.Attach(ttl.AttachExpiry, ttl.EncodeExpiry(ttl.Expiry{Database: sc.Database, Table: tb.OID, Suppress: suppress}))
	if err := s.commitTxn(); err != nil {
		return ttl.Batch{}, err
	}
	e.stats.noteWrites(tb.OID, int64(b.Deleted))
	return out, nil
}

// TTLMessagePrefix is the prefix of the transactional logical decoding
// message that opens every sweeper transaction of a table whose expiry is
// replicated.
const TTLMessagePrefix = "prkdb.ttl"

// ttlMessage is that message's content: {"op":"expire","table":"schema.name","oid":n}.
func ttlMessage(schema string, t *catalog.Table) []byte {
	b := []byte(`{"op":"expire","table":`)
	b = types.AppendJSONString(b, schema+"."+t.Name)
	b = append(b, `,"oid":`...)
	b = strconv.AppendUint(b, uint64(t.OID), 10)
	return append(b, '}')
}

// internalSession is a session of the sweeper in database db: the
// bootstrap superuser, default settings, not registered (it is not a
// backend and shows in no pg_stat_activity).
func (e *Engine) internalSession(db uint32) *Session {
	d := e.Catalog().Database(db)
	name := ""
	if d != nil {
		name = d.Name
	}
	s := &Session{e: e, params: SessionParams{User: "postgres", Database: name}, user: "postgres", roleOID: catalog.PostgresRoleOID,
		dbOID: db, dbName: name, settings: sessionSettings{vals: map[string]string{}}, types: types.DefaultSettings(),
		stmts: map[string]*preparedStmt{}, portals: map[string]*portal{}, currvals: map[uint32]int64{}}
	s.types.RegName = s.regName
	s.types.RegOID = s.regOID
	return s
}

// ttlOptions are the sweeper's options from the engine's configuration.
func (e *Engine) ttlOptions() ttl.Options {
	o := e.cfg.TTL
	if o.Now == nil {
		o.Now = e.cfg.Now
	}
	if o.Logger == nil {
		o.Logger = e.lg
	}
	return o
}

// TTLStatus lists the sweeper's counters for the tables of the session's
// database (prkdb_ttl_status).
func (s *Session) TTLStatus() []ttl.Status {
	var out []ttl.Status
	cat := s.catalog()
	for _, st := range s.e.ttl.Status() {
		t := cat.Table(st.OID)
		if t == nil {
			continue
		}
		if sc := cat.Schema(t.Schema); sc == nil || sc.Database != s.dbOID {
			continue
		}
		out = append(out, st)
	}
	return out
}
