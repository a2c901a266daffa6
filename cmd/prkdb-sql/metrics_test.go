package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// scrape reads /metrics into series ("name" or "name{labels}") -> value.
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %s", resp.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestMetricsEndpoint: /metrics on --http serves the layers' counters,
// and they move with what clients do.
func TestMetricsEndpoint(t *testing.T) {
	httpAddr := freeAddr(t)
	s := startServe(t, []string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--sync", "fsync",
		"--log-level", "warn", "--http", httpAddr, "--ttl-job-interval", "100ms"}, nil)
	ctx := context.Background()
	before := scrape(t, httpAddr)
	for _, name := range []string{"prkdb_wal_records_total", "prkdb_queries_total", "prkdb_sessions", "prkdb_kv_keys",
		"go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := before[name]; !ok {
			t.Errorf("/metrics has no %s", name)
		}
	}

	conn, err := pgx.Connect(ctx, "postgres://postgres@"+s.addr+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	listener, err := pgx.Connect(ctx, "postgres://postgres@"+s.addr+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close(ctx)
	for _, q := range []string{
		"LISTEN metrics_test",
		"CREATE TABLE expiring (id int PRIMARY KEY, at timestamptz NOT NULL) WITH (ttl_expiration_expression = 'at')",
		"INSERT INTO expiring SELECT g, now() - interval '1 hour' FROM generate_series(1, 50) g",
		"INSERT INTO expiring SELECT g, now() + interval '1 hour' FROM generate_series(51, 60) g",
		"SELECT * FROM pg_create_logical_replication_slot('metrics_slot', 'pgoutput')",
	} {
		c := conn
		if strings.HasPrefix(q, "LISTEN") {
			c = listener
		}
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for i := 0; i < 10; i++ {
		if _, err := conn.Exec(ctx, "SELECT pg_notify('metrics_test', $1)", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}

	// The sweeper runs every 100 ms here; wait for it to delete the 50.
	var after map[string]float64
	swept := `prkdb_ttl_rows_swept_total{oid="`
	deadline := time.Now().Add(10 * time.Second)
	for {
		after = scrape(t, httpAddr)
		n := 0.0
		for k, v := range after {
			if strings.HasPrefix(k, swept) && strings.Contains(k, `table="public.expiring"`) {
				n = v
			}
		}
		if n == 50 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ttl rows swept = %v, want 50", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	grew := func(name string, atLeast float64) {
		t.Helper()
		if d := after[name] - before[name]; d < atLeast {
			t.Errorf("%s grew by %v, want at least %v", name, d, atLeast)
		}
	}
	grew("prkdb_wal_records_total", 4) // CREATE TABLE, two INSERTs, slot, sweeper deletes
	grew("prkdb_wal_syncs_total", 1)
	grew("prkdb_queries_total", 15)
	grew("prkdb_connections_accepted_total", 2)
	grew("prkdb_notifications_queued_total", 10)
	grew("prkdb_kv_keys", 10)
	if after["prkdb_sessions"] != 2 || after["prkdb_listeners"] != 1 {
		t.Errorf("sessions %v, listeners %v; want 2 and 1", after["prkdb_sessions"], after["prkdb_listeners"])
	}
	if after[`prkdb_replication_slot_retained_bytes{slot="metrics_slot"}`] <= 0 {
		t.Errorf("slot metrics: %v", after[`prkdb_replication_slot_retained_bytes{slot="metrics_slot"}`])
	}
}
