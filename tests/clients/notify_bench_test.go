package clients_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// BenchmarkNotify: 1 listener, 8 notifier connections calling pg_notify in
// a closed loop (one durable commit each); reports notifications/s
// delivered and the p50/p99 delivery latency (receipt minus the send time
// carried in the payload). It runs against an in-process prkdb-sql with
// fsync on, and against PRKDB_BENCH_PG_DSN too when set (e.g.
// postgres://postgres@127.0.0.1:5433/test after
// /work/shared/bench/reference-pg.sh start 5433), so both come from one run:
//
//	PRKDB_BENCH_PG_DSN=postgres://postgres@127.0.0.1:5433/test \
//	  go test ./tests/clients -run '^$' -bench Notify -benchtime 5s
//
// b.N is ignored: each run lasts -benchtime (default 1 s). The shared
// harness measures the same workload: /work/shared/bench (-w notify).
func BenchmarkNotify(b *testing.B) {
	targets := []struct{ name, dsn string }{}
	srv := prkdbtest.Start(b, prkdbtest.Options{Fsync: true})
	targets = append(targets, struct{ name, dsn string }{"prkdb", srv.DSN})
	if dsn := os.Getenv("PRKDB_BENCH_PG_DSN"); dsn != "" {
		targets = append(targets, struct{ name, dsn string }{"postgres", dsn})
	}
	d := time.Second
	if f := testingBenchtime(); f > 0 {
		d = f
	}
	for _, tg := range targets {
		b.Run(tg.name, func(b *testing.B) {
			wal, _ := srv.Engine.Store().Log().(*kv.WAL)
			var before kv.WALStats
			if wal != nil {
				before = wal.Stats()
			}
			rate, p50, p99 := runNotifyBench(b, tg.dsn, 8, d)
			b.ReportMetric(rate, "notif/s")
			b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
			b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
			b.ReportMetric(0, "ns/op")
			if wal != nil && tg.name == "prkdb" {
				// Where a commit's time goes: group commit batch size and fsync time.
				after := wal.Stats()
				if syncs := after.Syncs - before.Syncs; syncs > 0 {
					b.ReportMetric(float64(after.Records-before.Records)/float64(syncs), "commits/fsync")
					b.ReportMetric(float64((after.SyncTime-before.SyncTime).Microseconds())/float64(syncs), "fsync-µs")
				}
			}
		})
	}
}

// testingBenchtime reads -test.benchtime when it is a duration.
func testingBenchtime() time.Duration {
	for i, a := range os.Args {
		for _, p := range []string{"-test.benchtime=", "-benchtime="} {
			if len(a) > len(p) && a[:len(p)] == p {
				d, _ := time.ParseDuration(a[len(p):])
				return d
			}
		}
		if (a == "-test.benchtime" || a == "-benchtime") && i+1 < len(os.Args) {
			d, _ := time.ParseDuration(os.Args[i+1])
			return d
		}
	}
	return 0
}

func runNotifyBench(b *testing.B, dsn string, notifiers int, d time.Duration) (rate float64, p50, p99 time.Duration) {
	ctx := context.Background()
	channel := "bench_" + strconv.Itoa(os.Getpid())
	lis, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer lis.Close(ctx)
	if _, err := lis.Exec(ctx, "LISTEN "+channel); err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	var received atomic.Int64
	var last time.Time
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			n, err := lis.WaitForNotification(lctx)
			if err != nil {
				return
			}
			now := time.Now()
			ts, err := strconv.ParseInt(n.Payload, 10, 64)
			if err != nil {
				continue
			}
			lat = append(lat, now.Sub(time.Unix(0, ts)))
			last = now
			received.Add(1)
		}
	}()
	var sent atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range notifiers {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close(ctx)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := c.Exec(ctx, "SELECT pg_notify($1, $2)", channel, strconv.FormatInt(time.Now().UnixNano(), 10)); err != nil {
					b.Error(err)
					return
				}
				sent.Add(1)
			}
		}()
	}
	wg.Wait()
	for wait := time.Now().Add(5 * time.Second); received.Load() < sent.Load() && time.Now().Before(wait); {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if received.Load() != sent.Load() || len(lat) == 0 {
		b.Fatalf("%d sent, %d received", sent.Load(), received.Load())
	}
	slices.Sort(lat)
	return float64(len(lat)) / last.Sub(start).Seconds(), lat[len(lat)/2], lat[len(lat)*99/100]
}
