package main

import "strings"

// Round 2 templates: DML with RETURNING (run inside a transaction that is
// rolled back; the table contents afterwards are compared too), casts and
// type input/output, and scalar built-ins with literal arguments.

// dmlTables maps a table to the query that dumps it after a DML statement.
var dmlTables = map[string]string{
	"t1": "SELECT id, a, b, s, f FROM t1 ORDER BY id",
	"t2": "SELECT id, t1_id, v, name FROM t2 ORDER BY id",
	"t5": "SELECT id, k, v, p FROM t5 ORDER BY id",
}

// qDML returns a data-modifying statement and the table it changes.
func (g *gen) qDML() (string, string) {
	val := func() string {
		return "(" + g.pick("1", "5", "13", "100", "NULL", "DEFAULT") + ", " + g.pick("'a'", "'b'", "'zz'", "NULL", "DEFAULT") + ", " + g.pick("1", "-1", "0", "NULL", "7") + ", " + g.pick("1", "2", "99", "NULL") + ")"
	}
	ret := g.pick(" RETURNING *", " RETURNING id, k", " RETURNING v * 2, upper(k)", "", " RETURNING t5")
	switch g.r.Intn(10) {
	case 0, 1:
		n := 1 + g.r.Intn(3)
		vs := make([]string, n)
		for i := range vs {
			vs[i] = val()
		}
		return "INSERT INTO t5 VALUES " + strings.Join(vs, ", ") + ret, "t5"
	case 2:
		return "INSERT INTO t5 (id, k, v) SELECT y.id + " + g.pick("0", "10", "20") + ", y.name, y.v FROM t2 y WHERE y.id " + g.pick("<", ">") + " 5" + g.pick("", " ON CONFLICT DO NOTHING", " ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v") + ret, "t5"
	case 3:
		return "INSERT INTO t5 VALUES " + val() + ", " + val() + " ON CONFLICT " + g.pick("(id)", "(k)", "(id) WHERE v > 0", "ON CONSTRAINT t5_pkey") + " DO " + g.pick("NOTHING", "UPDATE SET v = EXCLUDED.v + t5.v", "UPDATE SET k = EXCLUDED.k || '!' WHERE t5.v > 0", "UPDATE SET p = EXCLUDED.p", "UPDATE SET (k, v) = (EXCLUDED.k, t5.v - 1)") + ret, "t5"
	case 4:
		return "INSERT INTO t5 DEFAULT VALUES" + ret, "t5"
	case 5:
		return "UPDATE t5 SET v = v + y.v" + g.pick("", ", k = y.name") + " FROM t2 y WHERE y.id = t5.id" + g.pick("", " AND y.v > 0") + g.pick(" RETURNING t5.*, y.name", " RETURNING t5.id, t5.v", ""), "t5"
	case 6:
		return "UPDATE t5 SET " + g.pick("v = v * 100", "k = NULL", "p = 3", "id = id + 1", "v = -v", "p = NULL", "k = upper(k)", "v = DEFAULT") + " WHERE id " + g.pick("< 3", "= 2", "> 0", "IN (1, 3)") + ret, "t5"
	case 7:
		return "DELETE FROM t5 USING t2 y WHERE y.id = t5.id AND y.v " + g.pick("> 0", "IS NULL", "< 10") + g.pick(" RETURNING t5.id, y.name", " RETURNING *", ""), "t5"
	case 8:
		return "DELETE FROM t1 WHERE id " + g.pick("= 1", "= 4", "> 10", "IN (2, 3)") + g.pick(" RETURNING id, s", ""), "t1"
	default:
		return "UPDATE t2 SET t1_id = " + g.pick("1", "50", "NULL", "t1_id + 1") + " WHERE id " + g.pick("= 1", "< 4", "= 9") + g.pick(" RETURNING *", ""), "t2"
	}
}

var castSrc = []string{
	"'12'", "' 12 '", "'-0'", "'12.5'", "'abc'", "''", "'2024-02-30'", "'2024-02-29'", "'yes'", "'of'", "'NaN'", "'-Infinity'",
	"'-32768'", "'32768'", "'2147483648'", "'-9223372036854775808'", "'9223372036854775808'", "'1e308'", "'1e309'", "'1e-320'",
	"'0.1'", "'123456.789'", "'-1.5'", "'2.5'", "'{1,2,NULL}'", "'{{1,2},{3,4}}'", "'{\"a\":[1,{\"b\":null}]}'", "'[1,2.50,\"x\"]'",
	"'epoch'", "'infinity'", "'allballs'", "'24:00:00'", "'24:00:01'", "'1 day 2 hours'", "'P1Y2M3DT4H5M6S'", "'-1 year -2 mons +3 days'",
	"'1.5 months'", "'2024-03-10 02:30:00'", "'2024-11-03 01:30:00'", "'2024-01-01 00:00:00+05:30'", "'J2451545'", "'4714-11-24 BC'",
	"'294277-01-01'", "'12:34:56.7890123'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'A0EEBC999C0B4EF8BB6D6BB9BD380A11'", "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'",
	"'\\x48656c6c6f'", "'\\x4'", "'abc\\\\def'", "'1 2'", "'0x10'", "'1_000'", "'.5'", "'5.'", "'1e3'", "'true'", "' f '",
}

var castTo = []string{
	"int2", "int4", "int8", "numeric", "numeric(5,2)", "numeric(3)", "float4", "float8", "bool", "date", "time", "timetz",
	"timestamp", "timestamptz", "timestamp(0)", "interval", "interval(0)", "uuid", "bytea", "jsonb", "json", "int[]", "text[]", "float8[]",
	"varchar(3)", "char(3)",
}

func (g *gen) qCast2() (string, bool) {
	src := g.pick(castSrc...)
	to := g.pick(castTo...)
	if g.chance(0.3) {
		return "SELECT " + src + "::" + to, false
	}
	return "SELECT (" + src + "::" + to + ")::text", false
}

func (g *gen) numLit() string {
	return g.pick("0", "1", "-1", "2.5", "-2.5", "0.1", "1e10", "123.456", "1::int2", "32767::int2", "2147483647", "-2147483648", "9223372036854775807::int8",
		"'NaN'::numeric", "'Infinity'::float8", "'-0'::float8", "1.0::float4/3", "1.0/3", "100::numeric(10,3)", "0.5::float8", "1e-7::float8", "1e15::float8", "1e16::float8", "12345678.9::float4", "3.14159::float4")
}

func (g *gen) tsLit() string {
	return g.pick("timestamptz '2024-03-10 06:59:59+00'", "timestamptz '2024-11-03 05:30:00+00'", "timestamptz '2024-02-29 23:30:00-05'",
		"timestamp '2024-01-31 12:00:00'", "timestamp '1999-12-31 23:59:59.999999'", "date '2024-02-29'", "date '2000-01-01'",
		"timestamptz 'infinity'", "timestamp '0044-03-15 12:00 BC'", "now()::date - now()::date + date '2024-05-05'")
}

func (g *gen) ivLit() string {
	return g.pick("interval '1 day'", "interval '36 hours'", "interval '1 mon -1 day'", "interval '-1 year 2 mons'", "interval '1.5 days'",
		"interval '35 days 30 hours'", "interval '1 year 13 mons 45 days 49:00:00.5'", "interval '-2 hours 30 minutes'", "interval '0'", "interval '100 years'")
}

func (g *gen) strLit() string {
	return g.pick("'Hello, World'", "''", "'aXbXc'", "'  padded  '", "'ÄÖü straße'", "NULL::text", "'a,b,,c'", "'foo123bar45'", "'Mixed Case'", "'x'")
}

func (g *gen) jsonLit() string {
	return g.pick("'{\"a\": 1, \"b\": [1, 2, {\"c\": null}], \"d\": {\"e\": \"f\"}}'::jsonb", "'[1, \"2\", null, [3], {\"x\": 4}]'::jsonb", "'{}'::jsonb", "'[]'::jsonb",
		"'\"s\"'::jsonb", "'null'::jsonb", "'{\"a\": null, \"b\": {\"c\": null, \"d\": 1}}'::jsonb", "'12.50'::jsonb", "'{\"a\": {\"b\": {\"c\": 5}}}'::jsonb")
}

func (g *gen) arrLit() string {
	return g.pick("ARRAY[1, 2, NULL, 2, 3]", "'{}'::int[]", "ARRAY[NULL::int]", "ARRAY[[1, 2], [3, 4]]", "'{a,b,NULL,a}'::text[]", "'[0:2]={7,8,9}'::int[]", "ARRAY[2.5, 1.0]")
}

func (g *gen) qBuiltin() (string, bool) {
	n, t, iv, s, j, a := g.numLit, g.tsLit, g.ivLit, g.strLit, g.jsonLit, g.arrLit
	var e string
	switch g.r.Intn(48) {
	case 0:
		e = n() + " " + g.pick("+", "-", "*", "/", "%") + " " + n()
	case 1:
		e = g.pick("round", "trunc", "ceil", "floor", "abs", "sign", "sqrt", "exp", "ln", "scale", "-") + "(" + n() + ")"
	case 2:
		e = g.pick("round", "trunc") + "(" + n() + "::numeric, " + g.pick("0", "1", "2", "-1", "5") + ")"
	case 3:
		e = n() + "::" + g.pick("text", "int2", "int4", "int8", "numeric", "float4", "float8", "numeric(6,2)")
	case 4:
		e = t() + " " + g.pick("+", "-") + " " + iv()
	case 5:
		e = g.pick("justify_days", "justify_hours", "justify_interval", "-") + "(" + iv() + ")"
	case 6:
		e = iv() + " " + g.pick("*", "/") + " " + g.pick("2", "0.5", "3", "-1.5", "1e10")
	case 7:
		e = "date_trunc('" + g.pick("year", "quarter", "month", "week", "day", "hour", "minute", "second", "milliseconds", "decade", "century", "millennium") + "', " + g.pick(t(), iv()) + ")"
	case 8:
		e = "extract(" + g.pick("year", "month", "day", "hour", "minute", "second", "epoch", "dow", "isodow", "doy", "week", "isoyear", "quarter", "julian", "century", "millennium", "microseconds", "timezone", "decade") + " FROM " + g.pick(t(), iv()) + ")"
	case 9:
		e = "age(" + t() + ", " + t() + ")"
	case 10:
		e = "to_char(" + t() + ", '" + g.pick("YYYY-MM-DD HH24:MI:SS", "Day, DD Month YYYY", "FMDay FMMonth FMDD", "HH12:MI AM", "YYYY \"Q\"Q WW IW ID DDD J", "TZ OF", "US MS", "IYYY-IW", "dy mon yy", "CC Y,YYY", "FMHH24:MI:SS.FF3", "\"lit\"YYYY", "RM rm") + "')"
	case 11:
		e = "to_char(" + n() + ", '" + g.pick("999D99", "FM999999.000", "0000", "S9999", "9.99EEEE", "999,999", "PL999", "MI9999", "FM9.9", "99") + "')"
	case 12:
		e = "to_date('" + g.pick("2024-02-29", "2024-02-30", "20240115", "15 Jan 2024", "2024 060") + "', '" + g.pick("YYYY-MM-DD", "YYYYMMDD", "DD Mon YYYY", "YYYY DDD") + "')"
	case 13:
		e = "to_timestamp('" + g.pick("2024-01-15 13:45:10", "2024-01-15 01:45 PM", "15/01/2024", "1705326310") + "', '" + g.pick("YYYY-MM-DD HH24:MI:SS", "YYYY-MM-DD HH:MI AM", "DD/MM/YYYY") + "')"
	case 14:
		e = "to_timestamp(" + g.pick("0", "1705326310.5", "-1", "'Infinity'::float8") + ")"
	case 15:
		e = "substr(" + s() + ", " + g.pick("0", "1", "3", "-2", "100") + g.pick("", ", 2", ", 0", ", -1") + ")"
	case 16:
		e = "position(" + g.pick("'X'", "''", "'b'", "'ß'") + " IN " + s() + ")"
	case 17:
		e = "split_part(" + s() + ", " + g.pick("','", "'X'", "''", "' '") + ", " + g.pick("1", "2", "-1", "5", "0") + ")"
	case 18:
		e = "regexp_replace(" + s() + ", '" + g.pick("[a-z]+", "(\\d+)", "x", "^", "(.)(.)", "\\s+") + "', '" + g.pick("<\\1>", "", "-", "\\&\\&") + "'" + g.pick("", ", 'g'", ", 'gi'", ", 'i'", ", 1, 2", ", 1, 0, 'i'") + ")"
	case 19:
		e = "regexp_match(" + s() + ", '" + g.pick("([a-z]+)(\\d+)", "x", "(?:b)(,)?", "^(\\s*)(.*?)(\\s*)$", "(a)|(z)") + "'" + g.pick("", ", 'i'", ", 'x'") + ")"
	case 20:
		e = g.pick("lpad", "rpad") + "(" + s() + ", " + g.pick("0", "3", "15", "-1") + g.pick("", ", '*-'", ", ''") + ")"
	case 21:
		e = "format(" + g.pick("'%s|%I|%L'", "'%1$s %1$s %2$s'", "'%-5s|%5s|'", "'%%%s'", "'%3$s'", "'%*s'") + ", " + s() + ", " + g.pick("'Ab c'", "NULL", "'x''y'") + ")"
	case 22:
		e = g.pick("md5", "upper", "lower", "initcap", "length", "octet_length", "bit_length", "reverse", "quote_ident", "quote_literal", "quote_nullable", "ascii", "btrim", "ltrim", "to_hex(length", "char_length") + "(" + s() + g.pick("", "")
		if strings.HasPrefix(e, "to_hex(") {
			e += ")"
		}
		e += ")"
	case 23:
		e = "encode(" + g.pick("'\\x00ff10'::bytea", "convert_to('Hällo', 'UTF8')", "'abc'::bytea", "decode('aGVsbG8=', 'base64')", "decode('414243', 'hex')", "decode('a\\\\000b', 'escape')") + ", '" + g.pick("hex", "base64", "escape") + "')"
	case 24:
		e = "decode(" + g.pick("'zz'", "'abc'", "'YWJj'", "'YWJ'", "''") + ", '" + g.pick("hex", "base64", "escape") + "')"
	case 25:
		e = g.pick("array_position", "array_positions", "array_remove") + "(" + a() + ", " + g.pick("2", "NULL", "7") + ")"
	case 26:
		e = g.pick("array_replace(", "array_replace(") + a() + ", " + g.pick("2", "NULL") + ", " + g.pick("9", "NULL") + ")"
	case 27:
		e = g.pick("cardinality", "array_length1", "array_ndims", "array_dims", "array_lower1", "array_upper1", "array_to_string") + "(" + a() + ")"
		e = strings.Replace(e, "1(", "(", 1)
		switch {
		case strings.HasPrefix(e, "array_length"), strings.HasPrefix(e, "array_lower"), strings.HasPrefix(e, "array_upper"):
			e = strings.TrimSuffix(e, ")") + ", 1)"
		case strings.HasPrefix(e, "array_to_string"):
			e = strings.TrimSuffix(e, ")") + ", ','" + g.pick("", ", '*'") + ")"
		}
	case 28:
		return "SELECT * FROM unnest(" + a() + ")" + g.pick(" WITH ORDINALITY", " WITH ORDINALITY AS u(x, n)", ""), false
	case 29:
		e = j() + " " + g.pick("->", "->>") + " " + g.pick("'a'", "'b'", "0", "-1", "1", "'d'", "10")
	case 30:
		e = j() + " " + g.pick("#>", "#>>") + " " + g.pick("'{b,2,c}'", "'{d,e}'", "'{}'", "'{4,x}'", "'{a,b,c}'", "'{-1}'")
	case 31:
		e = j() + " " + g.pick("@>", "<@") + " " + j()
	case 32:
		e = j() + " " + g.pick("?", "?|", "?&") + " " + g.pick("'a'", "'2'", "'s'", "ARRAY['a','x']", "ARRAY['a','b']", "'{}'::text[]")
		if strings.Contains(e, "? ARRAY") || strings.Contains(e, "?| '") && !strings.Contains(e, "'{}'::text[]") || strings.Contains(e, "?& '") && !strings.Contains(e, "'{}'::text[]") {
			e = j() + " ? 'a'"
		}
	case 33:
		e = j() + " " + g.pick("||", "-") + " " + g.pick(j(), "'a'", "1", "'{a,x}'::text[]", "-1")
		if strings.Contains(e, "|| 'a'") || strings.Contains(e, "|| 1") || strings.Contains(e, "|| -1") || strings.Contains(e, "|| '{a,x}'::text[]") {
			e = j() + " || " + j()
		}
	case 34:
		e = g.pick("jsonb_set", "jsonb_insert") + "(" + j() + ", " + g.pick("'{a}'", "'{b,0}'", "'{b,-1}'", "'{x,y}'", "'{9}'", "'{d,e}'") + ", " + g.pick("'\"new\"'", "'[9]'", "'null'") + g.pick("", ", true", ", false") + ")"
	case 35:
		e = g.pick("jsonb_strip_nulls", "jsonb_typeof", "jsonb_array_length", "jsonb_pretty", "jsonb_object_keys", "to_jsonb", "jsonb_build_array") + "(" + j() + ")"
	case 36:
		return "SELECT * FROM " + g.pick("jsonb_each", "jsonb_each_text", "jsonb_array_elements", "jsonb_array_elements_text", "jsonb_object_keys") + "(" + j() + ")", false
	case 37:
		e = "jsonb_build_object(" + g.pick("'a', 1, 'b', NULL", "'a', 1, 'a', 2", "1, 2.50", "'k', ARRAY[1,2], 'd', date '2024-01-01'", "NULL, 1", "'x', 'y'::text, 'ts', timestamptz '2024-01-01 00:00+00'", "'f', 1.5::float8, 'n', 'NaN'::float8") + ")"
	case 38:
		return "SELECT jsonb_agg(v" + g.pick("", " ORDER BY v DESC") + "), jsonb_object_agg(k, v) FROM (VALUES ('a', 1), ('b', NULL), ('a', 3)) s(k, v)", false
	case 40:
		e = g.pick("overlay(", "translate(", "left(", "right(", "repeat(", "starts_with(", "string_to_array(", "strpos(", "replace(", "concat_ws(', ', ")
		switch e {
		case "overlay(":
			e += s() + " PLACING 'ZZ' FROM " + g.pick("1", "3", "20") + g.pick("", " FOR 0", " FOR 2") + ")"
		case "translate(":
			e += s() + ", 'aXl', " + g.pick("'b'", "''", "'123'") + ")"
		case "string_to_array(":
			e += s() + ", " + g.pick("','", "''", "NULL", "'X'") + g.pick("", ", ''", ", 'b'") + ")"
		default:
			e += s() + ", " + g.pick("2", "-2", "0", "'a'", "'Mi'") + ")"
		}
	case 41:
		e = g.pick("date '2024-02-29'", "date '2024-12-31'", "date 'infinity'") + " " + g.pick("+ 1", "- 366", "- date '2000-01-01'", "+ time '12:30'", "+ interval '1 month'", "- interval '1 mon 1 day'")
	case 42:
		e = g.pick("make_date(2024, 2, 29)", "make_date(-44, 3, 15)", "make_date(2023, 2, 29)", "make_interval(1, 2, 3, 4, 5, 6, 7.5)", "make_interval(days => 10)", "make_time(25, 0, 0)", "make_time(12, 30, 59.999999)", "make_timestamp(2024, 1, 1, 0, 0, 60)", "make_timestamptz(2024, 3, 10, 2, 30, 0, 'America/New_York')")
	case 43:
		e = "date_part('" + g.pick("year", "epoch", "second", "dow", "week", "timezone_hour") + "', " + t() + ")"
	case 44:
		e = "to_number('" + g.pick("12,454.8-", "$1,234.56", "-12.5", "1e3", " 42 ", "12.3.4") + "', '" + g.pick("99G999D9S", "L9G999D99", "S99D9", "9999", "FM9999") + "')"
	case 45:
		e = n() + "::" + g.pick("float4", "float8") + " " + g.pick("*", "/", "+") + " " + g.pick("3", "7.0::float4", "1e-3", "0.1::float8", "1e300::float8")
	case 46:
		return "SELECT * FROM unnest(" + a() + ", " + g.pick("ARRAY['x', 'y']", "'{}'::text[]", "ARRAY[1.5]") + ") WITH ORDINALITY", false
	case 47:
		e = g.pick("jsonb_path_query_array(", "jsonb_path_exists(", "jsonb_path_query_first(") + j() + ", '" + g.pick("$.a", "$.b[*]", "$.** ? (@ == 1)", "$[*] ? (@ > 1)", "$.d.e", "strict $.x", "$.b.size()", "$.a.type()") + "')"
	default:
		e = "to_jsonb(" + g.pick(n(), t(), iv(), s(), a()) + ")"
	}
	return "SELECT " + e, false
}
