package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Defaults for the zero values of Config.
const (
	// DefaultMaxMessageSize caps one frontend message body. PostgreSQL's
	// own cap is PQ_LARGE_MESSAGE_LIMIT (1 GiB - 1); 64 MiB is ample for a
	// Bind of large bytea values and keeps one client from forcing a huge
	// allocation.
	DefaultMaxMessageSize = 64 << 20
	// DefaultMaxConnections matches PostgreSQL's max_connections default.
	DefaultMaxConnections = 100
	// DefaultStartupTimeout bounds the startup phase, like PostgreSQL's
	// authentication_timeout (60 s).
	DefaultStartupTimeout = time.Minute
)

// forceGrace is how long Shutdown, once its context has expired and the
// running queries have been cancelled, lets sessions send their FATAL
// before their sockets are closed under them.
const forceGrace = 500 * time.Millisecond

// Config configures a Server.
type Config struct {
	// Engine opens one sql.Session per connection. Required.
	Engine *sql.Engine
	// Logger receives connection errors and recovered panics (nil: slog.Default()).
	Logger *slog.Logger
	// MaxMessageSize is the largest frontend message body accepted, in
	// bytes (0: DefaultMaxMessageSize). A larger one is answered with
	// FATAL 08P01 and the connection is closed.
	MaxMessageSize int
	// MaxConnections is the number of sessions at once (0:
	// DefaultMaxConnections); one more gets FATAL 53300 "sorry, too many
	// clients already". Cancel requests do not count, but connections of
	// any kind (sessions, cancel requests, clients still in startup) are
	// capped at twice this number.
	MaxConnections int
	// StartupTimeout bounds the time from accept to a complete startup
	// message, authentication included (0: DefaultStartupTimeout).
	StartupTimeout time.Duration
	// Auth is the authentication method (auth.go): AuthTrust,
	// AuthPassword, AuthMD5 or AuthSCRAM ("scram" is accepted too). ""
	// (the default) is trust on loopback connections and, on other
	// addresses, SCRAM-SHA-256 once any role has a password (trust while
	// none has). Anything else: NewServer returns ErrBadAuth.
	Auth string
	// TLS, when set, makes the server answer SSLRequest with 'S' and
	// upgrade the connection (tls.go). Its certificate is read by NewServer
	// for SCRAM channel binding: replace the Server to change it.
	TLS *tls.Config
	// TLSRequired refuses connections that did not negotiate TLS with
	// FATAL 28000 (cancel requests excepted). It requires TLS.
	TLSRequired bool
}

// Server accepts PostgreSQL protocol 3.0 connections and runs one
// sql.Session per connection. Create it with NewServer; it is safe for
// concurrent use.
type Server struct {
	cfg Config
	lg  *slog.Logger

	// closing is set once by Shutdown; connections check it between
	// messages.
	closing atomic.Bool

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	byPID     map[int32]*conn // sessions that sent BackendKeyData
	sessions  int             // connections holding a MaxConnections slot
	wg        sync.WaitGroup  // one per connection goroutine

	// recoveredPanics counts panics recovered in connection goroutines
	// (tests and the fuzz target assert it stays 0).
	recoveredPanics atomic.Int64

	// For Stats: connections accepted, and the queries of closed ones
	// (open connections count their own).
	accepted      atomic.Uint64
	closedQueries atomic.Uint64

	// testHookMessage, when set, runs before each message is handled
	// (tests use it to inject a panic into one session).
	testHookMessage func(typ byte)

	// cbind is the tls-server-end-point channel binding data of the TLS
	// certificate (nil: SCRAM-SHA-256-PLUS is not offered).
	cbind []byte
	// mockNonce salts the mock SCRAM exchange of roles that cannot log in.
	mockNonce [32]byte
}

// NewServer checks cfg and fills in its defaults. Errors: ErrNoEngine.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Engine == nil {
		return nil, ErrNoEngine
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxMessageSize <= 0 {
		cfg.MaxMessageSize = DefaultMaxMessageSize
	}
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = DefaultMaxConnections
	}
	if cfg.StartupTimeout <= 0 {
		cfg.StartupTimeout = DefaultStartupTimeout
	}
	auth, err := parseAuth(cfg.Auth)
	if err != nil {
		return nil, err
	}
	cfg.Auth = auth
	if cfg.TLSRequired && cfg.TLS == nil {
		return nil, ErrTLSRequiredWithoutTLS
	}
	s := &Server{
		cfg:       cfg,
		lg:        cfg.Logger,
		listeners: map[net.Listener]struct{}{},
		conns:     map[*conn]struct{}{},
		byPID:     map[int32]*conn{},
		cbind:     tlsServerEndPoint(cfg.TLS),
	}
	if _, err := rand.Read(s.mockNonce[:]); err != nil {
		return nil, err
	}
	return s, nil
}

// Serve accepts connections on ln until Shutdown, serving each in its own
// goroutine. It always returns a non-nil error: ErrServerClosed after
// Shutdown, otherwise the listener's error (ln is closed on return).
// Serve may be called for several listeners at once.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, ln)
		s.mu.Unlock()
		ln.Close()
	}()

	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return ErrServerClosed
			}
			if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) ||
				errors.Is(err, syscall.ENOBUFS) || errors.Is(err, syscall.ENOMEM) {
				// Out of descriptors or memory for now: back off and retry,
				// as net/http does, rather than stop serving.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.lg.Warn("pgwire: accept failed; retrying", "err", err, "in", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		c := newConn(s, nc)
		s.mu.Lock()
		if s.closing.Load() {
			s.mu.Unlock()
			nc.Close()
			return ErrServerClosed
		}
		if len(s.conns) >= 2*s.cfg.MaxConnections {
			// Connections still in startup (or sending cancel requests)
			// are bounded too, as PostgreSQL's postmaster bounds its
			// children to 2 * MaxBackends: refuse at once, without
			// reading a startup packet.
			s.mu.Unlock()
			c.w.writeError(errTooManyClients())
			nc.SetWriteDeadline(time.Now().Add(time.Second))
			c.w.flush()
			nc.Close()
			continue
		}
		s.conns[c] = struct{}{}
		s.accepted.Add(1)
		s.wg.Add(1)
		s.mu.Unlock()
		go c.serve()
	}
}

// Shutdown stops the server gracefully: it closes the listeners, lets each
// session finish the message it is executing, then sends it FATAL 57P01
// ("terminating connection due to administrator command") and closes it;
// idle sessions are woken and closed at once. When ctx ends first, the
// running queries are cancelled (their sessions see context.Canceled with
// cause 57P01), and after a short grace their sockets are closed.
//
// Shutdown returns when every connection goroutine has returned: nil, or
// ctx.Err() if it had to force. An engine call that ignores its context
// delays it until that call returns. Serve calls return ErrServerClosed.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing.Store(true)
	for ln := range s.listeners {
		ln.Close()
	}
	for c := range s.conns {
		c.wakeReader()
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}

	s.mu.Lock()
	for c := range s.conns {
		c.cancelQuery(errAdminShutdown())
	}
	s.mu.Unlock()
	t := time.NewTimer(forceGrace)
	defer t.Stop()
	select {
	case <-done:
		return ctx.Err()
	case <-t.C:
	}
	s.mu.Lock()
	for c := range s.conns {
		c.nc.Close()
	}
	s.mu.Unlock()
	<-done
	return ctx.Err()
}

// Stats is a point-in-time summary of the server, for metrics.
type Stats struct {
	Connections     int    // open connections, sessions and those still in startup
	Sessions        int    // connections holding a session slot (MaxConnections)
	MaxConnections  int    // the limit on Sessions
	Accepted        uint64 // connections accepted since the server started
	Queries         uint64 // Query and Execute messages handled
	RecoveredPanics int64  // panics a connection goroutine recovered from
}

// Stats returns the server's current Stats.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Connections: len(s.conns), Sessions: s.sessions, MaxConnections: s.cfg.MaxConnections,
		Accepted: s.accepted.Load(), Queries: s.closedQueries.Load(), RecoveredPanics: s.recoveredPanics.Load()}
	for c := range s.conns {
		st.Queries += c.queries.Load()
	}
	return st
}

// acquireSlot reserves a session slot for c and registers its cancel key.
func (s *Server) acquireSlot(c *conn) *pgerror.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return errShuttingDown()
	}
	if s.sessions >= s.cfg.MaxConnections {
		return errTooManyClients()
	}
	s.sessions++
	c.holdsSlot = true
	for {
		c.pid = nextPID()
		if _, taken := s.byPID[c.pid]; !taken {
			break
		}
	}
	s.byPID[c.pid] = c
	return nil
}

// release forgets c (its goroutine is about to return).
func (s *Server) release(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	s.closedQueries.Add(c.queries.Load())
	if c.holdsSlot {
		s.sessions--
		c.holdsSlot = false
		if s.byPID[c.pid] == c {
			delete(s.byPID, c.pid)
		}
	}
}

// cancelRequest handles a CancelRequest body (code, pid, secret). A
// matching key cancels that session's running query; anything else is
// ignored. Either way nothing is answered (PostgreSQL's
// processCancelRequest): a client must not learn whether a key was valid.
func (s *Server) cancelRequest(body []byte) {
	if len(body) != 12 {
		s.lg.Debug("pgwire: malformed cancel request", "len", len(body))
		return
	}
	pid := int32(be32(body[4:]))
	s.mu.Lock()
	c := s.byPID[pid]
	s.mu.Unlock()
	if c == nil || subtle.ConstantTimeCompare(c.secret[:], body[8:12]) != 1 {
		s.lg.Debug("pgwire: cancel request with no matching key", "pid", pid)
		return
	}
	c.cancelQuery(errQueryCanceled())
}

// pidCounter hands out BackendKeyData process ids: unique within this
// process (several Servers share it), positive, never reused until the
// counter wraps.
var pidCounter atomic.Uint32

func nextPID() int32 {
	for {
		p := int32(pidCounter.Add(1) & 0x7fffffff)
		if p > 0 {
			return p
		}
	}
}
