package sql

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/stream"
	"github.com/prkdb/prkdb-sql/ttl"
)

// Config configures Open.
type Config struct {
	DataDir string
	Sync    kv.SyncMode
	Logger  *slog.Logger
	// Now is the clock (tests pass a controllable one); nil = time.Now.
	Now func() time.Time
	// NotifyQueueBytes bounds the notifications queued for one session
	// and not yet sent (0 = stream.DefaultQueueBytes); a session that
	// falls further behind is ended with 54000.
	NotifyQueueBytes int
	// TTL configures the sweeper of expired rows (package ttl): its
	// defaults for ttl_job_interval, ttl_delete_batch_size and
	// ttl_delete_rate_limit. TTLManual: no background sweeps (tests call
	// Engine.TTL().SweepOnce).
	TTL       ttl.Options
	TTLManual bool
}

// Engine is one database node: the store, the catalog and the sessions.
type Engine struct {
	cfg   Config
	store *kv.Store
	lg    *slog.Logger
	start time.Time

	cat atomic.Pointer[catalog.Catalog]
	// ddl serializes transactions that change the catalog (like
	// PostgreSQL's AccessExclusiveLock on the objects, but node-wide).
	ddl chan struct{}

	seqs *sequences
	// hub delivers NOTIFY (package stream).
	hub *stream.Hub
	// stats are the planner statistics of every table (sql/stats.go).
	stats *statsStore
	// ttl sweeps expired rows (sql/ttl.go, package ttl).
	ttl *ttl.Sweeper
	// repl: replication slots and logical decoding (replication.go).
	repl replState

	mu       sync.Mutex
	sessions map[int32]*Session
	// tempSlots: the temporary-schema slots of live sessions (temp.go).
	tempSlots map[int]bool
	txnIDs    atomic.Int64
}

// Open recovers (or bootstraps) the data directory and returns the engine.
func Open(cfg Config) (*Engine, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	st, err := kv.Open(kv.Options{Dir: cfg.DataDir, Sync: cfg.Sync, Logger: cfg.Logger, Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, store: st, lg: cfg.Logger, start: cfg.Now(), ddl: make(chan struct{}, 1), sessions: map[int32]*Session{}}
	e.seqs = newSequences(st)
	e.stats = newStatsStore(e.analyzeByOID)
	txn := st.Begin(kv.ReadCommitted)
	cat, err := catalog.Load(txn)
	txn.Rollback()
	if err != nil {
		st.Close()
		return nil, err
	}
	if len(cat.Databases()) == 0 {
		// A new data directory: bootstrap as initdb does, durably.
		boot := cat.Clone()
		boot.Bootstrap()
		txn := st.Begin(kv.ReadCommitted)
		if err := boot.Persist(txn); err != nil {
			st.Close()
			return nil, err
		}
		if _, err := txn.Commit(); err != nil {
			st.Close()
			return nil, err
		}
		cat = boot
	}
	if cat, err = dropLeftoverTempSchemas(st, cat); err != nil {
		st.Close()
		return nil, err
	}
	e.cat.Store(cat.Published())
	if e.hub, err = stream.Start(st, e.lg); err != nil {
		st.Close()
		return nil, err
	}
	if err := e.openReplication(); err != nil {
		e.hub.Close()
		st.Close()
		return nil, err
	}
	e.ttl = ttl.New(ttlTarget{e}, e.ttlOptions())
	if !cfg.TTLManual {
		e.ttl.Start()
	}
	return e, nil
}

// notifyQueueBytes is the per-session notification queue limit.
func (e *Engine) notifyQueueBytes() int {
	if e.cfg.NotifyQueueBytes > 0 {
		return e.cfg.NotifyQueueBytes
	}
	return stream.DefaultQueueBytes
}

// Catalog returns the newest committed catalog.
func (e *Engine) Catalog() *catalog.Catalog { return e.cat.Load() }

// Store exposes the kv store (stream/ and ttl/ plug in here).
func (e *Engine) Store() *kv.Store { return e.store }

// StartTime is when the engine opened (pg_postmaster_start_time).
func (e *Engine) StartTime() time.Time { return e.start }

// Close checkpoints and closes the store (a clean shutdown).
func (e *Engine) Close() error {
	e.ttl.Close()
	e.stats.close()
	e.hub.Close()
	e.closeReplication()
	e.seqs.flush()
	if err := e.store.Checkpoint(); err != nil && !errors.Is(err, kv.ErrClosed) {
		e.lg.Error("checkpoint at shutdown failed", "err", err)
	}
	return e.store.Close()
}

// lockDDL waits for the node-wide DDL lock.
func (e *Engine) lockDDL(ctx context.Context) error {
	select {
	case e.ddl <- struct{}{}:
		return nil
	case <-ctx.Done():
		return pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request")
	}
}

func (e *Engine) unlockDDL() { <-e.ddl }

// publish makes a committed DDL transaction's catalog the current one.
func (e *Engine) publish(c *catalog.Catalog) { e.cat.Store(c.Published()) }
