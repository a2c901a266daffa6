package copy_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestCopyThroughput loads 200,000 rows of (int, int, text) into an
// unindexed table with pgx's CopyFrom (binary) and with psql's \copy
// (text), on prkdb-sql and on PostgreSQL 15 in the same run, and logs
// rows/s (go test -run TestCopyThroughput -v ./tests/copy).
// PRKDB_COPY_ROWS overrides the row count.
func TestCopyThroughput(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	rows := 200_000
	if v, err := strconv.Atoi(os.Getenv("PRKDB_COPY_ROWS")); err == nil && v > 0 {
		rows = v
	}
	srvs := servers(t)
	findPsql(t)
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	f, err := os.Create(filepath.Join(dir, "rows.txt"))
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	for i := 0; i < rows; i++ {
		fmt.Fprintf(bw, "%d\t%d\tpayload number %d for the copy benchmark\n", i, i*7, i)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	for _, s := range srvs {
		c := connect(t, s)
		mustExec(t, s, c, "DROP TABLE IF EXISTS bench_pgx", "DROP TABLE IF EXISTS bench_psql",
			"CREATE TABLE bench_pgx (a int, b int, c text)", "CREATE TABLE bench_psql (a int, b int, c text)")

		i := 0
		vals := make([]any, 3)
		src := pgx.CopyFromFunc(func() ([]any, error) {
			if i == rows {
				return nil, nil
			}
			vals[0], vals[1], vals[2] = int32(i), int32(i*7), fmt.Sprintf("payload number %d for the copy benchmark", i)
			i++
			return vals, nil
		})
		start := time.Now()
		n, err := c.CopyFrom(ctxT(t), pgx.Identifier{"bench_pgx"}, []string{"a", "b", "c"}, src)
		d := time.Since(start)
		if err != nil || n != int64(rows) {
			t.Fatalf("%s: CopyFrom: %d rows, %v", s.name, n, err)
		}
		t.Logf("%-5s pgx CopyFrom (binary): %d rows in %v = %.0f rows/s", s.name, rows, d.Round(time.Millisecond), float64(rows)/d.Seconds())

		start = time.Now()
		psql(t, s, dir, `\copy bench_psql from 'rows.txt'`)
		d = time.Since(start)
		t.Logf("%-5s psql \\copy (text):      %d rows in %v = %.0f rows/s", s.name, rows, d.Round(time.Millisecond), float64(rows)/d.Seconds())

		var got int
		if err := c.QueryRow(ctxT(t), "SELECT count(*) FROM bench_psql").Scan(&got); err != nil || got != rows {
			t.Errorf("%s: bench_psql has %d rows (%v)", s.name, got, err)
		}
		start = time.Now()
		out, _ := copyTo(t, s, c, "COPY bench_psql TO STDOUT")
		d = time.Since(start)
		t.Logf("%-5s COPY TO STDOUT (text):  %d rows in %v = %.0f rows/s", s.name, rows, d.Round(time.Millisecond), float64(rows)/d.Seconds())
		if len(out) == 0 {
			t.Errorf("%s: empty COPY TO", s.name)
		}
	}
}
