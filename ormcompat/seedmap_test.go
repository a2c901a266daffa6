package ormcompat

import (
	"errors"
	"fmt"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// seedItems stores 10 items: k00..k09, category a (even) / b (odd),
// qty = i, price = i*1.5, in stock unless i%3 == 0.
func seedItems(t *testing.T, db *gorm.DB) []Item {
	t.Helper()
	migrate(t, db, &Item{})
	var items []Item
	for i := 0; i < 10; i++ {
		cat := "a"
		if i%2 == 1 {
			cat = "b"
		}
		items = append(items, Item{Key: fmt.Sprintf("k%02d", i), Category: cat, Qty: i, Price: float64(i) * 1.5, InStock: i%3 != 0})
	}
	ok(t, "seed items", db.Create(&items).Error)
	return items
}

// suiteSeedMap proves, through GORM, each PrkDB feature that SEED-MAP.md
// maps to GORM: typed collections, batch writes, upsert, update, exists,
// soft delete, timestamps, hooks, relationship loading, pagination,
// aggregations, filters, transactions.
func suiteSeedMap(t *testing.T, e *env) {
	t.Run("typed_collection_put_get_delete", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Item{})
		ok(t, "put", db.Create(&Item{Key: "k", Qty: 1}).Error)
		var it Item
		ok(t, "get", db.Where("key = ?", "k").First(&it).Error)
		eq(t, "get", it.Qty, 1)
		ok(t, "delete", db.Unscoped().Where("key = ?", "k").Delete(&Item{}).Error)
		err := db.Unscoped().Where("key = ?", "k").First(&Item{}).Error
		eq(t, "gone", errors.Is(err, gorm.ErrRecordNotFound), true)
	})

	t.Run("batch_writes", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Item{})
		var items []Item
		for i := 0; i < 250; i++ {
			items = append(items, Item{Key: fmt.Sprintf("b%03d", i), Qty: i})
		}
		r := db.CreateInBatches(&items, 100)
		ok(t, "insert_batch", r.Error)
		eq(t, "inserted", r.RowsAffected, 250)
		r = db.Unscoped().Where("key IN ?", []string{"b000", "b001", "b002", "zzz"}).Delete(&Item{})
		ok(t, "delete_batch", r.Error)
		eq(t, "deleted", r.RowsAffected, 3)
		var n int64
		ok(t, "count", db.Model(&Item{}).Count(&n).Error)
		eq(t, "left", n, 247)
	})

	t.Run("upsert", func(t *testing.T) {
		db := e.gdb(t)
		seedItems(t, db)
		r := db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "key"}},
			DoUpdates: clause.Assignments(map[string]any{"qty": gorm.Expr("excluded.qty + 100")}),
		}).Create(&[]Item{{Key: "k01", Qty: 1}, {Key: "new", Qty: 2}})
		ok(t, "upsert", r.Error)
		var qs []int
		ok(t, "qtys", db.Model(&Item{}).Where("key IN ?", []string{"k01", "new"}).Order("key").Pluck("qty", &qs).Error)
		eq(t, "qtys", qs, []int{101, 2})
	})

	t.Run("update_where", func(t *testing.T) {
		db := e.gdb(t)
		seedItems(t, db)
		r := db.Model(&Item{}).Where("category = ? AND qty > ?", "a", 3).Updates(map[string]any{"qty": gorm.Expr("qty * 10"), "in_stock": false})
		ok(t, "update_where", r.Error)
		eq(t, "rows", r.RowsAffected, 3)
		var qs []int
		ok(t, "qtys", db.Model(&Item{}).Where("category = ?", "a").Order("key").Pluck("qty", &qs).Error)
		eq(t, "qtys", qs, []int{0, 2, 40, 60, 80})
	})

	t.Run("exists", func(t *testing.T) {
		db := e.gdb(t)
		seedItems(t, db)
		it := table(t, db, &Item{})
		var ex bool
		ok(t, "EXISTS", db.Raw(fmt.Sprintf("SELECT EXISTS (SELECT 1 FROM %q WHERE key = ?)", it), "k03").Scan(&ex).Error)
		eq(t, "exists k03", ex, true)
		ok(t, "NOT EXISTS", db.Raw(fmt.Sprintf("SELECT EXISTS (SELECT 1 FROM %q WHERE key = ?)", it), "nope").Scan(&ex).Error)
		eq(t, "exists nope", ex, false)
		var found bool
		ok(t, "Select count > 0", db.Model(&Item{}).Select("count(*) > 0").Where("qty > ?", 8).Find(&found).Error)
		eq(t, "any qty > 8", found, true)
		var n int64
		ok(t, "Limit(1).Count idiom", db.Model(&Item{}).Where("qty > ?", 100).Limit(1).Count(&n).Error)
		eq(t, "none > 100", n, 0)
	})

	t.Run("soft_delete", func(t *testing.T) {
		db := e.gdb(t)
		seedItems(t, db)
		ok(t, "soft delete", db.Where("category = ?", "b").Delete(&Item{}).Error)
		var n int64
		ok(t, "visible", db.Model(&Item{}).Count(&n).Error)
		eq(t, "visible", n, 5)
		ok(t, "with deleted", db.Unscoped().Model(&Item{}).Count(&n).Error)
		eq(t, "with deleted", n, 10)
		ok(t, "restore", db.Unscoped().Model(&Item{}).Where("key = ?", "k01").Update("deleted_at", nil).Error)
		ok(t, "visible after restore", db.Model(&Item{}).Count(&n).Error)
		eq(t, "visible after restore", n, 6)
	})

	t.Run("timestamps_and_hooks", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Hooked{})
		h := Hooked{Name: "x"}
		ok(t, "create", db.Create(&h).Error)
		eq(t, "hooks", h.Log, "bs;bc;")
		var got Hooked
		ok(t, "read", db.First(&got, h.ID).Error)
		eq(t, "timestamps", !got.CreatedAt.IsZero() && got.UpdatedAt.Equal(got.CreatedAt), true)
		eq(t, "AfterFind", got.Loaded, "found:x")
	})

	t.Run("relationship_loading", func(t *testing.T) {
		db := e.gdb(t)
		f := seed(t, db)
		var u User
		ok(t, "Preload", db.Preload("Orders", func(db *gorm.DB) *gorm.DB { return db.Order("amount") }).First(&u, f.users[0].ID).Error)
		eq(t, "Preload", len(u.Orders), 2)
		var os []Order
		ok(t, "join_with", db.Joins("User").Where(`"User"."name" = ?`, "dave").Order("amount").Find(&os).Error)
		eq(t, "join_with", j(len(os), os[0].User.Name), "2 dave")
	})

	t.Run("pagination", func(t *testing.T) {
		db := e.gdb(t)
		seedItems(t, db)
		var page []Item
		ok(t, "limit/offset", db.Scopes(Paginate(2, 3)).Order("key").Find(&page).Error)
		eq(t, "page 2", keys(page), []string{"k03", "k04", "k05"})
		var all []string
		var last uint
		for {
			var batch []Item
			ok(t, "keyset", db.Where("id > ?", last).Order("id").Limit(4).Find(&batch).Error)
			if len(batch) == 0 {
				break
			}
			all = append(all, keys(batch)...)
			last = batch[len(batch)-1].ID
		}
		eq(t, "keyset", len(all), 10)
		it := table(t, db, &Item{})
		noPanic(t, "DECLARE/FETCH through pgx", func() error {
			return db.Transaction(func(tx *gorm.DB) error {
				if err := tx.Exec(fmt.Sprintf("DECLARE c CURSOR FOR SELECT key FROM %q ORDER BY key", it)).Error; err != nil {
					return err
				}
				var first, second []string
				if err := tx.Raw("FETCH 3 FROM c").Scan(&first).Error; err != nil {
					return err
				}
				if err := tx.Raw("FETCH 2 FROM c").Scan(&second).Error; err != nil {
					return err
				}
				eq(t, "FETCH", j(first, second), "[k00 k01 k02] [k03 k04]")
				return tx.Exec("CLOSE c").Error
			})
		})
	})

	t.Run("aggregations", func(t *testing.T) {
		db := e.gdb(t)
		seedItems(t, db)
		var agg struct {
			N      int64
			Sum    int64
			Avg    float64
			Min    int
			Max    int
			InN    int64
			Cats   int64
			AnyBig bool
			AllPos bool
		}
		ok(t, "aggregates", db.Model(&Item{}).Select(
			"count(*) AS n, sum(qty) AS sum, avg(qty) AS avg, min(qty) AS min, max(qty) AS max, "+
				"count(*) FILTER (WHERE in_stock) AS in_n, count(DISTINCT category) AS cats, "+
				"bool_or(qty > 8) AS any_big, bool_and(qty >= 0) AS all_pos").Scan(&agg).Error)
		eq(t, "aggregates", fmt.Sprintf("%+v", agg), "{N:10 Sum:45 Avg:4.5 Min:0 Max:9 InN:6 Cats:2 AnyBig:true AllPos:true}")
		var by []struct {
			Category string
			N        int
			Sum      float64
		}
		ok(t, "group_by/sum_by/count_by", db.Model(&Item{}).Select("category, count(*) AS n, sum(price) AS sum").Group("category").Order("category").Scan(&by).Error)
		eq(t, "by category", fmt.Sprint(by), "[{a 5 30} {b 5 37.5}]")
		var cats []string
		ok(t, "distinct", db.Model(&Item{}).Distinct("category").Order("category").Pluck("category", &cats).Error)
		eq(t, "distinct", cats, []string{"a", "b"})
		var n int64
		ok(t, "count_where", db.Model(&Item{}).Where("in_stock AND price > ?", 5).Count(&n).Error)
		eq(t, "count_where", n, 4)
		var avg float64
		ok(t, "avg numeric", db.Model(&Item{}).Select("avg(price)").Where("category = ?", "b").Scan(&avg).Error)
		eq(t, "avg", avg, 7.5)
	})

	t.Run("filters_find_one_find_all_delete_where", func(t *testing.T) {
		db := e.gdb(t)
		seedItems(t, db)
		var one Item
		ok(t, "find_one", db.Where("qty > ? AND category = ?", 4, "b").Order("qty").First(&one).Error)
		eq(t, "find_one", one.Key, "k05")
		var all []Item
		ok(t, "find_all", db.Where("price BETWEEN ? AND ?", 3, 9).Not("in_stock").Order("key").Find(&all).Error)
		eq(t, "find_all", keys(all), []string{"k03", "k06"})
		all = nil
		ok(t, "prefix", db.Where("key LIKE ?", "k0%").Where("qty < ?", 2).Order("key").Find(&all).Error)
		eq(t, "prefix", keys(all), []string{"k00", "k01"})
		r := db.Unscoped().Where("qty >= ?", 7).Delete(&Item{})
		ok(t, "delete_where", r.Error)
		eq(t, "delete_where rows", r.RowsAffected, 3)
	})

	t.Run("transactions_savepoints", func(t *testing.T) {
		db := e.gdb(t)
		seedItems(t, db)
		err := db.Transaction(func(tx *gorm.DB) error {
			tx.Model(&Item{}).Where("key = ?", "k00").Update("qty", 500)
			return tx.Transaction(func(tx2 *gorm.DB) error {
				tx2.Model(&Item{}).Where("key = ?", "k01").Update("qty", 600)
				return errRollback
			})
		})
		eq(t, "outer sees inner error", errors.Is(err, errRollback), true)
		var qs []int
		ok(t, "qtys", db.Model(&Item{}).Where("key IN ?", []string{"k00", "k01"}).Order("key").Pluck("qty", &qs).Error)
		eq(t, "rolled back", qs, []int{0, 1})
	})
}

func keys(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Key
	}
	return out
}
