package pgwire

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/stream"
)

// Consumer group members on the replication protocol:
// START_REPLICATION SLOT s LOGICAL lsn (..., consumer_group 'g', member 'm'
// [, partitions 'n']) streams the member's share of the slot's changes
// (stream/groups.go). The CopyBoth handling is startReplication's: the
// connection goroutine streams while a reader goroutine decodes standby
// status updates and CopyDone. The requested lsn is ignored: each partition
// resumes at its acknowledged offset.

// streamGroup runs a member's CopyBoth stream until the client ends it or
// the connection goes; the member leaves the group then, and its
// unacknowledged partitions go to the other members.
func (c *conn) streamGroup(ctx context.Context, slot string, gs *sql.GroupStream) *pgerror.Error {
	defer gs.Leave()
	stats := &stream.SenderStats{PID: c.pid, Start: time.Now(), ApplicationName: c.sess.ApplicationName(), ClientAddr: c.nc.RemoteAddr().String()}
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
						// The stream is over: still report, the
						// connection goroutine waits for it.
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
	err := gs.Run(sctx, senderIO{c}, fb, stats)
	cancel()
	var rerr error
	if errors.Is(err, stream.ErrStreamEnded) {
		rerr = <-readErr
	} else {
		select {
		case rerr = <-readErr:
		default:
			if err != nil && !errors.Is(err, context.Canceled) {
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
	c.w.send(&pgproto3.CopyDone{})
	c.w.writeCommandComplete("START_REPLICATION")
	return nil
}
