package kv

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// crashChild runs in a child process (the test binary re-executed): it
// commits in a loop from several goroutines, fsync on, small segments and
// frequent background checkpoints, and prints every acknowledged commit.
func crashChild(dir, round string) {
	s, err := Open(Options{Dir: dir, Sync: SyncFsync, SegmentSize: 32 << 10, CheckpointBytes: 64 << 10})
	if err != nil {
		fmt.Println("open error:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "ready")
	out.Flush()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for n := 0; ; n++ {
				txn := s.Begin(ReadCommitted)
				id := fmt.Sprintf("%s/%d/%d", round, g, n)
				for _, part := range []string{"a", "b", "c"} {
					txn.Put([]byte("c/"+id+"/"+part), []byte(id))
				}
				if n > 0 { // deletes too, so recovery replays them
					txn.Delete([]byte(fmt.Sprintf("tmp/%s/%d/%d", round, g, n-1)))
				}
				txn.Put([]byte(fmt.Sprintf("tmp/%s/%d/%d", round, g, n)), []byte("x"))
				if _, err := txn.Commit(); err != nil {
					fmt.Println("commit error:", err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintln(out, "ack", id)
				out.Flush()
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
}

func TestMain(m *testing.M) {
	if dir := os.Getenv("PRKDB_KV_CRASH_CHILD"); dir != "" {
		crashChild(dir, os.Getenv("PRKDB_KV_CRASH_ROUND"))
		return
	}
	code := m.Run()
	removeBenchDirs() // bench_test.go
	os.Exit(code)
}

// TestCrashRecovery SIGKILLs a committing child at random moments, 20 times,
// and checks after each restart that every acknowledged commit is present
// and that no commit is visible in part.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash loop skipped in -short mode")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	acked := map[string]bool{}
	for round := 0; round < 20; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "PRKDB_KV_CRASH_CHILD="+dir, fmt.Sprintf("PRKDB_KV_CRASH_ROUND=r%02d", round))
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		if !sc.Scan() || sc.Text() != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child did not start: %q", round, sc.Text())
		}
		linesDone := make(chan []string)
		go func() {
			var lines []string
			for sc.Scan() {
				lines = append(lines, sc.Text())
			}
			linesDone <- lines
		}()
		time.Sleep(time.Duration(20+rng.IntN(200)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		lines := <-linesDone
		cmd.Wait()
		n := 0
		for _, l := range lines {
			if id, ok := strings.CutPrefix(l, "ack "); ok {
				acked[id] = true
				n++
			} else if l != "" {
				t.Fatalf("round %d: child said %q", round, l)
			}
		}
		s, err := Open(Options{Dir: dir, Sync: SyncOff, CheckpointBytes: -1})
		if err != nil {
			t.Fatalf("round %d: recovery failed: %v", round, err)
		}
		txn := s.Begin(RepeatableRead)
		parts := map[string]int{}
		it := txn.Scan(ScanOptions{Prefix: []byte("c/")})
		for it.Next() {
			if string(it.Key()[2:len(it.Key())-2]) != string(it.Value()) {
				t.Fatalf("key %q has value %q", it.Key(), it.Value())
			}
			parts[string(it.Value())]++
		}
		it.Close()
		for id, c := range parts {
			if c != 3 {
				t.Fatalf("round %d: commit %s is visible in part (%d of 3 keys)", round, id, c)
			}
		}
		for id := range acked {
			if parts[id] != 3 {
				t.Fatalf("round %d: acknowledged commit %s lost", round, id)
			}
		}
		txn.Rollback()
		s.Close()
		t.Logf("round %d: %d commits acknowledged, %d present after recovery", round, n, len(parts))
	}
	if len(acked) == 0 {
		t.Fatal("no commit was acknowledged in any round: the test proved nothing")
	}
}
