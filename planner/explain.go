package planner

import (
	"fmt"
	"strings"

	"github.com/prkdb/prkdb-sql/executor"
)

// ExplainText renders a plan as PostgreSQL's EXPLAIN (COSTS OFF) does: the
// root on the first line, each child on its own line indented under "->",
// details indented beneath their node. With analyze, actual figures follow.
func ExplainText(n executor.Node, analyze bool) []string {
	var lines []string
	explainNode(&lines, n, -1, analyze)
	return lines
}

// explainNode renders n with its "->" at column indent (-1: the root,
// which has none); details and children go 6 columns further in (2 for
// the root), and a subplan's label 4 columns further in.
func explainNode(lines *[]string, n executor.Node, indent int, analyze bool) {
	e := n.Explain()
	// A Filter node directly above a scan is folded into it by PostgreSQL;
	// ours are separate only above non-scan inputs, so show them as a
	// detail of their child when the child is a Result/Values node.
	prefix := ""
	inner := 2
	if indent >= 0 {
		prefix = strings.Repeat(" ", indent) + "->  "
		inner = indent + 6
	}
	detailIndent := strings.Repeat(" ", inner)
	line := prefix + e.Name
	if analyze && e.Stats != nil {
		ms := float64(e.Stats.Elapsed.Microseconds()) / 1000
		line += fmt.Sprintf(" (actual time=%.3f..%.3f rows=%d loops=%d)", float64(e.Stats.First.Microseconds())/1000, ms, e.Stats.Rows, e.Stats.Loops)
	}
	*lines = append(*lines, line)
	for _, d := range e.Details {
		*lines = append(*lines, detailIndent+d)
	}
	for _, sp := range e.SubPlans {
		*lines = append(*lines, detailIndent+sp.Label)
		explainNode(lines, sp.Node, inner+2, analyze)
	}
	for _, c := range e.Children {
		explainNode(lines, c, inner, analyze)
	}
}
