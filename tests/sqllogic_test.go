package tests

import (
	"context"
	"flag"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/sqllogic"
)

// -rewrite (or PRKDB_SLT_REWRITE=1) rewrites the expectations of failing
// records from PostgreSQL's answers. It only applies to TestSQLLogicPostgres:
//
//	go test ./tests -run TestSQLLogicPostgres -rewrite
var rewrite = flag.Bool("rewrite", false, "rewrite .slt expectations from PostgreSQL (TestSQLLogicPostgres only)")

const sltGlob = "testdata/sql/*.slt"

// TestSQLLogicPostgres runs every .slt file against PostgreSQL 15: this is
// what makes the expected results PostgreSQL's.
func TestSQLLogicPostgres(t *testing.T) {
	dsn := pgoracle.Start(t)
	connect := func(ctx context.Context) (*pgx.Conn, error) { return pgx.Connect(ctx, dsn) }
	runSLT(t, connect, sqllogic.Options{Engine: "postgres", Rewrite: *rewrite || sqllogic.RewriteRequested()})
}

// TestSQLLogicPrkdb runs the same files against prkdb-sql.
// Each file gets a server of its own, so files cannot disturb each other.
func TestSQLLogicPrkdb(t *testing.T) {
	runSLTEach(t, startPrkdb, sqllogic.Options{Engine: "prkdb"})
}

func runSLT(t *testing.T, connect sqllogic.ConnectFunc, opts sqllogic.Options) {
	runSLTEach(t, func(*testing.T) sqllogic.ConnectFunc { return connect }, opts)
}

func runSLTEach(t *testing.T, start func(*testing.T) sqllogic.ConnectFunc, opts sqllogic.Options) {
	files, err := filepath.Glob(sltGlob)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files match %s", sltGlob)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel() // each file has its own database and connections
			sqllogic.RunFile(t, start(t), path, opts)
		})
	}
}
