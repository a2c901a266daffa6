package stream

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/prkdb/prkdb-sql/kv"
)

func row(s string) func([]byte) []byte { return func(b []byte) []byte { return append(b, s...) } }

func TestChangesRoundTrip(t *testing.T) {
	var c Changes
	c.Insert(7, row("new1"))
	c.Update(7, nil, row("new2"))
	m := c.Mark()
	c.Update(8, row("old"), row(strings.Repeat("x", 300)))
	c.Delete(8, row("gone"))
	c.TruncateRels([]uint32{7, 8}, TruncateCascade)
	c.Message(true, "pfx", []byte("hello"))
	c.Schema(9, []byte(`{"oid":9}`))
	var got []string
	err := DecodeChanges(c.Data(), func(ch *Change) error {
		got = append(got, fmt.Sprintf("%c %d old=%q new=%q rels=%v flags=%d %s %s", ch.Kind, ch.Rel, ch.Old, ch.New, ch.Rels, ch.Flags, ch.Prefix, ch.Content))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`I 7 old="" new="new1" rels=[] flags=0  `,
		`U 7 old="" new="new2" rels=[] flags=0  `,
		`U 8 old="old" new="` + strings.Repeat("x", 300) + `" rels=[] flags=0  `,
		`D 8 old="gone" new="" rels=[] flags=0  `,
		`T 0 old="" new="" rels=[7 8] flags=1  `,
		`M 0 old="" new="" rels=[] flags=0 pfx hello`,
		`S 9 old="" new="" rels=[] flags=0  {"oid":9}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c.Len() != 7 {
		t.Fatalf("Len %d", c.Len())
	}
	c.Truncate(m) // ROLLBACK TO SAVEPOINT
	n := 0
	DecodeChanges(c.Data(), func(*Change) error { n++; return nil })
	if n != 2 || c.Len() != 2 {
		t.Fatalf("after Truncate: %d changes, Len %d", n, c.Len())
	}
	// Damaged data is an error, never a panic.
	for i := range c.Data() {
		if err := DecodeChanges(c.Data()[:i], func(*Change) error { return nil }); err == nil && i > 0 && i != len(c.Data()) {
			var k int
			DecodeChanges(c.Data()[:i], func(*Change) error { k++; return nil })
			if k == 2 {
				t.Fatalf("prefix of %d bytes decoded as complete", i)
			}
		}
	}
}

func TestLSNMapping(t *testing.T) {
	for n := uint64(1); n < 5; n++ {
		if FirstLSN(n) >= ChangeLSN(n, 0) || ChangeLSN(n, 1000) >= CommitLSN(n) || CommitLSN(n) >= EndLSN(n) || EndLSN(n) != FirstLSN(n+1) {
			t.Fatalf("record %d: positions out of order", n)
		}
		// Acknowledging a record's end confirms it; a position inside it
		// (up to its commit) does not.
		if FirstUndelivered(EndLSN(n)) != n+1 || FirstUndelivered(CommitLSN(n)) != n || FirstUndelivered(ChangeLSN(n, 3)+20) != n {
			t.Fatalf("record %d: FirstUndelivered wrong", n)
		}
		// What pglogrepl's examples acknowledge: WALStart + len(WALData).
		if FirstUndelivered(EndLSN(n)+26) != n+1 {
			t.Fatalf("record %d: end + message length", n)
		}
	}
	if FirstUndelivered(0) != 1 {
		t.Fatal("0/0")
	}
	if s := FormatLSN(EndLSN(5)); s != "6/0" {
		t.Fatal(s)
	}
	if p, ok := ParseLSN("16/B374D848"); !ok || p != 0x16B374D848 {
		t.Fatal(p, ok)
	}
}

func TestParseStandbyMessage(t *testing.T) {
	msg := []byte{'r'}
	for _, v := range []uint64{0x500000000, 0x400000000, 0x300000000, 12345} {
		msg = be64(msg, v)
	}
	msg = append(msg, 1)
	fb, ok, err := ParseStandbyMessage(msg)
	if err != nil || !ok || fb.Write != 0x500000000 || fb.Flush != 0x400000000 || fb.Apply != 0x300000000 || !fb.Reply {
		t.Fatalf("%+v %v %v", fb, ok, err)
	}
	if _, ok, err := ParseStandbyMessage([]byte{'h', 0, 0}); ok || err != nil {
		t.Fatal("hot standby feedback")
	}
	if _, _, err := ParseStandbyMessage([]byte{'x'}); err == nil {
		t.Fatal("unknown message accepted")
	}
	if _, _, err := ParseStandbyMessage([]byte{'r', 1}); err == nil {
		t.Fatal("short status update accepted")
	}
}

// fakeSchema describes every table as (id int4 key, v text) and reads rows
// as "id,v" text ("" for NULL v).
type fakeSchema struct{ rels map[uint32]*Relation }

func (f *fakeSchema) Relation(oid uint32, _ uint64) *Relation {
	if f.rels[oid] == nil {
		f.rels[oid] = &Relation{OID: oid, Namespace: "public", Name: fmt.Sprintf("t%d", oid), ReplIdent: 'd',
			Columns: []Column{{Name: "id", TypeOID: 23, TypMod: -1, TypeName: "integer", Key: true, Bare: true},
				{Name: "v", TypeOID: 25, TypMod: -1, TypeName: "text"}}}
	}
	return f.rels[oid]
}
func (f *fakeSchema) Publishes([]string, *Relation) PubActions {
	return PubInsert | PubUpdate | PubDelete
}
func (f *fakeSchema) RowText(_ *Relation, row []byte, dst [][]byte, buf []byte) ([][]byte, []byte, error) {
	id, v, _ := bytes.Cut(row, []byte(","))
	dst = append(dst[:0], id, v)
	if len(v) == 0 {
		dst[1] = nil
	}
	return dst, buf, nil
}

func openStore(t *testing.T, dir string) *kv.Store {
	t.Helper()
	s, err := kv.Open(kv.Options{Dir: dir, Sync: kv.SyncOff, CheckpointBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func commitChanges(t *testing.T, s *kv.Store, c *Changes) uint64 {
	t.Helper()
	txn := s.Begin(kv.ReadCommitted)
	txn.Put([]byte("t-row"), []byte("x"))
	txn.Attach(AttachLogical, c.Data())
	lsn, err := txn.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return lsn
}

// TestSlotsDurableAndPeek: a slot's confirmed position survives reopening
// the store; Peek decodes after it; TRUNCATE is skipped by an output
// without truncate; test_decoding's text.
func TestSlotsDurableAndPeek(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	sl, err := OpenSlots(s)
	if err != nil {
		t.Fatal(err)
	}
	if sl.Active() {
		t.Fatal("active without slots")
	}
	info, err := sl.Create("s1", "test_decoding", 5, false, 42, nil)
	if err != nil || !sl.Active() {
		t.Fatal(err)
	}
	if _, err := sl.Create("s1", "test_decoding", 5, false, 42, nil); !errors.Is(err, ErrSlotExists) {
		t.Fatal(err)
	}
	if _, err := sl.Create("Bad", "x", 5, false, 42, nil); !errors.Is(err, ErrSlotInvalidName) {
		t.Fatal(err)
	}
	var ends []uint64
	for i := 1; i <= 3; i++ {
		var c Changes
		c.Insert(7, row(fmt.Sprintf("%d,v%d", i, i)))
		if i == 2 {
			c.Delete(7, row("1,"))
		}
		ends = append(ends, EndLSN(commitChanges(t, s, &c)))
	}
	if info.Confirmed >= ends[0] {
		t.Fatal("consistent point after the changes")
	}
	peek := func() []string {
		td, _ := NewTestDecoding(&fakeSchema{rels: map[uint32]*Relation{}}, [][2]string{{"include-xids", "0"}})
		var out []string
		if _, err := sl.Peek(context.Background(), "s1", td, 0, 0, func(_ uint64, _ uint32, data []byte) error {
			out = append(out, string(data))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := "BEGIN|table public.t7: INSERT: id[integer]:1 v[text]:'v1'|COMMIT|" +
		"BEGIN|table public.t7: INSERT: id[integer]:2 v[text]:'v2'|table public.t7: DELETE: id[integer]:1|COMMIT|" +
		"BEGIN|table public.t7: INSERT: id[integer]:3 v[text]:'v3'|COMMIT"
	if got := strings.Join(peek(), "|"); got != want {
		t.Fatalf("peek:\n%s\nwant\n%s", got, want)
	}
	if err := sl.Confirm("s1", ends[1]); err != nil {
		t.Fatal(err)
	}
	sl.Close()
	s.Close()

	s = openStore(t, dir)
	defer s.Close()
	sl, err = OpenSlots(s)
	if err != nil {
		t.Fatal(err)
	}
	defer sl.Close()
	got, ok := sl.Get("s1")
	if !ok || got.Confirmed != ends[1] || !sl.Active() {
		t.Fatalf("after reopening: %+v %v", got, ok)
	}
	if p := strings.Join(peek(), "|"); p != "BEGIN|table public.t7: INSERT: id[integer]:3 v[text]:'v3'|COMMIT" {
		t.Fatalf("after reopening: %s", p)
	}
	if _, err := sl.Acquire("s1", 1, 6); !errors.Is(err, ErrSlotOtherDB) {
		t.Fatal(err)
	}
	if _, err := sl.Acquire("s1", 1, 5); err != nil {
		t.Fatal(err)
	}
	if err := sl.Drop(context.Background(), "s1", 2, false); !errors.Is(err, ErrSlotActive) {
		t.Fatal(err)
	}
	sl.Release("s1", 1)
	if err := sl.Drop(context.Background(), "s1", 2, false); err != nil || sl.Active() {
		t.Fatal(err)
	}
}
