package tsearch

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// testdata/stem_english.txt holds "word stem" lines from PostgreSQL 15:
// ts_lexize('english_stem', word) over the words of the man pages on the
// machine plus the examples of the Snowball description ("-" marks a stop
// word). See doc.go.
func TestStemEnglishMatchesPostgres(t *testing.T) {
	f, err := os.Open("testdata/stem_english.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, bad := 0, 0
	for sc.Scan() {
		word, want, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		n++
		var got string
		if englishStopwords[word] {
			got = "-"
		} else {
			got = StemEnglish(word)
		}
		if got != want {
			bad++
			if bad <= 50 {
				t.Errorf("stem(%q) = %q, PostgreSQL says %q", word, got, want)
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d words read", n)
	}
	if bad > 0 {
		t.Errorf("%d of %d words differ", bad, n)
	}
}
