package sqllogic

import (
	"fmt"
	"os"
	"strings"
)

// EnvRewrite, set to 1, asks the tests to rewrite expectations.
const EnvRewrite = "PRKDB_SLT_REWRITE"

// RewriteRequested reports whether PRKDB_SLT_REWRITE=1 is set.
func RewriteRequested() bool { return os.Getenv(EnvRewrite) == "1" }

// edit replaces a record's header and (for queries) its expected lines.
type edit struct {
	header  string
	results []string
}

// rewriteRecord returns the edit that makes r describe o, or ok=false when
// r cannot honestly be rewritten (a query that failed: its rows would be
// lost, so the failure is reported instead). Only what the record already
// asserts is rewritten: a tag is not added to `statement ok`, a message regex
// is kept only while it still matches.
func rewriteRecord(r *Record, o outcome) (e edit, ok bool) {
	if o.other != nil {
		return edit{}, false
	}
	switch r.Kind {
	case KindStatementOK, KindStatementError:
		if o.pgErr == nil {
			h := "statement ok"
			if r.Kind == KindStatementOK && r.Tag != "" {
				h += " " + o.tag
			}
			return edit{header: h}, true
		}
		h := "statement error " + o.pgErr.Code
		if r.Kind == KindStatementError && r.MessageRE != nil && r.MessageRE.MatchString(o.pgErr.Message) {
			h += " " + r.MessageRE.String()
		}
		return edit{header: h}, true
	case KindQuery:
		if o.pgErr != nil {
			return edit{}, false
		}
		spec := r.TypeSpec
		if len(r.Types) != len(o.fields) || !typesMatch(r.Types, o.oids()) {
			spec = specFor(o.oids())
		}
		opts := []string{"query", spec}
		if r.Sort != NoSort {
			opts = append(opts, r.Sort.String())
		}
		if r.ColNames {
			opts = append(opts, "colnames")
		}
		var names []string
		if r.ColNames {
			names = o.names()
		}
		return edit{header: strings.Join(opts, " "), results: renderRows(names, o.rows, r.Sort)}, true
	}
	return edit{}, false
}

// applyEdits returns the file's text with the edits applied. The runner makes
// edits only for failing records, so a rewrite of a passing file is
// byte-identical and passing records keep their layout and comments.
func applyEdits(f *File, edits map[*Record]edit) string {
	byHeader := map[int]*Record{}
	for r := range edits {
		byHeader[r.headerIdx] = r
	}
	var out []string
	for i := 0; i < len(f.Lines); i++ {
		r, ok := byHeader[i]
		if !ok {
			out = append(out, f.Lines[i])
			continue
		}
		e := edits[r]
		out = append(out, e.header)
		if r.Kind != KindQuery {
			continue
		}
		// Copy the SQL and the ---- line, then substitute the results.
		for i+1 < r.resultLo {
			i++
			out = append(out, f.Lines[i])
		}
		out = append(out, e.results...)
		i = r.resultHi - 1
	}
	return strings.Join(out, "\n") + "\n"
}

// writeRewrite writes the rewritten file when it differs from the original.
func writeRewrite(f *File, edits map[*Record]edit) (changed bool, err error) {
	text := applyEdits(f, edits)
	if text == strings.Join(f.Lines, "\n")+"\n" {
		return false, nil
	}
	if err := os.WriteFile(f.Path, []byte(text), 0o644); err != nil {
		return false, fmt.Errorf("rewrite %s: %w", f.Path, err)
	}
	return true, nil
}
