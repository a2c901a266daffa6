package types

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// testdata/ts_io.json: tsvector and tsquery inputs with what PostgreSQL 15
// prints for them (tsvectorin/out, tsqueryin/out) or the SQLSTATE it
// rejects them with.
func TestTSTextIOMatchesPostgres(t *testing.T) {
	b, err := os.ReadFile("testdata/ts_io.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct{ Type, In, Out, Err string }
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		typ := TSVectorType
		if c.Type == "tsquery" {
			typ = TSQueryType
		}
		d, err := ParseText(typ, c.In, nil)
		if c.Err != "" {
			var pe *pgerror.Error
			if err == nil {
				t.Errorf("%s %q = %q, PostgreSQL fails with %s", c.Type, c.In, d.S, c.Err)
			} else if errors.As(err, &pe) && string(pe.Code) != c.Err {
				t.Errorf("%s %q fails with %s (%v), PostgreSQL with %s", c.Type, c.In, pe.Code, err, c.Err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v, PostgreSQL prints %q", c.Type, c.In, err, c.Out)
			continue
		}
		if got := FormatText(d, typ, nil); got != c.Out {
			t.Errorf("%s %q = %q, PostgreSQL prints %q", c.Type, c.In, got, c.Out)
		}
	}
}
