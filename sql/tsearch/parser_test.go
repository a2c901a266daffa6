package tsearch

import (
	"os"
	"strings"
	"testing"
)

var tokenNames = [...]string{"", "asciiword", "word", "numword", "asciihword", "hword", "numhword",
	"hword_asciipart", "hword_part", "hword_numpart", "email", "protocol", "url", "host", "url_path",
	"file", "sfloat", "float", "int", "uint", "version", "tag", "entity", "blank"}

// testdata/parse_default.txt pairs an input line with PostgreSQL 15's
// ts_debug('simple', line) tokens (alias:token, blanks, tags, entities and
// protocols left out). Lines listed in knownParseDiffs are documented
// differences (see doc.go).
func TestParseMatchesPostgres(t *testing.T) {
	b, err := os.ReadFile("testdata/parse_default.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range strings.Split(strings.TrimSpace(string(b)), "\n\n") {
		input, want, _ := strings.Cut(rec, "\n")
		var got []string
		for _, tok := range Parse(input) {
			got = append(got, tokenNames[tok.Type]+":"+tok.Text)
		}
		if g := strings.Join(got, " "); g != want {
			if knownParseDiffs[input] {
				continue
			}
			t.Errorf("Parse(%q)\n got: %s\nwant: %s", input, g, want)
		}
	}
}

var knownParseDiffs = map[string]bool{}
