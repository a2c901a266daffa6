package main

import (
	"fmt"
	"math/rand"
	"strings"
)

// gen builds random queries over schema.sql from typed expression pools.
type gen struct {
	r *rand.Rand
}

type col struct{ expr, typ string }

func t1cols(x string) []col {
	return []col{{x + ".id", "int"}, {x + ".a", "int"}, {x + ".b", "num"}, {x + ".c", "float"}, {x + ".s", "text"},
		{x + ".d", "date"}, {x + ".ts", "ts"}, {x + ".f", "bool"}, {x + ".j", "jsonb"}, {x + ".arr", "arr"}}
}

func t2cols(y string) []col {
	return []col{{y + ".id", "int"}, {y + ".t1_id", "int"}, {y + ".v", "int"}, {y + ".name", "text"}}
}

func t3cols(z string) []col { return []col{{z + ".k", "int"}, {z + ".note", "text"}} }

func (g *gen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }
func (g *gen) chance(p float64) bool    { return g.r.Float64() < p }

func (g *gen) colOf(cols []col, typ string) string {
	var m []string
	for _, c := range cols {
		if c.typ == typ {
			m = append(m, c.expr)
		}
	}
	if len(m) == 0 {
		return ""
	}
	return m[g.r.Intn(len(m))]
}

// expr returns an expression of type typ over cols.
func (g *gen) expr(typ string, cols []col, depth int) string {
	if depth <= 0 || g.chance(0.4) {
		if c := g.colOf(cols, typ); c != "" && g.chance(0.8) {
			return c
		}
		return g.lit(typ)
	}
	d := depth - 1
	e := func(t string) string { return g.expr(t, cols, d) }
	switch typ {
	case "int":
		switch g.r.Intn(14) {
		case 0:
			return "(" + e("int") + " " + g.pick("+", "-", "*") + " " + e("int") + ")"
		case 1:
			return "abs(" + e("int") + ")"
		case 2:
			return "coalesce(" + e("int") + ", " + e("int") + ")"
		case 3:
			return "nullif(" + e("int") + ", " + e("int") + ")"
		case 4:
			return "CASE WHEN " + e("bool") + " THEN " + e("int") + " ELSE " + e("int") + " END"
		case 5:
			return "length(" + e("text") + ")"
		case 6:
			return "cardinality(" + e("arr") + ")"
		case 7:
			return "(" + e("date") + " - " + e("date") + ")"
		case 8:
			return "(" + e("int") + " % " + g.pick("3", "7", "-4") + ")"
		case 9:
			return "(" + e("int") + " / " + g.pick("2", "3", "-4") + ")"
		case 10:
			return "greatest(" + e("int") + ", " + e("int") + ")"
		case 11:
			return "position(" + g.pick("'a'", "'an'", "'B'") + " in " + e("text") + ")"
		case 12:
			return "array_length(" + e("arr") + ", 1)"
		default:
			return "(" + e("num") + ")::int"
		}
	case "num":
		switch g.r.Intn(8) {
		case 0:
			return "(" + e("num") + " " + g.pick("+", "-", "*") + " " + e("num") + ")"
		case 1:
			return "round(" + e("num") + ", " + g.pick("0", "1") + ")"
		case 2:
			return "(" + e("int") + "::numeric / 3)"
		case 3:
			return "trunc(" + e("num") + ")"
		case 4:
			return "coalesce(" + e("num") + ", " + e("int") + ")"
		case 5:
			return "(" + e("num") + " + " + e("int") + ")"
		case 6:
			return "abs(" + e("num") + ")"
		default:
			return "least(" + e("num") + ", " + e("num") + ")"
		}
	case "float":
		switch g.r.Intn(6) {
		case 0:
			return "(" + e("float") + " " + g.pick("+", "-", "*") + " " + e("float") + ")"
		case 1:
			return "sqrt(abs(" + e("float") + "))"
		case 2:
			return e("int") + "::float8"
		case 3:
			return "(" + e("float") + " * " + e("int") + ")"
		case 4:
			return "floor(" + e("float") + ")"
		default:
			return e("num") + "::float8"
		}
	case "text":
		switch g.r.Intn(18) {
		case 0:
			return "lower(" + e("text") + ")"
		case 1:
			return "upper(" + e("text") + ")"
		case 2:
			return "substr(" + e("text") + ", " + g.pick("1", "2", "0", "-1") + ", " + g.pick("1", "3") + ")"
		case 3:
			return "(" + e("text") + " || " + e("text") + ")"
		case 4:
			return "coalesce(" + e("text") + ", 'dflt')"
		case 5:
			return "replace(" + e("text") + ", 'a', 'o')"
		case 6:
			return "trim(" + e("text") + ")"
		case 7:
			return g.pick("left", "right") + "(" + e("text") + ", " + g.pick("2", "-2") + ")"
		case 8:
			return "(" + e("jsonb") + " ->> " + g.pick("'t'", "'k'", "0") + ")"
		case 9:
			return "concat(" + e("text") + ", " + e("int") + ")"
		case 10:
			return "initcap(" + e("text") + ")"
		case 11:
			return "lpad(" + e("text") + ", 6, '*')"
		case 12:
			return e("int") + "::text"
		case 13:
			return "to_char(" + e("date") + ", 'YYYY-MM-DD Dy')"
		case 14:
			return "split_part(" + e("text") + ", ' ', " + g.pick("1", "2") + ")"
		case 15:
			return "reverse(" + e("text") + ")"
		case 16:
			return "concat_ws('-', " + e("text") + ", " + e("int") + ", " + e("date") + ")"
		default:
			return "CASE " + e("int") + " WHEN 7 THEN 'seven' WHEN 10 THEN 'ten' ELSE " + e("text") + " END"
		}
	case "bool":
		switch g.r.Intn(17) {
		case 0, 1:
			t := g.pick("int", "int", "num", "float", "text", "date")
			return "(" + e(t) + " " + g.pick("=", "<>", "<", "<=", ">", ">=") + " " + e(t) + ")"
		case 2:
			return "(" + e("text") + " " + g.pick("LIKE", "ILIKE", "NOT LIKE") + " " + g.pick("'a%'", "'%an%'", "'_'", "'%'", "''", "'cherry\\%'", "'A%'") + ")"
		case 3:
			t := g.pick("int", "text", "num", "date", "jsonb")
			return "(" + e(t) + " IS " + g.pick("NULL", "NOT NULL") + ")"
		case 4:
			return "NOT " + e("bool")
		case 5:
			return "(" + e("bool") + " " + g.pick("AND", "OR") + " " + e("bool") + ")"
		case 6:
			return "(" + e("int") + " BETWEEN " + e("int") + " AND " + e("int") + ")"
		case 7:
			return "(" + e("int") + " " + g.pick("IN", "NOT IN") + " (" + g.pick("1, 7, 10", "-5, NULL", "0") + "))"
		case 8:
			return "(" + e("jsonb") + " ? " + g.pick("'k'", "'t'", "'nested'") + ")"
		case 9:
			return "(" + e("jsonb") + " @> " + g.pick("'{\"k\": 1}'", "'[1]'", "'{}'") + ")"
		case 10:
			return "(" + e("arr") + " " + g.pick("@>", "<@", "&&") + " " + g.pick("'{1}'", "'{2,3}'", "'{}'::int[]") + ")"
		case 11:
			return "(" + e("int") + " = " + g.pick("ANY", "ALL") + "(" + e("arr") + "))"
		case 12:
			return "(" + e("int") + " IS " + g.pick("", "NOT ") + "DISTINCT FROM " + e("int") + ")"
		case 13:
			return "(" + e("text") + " " + g.pick("~", "~*", "!~") + " " + g.pick("'^[a-c]'", "'an'", "'\\s'") + ")"
		case 14:
			return "(" + e("bool") + " IS " + g.pick("TRUE", "NOT FALSE", "UNKNOWN") + ")"
		case 15:
			return "(" + e("ts") + " " + g.pick("<", ">=") + " " + e("ts") + ")"
		default:
			return "coalesce(" + e("bool") + ", " + g.pick("true", "false") + ")"
		}
	case "date":
		switch g.r.Intn(5) {
		case 0:
			return "(" + e("date") + " + " + e("int") + ")"
		case 1:
			return "(" + e("date") + " - " + g.pick("1", "30", "365") + ")"
		case 2:
			return "date_trunc('" + g.pick("month", "year", "week") + "', " + e("date") + ")::date"
		case 3:
			return "(" + e("date") + " + interval '" + g.pick("1 month", "1 year", "-1 day") + "')::date"
		default:
			return "coalesce(" + e("date") + ", date '2024-01-01')"
		}
	case "ts":
		switch g.r.Intn(4) {
		case 0:
			return "(" + e("ts") + " + interval '" + g.pick("1 day", "1 month", "-3 hours", "1 mon 2 days 03:04:05") + "')"
		case 1:
			return "date_trunc('" + g.pick("hour", "day", "month") + "', " + e("ts") + ")"
		case 2:
			return e("date") + "::timestamptz"
		default:
			return "coalesce(" + e("ts") + ", timestamptz '2020-01-01 00:00+00')"
		}
	case "jsonb":
		switch g.r.Intn(5) {
		case 0:
			return "(" + e("jsonb") + " -> " + g.pick("'k'", "'nested'", "0", "'arr'") + ")"
		case 1:
			return "jsonb_build_object('a', " + e("int") + ", 's', " + e("text") + ")"
		case 2:
			return "to_jsonb(" + e(g.pick("int", "text", "num", "bool")) + ")"
		case 3:
			return "(" + e("jsonb") + " #> '{nested,a}')"
		default:
			return "(" + e("jsonb") + " - 'k')"
		}
	case "arr":
		switch g.r.Intn(3) {
		case 0:
			return "(" + e("arr") + " || " + e("int") + ")"
		case 1:
			return "ARRAY[" + e("int") + ", " + e("int") + "]"
		default:
			return "array_remove(" + e("arr") + ", " + e("int") + ")"
		}
	}
	return g.lit(typ)
}

func (g *gen) lit(typ string) string {
	switch typ {
	case "int":
		return g.pick("0", "1", "7", "10", "-5", "3", "100", "NULL::int")
	case "num":
		return g.pick("1.5", "0.00", "-2.25", "7.77", "NULL::numeric", "3")
	case "float":
		return g.pick("0.5::float8", "-1.25::float8", "2::float8", "NULL::float8")
	case "text":
		return g.pick("'apple'", "'Apple'", "''", "'banana'", "'a b'", "NULL::text", "'Z'")
	case "bool":
		return g.pick("true", "false", "NULL::bool")
	case "date":
		return g.pick("date '2024-01-15'", "date '2024-02-29'", "date '2000-01-01'", "NULL::date")
	case "ts":
		return g.pick("timestamptz '2024-01-15 10:00+00'", "timestamptz '2023-06-01 00:00+00'", "NULL::timestamptz")
	case "jsonb":
		return g.pick("'{\"k\": 1}'::jsonb", "'[1, 2]'::jsonb", "'null'::jsonb", "NULL::jsonb")
	case "arr":
		return g.pick("'{1,2}'::int[]", "'{}'::int[]", "'{NULL,7}'::int[]")
	}
	return "NULL"
}

var scalarTypes = []string{"int", "int", "int", "num", "float", "text", "text", "bool", "date", "ts", "jsonb", "arr"}

func (g *gen) anyType() string { return scalarTypes[g.r.Intn(len(scalarTypes))] }

// list returns n select-list expressions.
func (g *gen) list(cols []col, n, depth int) string {
	var p []string
	for i := 0; i < n; i++ {
		p = append(p, g.expr(g.anyType(), cols, depth))
	}
	return strings.Join(p, ", ")
}

type tmpl struct {
	name string
	f    func(g *gen) (string, bool)
}

var templates = []tmpl{
	{"scalar", (*gen).qScalar},
	{"where", (*gen).qWhere},
	{"join", (*gen).qJoin},
	{"subq_where", (*gen).qSubqWhere},
	{"subq_select", (*gen).qSubqSelect},
	{"group", (*gen).qGroup},
	{"window", (*gen).qWindow},
	{"cte", (*gen).qCTE},
	{"rcte", (*gen).qRCTE},
	{"setop", (*gen).qSetop},
	{"distinct", (*gen).qDistinct},
	{"order", (*gen).qOrder},
	{"types", (*gen).qTypes},
	{"funcs", (*gen).qFuncs},
	{"funcs", (*gen).qFuncs},
	{"lateral", (*gen).qLateral},
	{"gsets", (*gen).qGroupingSets},
	{"insel", (*gen).qInSelect},
	{"wframes", (*gen).qWindowFrames},
	{"settypes", (*gen).qSetTypes},
	{"casts", (*gen).qCasts},
	{"using", (*gen).qJoinUsing},
	{"nested", (*gen).qNested},
	{"edge", (*gen).qEdge},
	{"edge", (*gen).qEdge},
	{"edge", (*gen).qEdge},
	{"misc", (*gen).qMisc},
	{"misc", (*gen).qMisc},
	{"misc", (*gen).qMisc},
	{"dml", nil},
	{"cast2", (*gen).qCast2},
	{"builtin", (*gen).qBuiltin},
	{"builtin", (*gen).qBuiltin},
	{"builtin", (*gen).qBuiltin},
}

func (g *gen) query() (string, string, bool) {
	t := templates[g.r.Intn(len(templates))]
	if t.f == nil {
		q, _ := g.qDML()
		return t.name, q, false
	}
	q, ordered := t.f(g)
	return t.name, q, ordered
}

func (g *gen) qScalar() (string, bool) {
	return "SELECT x.id, " + g.list(t1cols("x"), 3, 3) + " FROM t1 x", false
}

func (g *gen) qWhere() (string, bool) {
	c := t1cols("x")
	return "SELECT x.id, " + g.list(c, 2, 2) + " FROM t1 x WHERE " + g.expr("bool", c, 3), false
}

func (g *gen) joinClause() (string, []col) {
	kind := g.pick("JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "LEFT JOIN", "FULL JOIN")
	c := append(t1cols("x"), t2cols("y")...)
	on := "x.id = y.t1_id"
	if g.chance(0.2) {
		on = "x.a = y.v"
	}
	if g.chance(0.3) {
		on += " AND " + g.expr("bool", c, 1)
	}
	from := "t1 x " + kind + " t2 y ON " + on
	if g.chance(0.25) {
		from += " " + g.pick("LEFT JOIN", "JOIN", "FULL JOIN") + " t3 z ON z.k = " + g.pick("x.a", "y.v", "x.id")
		c = append(c, t3cols("z")...)
	}
	return from, c
}

func (g *gen) qJoin() (string, bool) {
	from, c := g.joinClause()
	q := "SELECT x.id, y.id, " + g.list(c, 2, 2) + " FROM " + from
	if g.chance(0.6) {
		q += " WHERE " + g.expr("bool", c, 2)
	}
	return q, false
}

func (g *gen) subqPred(outer []col) string {
	inner := append(t2cols("y"), outer...)
	corr := ""
	if g.chance(0.5) {
		corr = " AND y.t1_id = x.id"
	}
	w := g.expr("bool", inner, 1)
	src := g.pick("SELECT y.v FROM t2 y WHERE "+w+corr, "SELECT z.k FROM t3 z", "SELECT y.t1_id FROM t2 y WHERE "+w+corr)
	oe := g.pick("x.a", "x.id", "x.a + 1", "coalesce(x.a, 0)")
	switch g.r.Intn(8) {
	case 0:
		return oe + " IN (" + src + ")"
	case 1:
		return oe + " NOT IN (" + src + ")"
	case 2:
		return g.pick("", "NOT ") + "EXISTS (SELECT 1 FROM t2 y WHERE y.t1_id = x.id AND " + w + ")"
	case 3:
		return oe + " " + g.pick("=", "<", ">", "<>", ">=") + " " + g.pick("ANY", "ALL", "SOME") + " (" + src + ")"
	case 4:
		return oe + " " + g.pick("=", "<", ">=") + " (SELECT " + g.pick("max", "min", "sum", "count") + "(y.v) FROM t2 y WHERE y.t1_id = x.id)"
	case 5:
		return "(x.id, x.a) " + g.pick("IN", "NOT IN") + " (SELECT y.t1_id, y.v FROM t2 y)"
	case 6:
		return "NOT (" + oe + " IN (" + src + "))"
	default:
		return g.pick("", "NOT ") + "EXISTS (SELECT 1 FROM t3 z WHERE z.k = x.a)"
	}
}

func (g *gen) qSubqWhere() (string, bool) {
	c := t1cols("x")
	w := g.subqPred(c)
	if g.chance(0.3) {
		w += " " + g.pick("AND", "OR") + " " + g.expr("bool", c, 1)
	}
	return "SELECT x.id, " + g.list(c, 1, 1) + " FROM t1 x WHERE " + w, false
}

func (g *gen) qSubqSelect() (string, bool) {
	c := t1cols("x")
	inner := append(t2cols("y"), c...)
	var p []string
	for i := 0; i < 2; i++ {
		switch g.r.Intn(4) {
		case 0:
			p = append(p, "(SELECT "+g.pick("max", "min", "sum", "count", "avg")+"(y.v) FROM t2 y WHERE y.t1_id = x.id AND "+g.expr("bool", inner, 1)+")")
		case 1:
			p = append(p, "(SELECT string_agg(y.name, ',' ORDER BY y.name, y.id) FROM t2 y WHERE y.t1_id = x.id)")
		case 2:
			p = append(p, "("+g.subqPred(c)+")")
		default:
			p = append(p, "(SELECT y.name FROM t2 y WHERE y.t1_id = x.id ORDER BY y.id "+g.pick("", "DESC")+" LIMIT 1)")
		}
	}
	return "SELECT x.id, " + strings.Join(p, ", ") + " FROM t1 x", false
}

func (g *gen) agg(c []col) string {
	switch g.r.Intn(16) {
	case 0:
		return "count(*)"
	case 1:
		return "count(DISTINCT " + g.expr(g.pick("int", "text", "num"), c, 1) + ")"
	case 2:
		return "sum(" + g.expr(g.pick("int", "num"), c, 1) + ")"
	case 3:
		return "avg(" + g.expr(g.pick("int", "num"), c, 1) + ")"
	case 4:
		return g.pick("min", "max") + "(" + g.expr(g.pick("int", "text", "date", "num"), c, 1) + ")"
	case 5:
		e := g.expr("text", c, 1)
		return "string_agg(" + e + ", '|' ORDER BY " + e + " " + g.pick("", "DESC", "NULLS FIRST") + ", x.id)"
	case 6:
		e := g.expr("int", c, 1)
		return "array_agg(" + e + " ORDER BY " + e + " " + g.pick("", "DESC") + ", x.id)"
	case 7:
		return g.pick("bool_and", "bool_or") + "(" + g.expr("bool", c, 1) + ")"
	case 8:
		return "round(" + g.pick("stddev", "variance", "stddev_pop") + "(" + g.expr(g.pick("int", "num"), c, 1) + "), 6)"
	case 9:
		return "count(" + g.expr(g.anyType(), c, 1) + ") FILTER (WHERE " + g.expr("bool", c, 1) + ")"
	case 10:
		return "sum(DISTINCT " + g.expr("int", c, 1) + ")"
	case 11:
		e := g.expr(g.pick("int", "text"), c, 0)
		return "jsonb_agg(" + e + " ORDER BY " + e + ", x.id)"
	case 12:
		return "count(" + g.expr(g.anyType(), c, 1) + ")"
	case 13:
		return "max(" + g.expr("float", c, 1) + ")"
	case 14:
		e := g.expr(g.pick("int", "text"), c, 0)
		return "array_agg(DISTINCT " + e + " ORDER BY " + e + " " + g.pick("", "DESC NULLS LAST") + ")"
	default:
		return "avg(" + g.expr("float", c, 1) + ")"
	}
}

func (g *gen) qGroup() (string, bool) {
	c := t1cols("x")
	from := "t1 x"
	if g.chance(0.4) {
		from, c = g.joinClause()
	}
	key := g.expr(g.pick("int", "text", "bool", "date"), c, 1)
	q := "SELECT " + key + " AS k, " + g.agg(c) + ", " + g.agg(c) + " FROM " + from
	if g.chance(0.3) {
		q += " WHERE " + g.expr("bool", c, 1)
	}
	q += " GROUP BY " + key
	if g.chance(0.5) {
		switch g.r.Intn(3) {
		case 0:
			q += " HAVING " + g.agg(c) + " IS NOT NULL AND count(*) > " + g.pick("0", "1")
		case 1:
			q += " HAVING count(*) " + g.pick(">", "<=") + " (SELECT count(*) FROM t3 z WHERE z.k > " + g.pick("0", "5") + ") / 3"
		default:
			q += " HAVING " + g.pick("sum", "max", "min") + "(x.id) > " + g.pick("3", "6")
		}
	}
	return q, false
}

func (g *gen) qWindow() (string, bool) {
	c := t1cols("x")
	part := ""
	if g.chance(0.6) {
		part = "PARTITION BY " + g.expr(g.pick("int", "bool", "text"), c, 1) + " "
	}
	ord := "ORDER BY " + g.expr(g.pick("int", "num", "text", "date"), c, 1) + " " + g.pick("", "DESC", "NULLS FIRST", "DESC NULLS LAST") + ", x.id"
	frame := ""
	if g.chance(0.5) {
		frame = " " + g.pick("ROWS", "RANGE", "GROUPS") + " BETWEEN " + g.pick("UNBOUNDED PRECEDING", "1 PRECEDING", "CURRENT ROW") + " AND " + g.pick("CURRENT ROW", "1 FOLLOWING", "UNBOUNDED FOLLOWING")
		if strings.HasPrefix(frame, " RANGE") && strings.Contains(frame, "1 ") {
			frame = " ROWS" + frame[6:]
		}
	}
	var fns []string
	for i := 0; i < 2; i++ {
		switch g.r.Intn(9) {
		case 0:
			fns = append(fns, g.pick("row_number()", "rank()", "dense_rank()", "ntile(3)", "percent_rank()", "cume_dist()")+" OVER ("+part+ord+")")
		case 1:
			fns = append(fns, g.pick("lag", "lead")+"("+g.expr(g.pick("int", "text"), c, 1)+g.pick("", ", 2", ", 1, -1")+") OVER ("+part+ord+")")
		case 2, 3:
			fns = append(fns, g.pick("sum", "count", "min", "max", "avg")+"("+g.expr("int", c, 1)+") OVER ("+part+ord+frame+")")
		case 4:
			fns = append(fns, g.pick("first_value", "last_value")+"("+g.expr(g.pick("int", "text"), c, 1)+") OVER ("+part+ord+frame+")")
		case 5:
			fns = append(fns, "count(*) OVER ("+part+")")
		case 6:
			fns = append(fns, "nth_value("+g.expr("int", c, 0)+", 2) OVER ("+part+ord+frame+")")
		case 7:
			fns = append(fns, "sum("+g.expr("num", c, 1)+") OVER ("+part+ord+frame+")")
		default:
			fns = append(fns, "string_agg("+g.expr("text", c, 0)+", ',') OVER ("+part+ord+frame+")")
		}
	}
	q := "SELECT x.id, " + strings.Join(fns, ", ") + " FROM t1 x"
	if g.chance(0.3) {
		q += " WHERE " + g.expr("bool", c, 1)
	}
	return q, false
}

func (g *gen) qCTE() (string, bool) {
	c := t1cols("x")
	def := "SELECT x.id, x.a, x.s, " + g.expr("int", c, 2) + " AS e FROM t1 x WHERE " + g.expr("bool", c, 2)
	cc := []col{{"c.id", "int"}, {"c.a", "int"}, {"c.s", "text"}, {"c.e", "int"}}
	cc2 := append(append([]col{}, cc...), t2cols("y")...)
	switch g.r.Intn(3) {
	case 0:
		return "WITH c AS (" + def + ") SELECT c.id, " + g.list(cc, 2, 2) + " FROM c", false
	case 1:
		return "WITH c AS " + g.pick("", "MATERIALIZED ") + "(" + def + ") SELECT c.id, y.id, " + g.list(cc2, 2, 1) + " FROM c " + g.pick("JOIN", "LEFT JOIN", "FULL JOIN") + " t2 y ON y.t1_id = c.id", false
	default:
		return "WITH c AS (" + def + "), d AS (SELECT c.e, count(*) AS n FROM c GROUP BY c.e) SELECT d.e, d.n, (SELECT count(*) FROM c WHERE c.e = d.e) FROM d", false
	}
}

func (g *gen) qRCTE() (string, bool) {
	switch g.r.Intn(3) {
	case 0:
		lim := g.pick("5", "10", "0")
		return "WITH RECURSIVE r(n, acc) AS (SELECT 1, " + g.pick("1", "0", "-2") + " UNION " + g.pick("", "ALL ") + "SELECT n + 1, acc * 2 " + g.pick("+", "-") + " n FROM r WHERE n < " + lim + ") SELECT n, acc FROM r", false
	case 1:
		return "WITH RECURSIVE r(id, depth, path) AS (SELECT x.id, 0, x.id::text FROM t1 x WHERE x.a " + g.pick("= 10", "IS NULL", "< 0") + " UNION ALL SELECT y.id, r.depth + 1, r.path || '>' || y.id FROM r JOIN t2 y ON y.t1_id = r.id WHERE r.depth < 3) SELECT id, depth, path FROM r", false
	default:
		return "WITH RECURSIVE r(v) AS (SELECT DISTINCT x.a FROM t1 x WHERE x.a IS NOT NULL UNION SELECT (r.v / 2) FROM r WHERE r.v <> 0) SELECT v, " + g.pick("count(*) OVER ()", "v % 3") + " FROM r", false
	}
}

func (g *gen) setSide() string {
	switch g.r.Intn(4) {
	case 0:
		c := t1cols("x")
		return "SELECT " + g.expr("int", c, 1) + ", " + g.expr("text", c, 1) + " FROM t1 x WHERE " + g.expr("bool", c, 1)
	case 1:
		c := t2cols("y")
		return "SELECT " + g.expr("int", c, 1) + ", " + g.expr("text", c, 1) + " FROM t2 y"
	case 2:
		return "SELECT z.k, z.note FROM t3 z"
	default:
		return "VALUES (1, 'a'), (NULL, NULL), (7, 'Seven'), (1, 'a')"
	}
}

func (g *gen) qSetop() (string, bool) {
	op := g.pick("UNION", "INTERSECT", "EXCEPT") + g.pick("", " ALL")
	q := g.setSide() + " " + op + " " + g.setSide()
	if g.chance(0.3) {
		q = "(" + q + ") " + g.pick("UNION", "EXCEPT ALL", "INTERSECT") + " (" + g.setSide() + ")"
	}
	if g.chance(0.3) {
		return q + " ORDER BY 1 " + g.pick("", "DESC", "NULLS FIRST") + ", 2 " + g.pick("", "DESC NULLS LAST") + " LIMIT " + g.pick("3", "5", "ALL"), true
	}
	return q, false
}

func (g *gen) qDistinct() (string, bool) {
	c := t1cols("x")
	if g.chance(0.5) {
		return "SELECT DISTINCT " + g.list(c, 2, 1) + " FROM t1 x", false
	}
	k := g.expr(g.pick("int", "text", "bool"), c, 1)
	e := g.expr(g.pick("int", "text", "date"), c, 1)
	return "SELECT DISTINCT ON (" + k + ") " + k + ", " + e + ", x.id FROM t1 x ORDER BY " + k + " " + g.pick("", "DESC", "NULLS FIRST") + ", " + e + " " + g.pick("", "DESC") + ", x.id", true
}

func (g *gen) qOrder() (string, bool) {
	c := t1cols("x")
	if g.chance(0.3) {
		from, cj := g.joinClause()
		e := g.expr(g.pick("int", "text", "num", "date", "float", "bool"), cj, 1)
		return fmt.Sprintf("SELECT x.id, y.id, %s FROM %s ORDER BY 3 %s, 1 NULLS FIRST, 2 NULLS FIRST LIMIT %s OFFSET %s", e, from,
			g.pick("", "DESC", "NULLS FIRST", "ASC NULLS LAST", "DESC NULLS FIRST"), g.pick("3", "5", "10"), g.pick("0", "2", "7")), true
	}
	e := g.expr(g.pick("int", "text", "num", "date", "float", "bool", "ts"), c, 2)
	return fmt.Sprintf("SELECT x.id, %s FROM t1 x ORDER BY 2 %s, x.id %s LIMIT %s OFFSET %s", e,
		g.pick("", "DESC", "NULLS FIRST", "ASC NULLS LAST", "DESC NULLS FIRST"), g.pick("", "DESC"), g.pick("3", "5", "10", "ALL"), g.pick("0", "2", "7")), true
}

func t4cols(w string) []col {
	return []col{{w + ".id", "int"}, {w + ".i2", "int"}, {w + ".i8", "int"}, {w + ".f4", "float"},
		{w + ".vc", "text"}, {w + ".ch", "text"}, {w + ".n", "num"}}
}

// t4expr is an expression over t4's less common types.
func (g *gen) t4expr() string {
	switch g.r.Intn(24) {
	case 0:
		return "w.i2 " + g.pick("+", "*", "-") + " " + g.pick("w.i2", "1::int2", "w.id")
	case 1:
		return "w.i8 " + g.pick("*", "+", "/", "%") + " " + g.pick("w.i8", "2", "w.i2")
	case 2:
		return "w.f4 " + g.pick("*", "+", "/") + " " + g.pick("w.f4", "3", "0.1")
	case 3:
		return "w.vc || w.ch"
	case 4:
		return g.pick("length", "octet_length", "upper", "rtrim") + "(w.ch)"
	case 5:
		return "w.ch = " + g.pick("'x'", "'x   '", "'abcd'", "w.vc")
	case 6:
		return "w.iv " + g.pick("+", "-") + " " + g.pick("w.iv", "interval '1 day'", "interval '-3 hours'")
	case 7:
		return "w.ts " + g.pick("+", "-") + " w.iv"
	case 8:
		return "extract(" + g.pick("epoch", "day", "month", "year", "dow", "doy", "hour", "isodow", "week", "quarter") + " from " + g.pick("w.ts", "w.iv") + ")"
	case 9:
		return "date_part('" + g.pick("epoch", "day", "hour", "minute") + "', w.ts)"
	case 10:
		return "justify_" + g.pick("hours", "days", "interval") + "(w.iv)"
	case 11:
		return "w.iv * " + g.pick("2", "0.5", "w.id")
	case 12:
		return "to_char(w.ts, '" + g.pick("YYYY-MM-DD HH24:MI:SS", "Mon DD YYYY", "DDD IW", "HH12:MI AM") + "')"
	case 13:
		return "to_char(w.n, '" + g.pick("999D99", "FM999999.000", "9.99EEEE", "S999") + "')"
	case 14:
		return "w.n " + g.pick("/", "*", "%", "+") + " " + g.pick("3", "w.n", "0.7", "w.i8")
	case 15:
		return g.pick("round", "trunc", "ceil", "floor", "sign") + "(w.n" + g.pick("", ", 1", ", -1") + ")"
	case 16:
		return "w." + g.pick("i2", "i8", "f4", "n", "iv", "ts", "vc", "ch") + "::text"
	case 17:
		return "w." + g.pick("i8", "f4", "n") + "::" + g.pick("int2", "int4", "int8", "numeric(6,1)", "float4", "float8")
	case 18:
		return "age(w.ts, timestamp '2000-01-01')"
	case 19:
		return "date_trunc('" + g.pick("month", "week", "quarter", "day") + "', w.ts)"
	case 20:
		return "w.ts::date " + g.pick("-", "+") + " " + g.pick("1", "w.id")
	case 21:
		return "power(w.n, 2)"
	case 22:
		return "w.vc " + g.pick("<", "=", ">=") + " w.ch"
	default:
		return g.pick("abs", "-", "@") + " w." + g.pick("i2", "i8", "f4", "n")
	}
}

func (g *gen) qTypes() (string, bool) {
	q := "SELECT w.id, " + g.t4expr() + ", " + g.t4expr() + " FROM t4 w"
	if g.chance(0.3) {
		q += " WHERE " + g.expr("bool", t4cols("w"), 2)
	}
	return q, false
}

// fn is a call of a less common scalar function.
func (g *gen) fn(c []col) string {
	t := func() string { return g.expr("text", c, 1) }
	i := func() string { return g.expr("int", c, 1) }
	switch g.r.Intn(30) {
	case 0:
		return "strpos(" + t() + ", " + g.pick("'a'", "'an'", "''") + ")"
	case 1:
		return "regexp_replace(" + t() + ", " + g.pick("'[aeiou]'", "'(a)(n)'", "'^.'") + ", " + g.pick("'X'", "'\\2\\1'", "''") + g.pick("", ", 'g'", ", 'i'") + ")"
	case 2:
		return g.pick("btrim", "ltrim", "rtrim") + "(" + t() + ", " + g.pick("'a'", "'Ae'", "' '") + ")"
	case 3:
		return "translate(" + t() + ", 'ab', 'x')"
	case 4:
		return "format('%s-%L-%I', " + t() + ", " + t() + ", " + t() + ")"
	case 5:
		return "starts_with(" + t() + ", " + g.pick("'a'", "'A'", "''") + ")"
	case 6:
		return "md5(coalesce(" + t() + ", ''))"
	case 7:
		return "ascii(" + t() + ")"
	case 8:
		return "repeat(" + t() + ", " + g.pick("2", "0", "-1") + ")"
	case 9:
		return "array_position(" + g.expr("arr", c, 1) + ", " + i() + ")"
	case 10:
		return "array_to_string(" + g.expr("arr", c, 1) + ", ','" + g.pick("", ", '*'") + ")"
	case 11:
		return "jsonb_typeof(" + g.expr("jsonb", c, 1) + ")"
	case 12:
		return "jsonb_set(" + g.expr("jsonb", c, 0) + ", '{k}', " + g.pick("'5'", "'null'", "'[1]'") + g.pick("", ", false") + ")"
	case 13:
		return "jsonb_strip_nulls(" + g.expr("jsonb", c, 0) + ")"
	case 14:
		return "(" + g.expr("jsonb", c, 0) + " #>> '{nested,a,1,b}')"
	case 15:
		return "(" + g.expr("jsonb", c, 0) + " -> " + g.pick("-1", "1", "'arr'") + ")"
	case 16:
		return "jsonb_array_length(CASE WHEN jsonb_typeof(" + g.expr("jsonb", c, 0) + ") = 'array' THEN " + g.expr("jsonb", c, 0) + " END)"
	case 17:
		return "(" + g.expr("jsonb", c, 0) + " ?| array['k','t'])"
	case 18:
		return "(" + i() + ")::" + g.pick("numeric(5,1)", "float8", "int8", "text", "bool", "int2")
	case 19:
		return "(" + t() + ")::" + g.pick("varchar(3)", "char(3)", "name", "int")
	case 20:
		return g.pick("mod", "div", "gcd") + "(" + i() + ", " + g.pick("3", "-4", "7") + ")"
	case 21:
		return "power(" + g.expr("num", c, 1) + ", 2)"
	case 22:
		return "(" + g.expr("num", c, 1) + " / " + g.pick("3", "7", "-0.3") + ")"
	case 23:
		return "make_date(2024, " + g.pick("1", "2", "12") + ", " + g.pick("1", "29", "31") + ")"
	case 24:
		return "extract(" + g.pick("year", "month", "dow", "doy", "epoch", "julian") + " from " + g.expr("date", c, 1) + ")"
	case 25:
		return "to_char(" + g.expr("ts", c, 1) + ", 'YYYY-MM-DD HH24:MI:SS TZ')"
	case 26:
		return "(" + g.expr("date", c, 1) + " - " + g.expr("ts", c, 0) + ")"
	case 27:
		return "age(" + g.expr("date", c, 0) + "::timestamp, date '2000-02-29'::timestamp)"
	case 28:
		return "round(" + g.expr("float", c, 1) + ")"
	default:
		return "(" + i() + " " + g.pick("&", "|", "#", "<<", ">>") + " " + g.pick("1", "3", "2") + ")"
	}
}

func (g *gen) qFuncs() (string, bool) {
	c := t1cols("x")
	return "SELECT x.id, " + g.fn(c) + ", " + g.fn(c) + " FROM t1 x", false
}

func (g *gen) qLateral() (string, bool) {
	c := t1cols("x")
	inner := append(t2cols("y"), c...)
	switch g.r.Intn(4) {
	case 0:
		return "SELECT x.id, l.v, l.name FROM t1 x " + g.pick("CROSS JOIN", "LEFT JOIN") + " LATERAL (SELECT y.v, y.name FROM t2 y WHERE y.t1_id = x.id AND " + g.expr("bool", inner, 1) + " ORDER BY y.v " + g.pick("", "DESC") + " NULLS LAST, y.id LIMIT " + g.pick("1", "2") + ") l" + g.pick("", " ON true"), false
	case 1:
		return "SELECT x.id, e.value FROM t1 x, LATERAL unnest(x.arr) AS e(value) WHERE " + g.expr("bool", c, 1), false
	case 2:
		return "SELECT x.id, k, v FROM t1 x, LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(x.j) = 'object' THEN x.j END) AS e(k, v)", false
	default:
		return "SELECT d.k, d.n, y.name FROM (SELECT x.a AS k, count(*) AS n FROM t1 x GROUP BY x.a) d " + g.pick("JOIN", "LEFT JOIN", "FULL JOIN") + " t2 y ON y.v = d.k", false
	}
}

func (g *gen) qGroupingSets() (string, bool) {
	c := t1cols("x")
	k1 := g.expr(g.pick("int", "bool", "text"), c, 0)
	k2 := g.expr(g.pick("int", "bool", "date"), c, 0)
	gs := g.pick("ROLLUP ("+k1+", "+k2+")", "CUBE ("+k1+", "+k2+")", "GROUPING SETS (("+k1+"), ("+k2+"), ())")
	return "SELECT " + k1 + ", " + k2 + ", " + g.agg(c) + ", GROUPING(" + k1 + ", " + k2 + ") FROM t1 x GROUP BY " + gs, false
}

func (g *gen) qInSelect() (string, bool) {
	c := t1cols("x")
	var p []string
	for i := 0; i < 3; i++ {
		switch g.r.Intn(5) {
		case 0:
			p = append(p, g.expr("int", c, 1)+" "+g.pick("IN", "NOT IN")+" (SELECT z.k FROM t3 z"+g.pick("", " WHERE z.k IS NOT NULL", " WHERE z.k > 5")+")")
		case 1:
			p = append(p, g.expr("int", c, 1)+" "+g.pick("=", "<>", "<", ">")+" "+g.pick("ANY", "ALL")+" ("+g.pick("x.arr", "'{1,NULL}'::int[]", "'{}'::int[]", "ARRAY[x.a, 7]")+")")
		case 2:
			p = append(p, "(SELECT z.note FROM t3 z WHERE z.k = x.a "+g.pick("LIMIT 1", "ORDER BY z.note NULLS FIRST LIMIT 1", "OFFSET 1 LIMIT 1")+")")
		case 3:
			p = append(p, "ARRAY(SELECT y.v FROM t2 y WHERE y.t1_id = x.id ORDER BY y.v NULLS FIRST)")
		default:
			p = append(p, "(SELECT count(*) FROM t2 y WHERE y.v "+g.pick(">", "=", "IS DISTINCT FROM")+" x.a)")
		}
	}
	return "SELECT x.id, " + strings.Join(p, ", ") + " FROM t1 x", false
}

func (g *gen) qWindowFrames() (string, bool) {
	c := t1cols("x")
	part := ""
	if g.chance(0.5) {
		part = "PARTITION BY " + g.pick("x.f", "x.a > 5", "x.s IS NULL") + " "
	}
	var ord, off string
	switch g.r.Intn(4) {
	case 0:
		ord, off = "x.a", g.pick("1", "5", "0")
	case 1:
		ord, off = "x.b", g.pick("1.5", "0", "10")
	case 2:
		ord, off = "x.d", "interval '"+g.pick("1 month", "30 days", "1 year")+"'"
	default:
		ord, off = "x.c", g.pick("0.5", "2")
	}
	dir := g.pick("", " DESC", " NULLS FIRST", " DESC NULLS LAST")
	frame := "RANGE BETWEEN " + g.pick(off+" PRECEDING", "UNBOUNDED PRECEDING", "CURRENT ROW") + " AND " + g.pick(off+" FOLLOWING", "CURRENT ROW", "UNBOUNDED FOLLOWING")
	if g.chance(0.3) {
		frame = g.pick("ROWS", "GROUPS") + " BETWEEN " + g.pick("2 PRECEDING", "UNBOUNDED PRECEDING", "CURRENT ROW") + " AND " + g.pick("1 FOLLOWING", "CURRENT ROW", "UNBOUNDED FOLLOWING")
	}
	if g.chance(0.4) {
		frame += " EXCLUDE " + g.pick("CURRENT ROW", "GROUP", "TIES", "NO OTHERS")
	}
	tie := ""
	if !strings.HasPrefix(frame, "RANGE") {
		tie = ", x.id" // ROWS and GROUPS over peers in any order differ
	}
	w := "OVER (" + part + "ORDER BY " + ord + dir + tie + " " + frame + ")"
	fn := g.pick("sum(x.id)", "count(*)", "min(x.id)", "max(x.a)", "string_agg(x.id::text, ',' ORDER BY x.id)", "array_agg(x.id)", "first_value(x.id)", "last_value(x.id)", "avg(x.b)", "count(x.s) FILTER (WHERE x.f)")
	if strings.HasPrefix(fn, "string_agg") || strings.HasPrefix(fn, "array_agg") || tie == "" && strings.Contains(fn, "_value") {
		// aggregates with their own ORDER BY are not window functions;
		// the frame order decides, so break ties by id in a wrapper.
		fn = "count(*)"
	}
	q := "SELECT x.id, " + ord + ", " + fn + " " + w + " FROM t1 x"
	if g.chance(0.3) {
		q += " WHERE " + g.expr("bool", c, 1)
	}
	return q, false
}

func (g *gen) qSetTypes() (string, bool) {
	l := g.pick("SELECT x.a FROM t1 x", "SELECT x.b FROM t1 x", "SELECT x.c FROM t1 x", "SELECT w.i2 FROM t4 w", "SELECT w.i8 FROM t4 w", "SELECT w.n FROM t4 w", "SELECT w.f4 FROM t4 w", "SELECT NULL", "SELECT 1.50")
	r := g.pick("SELECT y.v FROM t2 y", "SELECT z.k FROM t3 z", "SELECT w.n FROM t4 w", "SELECT 2.0::float4", "SELECT NULL::int8", "VALUES (1), (1.0), (NULL)")
	ls := g.pick("SELECT x.s FROM t1 x", "SELECT w.vc FROM t4 w", "SELECT w.ch FROM t4 w", "SELECT 'x'")
	rs := g.pick("SELECT y.name FROM t2 y", "SELECT w.ch FROM t4 w", "SELECT w.vc FROM t4 w", "SELECT 'x  '::char(3)", "SELECT NULL")
	op := g.pick("UNION", "UNION ALL", "INTERSECT", "EXCEPT", "INTERSECT ALL", "EXCEPT ALL")
	if g.chance(0.4) {
		return "SELECT concat(v, '|'), pg_typeof(v) FROM (" + ls + " " + op + " " + rs + ") s(v)", false
	}
	return "SELECT v, pg_typeof(v) FROM (" + l + " " + op + " " + r + ") s(v)", false
}

func (g *gen) qCasts() (string, bool) {
	src := g.pick("'12'", "' 12 '", "'1e3'", "'-0'", "'12.5'", "'abc'", "''", "'2024-02-30'", "'2024-02-29'", "'yes'", "'off'", "'t'", "'NaN'", "'Infinity'", "'-32769'", "'9223372036854775808'", "'0x1F'", "'1_000'", "'{1,2}'", "'[1,2]'", "'{\"a\":1}'", "'  true  '", "'epoch'", "'allballs'", "'1 day 2 hours'", "'P1D'")
	to := g.pick("int2", "int4", "int8", "numeric", "numeric(4,1)", "float4", "float8", "bool", "date", "timestamp", "time", "interval", "jsonb", "int[]", "text", "varchar(2)", "char(2)", "uuid", "bytea")
	return "SELECT " + src + "::" + to + "::text", false
}

func (g *gen) qJoinUsing() (string, bool) {
	c := append(t2cols("y"), t3cols("z")...)
	switch g.r.Intn(4) {
	case 0:
		return "SELECT k, y.id, z.note FROM (SELECT t1_id AS k, id, name FROM t2) y " + g.pick("JOIN", "LEFT JOIN", "FULL JOIN", "RIGHT JOIN") + " t3 z USING (k)", false
	case 1:
		return "SELECT * FROM (SELECT v AS k, name FROM t2) y NATURAL " + g.pick("JOIN", "LEFT JOIN", "FULL JOIN") + " (SELECT k, note FROM t3) z", false
	case 2:
		return "SELECT y.id, z.k FROM t2 y " + g.pick("JOIN", "LEFT JOIN", "FULL JOIN") + " t3 z ON y.v IS NOT DISTINCT FROM z.k", false
	default:
		return "SELECT y.id, z.k, " + g.expr("text", c, 1) + " FROM t2 y " + g.pick("JOIN", "LEFT JOIN", "FULL JOIN") + " t3 z ON y.v = z.k AND " + g.expr("bool", c, 1) + " WHERE " + g.expr("bool", c, 1), false
	}
}

func (g *gen) qNested() (string, bool) {
	c := t1cols("x")
	switch g.r.Intn(4) {
	case 0:
		return "SELECT " + g.pick("count(*)", "sum(n)", "max(n)", "avg(n)") + " FROM (SELECT " + g.expr("int", c, 1) + " AS k, count(*) AS n FROM t1 x GROUP BY 1) s", false
	case 1:
		return "SELECT count(*), sum(x.a), max(x.s), bool_and(x.f) FROM t1 x WHERE " + g.expr("bool", c, 1) + " HAVING count(*) " + g.pick(">", "=", ">=") + " " + g.pick("0", "3"), false
	case 2:
		return "SELECT s.k, s.n FROM (SELECT " + g.expr("text", c, 1) + " AS k, count(*) AS n FROM t1 x GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3) s", false
	default:
		return "SELECT x.id FROM t1 x WHERE x.a = (SELECT max(y.v) FROM t2 y WHERE y.v < (SELECT avg(z.k) FROM t3 z WHERE z.k <> x.id))", false
	}
}

// qEdge evaluates a built-in function at edge arguments over the rows of
// t1 (NULLs, empty strings, negative numbers).
func (g *gen) qEdge() (string, bool) {
	n := func() string { return g.pick("-2", "-1", "0", "1", "2", "5", "x.a", "x.id") }
	s := func() string { return g.pick("x.s", "''", "'abc'", "'a,b,,c'", "NULL::text", "' x '") }
	var e string
	switch g.r.Intn(40) {
	case 0:
		e = "substr(" + s() + ", " + n() + ", " + n() + ")"
	case 1:
		e = g.pick("left", "right") + "(" + s() + ", " + n() + ")"
	case 2:
		e = "repeat(" + s() + ", " + n() + ")"
	case 3:
		e = g.pick("lpad", "rpad") + "(" + s() + ", " + n() + ", " + g.pick("''", "'xy'", "' '") + ")"
	case 4:
		e = "split_part(" + s() + ", ',', " + n() + ")"
	case 5:
		e = "overlay(" + s() + " placing 'ZZ' from " + g.pick("1", "2", "3") + g.pick("", " for 0", " for 2") + ")"
	case 6:
		e = "regexp_split_to_array(" + s() + ", " + g.pick("','", "''", "'b*'") + ")"
	case 7:
		e = "string_to_array(" + s() + ", " + g.pick("','", "''", "NULL") + g.pick("", ", ''", ", 'b'") + ")"
	case 8:
		e = "array_to_string(x.arr, " + g.pick("','", "''") + g.pick("", ", 'N'", ", NULL") + ")"
	case 9:
		e = "round(x.b, " + n() + ")"
	case 10:
		e = "trunc(x.b, " + n() + ")"
	case 11:
		e = "(x.b / " + g.pick("3", "7.0", "x.a", "0.003", "-1.5") + ")"
	case 12:
		e = g.pick("sqrt", "exp", "ln", "log10", "abs", "ceil", "floor", "sign") + "(" + g.pick("x.b", "abs(x.b)", "x.b + 1") + ")"
	case 13:
		e = "(x.c / " + g.pick("0", "x.a", "3") + ")"
	case 14:
		e = "(x.a * " + g.pick("2147483647", "-2147483648", "100000") + ")"
	case 15:
		e = "(x.c)::" + g.pick("int", "int8", "int2", "numeric(6,2)")
	case 16:
		e = "(x.b)::" + g.pick("int", "int2", "float4", "numeric(4,1)", "numeric(3,0)")
	case 17:
		e = "(x.b % " + g.pick("2", "-0.3", "x.a") + ")"
	case 18:
		e = "extract(" + g.pick("epoch", "hour", "minute", "second", "day", "month", "year", "milliseconds", "microseconds") + " from (x.ts - " + g.pick("timestamptz '2020-01-01 00:00+00'", "x.d::timestamptz") + "))"
	case 19:
		e = "to_char(x.ts, '" + g.pick("FMMonth DD, YYYY", "Day", "YYYY-\"W\"IW", "HH24:MI:SS.MS", "J", "Q", "DY dy Dy", "TZ OF", "YYYY-MM-DD\"T\"HH24:MI:SSOF", "FMDDth", "WW W") + "')"
	case 20:
		e = "to_char(x.b, '" + g.pick("FM9999.99", "9,999.00", "S0000.0", "PR9999.99", "FM0.000EEEE", "999D9MI", "RN", "FMRN") + "')"
	case 21:
		e = "make_interval(days => " + n() + ", hours => " + n() + ")"
	case 22:
		e = "(x.ts - " + g.pick("interval '1 mon'", "interval '1.5 days'", "interval '-1 year 2 hours'") + ")"
	case 23:
		e = "justify_interval(interval '1 mon -1 day' * " + n() + ")"
	case 24:
		e = "date_part('" + g.pick("dow", "isodow", "week", "isoyear", "century", "decade", "millennium", "julian") + "', x.d)"
	case 25:
		e = "(x.j || " + g.pick("'[9]'", "'{\"k\": 99}'", "'5'", "x.j") + ")"
	case 26:
		e = "(x.j - " + g.pick("0", "-1", "'t'", "'{k,t}'::text[]") + ")"
	case 27:
		e = "(x.j #- '{" + g.pick("k", "nested,a,0", "0", "arr,1") + "}')"
	case 28:
		e = "jsonb_insert(x.j, '{" + g.pick("k", "arr,0", "z") + "}', '1'" + g.pick("", ", true") + ")"
	case 29:
		e = "(x.j " + g.pick("<", ">=", "=") + " " + g.pick("'{\"k\": 1}'", "'[1]'", "'\"str\"'", "'{}'", "'null'") + ")"
	case 30:
		e = "jsonb_build_object('s', x.s, 'n', x.b, 'a', x.arr, 'd', x.d, 'f', x.c)"
	case 31:
		e = "to_jsonb(x.ts)"
	case 32:
		e = "row_to_json(row(x.id, x.s, x.b))"
	case 33:
		e = "(x.j -> " + g.pick("-1", "-3", "5", "'nested' -> 'a' -> 1") + ")"
	case 34:
		e = "jsonb_object_keys(CASE WHEN jsonb_typeof(x.j) = 'object' THEN x.j END)"
	case 35:
		e = "array_position(x.arr, NULL)"
	case 36:
		e = "(x.arr)[" + n() + ":" + n() + "]"
	case 37:
		e = "array_remove(x.arr, NULL)"
	case 38:
		e = "(x.arr = '{}' OR x.arr > '{2}')"
	default:
		e = "(x.d - " + g.pick("x.ts", "timestamp '2024-01-01'", "interval '1 day'") + ")"
	}
	return "SELECT x.id, " + e + " FROM t1 x", false
}

// qMisc covers clause combinations: subqueries in ON, ORDER BY and GROUP
// BY, FETCH ... WITH TIES, CTEs read twice, SEARCH/CYCLE, VALUES, and
// aggregates over empty input.
func (g *gen) qMisc() (string, bool) {
	c := t1cols("x")
	w := g.expr("bool", c, 1)
	switch g.r.Intn(16) {
	case 0:
		return "SELECT x.id, y.id FROM t1 x JOIN t2 y ON y.t1_id = x.id AND y.v " + g.pick(">", "=", "<") + " (SELECT min(z.k) FROM t3 z WHERE z.k > x.id % 3)", false
	case 1:
		return "SELECT x.id FROM t1 x ORDER BY (SELECT count(*) FROM t2 y WHERE y.t1_id = x.id) DESC, x.id LIMIT " + g.pick("3", "5"), true
	case 2:
		return "SELECT (SELECT count(*) FROM t2 y WHERE y.t1_id = x.id) AS n, count(*) FROM t1 x GROUP BY 1", false
	case 3:
		return "SELECT x.id, x.a FROM t1 x ORDER BY x.a " + g.pick("", "DESC", "NULLS FIRST") + " FETCH FIRST " + g.pick("1", "2", "3") + " ROWS WITH TIES", false
	case 4:
		return "WITH c AS (SELECT x.id, x.a FROM t1 x WHERE " + w + ") SELECT c1.id, c2.id FROM c c1 " + g.pick("JOIN", "LEFT JOIN", "FULL JOIN") + " c c2 ON c1.a = c2.a AND c1.id < c2.id", false
	case 5:
		return "WITH RECURSIVE r(id, p) AS (SELECT id, t1_id FROM t2 WHERE id = " + g.pick("1", "4", "7") + " UNION ALL SELECT y.id, y.t1_id FROM r JOIN t2 y ON y.t1_id = r.p % 12 + 1) CYCLE id SET is_cycle USING path SELECT id, p, is_cycle FROM r", false
	case 6:
		return "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < " + g.pick("3", "5") + ") SEARCH " + g.pick("DEPTH", "BREADTH") + " FIRST BY n SET ord SELECT n, ord FROM r ORDER BY ord", true
	case 7:
		return "SELECT v.a, v.b, x.id FROM (VALUES (1, 'x'), (NULL, 'y'), (7, NULL), (1, 'x')) v(a, b) " + g.pick("JOIN", "LEFT JOIN", "FULL JOIN") + " t1 x ON x.a = v.a", false
	case 8:
		return "SELECT count(*), sum(x.a), avg(x.b), max(x.s), string_agg(x.s, ','), array_agg(x.id), bool_and(x.f), every(x.f), jsonb_agg(x.a), json_object_agg(x.s, x.a) FROM t1 x WHERE false", false
	case 9:
		return "SELECT x.f, count(*) FROM t1 x WHERE false GROUP BY x.f", false
	case 10:
		return "SELECT count(*) FROM t1 x WHERE false GROUP BY ()", false
	case 11:
		return "SELECT string_agg(x.s, " + g.pick("NULL", "''", "x.s") + " ORDER BY x.id) FROM t1 x", false
	case 12:
		return "SELECT x.id, (SELECT y.v FROM t2 y WHERE y.t1_id = x.id" + g.pick("", " ORDER BY y.id LIMIT 1", " AND y.id % 2 = 0") + ") FROM t1 x", false
	case 13:
		return "SELECT x.id, l.n FROM t1 x LEFT JOIN LATERAL (SELECT count(*) AS n, max(y.v) AS m FROM t2 y WHERE y.t1_id = x.id) l ON l.m IS NOT NULL", false
	case 14:
		return "SELECT x.a, count(*) FILTER (WHERE x.f), count(DISTINCT x.s) FILTER (WHERE x.b > 0) FROM t1 x GROUP BY x.a HAVING count(*) FILTER (WHERE x.f IS NOT NULL) >= " + g.pick("0", "1"), false
	default:
		return "SELECT DISTINCT ON (x.a) x.a, x.id FROM t1 x ORDER BY x.a " + g.pick("", "DESC", "NULLS FIRST") + ", x.id " + g.pick("", "DESC") + " LIMIT " + g.pick("3", "ALL") + " OFFSET " + g.pick("0", "1"), true
	}
}
