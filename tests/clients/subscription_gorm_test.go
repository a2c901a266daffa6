package clients_test

import (
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/prkdb/prkdb-sql/tests/prkdbtest"
)

type gormOrder struct {
	ID   int `gorm:"primaryKey"`
	Item string
}

// subChange is a row of prkdb_subscription_changes as a GORM program reads
// it (jsonb columns as strings).
type subChange struct {
	Offset     int64
	Op         string
	TableName  string
	Key        string
	Row        *string
	CommitTime time.Time
}

// TestSubscriptionGORM: a GORM program consumes a subscription in batches
// with offsets and commits them, with no replication protocol.
func TestSubscriptionGORM(t *testing.T) {
	srv := prkdbtest.Start(t, prkdbtest.Options{})
	db, err := gorm.Open(postgres.Open(srv.DSN), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AutoMigrate(&gormOrder{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("SELECT prkdb_create_subscription(?, ?)", "gsub", "gorm_orders").Error; err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if err := db.Create(&gormOrder{ID: i, Item: "x"}).Error; err != nil {
			t.Fatal(err)
		}
	}
	db.Model(&gormOrder{}).Where("id = ?", 2).Update("item", "y")
	db.Delete(&gormOrder{}, 3)
	var got []subChange
	for round := 0; round < 10; round++ {
		var batch []subChange
		if err := db.Raw("SELECT * FROM prkdb_subscription_changes(?, max_changes => ?)", "gsub", 3).Scan(&batch).Error; err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			break
		}
		got = append(got, batch...)
		if err := db.Exec("SELECT prkdb_subscription_commit(?, ?)", "gsub", batch[len(batch)-1].Offset).Error; err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 7 {
		t.Fatalf("got %d changes: %+v", len(got), got)
	}
	for i, c := range got {
		if i > 0 && c.Offset <= got[i-1].Offset {
			t.Fatalf("offsets out of order: %+v", got)
		}
		if c.TableName != "public.gorm_orders" {
			t.Fatalf("table %q", c.TableName)
		}
	}
	if got[5].Op != "update" || got[5].Key != `{"id": 2}` || got[6].Op != "delete" || got[6].Key != `{"id": 3}` || got[6].Row != nil {
		t.Fatalf("got %+v %+v", got[5], got[6])
	}
}
