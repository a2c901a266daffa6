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

// BenchmarkCheckThenInsertBelowMax is a table rewrite's pattern: each row's
// old key is deleted and its new key, which sorts below the old ones, is
// looked up (uniqueness) and written, both ascending.
func BenchmarkCheckThenInsertBelowMax(b *testing.B) {
	s := openTest(b, b.TempDir())
	defer s.Close()
	const n = 200_000
	oldKeys, newKeys := make([][]byte, n), make([][]byte, n)
	for i := range oldKeys {
		oldKeys[i] = append([]byte("z"), k(i)...)
		newKeys[i] = append([]byte("a"), k(i)...)
	}
	val := []byte("value")
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		txn := s.Begin(ReadCommitted)
		for i := range newKeys {
			txn.Delete(oldKeys[i])
			if _, ok, _ := txn.GetLatest(newKeys[i]); ok {
				b.Fatal("exists")
			}
			txn.PutNew(newKeys[i], val)
		}
		txn.Rollback()
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkAscendingPointReads reads 100,000 committed keys in ascending
// order in one transaction (a batch's foreign key checks, a merge-like
// access pattern).
func BenchmarkAscendingPointReads(b *testing.B) {
	s := openTest(b, b.TempDir())
	defer s.Close()
	const n = 100_000
	txn := s.Begin(ReadCommitted)
	for i := 0; i < n; i++ {
		txn.PutNew(k(i), []byte("value"))
	}
	mustCommit(b, txn)
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		txn := s.Begin(ReadCommitted)
		for i := 0; i < n; i++ {
			if _, ok, _ := txn.Get(k(i)); !ok {
				b.Fatal("missing")
			}
		}
		txn.Rollback()
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "reads/s")
}
