package executor

import (
	"context"
	"errors"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// ErrStatementTimeout is the cause set on a context cancelled by
// statement_timeout, so the error says which limit stopped the query.
var ErrStatementTimeout = errors.New("statement timeout")

func cancelError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return pgerror.New(pgerror.QueryCanceled, "canceling statement due to statement timeout")
	}
	return pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request")
}

// MemBudget tracks bytes held by one query's operators.
type MemBudget struct {
	Limit int64
	Used  int64
}

// Grow accounts n more bytes, failing with 53200 past the limit.
func (b *MemBudget) Grow(n int64) error {
	if b == nil {
		return nil
	}
	b.Used += n
	if b.Limit > 0 && b.Used > b.Limit {
		return pgerror.New(pgerror.OutOfMemory, "out of memory: intermediate results exceed prkdb.query_mem_limit (%d kB)", b.Limit/1024).
			WithHint("Raise prkdb.query_mem_limit, or make the query hold fewer rows at once (an index for its ORDER BY, fewer groups).")
	}
	return nil
}

func limitError(msg string) error { return pgerror.New(pgerror.InvalidRowCountInLimit, "%s", msg) }
func offsetError(msg string) error {
	return pgerror.New(pgerror.InvalidRowCountInResultOffset, "%s", msg)
}
