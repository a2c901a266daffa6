package syscat

import "testing"

// TestRegprocNamesResolve: every function the catalogs name in a regproc
// column has an OID (PostgreSQL's, in internalProcOIDs, or a built-in's),
// so that regproc() never answers "-" for a named function.
func TestRegprocNamesResolve(t *testing.T) {
	names := []string{"heap_tableam_handler", "bthandler", "hashhandler", "gisthandler", "ginhandler", "spghandler", "brinhandler"}
	for _, d := range pgTypeData {
		names = append(names, d.subscript, d.input, d.output, d.receive, d.send, d.modin, d.modout, d.analyze)
	}
	for _, n := range names {
		if n == "-" {
			continue
		}
		if regproc(n).I == 0 {
			t.Errorf("regproc %q has no OID: add it to internalProcOIDs (pg_proc.oid of PostgreSQL 15)", n)
		}
	}
	for n, o := range internalProcOIDs {
		if internalProcName[o] != n {
			t.Errorf("internalProcOIDs: OID %d is listed twice", o)
		}
	}
}
