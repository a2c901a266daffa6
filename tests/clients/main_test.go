package clients_test

import (
	"os"
	"testing"

	"github.com/prkdb/prkdb-sql/tests/pgoracle"
)

func TestMain(m *testing.M) { os.Exit(pgoracle.RunTests(m)) }
