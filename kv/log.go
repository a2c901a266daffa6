package kv

// CommitLog is the ordered, durable log every commit goes through: the WAL on
// a single node, the Raft log in a cluster, and the source every change
// stream reads. The store hands it encoded records in LSN order; the log
// decides when they are durable.
type CommitLog interface {
	// Append enqueues the payload of the record with this LSN. LSNs arrive
	// strictly increasing (the store calls Append under its commit mutex), so
	// Append must not block on I/O. The returned channel is closed once this
	// record and all before it are durable, or the log has failed (see Err).
	Append(lsn uint64, payload []byte) <-chan struct{}
	// SetOnDurable installs the callback the log calls, from one goroutine
	// and in LSN order, after each durable advance and before closing the
	// channels Append returned for it. The store publishes snapshots there.
	SetOnDurable(fn func(lsn uint64))
	// DurableLSN is the highest LSN known durable.
	DurableLSN() uint64
	// Err is the sticky failure that stopped the log, or nil.
	Err() error
	// NewReader reads committed records in LSN order starting at from,
	// following new commits as they become durable.
	NewReader(from uint64) (LogReader, error)
	// TruncateBefore lets the log drop records with LSN < keepFrom.
	TruncateBefore(keepFrom uint64) error
	// FirstLSN is the lowest LSN the log still holds (DurableLSN()+1 if none).
	FirstLSN() uint64
	// RetainedBytes is how many bytes the log holds from lsn onwards.
	RetainedBytes(from uint64) int64
	// Close flushes what was appended and releases files.
	Close() error
}

// LogReader delivers durable records in LSN order.
type LogReader interface {
	// Next blocks until the next record is durable, the reader is closed
	// or done is closed (then it returns nil, ErrClosed).
	Next(done <-chan struct{}) (*Record, error)
	Close() error
}
