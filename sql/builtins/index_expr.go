package builtins

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/catalog"
)

// IndexKeyText is how pg_get_indexdef prints an expression key column: a
// function call as it is, anything else in parentheses (ruleutils'
// looks_like_function).
func IndexKeyText(expr string) string {
	if looksLikeFunction(expr) {
		return expr
	}
	return "(" + expr + ")"
}

func looksLikeFunction(s string) bool {
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] == '.' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || i > 0 && s[i] >= '0' && s[i] <= '9') {
		i++
	}
	if i == 0 || i >= len(s) || s[i] != '(' || !strings.HasSuffix(s, ")") {
		return false
	}
	depth, inStr := 0, false
	for j := i; j < len(s); j++ {
		switch {
		case s[j] == '\'':
			inStr = !inStr
		case inStr:
		case s[j] == '(':
			depth++
		case s[j] == ')':
			depth--
			if depth == 0 && j != len(s)-1 {
				return false
			}
		}
	}
	return true
}

// indexExprText is expression key column i of ix as pg_get_indexdef
// prints it.
func indexExprText(cat *catalog.Catalog, t *catalog.Table, x *catalog.IndexExpr, pretty bool) string {
	d := &Deparser{Cat: cat, Rels: []DeparseRel{{Ref: t.Name, Table: t}}, Pretty: pretty}
	return IndexKeyText(d.DeparseExpr(x.SQL, x.Type))
}

// IndexExprsText is pg_index.indexprs here: the key expressions as SQL
// (PostgreSQL stores a node tree; clients print it with pg_get_expr).
func IndexExprsText(cat *catalog.Catalog, t *catalog.Table, ix *catalog.Index) string {
	var out []string
	for i := range ix.Columns {
		if x := ix.KeyExpr(i); x != nil {
			d := &Deparser{Cat: cat, Rels: []DeparseRel{{Ref: t.Name, Table: t}}}
			out = append(out, d.DeparseExpr(x.SQL, x.Type))
		}
	}
	return strings.Join(out, ", ")
}
