package tsearch

import (
	"testing"

	"github.com/prkdb/prkdb-sql/sql/types"
)

const benchDoc = `PostgreSQL provides several index types: B-tree, Hash, GiST, SP-GiST, GIN, BRIN, and the extension bloom. Each index type uses a different algorithm that is best suited to different types of queries. By default, the CREATE INDEX command creates B-tree indexes, which fit the most common situations.`

// BenchmarkToTSVector: to_tsvector('english', a 45-word paragraph).
func BenchmarkToTSVector(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ToTSVector(types.TSConfigEnglish, benchDoc); err != nil {
			b.Fatal(err)
		}
	}
}
