package sql

import (
	"errors"
	"strings"
	"sync"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	pgparser "github.com/pganalyze/pg_query_go/v6/parser"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// parsed is one statement of a query string.
type parsed struct {
	stmt *pg_query.Node
	text string // this statement's own text
	// loc is the statement's offset in the original string, so error
	// positions (1-based, as PostgreSQL reports them) point into it.
	loc int32
}

// parseCache keeps parse results by query text: parsing with PostgreSQL's
// grammar costs tens of microseconds, and the same texts recur. Parse
// trees are never modified after parsing, so entries are shared.
type parseCache struct {
	mu      sync.Mutex
	entries map[string][]parsed
}

const parseCacheMax = 4096

var globalParseCache = &parseCache{entries: map[string][]parsed{}}

func (pc *parseCache) get(q string) ([]parsed, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	p, ok := pc.entries[q]
	return p, ok
}

func (pc *parseCache) put(q string, p []parsed) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if len(pc.entries) >= parseCacheMax {
		// Crude but bounded: drop everything and let hot texts come back.
		pc.entries = make(map[string][]parsed, parseCacheMax)
	}
	pc.entries[q] = p
}

// parse splits a query string into statements.
func parse(q string) ([]parsed, error) {
	if p, ok := globalParseCache.get(q); ok {
		return p, nil
	}
	res, err := pg_query.Parse(q)
	if err != nil {
		return nil, syntaxError(q, err)
	}
	out := make([]parsed, 0, len(res.Stmts))
	for _, rs := range res.Stmts {
		start := int(rs.StmtLocation)
		end := len(q)
		if rs.StmtLen > 0 {
			end = start + int(rs.StmtLen)
		}
		if start > len(q) {
			start = len(q)
		}
		if end > len(q) {
			end = len(q)
		}
		out = append(out, parsed{stmt: rs.Stmt, text: strings.TrimSpace(q[start:end]), loc: rs.StmtLocation})
	}
	globalParseCache.put(q, out)
	return out, nil
}

// syntaxError converts pg_query's error (which carries PostgreSQL's own
// message and cursor position) into 42601.
func syntaxError(q string, err error) error {
	var pe *pgparser.Error
	if errors.As(err, &pe) {
		e := pgerror.New(grammarErrorCode(pe.Message), "%s", pe.Message)
		if pe.Cursorpos > 0 {
			e.Position = int32(pe.Cursorpos)
		}
		return e
	}
	return pgerror.New(pgerror.SyntaxError, "%s", err.Error())
}

// grammarErrorCode is the SQLSTATE of an error raised by PostgreSQL's
// grammar itself (gram.y), which pg_query reports without its code: most
// are syntax errors, a few are not.
func grammarErrorCode(msg string) pgerror.Code {
	switch {
	case strings.HasPrefix(msg, "role name \"") && strings.HasSuffix(msg, "\" is reserved"),
		strings.HasSuffix(msg, " cannot be used as a role name here"):
		return pgerror.ReservedName
	case msg == "UNENCRYPTED PASSWORD is no longer supported":
		return pgerror.FeatureNotSupported
	}
	return pgerror.SyntaxError
}
