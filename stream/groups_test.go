package stream

import (
	"fmt"
	"strings"
	"testing"
)

// owners prints a group's assignment, partition by partition.
func owners(g *group) string {
	var b strings.Builder
	for p, m := range g.owner {
		if p > 0 {
			b.WriteByte(' ')
		}
		if m == nil {
			b.WriteByte('-')
		} else {
			b.WriteString(m.name)
		}
	}
	return b.String()
}

// TestGroupAssignment: sticky assignment as members join, disconnect,
// come back within their session timeout and leave; offsets survive a
// reopen.
func TestGroupAssignment(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	slots, err := OpenSlots(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := slots.Create("grp", "pgoutput", 1, false, 1, nil); err != nil {
		t.Fatal(err)
	}
	gs, err := OpenGroups(s, slots)
	if err != nil {
		t.Fatal(err)
	}
	join := func(name string, pid int32) *Member {
		t.Helper()
		m, err := gs.Join("grp", GroupOptions{Group: "g", Member: name, Partitions: 8}, pid, 1)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	g := func() *group { return gs.groups[[2]string{"grp", "g"}] }
	var steps []string
	step := func(what string) {
		gs.mu.Lock()
		steps = append(steps, fmt.Sprintf("%-22s %s", what, owners(g())))
		gs.mu.Unlock()
	}
	a := join("a", 10)
	step("a joins")
	b := join("b", 11)
	step("b joins")
	join("c", 12)
	step("c joins")
	if _, err := gs.Join("grp", GroupOptions{Group: "g", Member: "b"}, 13, 1); err == nil {
		t.Fatal("a second connection for b was accepted")
	}
	b.Leave(false) // connection lost: b keeps its partitions for now
	step("b disconnects")
	join("b", 14)
	step("b is back")
	a.Leave(true)
	step("a leaves (CopyDone)")
	if st, _ := slots.Get("grp"); st.Database != 1 {
		t.Fatal(st)
	}
	if sl := slots.List()[0]; sl.ActivePID != GroupPID {
		t.Fatalf("slot active_pid %d, want %d", sl.ActivePID, GroupPID)
	}
	want := []string{
		"a joins                a a a a a a a a",
		"b joins                a a a a b b b b",
		"c joins                a a a c b b b c",
		"b disconnects          a a a c b b b c",
		"b is back              a a a c b b b c",
		"a leaves (CopyDone)    b c c c b b b c",
	}
	if got := strings.Join(steps, "\n"); got != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	// Offsets: an acknowledgement counts for the partitions the
	// connection streams; they are durable and the slot follows the
	// lowest.
	c := g().members["c"]
	own := []bool{false, true, true, true, false, false, false, true}
	c.owned.Store(&own)
	c.sentTo = make([]uint64, 8)
	base := g().info.Offsets[0]
	if err := c.confirm(base + 5<<32); err != nil {
		t.Fatal(err)
	}
	s.Close()
	slots.Close()
	s = openStore(t, dir)
	defer s.Close()
	slots, err = OpenSlots(s)
	if err != nil {
		t.Fatal(err)
	}
	defer slots.Close()
	gs, err = OpenGroups(s, slots)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range g().info.Offsets {
		got = append(got, fmt.Sprint((o-base)>>32))
	}
	if strings.Join(got, " ") != "0 5 5 5 0 0 0 5" {
		t.Fatalf("offsets after reopen: %v", got)
	}
	if len(gs.Status()) != 8 {
		t.Fatal(gs.Status())
	}
}

func TestPartitionOf(t *testing.T) {
	// Stable across releases: the partition of a key decides which member
	// gets it, and offsets are stored per partition.
	if p := PartitionOf(16384, []byte{0x80, 0, 0, 1}, 16); p != PartitionOf(16384, []byte{0x80, 0, 0, 1}, 16) {
		t.Fatal("not deterministic")
	}
	seen := map[int]bool{}
	for k := 0; k < 200; k++ {
		seen[PartitionOf(16384, []byte{byte(k), byte(k >> 8)}, 16)] = true
	}
	if len(seen) != 16 {
		t.Fatalf("200 keys hit %d of 16 partitions", len(seen))
	}
}
