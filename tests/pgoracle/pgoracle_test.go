package pgoracle

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if err := StopShared(); err != nil {
		fmt.Fprintln(os.Stderr, "pgoracle: stop:", err)
	}
	os.Exit(code)
}

// TestSharedOracleSettings guards the settings the other suites rely on:
// PostgreSQL 15, logical replication, UTC and ISO dates.
func TestSharedOracleSettings(t *testing.T) {
	dsn := Start(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	want := map[string]string{
		"server_version_num":    "15",
		"wal_level":             "logical",
		"TimeZone":              "UTC",
		"DateStyle":             "ISO, MDY",
		"server_encoding":       "UTF8",
		"lc_collate":            "C",
		"max_replication_slots": "16",
	}
	for name, w := range want {
		var got string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "server_version_num" {
			got = got[:2]
		}
		if got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}
