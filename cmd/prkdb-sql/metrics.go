package main

import (
	"strconv"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/prkdb/prkdb-sql/pgwire"
	"github.com/prkdb/prkdb-sql/sql"
)

// Prometheus metrics (/metrics on the --http endpoint). Each layer keeps
// its own counters (kv.Stats, kv.WALStats, stream.HubStats, ttl.Status,
// pgwire.Stats); this collector reads them when scraped, so the metrics
// cost the query path nothing and only the server binary imports
// client_golang.

// metricsSource is what the collector reads; set once the engine is open
// (until then only the process and Go runtime metrics are served).
type metricsSource struct {
	eng *sql.Engine
	srv *pgwire.Server
}

type collector struct {
	src atomic.Pointer[metricsSource]
}

var (
	descConnections    = prometheus.NewDesc("prkdb_connections", "Open client connections (sessions and connections still starting up).", nil, nil)
	descSessions       = prometheus.NewDesc("prkdb_sessions", "Sessions holding a connection slot.", nil, nil)
	descMaxConnections = prometheus.NewDesc("prkdb_max_connections", "The limit on sessions (max_connections).", nil, nil)
	descAccepted       = prometheus.NewDesc("prkdb_connections_accepted_total", "Connections accepted since start.", nil, nil)
	descQueries        = prometheus.NewDesc("prkdb_queries_total", "Query and Execute protocol messages handled.", nil, nil)
	descPanics         = prometheus.NewDesc("prkdb_connection_panics_total", "Panics recovered in connection goroutines (each ended its connection).", nil, nil)
	descKeys           = prometheus.NewDesc("prkdb_kv_keys", "Keys in the store (rows and index entries of every table, catalog included).", nil, nil)
	descLastLSN        = prometheus.NewDesc("prkdb_kv_commit_lsn", "Record number of the newest visible commit.", nil, nil)
	descActiveTxns     = prometheus.NewDesc("prkdb_kv_active_transactions", "Open transactions holding a snapshot.", nil, nil)
	descCheckpointLSN  = prometheus.NewDesc("prkdb_kv_checkpoint_lsn", "Record number the newest checkpoint covers.", nil, nil)
	descLogFirstLSN    = prometheus.NewDesc("prkdb_kv_log_first_lsn", "Oldest record still in the log.", nil, nil)
	descWALRecords     = prometheus.NewDesc("prkdb_wal_records_total", "Commit records written to the WAL.", nil, nil)
	descWALBatches     = prometheus.NewDesc("prkdb_wal_writes_total", "WAL writes (one per group of commits).", nil, nil)
	descWALBytes       = prometheus.NewDesc("prkdb_wal_bytes_total", "Bytes written to the WAL.", nil, nil)
	descWALSyncs       = prometheus.NewDesc("prkdb_wal_syncs_total", "fdatasync calls on the WAL.", nil, nil)
	descWALSyncSeconds = prometheus.NewDesc("prkdb_wal_sync_seconds_total", "Time spent in WAL fdatasync.", nil, nil)
	descNotifyQueued   = prometheus.NewDesc("prkdb_notifications_queued_total", "Notifications queued for listening sessions (one per listener).", nil, nil)
	descNotifyDropped  = prometheus.NewDesc("prkdb_notifications_dropped_total", "Notifications lost because a listener's queue was full (the session then ends with 54000).", nil, nil)
	descListeners      = prometheus.NewDesc("prkdb_listeners", "Sessions listening on at least one channel.", nil, nil)
	descSlotRetained   = prometheus.NewDesc("prkdb_replication_slot_retained_bytes", "Log bytes a replication slot holds back (pg_replication_slots.retained_bytes).", []string{"slot"}, nil)
	descSlotActive     = prometheus.NewDesc("prkdb_replication_slot_active", "1 while a consumer streams from the slot.", []string{"slot"}, nil)
	descSlotConfirmed  = prometheus.NewDesc("prkdb_replication_slot_confirmed_flush_lsn", "pg_replication_slots.confirmed_flush_lsn as a number (differences are bytes, as in PostgreSQL's LSN arithmetic).", []string{"slot"}, nil)
	descTTLExpired     = prometheus.NewDesc("prkdb_ttl_rows_expired_total", "Expired rows the TTL sweeper found.", []string{"table", "oid"}, nil)
	descTTLSwept       = prometheus.NewDesc("prkdb_ttl_rows_swept_total", "Rows the TTL sweeper deleted.", []string{"table", "oid"}, nil)
	descTTLPending     = prometheus.NewDesc("prkdb_ttl_rows_pending", "Expired rows the last sweep left in place.", []string{"table", "oid"}, nil)
	descTTLLag         = prometheus.NewDesc("prkdb_ttl_sweep_lag_seconds", "Age of the oldest expired but unswept row, as of the last sweep.", []string{"table", "oid"}, nil)
	descTTLSweeps      = prometheus.NewDesc("prkdb_ttl_sweeps_total", "Sweeps of the table.", []string{"table", "oid"}, nil)
	allDescs           = []*prometheus.Desc{descConnections, descSessions, descMaxConnections, descAccepted, descQueries, descPanics, descKeys, descLastLSN, descActiveTxns, descCheckpointLSN, descLogFirstLSN, descWALRecords, descWALBatches, descWALBytes, descWALSyncs, descWALSyncSeconds, descNotifyQueued, descNotifyDropped, descListeners, descSlotRetained, descSlotActive, descSlotConfirmed, descTTLExpired, descTTLSwept, descTTLPending, descTTLLag, descTTLSweeps}
)

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	src := c.src.Load()
	if src == nil {
		return
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	ps := src.srv.Stats()
	gauge(descConnections, float64(ps.Connections))
	gauge(descSessions, float64(ps.Sessions))
	gauge(descMaxConnections, float64(ps.MaxConnections))
	counter(descAccepted, float64(ps.Accepted))
	counter(descQueries, float64(ps.Queries))
	counter(descPanics, float64(ps.RecoveredPanics))

	m := src.eng.Metrics()
	gauge(descKeys, float64(m.Store.Keys))
	gauge(descLastLSN, float64(m.Store.LastLSN))
	gauge(descActiveTxns, float64(m.Store.ActiveTxns))
	gauge(descCheckpointLSN, float64(m.Store.CheckpointLSN))
	gauge(descLogFirstLSN, float64(m.Store.LogFirstLSN))
	if w := m.WAL; w != nil {
		counter(descWALRecords, float64(w.Records))
		counter(descWALBatches, float64(w.Batches))
		counter(descWALBytes, float64(w.Bytes))
		counter(descWALSyncs, float64(w.Syncs))
		counter(descWALSyncSeconds, w.SyncTime.Seconds())
	}
	counter(descNotifyQueued, float64(m.Hub.Queued))
	counter(descNotifyDropped, float64(m.Hub.Dropped))
	gauge(descListeners, float64(m.Hub.Listeners))
	for _, sl := range m.Slots {
		active := 0.0
		if sl.ActivePID != 0 {
			active = 1
		}
		gauge(descSlotRetained, float64(sl.RetainedBytes), sl.Name)
		gauge(descSlotActive, active, sl.Name)
		gauge(descSlotConfirmed, float64(sl.Confirmed), sl.Name)
	}
	for _, t := range m.TTL {
		oid := strconv.FormatUint(uint64(t.OID), 10)
		counter(descTTLExpired, float64(t.RowsExpired), t.Name, oid)
		counter(descTTLSwept, float64(t.RowsSwept), t.Name, oid)
		gauge(descTTLPending, float64(t.Pending), t.Name, oid)
		gauge(descTTLLag, t.Lag.Seconds(), t.Name, oid)
		counter(descTTLSweeps, float64(t.Sweeps), t.Name, oid)
	}
}

// newMetricsRegistry is the registry /metrics serves: prkdb's collector
// plus the Go runtime's and the process's (CPU, memory, file descriptors).
func newMetricsRegistry(c *collector) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(c, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}
