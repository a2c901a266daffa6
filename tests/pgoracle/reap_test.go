package pgoracle

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestReapStale guards the cleanup of dead runs: only old directories whose
// postmaster is gone are removed.
func TestReapStale(t *testing.T) {
	base := t.TempDir()
	old := time.Now().Add(-time.Hour)
	mk := func(name, pid string, mtime time.Time) string {
		dir := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
			t.Fatal(err)
		}
		if pid != "" {
			if err := os.WriteFile(filepath.Join(dir, "data", "postmaster.pid"), []byte(pid+"\n/x\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(dir, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	dead := mk("prkdb-pgoracle-dead", "", old)
	alive := mk("prkdb-pgoracle-alive", strconv.Itoa(os.Getpid()), old)
	young := mk("prkdb-pgoracle-young", "", time.Now())
	other := mk("someone-else", "", old)
	reapStale(base)
	for dir, wantExists := range map[string]bool{dead: false, alive: true, young: true, other: true} {
		_, err := os.Stat(dir)
		if exists := err == nil; exists != wantExists {
			t.Errorf("%s: exists=%v, want %v", filepath.Base(dir), exists, wantExists)
		}
	}
}
