package pgoracle

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrUnavailable is wrapped by every error that means "no PostgreSQL 15 here"
// (as opposed to "PostgreSQL 15 is here but failed"). Tests skip on the
// former, with the error text as the reason, and fail on the latter.
var ErrUnavailable = errors.New("PostgreSQL 15 oracle unavailable")

// startTimeout bounds initdb plus the wait for the first connection.
const startTimeout = 60 * time.Second

// Server is one running throw-away PostgreSQL cluster.
type Server struct {
	dir  string // owns everything: data/, postgres.log, the unix socket
	port int
	cmd  *exec.Cmd
	done chan struct{} // closed when the postmaster has exited
	werr error         // the postmaster's exit status, valid after done
}

// DSN is a libpq-style URL for the superuser `postgres` on database postgres.
func (s *Server) DSN() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
}

// Port is the TCP port on 127.0.0.1.
func (s *Server) Port() int { return s.port }

// Dir is the temporary directory holding the data directory and the log.
func (s *Server) Dir() string { return s.dir }

// Launch creates and starts a new cluster. The error wraps ErrUnavailable when
// the binaries or the OS user to run them as are missing; any other error is a
// real failure (initdb or startup failed) and quotes the server log.
func Launch() (*Server, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	as, err := serverUser()
	if err != nil {
		return nil, err
	}
	base := baseDir()
	reapStale(base)
	dir, err := os.MkdirTemp(base, "prkdb-pgoracle-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	if err := as.chown(dir); err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	s := &Server{dir: dir}
	if err := s.initdb(bin, as); err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	// A free port found by binding :0 may be taken by someone else before
	// postgres binds it; retry a few times.
	for attempt := 0; ; attempt++ {
		err = s.start(bin, as)
		if err == nil {
			return s, nil
		}
		if attempt == 2 {
			return nil, errors.Join(err, s.removeDir())
		}
	}
}

func (s *Server) initdb(bin string, as runAs) error {
	cmd := exec.Command(filepath.Join(bin, "initdb"),
		"-D", filepath.Join(s.dir, "data"),
		"-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
		"--no-sync", "--no-instructions")
	cmd.Dir = s.dir // the server user may not be able to read our cwd
	as.apply(cmd)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, out)
	}
	return nil
}

func (s *Server) start(bin string, as runAs) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	s.port = port
	logPath := filepath.Join(s.dir, "postgres.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close() // the child keeps its own descriptor
	s.cmd = exec.Command(filepath.Join(bin, "postgres"),
		"-D", filepath.Join(s.dir, "data"),
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+s.dir,
		// Speed: nothing in a test cluster must survive a crash.
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		// Change-stream tests need logical decoding.
		"-c", "wal_level=logical", "-c", "max_replication_slots=16", "-c", "max_wal_senders=16",
		// Deterministic session defaults whatever the host's settings.
		"-c", "TimeZone=UTC", "-c", "DateStyle=ISO, MDY", "-c", "lc_messages=C",
		"-c", "max_connections=200")
	s.cmd.Dir = s.dir
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	as.apply(s.cmd)
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	s.done = make(chan struct{})
	go func() { s.werr = s.cmd.Wait(); close(s.done) }()
	if err := s.waitReady(); err != nil {
		s.kill()
		return fmt.Errorf("%w\n--- %s (tail) ---\n%s", err, logPath, tail(logPath, 30))
	}
	return nil
}

// waitReady polls until a connection succeeds, the postmaster exits, or the
// start timeout passes.
func (s *Server) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := pgconn.Connect(ctx, s.DSN())
		cancel()
		if err == nil {
			return c.Close(context.Background())
		}
		select {
		case <-s.done:
			return fmt.Errorf("postgres exited during startup: %v", s.werr)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres not accepting connections after %s: %v", startTimeout, err)
		}
	}
}

// Stop shuts the server down immediately and removes its directory.
func (s *Server) Stop() error {
	s.kill()
	return s.removeDir()
}

// kill sends SIGQUIT (immediate shutdown: the postmaster stops its backends
// and exits without a checkpoint), then SIGKILL if it lingers.
func (s *Server) kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

func (s *Server) removeDir() error {
	if os.Getenv("PRKDB_PG_ORACLE_KEEP") != "" {
		return nil
	}
	return os.RemoveAll(s.dir)
}

// minShmBytes is the free space /dev/shm needs for the oracle to live there:
// the cluster (~40 MB) plus a few per-file databases (~8 MB each), with room
// to spare. Docker's default /dev/shm is 64 MB, too small.
const minShmBytes = 1 << 30

// baseDir picks where the cluster lives: PRKDB_PG_ORACLE_TMPDIR if set, else
// /dev/shm when it is a roomy tmpfs (CREATE DATABASE there takes ~25 ms
// instead of ~250 ms on disk, and the SQL suites create one per file), else
// /tmp. Never t.TempDir(): it may sit below a directory the postgres user
// cannot traverse.
func baseDir() string {
	if d := os.Getenv("PRKDB_PG_ORACLE_TMPDIR"); d != "" {
		return d
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs("/dev/shm", &st); err == nil && st.Bavail*uint64(st.Bsize) >= minShmBytes {
		return "/dev/shm"
	}
	return "/tmp"
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
