package syscat_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/prkdb/prkdb-sql/sql/syscat"
	"github.com/prkdb/prkdb-sql/tests/pgoracle"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// substitutedTypes are PostgreSQL column types the views show as another
// type (values this server has none of, or information_schema's domains):
// PostgreSQL's type name -> ours.
var substitutedTypes = map[string]string{
	"aclitem[]": "text[]", "pg_node_tree": "text", "xid": "oid", "inet": "text",
	"pg_lsn": "text", "anyarray": "text",
	"information_schema.sql_identifier": "name", "information_schema.cardinal_number": "integer",
	"information_schema.character_data": "character varying", "information_schema.yes_or_no": "character varying(3)",
	"information_schema.time_stamp": "timestamp with time zone",
}

// TestViewColumnsMatchPostgres checks that every system view has
// PostgreSQL 15's columns, in order, with its types (or the documented
// substitutes).
func TestViewColumnsMatchPostgres(t *testing.T) {
	ctx := context.Background()
	oracle := pgoracle.Start(t)
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	pg, err := pgx.Connect(ctx, oracle)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	prk, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer prk.Close(ctx)
	columns := func(c *pgx.Conn, schema, name string) (string, error) {
		rows, err := c.Query(ctx, fmt.Sprintf(`SELECT * FROM %s.%s LIMIT 0`, schema, name))
		if err != nil {
			return "", err
		}
		rows.Close()
		var parts []string
		for _, f := range rows.FieldDescriptions() {
			parts = append(parts, fmt.Sprintf("%s:%d", f.Name, f.DataTypeOID))
		}
		return strings.Join(parts, ", "), rows.Err()
	}
	typeName := func(c *pgx.Conn, spec string) string {
		var out []string
		for _, part := range strings.Split(spec, ", ") {
			i := strings.LastIndexByte(part, ':')
			var name string
			if err := c.QueryRow(ctx, `SELECT format_type($1::oid, NULL)`, part[i+1:]).Scan(&name); err != nil {
				name = "?" + part[i+1:]
			}
			if sub, ok := substitutedTypes[name]; ok {
				name = sub
			}
			out = append(out, part[:i]+" "+name)
		}
		return strings.Join(out, ", ")
	}
	for _, v := range syscat.Views() {
		if v.Extension {
			continue
		}
		want, err := columns(pg, v.Schema, v.Name)
		if err != nil {
			t.Errorf("%s.%s on PostgreSQL: %v", v.Schema, v.Name, err)
			continue
		}
		got, err := columns(prk, v.Schema, v.Name)
		if err != nil {
			t.Errorf("%s.%s: %v", v.Schema, v.Name, err)
			continue
		}
		if w, g := typeName(pg, want), typeName(pg, got); w != g {
			t.Errorf("%s.%s columns differ:\npostgres: %s\nprkdb:    %s", v.Schema, v.Name, w, g)
		}
		var oid uint32
		if err := pg.QueryRow(ctx, `SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 AND c.relname = $2`, v.Schema, v.Name).Scan(&oid); err != nil {
			t.Errorf("%s.%s: %v", v.Schema, v.Name, err)
		} else if oid != v.OID && v.Schema == "pg_catalog" {
			t.Errorf("%s.%s: OID %d, PostgreSQL's is %d", v.Schema, v.Name, v.OID, oid)
		}
	}
}
