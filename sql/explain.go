package sql

import (
	"context"
	"strings"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/planner"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// execExplain shows the plan of a data statement in PostgreSQL's text or
// JSON layout; with ANALYZE the statement runs (its rows are discarded,
// its writes happen, as in PostgreSQL) and actual figures are shown.
func (s *Session) execExplain(ctx context.Context, st *pg_query.ExplainStmt, w ResultWriter) error {
	o := planner.ExplainOptions{Costs: true}
	timing, summary := -1, -1 // unset: default to ANALYZE
	for _, de := range st.Options {
		de := de.GetDefElem()
		on := func() (bool, error) {
			if de.Arg == nil {
				return true, nil
			}
			switch explainArg(de.Arg) {
			case "on", "true", "1", "yes":
				return true, nil
			case "off", "false", "0", "no":
				return false, nil
			}
			return false, pgerror.New(pgerror.SyntaxError, "%s requires a Boolean value", strings.ToUpper(de.Defname))
		}
		var err error
		switch de.Defname {
		case "analyze":
			o.Analyze, err = on()
		case "costs":
			o.Costs, err = on()
		case "timing", "summary":
			var b bool
			b, err = on()
			v := 0
			if b {
				v = 1
			}
			if de.Defname == "timing" {
				timing = v
			} else {
				summary = v
			}
		case "verbose", "buffers", "settings", "wal":
			_, err = on()
		case "format":
			switch v := explainArg(de.Arg); v {
			case "text":
			case "json":
				o.JSON = true
			case "xml", "yaml":
				return pgerror.New(pgerror.FeatureNotSupported, "EXPLAIN FORMAT %s is not supported", strings.ToUpper(v))
			default:
				return pgerror.New(pgerror.InvalidParameterValue, "unrecognized value for EXPLAIN option \"format\": \"%s\"", v)
			}
		default:
			return pgerror.New(pgerror.SyntaxError, "unrecognized EXPLAIN option \"%s\"", de.Defname)
		}
		if err != nil {
			return err
		}
	}
	o.Timing = timing == 1 || (timing < 0 && o.Analyze)
	o.Summary = summary == 1 || (summary < 0 && o.Analyze)
	if o.Timing && !o.Analyze {
		return pgerror.New(pgerror.InvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE")
	}
	if !isData(st.Query) {
		return pgerror.New(pgerror.FeatureNotSupported, "EXPLAIN of this statement is not supported")
	}
	// Through the extended protocol EXPLAIN may show $n parameters.
	t0 := time.Now()
	pl, _, _, err := s.bindAndPlan(&parsed{stmt: st.Query}, s.utilityParams, s.utilityParams != nil)
	if err != nil {
		return err
	}
	o.PlanningMS = float64(time.Since(t0).Nanoseconds()) / 1e6
	root := pl.root
	if o.Analyze {
		t1 := time.Now()
		if root, err = s.analyzePlan(ctx, pl, o.Timing); err != nil {
			return err
		}
		o.ExecutionMS = float64(time.Since(t1).Nanoseconds()) / 1e6
	}
	if o.JSON {
		if err := w.Row([]types.Datum{types.NewJSON(planner.ExplainJSON(root, o))}); err != nil {
			return err
		}
		return w.Complete("EXPLAIN")
	}
	for _, line := range planner.ExplainText(root, o) {
		if err := w.Row([]types.Datum{types.NewText(line)}); err != nil {
			return err
		}
	}
	return w.Complete("EXPLAIN")
}

// analyzePlan runs pl with every operator instrumented and returns the
// instrumented root.
func (s *Session) analyzePlan(ctx context.Context, pl *plan, timing bool) (executor.Node, error) {
	root := executor.Instrument(pl.root, timing)
	pl.root = root
	ec, cancel, err := s.openPlan(ctx, pl, nil)
	if err != nil {
		return nil, err
	}
	defer cancel()
	defer s.finishPlan(pl, nil)
	for {
		row, err := root.Next(ec)
		if err != nil {
			return nil, err
		}
		if row == nil {
			return root, nil
		}
	}
}

// explainJSON reports whether st asks for FORMAT JSON (its result column
// is then of type json).
func explainJSON(st *pg_query.ExplainStmt) bool {
	for _, o := range st.Options {
		if de := o.GetDefElem(); de != nil && de.Defname == "format" && explainArg(de.Arg) == "json" {
			return true
		}
	}
	return false
}

// explainArg is an EXPLAIN option's value: the grammar gives a String
// node for words (ON, OFF, TEXT, JSON), an Integer or a constant otherwise.
func explainArg(n *pg_query.Node) string {
	switch {
	case n == nil:
		return ""
	case n.GetString_() != nil:
		return strings.ToLower(n.GetString_().Sval)
	case n.GetInteger() != nil:
		if n.GetInteger().Ival != 0 {
			return "1"
		}
		return "0"
	case n.GetBoolean() != nil:
		if n.GetBoolean().Boolval {
			return "on"
		}
		return "off"
	}
	return strings.ToLower(setArgText([]*pg_query.Node{n}))
}
