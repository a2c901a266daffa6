package tsearch

import (
	"os"
	"strings"
	"testing"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// testdata/tsquery_cases.txt: an input, then PostgreSQL 15's to_tsquery,
// plainto_tsquery, phraseto_tsquery and websearch_to_tsquery of it, each
// with english then simple ("ERROR" where PostgreSQL rejects the input,
// "(empty)" for the empty query).
func TestTSQueryMatchesPostgres(t *testing.T) {
	b, err := os.ReadFile("testdata/tsquery_cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	fns := []struct {
		name string
		fn   func(uint32, string) (*types.TSQuery, error)
	}{{"to_tsquery", ToTSQuery}, {"plainto_tsquery", PlainToTSQuery}, {"phraseto_tsquery", PhraseToTSQuery}, {"websearch_to_tsquery", WebsearchToTSQuery}}
	for _, rec := range strings.Split(strings.TrimSpace(string(b)), "\n\n") {
		lines := strings.Split(rec, "\n")
		if len(lines) != 9 {
			t.Fatalf("bad record %q", rec)
		}
		k := 1
		for _, f := range fns {
			for _, cfg := range []uint32{types.TSConfigEnglish, types.TSConfigSimple} {
				want := lines[k]
				k++
				q, err := f.fn(cfg, lines[0])
				got := "ERROR"
				if err == nil {
					got = string(types.AppendTSQuery(nil, q))
					if got == "" {
						got = "(empty)"
					}
				}
				if got != want {
					t.Errorf("%s('%s', %q)\n got: %s\nwant: %s", f.name, types.TSConfigName(cfg), lines[0], got, want)
				}
			}
		}
	}
}
