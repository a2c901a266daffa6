package ttl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prkdb/prkdb-sql/kv"
)

func TestExpiryAttachmentRoundTrip(t *testing.T) {
	for _, e := range []Expiry{{1, 16384, false}, {5, 1 << 31, true}} {
		got, err := DecodeExpiry(EncodeExpiry(e))
		if err != nil || got != e {
			t.Errorf("%+v: got %+v, %v", e, got, err)
		}
		r := &kv.Record{Attachments: []kv.Attachment{{Kind: 'N', Data: []byte("x")}, {Kind: AttachExpiry, Data: EncodeExpiry(e)}}}
		if got, ok := RecordExpiry(r); !ok || got != e {
			t.Errorf("RecordExpiry: %+v %v", got, ok)
		}
	}
	for _, bad := range [][]byte{nil, {2, 1, 1, 0}, {1}, {1, 1}, {1, 1, 1}} {
		if _, err := DecodeExpiry(bad); !errors.Is(err, ErrBadAttachment) {
			t.Errorf("%v: %v", bad, err)
		}
	}
	if _, ok := RecordExpiry(&kv.Record{}); ok {
		t.Error("a record without the attachment is not an expiry")
	}
}

// fakeTarget is a table of n expired rows, keys "000".."n-1", deleted in
// batches; it prints every call so the test reads as a trace.
type fakeTarget struct {
	tables   []Table
	left     map[uint32]int
	conflict int // fail this many batches with a conflict first
	trace    []string
}

func (f *fakeTarget) TTLTables() []Table { return f.tables }

func (f *fakeTarget) SweepBatch(ctx context.Context, t Table, start []byte, limit int) (Batch, error) {
	f.trace = append(f.trace, fmt.Sprintf("batch %s from %q limit %d", t.Name, start, limit))
	if f.conflict > 0 {
		f.conflict--
		return Batch{}, errors.New("conflict")
	}
	n := min(limit, f.left[t.OID])
	f.left[t.OID] -= n
	b := Batch{Deleted: n, Expired: n, Scanned: n}
	if f.left[t.OID] > 0 {
		b.Next = []byte(fmt.Sprint(f.left[t.OID]))
	}
	return b, nil
}

func TestSweeperBatchesRateAndSchedule(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var waits []time.Duration
	f := &fakeTarget{tables: []Table{{OID: 1, Name: "public.a", BatchSize: 10, RateLimit: 20}, {OID: 2, Name: "public.b", JobInterval: time.Hour}},
		left: map[uint32]int{1: 25, 2: 3}, conflict: 1}
	s := New(f, Options{Now: func() time.Time { return now }, Sleep: func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}})
	s.sweepDue(context.Background())
	want := []string{
		`batch public.a from "" limit 10`, // conflict: retried
		`batch public.a from "" limit 10`,
		`batch public.a from "15" limit 10`,
		`batch public.a from "5" limit 10`,
		`batch public.b from "" limit 500`,
	}
	if got := strings.Join(f.trace, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("trace:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	// 10 rows at 20 rows/s between batches; none after the last.
	if fmt.Sprint(waits) != "[500ms 500ms]" {
		t.Errorf("waits %v", waits)
	}
	st := s.Status()
	if st[0].RowsSwept != 25 || st[0].Batches != 3 || st[0].Sweeps != 1 || st[1].RowsSwept != 3 {
		t.Errorf("status %+v", st)
	}
	// A minute later only a (default interval 1 minute) is due; b waits
	// for its hour.
	f.trace, f.left[1], f.left[2] = nil, 1, 1
	now = now.Add(time.Minute)
	s.sweepDue(context.Background())
	if got := strings.Join(f.trace, "\n"); got != `batch public.a from "" limit 10` {
		t.Errorf("trace after a minute:\n%s", got)
	}
	now = now.Add(time.Hour)
	f.trace = nil
	s.sweepDue(context.Background())
	if len(f.trace) != 2 {
		t.Errorf("trace after an hour:\n%s", strings.Join(f.trace, "\n"))
	}
}
