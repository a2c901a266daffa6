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

// notifyCoalesce is how long a listener that is being streamed
// notifications waits after a wake-up before it writes: long enough for
// several to gather at tens of thousands a second, short beside
// PostgreSQL's own delivery latency (its p50 is ~0.5 ms under that load).
const notifyCoalesce = 100 * time.Microsecond

// coalesceNotifications runs when a notification woke the idle wait.
// When notifications are streaming (the last batch went out moments ago),
// it waits a moment so that one write carries several: per notification,
// a write to the socket costs the server and the client's read costs it
// far more than queueing does.
func (c *conn) coalesceNotifications() {
	now := time.Now()
	if now.Sub(c.lastNotifySend) < time.Millisecond {
		time.Sleep(notifyCoalesce)
	} else {
		runtime.Gosched()
	}
	c.lastNotifySend = now
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
