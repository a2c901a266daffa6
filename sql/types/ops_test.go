package types

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestGoldenOps replays testdata/ops.txt: operator lookup (result type)
// and evaluation against PostgreSQL. Operands whose types PostgreSQL would
// coerce first (character(n) || text, text = name) are cast the way the
// binder will.
func TestGoldenOps(t *testing.T) {
	for _, c := range readGolden(t, "ops.txt") {
		if c.fields == nil {
			continue
		}
		set := goldenSettings(t, c.fields[0])
		name := fmt.Sprintf("line%d: %s %s %s %s %s", c.line, c.fields[1], c.fields[2], c.fields[3], c.fields[4], c.fields[5])
		op := c.fields[3]
		rt := mustType(t, c.fields[4])
		r, err := ParseText(rt, unquote(t, c.fields[5]), set)
		if err != nil {
			t.Fatalf("%s: right operand: %v", name, err)
		}
		var got string
		if c.fields[1] == "-" {
			u, ok := LookupUnaryOp(op, rt.OID)
			if !ok {
				t.Errorf("%s: no unary operator", name)
				continue
			}
			d, err := u.Fn(r, set)
			got = opResult(d, u.Result, err, set)
		} else {
			lt := mustType(t, c.fields[1])
			l, err := ParseText(lt, unquote(t, c.fields[2]), set)
			if err != nil {
				t.Fatalf("%s: left operand: %v", name, err)
			}
			// The binder's implicit coercions that PostgreSQL applied here.
			if lt.OID == BPCharOID && rt.OID == TextOID || lt.OID == TextOID && rt.OID == BPCharOID && op != "||" {
				l, _ = Cast(l, lt, Text, false, set)
				r, _ = Cast(r, rt, Text, false, set)
				lt, rt = Text, Text
			}
			if op == "||" && lt.OID == TextOID && rt.OID == BPCharOID {
				r, _ = Cast(r, rt, Text, false, set)
				rt = Text
			}
			b, ok := LookupBinaryOp(op, lt.OID, rt.OID)
			if !ok {
				t.Errorf("%s: no operator %s(%s, %s)", name, op, lt, rt)
				continue
			}
			d, err := b.Fn(l, r, set)
			got = opResult(d, b.Result, err, set)
		}
		if got != c.result {
			t.Errorf("%s:\n got  %s\n want %s", name, got, c.result)
		}
	}
}

func opResult(d Datum, typ Type, err error, set *Settings) string {
	if err != nil {
		return errResult(err)
	}
	return "ok " + FormatType(Type{typ.OID, -1}) + " " + strconv.Quote(FormatText(d, typ, set))
}

// TestGoldenLike replays testdata/like.txt.
func TestGoldenLike(t *testing.T) {
	for _, c := range readGolden(t, "like.txt") {
		if c.fields == nil {
			continue
		}
		s, pat, op := unquote(t, c.fields[0]), unquote(t, c.fields[1]), c.fields[2]
		esc := LikeDefaultEscape
		if c.fields[3] != `"default"` {
			esc = unquote(t, c.fields[3])
		}
		m, err := CompileLike(pat, strings.Contains(op, "ILIKE"), esc)
		var got string
		if err != nil {
			got = errResult(err)
		} else {
			r := m(s)
			if strings.HasPrefix(op, "NOT") {
				r = !r
			}
			got = "f"
			if r {
				got = "t"
			}
		}
		if got != c.result {
			t.Errorf("line%d: %q %s %q escape %s: got %s, want %s", c.line, s, op, pat, c.fields[3], got, c.result)
		}
	}
}
