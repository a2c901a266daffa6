package sqllogic

import (
	"strings"
	"testing"
)

const sample = `# a comment
statement ok
CREATE TABLE t (a int)

statement ok INSERT 0 2
INSERT INTO t
VALUES (1), (2)

statement error 23505 duplicate key .*
INSERT INTO t VALUES (1)

connection other

skipif prkdb version strings differ by design
query int4,T rowsort colnames
SELECT a, 'x' FROM t
----
a | ?column?
2 | x
1 | x

query I
SELECT 1 WHERE false
----
`

func TestParseSample(t *testing.T) {
	f, err := Parse("sample.slt", sample)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Records) != 5 {
		t.Fatalf("got %d records, want 5", len(f.Records))
	}
	r := f.Records
	if r[0].Kind != KindStatementOK || r[0].Tag != "" || r[0].Line != 2 || r[0].Conn != DefaultConn {
		t.Errorf("record 0: %+v", r[0])
	}
	if r[1].Tag != "INSERT 0 2" || r[1].SQL != "INSERT INTO t\nVALUES (1), (2)" {
		t.Errorf("record 1: tag %q sql %q", r[1].Tag, r[1].SQL)
	}
	if r[2].Kind != KindStatementError || r[2].Code != "23505" || r[2].MessageRE.String() != "duplicate key .*" {
		t.Errorf("record 2: %+v", r[2])
	}
	q := r[3]
	if q.Kind != KindQuery || q.Conn != "other" || q.Sort != RowSort || !q.ColNames || len(q.Types) != 2 {
		t.Errorf("record 3: %+v", q)
	}
	if len(q.Conditions) != 1 || !q.Conditions[0].Skip || q.Conditions[0].Engine != "prkdb" ||
		q.Conditions[0].Reason != "version strings differ by design" {
		t.Errorf("record 3 conditions: %+v", q.Conditions)
	}
	if strings.Join(q.Expected, "\n") != "a | ?column?\n2 | x\n1 | x" {
		t.Errorf("record 3 expected: %q", q.Expected)
	}
	if last := f.Records[len(f.Records)-1]; last.Kind != KindQuery || len(last.Expected) != 0 {
		t.Errorf("empty result query: %+v", last)
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"statement error\nSELECT 1\n":                    "SQLSTATE",
		"statement error 2350\nSELECT 1\n":               "SQLSTATE",
		"statement maybe\nSELECT 1\n":                    "statement ok",
		"frobnicate\n":                                   "unknown directive",
		"skipif prkdb\nstatement ok\nSELECT 1\n":         "reason is mandatory",
		"skipif mysql because\nstatement ok\nSELECT 1\n": "unknown engine",
		"onlyif postgres why\n":                          "applies to nothing",
		"query I\nSELECT 1\n":                            "----",
		"query\nSELECT 1\n----\n":                        "want `query",
		"query int44\nSELECT 1\n----\n":                  "unknown type name",
		"query IX\nSELECT 1\n----\n":                     "unknown type letter",
		"query I shuffle\nSELECT 1\n----\n":              "unknown query option",
		"statement ok\nSELECT 1\n----\n1\n":              "statements have no result rows",
		"statement ok\n\nSELECT 1\n":                     "no SQL",
		"query I colnames\nSELECT 1\n----\n":             "colnames",
		"connection Other\n":                             "connection NAME",
		"statement error 42601 (unclosed\nSELEC\n":       "message regex",
	}
	for text, want := range cases {
		_, err := Parse("bad.slt", text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want error containing %q", text, err, want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "bad.slt:") {
			t.Errorf("error %q does not start with file:line", err)
		}
	}
}
