package sqllogic

import (
	"strings"
	"testing"
)

func TestRenderValue(t *testing.T) {
	cases := []struct {
		in   []byte
		want string
	}{
		{nil, "NULL"},
		{[]byte{}, "(empty)"},
		{[]byte("x y"), "x y"},
		{[]byte("a\nb\tc\r"), `a\nb\tc\r`},
		{[]byte(`\x00ff`), `\x00ff`},
		{[]byte("ab  "), "ab  "},
	}
	for _, c := range cases {
		if got := RenderValue(c.in); got != c.want {
			t.Errorf("RenderValue(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRenderRowsSortModes(t *testing.T) {
	rows := [][][]byte{{[]byte("2"), []byte("b")}, {[]byte("1"), nil}}
	check := func(name string, got []string, want ...string) {
		t.Helper()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	check("nosort", renderRows(nil, rows, NoSort), "2 | b", "1 | NULL")
	check("rowsort", renderRows(nil, rows, RowSort), "1 | NULL", "2 | b")
	check("valuesort", renderRows(nil, rows, ValueSort), "1", "2", "NULL", "b")
	check("colnames", renderRows([]string{"x", "y"}, rows, RowSort), "x | y", "1 | NULL", "2 | b")
	check("normalize", normalizeExpected([]string{"x | y", "2 | b", "1 | NULL"}, true, RowSort), "x | y", "1 | NULL", "2 | b")
}
