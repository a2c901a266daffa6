package sqllogic

import (
	"sort"
	"strings"
)

// ColumnSep separates the values of a row on one line, as psql does. A
// single space would be ambiguous with timestamps and other values that
// contain spaces.
const ColumnSep = " | "

// RenderValue renders one value in the server's text format as it appears in
// a file: SQL NULL is NULL, the empty string is (empty), and newline,
// carriage return and tab are written as \n, \r and \t so that a value stays
// on one line. Everything else is the server's bytes unchanged.
func RenderValue(v []byte) string {
	if v == nil {
		return "NULL"
	}
	if len(v) == 0 {
		return "(empty)"
	}
	return lineEscaper.Replace(string(v))
}

var lineEscaper = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`)

// renderRows turns result rows into the lines of a file, applying the sort
// mode. Column names, when asked for, come first and are never sorted.
func renderRows(names []string, rows [][][]byte, mode SortMode) []string {
	var out []string
	if names != nil {
		out = append(out, strings.Join(names, ColumnSep))
	}
	var body []string
	for _, row := range rows {
		vals := make([]string, len(row))
		for i, v := range row {
			vals[i] = RenderValue(v)
		}
		if mode == ValueSort {
			body = append(body, vals...)
		} else {
			body = append(body, strings.Join(vals, ColumnSep))
		}
	}
	if mode != NoSort {
		sort.Strings(body)
	}
	return append(out, body...)
}

// normalizeExpected applies the sort mode to the lines written in a file, so
// that a file may list rowsort/valuesort results in any order.
func normalizeExpected(lines []string, colNames bool, mode SortMode) []string {
	out := append([]string(nil), lines...)
	if mode == NoSort {
		return out
	}
	body := out
	if colNames && len(out) > 0 {
		body = out[1:]
	}
	sort.Strings(body)
	return out
}
