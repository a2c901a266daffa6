package types

// Golden files in testdata/ hold PostgreSQL 15's actual answers. Each is a
// list of tab-separated cases whose last column is PostgreSQL's result;
// TestRegenerateGolden (pggen_test.go) rewrites that column from a live
// server when PRKDB_PG_DSN is set, so adding a case is: add a line ending
// in "?" and regenerate. The tests in this package replay the files
// without a server.

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

type goldenCase struct {
	line   int
	fields []string // all columns but the result
	result string
	raw    string // comment lines are kept verbatim
}

func readGolden(t testing.TB, name string) []goldenCase {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatalf("open golden: %v", err)
	}
	defer f.Close()
	var cases []goldenCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			cases = append(cases, goldenCase{line: n, raw: line})
			continue
		}
		cols := strings.Split(line, "\t")
		cases = append(cases, goldenCase{line: n, fields: cols[:len(cols)-1], result: cols[len(cols)-1]})
	}
	return cases
}

func writeGolden(t testing.TB, name string, cases []goldenCase) {
	var b strings.Builder
	for _, c := range cases {
		if c.fields == nil {
			b.WriteString(c.raw)
		} else {
			b.WriteString(strings.Join(c.fields, "\t"))
			b.WriteString("\t")
			b.WriteString(c.result)
		}
		b.WriteString("\n")
	}
	if err := os.WriteFile("testdata/"+name, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func unquote(t testing.TB, s string) string {
	t.Helper()
	v, err := strconv.Unquote(s)
	if err != nil {
		t.Fatalf("bad quoted string %s: %v", s, err)
	}
	return v
}

// goldenSettings parses "-" or "tz=Zone;ds=SQL, DMY;is=iso_8601;efd=3".
func goldenSettings(t testing.TB, spec string) *Settings {
	t.Helper()
	s := DefaultSettings()
	if spec == "-" {
		return s
	}
	for _, kv := range strings.Split(spec, ";") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "tz":
			loc, err := LoadTimeZone(v)
			if err != nil {
				t.Fatalf("zone %s: %v", v, err)
			}
			s.TimeZone = loc
		case "ds":
			st, o, err := ParseDateStyle(v, s.DateStyle, s.DateOrder)
			if err != nil {
				t.Fatal(err)
			}
			s.DateStyle, s.DateOrder = st, o
		case "is":
			st, err := ParseIntervalStyle(v)
			if err != nil {
				t.Fatal(err)
			}
			s.IntervalStyle = st
		case "efd":
			n, _ := strconv.Atoi(v)
			s.ExtraFloatDigits = int8(n)
		default:
			t.Fatalf("unknown setting %q", k)
		}
	}
	// A fixed "now" so that 'today' etc. are deterministic in replays.
	s.Now = func() int64 { return 0 }
	return s
}

func mustType(t testing.TB, spec string) Type {
	t.Helper()
	typ, err := ParseTypeName(spec)
	if err != nil {
		t.Fatalf("type %q: %v", spec, err)
	}
	return typ
}

// errResult formats an error as the golden files record it.
func errResult(err error) string {
	pe := pgerror.From(err)
	return "err " + string(pe.Code) + " " + strconv.Quote(pe.Message)
}

func okText(text string) string { return "ok " + strconv.Quote(text) }

// TestGoldenIO replays testdata/io.txt: ParseText, AppendText and the
// binary format in both directions against PostgreSQL's own results.
func TestGoldenIO(t *testing.T) {
	for _, c := range readGolden(t, "io.txt") {
		if c.fields == nil {
			continue
		}
		name := fmt.Sprintf("line%d", c.line)
		set := goldenSettings(t, c.fields[0])
		typ := mustType(t, c.fields[1])
		in := unquote(t, c.fields[2])
		d, err := ParseText(typ, in, set)
		var got string
		if err != nil {
			got = errResult(err)
		} else {
			bin, berr := AppendBinary(nil, d, typ)
			if berr != nil {
				t.Errorf("%s: AppendBinary(%s %q): %v", name, c.fields[1], in, berr)
				continue
			}
			got = okText(string(AppendText(nil, d, typ, set))) + " " + hexOrDash(bin)
		}
		if got != c.result {
			t.Errorf("%s: %s %q under %s:\n got  %s\n want %s", name, c.fields[1], in, c.fields[0], got, c.result)
			continue
		}
		if err != nil {
			continue
		}
		// Binary input of PostgreSQL's bytes must give the same text.
		parts := strings.Split(c.result, " ")
		b, herr := hex.DecodeString(strings.TrimPrefix(parts[len(parts)-1], "-"))
		if herr != nil {
			t.Fatalf("%s: bad hex", name)
		}
		d2, err := ParseBinary(typ, b)
		if err != nil {
			t.Errorf("%s: ParseBinary(%s, %x): %v", name, c.fields[1], b, err)
			continue
		}
		if got2 := string(AppendText(nil, d2, typ, set)); okText(got2) != okText(string(AppendText(nil, d, typ, set))) {
			t.Errorf("%s: binary round trip of %s %q: got %q", name, c.fields[1], in, got2)
		}
	}
}

func hexOrDash(b []byte) string {
	if len(b) == 0 {
		return "-"
	}
	return hex.EncodeToString(b)
}
