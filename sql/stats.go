package sql

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/prkdb/prkdb-sql/sql/catalog"
)

// Automatic statistics refresh, as PostgreSQL's autovacuum decides to
// analyze: once the rows modified since the last ANALYZE exceed
// autoAnalyzeBase + autoAnalyzeScale × rows (autovacuum_analyze_threshold
// and autovacuum_analyze_scale_factor, 50 and 0.1 by default).
const (
	autoAnalyzeBase  = 50
	autoAnalyzeScale = 0.1
)

// tableStatsEntry is one table's statistics and its change counter.
type tableStatsEntry struct {
	stats    atomic.Pointer[catalog.TableStats]
	modified atomic.Int64 // rows inserted, updated or deleted since analyzed
	running  atomic.Bool  // an automatic ANALYZE is under way
	// version counts publications: an automatic ANALYZE publishes only if
	// none happened since it took its snapshot, so a slow background run
	// never replaces a later ANALYZE's statistics with older ones.
	version atomic.Uint64
}

// statsStore holds every table's statistics in memory (they are rebuilt
// after a restart by the first automatic ANALYZE of each table). Readers
// take a published *TableStats without locking; background refreshes are
// tracked so Close can wait for them.
type statsStore struct {
	mu     sync.Mutex
	tables map[uint32]*tableStatsEntry
	// gen changes when some table's statistics change enough to change
	// plans (first statistics, or the row count more than halved or
	// doubled); cached plans of prepared statements are rebuilt then.
	gen     atomic.Uint64
	bg      sync.WaitGroup
	ctx     context.Context
	cancel  context.CancelFunc
	analyze func(ctx context.Context, oid uint32) (*catalog.TableStats, error)
}

func newStatsStore(analyze func(ctx context.Context, oid uint32) (*catalog.TableStats, error)) *statsStore {
	ctx, cancel := context.WithCancel(context.Background())
	return &statsStore{tables: map[uint32]*tableStatsEntry{}, ctx: ctx, cancel: cancel, analyze: analyze}
}

func (ss *statsStore) entry(oid uint32) *tableStatsEntry {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	e := ss.tables[oid]
	if e == nil {
		e = &tableStatsEntry{}
		ss.tables[oid] = e
	}
	return e
}

// get returns t's statistics, or nil when it was never analyzed; then an
// automatic ANALYZE is started so later plans have them.
func (ss *statsStore) get(t *catalog.Table) *catalog.TableStats {
	if t.Kind != catalog.RelTable {
		return nil
	}
	e := ss.entry(t.OID)
	st := e.stats.Load()
	if st == nil {
		ss.autoAnalyze(t.OID, e)
	}
	return st
}

// set publishes fresh statistics for a table.
func (ss *statsStore) set(oid uint32, st *catalog.TableStats) {
	e := ss.entry(oid)
	ss.mu.Lock()
	e.version.Add(1)
	ss.publish(e, st)
	ss.mu.Unlock()
	e.modified.Store(0)
}

// publish installs st and moves gen when plans may now differ.
func (ss *statsStore) publish(e *tableStatsEntry, st *catalog.TableStats) {
	old := e.stats.Swap(st)
	if old == nil || (st.Rows+1)/(old.Rows+1) > 2 || (old.Rows+1)/(st.Rows+1) > 2 {
		ss.gen.Add(1)
	}
}

// forget drops a table's statistics (TRUNCATE emptied it): the next plan
// of the table starts a fresh automatic ANALYZE.
func (ss *statsStore) forget(oid uint32) {
	e := ss.entry(oid)
	ss.mu.Lock()
	e.version.Add(1)
	if e.stats.Swap(nil) != nil {
		ss.gen.Add(1)
	}
	ss.mu.Unlock()
	e.modified.Store(0)
}

// noteWrites counts n modified rows of a table and starts an automatic
// ANALYZE when the table has changed enough since the last one.
func (ss *statsStore) noteWrites(oid uint32, n int64) {
	if n <= 0 || oid == 0 {
		return
	}
	e := ss.entry(oid)
	m := e.modified.Add(n)
	rows := 0.0
	if st := e.stats.Load(); st != nil {
		rows = st.Rows
	}
	if float64(m) > autoAnalyzeBase+autoAnalyzeScale*rows {
		ss.autoAnalyze(oid, e)
	}
}

// autoAnalyze refreshes a table's statistics in the background, at most
// one run per table at a time; errors (a dropped table, shutdown) leave
// the old statistics in place.
func (ss *statsStore) autoAnalyze(oid uint32, e *tableStatsEntry) {
	if !e.running.CompareAndSwap(false, true) {
		return
	}
	ss.mu.Lock()
	if ss.ctx.Err() != nil {
		ss.mu.Unlock()
		e.running.Store(false)
		return
	}
	ss.bg.Add(1)
	ss.mu.Unlock()
	go func() {
		defer ss.bg.Done()
		defer e.running.Store(false)
		before := e.modified.Load()
		version := e.version.Load()
		st, err := ss.analyze(ss.ctx, oid)
		if err != nil || st == nil {
			return
		}
		ss.mu.Lock()
		if e.version.Load() != version {
			ss.mu.Unlock()
			return // an ANALYZE or TRUNCATE came later
		}
		e.version.Add(1)
		ss.publish(e, st)
		ss.mu.Unlock()
		// Changes made while the scan ran may be missing from it: keep
		// counting them towards the next refresh.
		e.modified.Add(-before)
	}()
}

// close stops background refreshes and waits for them.
func (ss *statsStore) close() {
	ss.mu.Lock()
	ss.cancel()
	ss.mu.Unlock()
	ss.bg.Wait()
}

// analyzeByOID analyzes the current catalog's version of a table (for
// automatic refreshes, which run outside any session).
func (e *Engine) analyzeByOID(ctx context.Context, oid uint32) (*catalog.TableStats, error) {
	t := e.Catalog().Table(oid)
	if t == nil || t.Kind != catalog.RelTable {
		return nil, nil
	}
	return analyzeTable(ctx, e.store, t)
}

// PlannerStats is a table's published statistics for pg_stats, or nil
// when it has none. Unlike get it starts no ANALYZE: reading the view
// must not change what it shows.
func (s *Session) PlannerStats(oid uint32) *catalog.TableStats {
	ss := s.e.stats
	ss.mu.Lock()
	e := ss.tables[oid]
	ss.mu.Unlock()
	if e == nil {
		return nil
	}
	return e.stats.Load()
}
