package stream

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
)

func openHub(t *testing.T) (*kv.Store, *Hub) {
	t.Helper()
	s, err := kv.Open(kv.Options{Dir: t.TempDir(), Sync: kv.SyncOff, CheckpointBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Start(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close(); s.Close() })
	return s, h
}

// commitNotify commits one transaction carrying ns from pid in db 1.
func commitNotify(t *testing.T, s *kv.Store, pid int32, ns ...Notification) uint64 {
	t.Helper()
	txn := s.Begin(kv.ReadCommitted)
	txn.Attach(AttachNotify, AppendNotify(nil, 1, pid, ns))
	lsn, err := txn.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return lsn
}

func n(ch, p string) Notification { return Notification{Channel: ch, Payload: p} }

func strs(ns []Notification) []string {
	var out []string
	for _, x := range ns {
		out = append(out, fmt.Sprintf("%s:%s:%d", x.Channel, x.Payload, x.PID))
	}
	return out
}

func TestDeliveryOrderAndChannels(t *testing.T) {
	s, h := openHub(t)
	before := commitNotify(t, s, 7, n("a", "before listen"))
	l := h.NewListener(1, 0)
	woken := make(chan struct{}, 16)
	l.SetWake(func() { woken <- struct{}{} })
	l.Listen("a")
	l.Listen("b")
	l.Listen("a")
	other := h.NewListener(2, 0) // another database, same channel name
	other.Listen("a")
	_ = before
	commitNotify(t, s, 7, n("a", "1"), n("c", "not listened"), n("b", "2"))
	last := commitNotify(t, s, 8, n("a", "3"))
	if err := h.WaitDispatched(context.Background(), last); err != nil {
		t.Fatal(err)
	}
	select {
	case <-woken:
	default:
		t.Fatal("listener was not woken")
	}
	got, dropped := l.Take(nil)
	want := []string{"a:1:7", "b:2:7", "a:3:8"}
	if !reflect.DeepEqual(strs(got), want) || dropped != 0 {
		t.Fatalf("got %v (dropped %d), want %v", strs(got), dropped, want)
	}
	if got, _ := other.Take(nil); len(got) != 0 {
		t.Fatalf("database 2 got %v", strs(got))
	}
	if ch := l.Channels(); !reflect.DeepEqual(ch, []string{"a", "b"}) {
		t.Fatalf("channels %v", ch)
	}
	// Queued and not yet taken notifications of an unlistened channel go.
	last = commitNotify(t, s, 7, n("a", "queued"), n("b", "queued"))
	h.WaitDispatched(context.Background(), last)
	l.Unlisten("a")
	if got, _ := l.Take(nil); !reflect.DeepEqual(strs(got), []string{"b:queued:7"}) {
		t.Fatalf("queue after UNLISTEN a: %v", strs(got))
	}
	last = commitNotify(t, s, 7, n("a", "after unlisten"), n("b", "4"))
	h.WaitDispatched(context.Background(), last)
	got, _ = l.Take(nil)
	if !reflect.DeepEqual(strs(got), []string{"b:4:7"}) {
		t.Fatalf("after unlisten: %v", strs(got))
	}
	l.UnlistenAll()
	if len(l.Channels()) != 0 || len(h.byChan) != 1 {
		t.Fatalf("after UNLISTEN *: %v, registry %v", l.Channels(), h.byChan)
	}
}

// A slow listener loses what overflows its queue and is told how much; a
// fast one on the same channel loses nothing, and commits never wait.
func TestOverflowIsPerListener(t *testing.T) {
	s, h := openHub(t)
	slow := h.NewListener(1, 10*(notifOverhead+3)) // "c" + "Nx"
	fast := h.NewListener(1, 0)
	slow.Listen("c")
	fast.Listen("c")
	var last uint64
	var got []Notification
	var mu sync.Mutex
	for i := 0; i < 100; i++ {
		last = commitNotify(t, s, 1, n("c", fmt.Sprint(i%10)+"x"))
		mu.Lock()
		got, _ = fast.Take(got)
		mu.Unlock()
	}
	h.WaitDispatched(context.Background(), last)
	got, _ = fast.Take(got)
	if len(got) != 100 {
		t.Fatalf("fast listener got %d of 100", len(got))
	}
	q, dropped := slow.Take(nil)
	if len(q) != 10 || dropped != 90 || q[9].Payload != "9x" {
		t.Fatalf("slow listener: %d queued (%v), %d dropped", len(q), strs(q), dropped)
	}
	// After Take the slow listener receives again.
	last = commitNotify(t, s, 1, n("c", "again"))
	h.WaitDispatched(context.Background(), last)
	if q, dropped := slow.Take(nil); len(q) != 1 || dropped != 0 {
		t.Fatalf("after take: %v, %d dropped", strs(q), dropped)
	}
}

func TestPendingFoldsDuplicates(t *testing.T) {
	var p Pending
	p.Add("a", "x")
	p.Add("a", "y")
	p.Add("a", "x")
	mark := p.Len()
	p.Add("b", "x")
	p.Add("a", "z")
	p.Truncate(mark)
	p.Add("a", "z")
	p.Add("a", "y")
	want := []string{"a:x:0", "a:y:0", "a:z:0"}
	if got := strs(p.List()); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	enc := AppendNotify(nil, 3, 42, p.List())
	var dec []string
	if err := DecodeNotify(enc, func(db uint32, pid int32, ch, pl string) {
		dec = append(dec, fmt.Sprintf("%d/%d/%s/%s", db, pid, ch, pl))
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dec, []string{"3/42/a/x", "3/42/a/y", "3/42/a/z"}) {
		t.Fatalf("decoded %v", dec)
	}
	if err := DecodeNotify(enc[:len(enc)-1], func(uint32, int32, string, string) {}); err == nil {
		t.Fatal("truncated attachment decoded")
	}
}

func TestWaitDispatchedCancel(t *testing.T) {
	_, h := openHub(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := h.WaitDispatched(ctx, h.DispatchedLSN()+5); err == nil {
		t.Fatal("waited for an LSN that never comes")
	}
}
