package planner

import (
	"fmt"
	"strings"

	"github.com/prkdb/prkdb-sql/executor"
)

// ExplainOptions are EXPLAIN's options as PostgreSQL 15 defines them
// (doc: sql-explain.html). Costs default on; Timing and Summary default to
// Analyze.
type ExplainOptions struct {
	Costs, Analyze, Timing, Summary bool
	JSON                            bool
	// PlanningMS and ExecutionMS are the summary figures (Summary only).
	PlanningMS, ExecutionMS float64
}

// ExplainText renders a plan as PostgreSQL's text format does: the root on
// the first line, each child on its own line indented under "->", details
// indented beneath their node; with Costs the estimate follows the node
// name, with Analyze the actual figures (per-loop averages, as
// PostgreSQL's explain.c prints them).
func ExplainText(n executor.Node, o ExplainOptions) []string {
	var lines []string
	explainNode(&lines, n, -1, o)
	if o.Summary {
		lines = append(lines, fmt.Sprintf("Planning Time: %.3f ms", o.PlanningMS))
		if o.Analyze {
			lines = append(lines, fmt.Sprintf("Execution Time: %.3f ms", o.ExecutionMS))
		}
	}
	return lines
}

// explainNode renders n with its "->" at column indent (-1: the root,
// which has none); details and children go 6 columns further in (2 for
// the root), and a subplan's label 4 columns further in.
func explainNode(lines *[]string, n executor.Node, indent int, o ExplainOptions) {
	e := n.Explain()
	prefix := ""
	inner := 2
	if indent >= 0 {
		prefix = strings.Repeat(" ", indent) + "->  "
		inner = indent + 6
	}
	detailIndent := strings.Repeat(" ", inner)
	line := prefix + e.Name
	if o.Costs {
		est := estimateOf(n)
		line += fmt.Sprintf("  (cost=%.2f..%.2f rows=%.0f width=%d)", est.Startup, est.Total, est.Rows, est.Width)
	}
	if o.Analyze {
		line += " " + actualText(n, o.Timing)
	}
	*lines = append(*lines, line)
	for _, d := range e.Details {
		*lines = append(*lines, detailIndent+d)
		if o.Analyze && strings.HasPrefix(d, "Filter: ") && e.Removed > 0 {
			*lines = append(*lines, fmt.Sprintf("%sRows Removed by Filter: %.0f", detailIndent, perLoop(float64(e.Removed), n)))
		}
	}
	if o.Analyze {
		for _, d := range e.Analyzed {
			*lines = append(*lines, detailIndent+d)
		}
	}
	for _, sp := range e.SubPlans {
		*lines = append(*lines, detailIndent+sp.Label)
		explainNode(lines, sp.Node, inner+2, o)
	}
	for _, c := range e.Children {
		explainNode(lines, c, inner, o)
	}
}

// estimateOf is the planner's estimate for n (zero for nodes built
// outside the planner).
func estimateOf(n executor.Node) executor.Estimate {
	if e, ok := n.(executor.Estimator); ok {
		return *e.Est()
	}
	return executor.Estimate{}
}

// statsOf returns n's actual figures, nil when the node was not
// instrumented.
func statsOf(n executor.Node) *executor.NodeStats {
	switch w := n.(type) {
	case *executor.Instrumented:
		return &w.Stats
	case *executor.HashBuild:
		// The hash table holds every row of its input, once per build.
		return statsOf(w.Input)
	case *executor.Scan:
		if w.Actual.Loops > 0 { // a scan EXPLAIN ANALYZE could not wrap
			st := w.Actual
			st.Untimed = true
			return &st
		}
	}
	return nil
}

func perLoop(v float64, n executor.Node) float64 {
	if s := statsOf(n); s != nil && s.Loops > 1 {
		return v / float64(s.Loops)
	}
	return v
}

// actualText is EXPLAIN ANALYZE's "(actual ...)" for one node.
func actualText(n executor.Node, timing bool) string {
	s := statsOf(n)
	if s == nil || s.Loops == 0 {
		return "(never executed)"
	}
	loops := float64(s.Loops)
	rows := float64(s.Rows) / loops
	if !timing || s.Untimed {
		return fmt.Sprintf("(actual rows=%.0f loops=%.0f)", rows, loops)
	}
	return fmt.Sprintf("(actual time=%.3f..%.3f rows=%.0f loops=%.0f)",
		ms(s.First)/loops, ms(s.Elapsed)/loops, rows, loops)
}
