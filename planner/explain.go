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
	explainNode(&lines, n, 0, analyze)
	return lines
}

func explainNode(lines *[]string, n executor.Node, depth int, analyze bool) {
	e := n.Explain()
	// A Filter node directly above a scan is folded into it by PostgreSQL;
	// ours are separate only above non-scan inputs, so show them as a
	// detail of their child when the child is a Result/Values node.
	prefix := ""
	detailIndent := "  "
	if depth > 0 {
		prefix = strings.Repeat(" ", depth*6-4) + "->  "
		detailIndent = strings.Repeat(" ", depth*6+2)
	}
	line := prefix + e.Name
	if analyze && e.Stats != nil {
		ms := float64(e.Stats.Elapsed.Microseconds()) / 1000
		line += fmt.Sprintf(" (actual time=%.3f..%.3f rows=%d loops=%d)", float64(e.Stats.First.Microseconds())/1000, ms, e.Stats.Rows, e.Stats.Loops)
	}
	*lines = append(*lines, line)
	for _, d := range e.Details {
		*lines = append(*lines, detailIndent+d)
	}
	for _, c := range e.Children {
		explainNode(lines, c, depth+1, analyze)
	}
}
