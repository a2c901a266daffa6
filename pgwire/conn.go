package pgwire

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// typeSettingser is the accessor pgwire needs to print text-format values
// with the session's DateStyle, IntervalStyle, TimeZone and
// extra_float_digits. It is looked up once per session by type assertion so
// that pgwire builds whether or not sql.Session has it yet.
//
// TODO(lead): implement TypeSettings() *types.Settings on *sql.Session (a
// pointer to the session's own settings, read at the start of each result
// set). Until it exists values print with types.DefaultSettings().
type typeSettingser interface{ TypeSettings() *types.Settings }

// noQuery is the context passed to report for errors raised outside an
// engine call (it has no cancellation cause to report).
var noQuery = context.Background()

// aLongTimeAgo is a read deadline in the past: it wakes a blocked read.
var aLongTimeAgo = time.Unix(1, 0)

// conn is one client connection. Everything but mu's fields is owned by
// the connection's goroutine.
type conn struct {
	s  *Server
	nc net.Conn
	lg *slog.Logger
	rd msgReader
	w  writer
	rw resultWriter

	sess     *sql.Session
	settings typeSettingser // nil: default settings

	pid       int32
	secret    [4]byte
	holdsSlot bool // guarded by s.mu

	// ctx is cancelled when the connection ends; each query runs under a
	// child of it.
	ctx        context.Context
	cancelConn context.CancelFunc

	// replication: a replication=database connection; streaming: the
	// connection is in CopyBoth (the reader must not flush the writer);
	// replEnded: the stream ended with the connection (replication.go).
	replication bool
	streaming   atomic.Bool
	replEnded   bool

	// ignoreTillSync: an extended-protocol message failed; discard
	// messages until Sync (PostgreSQL's ignore_till_sync).
	ignoreTillSync bool

	// Flyweights for decoding, reused for every message.
	msgs struct {
		query    pgproto3.Query
		parse    pgproto3.Parse
		bind     pgproto3.Bind
		describe pgproto3.Describe
		execute  pgproto3.Execute
		close    pgproto3.Close
	}

	// atSync: the last message sent was ReadyForQuery, so the session is
	// between commands and may be sent notifications (notify.go); fatal:
	// an error to send between commands, after which the connection ends.
	atSync   bool
	fatal    *pgerror.Error
	notifBuf []sql.Notification

	mu      sync.Mutex
	cancelQ context.CancelCauseFunc // the running query's; nil when idle
	qctx    context.Context         // queries' context, replaced once canceled
	queries atomic.Uint64           // Query and Execute messages (Server.Stats)
	qcancel context.CancelCauseFunc // qctx's
	// idleWait: the goroutine waits for the client's next message after
	// ReadyForQuery; a notification may interrupt the read (notify.go).
	idleWait bool
}

func newConn(s *Server, nc net.Conn) *conn {
	c := &conn{s: s, nc: nc}
	c.lg = s.lg.With("remote", nc.RemoteAddr().String())
	c.w.nc = nc
	c.rd = newMsgReader(flushingReader{nc: nc, w: &c.w, skip: &c.streaming}, s.cfg.MaxMessageSize)
	c.rw.c = c
	c.ctx, c.cancelConn = context.WithCancel(context.Background())
	return c
}

// serve runs the connection to its end. It never panics: a panic in this
// goroutine (pgwire's or the engine's) is reported to this client as
// XX000, logged with its stack, and ends this connection only.
func (c *conn) serve() {
	defer c.s.wg.Done()
	defer c.s.release(c)
	defer c.cancelConn()
	defer c.closeSession()
	defer func() {
		if v := recover(); v != nil {
			c.s.recoveredPanics.Add(1)
			c.lg.Error("pgwire: panic in session; closing its connection",
				"panic", v, "stack", string(debug.Stack()))
			c.w.discardPartial()
			c.w.writeError(errPanic(v))
		}
		c.w.flush()
		c.nc.Close()
	}()

	if !c.startup() {
		return
	}
	c.loop()
}

// closeSession rolls back and releases the session (phase 5). A panic in
// Close is contained too: the connection is already going away.
func (c *conn) closeSession() {
	if c.sess == nil {
		return
	}
	sess := c.sess
	c.sess = nil
	defer func() {
		if v := recover(); v != nil {
			c.s.recoveredPanics.Add(1)
			c.lg.Error("pgwire: panic in Session.Close", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	sess.Close()
}

// setReadDeadline sets a read deadline unless Shutdown has begun, in which
// case reads must keep failing at once (Shutdown may have woken this
// reader just before we got here).
func (c *conn) setReadDeadline(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s.closing.Load() {
		t = aLongTimeAgo
	}
	c.nc.SetReadDeadline(t)
}

// wakeReader makes a blocked (or the next) read fail at once; called by
// Shutdown after setting s.closing.
func (c *conn) wakeReader() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nc.SetReadDeadline(aLongTimeAgo)
}

// cancelQuery cancels the running query, if any, with cause as the
// context's cause. Safe from any goroutine.
func (c *conn) cancelQuery(cause *pgerror.Error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancelQ != nil {
		c.cancelQ(cause)
	}
}

// beginQuery returns the context for one engine call; endQuery must follow.
// The context is the connection's until a cancel request or shutdown
// cancels it: creating and unlinking a child context per message was a
// measurable share of a short query's cost.
func (c *conn) beginQuery() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.qctx == nil || c.qctx.Err() != nil {
		c.qctx, c.qcancel = context.WithCancelCause(c.ctx)
	}
	c.cancelQ = c.qcancel
	return c.qctx
}

func (c *conn) endQuery() {
	c.mu.Lock()
	c.cancelQ = nil
	c.mu.Unlock()
}

// ---- Phases 1–3: startup -------------------------------------------------

// startup reads startup packets until a StartupMessage, creates the
// session and announces it. It returns false when the connection must
// close (after sending whatever FATAL applies).
func (c *conn) startup() bool {
	c.setReadDeadline(time.Now().Add(c.s.cfg.StartupTimeout))
	sslDone, gssDone := false, false
	var code uint32
	var body []byte
	for {
		var err error
		code, body, err = c.rd.readStartup()
		if err != nil {
			// PostgreSQL closes silently here (COMMERROR): there is no
			// protocol version yet to frame an error in.
			if !errors.Is(err, io.EOF) {
				c.lg.Debug("pgwire: bad startup packet", "err", err)
			}
			return false
		}
		switch {
		case code == sslRequestCode && !sslDone && c.s.cfg.TLS != nil:
			// TLS (tls.go); afterwards neither request may come again.
			if !c.startTLS() {
				return false
			}
			sslDone, gssDone = true, true
			continue
		case code == sslRequestCode && !sslDone, code == gssEncRequestCode && !gssDone:
			// No TLS configured, or GSSAPI encryption (not supported): 'N',
			// and the client goes on in plaintext (or gives up).
			sslDone = sslDone || code == sslRequestCode
			gssDone = gssDone || code == gssEncRequestCode
			c.w.buf = append(c.w.buf, 'N')
			c.w.complete = len(c.w.buf)
			// The client must wait for the answer before sending more;
			// bytes already here were sent before it, and would have been
			// taken as encrypted had we said yes (CVE-2021-23214).
			// PostgreSQL refuses them in both cases.
			if c.rd.br.Buffered() > 0 {
				c.w.writeError(fatal(pgerror.ProtocolViolation, "received unencrypted data after SSL request").
					WithDetail("This could be either a client-software bug or evidence of an attempted man-in-the-middle attack."))
				return false
			}
			continue
		case code == cancelRequestCode:
			c.s.cancelRequest(body)
			return false
		case code>>16 != protocolVersion30>>16:
			c.w.writeError(errUnsupportedProtocol(code))
			return false
		}
		break
	}

	p, perr := parseStartupMessage(body)
	if perr != nil {
		c.w.writeError(perr)
		return false
	}
	if perr := c.s.acquireSlot(c); perr != nil {
		c.w.writeError(perr)
		return false
	}
	c.lg = c.lg.With("pid", c.pid, "user", p.user, "database", p.database)
	c.replication = p.replication
	if _, err := rand.Read(c.secret[:]); err != nil {
		c.w.writeError(fatal(pgerror.InternalError, "could not generate random cancel key"))
		return false
	}
	// A newer 3.x minor version, or _pq_.* options: say what we speak
	// (PostgreSQL 15 sends the full latest version number, 196608).
	if code&0xffff > protocolLatest&0xffff || len(p.unrecognized) > 0 {
		c.w.send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: protocolLatest, UnrecognizedOptions: p.unrecognized})
	}

	// Authentication (auth.go): the method's exchange, or nothing for
	// trust; FATAL and close on failure.
	if !c.authenticate(p) {
		return false
	}
	c.w.send(&pgproto3.AuthenticationOk{})

	if perr := applyCommandLineOptions(p.rawOptions, p.options); perr != nil {
		c.w.writeError(perr)
		return false
	}
	sess, perr := c.s.cfg.Engine.NewSession(sql.SessionParams{
		User:       p.user,
		Database:   p.database,
		Options:    p.options,
		BackendPID: c.pid,
		RemoteAddr: c.nc.RemoteAddr().String(),
	})
	if perr != nil {
		c.w.writeError(asFatal(perr))
		return false
	}
	c.sess = sess
	c.settings, _ = any(sess).(typeSettingser)
	sess.SetNotifyWake(c.wakeForNotify)

	for _, ps := range sess.ParameterStatuses() {
		c.w.writeParameterStatus(ps.Name, ps.Value)
	}
	c.w.writeBackendKeyData(c.pid, c.secret)
	c.w.writeReadyForQuery(sess.TxStatus())
	c.atSync = true
	c.setReadDeadline(time.Time{})
	c.lg.Debug("pgwire: session started")
	return true
}

// ---- Phase 4: the message loop -------------------------------------------

func (c *conn) loop() {
	for {
		if c.s.closing.Load() {
			c.w.writeError(errAdminShutdown())
			return
		}
		if c.fatal == nil && c.atSync && c.sess.Listens() {
			c.waitIdle()
		}
		if c.fatal != nil {
			c.w.writeError(c.fatal)
			return
		}
		typ, body, err := c.rd.readMessage()
		c.atSync = false
		if err != nil {
			c.readFailed(err)
			return
		}
		if h := c.s.testHookMessage; h != nil {
			h(typ)
		}
		// After an error in the extended protocol everything but Sync
		// (and Terminate) is discarded, as PostgreSQL's SocketBackend does.
		if c.ignoreTillSync && typ != 'S' && typ != 'X' {
			continue
		}
		if !c.handle(typ, body) {
			return
		}
	}
}

// readFailed reports why the message loop stopped reading.
func (c *conn) readFailed(err error) {
	var ite *invalidTypeError
	var ne net.Error
	switch {
	case c.s.closing.Load():
		c.w.writeError(errAdminShutdown())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		// The client went away; PostgreSQL logs "unexpected EOF on client
		// connection" unless it sent Terminate.
		c.lg.Debug("pgwire: client closed the connection", "err", err)
	case errors.As(err, &ite):
		c.w.writeError(errInvalidMessageType(ite.typ))
	case errors.Is(err, errMessageTooLarge), errors.Is(err, errBadLength):
		c.w.writeError(fatal(pgerror.ProtocolViolation, "%s", err.Error()))
	case errors.As(err, &ne), errors.Is(err, os.ErrDeadlineExceeded):
		c.lg.Debug("pgwire: connection error", "err", err)
	default:
		c.lg.Info("pgwire: connection error", "err", err)
	}
}

// handle dispatches one message; false ends the connection.
func (c *conn) handle(typ byte, body []byte) bool {
	switch typ {
	case 'Q':
		c.queries.Add(1)
		return c.handleQuery(body)
	case 'P':
		return c.handleParse(body)
	case 'B':
		return c.handleBind(body)
	case 'D':
		return c.handleDescribe(body)
	case 'E':
		c.queries.Add(1)
		return c.handleExecute(body)
	case 'C':
		return c.handleClose(body)
	case 'S':
		return c.handleSync()
	case 'H':
		c.w.flush()
		return true
	case 'F':
		return c.handleFunctionCall()
	case 'd', 'c', 'f':
		// CopyData/CopyDone/CopyFail outside COPY: "accept but ignore these
		// messages, per protocol spec; we probably got here because a COPY
		// failed, and the frontend is still sending data" (postgres.c).
		return true
	case 'X':
		return false
	}
	// readMessage admits only the types above.
	c.w.writeError(errInvalidMessageType(typ))
	return false
}

// report sends an error raised by the engine call that ran under ctx
// (noQuery for errors raised outside one). It returns false if the error is
// FATAL: the connection ends.
func (c *conn) report(ctx context.Context, pe *pgerror.Error) bool {
	pe = toPgError(ctx, pe)
	c.rw.copyOut = false // an ErrorResponse ends copy-out mode
	c.w.writeError(pe)
	if c.rw.in.lostSync {
		c.w.writeError(errLostSync())
		return false
	}
	return pe.Severity != pgerror.SeverityFatal
}

// extError reports an error in an extended-protocol message and starts
// skipping until Sync.
func (c *conn) extError(ctx context.Context, pe *pgerror.Error) bool {
	c.ignoreTillSync = true
	return c.report(ctx, pe)
}

// readyForQuery sends the notifications the session may now receive,
// then ReadyForQuery.
func (c *conn) readyForQuery() {
	c.sendNotifications()
	c.w.writeReadyForQuery(c.sess.TxStatus())
	c.atSync = true
}

// handleQuery runs a simple-protocol Query: results, then ReadyForQuery.
func (c *conn) handleQuery(body []byte) bool {
	m := &c.msgs.query
	if err := m.Decode(body); err != nil {
		c.report(noQuery, errMalformed(err))
		c.readyForQuery()
		return true
	}
	if c.replication {
		if cmd, ok := replicationCommand(m.String); ok {
			return c.handleReplicationCommand(cmd)
		}
	}
	ctx := c.beginQuery()
	pe := c.sess.ExecSimple(ctx, m.String, &c.rw)
	c.endQuery()
	if pe != nil && !c.report(ctx, pe) {
		return false
	}
	c.readyForQuery()
	return true
}

func (c *conn) handleParse(body []byte) bool {
	m := &c.msgs.parse
	if err := m.Decode(body); err != nil {
		return c.extError(noQuery, errMalformed(err))
	}
	ctx := c.beginQuery()
	pe := c.sess.Prepare(ctx, m.Name, m.Query, m.ParameterOIDs)
	c.endQuery()
	if pe != nil {
		return c.extError(ctx, pe)
	}
	c.w.writeSimple('1') // ParseComplete
	return true
}

// handleBind passes the parameter values as slices of the read buffer:
// Session.Bind must copy what it keeps.
func (c *conn) handleBind(body []byte) bool {
	m := &c.msgs.bind
	if err := m.Decode(body); err != nil {
		return c.extError(noQuery, errMalformed(err))
	}
	ctx := c.beginQuery()
	pe := c.sess.Bind(ctx, m.DestinationPortal, m.PreparedStatement, m.ParameterFormatCodes, m.Parameters, m.ResultFormatCodes)
	c.endQuery()
	if pe != nil {
		return c.extError(ctx, pe)
	}
	c.w.writeSimple('2') // BindComplete
	return true
}

func (c *conn) handleDescribe(body []byte) bool {
	m := &c.msgs.describe
	if err := m.Decode(body); err != nil {
		return c.extError(noQuery, errMalformed(err))
	}
	switch m.ObjectType {
	case 'S':
		oids, cols, pe := c.sess.DescribeStatement(m.Name)
		if pe != nil {
			return c.extError(noQuery, pe)
		}
		c.w.writeParameterDescription(oids)
		c.writeDescription(cols, nil)
	case 'P':
		cols, formats, pe := c.sess.DescribePortal(m.Name)
		if pe != nil {
			return c.extError(noQuery, pe)
		}
		c.writeDescription(cols, formats)
	default:
		return c.extError(noQuery, pgerror.New(pgerror.ProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType))
	}
	return true
}

// writeDescription sends RowDescription, or NoData for a statement that
// returns no rows (cols == nil; an empty non-nil cols is a zero-column
// result, e.g. "SELECT;").
func (c *conn) writeDescription(cols []sql.Column, formats []int16) {
	if cols == nil {
		c.w.writeSimple('n') // NoData
		return
	}
	c.w.writeRowDescription(cols, formats)
}

func (c *conn) handleExecute(body []byte) bool {
	m := &c.msgs.execute
	if err := m.Decode(body); err != nil {
		return c.extError(noQuery, errMalformed(err))
	}
	// PostgreSQL reads max_rows as a signed int32; <= 0 means all rows.
	maxRows := int(int32(m.MaxRows))
	if maxRows < 0 {
		maxRows = 0
	}
	ctx := c.beginQuery()
	suspended, pe := c.sess.Execute(ctx, m.Portal, maxRows, &c.rw)
	c.endQuery()
	if pe != nil {
		return c.extError(ctx, pe)
	}
	if suspended {
		c.w.writeSimple('s') // PortalSuspended
		c.w.flush()
	}
	return true
}

func (c *conn) handleClose(body []byte) bool {
	m := &c.msgs.close
	if err := m.Decode(body); err != nil {
		return c.extError(noQuery, errMalformed(err))
	}
	switch m.ObjectType {
	case 'S':
		c.sess.CloseStatement(m.Name)
	case 'P':
		c.sess.ClosePortal(m.Name)
	default:
		return c.extError(noQuery, pgerror.New(pgerror.ProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType))
	}
	c.w.writeSimple('3') // CloseComplete
	return true
}

func (c *conn) handleSync() bool {
	c.ignoreTillSync = false
	ctx := c.beginQuery()
	pe := c.sess.Sync(ctx)
	c.endQuery()
	if pe != nil && !c.report(ctx, pe) {
		return false
	}
	c.readyForQuery()
	return true
}

// handleFunctionCall: the fast-path function call protocol is obsolete
// (libpq's large-object functions are its last users) and not supported.
// Like a simple query it is followed by ReadyForQuery.
func (c *conn) handleFunctionCall() bool {
	c.report(noQuery, pgerror.New(pgerror.FeatureNotSupported, "fast-path function calls are not supported"))
	c.readyForQuery()
	return true
}
