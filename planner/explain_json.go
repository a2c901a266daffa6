package planner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/prkdb/prkdb-sql/executor"
)

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// ExplainJSON renders a plan as PostgreSQL's FORMAT JSON does: one array
// holding one object with "Plan" (nested "Plans") and the summary, keys in
// PostgreSQL's order and its two-space indentation.
func ExplainJSON(n executor.Node, o ExplainOptions) string {
	top := obj{{"Plan", jsonNode(n, "", "", o)}}
	if o.Summary {
		top = append(top, pair{"Planning Time", round3(o.PlanningMS)})
	}
	if o.Analyze {
		top = append(top, pair{"Triggers", []any{}})
		if o.Summary {
			top = append(top, pair{"Execution Time", round3(o.ExecutionMS)})
		}
	}
	var b strings.Builder
	b.WriteString("[\n  ")
	writeJSON(&b, top, "  ")
	b.WriteString("\n]")
	return b.String()
}

// pair and obj keep keys in insertion order (encoding/json would sort a map).
type pair struct {
	k string
	v any
}
type obj []pair

// rawNum prints a number with PostgreSQL's fixed decimals.
type rawNum string

func round3(v float64) rawNum { return rawNum(fmt.Sprintf("%.3f", v)) }
func round2(v float64) rawNum { return rawNum(fmt.Sprintf("%.2f", v)) }
func round0(v float64) rawNum { return rawNum(fmt.Sprintf("%.0f", v)) }

func jsonNode(n executor.Node, rel, subplan string, o ExplainOptions) obj {
	e := n.Explain()
	head, tail := nodeTypeFields(e.Name)
	node := head
	if rel != "" {
		node = append(node, pair{"Parent Relationship", rel})
	}
	if subplan != "" {
		node = append(node, pair{"Subplan Name", subplan})
	}
	node = append(node, pair{"Parallel Aware", false}, pair{"Async Capable", false})
	node = append(node, tail...)
	if o.Costs {
		est := estimateOf(n)
		node = append(node, pair{"Startup Cost", round2(est.Startup)}, pair{"Total Cost", round2(est.Total)},
			pair{"Plan Rows", round0(est.Rows)}, pair{"Plan Width", est.Width})
	}
	if o.Analyze {
		s := statsOf(n)
		if s == nil || s.Loops == 0 {
			if o.Timing {
				node = append(node, pair{"Actual Startup Time", round3(0)}, pair{"Actual Total Time", round3(0)})
			}
			node = append(node, pair{"Actual Rows", 0}, pair{"Actual Loops", 0})
		} else {
			loops := float64(s.Loops)
			if o.Timing && !s.Untimed {
				node = append(node, pair{"Actual Startup Time", round3(ms(s.First) / loops)}, pair{"Actual Total Time", round3(ms(s.Elapsed) / loops)})
			}
			node = append(node, pair{"Actual Rows", round0(float64(s.Rows) / loops)}, pair{"Actual Loops", s.Loops})
		}
	}
	if joinNode(head) {
		node = append(node, pair{"Inner Unique", false})
	}
	details := e.Details
	if gs, rest, ok := groupingSetsJSON(details); ok {
		node, details = append(node, gs), rest
	}
	for _, d := range details {
		k, v, ok := strings.Cut(d, ": ")
		if !ok {
			continue
		}
		if k == "Sort Key" || k == "Group Key" {
			node = append(node, pair{k, splitTopLevel(v)})
		} else {
			node = append(node, pair{k, v})
		}
		if o.Analyze && k == "Filter" {
			node = append(node, pair{"Rows Removed by Filter", round0(perLoop(float64(e.Removed), n))})
		}
	}
	if o.Analyze {
		node = append(node, analyzedFields(e.Analyzed)...)
	}
	var plans []any
	for _, sp := range e.SubPlans {
		plans = append(plans, jsonNode(sp.Node, "InitPlan", sp.Label, o))
	}
	for i, c := range e.Children {
		rel := "Outer"
		if i > 0 {
			rel = "Inner"
		}
		plans = append(plans, jsonNode(c, rel, "", o))
	}
	if len(plans) > 0 {
		node = append(node, pair{"Plans", plans})
	}
	return node
}

// nodeTypeFields splits a text-format node name ("Index Scan Backward
// using i on t x") into PostgreSQL's JSON fields: head goes before
// "Parent Relationship", tail after "Async Capable" (explain.c's order).
func nodeTypeFields(name string) (head, tail obj) {
	h, target, hasOn := strings.Cut(name, " on ")
	switch {
	case strings.HasPrefix(h, "Index Scan") || strings.HasPrefix(h, "Index Only Scan"):
		typ, ix, _ := strings.Cut(h, " using ")
		dir := "Forward"
		if strings.HasSuffix(typ, " Backward") {
			typ, dir = strings.TrimSuffix(typ, " Backward"), "Backward"
		}
		head, tail = obj{{"Node Type", typ}}, obj{{"Scan Direction", dir}, {"Index Name", ix}}
	case h == "Update" || h == "Delete" || h == "Insert" || h == "Merge":
		head = obj{{"Node Type", "ModifyTable"}, {"Operation", h}}
	case h == "MixedAggregate":
		return obj{{"Node Type", "Aggregate"}, {"Strategy", "Mixed"}, {"Partial Mode", "Simple"}}, nil
	case h == "HashAggregate":
		return obj{{"Node Type", "Aggregate"}, {"Strategy", "Hashed"}, {"Partial Mode", "Simple"}}, nil
	case h == "Aggregate":
		return obj{{"Node Type", "Aggregate"}, {"Strategy", "Plain"}, {"Partial Mode", "Simple"}}, nil
	case strings.HasPrefix(h, "Hash ") && strings.HasSuffix(h, "Join"), strings.HasPrefix(h, "Nested Loop"), strings.HasPrefix(h, "Merge ") && strings.HasSuffix(h, "Join"):
		typ, jt := h, "Inner"
		for _, k := range []string{"Left", "Right", "Full", "Semi", "Anti"} {
			if strings.Contains(h, " "+k+" Join") {
				typ, jt = strings.TrimSuffix(h, " "+k+" Join"), k
			}
		}
		typ = strings.TrimSuffix(typ, " Join")
		if typ != "Nested Loop" {
			typ += " Join"
		}
		return obj{{"Node Type", typ}}, obj{{"Join Type", jt}}
	default:
		head = obj{{"Node Type", h}}
	}
	if hasOn {
		relName, alias, ok := strings.Cut(target, " ")
		if !ok {
			alias = relName
		}
		if strings.HasPrefix(h, "CTE Scan") || strings.HasPrefix(h, "WorkTable Scan") {
			tail = append(tail, pair{"CTE Name", relName})
		} else {
			tail = append(tail, pair{"Relation Name", relName})
		}
		tail = append(tail, pair{"Alias", alias})
	}
	return head, tail
}

func joinNode(head obj) bool {
	t, _ := head[0].v.(string)
	return strings.HasSuffix(t, " Join") || t == "Nested Loop"
}

// splitTopLevel splits "a, f(b, c)" at commas outside parentheses.
func splitTopLevel(s string) []any {
	var out []any
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func writeJSON(b *strings.Builder, v any, indent string) {
	switch v := v.(type) {
	case obj:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{")
		for i, p := range v {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + indent + "  ")
			writeJSONValue(b, p.k)
			b.WriteString(": ")
			writeJSON(b, p.v, indent+"  ")
		}
		b.WriteString("\n" + indent + "}")
	case []any:
		if len(v) == 0 {
			// PostgreSQL opens and closes an empty group on two lines.
			b.WriteString("[\n" + indent + "]")
			return
		}
		b.WriteString("[")
		for i, x := range v {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + indent + "  ")
			writeJSON(b, x, indent+"  ")
		}
		b.WriteString("\n" + indent + "]")
	case rawNum:
		b.WriteString(string(v))
	default:
		writeJSONValue(b, v)
	}
}

// writeJSONValue writes a scalar without encoding/json's HTML escaping
// (PostgreSQL writes "<" as is).
func writeJSONValue(b *strings.Builder, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	b.Write(bytes.TrimRight(buf.Bytes(), "\n"))
}

// analyzedFields turns the text lines of a sort's or a hash's run into
// PostgreSQL's JSON properties.
func analyzedFields(lines []string) obj {
	var out obj
	for _, l := range lines {
		var kb, buckets int64
		if rest, ok := strings.CutPrefix(l, "Sort Method: "); ok {
			method, mem, _ := strings.Cut(rest, "  Memory: ")
			if _, err := fmt.Sscanf(mem, "%dkB", &kb); err == nil {
				out = append(out, pair{"Sort Method", method}, pair{"Sort Space Used", kb}, pair{"Sort Space Type", "Memory"})
			}
			continue
		}
		if _, err := fmt.Sscanf(l, "Buckets: %d  Batches: 1  Memory Usage: %dkB", &buckets, &kb); err == nil {
			out = append(out, pair{"Hash Buckets", buckets}, pair{"Original Hash Buckets", buckets},
				pair{"Hash Batches", 1}, pair{"Original Hash Batches", 1}, pair{"Peak Memory Usage", kb})
		}
	}
	return out
}
