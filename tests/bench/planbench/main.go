// Command planbench runs the planner benchmark of issue 5 ("Speed and
// memory") against any PostgreSQL-protocol servers, one after the other in
// the same run, so prkdb-sql and PostgreSQL 15 are compared on one machine
// at one time:
//
//	go run ./tests/bench/planbench -dsn prkdb=postgres://postgres@127.0.0.1:5432/postgres \
//	    -dsn pg15=postgres://postgres@127.0.0.1:5433/test -pid prkdb=12345
//
// Each server gets the same two tables (big: 1,000,000 rows, small:
// 100,000 rows) loaded with the same SQL, then the same queries: a hash
// join of the two, a GROUP BY over big, an ORDER BY ... LIMIT 10 that an
// index serves, and a range scan returning 10,000 rows. Each query runs
// once to warm up, then -runs times; the median wall time (client side,
// all rows received) is reported.
//
// Server CPU: user+system time of the serving process over the timed
// runs, divided by the runs (10 ms resolution); steadier than wall time
// when the machine is shared.
//
// Peak memory: before each query the peak RSS of the serving process is
// reset (writing 5 to /proc/PID/clear_refs) and VmHWM is read after it.
// For PostgreSQL the process is the connection's backend
// (pg_backend_pid()); for prkdb-sql it is the whole server, whose figure
// includes the in-memory store. Needs the processes to be readable (same
// user or root); otherwise memory is reported as NA.
//
// This is a benchmark, not a test: it asserts nothing but equal answers.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/tests/bench/namedflag"
)

// setup creates and fills the tables. generate_series keeps the load on the
// server, so both engines are given exactly the same rows.
var setup = []string{
	"DROP TABLE IF EXISTS pb_big",
	"DROP TABLE IF EXISTS pb_small",
	"CREATE TABLE pb_small (id integer PRIMARY KEY, name text, weight integer)",
	"CREATE TABLE pb_big (id integer PRIMARY KEY, small_id integer, grp integer, score integer, pad text)",
	"INSERT INTO pb_small SELECT i, 'name ' || i, i % 97 FROM generate_series(1, 100000) i",
	"INSERT INTO pb_big SELECT i, ((i::bigint * 7919) % 100000 + 1)::int, i % 1000, ((i::bigint * 104729) % 1000003)::int, 'padding ' || i FROM generate_series(1, 250000) i",
	"INSERT INTO pb_big SELECT i, ((i::bigint * 7919) % 100000 + 1)::int, i % 1000, ((i::bigint * 104729) % 1000003)::int, 'padding ' || i FROM generate_series(250001, 500000) i",
	"INSERT INTO pb_big SELECT i, ((i::bigint * 7919) % 100000 + 1)::int, i % 1000, ((i::bigint * 104729) % 1000003)::int, 'padding ' || i FROM generate_series(500001, 750000) i",
	"INSERT INTO pb_big SELECT i, ((i::bigint * 7919) % 100000 + 1)::int, i % 1000, ((i::bigint * 104729) % 1000003)::int, 'padding ' || i FROM generate_series(750001, 1000000) i",
	"CREATE INDEX pb_big_score ON pb_big (score)",
	"ANALYZE pb_small",
	"ANALYZE pb_big",
}

var queries = []struct{ name, sql string }{
	{"hash_join", "SELECT count(*), sum(s.weight) FROM pb_big b JOIN pb_small s ON s.id = b.small_id"},
	{"group_by_1M", "SELECT grp, count(*), sum(score) FROM pb_big GROUP BY grp"},
	{"order_limit_index", "SELECT id, score FROM pb_big ORDER BY score DESC LIMIT 10"},
	{"range_10k", "SELECT id, score FROM pb_big WHERE id BETWEEN 400001 AND 410000"},
}

func main() {
	var dsns, pids namedflag.List
	flag.Var(&dsns, "dsn", "NAME=postgres://... (repeatable; run in order)")
	flag.Var(&pids, "pid", "NAME=PID of the server process whose memory to report (default: pg_backend_pid())")
	runs := flag.Int("runs", 5, "timed runs per query")
	skipLoad := flag.Bool("skip-load", false, "reuse the tables of a previous run")
	flag.Parse()
	pidOf := map[string]int{}
	for _, p := range pids {
		pidOf[p.Name], _ = strconv.Atoi(p.Value)
	}
	answers := map[string]string{}
	var report []string
	for _, d := range dsns {
		name, dsn := d.Name, d.Value
		lines, err := runServer(name, dsn, pidOf[name], *runs, *skipLoad, answers)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
		report = append(report, lines...)
	}
	fmt.Println("server | query | median ms | min ms | server CPU ms/run | peak RSS MB | rows")
	for _, l := range report {
		fmt.Println(l)
	}
}

func runServer(name, dsn string, pid, runs int, skipLoad bool, answers map[string]string) ([]string, error) {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer c.Close(ctx)
	if pid == 0 {
		if err := c.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
			return nil, err
		}
	}
	if !skipLoad {
		start := time.Now()
		for _, q := range setup {
			if _, err := c.Exec(ctx, q); err != nil {
				return nil, fmt.Errorf("%s: %w", q, err)
			}
		}
		fmt.Fprintf(os.Stderr, "[%s] loaded in %.1f s, RSS %s MB\n", name, time.Since(start).Seconds(), rssMB(pid, "VmRSS"))
	}
	var out []string
	for _, q := range queries {
		var times []float64
		var rows int
		var answer string
		resetPeak(pid)
		var cpuStart float64
		for i := 0; i <= runs; i++ {
			if i == 1 {
				cpuStart = cpuSeconds(pid)
			}
			t0 := time.Now()
			r, err := c.Query(ctx, q.sql, pgx.QueryExecModeSimpleProtocol)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", q.name, err)
			}
			rows = 0
			var sb strings.Builder
			for r.Next() {
				rows++
				if rows <= 20 {
					fmt.Fprint(&sb, r.RawValues())
				}
			}
			if err := r.Err(); err != nil {
				return nil, fmt.Errorf("%s: %w", q.name, err)
			}
			if i > 0 {
				times = append(times, float64(time.Since(t0).Nanoseconds())/1e6)
			}
			answer = fmt.Sprint(rows)
			if !strings.Contains(q.sql, "GROUP BY") { // group order is unspecified
				answer += sb.String()
			}
		}
		if prev, ok := answers[q.name]; ok && prev != answer {
			fmt.Fprintf(os.Stderr, "[%s] %s: answer differs from the first server's\n", name, q.name)
		}
		answers[q.name] = answer
		cpu := (cpuSeconds(pid) - cpuStart) * 1000 / float64(runs)
		sort.Float64s(times)
		line := fmt.Sprintf("%s | %s | %s | %s | %.0f | %s | %d", name, q.name, msText(times[len(times)/2]), msText(times[0]), cpu, rssMB(pid, "VmHWM"), rows)
		fmt.Fprintln(os.Stderr, line)
		out = append(out, line)
	}
	return out, nil
}

// resetPeak clears the process's peak RSS so VmHWM covers what follows
// (proc(5): clear_refs, value 5).
func resetPeak(pid int) {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// rssMB reads one memory field of /proc/PID/status in MB ("NA" if absent).
func rssMB(pid int, field string) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "NA"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return fmt.Sprintf("%.0f", float64(kb)/1024)
		}
	}
	return "NA"
}

// cpuSeconds is the process's user+system CPU time (proc(5): stat fields
// 14 and 15, in clock ticks of 1/100 s). On a machine shared with other
// work, CPU per run varies far less than wall time.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (u + st) / 100
}

// msText prints milliseconds with three significant digits or more.
func msText(ms float64) string {
	switch {
	case ms < 1:
		return fmt.Sprintf("%.3f", ms)
	case ms < 10:
		return fmt.Sprintf("%.2f", ms)
	}
	return fmt.Sprintf("%.1f", ms)
}
