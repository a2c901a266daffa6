package pgoracle

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// staleAge is how old a leftover directory must be before it is reaped, so
// that a concurrent run still inside initdb (no postmaster.pid yet) is
// never touched.
const staleAge = 10 * time.Minute

// reapStale removes directories this package left behind in base when a test
// binary died without Stop (a `go test -timeout` panic skips TestMain's
// cleanup; Pdeathsig kills the server but not its directory, which in
// /dev/shm holds memory until reboot). Only prkdb-pgoracle-* directories
// older than staleAge whose postmaster is not running are removed; errors
// are ignored, reaping is best effort.
func reapStale(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, "prkdb-pgoracle-*"))
	for _, dir := range dirs {
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() || time.Since(fi.ModTime()) < staleAge {
			continue
		}
		if postmasterAlive(filepath.Join(dir, "data", "postmaster.pid")) {
			continue
		}
		_ = os.RemoveAll(dir)
	}
}

// postmasterAlive reads the pid from the first line of postmaster.pid and
// probes it with signal 0. Unknown counts as alive.
func postmasterAlive(pidFile string) bool {
	b, err := os.ReadFile(pidFile)
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	if err != nil {
		return true
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return true
	}
	return !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
