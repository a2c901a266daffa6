// Package stream tails kv's commit log and delivers what commits carry to
// the sessions that wait for it: LISTEN/NOTIFY, and logical replication
// (replication slots, logical decoding and its output plugins), consumer
// groups and subscriptions, both built on the slots.
//
// # What it owns
//
//   - The NOTIFY attachment: the encoding of a writing transaction's
//     notifications inside its kv commit record (AttachNotify,
//     AppendNotify, DecodeNotify), so they are exactly as durable and as
//     ordered as the commit.
//   - The Hub: one goroutine per node that reads every committed record
//     (kv.Store.Subscribe) in LSN order and hands each notification to the
//     listeners of its (database, channel); and Publish, for transactions
//     that only notify and so have no record (not durable, as in
//     PostgreSQL), ordered after every commit visible when they commit.
//   - Listener: one session's set of channels and its bounded queue of
//     notifications not yet sent to the client.
//   - The logical-change attachment ('L', logical.go): a transaction's
//     inserts, updates and deletes (with old rows where decoding needs
//     them), TRUNCATEs and pg_logical_emit_message messages, written by
//     the SQL layer while a slot exists. Rows are the SQL layer's encoded
//     rows; stream never decodes them itself.
//   - Slots (slots.go): replication slots as durable consumer offsets:
//     name, plugin, database, confirmed position; persisted as kv keys
//     'r' | name, holding the log (kv.Store.Retain) from the first record
//     not yet confirmed, invalidated past max_slot_wal_keep_size.
//   - Client LSNs (lsn.go): kv record n is shown as the range
//     [n<<32, (n+1)<<32), so LSN arithmetic clients do stays inside a record.
//   - Decoding (decode.go) through a Schema the SQL layer provides (table
//     descriptions, rows as text), and the output plugins: pgoutput
//     (pgoutput.go, byte for byte PostgreSQL 15's text format),
//     test_decoding (textout.go) and wal2json-style JSON (jsonout.go).
//   - Consumer groups (groups.go): a slot's changes partitioned by (table,
//     primary key) among the connected members of a group, with a durable
//     offset per partition ('g' | slot | 0 | group), sticky assignment, and
//     a session timeout before a disconnected member's partitions move.
//   - Subscriptions (subscribe.go): a persistent slot plus a durable
//     committed offset and retention ('u' | name), read as rows of jsonb
//     (Subscriptions.Read) by the SQL functions.
//   - The walsender loop (walsender.go): Slots.Stream reads a slot's
//     records, decodes them, writes XLogData and keepalives through a
//     SenderIO and applies standby status updates; Slots.Peek serves the
//     SQL functions.
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
// Slot lifecycle: Create (waits, through the settle callback, for
// transactions that began before any slot existed, then takes the newest
// commit as its consistent point) -> Acquire by one session -> Stream or
// Peek from max(requested, confirmed) -> Confirm (durable, moves the log
// hold) -> Release -> Drop. A temporary slot belongs to its session and
// is dropped with it (SessionEnded).
//
// # Invariants
//
//   - A slot's confirmed position only moves forward and is durable before
//     Confirm returns; everything after it is retained and redelivered.
//   - A transaction is delivered whole or not at all, in commit order.
//   - Delivery is in commit (LSN) order, per listener.
//   - A consumer group partition restarts only at its durable offset, and an
//     acknowledgement raises an offset only over what that connection was
//     sent; a stream's LSNs never go backwards (a member that gains
//     partitions is ended rather than rewound).
//   - The hub never blocks on a listener: enqueueing is a slice append
//     under the listener's own mutex, and the wake function must not block.
//     A listener whose queue exceeds its byte limit stops receiving; the
//     loss is counted and reported by Take so the session can be told
//     (pgwire ends that one session with 54000). Other listeners and
//     committers are never slowed down by a slow reader.
//
// Group member lifecycle: Join (creates the group at its first member;
// a member reconnecting within its session timeout keeps its partitions)
// -> Stream (each partition from its offset; acknowledgements raise the
// offsets durably) -> ends by CopyDone (leaves), a broken connection (leaves
// after the timeout) or ErrRebalanced (it gained partitions: the client
// reconnects) -> Leave.
//
// # Must never
//
// Import sql/ or pgwire/ (sql and pgwire import stream), poll tables, or
// block a commit: the hub is a reader of the log, after durability.
//
// # Debugging
//
// Hub.DispatchedLSN says how far the hub has read; Listener.Channels what a
// session listens to (pg_listening_channels()). Slots.List is
// pg_replication_slots; SenderStats is pg_stat_replication;
// pg_logical_slot_peek_changes(slot, NULL, NULL) shows what a slot would
// send, with test_decoding or wal2json.
package stream
