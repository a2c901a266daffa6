// Package stream tails kv's commit log and delivers what commits carry to
// the sessions that wait for it. Today that is LISTEN/NOTIFY; logical
// replication (pgoutput), slots and consumer groups are to live here too.
//
// # What it owns
//
//   - The NOTIFY attachment: the encoding of a transaction's notifications
//     inside its kv commit record (AttachNotify, AppendNotify,
//     DecodeNotify). A notification exists only as part of a commit
//     record, so it is exactly as durable and as ordered as the commit.
//   - The Hub: one goroutine per node that reads every committed record
//     (kv.Store.Subscribe) in LSN order and hands each notification to the
//     listeners of its (database, channel).
//   - Listener: one session's set of channels and its bounded queue of
//     notifications not yet sent to the client.
//
// # Lifecycle
//
//  1. sql.Engine starts the Hub at the store's newest LSN (Start). The hub
//     retains the log from its position (kv.Store.Retain) so a checkpoint
//     never cuts records it has not read.
//  2. A session that runs LISTEN gets a Listener (Hub.NewListener); the
//     channel takes effect when the LISTEN commits, for records committed
//     after that point (Listener.Listen records the newest LSN).
//  3. A committing transaction that ran NOTIFY attaches its
//     notifications (already folded as PostgreSQL folds duplicates) to its
//     kv commit. After the commit is durable the hub reads the record and
//     enqueues each notification on every matching listener, then calls
//     the listener's wake function (pgwire uses it to interrupt an idle
//     read and send NotificationResponse).
//  4. The session drains its queue (Listener.Take) when it is idle,
//     outside a transaction, just as PostgreSQL's ProcessNotifyInterrupt.
//
// # Invariants
//
//   - Delivery is in commit (LSN) order, per listener.
//   - The hub never blocks on a listener: enqueueing is a slice append
//     under the listener's own mutex, and the wake function must not block.
//     A listener whose queue exceeds its byte limit stops receiving; the
//     loss is counted and reported by Take so the session can be told
//     (pgwire ends that one session with 54000). Other listeners and
//     committers are never slowed down by a slow reader.
//
// # Must never
//
// Import sql/ or pgwire/ (sql and pgwire import stream), poll tables, or
// block a commit: the hub is a reader of the log, after durability.
//
// # Debugging
//
// Hub.DispatchedLSN says how far the hub has read; Listener.Channels what a
// session listens to (pg_listening_channels()).
package stream
