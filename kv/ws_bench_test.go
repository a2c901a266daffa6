package kv

import "testing"

// BenchmarkCheckThenInsertAscending is a bulk insert into a table with a
// primary key: each new key is looked up (uniqueness) and then written,
// in ascending order, inside one transaction.
func BenchmarkCheckThenInsertAscending(b *testing.B) {
	s := openTest(b, b.TempDir())
	defer s.Close()
	keys := make([][]byte, 200_000)
	for i := range keys {
		keys[i] = k(i)
	}
	val := []byte("value")
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		txn := s.Begin(ReadCommitted)
		for _, key := range keys {
			if _, ok, _ := txn.GetLatest(key); ok {
				b.Fatal("exists")
			}
			txn.PutNew(key, val)
		}
		txn.Rollback()
	}
	b.ReportMetric(float64(b.N*len(keys))/b.Elapsed().Seconds(), "rows/s")
}
