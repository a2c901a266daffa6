package ormcompat

import (
	"fmt"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// suiteUpsert covers clause.OnConflict in its GORM forms.
func suiteUpsert(t *testing.T, e *env) {
	products := func(t *testing.T, db *gorm.DB) string {
		var ps []Product
		ok(t, "read products", db.Order("code").Find(&ps).Error)
		return fmt.Sprint(ps)
	}

	t.Run("do_nothing", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		ok(t, "seed", db.Create(&Product{Code: "a", Price: 1, Stock: 1}).Error)
		r := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&Product{Code: "a", Price: 2, Stock: 2})
		ok(t, "DoNothing", r.Error)
		eq(t, "DoNothing rows", r.RowsAffected, 0)
		r = db.Clauses(clause.OnConflict{DoNothing: true}).Create(&[]Product{{Code: "a", Price: 3}, {Code: "b", Price: 4}})
		ok(t, "DoNothing batch", r.Error)
		eq(t, "DoNothing batch rows", r.RowsAffected, 1)
		eq(t, "products", products(t, db), "[{a 1 1} {b 4 0}]")
		r = db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "code"}}, DoNothing: true}).Create(&Product{Code: "b", Price: 9})
		ok(t, "DoNothing with target", r.Error)
		eq(t, "DoNothing with target rows", r.RowsAffected, 0)
	})

	t.Run("update_all", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{}, &Item{})
		ok(t, "seed", db.Create(&[]Product{{Code: "a", Price: 1, Stock: 1}, {Code: "b", Price: 2, Stock: 2}}).Error)
		r := db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&[]Product{{Code: "a", Price: 10, Stock: 11}, {Code: "c", Price: 30, Stock: 31}})
		ok(t, "UpdateAll", r.Error)
		eq(t, "UpdateAll rows", r.RowsAffected, 2)
		eq(t, "products", products(t, db), "[{a 10 11} {b 2 2} {c 30 31}]")
		it := Item{Key: "k1", Category: "c", Qty: 1, Price: 1.5}
		ok(t, "item", db.Create(&it).Error)
		up := Item{Key: "k1", Category: "d", Qty: 5, Price: 2.5}
		ok(t, "UpdateAll on key", db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, UpdateAll: true}).Create(&up).Error)
		eq(t, "returned id is the existing row's", up.ID, it.ID)
		var got Item
		ok(t, "reload", db.First(&got, it.ID).Error)
		eq(t, "item", j(got.Category, got.Qty, got.Price), "d 5 2.5")
		var n int64
		ok(t, "count", db.Model(&Item{}).Count(&n).Error)
		eq(t, "count", n, 1)
	})

	t.Run("assignment_columns", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		ok(t, "seed", db.Create(&Product{Code: "a", Price: 1, Stock: 1}).Error)
		r := db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "code"}},
			DoUpdates: clause.AssignmentColumns([]string{"price"}),
		}).Create(&[]Product{{Code: "a", Price: 7, Stock: 70}, {Code: "z", Price: 8, Stock: 80}})
		ok(t, "AssignmentColumns", r.Error)
		eq(t, "products", products(t, db), "[{a 7 1} {z 8 80}]")
		ok(t, "Assignments expr", db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "code"}},
			DoUpdates: clause.Assignments(map[string]any{"stock": gorm.Expr(`"` + table(t, db, &Product{}) + `".stock + excluded.stock`)}),
		}).Create(&Product{Code: "a", Stock: 5}).Error)
		eq(t, "counter", products(t, db), "[{a 7 6} {z 8 80}]")
		r = db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "code"}},
			DoUpdates: clause.AssignmentColumns([]string{"price"}),
			Where:     clause.Where{Exprs: []clause.Expression{gorm.Expr("excluded.price > ?", 100)}},
		}).Create(&Product{Code: "z", Price: 9})
		ok(t, "conditional upsert", r.Error)
		eq(t, "conditional rows", r.RowsAffected, 0)
		eq(t, "unchanged", products(t, db), "[{a 7 6} {z 8 80}]")
		err := db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "price"}},
			DoUpdates: clause.AssignmentColumns([]string{"stock"}),
		}).Create(&Product{Code: "q", Price: 7}).Error
		wantState(t, "no unique index on target", err, "42P10")
	})

	t.Run("save_upsert_and_first_or_create", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Item{})
		var it Item
		r := db.Where(Item{Key: "k"}).Attrs(Item{Qty: 3, Category: "new"}).FirstOrCreate(&it)
		ok(t, "FirstOrCreate create", r.Error)
		eq(t, "FirstOrCreate created", j(r.RowsAffected, it.Key, it.Qty, it.Category), "1 k 3 new")
		var again Item
		r = db.Where(Item{Key: "k"}).Assign(Item{Qty: 9}).FirstOrCreate(&again)
		ok(t, "FirstOrCreate assign", r.Error)
		eq(t, "FirstOrCreate found", j(again.ID == it.ID, again.Qty), "true 9")
		var init Item
		ok(t, "FirstOrInit", db.Where(Item{Key: "other"}).FirstOrInit(&init).Error)
		eq(t, "FirstOrInit not saved", init.ID, 0)
		var n int64
		ok(t, "count", db.Model(&Item{}).Count(&n).Error)
		eq(t, "count", n, 1)
	})
}
