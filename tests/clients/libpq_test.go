package clients_test

import (
	"database/sql"
	"testing"

	"github.com/lib/pq"
	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

// TestLibpq drives lib/pq through database/sql: a query, a prepared
// statement reused with different arguments, a transaction rolled back and
// one committed, and COPY through pq.CopyIn.
func TestLibpq(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	db, err := sql.Open("postgres", srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE item (id int PRIMARY KEY, name text, price numeric(8,2))"); err != nil {
		t.Fatal(err)
	}

	txn, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := txn.Prepare(pq.CopyIn("item", "id", "name", "price"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500; i++ {
		if _, err := stmt.Exec(i, "item-"+itoa(i), float64(i)+0.25); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := stmt.Exec(); err != nil {
		t.Fatal(err)
	}
	if err := stmt.Close(); err != nil {
		t.Fatal(err)
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}

	byID, err := db.Prepare("SELECT name, price FROM item WHERE id = $1")
	if err != nil {
		t.Fatal(err)
	}
	defer byID.Close()
	for _, id := range []int{0, 7, 499} {
		var name, price string
		if err := byID.QueryRow(id).Scan(&name, &price); err != nil {
			t.Fatal(err)
		}
		if want := "item-" + itoa(id); name != want {
			t.Errorf("id %d: name %q, want %q", id, name, want)
		}
	}
	var price string
	if err := byID.QueryRow(3).Scan(new(string), &price); err != nil || price != "3.25" {
		t.Errorf("price of 3: %q %v", price, err)
	}

	rollback, _ := db.Begin()
	if _, err := rollback.Exec("DELETE FROM item WHERE id < 100"); err != nil {
		t.Fatal(err)
	}
	if err := rollback.Rollback(); err != nil {
		t.Fatal(err)
	}
	commit, _ := db.Begin()
	if _, err := commit.Exec("UPDATE item SET price = price * 2 WHERE id >= 400"); err != nil {
		t.Fatal(err)
	}
	if err := commit.Commit(); err != nil {
		t.Fatal(err)
	}
	var count int
	var total string
	if err := db.QueryRow("SELECT count(*), sum(price) FROM item").Scan(&count, &total); err != nil {
		t.Fatal(err)
	}
	// sum over i of (i + 0.25), plus (i + 0.25) once more for i >= 400.
	if count != 500 || total != "169850.00" {
		t.Errorf("count %d sum %s, want 500 and 169850.00", count, total)
	}
}
