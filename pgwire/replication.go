package pgwire

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
	"github.com/prkdb/prkdb-sql/stream"
)

// Replication connections (replication=database in the startup message):
// the walsender commands of PostgreSQL 15's replication protocol
// ("Streaming Replication Protocol" in the documentation;
// src/backend/replication/repl_gram.y and walsender.c). A query that is
// not one of them runs as ordinary SQL, as in PostgreSQL.
//
// START_REPLICATION enters CopyBoth: the connection goroutine streams
// XLogData and keepalives (stream.Slots.Stream) while a reader goroutine
// decodes the client's CopyData (standby status updates) and CopyDone.
// During the stream the reader must not flush the writer (flushingReader
// is told so): only the streaming goroutine writes.

// replCmd is a tokenized replication command.
type replCmd struct {
	toks []replTok
	pos  int
}

type replTok struct {
	s      string
	quoted byte // 0, '\'' or '"'
}

func tokenizeRepl(q string) ([]replTok, bool) {
	var out []replTok
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';':
			i++
		case c == '(' || c == ')' || c == ',':
			out = append(out, replTok{s: string(c)})
			i++
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(q) {
					return nil, false
				}
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c {
						b.WriteByte(c)
						j += 2
						continue
					}
					break
				}
				b.WriteByte(q[j])
				j++
			}
			out = append(out, replTok{s: b.String(), quoted: c})
			i = j + 1
		default:
			j := i
			for j < len(q) && !strings.ContainsRune(" \t\n\r;(),'\"", rune(q[j])) {
				j++
			}
			out = append(out, replTok{s: q[i:j]})
			i = j
		}
	}
	return out, true
}

func (r *replCmd) peek() string {
	if r.pos < len(r.toks) && r.toks[r.pos].quoted == 0 {
		return strings.ToUpper(r.toks[r.pos].s)
	}
	if r.pos < len(r.toks) {
		return "\x00"
	}
	return ""
}

func (r *replCmd) next() replTok {
	if r.pos < len(r.toks) {
		r.pos++
		return r.toks[r.pos-1]
	}
	return replTok{}
}

// ident reads a name: unquoted lower-cased, quoted as is.
func (r *replCmd) ident() string {
	t := r.next()
	if t.quoted == '"' {
		return t.s
	}
	return strings.ToLower(t.s)
}

// options reads "( name 'value' [, ...] )" or nothing.
func (r *replCmd) options() ([][2]string, bool) {
	if r.peek() != "(" {
		return nil, true
	}
	r.next()
	var out [][2]string
	for {
		if r.peek() == ")" {
			r.next()
			return out, true
		}
		name := r.next()
		if name.s == "" {
			return nil, false
		}
		var val string
		if p := r.peek(); p != "," && p != ")" {
			val = r.next().s
		}
		n := name.s
		if name.quoted == 0 {
			n = strings.ToLower(n)
		}
		out = append(out, [2]string{n, val})
		if r.peek() == "," {
			r.next()
		}
	}
}

var replCommands = map[string]bool{"IDENTIFY_SYSTEM": true, "CREATE_REPLICATION_SLOT": true, "DROP_REPLICATION_SLOT": true,
	"START_REPLICATION": true, "READ_REPLICATION_SLOT": true, "TIMELINE_HISTORY": true, "BASE_BACKUP": true}

// replicationCommand returns the parsed command if q is a walsender
// command.
func replicationCommand(q string) (*replCmd, bool) {
	t := strings.TrimLeft(q, " \t\r\n")
	end := strings.IndexAny(t, " \t\r\n;(")
	if end < 0 {
		end = len(t)
	}
	if !replCommands[strings.ToUpper(t[:end])] {
		return nil, false
	}
	toks, ok := tokenizeRepl(q)
	if !ok {
		return &replCmd{}, true
	}
	return &replCmd{toks: toks}, true
}

func errReplSyntax() *pgerror.Error {
	return pgerror.New(pgerror.SyntaxError, "syntax error")
}

func textCol(name string) sql.Column { return sql.Column{Name: name, Type: types.Text} }

func (c *conn) writeTextRow(vals []*string) {
	c.w.begin('D')
	c.w.appendInt16(int16(len(vals)))
	for _, v := range vals {
		if v == nil {
			c.w.appendInt32(-1)
			continue
		}
		c.w.appendInt32(int32(len(*v)))
		c.w.buf = append(c.w.buf, *v...)
	}
	c.w.end()
}

func sp(s string) *string { return &s }

// handleReplicationCommand runs one walsender command of a simple Query.
func (c *conn) handleReplicationCommand(cmd *replCmd) bool {
	ctx := c.beginQuery()
	pe := c.runReplicationCommand(ctx, cmd)
	c.endQuery()
	if pe != nil && !c.report(ctx, pe) {
		return false
	}
	c.readyForQuery()
	return !c.replEnded
}

func (c *conn) runReplicationCommand(ctx context.Context, r *replCmd) *pgerror.Error {
	if len(r.toks) == 0 {
		return errReplSyntax()
	}
	if c.sess.TxStatus() != 'I' && r.peek() != "IDENTIFY_SYSTEM" && !usesSnapshot(r) {
		return pgerror.New(pgerror.ActiveSQLTransaction, "cannot execute %s inside a transaction block", r.peek())
	}
	switch r.next(); strings.ToUpper(r.toks[0].s) {
	case "IDENTIFY_SYSTEM":
		c.w.writeRowDescription([]sql.Column{textCol("systemid"), {Name: "timeline", Type: types.Int4}, textCol("xlogpos"), textCol("dbname")}, nil)
		c.writeTextRow([]*string{sp(c.s.cfg.Engine.SystemIdentifier()), sp("1"), sp(c.sess.CurrentWALLSN()), sp(c.sess.CurrentDatabase())})
		c.w.writeCommandComplete("IDENTIFY_SYSTEM")
		return nil
	case "CREATE_REPLICATION_SLOT":
		name := r.ident()
		temp := false
		if r.peek() == "TEMPORARY" {
			r.next()
			temp = true
		}
		switch r.peek() {
		case "LOGICAL":
			r.next()
		case "PHYSICAL":
			return pgerror.New(pgerror.FeatureNotSupported, "physical replication slots are not supported")
		default:
			return errReplSyntax()
		}
		plugin := r.ident()
		// Legacy options (EXPORT_SNAPSHOT, NOEXPORT_SNAPSHOT, USE_SNAPSHOT,
		// TWO_PHASE, RESERVE_WAL) or the PostgreSQL 15 option list.
		opts, ok := r.options()
		if !ok {
			return errReplSyntax()
		}
		useSnapshot := false
		for r.pos < len(r.toks) {
			switch r.peek() {
			case "USE_SNAPSHOT":
				useSnapshot = true
				r.next()
			case "EXPORT_SNAPSHOT", "NOEXPORT_SNAPSHOT", "TWO_PHASE", "RESERVE_WAL":
				r.next()
			default:
				return errReplSyntax()
			}
		}
		for _, o := range opts {
			switch o[0] {
			case "snapshot":
				useSnapshot = useSnapshot || strings.EqualFold(o[1], "use")
			case "two_phase", "reserve_wal":
			default:
				return pgerror.New(pgerror.SyntaxError, "unrecognized option: %s", o[0])
			}
		}
		if c.sess.TxStatus() != 'I' && !useSnapshot {
			return pgerror.New(pgerror.ActiveSQLTransaction, "cannot execute CREATE_REPLICATION_SLOT inside a transaction block")
		}
		lsn, err := c.sess.CreateSlot(ctx, name, plugin, temp, useSnapshot)
		if err != nil {
			return toPgErrorFrom(err)
		}
		c.w.writeRowDescription([]sql.Column{textCol("slot_name"), textCol("consistent_point"), textCol("snapshot_name"), textCol("output_plugin")}, nil)
		c.writeTextRow([]*string{sp(name), sp(lsn), nil, sp(plugin)})
		c.w.writeCommandComplete("CREATE_REPLICATION_SLOT")
		return nil
	case "DROP_REPLICATION_SLOT":
		name := r.ident()
		wait := false
		if r.peek() == "WAIT" {
			r.next()
			wait = true
		}
		if r.pos < len(r.toks) {
			return errReplSyntax()
		}
		if err := c.sess.DropSlot(ctx, name, wait); err != nil {
			return toPgErrorFrom(err)
		}
		c.w.writeCommandComplete("DROP_REPLICATION_SLOT")
		return nil
	case "READ_REPLICATION_SLOT":
		name := r.ident()
		c.w.writeRowDescription([]sql.Column{textCol("slot_type"), textCol("restart_lsn"), {Name: "restart_tli", Type: types.Int8}}, nil)
		if restart, ok := c.sess.ReadSlot(name); ok {
			// PostgreSQL 15 reads only physical slots and refuses logical
			// ones; showing the logical slot's position is more useful.
			c.writeTextRow([]*string{sp("logical"), sp(restart), sp("1")})
		} else {
			c.writeTextRow([]*string{nil, nil, nil})
		}
		c.w.writeCommandComplete("READ_REPLICATION_SLOT")
		return nil
	case "TIMELINE_HISTORY":
		tli := r.next().s
		// There is one timeline and timeline 1 has no history file, as in
		// a PostgreSQL that was never promoted.
		return pgerror.New(pgerror.UndefinedFile, "could not open file \"pg_wal/%08X.history\": No such file or directory", atoiOr(tli))
	case "BASE_BACKUP":
		return pgerror.New(pgerror.FeatureNotSupported, "BASE_BACKUP is not supported; use prkdb-sql backup")
	case "START_REPLICATION":
		if r.peek() == "SLOT" {
			r.next()
		} else {
			return pgerror.New(pgerror.FeatureNotSupported, "physical replication is not supported")
		}
		name := r.ident()
		if r.peek() != "LOGICAL" {
			return pgerror.New(pgerror.FeatureNotSupported, "physical replication is not supported")
		}
		r.next()
		lsn, ok := stream.ParseLSN(r.next().s)
		if !ok {
			return errReplSyntax()
		}
		opts, ok := r.options()
		if !ok || r.pos < len(r.toks) {
			return errReplSyntax()
		}
		return c.startReplication(ctx, name, lsn, opts)
	}
	return errReplSyntax()
}

// usesSnapshot reports whether a CREATE_REPLICATION_SLOT asks for
// USE_SNAPSHOT (legacy word or SNAPSHOT 'use'): it then runs inside the
// transaction block that will read with its snapshot.
func usesSnapshot(r *replCmd) bool {
	if len(r.toks) == 0 || !strings.EqualFold(r.toks[0].s, "CREATE_REPLICATION_SLOT") {
		return false
	}
	for i, t := range r.toks {
		if t.quoted == 0 && strings.EqualFold(t.s, "USE_SNAPSHOT") {
			return true
		}
		if t.quoted == 0 && strings.EqualFold(t.s, "snapshot") && i+1 < len(r.toks) && strings.EqualFold(r.toks[i+1].s, "use") {
			return true
		}
	}
	return false
}

func atoiOr(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func toPgErrorFrom(err error) *pgerror.Error {
	var pe *pgerror.Error
	if errors.As(err, &pe) {
		return pe
	}
	return sql.ReplError(err, "")
}

// senderIO writes CopyData through the connection's writer.
type senderIO struct{ c *conn }

func (s senderIO) CopyData(p []byte) error {
	w := &s.c.w
	w.begin('d')
	w.buf = append(w.buf, p...)
	w.end()
	return w.err
}

func (s senderIO) Flush() error  { return s.c.w.flush() }
func (s senderIO) Buffered() int { return s.c.w.complete }

// startReplication runs the CopyBoth stream until the client ends it.
func (c *conn) startReplication(ctx context.Context, slot string, lsn uint64, opts [][2]string) *pgerror.Error {
	if gs, ok, err := c.sess.JoinConsumerGroup(slot, opts); ok {
		// A consumer group member (consumer_group, member options; group.go).
		if err != nil {
			return toPgErrorFrom(err)
		}
		return c.streamGroup(ctx, slot, gs)
	}
	plugin, err := c.sess.StartReplication(slot, opts)
	if err != nil {
		return toPgErrorFrom(err)
	}
	defer c.sess.ReleaseSlot(slot)
	slots := c.s.cfg.Engine.Slots()
	stats := &stream.SenderStats{PID: c.pid, Start: time.Now(), ApplicationName: c.sess.ApplicationName(), ClientAddr: c.nc.RemoteAddr().String()}
	slots.SetSender(slot, stats)

	return c.copyBoth(ctx, slot, func(sctx context.Context, fb <-chan stream.Feedback) error {
		return slots.Stream(sctx, senderIO{c}, stream.StreamOptions{Slot: slot, PID: c.pid, Start: lsn, Plugin: plugin, Feedback: fb, Stats: stats})
	})
}

// copyBoth runs a START_REPLICATION stream: CopyBothResponse, then run
// sends XLogData and keepalives while a reader goroutine passes the
// client's standby status updates to it (fb) and notices CopyDone, then the
// command ends as walsender ends it. Plain slots and consumer-group members
// share it.
func (c *conn) copyBoth(ctx context.Context, slot string, run func(ctx context.Context, fb <-chan stream.Feedback) error) *pgerror.Error {
	c.w.send(&pgproto3.CopyBothResponse{OverallFormat: 0})
	if err := c.w.flush(); err != nil {
		return nil
	}
	c.streaming.Store(true)
	fb := make(chan stream.Feedback, 64)
	readErr := make(chan error, 1)
	sctx, cancel := context.WithCancel(ctx)
	go func() {
		defer close(fb)
		for {
			typ, body, err := c.rd.readMessage()
			if err != nil {
				readErr <- err
				cancel()
				return
			}
			switch typ {
			case 'd':
				f, isStatus, perr := stream.ParseStandbyMessage(body)
				if perr != nil {
					readErr <- perr
					cancel()
					return
				}
				if isStatus {
					select {
					case fb <- f:
					case <-sctx.Done():
						// Still report: the connection goroutine may be
						// waiting for readErr (it hung at shutdown).
						readErr <- sctx.Err()
						return
					}
				}
			case 'c':
				readErr <- nil
				return
			case 'X':
				readErr <- io.EOF
				cancel()
				return
			default:
				readErr <- errors.New("unexpected message type")
				cancel()
				return
			}
		}
	}()
	err := run(sctx, fb)
	cancel()
	var rerr error
	if errors.Is(err, stream.ErrStreamEnded) {
		rerr = <-readErr
	} else {
		// Wait for the reader to stop (the connection closes if it is
		// still blocked reading).
		select {
		case rerr = <-readErr:
		default:
			if err != nil && !errors.Is(err, context.Canceled) {
				// A decoding or slot error: report it; the reader will
				// see the client's reaction.
				c.streaming.Store(false)
				c.replEnded = true
				return toPgErrorFrom(sql.ReplError(err, slot))
			}
			rerr = <-readErr
		}
	}
	c.streaming.Store(false)
	if rerr != nil || ctx.Err() != nil {
		c.replEnded = true
		return nil
	}
	if err != nil && !errors.Is(err, stream.ErrStreamEnded) && !errors.Is(err, context.Canceled) {
		return toPgErrorFrom(sql.ReplError(err, slot))
	}
	// The client sent CopyDone: answer CopyDone and end the command, with
	// PostgreSQL's two CommandCompletes (walsender.c: "COPY 0" ends COPY
	// mode, then the command's own tag, "dupe, but necessary per
	// libpqrcv_endstreaming": a PostgreSQL subscriber reads both).
	c.w.send(&pgproto3.CopyDone{})
	c.w.writeCommandComplete("COPY 0")
	c.w.writeCommandComplete("START_REPLICATION")
	return nil
}
