package stream

import (
	"context"
	"fmt"
	"reflect"
	"testing"
)

// A notify-only transaction's notifications (Publish) come after every
// commit visible when it committed, whether the hub had dispatched that
// commit yet (delivered at once) or not (held until it has).
func TestPublishKeepsCommitOrder(t *testing.T) {
	s, h := openHub(t)
	l := h.NewListener(1, 0)
	l.Listen("a")
	var want []string
	last := uint64(0)
	for i := 0; i < 300; i++ {
		rec := n("a", fmt.Sprintf("record %d", i))
		last = commitNotify(t, s, 7, rec)
		want = append(want, fmt.Sprintf("a:record %d:7", i))
		if i%3 == 2 {
			continue // sometimes two records in a row
		}
		buf := []byte(fmt.Sprintf("direct %d", i))
		h.Publish(1, 9, []Notification{{Channel: "a", Payload: string(buf)}})
		clear(buf)
		want = append(want, fmt.Sprintf("a:direct %d:9", i))
	}
	if err := h.WaitDispatched(context.Background(), last); err != nil {
		t.Fatal(err)
	}
	got, dropped := l.Take(nil)
	if dropped != 0 || len(got) != len(want) {
		t.Fatalf("dropped %d, got %d notifications, want %d", dropped, len(got), len(want))
	}
	for i, g := range strs(got) {
		if g != want[i] {
			t.Fatalf("notification %d is %s, want %s", i, g, want[i])
		}
	}
}

// LISTEN sees the direct publications after it and none before, also
// among those that saw the same newest commit.
func TestPublishAndListenPosition(t *testing.T) {
	s, h := openHub(t)
	lsn := commitNotify(t, s, 7, n("x", "a commit"))
	h.WaitDispatched(context.Background(), lsn)
	h.Publish(1, 9, []Notification{n("a", "before listen")})
	l := h.NewListener(1, 0)
	l.Listen("a")
	h.Publish(1, 9, []Notification{n("a", "after listen"), n("b", "other channel")})
	other := h.NewListener(2, 0)
	other.Listen("a")
	got, _ := l.Take(nil)
	if want := []string{"a:after listen:9"}; !reflect.DeepEqual(strs(got), want) {
		t.Fatalf("got %v, want %v", strs(got), want)
	}
	if got, _ := other.Take(nil); len(got) != 0 {
		t.Fatalf("database 2 got %v", strs(got))
	}
}

func TestPendingFoldsDuplicatesPastHashing(t *testing.T) {
	var p Pending
	var want []string
	for i := 0; i < 40; i++ {
		p.Add("c", fmt.Sprint(i))
		p.Add("c", fmt.Sprint(i/2)) // a duplicate for odd i
		want = append(want, fmt.Sprintf("c:%d:0", i))
	}
	if got := strs(p.List()); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
	p.Truncate(10)
	p.Add("c", "3")  // still pending
	p.Add("c", "25") // rolled back, so new again
	want = append(want[:10], "c:25:0")
	if got := strs(p.List()); !reflect.DeepEqual(got, want) {
		t.Fatalf("after truncate: %v", got)
	}
}
