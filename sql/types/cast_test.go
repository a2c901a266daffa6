package types

import (
	"fmt"
	"testing"
)

// TestGoldenCast replays testdata/cast.txt (PostgreSQL's CAST and
// assignment results). Assignment cases that PostgreSQL rejects for lack of
// an assignment cast (42804) check CastContext instead.
func TestGoldenCast(t *testing.T) {
	for _, c := range readGolden(t, "cast.txt") {
		if c.fields == nil {
			continue
		}
		name := fmt.Sprintf("line%d %s %s -> %s (%s)", c.line, c.fields[1], c.fields[2], c.fields[3], c.fields[4])
		set := goldenSettings(t, c.fields[0])
		from := mustType(t, c.fields[1])
		to := mustType(t, c.fields[3])
		explicit := c.fields[4] == "e"
		in := unquote(t, c.fields[2])
		if c.result == `err 42804 "column \"c\" is of type `+FormatType(to)+` but expression is of type `+FormatType(from)+`"` {
			if ctx := CastContext(from.OID, to.OID); ctx.Allows(CoerceAssignment) {
				t.Errorf("%s: CastContext = %s, PostgreSQL has no assignment cast", name, ctx)
			}
			continue
		}
		want := CoerceExplicit
		if !explicit {
			want = CoerceAssignment
		}
		if ctx := CastContext(from.OID, to.OID); !ctx.Allows(want) {
			t.Errorf("%s: CastContext = %s, PostgreSQL allows the cast", name, ctx)
		}
		src, err := ParseText(from, in, set)
		var d Datum
		if err == nil {
			d, err = Cast(src, from, to, explicit, set)
		}
		var got string
		switch {
		case err != nil:
			got = errResult(err)
		case d.IsNull():
			got = "null"
		default:
			got = okText(FormatText(d, to, set))
		}
		if got != c.result {
			t.Errorf("%s:\n got  %s\n want %s", name, got, c.result)
		}
	}
}
