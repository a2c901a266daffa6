package bound

import (
	"context"

	"github.com/prkdb/prkdb-sql/sql/catalog"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// EvalCtx is what expressions see at run time. One per statement execution.
type EvalCtx struct {
	Ctx      context.Context
	Settings *types.Settings
	Params   []types.Datum
	// TxnTime and StmtTime are microseconds since 2000-01-01 UTC: now() and
	// statement_timestamp().
	TxnTime  int64
	StmtTime int64
	Env      Env
	// Outer holds the rows of enclosing queries for correlated subqueries,
	// innermost last.
	Outer [][]types.Datum
	// Exec is the executor's context of this execution (subqueries run
	// their plans in it); set by the executor.
	Exec any
	// memo caches the results of uncorrelated subqueries for one execution.
	Memo map[*Subquery]any
}

// Env is the session state functions reach: sequences, settings, identity.
type Env interface {
	NextVal(seqOID uint32) (int64, error)
	CurrVal(seqOID uint32) (int64, error)
	SetVal(seqOID uint32, v int64, isCalled bool) (int64, error)
	LastVal() (int64, error)
	CurrentSetting(name string, missingOK bool) (types.Datum, error)
	SetConfig(name, value string, isLocal bool) (string, error)
	CurrentUser() string
	CurrentDatabase() string
	CurrentSchema() string
	SearchPath() []string
	BackendPID() int32
	TxnID() int64
	ResolveRegclass(name string) (uint32, error)
	// Catalog is the catalog this statement sees; DatabaseOID the session's
	// database (system views are generated from them).
	Catalog() *catalog.Catalog
	DatabaseOID() uint32
}
