package planner

import "strings"

// inlineList writes a list of keys on one line, as PostgreSQL writes a
// nested list (ExplainPropertyListNested): ["a", "b"], or [].
func inlineList(keys []any) rawNum {
	var b strings.Builder
	b.WriteString("[")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		writeJSONValue(&b, k)
	}
	b.WriteString("]")
	return rawNum(b.String())
}

// groupingSetsJSON turns the key lines of a grouping-sets aggregation
// (executor.GroupingSetsAgg: "Hash Key: a, b" per hashed set, "Group Key:
// ()" per empty set) into PostgreSQL's "Grouping Sets" property: one
// {"Hash Keys": [[...]]} per hashed set, then the empty sets together in
// one {"Group Keys": [[], ...]} (explain.c show_grouping_set_keys). ok is
// false for any other node; rest are the other detail lines.
func groupingSetsJSON(details []string) (gs pair, rest []string, ok bool) {
	var sets []any
	var empty []any
	for _, d := range details {
		switch {
		case strings.HasPrefix(d, "Hash Key: "):
			sets = append(sets, obj{{"Hash Keys", []any{inlineList(splitTopLevel(strings.TrimPrefix(d, "Hash Key: ")))}}})
		case d == "Group Key: ()":
			empty = append(empty, inlineList(nil))
		default:
			rest = append(rest, d)
		}
	}
	if len(sets) == 0 && len(empty) == 0 {
		return pair{}, details, false
	}
	if len(empty) > 0 {
		sets = append(sets, obj{{"Group Keys", empty}})
	}
	return pair{"Grouping Sets", sets}, rest, true
}
