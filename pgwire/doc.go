// Package pgwire speaks the PostgreSQL frontend/backend protocol, version
// 3.0, over TCP, and drives one sql.Session per connection.
//
// The reference is PostgreSQL 15: the protocol chapter
// (https://www.postgresql.org/docs/15/protocol.html) and, where the chapter
// is silent, src/backend/tcop/postgres.c (the message loop) and
// src/backend/postmaster/postmaster.c (startup). Where prkdb-sql differs on
// purpose, the difference is listed under "Compatibility" below and
// recorded in testdata/pgtest with only=prkdb.
//
// # What it owns
//
//   - Server: the listeners, the set of connections, the connection limit,
//     the cancel keys (pid + secret) and graceful shutdown.
//   - conn: one client connection — startup negotiation, message framing,
//     the dispatch of each frontend message to the session, the
//     skip-until-Sync state of the extended protocol, and the encoding of
//     results (resultWriter implements sql.ResultWriter).
//   - The translation of errors into ErrorResponse/NoticeResponse: toPgError
//     is the one place where an error is given a SQLSTATE at the wire.
//
// It owns no SQL: it does not parse, plan, look at statement text, keep
// prepared statements or portals, or track transactions. Those live in sql;
// pgwire only carries names, bytes and format codes between the wire and
// the Session API.
//
// # Architecture
//
//	net.Listener ──Accept──▶ Server.Serve ──go──▶ conn.serve (one goroutine per connection)
//	                                                 │
//	              msgReader (bufio, framing) ◀───────┤  read one message
//	              pgproto3 message structs   ◀───────┤  decode its body
//	              sql.Session                ◀───────┤  Prepare/Bind/Execute/ExecSimple/Sync...
//	              resultWriter ─▶ writer     ◀───────┘  encode results into the write buffer
//	                               │
//	                               └─▶ net.Conn (flushed in batches, see "Output")
//
//	CancelRequest connection ──▶ Server.cancelRequest ──▶ conn.cancelQuery (any goroutine)
//
// pgproto3 (github.com/jackc/pgx/v5/pgproto3) supplies the message
// structs: their Decode methods read frontend message bodies, and their
// Encode methods write the rarer backend messages. pgwire frames messages
// itself (msgReader) instead of using pgproto3.Backend, because it must tell
// a framing error (the stream is lost: FATAL and close) from a malformed
// body (the stream is intact: ERROR and go on, as PostgreSQL does), and
// because it flushes output exactly when a read would block. The per-row
// messages (DataRow, and RowDescription, CommandComplete, ReadyForQuery)
// are encoded by hand straight into the write buffer, values through
// sql/types' AppendText/AppendBinary, so a row costs no allocation.
//
// # Connection lifecycle
//
//  1. Accept. Serve registers the connection and starts its goroutine.
//     Connections of any kind are capped at 2 × Config.MaxConnections (as
//     PostgreSQL caps its postmaster's children); beyond that a connection
//     gets FATAL 53300 at once. A read deadline (Config.StartupTimeout, like
//     PostgreSQL's authentication_timeout) bounds the startup phase.
//  2. Startup negotiation. Startup packets are read until a StartupMessage:
//     SSLRequest is answered 'S' when Config.TLS is set, and the TLS
//     handshake follows on the same socket (tls.go; everything after it is
//     encrypted), 'N' otherwise; GSSENCRequest is answered 'N' (no GSSAPI
//     encryption) and the client continues in plaintext. Bytes that
//     arrive before that answer are refused as PostgreSQL refuses them
//     (CVE-2021-23214). A CancelRequest is handled (phase "Cancellation")
//     and its connection closed without a response. A major version other
//     than 3 gets FATAL 0A000. A bad startup packet length closes the
//     connection without a word: there is no protocol to frame an error in.
//  3. Session. The StartupMessage is decoded (user is required: 28000;
//     database defaults to user; _pq_.* options and a newer 3.x minor
//     version are answered with NegotiateProtocolVersion); a connection
//     slot is taken (53300 when Config.MaxConnections are in use) together
//     with a process-unique pid and a crypto/rand secret. Then
//     authentication (auth.go, scram.go): Config.TLSRequired refuses a
//     connection without TLS (FATAL 28000); the method is Config.Auth, or
//     by default trust on loopback and, elsewhere, SCRAM-SHA-256 once any
//     role has a password. trust sends nothing; password asks for the
//     clear text (AuthenticationCleartextPassword); md5 sends
//     AuthenticationMD5Password for roles stored with an MD5 hash and uses
//     SCRAM for the others; scram-sha-256 runs AuthenticationSASL /
//     SASLContinue / SASLFinal, offering SCRAM-SHA-256-PLUS (channel binding
//     tls-server-end-point) over TLS when the certificate is known. The
//     engine supplies the stored verifier (Engine.RoleAuth): pgwire never
//     reads the catalog. Any failure, an unknown role and a role without
//     a (valid) password included, is FATAL 28P01 "password authentication
//     failed for user" (the reason goes to the log only); a client that
//     hangs up mid-exchange (psql does, to prompt) is closed silently.
//     Then AuthenticationOk. Then the "options" parameter is split
//     (-c name=value, --name=value; PostgreSQL reports its errors after
//     AuthenticationOk too) into SessionParams.Options along with the other
//     startup parameters, and Engine.NewSession is called; its error is
//     sent as FATAL. Then ParameterStatus for each of the session's
//     ParameterStatuses, BackendKeyData, ReadyForQuery. NewSession makes
//     PostgreSQL's post-authentication checks in its order: the role
//     exists (28000), may LOGIN (28000), is under its CONNECTION LIMIT
//     (53300), then the database exists (3D000).
//  4. Message loop. One message is read, decoded and handled at a time
//     (one handler per message type: handleQuery, handleParse, handleBind,
//     handleDescribe, handleExecute, handleClose, handleSync...).
//  5. Teardown. On Terminate, end of stream, a FATAL error, a recovered
//     panic or shutdown: pending output (e.g. the FATAL) is flushed, the
//     socket is closed, Session.Close rolls back an open transaction, the
//     slot and the cancel key are released.
//
// # Simple and extended protocol
//
// A Query message runs the whole string through Session.ExecSimple, which
// reports each statement's RowDescription (describe=true), DataRows and
// CommandComplete (or EmptyQueryResponse) through the ResultWriter; an
// error becomes an ErrorResponse; ReadyForQuery carries Session.TxStatus.
//
// The extended protocol maps one message to one Session call: Parse →
// Prepare → ParseComplete; Bind → Bind → BindComplete; Describe 'S' →
// DescribeStatement → ParameterDescription and RowDescription (all text
// formats) or NoData; Describe 'P' → DescribePortal → RowDescription with
// the portal's formats, or NoData; Execute → Execute(maxRows) → DataRows
// and CommandComplete, or PortalSuspended when rows remain; Close →
// CloseStatement/ClosePortal → CloseComplete; Sync → Sync (ends the
// implicit transaction) → ReadyForQuery; Flush → flush. After an error in
// any of these, every message but Sync and Terminate is discarded until
// Sync, as PostgreSQL's ignore_till_sync does (a Query too).
//
// FunctionCall gets ERROR 0A000 then ReadyForQuery. CopyData, CopyDone and
// CopyFail outside COPY are ignored, as PostgreSQL ignores them.
//
// # COPY
//
// The engine asks for the COPY sub-protocol through ResultWriter (copy.go).
// CopyIn sends CopyInResponse, flushes, and returns a reader that takes
// the client's CopyData bodies straight off the connection in the
// connection's goroutine: CopyDone is io.EOF, CopyFail is 57014 "COPY from
// stdin failed: <message>", Flush and Sync are ignored (libpq sends Sync
// after Execute without knowing the statement is a COPY), a closed
// connection is 57014 too (the COPY's rows are not committed), a framing
// error is FATAL as between messages, and any other message is 08P01
// followed by FATAL "protocol synchronization was lost", as PostgreSQL
// does. When the COPY fails first, the client's remaining CopyData,
// CopyDone or CopyFail are dropped by the message loop (and, in the
// extended protocol, everything else up to Sync). CopyOut sends
// CopyOutResponse; each Write is one CopyData; Complete sends CopyDone
// before CommandComplete; an ErrorResponse ends copy-out mode.
//
// Bind's parameter values are slices of the read buffer: they are valid
// only during Session.Bind, which must copy what it keeps. Likewise the
// Datums passed to ResultWriter.Row are encoded at once and not retained.
//
// # Output
//
// Backend messages are appended to one buffer per connection (writer). The
// socket sees them when (a) the connection is about to block reading —
// msgReader's reader flushes before every read from the socket, so a
// client that pipelines gets one write per batch and a client that waits
// never waits on our buffer; (b) the buffer passes 32 KiB mid-result, at
// a message boundary, so large results stream; (c) on Flush and
// PortalSuspended; (d) before closing. Never per row.
//
// # Errors
//
// Session methods return *pgerror.Error; toPgError turns anything that is
// not one into XX000 (pgerror.From) and, for a query cancelled by pgwire,
// reports the cancellation's cause (57014, 57P01) instead of a bare
// context.Canceled. Errors carry severity (S and V), SQLSTATE, message,
// detail, hint, position, schema/table/column/constraint. A FATAL error
// ends the connection after it is sent.
//
// Protocol errors follow postgres.c: an unknown message type, a length
// word below 4 or above Config.MaxMessageSize is FATAL 08P01 (framing is
// lost, the body is never read, so a huge length costs nothing); a
// malformed body is ERROR 08P01 and the session goes on (skipping to Sync
// in the extended protocol). Bodies over 64 KiB are read in growing chunks,
// so memory follows what the client actually sent.
//
// A panic in a connection's goroutine, in pgwire or in the engine, is
// recovered in conn.serve: a half-built message is dropped, the client gets
// FATAL XX000 "internal error: ...", the stack is logged, and only that
// connection closes.
//
// # Cancellation
//
// Each engine call runs under its own context (beginQuery/endQuery), a
// child of the connection's. A CancelRequest arrives on another connection;
// the Server finds the session by pid, compares the secret in constant
// time, and cancels that context with cause 57014 "canceling statement due
// to user request". A wrong key, or a session between queries, cancels
// nothing; the cancel connection is closed without a response either way,
// so a client cannot probe keys. The engine checks ctx at row or batch
// granularity and reports a cancellation as 57014 (or a bare
// context.Canceled); toPgError then reports the cause pgwire gave, so a
// query stopped by Shutdown is answered FATAL 57P01 and its session closed.
//
// Concurrency model. Each connection has one goroutine that reads a
// message, runs it, and reads the next; it does not read while the engine
// runs. This is a deliberate simplification of STYLE.md's "the reader never
// blocks on execution" (CockroachDB's StmtBuf): the one message that must
// reach a busy session, CancelRequest, comes on its own connection, so it
// is never stuck behind execution. What it costs: a client that closes its
// socket during a long query is noticed when the query ends (PostgreSQL
// behaves the same unless client_connection_check_interval is set), and
// asynchronous messages for an idle session (NotificationResponse for
// LISTEN) need the reader to be woken: see Notifications. (COPY FROM STDIN needs no second reader:
// the engine pulls CopyData through ResultWriter.CopyIn's reader in this
// same goroutine.)
//
// # Notifications (LISTEN/NOTIFY)
//
// As in postgres.c, NotificationResponse goes out only between commands
// outside a transaction block: before ReadyForQuery (never inside an
// extended-protocol batch, whose implicit transaction is open until Sync,
// nor inside BEGIN..COMMIT), and while the session waits for its next
// command after ReadyForQuery. For the latter the session's listener (its
// wake function, called from package stream's hub goroutine) moves the
// read deadline into the past, as Shutdown does; the idle wait is a bufio
// Peek of one byte, which keeps what it read, and the deadline is cleared
// under conn.mu before a message is read, so a wake-up never tears a
// message (TLS included: a timed-out read keeps the record layer's
// buffered bytes). When a session's notification queue overflowed it is
// sent what fitted, ReadyForQuery, then FATAL 54000, and closed
// (notify.go; the queue is the engine's, see package stream).
//
// # Shutdown
//
// Server.Shutdown closes the listeners and sets a flag each connection
// checks before reading its next message; idle readers are woken by a read
// deadline in the past. So a running query finishes, then its session gets
// FATAL 57P01 "terminating connection due to administrator command" and
// is closed. When Shutdown's context ends first, running queries are
// cancelled with cause 57P01 and, after a short grace for the FATAL to go
// out, the remaining sockets are closed. A connection whose startup message
// arrives after Shutdown began gets 57P03 "the database system is shutting
// down"; one still sending it is closed.
//
// # Compatibility
//
// Differences from PostgreSQL 15, each deliberate for now:
//   - No GSSAPI encryption or authentication, no pg_hba.conf: one method
//     (Config.Auth) for every connection, and no client certificates.
//     GSSENCRequest gets 'N' (PostgreSQL built with GSSAPI answers 'G').
//   - Config.TLSRequired's refusal is worded for prkdb-sql ("SSL connection
//     is required: ..."), not as a missing pg_hba.conf entry.
//   - SSLRequest followed by pipelined bytes is refused before the 'S'
//     (PostgreSQL sends 'S' first and the FATAL inside TLS).
//   - SCRAM-SHA-256-PLUS is offered only when the certificate is known in
//     advance (one Config.TLS certificate, no GetCertificate).
//   - An oversized message or a length word below 4 gets FATAL 08P01 with
//     the reason before the close; PostgreSQL closes without a word.
//   - Malformed bodies are reported as "invalid message format" with
//     pgproto3's decoder text as detail, not PostgreSQL's exact wording
//     ("insufficient data left in message", "invalid string in message").
//   - A protocol 2.0 startup gets a 3.0 ErrorResponse.
//   - FunctionCall (fast path) is not supported: 0A000.
//   - replication=database connections run the walsender commands
//     (replication.go) and ordinary SQL; physical replication
//     (replication=true, START_REPLICATION without SLOT ... LOGICAL,
//     BASE_BACKUP) is refused with 0A000. READ_REPLICATION_SLOT answers
//     for logical slots too (PostgreSQL 15 refuses them).
//   - START_REPLICATION with consumer_group and member options (a prkdb
//     extension, group.go) streams one consumer group member's share of
//     the slot; a member given new partitions has its stream ended with
//     40001 and reconnects.
//
// # Must never
//
//   - Know SQL: no statement text inspection, no transaction logic, no
//     catalog access. sql must never know the wire: it sees ResultWriter
//     and formats, never a protocol message.
//   - Crash or hang the process on any input: every input is bounded
//     (startup packets 10000 bytes, messages Config.MaxMessageSize, startup
//     time Config.StartupTimeout, connections 2 × Config.MaxConnections),
//     and FuzzStartup / FuzzMessages hold it to that.
//   - Report a client's mistake as XX000, or let one session's failure
//     touch another's connection.
//   - Write a partial message to the socket, or flush per row.
//   - Answer a CancelRequest, or compare a secret in variable time.
//   - Tell a client why authentication failed beyond "password
//     authentication failed" (unknown role, no password, expired: all
//     look the same), compare a proof or hash in variable time, or see a
//     plain password except under the password method.
//
// # Debugging
//
//   - testdata/pgtest/*.txt are protocol scripts (see pgtest_test.go): the
//     quickest way to pin a behaviour. They run against prkdb-sql
//     (TestPGTest) and against a throw-away PostgreSQL 15
//     (TestPGTestPostgres, via tests/pgoracle); `go test ./pgwire -run
//     TestPGTestPostgres -rewrite` records what PostgreSQL does.
//   - Tests skip with "engine not ready: ..." while the engine answers
//     "not implemented yet"; they pass by themselves once it answers.
//   - Log: connection errors at debug/info, recovered panics at error with
//     the stack; each line carries remote address, pid, user and database.
//     cmd/prkdb-sql --log-level debug shows session start and client EOFs.
//   - On the wire: Wireshark's pgsql dissector on the loopback port, or
//     psql with PGOPTIONS / `\set VERBOSITY verbose` to see SQLSTATEs.
//   - Fuzz: go test ./pgwire -run '^$' -fuzz FuzzMessages (or FuzzStartup).
package pgwire
