package kv

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestScanMatchesModel: random committed data, random own writes and
// deletes on top, random bounds and prefixes, both directions; every scan
// must return exactly what a sorted map says, including empty keys and
// values.
func TestScanMatchesModel(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	rng := rand.New(rand.NewPCG(42, 1))
	key := func() string {
		n := rng.IntN(4)
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab\x00\xff"[rng.IntN(4)]
		}
		return string(b)
	}
	committed := map[string]string{}
	for round := 0; round < 20; round++ {
		txn := s.Begin(ReadCommitted)
		for i := 0; i < 10; i++ {
			k := key()
			if rng.IntN(4) == 0 {
				txn.Delete([]byte(k))
				delete(committed, k)
			} else {
				v := fmt.Sprint(rng.IntN(3))
				if v == "0" {
					v = ""
				}
				txn.Put([]byte(k), []byte(v))
				committed[k] = v
			}
		}
		mustCommit(t, txn)
	}
	for trial := 0; trial < 300; trial++ {
		txn := s.Begin(RepeatableRead)
		model := maps(committed)
		for i := rng.IntN(6); i > 0; i-- {
			k := key()
			if rng.IntN(3) == 0 {
				txn.Delete([]byte(k))
				delete(model, k)
			} else {
				txn.Put([]byte(k), []byte("own"))
				model[k] = "own"
			}
		}
		var o ScanOptions
		if rng.IntN(2) == 0 {
			o.Start = []byte(key())
		}
		if rng.IntN(2) == 0 {
			o.End = []byte(key())
		}
		if rng.IntN(3) == 0 {
			o.Prefix = []byte(key())
		}
		o.Reverse = rng.IntN(2) == 0
		var keys []string
		for k := range model {
			if o.Start != nil && k < string(o.Start) || o.End != nil && k >= string(o.End) ||
				len(k) < len(o.Prefix) || k[:len(o.Prefix)] != string(o.Prefix) {
				continue
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if o.Reverse {
			slices.Reverse(keys)
		}
		var want []string
		for _, k := range keys {
			want = append(want, k+"="+model[k])
		}
		got := scanAll(t, txn, o)
		if !slices.Equal(got, want) {
			t.Fatalf("scan %+v:\n got %q\nwant %q", o, got, want)
		}
		for k, v := range model {
			if g, ok := get(t, txn, k); !ok || g != v {
				t.Fatalf("Get(%q) = %q, %v; want %q", k, g, ok, v)
			}
		}
		txn.Rollback()
	}
}

func maps(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
