package kv

import (
	"errors"
	"reflect"
	"testing"
)

func TestGetPutDeleteAndOwnWrites(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	put(t, s, "a", "1")
	txn := s.Begin(RepeatableRead)
	if v, ok := get(t, txn, "a"); !ok || v != "1" {
		t.Fatalf("a = %q %v", v, ok)
	}
	txn.Put([]byte("b"), []byte("2"))
	txn.Delete([]byte("a"))
	if _, ok := get(t, txn, "a"); ok {
		t.Fatal("own delete not visible")
	}
	if v, _ := get(t, txn, "b"); v != "2" {
		t.Fatal("own put not visible")
	}
	other := s.Begin(RepeatableRead)
	if _, ok := get(t, other, "b"); ok {
		t.Fatal("uncommitted write visible to another transaction (dirty read)")
	}
	mustCommit(t, txn)
	if v, ok := get(t, other, "a"); !ok || v != "1" {
		t.Fatal("snapshot changed under a repeatable-read transaction")
	}
	other.Rollback()
	fresh := s.Begin(ReadCommitted)
	if _, ok := get(t, fresh, "a"); ok {
		t.Fatal("committed delete not visible")
	}
	if v, _ := get(t, fresh, "b"); v != "2" {
		t.Fatal("committed put not visible")
	}
}

func TestScanBoundsPrefixReverseAndMerge(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	txn := s.Begin(ReadCommitted)
	for _, key := range []string{"a1", "a2", "a3", "b1", "b2", "c1"} {
		txn.Put([]byte(key), []byte("v"+key))
	}
	mustCommit(t, txn)
	txn = s.Begin(RepeatableRead)
	txn.Put([]byte("a25"), []byte("own"))
	txn.Delete([]byte("a3"))
	txn.Put([]byte("b1"), []byte("over"))
	got := scanAll(t, txn, ScanOptions{Prefix: []byte("a")})
	want := []string{"a1=va1", "a2=va2", "a25=own"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("prefix scan: %v want %v", got, want)
	}
	got = scanAll(t, txn, ScanOptions{Start: []byte("a2"), End: []byte("c1"), Reverse: true})
	want = []string{"b2=vb2", "b1=over", "a25=own", "a2=va2"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("reverse scan: %v want %v", got, want)
	}
	got = scanAll(t, txn, ScanOptions{})
	want = []string{"a1=va1", "a2=va2", "a25=own", "b1=over", "b2=vb2", "c1=vc1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("full scan: %v want %v", got, want)
	}
	got = scanAll(t, txn, ScanOptions{Reverse: true, Prefix: []byte("b")})
	want = []string{"b2=vb2", "b1=over"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("reverse prefix scan: %v want %v", got, want)
	}
}

func TestSavepointsNested(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	txn := s.Begin(ReadCommitted)
	txn.Put([]byte("x"), []byte("0"))
	sp1 := txn.Savepoint()
	txn.Put([]byte("x"), []byte("1"))
	txn.Put([]byte("y"), []byte("1"))
	sp2 := txn.Savepoint()
	txn.Delete([]byte("x"))
	txn.Put([]byte("z"), []byte("2"))
	if err := txn.RollbackTo(sp2); err != nil {
		t.Fatal(err)
	}
	if v, _ := get(t, txn, "x"); v != "1" {
		t.Fatalf("after rollback to sp2 x=%q", v)
	}
	if _, ok := get(t, txn, "z"); ok {
		t.Fatal("z survived rollback to sp2")
	}
	// sp2 is still open after ROLLBACK TO: roll back to it again.
	txn.Put([]byte("w"), []byte("3"))
	if err := txn.RollbackTo(sp2); err != nil {
		t.Fatal(err)
	}
	if _, ok := get(t, txn, "w"); ok {
		t.Fatal("w survived second rollback to sp2")
	}
	if err := txn.RollbackTo(sp1); err != nil {
		t.Fatal(err)
	}
	if v, _ := get(t, txn, "x"); v != "0" {
		t.Fatalf("after rollback to sp1 x=%q", v)
	}
	if _, ok := get(t, txn, "y"); ok {
		t.Fatal("y survived rollback to sp1")
	}
	if err := txn.RollbackTo(sp2); !errors.Is(err, ErrNoSavepoint) {
		t.Fatalf("rollback to a discarded savepoint: %v", err)
	}
	sp3 := txn.Savepoint()
	txn.Put([]byte("r"), []byte("kept"))
	if err := txn.ReleaseSavepoint(sp3); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, txn)
	after := s.Begin(ReadCommitted)
	got := scanAll(t, after, ScanOptions{})
	want := []string{"r=kept", "x=0"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("committed: %v want %v", got, want)
	}
}

func TestPutNewRejectsLiveKey(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	put(t, s, "pk1", "a")
	txn := s.Begin(ReadCommitted)
	txn.PutNew([]byte("pk1"), []byte("b"))
	_, err := txn.Commit()
	var kerr *KeyExistsError
	if !errors.As(err, &kerr) || string(kerr.Key) != "pk1" || !errors.Is(err, ErrKeyExists) {
		t.Fatalf("want KeyExistsError for pk1, got %v", err)
	}
	del := s.Begin(ReadCommitted)
	del.Delete([]byte("pk1"))
	mustCommit(t, del)
	txn = s.Begin(ReadCommitted)
	txn.PutNew([]byte("pk1"), []byte("c"))
	mustCommit(t, txn)
}

func TestAttachmentsAreInTheRecord(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	txn := s.Begin(ReadCommitted)
	txn.Attach(7, []byte("notify payload"))
	lsn := mustCommit(t, txn)
	r, err := s.Subscribe(lsn)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec, err := r.Next(nil)
	if err != nil {
		t.Fatal(err)
	}
	if rec.LSN != lsn || len(rec.Attachments) != 1 || rec.Attachments[0].Kind != 7 || string(rec.Attachments[0].Data) != "notify payload" {
		t.Fatalf("record: %+v", rec)
	}
}

// Own writes are found whichever way the write set took them: ascending
// keys appended past its greatest key (where reads above it skip the
// tree), keys inserted below it, and after a savepoint rollback removed
// the greatest ones.
func TestOwnWritesAboveAndBelowGreatestKey(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	txn := s.Begin(ReadCommitted)
	defer txn.Rollback()
	get := func(k string) (string, bool) {
		t.Helper()
		v, ok, err := txn.Get([]byte(k))
		if err != nil {
			t.Fatal(err)
		}
		v2, ok2, err := txn.GetLatest([]byte(k))
		if err != nil || ok2 != ok || string(v2) != string(v) {
			t.Fatalf("Get(%s)=%q,%v but GetLatest=%q,%v,%v", k, v, ok, v2, ok2, err)
		}
		return string(v), ok
	}
	for _, k := range []string{"b", "d", "f"} {
		if err := txn.PutNew([]byte(k), []byte("v"+k)); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := get("g"); ok {
		t.Fatal("g found above the greatest key")
	}
	if err := txn.Put([]byte("c"), []byte("vc")); err != nil {
		t.Fatal(err)
	}
	sp := txn.Savepoint()
	if err := txn.Put([]byte("h"), []byte("vh")); err != nil {
		t.Fatal(err)
	}
	if v, ok := get("h"); !ok || v != "vh" {
		t.Fatalf("h = %q, %v", v, ok)
	}
	if err := txn.RollbackTo(sp); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"b": "vb", "c": "vc", "d": "vd", "f": "vf"} {
		if v, ok := get(k); !ok || v != want {
			t.Fatalf("%s = %q, %v; want %q", k, v, ok, want)
		}
	}
	for _, k := range []string{"a", "e", "g", "h"} {
		if _, ok := get(k); ok {
			t.Fatalf("%s found", k)
		}
	}
}
