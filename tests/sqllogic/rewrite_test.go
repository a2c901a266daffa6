package sqllogic

import (
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestApplyEdits(t *testing.T) {
	const in = `# keep me
statement ok INSERT 0 9
INSERT INTO t VALUES (1)

statement error 42601
SELECT 1

query I rowsort
SELECT a, b
FROM t
----
old

query T
SELECT 'unchanged'
----
unchanged
`
	f, err := Parse("x.slt", in)
	if err != nil {
		t.Fatal(err)
	}
	r := f.Records
	edits := map[*Record]edit{}
	for i, o := range []outcome{
		{tag: "INSERT 0 1"},
		{pgErr: &pgconn.PgError{Code: "22012", Message: "division by zero"}},
		{fields: []pgconn.FieldDescription{{Name: "a", DataTypeOID: 23}, {Name: "b", DataTypeOID: 25}},
			rows: [][][]byte{{[]byte("2"), nil}, {[]byte("1"), []byte("")}}},
	} {
		e, ok := rewriteRecord(r[i], o)
		if !ok {
			t.Fatalf("record %d not rewritable", i)
		}
		edits[r[i]] = e
	}
	if _, ok := rewriteRecord(r[3], outcome{pgErr: &pgconn.PgError{Code: "42P01"}}); ok {
		t.Error("a failing query must not be rewritten (its expected rows would be lost)")
	}
	const want = `# keep me
statement ok INSERT 0 1
INSERT INTO t VALUES (1)

statement error 22012
SELECT 1

query int4,text rowsort
SELECT a, b
FROM t
----
1 | (empty)
2 | NULL

query T
SELECT 'unchanged'
----
unchanged
`
	if got := applyEdits(f, edits); got != want {
		t.Errorf("applyEdits:\n%s\nwant:\n%s", got, want)
	}
}
