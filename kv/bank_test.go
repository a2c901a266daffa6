package kv

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestBankSerializable: goroutines move money between accounts under
// SERIALIZABLE, retrying on conflicts; the total never changes, every read
// snapshot balances, and every committed transfer is reflected at the end.
func TestBankSerializable(t *testing.T) {
	const accounts, workers, transfersEach, initial = 20, 8, 300, 1000
	s := openTest(t, t.TempDir())
	defer s.Close()
	acct := func(i int) []byte { return []byte{'a', byte(i)} }
	enc := func(n int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }
	dec := func(b []byte) int64 { return int64(binary.BigEndian.Uint64(b)) }
	setup := s.Begin(Serializable)
	for i := 0; i < accounts; i++ {
		setup.Put(acct(i), enc(initial))
	}
	mustCommit(t, setup)

	var mu sync.Mutex
	net := make([]int64, accounts) // committed effect per account
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 1))
			for n := 0; n < transfersEach; n++ {
				from, to := rng.IntN(accounts), rng.IntN(accounts)
				amt := int64(rng.IntN(50) + 1)
				for {
					txn := s.Begin(Serializable)
					fb, _, _ := txn.Get(acct(from))
					tb, _, _ := txn.Get(acct(to))
					if from == to {
						txn.Rollback()
						break
					}
					txn.Put(acct(from), enc(dec(fb)-amt))
					txn.Put(acct(to), enc(dec(tb)+amt))
					_, err := txn.Commit()
					if errors.Is(err, ErrConflict) {
						continue
					}
					if err != nil {
						errc <- err
						return
					}
					mu.Lock()
					net[from] -= amt
					net[to] += amt
					mu.Unlock()
					break
				}
				if n%50 == 0 { // a concurrent auditor's view must balance
					r := s.Begin(RepeatableRead)
					var sum int64
					it := r.Scan(ScanOptions{Prefix: []byte{'a'}})
					for it.Next() {
						sum += dec(it.Value())
					}
					it.Close()
					r.Rollback()
					if sum != accounts*initial {
						errc <- errors.New("an auditor saw an unbalanced snapshot")
						return
					}
				}
			}
		}(uint64(w))
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	r := s.Begin(RepeatableRead)
	var sum int64
	for i := 0; i < accounts; i++ {
		b, _, _ := r.Get(acct(i))
		if dec(b) != initial+net[i] {
			t.Fatalf("account %d = %d, committed transfers say %d", i, dec(b), initial+net[i])
		}
		sum += dec(b)
	}
	if sum != accounts*initial {
		t.Fatalf("total %d, want %d", sum, accounts*initial)
	}
}
