package kv

// Benchmarks for issue 2's "Speed and memory" goals. They assert nothing
// about time; they report rates as custom metrics, and every kv read
// benchmark also reports its rate as a fraction of the bare tidwall/btree
// measured just before it in the same process ("x-bare"), so a ratio is
// always taken from one run on one machine.
//
//	go test ./kv/ -run '^$' -bench 'Reads|BareWrites' -benchtime 2s   # x3, separate runs
//	go test ./kv/ -run '^$' -bench 'Fdatasync|DurableBatch|GroupCommit' -count 3
//	go test ./kv/ -run '^$' -bench 'Recovery' -benchtime 3x -count 3
//	go test ./kv/ -run '^$' -bench '^BenchmarkSubscribe$' -benchtime 3000000x -count 3
//	go test ./kv/ -run '^$' -bench 'Memory' -benchtime 1x -count 3   # alone in its process
//
// The machine they were written on is shared, so most benchmarks also
// report CPU time per op (cpu-ns/op: user+system of the whole process, GC
// included), which a busy neighbour disturbs less than wall time.
// KV_DEGREE=n changes the tree degree for experiments.
//
// Fixtures: 1,000,000 random 16-byte keys with 100-byte values. Files go to
// $KV_BENCH_DIR, else os.TempDir() unless that is a tmpfs (fsync figures
// must come from the real disk), else kv/.kvbench; they are removed by
// TestMain.

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tidwall/btree"
)

const (
	benchN      = 1_000_000
	benchKeyLen = 16
	benchValLen = 100
)

// removeBenchDirs runs from TestMain (crash_test.go) after all tests.
func removeBenchDirs() {
	if benchRootDir != "" {
		os.RemoveAll(benchRootDir)
	}
}

var (
	benchRootOnce sync.Once
	benchRootDir  string
)

// benchDir returns a fresh directory on a real disk.
func benchDir(b *testing.B, name string) string {
	benchRootOnce.Do(func() {
		base := os.Getenv("KV_BENCH_DIR")
		if base == "" {
			base = os.TempDir()
			var st syscall.Statfs_t
			if syscall.Statfs(base, &st) == nil && st.Type == 0x01021994 { // TMPFS_MAGIC
				base, _ = filepath.Abs(".kvbench")
			}
		}
		os.MkdirAll(base, 0o755)
		d, err := os.MkdirTemp(base, "kvbench-")
		if err != nil {
			panic(err)
		}
		benchRootDir = d
	})
	d, err := os.MkdirTemp(benchRootDir, name+"-")
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// benchKeys: benchN distinct random keys (fixed seed) and their values.
var benchFix struct {
	once   sync.Once
	keys   [][]byte
	sorted [][]byte
	vals   [][]byte
}

func benchData() ([][]byte, [][]byte) {
	benchFix.once.Do(func() {
		rng := rand.New(rand.NewPCG(1, 2))
		karena := make([]byte, benchN*benchKeyLen)
		varena := make([]byte, benchN*benchValLen)
		for i := range varena {
			varena[i] = byte('a' + i%26)
		}
		keys := make([][]byte, benchN)
		vals := make([][]byte, benchN)
		seen := make(map[[2]uint64]bool, benchN)
		for i := range keys {
			var a, c uint64
			for {
				a, c = rng.Uint64(), rng.Uint64()
				if !seen[[2]uint64{a, c}] {
					seen[[2]uint64{a, c}] = true
					break
				}
			}
			k := karena[i*benchKeyLen : (i+1)*benchKeyLen : (i+1)*benchKeyLen]
			binary.BigEndian.PutUint64(k, a)
			binary.BigEndian.PutUint64(k[8:], c)
			keys[i] = k
			vals[i] = varena[i*benchValLen : (i+1)*benchValLen : (i+1)*benchValLen]
		}
		sorted := append([][]byte(nil), keys...)
		sort.Slice(sorted, func(i, j int) bool { return bytes.Compare(sorted[i], sorted[j]) < 0 })
		benchFix.keys, benchFix.vals, benchFix.sorted = keys, vals, sorted
	})
	return benchFix.keys, benchFix.vals
}

// The baseline: the same keys in a bare BTreeG with the options kv uses,
// keys and values held as strings as kv holds them (32-byte items, value
// inline: the strongest plain tree, so the ratio is kv's whole overhead).
type bareItem struct{ key, val string }

func bareLess(a, b bareItem) bool { return a.key < b.key }

func bareOf(k, v []byte) bareItem { return bareItem{bytesString(k), bytesString(v)} }
func bareKey(k []byte) bareItem   { return bareItem{key: bytesString(k)} }

func newBare() *btree.BTreeG[bareItem] {
	return btree.NewBTreeGOptions(bareLess, btree.Options{NoLocks: true, Degree: treeDegree})
}

var (
	bareOnce sync.Once
	bareTree *btree.BTreeG[bareItem]
)

func benchBare() *btree.BTreeG[bareItem] {
	bareOnce.Do(func() {
		keys, vals := benchData()
		t := newBare()
		for i := range keys {
			t.Set(bareOf(keys[i], vals[i]))
		}
		bareTree = t
	})
	return bareTree
}

var (
	loadedOnce  sync.Once
	loadedStore *Store
)

// benchStore is a store holding the benchmark keys, loaded through ordinary
// 1,000-key commits (fsync off: loading is not what is measured here).
func benchStore(b *testing.B) *Store {
	loadedOnce.Do(func() {
		keys, vals := benchData()
		s, err := Open(Options{Dir: benchDir(b, "loaded"), Sync: SyncOff, CheckpointBytes: -1})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < benchN; i += 1000 {
			t := s.Begin(ReadCommitted)
			for j := i; j < i+1000 && j < benchN; j++ {
				t.Put(keys[j], vals[j])
			}
			if _, err := t.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		loadedStore = s
	})
	return loadedStore
}

var sink int // keeps scanned bytes observable

// The machine is shared (other processes compile while benchmarks run), so
// besides wall time per op each read benchmark reports cpu-ns/op: the
// process's CPU time (user+system, GC included) per op, which a busy
// neighbour disturbs less. Ratios are reported for both.
func procCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type meter struct {
	b    *testing.B
	cpu0 time.Duration
}

// startMeter starts the timed part of a benchmark.
func startMeter(b *testing.B) meter {
	b.ResetTimer()
	return meter{b, procCPU()}
}

type opCost struct{ wall, cpu float64 } // ns per op

// stop ends the timed part and returns the cost per op.
func (m meter) stop() opCost {
	m.b.StopTimer()
	cpu := procCPU() - m.cpu0
	return opCost{wall: nsPerOp(m.b), cpu: float64(cpu.Nanoseconds()) / float64(m.b.N)}
}

func nsPerOp(b *testing.B) float64 { return float64(b.Elapsed().Nanoseconds()) / float64(b.N) }

// Costs by name from the latest run in this process: kv benchmarks report
// their rate as a fraction of the bare tree's ("x-bare": 1 = as fast), and
// two-goroutine runs their speed-up over one goroutine ("x-g1": 2 = linear).
var (
	costMu sync.Mutex
	costs  = map[string]opCost{}
)

func report(b *testing.B, name string, c opCost, bareName, g1Name string) {
	costMu.Lock()
	costs[name] = c
	bare, okb := costs[bareName]
	g1, okg := costs[g1Name]
	costMu.Unlock()
	b.ReportMetric(c.cpu, "cpu-ns/op")
	b.ReportMetric(1e3/c.wall, "Mops/s")
	if bareName != "" && okb {
		b.ReportMetric(bare.wall/c.wall, "x-bare")
		b.ReportMetric(bare.cpu/c.cpu, "x-bare-cpu")
	}
	if g1Name != "" && okg {
		b.ReportMetric(g1.wall/c.wall, "x-g1")
	}
}

// BenchmarkReads: the bare tree and kv side by side, each kv figure right
// after the bare figure it is compared with.
func BenchmarkReads(b *testing.B) {
	keys, _ := benchData()
	tr := benchBare()
	s := benchStore(b)
	runtime.GC()

	bareGet := func(b *testing.B, g1Name string) {
		var seed atomic.Uint64
		b.SetParallelism(1)
		m := startMeter(b)
		b.RunParallel(func(pb *testing.PB) {
			rng := rand.New(rand.NewPCG(seed.Add(1), 5))
			for pb.Next() {
				if _, ok := tr.Get(bareKey(keys[rng.IntN(benchN)])); !ok {
					panic("missing")
				}
			}
		})
		report(b, "bare-get-"+strconv.Itoa(runtime.GOMAXPROCS(0)), m.stop(), "", g1Name)
	}
	// kvGet: many Gets in one REPEATABLE READ transaction (renewed every
	// 10,000 Gets so GC is not held back).
	kvGet := func(b *testing.B) {
		var seed atomic.Uint64
		b.SetParallelism(1)
		m := startMeter(b)
		b.RunParallel(func(pb *testing.PB) {
			rng := rand.New(rand.NewPCG(seed.Add(1), 5))
			t := s.Begin(RepeatableRead)
			i := 0
			for pb.Next() {
				if i++; i%10000 == 0 {
					t.Rollback()
					t = s.Begin(RepeatableRead)
				}
				if _, ok, _ := t.Get(keys[rng.IntN(benchN)]); !ok {
					panic("missing")
				}
			}
			t.Rollback()
		})
		m0 := m.stop()
		p := strconv.Itoa(runtime.GOMAXPROCS(0))
		report(b, "kv-get-"+p, m0, "bare-get-"+p, map[string]string{"2": "kv-get-1"}[p])
	}
	// kvGetAuto: one autocommit READ COMMITTED transaction per Get.
	kvGetAuto := func(b *testing.B) {
		var seed atomic.Uint64
		b.SetParallelism(1)
		m := startMeter(b)
		b.RunParallel(func(pb *testing.PB) {
			rng := rand.New(rand.NewPCG(seed.Add(1), 5))
			for pb.Next() {
				t := s.Begin(ReadCommitted)
				if _, ok, _ := t.Get(keys[rng.IntN(benchN)]); !ok {
					panic("missing")
				}
				if _, err := t.Commit(); err != nil {
					panic(err)
				}
			}
		})
		p := strconv.Itoa(runtime.GOMAXPROCS(0))
		report(b, "kv-getauto-"+p, m.stop(), "bare-get-"+p, map[string]string{"2": "kv-getauto-1"}[p])
	}
	for _, procs := range []int{1, 2} {
		g := "/g" + strconv.Itoa(procs)
		withProcs := func(f func(*testing.B)) func(*testing.B) {
			return func(b *testing.B) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				f(b)
			}
		}
		b.Run("bare/Get"+g, withProcs(func(b *testing.B) {
			bareGet(b, map[int]string{2: "bare-get-1"}[procs])
		}))
		b.Run("kv/Get"+g, withProcs(kvGet))
		b.Run("kv/GetAutocommit"+g, withProcs(kvGetAuto))
	}
	b.Run("bare/Scan100", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(6, 7))
		m := startMeter(b)
		for i := 0; i < b.N; i++ {
			it := tr.Iter()
			n := 0
			for ok := it.Seek(bareKey(keys[rng.IntN(benchN)])); ok && n < 100; ok = it.Next() {
				sink += int(it.Item().key[0]) + int(it.Item().val[0]) // a reader looks at both
				n++
			}
			it.Release()
		}
		report(b, "bare-scan100", m.stop(), "", "")
	})
	b.Run("kv/Scan100", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(6, 7))
		t := s.Begin(RepeatableRead)
		m := startMeter(b)
		for i := 0; i < b.N; i++ {
			it := t.Scan(ScanOptions{Start: keys[rng.IntN(benchN)]})
			for n := 0; n < 100 && it.Next(); n++ {
				sink += int(it.Key()[0]) + int(it.Value()[0])
			}
			it.Close()
		}
		c := m.stop()
		t.Rollback()
		report(b, "kv-scan100", c, "bare-scan100", "")
	})
}

// BenchmarkBareWrites: the bare tree's write baselines.
func BenchmarkBareWrites(b *testing.B) {
	keys, vals := benchData()
	b.Run("SetSeqHint", func(b *testing.B) {
		sorted := benchFix.sorted
		tr := newBare()
		var hint btree.PathHint
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			j := i % benchN
			if j == 0 && i > 0 {
				b.StopTimer()
				tr, hint = newBare(), btree.PathHint{}
				b.StartTimer()
			}
			tr.SetHint(bareOf(sorted[j], vals[j]), &hint)
		}
		b.ReportMetric(1e9/nsPerOp(b)/1e6, "Mops/s")
	})
	// SetRand: the keys in random order into an empty tree (rebuilt every
	// 1,000,000): the baseline for recovery, which builds the same tree.
	b.Run("SetRand", func(b *testing.B) {
		tr := newBare()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			j := i % benchN
			if j == 0 && i > 0 {
				b.StopTimer()
				tr = newBare()
				runtime.GC()
				b.StartTimer()
			}
			tr.Set(bareOf(keys[j], vals[j]))
		}
		b.ReportMetric(1e9/nsPerOp(b)/1e6, "Mops/s")
	})
	b.Run("SetRandCopy1000", func(b *testing.B) {
		tr := benchBare().Copy() // do not disturb the shared tree
		var snap *btree.BTreeG[bareItem]
		rng := rand.New(rand.NewPCG(8, 9))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if i%1000 == 0 {
				snap = tr.Copy()
			}
			j := rng.IntN(benchN)
			tr.Set(bareOf(keys[j], vals[(j+1)%benchN]))
		}
		_ = snap
		b.ReportMetric(1e9/nsPerOp(b)/1e6, "Mops/s")
	})
}

// BenchmarkFdatasync: the disk's floor for one durable commit: append n
// bytes and fdatasync, in the directory the WAL benchmarks use. 128 B is
// one small commit; 128 KiB and 1 MiB are group-commit batches of 1,000 and
// 8,000 keys, whose MB/s is the ceiling for durable bulk loading.
func BenchmarkFdatasync(b *testing.B) {
	for _, n := range []int{128, 128 << 10, 1 << 20} {
		b.Run(strconv.Itoa(n)+"B", func(b *testing.B) {
			f, err := os.Create(filepath.Join(benchDir(b, "fsync"), "f"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			buf := make([]byte, n)
			b.SetBytes(int64(n))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := f.Write(buf); err != nil {
					b.Fatal(err)
				}
				if err := syscall.Fdatasync(int(f.Fd())); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(nsPerOp(b)/1e3, "us/fsync")
		})
	}
}

// newBenchKeys returns n fresh random keys carved from one allocation.
func newBenchKeys(rng *rand.Rand, n int) [][]byte {
	arena := make([]byte, n*benchKeyLen)
	keys := make([][]byte, n)
	for i := range keys {
		k := arena[i*benchKeyLen : (i+1)*benchKeyLen : (i+1)*benchKeyLen]
		binary.LittleEndian.PutUint64(k, rng.Uint64())
		binary.LittleEndian.PutUint64(k[8:], rng.Uint64())
		keys[i] = k
	}
	return keys
}

func walStats(s *Store) WALStats { return s.Log().(*WAL).Stats() }

// BenchmarkDurableBatch: 8 writers committing 1,000-key batches of new
// keys into an empty store, fsync on. One op = one batch. "random": random
// 16-byte keys (a UUID key or a secondary index); "sequential": each batch
// takes the next 1,000 ids of a shared counter (a serial key, COPY).
func BenchmarkDurableBatch(b *testing.B) {
	for _, order := range []string{"random", "sequential"} {
		b.Run(order, func(b *testing.B) { benchDurableBatch(b, order == "sequential") })
	}
}

func benchDurableBatch(b *testing.B, sequential bool) {
	const writers, batch = 8, 1000
	s, err := Open(Options{Dir: benchDir(b, "batch"), Sync: SyncFsync, CheckpointBytes: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	val := bytes.Repeat([]byte("v"), benchValLen)
	var next, ids atomic.Int64
	var wg sync.WaitGroup
	m := startMeter(b)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 10))
			for next.Add(1) <= int64(b.N) {
				keys := newBenchKeys(rng, batch)
				if sequential {
					first := ids.Add(batch) - batch
					for i, k := range keys {
						binary.BigEndian.PutUint64(k, uint64(first)+uint64(i))
					}
				}
				t := s.Begin(ReadCommitted)
				for _, k := range keys {
					t.Put(k, val)
				}
				if _, err := t.Commit(); err != nil {
					panic(err)
				}
			}
		}(w)
	}
	wg.Wait()
	c := m.stop()
	st := walStats(s)
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "keys/s")
	b.ReportMetric(c.cpu/batch, "cpu-ns/key")
	b.ReportMetric(float64(st.Records)/float64(max(st.Syncs, 1)), "commits/fsync")
}

// BenchmarkGroupCommit: N goroutines each committing one new key per
// transaction, fsync on. One op = one commit.
func BenchmarkGroupCommit(b *testing.B) {
	for _, n := range []int{1, 64, 256, 1024} {
		b.Run("N="+strconv.Itoa(n), func(b *testing.B) {
			s, err := Open(Options{Dir: benchDir(b, "group"), Sync: SyncFsync, CheckpointBytes: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			val := bytes.Repeat([]byte("v"), benchValLen)
			var next atomic.Int64
			var wg sync.WaitGroup
			m := startMeter(b)
			for w := 0; w < n; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(w), 11))
					for next.Add(1) <= int64(b.N) {
						k := newBenchKeys(rng, 1)[0]
						t := s.Begin(ReadCommitted)
						t.Put(k, val)
						if _, err := t.Commit(); err != nil {
							panic(err)
						}
					}
				}(w)
			}
			wg.Wait()
			c := m.stop()
			st := walStats(s)
			sec := b.Elapsed().Seconds()
			b.ReportMetric(c.cpu, "cpu-ns/op")
			b.ReportMetric(float64(b.N)/sec, "commits/s")
			b.ReportMetric(float64(st.Syncs)/sec, "fsyncs/s")
			b.ReportMetric(float64(st.Records)/float64(max(st.Syncs, 1)), "commits/fsync")
			if st.Syncs > 0 {
				b.ReportMetric(float64(st.SyncTime.Microseconds())/float64(st.Syncs), "us/fsync")
			}
		})
	}
}

var (
	logFixOnce sync.Once
	logFixDir  string
	logFixLast uint64
)

// benchLogDir is a store directory whose WAL holds benchN one-key records
// (the benchmark keys), and no checkpoint.
func benchLogDir(b *testing.B) (string, uint64) {
	logFixOnce.Do(func() {
		keys, vals := benchData()
		dir := benchDir(b, "log")
		w, last, err := OpenWAL(filepath.Join(dir, "wal"), WALOptions{Sync: SyncOff}, 0, nil)
		if err != nil {
			b.Fatal(err)
		}
		var done <-chan struct{}
		for i := range keys {
			last++
			p := encodePayload(nil, []Op{{Kind: OpPut, Key: keys[i], Value: vals[i]}}, nil)
			patchPayloadHeader(p, last, int64(i))
			done = w.Append(last, p)
		}
		<-done
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		logFixDir, logFixLast = dir, last
	})
	return logFixDir, logFixLast
}

// BenchmarkRecovery: Open replaying a log of 1,000,000 one-key records
// (no checkpoint). One op = one Open.
func BenchmarkRecovery(b *testing.B) {
	dir, last := benchLogDir(b)
	runtime.GC()
	m := startMeter(b)
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		cpu0 := procCPU()
		s, err := Open(Options{Dir: dir, Sync: SyncOff, CheckpointBytes: -1})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += procCPU() - cpu0
		if s.LastLSN() != last {
			b.Fatalf("recovered to %d, want %d", s.LastLSN(), last)
		}
		s.Close()
		s = nil
		runtime.GC()
		b.StartTimer()
	}
	m.stop()
	b.ReportMetric(float64(last)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(last)/float64(b.N), "cpu-ns/record")
}

// BenchmarkSubscribe: a Subscribe reader catching up over the 1,000,000
// record log. One op = one record received.
func BenchmarkSubscribe(b *testing.B) {
	dir, last := benchLogDir(b)
	s, err := Open(Options{Dir: dir, Sync: SyncOff, CheckpointBytes: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var r LogReader
	next := last + 1
	m := startMeter(b)
	for i := 0; i < b.N; i++ {
		if next > last {
			if r != nil {
				r.Close()
			}
			if r, err = s.Subscribe(1); err != nil {
				b.Fatal(err)
			}
			next = 1
		}
		rec, err := r.Next(nil)
		if err != nil {
			b.Fatal(err)
		}
		if rec.LSN != next {
			b.Fatalf("got LSN %d, want %d", rec.LSN, next)
		}
		next++
	}
	c := m.stop()
	r.Close()
	b.ReportMetric(1e9/nsPerOp(b), "records/s")
	b.ReportMetric(c.cpu, "cpu-ns/op")
}

// BenchmarkSubscribeLive: a reader following commits as they are made (one
// goroutine committing 100-key transactions, fsync off). One op = one
// record received.
func BenchmarkSubscribeLive(b *testing.B) {
	s, err := Open(Options{Dir: benchDir(b, "live"), Sync: SyncOff, CheckpointBytes: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	r, err := s.Subscribe(1)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	val := bytes.Repeat([]byte("v"), benchValLen)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		rng := rand.New(rand.NewPCG(12, 13))
		for {
			select {
			case <-stop:
				return
			default:
			}
			t := s.Begin(ReadCommitted)
			t.Put(newBenchKeys(rng, 1)[0], val)
			t.Commit()
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.Next(nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(1e9/nsPerOp(b), "records/s")
}

func rssBytes() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n << 10
		}
	}
	return 0
}

// heapAndRSS collects garbage, returns freed pages to the OS and reports
// the heap's spans in use (HeapInuse: live objects plus the free slots of
// partly used spans) and the process's resident set.
func heapAndRSS() (int64, int64) {
	h, _, rss := memNow()
	return h, rss
}

// memNow is heapAndRSS plus the live bytes alone (HeapAlloc after a GC).
func memNow() (inuse, live, rss int64) {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse), int64(ms.HeapAlloc), rssBytes()
}

// BenchmarkMemory: the store's footprint with 1,000,000 keys (16-byte keys,
// 100-byte values, each key and value its own allocation as a caller
// encoding rows would make them), as a ratio to the raw key+value bytes.
// "commits": loaded through 1,000-key commits; "restart": the same data
// after a checkpoint and a reopen (the shape a restarted server has).
// Run it alone (-bench Memory) so other fixtures do not share the process.
func BenchmarkMemory(b *testing.B) {
	const raw = benchN * (benchKeyLen + benchValLen)
	for i := 0; i < b.N; i++ {
		dir := benchDir(b, "mem")
		heap0, live0, rss0 := memNow()
		s, err := Open(Options{Dir: dir, Sync: SyncOff, CheckpointBytes: -1})
		if err != nil {
			b.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(14, 15))
		for j := 0; j < benchN; j += 1000 {
			t := s.Begin(ReadCommitted)
			for range 1000 {
				k := make([]byte, benchKeyLen)
				binary.LittleEndian.PutUint64(k, rng.Uint64())
				binary.LittleEndian.PutUint64(k[8:], rng.Uint64())
				v := make([]byte, benchValLen)
				v[0] = byte(j)
				t.Put(k, v)
			}
			if _, err := t.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		heap1, live1, rss1 := memNow()
		if p := os.Getenv("KV_BENCH_HEAPPROFILE"); p != "" { // where the bytes are
			if f, err := os.Create(p); err == nil {
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
		if err := s.Checkpoint(); err != nil {
			b.Fatal(err)
		}
		s.Close()
		s = nil
		heap2, live2, rss2 := memNow()
		s, err = Open(Options{Dir: dir, Sync: SyncOff, CheckpointBytes: -1})
		if err != nil {
			b.Fatal(err)
		}
		heap3, live3, rss3 := memNow()
		if got := s.Stats().Keys; got != benchN {
			b.Fatalf("%d keys after restart", got)
		}
		s.Close()
		runtime.KeepAlive(s)
		b.ReportMetric(float64(live1-live0)/raw, "commits-live/raw")
		b.ReportMetric(float64(live3-live2)/raw, "restart-live/raw")
		b.ReportMetric(float64(heap1-heap0)/raw, "commits-heap/raw")
		b.ReportMetric(float64(rss1-rss0)/raw, "commits-rss/raw")
		b.ReportMetric(float64(heap3-heap2)/raw, "restart-heap/raw")
		b.ReportMetric(float64(rss3-rss2)/raw, "restart-rss/raw")
		b.ReportMetric(float64(rss3)/raw, "restart-procrss/raw")
		b.ReportMetric(float64(heap1-heap0)/benchN, "B/key")
	}
}

func init() {
	if d, err := strconv.Atoi(os.Getenv("KV_DEGREE")); err == nil {
		treeDegree = d
	}
}
