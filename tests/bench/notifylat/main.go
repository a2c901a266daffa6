// Command notifylat measures LISTEN/NOTIFY delivery latency at a fixed
// offered rate, so that servers are compared at the same load rather than
// each at its own saturation (the closed-loop notify workload of
// ../shared/bench measures the most a server delivers, and its latency
// then includes the queueing that rate causes):
//
//	go run ./tests/bench/notifylat -dsn prkdb=postgres://postgres@127.0.0.1:5432/postgres \
//	    -dsn pg15=postgres://postgres@127.0.0.1:5433/test -rate 10000,15000
//
// For each rate and each server in turn: one listener connection and
// -notifiers connections that together call pg_notify -rate times a
// second (each on its own schedule; one that falls behind sends at once),
// for -d. The payload is the time the notifier sent it (not the scheduled
// time: Go's timers oversleep by up to a millisecond on an idle runtime,
// which is the client's, not the server's); latency is receipt time minus
// it. Reports the achieved rate and p50/p90/p99/max.
//
// This is a benchmark, not a test: it asserts only that every
// notification sent arrived.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/tests/bench/namedflag"
)

func main() {
	var dsns namedflag.List
	flag.Var(&dsns, "dsn", "name=connection string (repeat; servers run one after the other)")
	rates := flag.String("rate", "10000", "offered notifications per second, comma-separated")
	notifiers := flag.Int("notifiers", 8, "notifier connections")
	dur := flag.Duration("d", 5*time.Second, "duration of each run")
	flag.Parse()
	if len(dsns) == 0 {
		fmt.Fprintln(os.Stderr, "notifylat: at least one -dsn name=connstring")
		os.Exit(2)
	}
	for _, r := range strings.Split(*rates, ",") {
		rate, err := strconv.Atoi(strings.TrimSpace(r))
		if err != nil || rate <= 0 {
			fmt.Fprintf(os.Stderr, "notifylat: bad rate %q\n", r)
			os.Exit(2)
		}
		for _, d := range dsns {
			name := d.Name
			res, err := run(d.Value, rate, *notifiers, *dur)
			if err != nil {
				fmt.Fprintf(os.Stderr, "notifylat: %s at %d/s: %v\n", name, rate, err)
				os.Exit(1)
			}
			fmt.Printf("%-8s offered=%6d/s achieved=%6.0f/s p50=%6.0fus p90=%6.0fus p99=%6.0fus max=%7.0fus\n",
				name, rate, res.rate, us(res.p50), us(res.p90), us(res.p99), us(res.max))
		}
	}
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

type result struct {
	rate               float64
	p50, p90, p99, max time.Duration
}

func run(dsn string, rate, notifiers int, dur time.Duration) (result, error) {
	ctx := context.Background()
	channel := fmt.Sprintf("notifylat_%d", os.Getpid())
	lc, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return result{}, err
	}
	defer lc.Close(ctx)
	if _, err := lc.Exec(ctx, "LISTEN "+channel); err != nil {
		return result{}, err
	}
	conns := make([]*pgx.Conn, notifiers)
	for i := range conns {
		if conns[i], err = pgx.Connect(ctx, dsn); err != nil {
			return result{}, err
		}
		defer conns[i].Close(ctx)
		if _, err := conns[i].Exec(ctx, "SELECT pg_notify($1, $2)", channel, "warmup"); err != nil {
			return result{}, err
		}
	}

	// The listener records latencies until it has every scheduled one.
	total := int(float64(rate) * dur.Seconds())
	lat := make([]time.Duration, 0, total)
	done := make(chan error, 1)
	go func() {
		for len(lat) < total {
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			n, err := lc.WaitForNotification(wctx)
			cancel()
			if err != nil {
				done <- fmt.Errorf("after %d of %d notifications: %w", len(lat), total, err)
				return
			}
			if n.Payload == "warmup" {
				continue
			}
			ts, err := strconv.ParseInt(n.Payload, 10, 64)
			if err != nil {
				continue
			}
			lat = append(lat, time.Since(time.Unix(0, ts)))
		}
		done <- nil
	}()

	// Notifier i sends the notifications i, i+notifiers, ... of one
	// global schedule spaced 1/rate apart.
	start := time.Now().Add(50 * time.Millisecond)
	interval := time.Second / time.Duration(rate)
	var wg sync.WaitGroup
	errs := make(chan error, notifiers)
	for i, c := range conns {
		wg.Add(1)
		go func(i int, c *pgx.Conn) {
			defer wg.Done()
			for k := i; k < total; k += notifiers {
				at := start.Add(time.Duration(k) * interval)
				if d := time.Until(at); d > 0 {
					time.Sleep(d)
				}
				if _, err := c.Exec(ctx, "SELECT pg_notify($1, $2)", channel, strconv.FormatInt(time.Now().UnixNano(), 10)); err != nil {
					errs <- err
					return
				}
			}
		}(i, c)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return result{}, err
	}
	if err := <-done; err != nil {
		return result{}, err
	}
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	return result{rate: float64(len(lat)) / elapsed.Seconds(), p50: pct(0.50), p90: pct(0.90), p99: pct(0.99), max: lat[len(lat)-1]}, nil
}
