// Package ttl owns the background removal of expired rows: the sweeper,
// its schedule and rate limit, its counters, and the commit attachment
// that marks a commit as an expiry so change streams can tell it from a
// user's delete.
//
// # What it owns and what it does not
//
// Whether a row has expired is decided by the SQL engine, not here:
// executor/ttl.go hides an expired row from every read the moment it
// expires (the statement's timestamp is at or after its expiry), so the
// sweeper only reclaims space; it never changes what a query returns.
// ttl imports kv only. The engine (package sql) implements Target and
// starts the sweeper with it: ttl never decodes a row or a catalog
// descriptor, and sql never schedules.
//
// # Lifecycle
//
//  1. sql.Open calls Start with the engine as Target (unless
//     Config.TTLManual: tests then call SweepOnce with a controlled clock).
//  2. Every Options.Tick the loop asks Target.TTLTables for the tables
//     with expiry and sweeps each whose job interval (ttl_job_interval,
//     default Options.JobInterval) has passed since its last sweep.
//  3. A sweep of a table is a series of batches. Each batch is one
//     ordinary REPEATABLE READ transaction (Target.SweepBatch) that reads
//     at most a bounded number of rows from a resume key, deletes at most
//     ttl_delete_batch_size expired ones, skips rows another transaction
//     has locked, and commits with an AttachExpiry attachment. Between
//     batches the sweeper sleeps as ttl_delete_rate_limit demands.
//  4. Close stops the loop and waits for a running batch.
//
// # Invariants
//
//   - No long locks, no large transactions: a batch holds the row locks
//     of at most one batch of rows, for one short transaction; a conflict
//     with a user's write fails only that batch (retried next round).
//   - Restart-safe without saved progress: every batch is committed on
//     its own, so a crash or shutdown mid-sweep loses nothing; the next
//     sweep starts from the table's first key and finds what is left
//     (expired rows stay invisible meanwhile).
//   - Deterministic: expiry is a function of the row's stored write time
//     (or expiration column) and the sweeping statement's timestamp;
//     deletes travel in the commit log as ordinary deletes, so replicas
//     apply the same effects in the same order. On a Raft cluster (to
//     come) only the leader may run the sweeper; followers hide expired
//     rows by the same rule without deleting anything.
//
// # Change streams
//
// Every sweeper commit carries one attachment of kind AttachExpiry
// (EncodeExpiry): the database and table OIDs and a flag Suppress set when
// the table has ttl_disable_changefeed_replication = true. A consumer of
// the raw commit log reads it with RecordExpiry: the commit's deletes are
// expiry deletes of that table. Logical replication needs no attachment:
// the engine records a transactional logical message (prefix "prkdb.ttl")
// before the deletes, and for a suppressed table records neither message
// nor deletes (nor notify_changes notifications).
//
// # Must never
//
// Block a user transaction (locked rows are skipped), hold a transaction
// open across a rate-limit sleep, or import sql.
//
// # Debugging
//
// The system view prkdb_ttl_status shows, per table, the rows found
// expired and swept, the sweep lag (age of the oldest expired row not yet
// swept), the last sweep's start, end and error. Status returns the same
// counters for a metrics exporter.
package ttl
