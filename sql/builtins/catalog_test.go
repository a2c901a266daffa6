package builtins

import (
	"testing"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Expected strings below are PostgreSQL 15's (pg_get_expr, pg_size_pretty,
// quote_ident, format_type), checked against a server by the syscat tests.

func TestDeparseExprLikePostgres(t *testing.T) {
	tbl := &catalog.Table{Name: "t", Columns: []catalog.Column{
		{Name: "a", Type: types.Int4, Attnum: 1}, {Name: "b", Type: types.Int8, Attnum: 2},
		{Name: "c", Type: types.NumericPS(10, 2), Attnum: 3}, {Name: "d", Type: types.Text, Attnum: 4},
		{Name: "e", Type: types.VarcharN(10), Attnum: 5}, {Name: "m", Type: types.Int4, Attnum: 6},
		{Name: "n", Type: types.Int4, Attnum: 7},
	}}
	cases := []struct {
		expr   string
		target types.Type
		plain  string
		pretty string
	}{
		{"-1", types.Int4, "'-1'::integer", "'-1'::integer"},
		{"5", types.Int8, "5", "5"},
		{"0", types.NumericPS(10, 2), "0", "0"},
		{"'x'", types.Text, "'x'::text", "'x'::text"},
		{"'y'", types.VarcharN(10), "'y'::character varying", "'y'::character varying"},
		{"'2020-01-01'", types.Date, "'2020-01-01'::date", "'2020-01-01'::date"},
		{"current_timestamp", types.TimestampTZ, "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
		{"2+3", types.Int4, "(2 + 3)", "2 + 3"},
		{"upper('a')", types.Text, "upper('a'::text)", "upper('a'::text)"},
		{"'{1,2}'", types.Int4Array, "'{1,2}'::integer[]", "'{1,2}'::integer[]"},
		{"5000000000", types.Int8, "'5000000000'::bigint", "'5000000000'::bigint"},
		{"c > 0", types.Bool, "(c > (0)::numeric)", "c > 0::numeric"},
		{"m between 1 and 10", types.Bool, "((m >= 1) AND (m <= 10))", "m >= 1 AND m <= 10"},
		{"m is not null and n > a or b < 3", types.Bool, "(((m IS NOT NULL) AND (n > a)) OR (b < 3))", "m IS NOT NULL AND n > a OR b < 3"},
		{"b > -5", types.Bool, "(b > '-5'::integer)", "b > '-5'::integer"},
		{"a in (1,2,3)", types.Bool, "(a = ANY (ARRAY[1, 2, 3]))", "a = ANY (ARRAY[1, 2, 3])"},
		{"d in ('new','paid')", types.Bool, "(d = ANY (ARRAY['new'::text, 'paid'::text]))", "d = ANY (ARRAY['new'::text, 'paid'::text])"},
		{"d like 'a%'", types.Bool, "(d ~~ 'a%'::text)", "d ~~ 'a%'::text"},
		{"e <> 'zz'", types.Bool, "((e)::text <> 'zz'::text)", "e::text <> 'zz'::text"},
		{"a + b * 2 > c - 1", types.Bool, "(((a + (b * 2)))::numeric > (c - (1)::numeric))", "(a + b * 2)::numeric > (c - 1::numeric)"},
		{"coalesce(d, '')", types.Text, "COALESCE(d, ''::text)", "COALESCE(d, ''::text)"},
		{"null", types.Text, "NULL::text", "NULL::text"},
	}
	for _, c := range cases {
		for _, pretty := range []bool{false, true} {
			d := &Deparser{Rels: []DeparseRel{{Ref: "t", Table: tbl}}, Pretty: pretty}
			want := c.plain
			if pretty {
				want = c.pretty
			}
			if got := d.DeparseExpr(c.expr, c.target); got != want {
				t.Errorf("%s (pretty %v): got %s, want %s", c.expr, pretty, got, want)
			}
		}
	}
}

func TestSizePretty(t *testing.T) {
	for in, want := range map[int64]string{0: "0 bytes", 10239: "10239 bytes", 10240: "10 kB", 20971519: "20 MB", 10485759: "10 MB",
		123456789: "118 MB", -123456789: "-118 MB", 1234567890123456: "1123 TB", 9223372036854775807: "8192 PB"} {
		if got := SizePretty(in); got != want {
			t.Errorf("SizePretty(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{"abc": "abc", "Abc": `"Abc"`, "user": `"user"`, "a b": `"a b"`,
		"name": "name", `a"b`: `"a""b"`, "time": `"time"`, "left": `"left"`, "_x1": "_x1", "1x": `"1x"`} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestFormatTypeOID(t *testing.T) {
	cases := []struct {
		oid    uint32
		typmod int32
		given  bool
		want   string
	}{
		{types.BPCharOID, -1, false, "character"}, {types.BPCharOID, -1, true, "bpchar"},
		{types.VarcharOID, 14, true, "character varying(10)"}, {types.NumericOID, 655366, true, "numeric(10,2)"},
		{types.Int2VectorOID, -1, false, "int2vector"}, {types.OIDVectorOID, -1, false, "oidvector"},
		{types.CharOID, -1, false, `"char"`}, {99999, -1, false, "???"},
	}
	for _, c := range cases {
		if got := FormatTypeOID(c.oid, c.typmod, c.given); got != c.want {
			t.Errorf("FormatTypeOID(%d, %d, %v) = %q, want %q", c.oid, c.typmod, c.given, got, c.want)
		}
	}
}

func TestRegexOperators(t *testing.T) {
	for _, c := range []struct {
		s, pat string
		ci     bool
		want   bool
	}{{"pg_toast", "^pg_", false, true}, {"public", "^pg_", false, false}, {"orders", "^(orders)$", false, true},
		{"Orders", "^(orders)$", true, true}, {"a b", `\mb\M`, false, true}} {
		re, err := CompileRegex(c.pat, c.ci)
		if err != nil {
			t.Fatal(err)
		}
		if got := re.MatchString(c.s); got != c.want {
			t.Errorf("%q ~ %q = %v", c.s, c.pat, got)
		}
	}
}
