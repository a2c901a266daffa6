package pgwire

import (
	"errors"
	"net"
	"os"
	"runtime"
	"time"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Asynchronous notifications (LISTEN/NOTIFY), after PostgreSQL 15's
// postgres.c and async.c: a backend sends NotificationResponse only when
// it is idle outside a transaction — just before ReadyForQuery, or while
// it waits for the client's next command after ReadyForQuery (the
// ProcessNotifyInterrupt in ProcessClientReadInterrupt). Never in the
// middle of an extended-protocol batch, nor inside a transaction block.
//
// The connection's goroutine is blocked in a socket read while it waits,
// so the session's listener wakes it (from stream's hub goroutine) by
// moving the read deadline into the past, exactly as Shutdown does. The
// wait is a bufio Peek for the first byte of the next message, so a
// wake-up never loses part of a message: Peek keeps what it read, and
// once a byte is there the deadline is cleared under c.mu and no further
// wake-up can touch the read of that message.

// wakeForNotify is the session's notification wake-up. It never blocks
// for long: it only takes c.mu, which no one holds across I/O.
func (c *conn) wakeForNotify() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idleWait {
		c.nc.SetReadDeadline(aLongTimeAgo)
	}
}

// sendNotifications writes what is queued for the session. When its
// queue overflowed, the notifications that were kept are written and the
// FATAL (54000) is kept in c.fatal: the loop sends it and ends the
// connection at its next turn, after ReadyForQuery, so that the command
// that just completed is still reported as it went.
func (c *conn) sendNotifications() {
	if c.sess == nil || c.fatal != nil || !c.sess.HasNotifications() {
		return
	}
	var pe *pgerror.Error
	c.notifBuf, pe = c.sess.TakeNotifications(c.notifBuf[:0])
	for i := range c.notifBuf {
		n := &c.notifBuf[i]
		c.writeNotification(n)
	}
	clear(c.notifBuf)
	c.fatal = pe
}

// writeNotification writes NotificationResponse ('A': pid, channel,
// payload).
func (c *conn) writeNotification(n *sql.Notification) {
	c.w.begin('A')
	c.w.appendInt32(n.PID)
	c.w.appendString(n.Channel)
	c.w.appendString(n.Payload)
	c.w.end()
}

// waitIdle waits, after ReadyForQuery, until the client's next message
// begins, sending notifications as they arrive. It returns false when the
// connection must end (c.fatal is set).
func (c *conn) waitIdle() bool {
	for {
		if c.rd.br.Buffered() > 0 {
			return true
		}
		c.mu.Lock()
		c.idleWait = true
		c.mu.Unlock()
		// Anything queued before idleWait was set woke no one.
		if c.sess.HasNotifications() {
			c.endIdleWait()
			if c.sendNotifications(); c.fatal != nil {
				return false
			}
			continue
		}
		_, err := c.rd.br.Peek(1)
		c.endIdleWait()
		if err == nil || c.s.closing.Load() || !isTimeout(err) {
			// A message begins, or the read failed: readMessage reports it.
			return true
		}
		c.coalesceNotifications()
		if c.sendNotifications(); c.fatal != nil {
			return false
		}
	}
}

// notifyYields bounds how often a woken listener yields to let more
// notifications gather before it writes.
const notifyYields = 4

// coalesceNotifications runs when a notification woke the idle wait: it
// lets the sessions that are ready to run go first, as long as they keep
// adding notifications, so that one write carries several. Per
// notification, the socket write costs the server, and the read the
// client, far more than the queueing. It yields rather than sleeps: a
// short sleep on an idle Go runtime lasts up to a millisecond (the
// poller's timeout is in milliseconds), which would be added to every
// notification's latency at moderate rates.
func (c *conn) coalesceNotifications() {
	n := c.sess.QueuedNotifications()
	for i := 0; i < notifyYields; i++ {
		runtime.Gosched()
		m := c.sess.QueuedNotifications()
		if m == n {
			return
		}
		n = m
	}
}

// endIdleWait leaves the idle wait: no wake-up may move the deadline
// after this.
func (c *conn) endIdleWait() {
	c.mu.Lock()
	c.idleWait = false
	t := time.Time{}
	if c.s.closing.Load() {
		t = aLongTimeAgo
	}
	c.nc.SetReadDeadline(t)
	c.mu.Unlock()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
