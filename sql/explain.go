package sql

import (
	"context"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/planner"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// execExplain shows the plan of a data statement, in PostgreSQL's text
// layout without costs (as EXPLAIN (COSTS OFF) prints it).
func (s *Session) execExplain(ctx context.Context, st *pg_query.ExplainStmt, w ResultWriter) error {
	for _, o := range st.Options {
		de := o.GetDefElem()
		switch de.Defname {
		case "analyze":
			if de.Arg == nil || setArgText([]*pg_query.Node{de.Arg}) != "off" {
				return pgerror.New(pgerror.FeatureNotSupported, "EXPLAIN ANALYZE is not supported yet")
			}
		case "costs", "verbose", "buffers", "timing", "summary", "settings", "wal":
		case "format":
			if v := setArgText([]*pg_query.Node{de.Arg}); v != "text" {
				return pgerror.New(pgerror.FeatureNotSupported, "EXPLAIN FORMAT %s is not supported yet", v)
			}
		default:
			return pgerror.New(pgerror.SyntaxError, "unrecognized EXPLAIN option \"%s\"", de.Defname)
		}
	}
	if !isData(st.Query) {
		return pgerror.New(pgerror.FeatureNotSupported, "EXPLAIN of this statement is not supported")
	}
	// Through the extended protocol EXPLAIN may show $n parameters.
	pl, _, _, err := s.bindAndPlan(&parsed{stmt: st.Query}, s.utilityParams, s.utilityParams != nil)
	if err != nil {
		return err
	}
	for _, line := range planner.ExplainText(pl.root, false) {
		if err := w.Row([]types.Datum{types.NewText(line)}); err != nil {
			return err
		}
	}
	return w.Complete("EXPLAIN")
}
