package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The real binary, built once per test binary by buildBinary.
var binary struct {
	once sync.Once
	dir  string // removed by TestMain
	path string
	err  error
	skip string
}

// buildBinary builds ./cmd/prkdb-sql from the module root (once) and
// returns its path; it skips the test when no `go` command is on PATH.
func buildBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		goCmd, err := exec.LookPath("go")
		if err != nil {
			binary.skip = "no `go` command on PATH to build cmd/prkdb-sql: " + err.Error()
			return
		}
		out, err := exec.Command(goCmd, "env", "GOMOD").Output()
		if err != nil {
			binary.err = fmt.Errorf("go env GOMOD: %v", err)
			return
		}
		gomod := strings.TrimSpace(string(out))
		if gomod == "" || gomod == os.DevNull {
			binary.err = fmt.Errorf("go env GOMOD: not inside the module (%q)", gomod)
			return
		}
		binary.dir, err = os.MkdirTemp("", "prkdb-e2e-bin-")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(binary.dir, "prkdb-sql")
		build := exec.Command(goCmd, "build", "-o", binary.path, "./cmd/prkdb-sql")
		build.Dir = filepath.Dir(gomod)
		if out, err := build.CombinedOutput(); err != nil {
			binary.err = fmt.Errorf("go build ./cmd/prkdb-sql: %v\n%s", err, out)
		}
	})
	if binary.skip != "" {
		t.Skip(binary.skip)
	}
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

func removeBinary() {
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
}

// proc is the binary running as a child process.
type proc struct {
	cmd    *exec.Cmd
	addr   string
	dsn    string
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
	werr   error         // exit status, valid after done
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// tail returns the last n lines written.
func (s *syncBuffer) tail(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := strings.Split(strings.TrimRight(s.b.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

var listeningLine = regexp.MustCompile(`^prkdb-sql listening on (127\.0\.0\.1:\d+) `)

// startBinary runs the binary on dataDir with --sync fsync on a free port
// of 127.0.0.1 (--listen 127.0.0.1:0; the port is read from the one line
// the binary prints), and waits until it accepts a connection. The process
// is SIGKILLed at the end of the test if still running, and if the test
// binary dies (Pdeathsig).
func startBinary(t *testing.T, bin, dataDir string) *proc {
	t.Helper()
	p := &proc{stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "--listen", "127.0.0.1:0", "--data-dir", dataDir, "--sync", "fsync", "--log-level", "info")
	p.cmd.Stderr = p.stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		first := true
		for sc.Scan() {
			if first {
				lines <- sc.Text()
				first = false
			}
		}
		if first {
			close(lines)
		}
		p.werr = p.cmd.Wait() // after stdout reached EOF, as exec requires
		close(p.done)
	}()
	select {
	case line, ok := <-lines:
		m := listeningLine.FindStringSubmatch(line)
		if !ok || m == nil {
			<-p.done
			t.Fatalf("prkdb-sql did not say where it listens (stdout %q, exit %v); stderr:\n%s", line, p.werr, p.stderr.tail(30))
		}
		p.addr = m[1]
	case <-time.After(60 * time.Second):
		t.Fatalf("prkdb-sql printed nothing in 60 s; stderr:\n%s", p.stderr.tail(30))
	}
	p.dsn = fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", p.addr)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := pgx.Connect(ctx, p.dsn)
		cancel()
		if err == nil {
			c.Close(context.Background())
			break
		}
		if time.Since(start) > 60*time.Second {
			t.Fatalf("prkdb-sql on %s not accepting connections after 60 s: %v; stderr:\n%s", p.addr, err, p.stderr.tail(30))
		}
		time.Sleep(20 * time.Millisecond)
	}
	return p
}

// signal sends sig and waits (up to timeout) for the process to exit.
func (p *proc) signal(t *testing.T, sig syscall.Signal, timeout time.Duration) error {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("send %v: %v", sig, err)
	}
	select {
	case <-p.done:
		return p.werr
	case <-time.After(timeout):
		t.Fatalf("prkdb-sql still running %s after %v; stderr:\n%s", timeout, sig, p.stderr.tail(30))
		return nil
	}
}
