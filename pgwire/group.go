package pgwire

import (
	"context"
	"time"

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
	return c.copyBoth(ctx, slot, func(sctx context.Context, fb <-chan stream.Feedback) error {
		return gs.Run(sctx, senderIO{c}, fb, stats)
	})
}
