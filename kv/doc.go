// Package kv owns prkdb-sql's storage engine: an MVCC key-value store of
// ordered byte-string keys on in-memory B-trees (tidwall/btree), the commit
// log that makes it durable (a segmented write-ahead log locally; Raft later,
// behind the same CommitLog interface), checkpoints and recovery.
//
// # Shape
//
//   - One writer B-tree holds every key. Each key's entry points to a chain of
//     versions, newest first, each stamped with the LSN of the commit that
//     wrote it. The LSN is the timestamp: snapshots are LSNs.
//   - Readers never lock. After each durable advance of the log the commit
//     path publishes an O(1) copy-on-write copy of the writer tree together
//     with the durable LSN (a View). A transaction reads one View: it sees a
//     key if the View's tree holds it, and the newest version at or below the
//     View's LSN. Updating an existing key only prepends to its chain (an
//     atomic pointer), so only new keys touch the tree structure.
//   - Commits are serialized by one mutex for validation, LSN assignment and
//     application to the writer tree, then wait outside it for the log to make
//     them durable (group commit: all commits enqueued while one fsync runs
//     share the next one). A commit's versions are invisible until its LSN is
//     durable and published, so nothing unacknowledged is ever read.
//   - Isolation: READ COMMITTED takes a new View per statement
//     (Txn.RefreshSnapshot); REPEATABLE READ is snapshot isolation with
//     first-committer-wins on written keys; SERIALIZABLE also validates every
//     key read and every range scanned at commit (optimistic, backward
//     validation), so write skew and phantoms fail with ErrConflict.
//   - Row locks (Txn.Lock) give PostgreSQL's blocking behaviour for UPDATE,
//     DELETE and SELECT ... FOR UPDATE; locks are released once the holder's
//     commit is durable or it rolls back. Deadlocks are detected.
//   - Old versions are pruned once no registered snapshot can see them.
//     Transactions register their snapshot in one of 16 lock-sharded
//     intrusive lists (Begin and Commit touch one short critical section);
//     the log goroutine scans them for the GC watermark once per batch.
//
// # Where the time goes (bench_test.go; ARCHITECTURE.md has the figures)
//
//   - A point Get is one descent of the view's tree plus two pointer hops
//     (chain, then version): about 90% of a bare tidwall/btree lookup.
//   - Versions (32 bytes) and tree items (24 bytes: key and value are
//     string headers aliasing the committed bytes) are kept small because
//     there is one of each per key; see mvcc.go for the node-size choice.
//   - Inserting a new key after a published copy clones the leaf it lands
//     in (copy-on-write, about 4 KiB). Updates of existing keys only prepend
//     to the chain and clone nothing. For random-key inserts this clone,
//     and the garbage collection it causes, is most of the commit cost.
//   - Commit does everything it can before taking the commit mutex (encode
//     the record, allocate versions); under it, validation finds each key's
//     chain once and apply reuses it, walking the sorted write set with a
//     path hint.
//   - Recovery decodes on one goroutine and inserts on another, sorting
//     large batches of records by key so the inserts walk the tree in order
//     (replay.go). Subscribers read the log in 64 KiB chunks and get records
//     aliasing them (wal_reader.go).
//
// # Must never
//
// kv knows nothing of SQL: keys, values and commit attachments are opaque
// bytes. It must never acknowledge a commit before its record is durable, and
// never make a version visible before that either.
package kv
