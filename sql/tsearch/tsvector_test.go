package tsearch

import (
	"os"
	"strings"
	"testing"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// testdata/tsvector_corpus.txt: 400 lines of man-page prose (words,
// punctuation, options, paths, hosts, numbers), each followed by
// PostgreSQL 15's to_tsvector('english', line) and to_tsvector('simple',
// line) in a database with LC_CTYPE C, as the test oracle runs.
func TestToTSVectorMatchesPostgres(t *testing.T) {
	b, err := os.ReadFile("testdata/tsvector_corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	recs := strings.Split(strings.TrimSpace(string(b)), "\n\n")
	bad := 0
	for _, rec := range recs {
		lines := strings.SplitN(rec, "\n", 3)
		if len(lines) != 3 {
			t.Fatalf("bad record %q", rec)
		}
		for i, cfg := range []uint32{types.TSConfigEnglish, types.TSConfigSimple} {
			v, err := ToTSVector(cfg, lines[0])
			if err != nil {
				t.Fatal(err)
			}
			if got := string(types.AppendText(nil, types.NewTSVector(v), types.TSVectorType, nil)); got != lines[i+1] {
				bad++
				t.Errorf("to_tsvector(%s, %q)\n got: %s\nwant: %s", types.TSConfigName(cfg), lines[0], got, lines[i+1])
			}
		}
	}
	if len(recs) < 300 {
		t.Fatalf("only %d lines", len(recs))
	}
	t.Logf("%d lines, %d differ", len(recs), bad)
}
