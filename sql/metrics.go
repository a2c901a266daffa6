package sql

import (
	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/stream"
	"github.com/prkdb/prkdb-sql/ttl"
)

// Metrics is a point-in-time summary of the engine for the server's
// metrics endpoint: each layer's own counters, gathered when scraped, so
// that nothing on a query's path updates anything for metrics' sake.
type Metrics struct {
	Store kv.Stats
	// WAL is set when the commit log is the local WAL.
	WAL      *kv.WALStats
	Hub      stream.HubStats
	Slots    []stream.SlotStatus
	TTL      []ttl.Status
	Sessions int // sessions open in the engine
}

// Metrics gathers the engine's Metrics.
func (e *Engine) Metrics() Metrics {
	m := Metrics{Store: e.store.Stats(), Hub: e.hub.Stats(), Slots: e.repl.slots.List(), TTL: e.ttl.Status()}
	if w, ok := e.store.Log().(interface{ Stats() kv.WALStats }); ok {
		st := w.Stats()
		m.WAL = &st
	}
	e.mu.Lock()
	m.Sessions = len(e.sessions)
	e.mu.Unlock()
	return m
}
