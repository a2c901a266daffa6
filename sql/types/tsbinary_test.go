package types

import (
	"encoding/hex"
	"testing"
)

// The binary forms PostgreSQL 15 sent for these values (pgx, binary result
// format), and back.
func TestTSBinaryMatchesPostgres(t *testing.T) {
	for _, c := range []struct {
		typ  Type
		text string
		hex  string
	}{
		{TSVectorType, `a:1,3A 'b c':2B zz`, "00000003610000020001c00362206300000180027a7a000000"},
		{TSQueryType, `fat & (rat | !cat) <2> dog:*AB`, "00000008020202040002010c01646f670002030201010000636174000100007261740001000066617400"},
		{TSQueryType, ``, "00000000"},
	} {
		d, err := ParseText(c.typ, c.text, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := AppendBinary(nil, d, c.typ)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(b); got != c.hex {
			t.Errorf("send %s %q = %s, PostgreSQL sends %s", c.typ, c.text, got, c.hex)
		}
		raw, _ := hex.DecodeString(c.hex)
		back, err := ParseBinary(c.typ, raw)
		if err != nil {
			t.Fatal(err)
		}
		if back.S != d.S {
			t.Errorf("recv %s %s = %q, want %q", c.typ, c.hex, back.S, d.S)
		}
	}
}
