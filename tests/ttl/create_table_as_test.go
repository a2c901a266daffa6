package ttl_test

import (
	"testing"
	"time"
)

// CREATE TABLE AS and SELECT INTO accept the storage options CREATE TABLE
// does (PostgreSQL rejects these, so this is not an .slt file): the rows
// the statement inserts expire like any other, and option errors are the
// same.
func TestCreateTableAsOptions(t *testing.T) {
	e := start(t, "", newClock(), nil)
	defer e.stop()
	e.exec(`create table src (id int primary key, v text)`)
	e.exec(`insert into src values (1, 'a'), (2, 'b'), (3, 'c')`)
	if n := e.exec(`create table c1 with (ttl_expire_after = '1 hour', notify_changes = true) as select * from src where id < 3`); n != 2 {
		t.Errorf("CREATE TABLE AS: SELECT %d, want 2", n)
	}
	e.want(`select reloptions::text from pg_class where relname = 'c1'`, `[{notify_changes=true,"ttl_expire_after=1 hour"}]`)
	e.clk.Add(30 * time.Minute)
	e.exec(`insert into c1 values (9, 'z')`)
	e.clk.Add(30 * time.Minute)
	e.want(`select id from c1 order by id`, "[9]")
	if got := e.execErr(`create table c2 with (ttl_expire_after = 'soon') as select 1`); got != `22023 invalid value for interval option "ttl_expire_after": soon` {
		t.Errorf("bad option: %s", got)
	}
	e.want(`select count(*) from pg_class where relname = 'c2'`, "[0]")
	// A TTL on a column the query provides.
	e.exec(`create table c3 with (ttl_expiration_expression = 'exp') as select id, now() + interval '10 minutes' as exp from src`)
	e.clk.Add(10 * time.Minute)
	e.want(`select count(*) from c3`, "[0]")
}
