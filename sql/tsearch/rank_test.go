package tsearch

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// testdata/rank_cases.txt: document, query, then PostgreSQL 15's results
// for v = to_tsvector('english', doc), q = to_tsquery('english', query):
// v @@ q, ts_rank(v, q), ts_rank(v, q, 1), ts_rank(v, q, 2|8),
// ts_rank(v, q, 16|32), ts_rank('{0.05,0.3,0.5,0.9}', setweight(v, 'B'), q)
// and ts_rank(strip(v), q). Ranks must agree to the last float4 bit.
// testdata/rank_cd_cases.txt: the same for ts_rank_cd, with normalization
// 4 in place of 2|8.
func TestRankMatchesPostgres(t *testing.T) {
	testRank(t, "testdata/rank_cases.txt", Rank, 2|8)
}

func TestRankCDMatchesPostgres(t *testing.T) {
	testRank(t, "testdata/rank_cd_cases.txt", RankCD, 4)
}

func testRank(t *testing.T, file string, rank func([4]float32, *types.TSVector, *types.TSQuery, int) float32, norm int) {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 9 {
			t.Fatalf("bad line %q", line)
		}
		v, err := ToTSVector(types.TSConfigEnglish, f[0])
		if err != nil {
			t.Fatal(err)
		}
		q, err := ToTSQuery(types.TSConfigEnglish, f[1])
		if err != nil {
			t.Fatal(err)
		}
		if got := Match(v, q); (f[2] == "t") != got {
			t.Errorf("%q @@ %q = %v, PostgreSQL says %s", f[0], f[1], got, f[2])
		}
		weighted := &types.TSVector{}
		stripped := &types.TSVector{}
		for _, l := range v.Lexemes {
			pos := make([]uint16, len(l.Pos))
			for i, p := range l.Pos {
				pos[i] = p&types.TSMaxPos | 2<<14
			}
			weighted.Lexemes = append(weighted.Lexemes, types.TSLexeme{Word: l.Word, Pos: pos})
			stripped.Lexemes = append(stripped.Lexemes, types.TSLexeme{Word: l.Word})
		}
		got := []float32{
			rank(DefaultWeights, v, q, 0), rank(DefaultWeights, v, q, 1), rank(DefaultWeights, v, q, norm),
			rank(DefaultWeights, v, q, 16|32), rank([4]float32{0.05, 0.3, 0.5, 0.9}, weighted, q, 0),
			rank(DefaultWeights, stripped, q, 0),
		}
		for i, g := range got {
			want, err := strconv.ParseFloat(f[3+i], 32)
			if err != nil {
				t.Fatal(err)
			}
			if g != float32(want) {
				t.Errorf("rank %d of %q, %q = %v, PostgreSQL says %s", i, f[0], f[1], g, f[3+i])
			}
		}
	}
}
