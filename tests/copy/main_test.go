// Package copy_test drives COPY with real clients — pgx's CopyFrom
// (binary), lib/pq's CopyIn (text), psql's \copy — against prkdb-sql
// (tests/prkdbtest) and against PostgreSQL 15 (tests/pgoracle), and
// compares what they produce byte for byte.
package copy_test

import (
	"os"
	"testing"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

func TestMain(m *testing.M) { os.Exit(pgoracle.RunTests(m)) }
