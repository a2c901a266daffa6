package main

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// serveHTTP starts the operator's HTTP endpoint on ln: Prometheus metrics
// under /metrics (metrics.go), and Go's profiler under /debug/pprof/ (CPU,
// heap, goroutines), so a slow workload can be profiled on the running
// server without a rebuild. It runs until ln is closed.
func serveHTTP(ln net.Listener, lg *slog.Logger, metrics *collector) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(newMetricsRegistry(metrics), promhttp.HandlerOpts{}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() {
		if err := http.Serve(ln, mux); err != nil && !isClosed(err) {
			lg.Warn("HTTP endpoint stopped", "err", err)
		}
	}()
}

func isClosed(err error) bool { return errors.Is(err, net.ErrClosed) }
