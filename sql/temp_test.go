package sql

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql/catalog"
)

// TestTempLeftoversDroppedAtOpen: an engine closed while a session still
// had temporary tables (as after a crash: no session Close ran) comes back
// without their schema, catalog entries, rows, index entries or sequence.
func TestTempLeftoversDroppedAtOpen(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir, Sync: kv.SyncOff, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	eng, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, perr := eng.NewSession(SessionParams{User: "postgres", Database: "postgres", BackendPID: 1})
	if perr != nil {
		t.Fatal(perr)
	}
	if perr := s.ExecSimple(context.Background(), `CREATE TEMP TABLE tt (id serial PRIMARY KEY, v text UNIQUE);
		INSERT INTO tt (v) SELECT 'v' || g FROM generate_series(1, 50) g`, &fuzzDiscard{}); perr != nil {
		t.Fatal(perr)
	}
	cat := eng.Catalog()
	sc := s.tempSchema(cat)
	if sc == nil {
		t.Fatal("no temporary schema")
	}
	tb := cat.Table(func() uint32 { oid, _, _ := cat.Relation(sc.OID, "tt"); return oid }())
	if tb == nil {
		t.Fatal("no temporary table")
	}
	seqs := cat.Sequences(sc.OID)
	if len(seqs) != 1 {
		t.Fatalf("%d sequences in %s, want 1", len(seqs), sc.Name)
	}
	// No s.Close(): the session's end never runs, as in a crash.
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}

	eng, err = Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	cat = eng.Catalog()
	for _, db := range cat.Databases() {
		for _, sch := range cat.Schemas(db.OID) {
			if isTempSchemaName(sch.Name) {
				t.Errorf("schema %s survived the restart", sch.Name)
			}
		}
	}
	if cat.Table(tb.OID) != nil || cat.Sequence(seqs[0].OID) != nil {
		t.Error("the temporary table or its sequence survived the restart")
	}
	txn := eng.Store().Begin(kv.ReadCommitted)
	defer txn.Rollback()
	for _, prefix := range [][]byte{catalog.TablePrefix(tb.OID), catalog.SequenceKey(seqs[0].OID)} {
		it := txn.Scan(kv.ScanOptions{Prefix: prefix})
		n := 0
		for it.Next() {
			n++
		}
		it.Close()
		if n != 0 {
			t.Errorf("%d keys left under %q", n, prefix)
		}
	}
}
