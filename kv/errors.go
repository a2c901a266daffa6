package kv

import "errors"

// Sentinel errors. The SQL layer maps them to SQLSTATEs at its boundary.
var (
	// ErrConflict: the transaction could not be serialized (write-write
	// conflict under snapshot isolation, or a read/scan invalidated under
	// serializable). Retryable. SQL: 40001.
	ErrConflict = errors.New("kv: could not serialize access due to concurrent update")
	// ErrKeyExists: a PutNew found a live version of the key. SQL: 23505.
	ErrKeyExists = errors.New("kv: key already exists")
	// ErrDeadlock: waiting for a lock would deadlock. SQL: 40P01.
	ErrDeadlock = errors.New("kv: deadlock detected")
	// ErrLockNotAvailable: a NOWAIT or SKIP LOCKED lock was held. SQL: 55P03.
	ErrLockNotAvailable = errors.New("kv: could not obtain lock")
	// ErrLockTimeout: a lock wait outlasted Txn.SetLockTimeout. SQL: 55P03.
	ErrLockTimeout = errors.New("kv: lock timeout")
	// ErrTxnDone: the transaction was already committed or rolled back.
	ErrTxnDone = errors.New("kv: transaction already finished")
	// ErrClosed: the store is closed.
	ErrClosed = errors.New("kv: store closed")
	// ErrCorrupt: a log record or checkpoint failed validation where it
	// cannot be a torn tail. Wrapped with the file and offset.
	ErrCorrupt = errors.New("kv: corrupt data")
	// ErrNotRetained: a subscription asked for an LSN the log no longer holds.
	ErrNotRetained = errors.New("kv: LSN no longer retained")
	// ErrNoSavepoint: RollbackTo/Release of an unknown savepoint.
	ErrNoSavepoint = errors.New("kv: no such savepoint")
	// ErrLogFailed: the commit log hit an I/O error; the store stops
	// accepting commits (as PostgreSQL PANICs on a failed WAL flush).
	ErrLogFailed = errors.New("kv: commit log failed")
)

// ErrReadConflict is the serializable failure: something this transaction
// read (a key or a scanned range) was changed by a transaction that
// committed after its snapshot. errors.Is(err, ErrConflict) holds.
var ErrReadConflict error = readConflict{}

type readConflict struct{}

func (readConflict) Error() string {
	return "kv: could not serialize access due to read/write dependencies among transactions"
}
func (readConflict) Is(target error) bool { return target == ErrConflict }
