package ormcompat

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

func langCodes(ls []Language) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Code
	}
	sort.Strings(out)
	return out
}

// suiteAssoc covers every association kind and the Association API.
func suiteAssoc(t *testing.T, e *env) {
	t.Run("belongs_to", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &User{}, &Order{})
		o := Order{Amount: 3, User: &User{Name: "owner", Company: Company{Name: "Co"}}}
		ok(t, "Create with parent", db.Create(&o).Error)
		var got Order
		ok(t, "Preload(User.Company)", db.Preload("User.Company").First(&got, o.ID).Error)
		eq(t, "belongs to", got.User.Name+"/"+got.User.Company.Name, "owner/Co")
		ok(t, "Association(User).Replace", db.Model(&got).Association("User").Replace(&User{Name: "other"}))
		var g2 Order
		ok(t, "reload", db.Preload("User").First(&g2, o.ID).Error)
		eq(t, "replaced owner", g2.User.Name, "other")
		cnt := db.Model(&g2).Association("User").Count()
		eq(t, "Count", cnt, 1)
	})

	t.Run("has_one", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &User{}, &CreditCard{})
		u := User{Name: "u", CreditCard: CreditCard{Number: "1"}}
		ok(t, "Create", db.Create(&u).Error)
		var card CreditCard
		ok(t, "Association(CreditCard).Find", db.Model(&u).Association("CreditCard").Find(&card))
		eq(t, "card", card.Number, "1")
		ok(t, "Replace", db.Model(&u).Association("CreditCard").Replace(&CreditCard{Number: "2"}))
		var got User
		ok(t, "Preload", db.Preload("CreditCard").First(&got, u.ID).Error)
		eq(t, "replaced", got.CreditCard.Number, "2")
		var orphans int64
		ok(t, "old card detached", db.Model(&CreditCard{}).Where("user_id IS NULL").Count(&orphans).Error)
		eq(t, "detached cards", orphans, 1)
	})

	t.Run("has_many_association_api", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &User{}, &Order{})
		u := User{Name: "u", Orders: []Order{{Amount: 1}}}
		ok(t, "Create", db.Create(&u).Error)
		a := func() *gorm.Association { return db.Model(&u).Association("Orders") }
		ok(t, "Append", a().Append(&Order{Amount: 2}, &Order{Amount: 3}))
		eq(t, "Count after Append", a().Count(), 3)
		var os []Order
		ok(t, "Find", a().Find(&os, "amount > ?", 1))
		eq(t, "Find cond", len(os), 2)
		ok(t, "Delete", a().Delete(&os[0]))
		eq(t, "Count after Delete", a().Count(), 2)
		ok(t, "Replace", a().Replace(&Order{Amount: 9}))
		eq(t, "Count after Replace", a().Count(), 1)
		ok(t, "Clear", a().Clear())
		eq(t, "Count after Clear", a().Count(), 0)
		var detached int64
		ok(t, "detached orders", db.Model(&Order{}).Where("user_id IS NULL").Count(&detached).Error)
		eq(t, "detached orders", detached, 4)
		u2 := User{Name: "u2", Orders: []Order{{Amount: 5}, {Amount: 6}}}
		ok(t, "Create u2", db.Create(&u2).Error)
		ok(t, "Select(Orders).Delete", db.Select("Orders").Delete(&u2).Error)
		var left int64
		ok(t, "orders of u2", db.Model(&Order{}).Where("user_id = ?", u2.ID).Count(&left).Error)
		eq(t, "orders of u2 after cascade", left, 0)
	})

	t.Run("many_to_many", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &Language{}, &User{})
		en, fr, de := Language{Code: "en"}, Language{Code: "fr"}, Language{Code: "de"}
		ok(t, "languages", db.Create(&[]*Language{&en, &fr, &de}).Error)
		u := User{Name: "m", Languages: []Language{en}}
		ok(t, "Create", db.Create(&u).Error)
		a := func() *gorm.Association { return db.Model(&u).Association("Languages") }
		ok(t, "Append", a().Append(&fr, &Language{Code: "jp"}))
		eq(t, "Count", a().Count(), 3)
		var ls []Language
		ok(t, "Find", a().Find(&ls))
		eq(t, "Find", langCodes(ls), []string{"en", "fr", "jp"})
		ok(t, "Delete", a().Delete(&en))
		ls = nil
		ok(t, "Find after Delete", a().Find(&ls))
		eq(t, "after Delete", langCodes(ls), []string{"fr", "jp"})
		ok(t, "Replace", a().Replace(&de, &en))
		ls = nil
		ok(t, "Find after Replace", a().Find(&ls))
		eq(t, "after Replace", langCodes(ls), []string{"de", "en"})
		var n int64
		ok(t, "languages kept", db.Model(&Language{}).Count(&n).Error)
		eq(t, "languages kept", n, 4)
		ok(t, "Clear", a().Clear())
		eq(t, "Count after Clear", a().Count(), 0)
		us := []User{{Name: "p", Languages: []Language{en, fr}}, {Name: "q", Languages: []Language{fr}}}
		ok(t, "Create many", db.Create(&us).Error)
		var loaded []User
		ok(t, "Preload many2many", db.Preload("Languages").Where("name IN ?", []string{"p", "q"}).Order("name").Find(&loaded).Error)
		eq(t, "Preload", j(langCodes(loaded[0].Languages), langCodes(loaded[1].Languages)), "[en fr] [fr]")
		var speakers int64
		ok(t, "Association on slice", nil)
		speakers = db.Model(&loaded).Association("Languages").Count()
		eq(t, "Count over slice", speakers, 3)
		var fans []User
		jt := pfx(db) + "user_languages"
		ok(t, "join through join table", db.Joins(fmt.Sprintf("JOIN %q ul ON ul.user_id = %q.id", jt, table(t, db, &User{}))).
			Where("ul.language_id = ?", fr.ID).Order("name").Find(&fans).Error)
		eq(t, "fans of fr", names(fans), []string{"p", "q"})
	})

	t.Run("custom_join_table", func(t *testing.T) {
		db := e.gdb(t)
		ok(t, "SetupJoinTable", db.SetupJoinTable(&Person{}, "Addresses", &PersonAddress{}))
		migrate(t, db, &Person{}, &Address{})
		p := Person{Name: "p", Addresses: []Address{{City: "Oslo"}, {City: "Rome"}}}
		ok(t, "Create", db.Create(&p).Error)
		var rows []PersonAddress
		ok(t, "join rows", db.Order("address_id").Find(&rows).Error)
		eq(t, "join rows", j(len(rows), rows[0].Note, !rows[0].CreatedAt.IsZero()), "2 joined true")
		ok(t, "Append", db.Model(&p).Association("Addresses").Append(&Address{City: "Lima"}))
		var got Person
		ok(t, "Preload", db.Preload("Addresses", func(db *gorm.DB) *gorm.DB { return db.Order("city") }).First(&got, p.ID).Error)
		var cities []string
		for _, a := range got.Addresses {
			cities = append(cities, a.City)
		}
		eq(t, "cities", cities, []string{"Lima", "Oslo", "Rome"})
		ok(t, "Delete", db.Model(&p).Association("Addresses").Delete(&got.Addresses[1]))
		eq(t, "Count", db.Model(&p).Association("Addresses").Count(), 2)
		wantState(t, "join table FK", db.Create(&PersonAddress{PersonID: 999, AddressID: got.Addresses[0].ID}).Error, "23503")
		wantState(t, "join table PK", db.Create(&PersonAddress{PersonID: p.ID, AddressID: got.Addresses[0].ID}).Error, "23505")
	})

	t.Run("polymorphic", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Dog{}, &Cat{}, &Toy{})
		d := Dog{Name: "rex", Toys: []Toy{{Name: "ball"}, {Name: "bone"}}}
		c := Cat{Name: "tom", Toy: Toy{Name: "mouse"}}
		ok(t, "Create dog", db.Create(&d).Error)
		ok(t, "Create cat", db.Create(&c).Error)
		var toys []Toy
		ok(t, "toys", db.Order("id").Find(&toys).Error)
		var got []string
		for _, ty := range toys {
			got = append(got, fmt.Sprintf("%s:%s:%d", ty.Name, strings.TrimPrefix(ty.OwnerType, pfx(db)), ty.OwnerID))
		}
		eq(t, "owner columns", got, []string{"ball:dogs:1", "bone:dogs:1", "mouse:cats:1"})
		var dogs []Dog
		ok(t, "Preload dogs", db.Preload("Toys", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).Find(&dogs).Error)
		eq(t, "dog toys", j(len(dogs[0].Toys), dogs[0].Toys[1].Name), "2 bone")
		var cat Cat
		ok(t, "Preload cat", db.Preload("Toy").First(&cat).Error)
		eq(t, "cat toy", cat.Toy.Name, "mouse")
		eq(t, "Association Count", db.Model(&d).Association("Toys").Count(), 2)
		ok(t, "Association Append", db.Model(&c).Association("Toy").Replace(&Toy{Name: "yarn"}))
		var cat2 Cat
		ok(t, "reload cat", db.Preload("Toy").First(&cat2).Error)
		eq(t, "cat toy replaced", cat2.Toy.Name, "yarn")
	})

	t.Run("self_referential", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Employee{})
		boss := Employee{Name: "boss"}
		ok(t, "boss", db.Create(&boss).Error)
		mid := Employee{Name: "mid", Manager: &boss}
		ok(t, "mid", db.Create(&mid).Error)
		ok(t, "leaves", db.Create(&[]Employee{{Name: "a", ManagerID: &mid.ID}, {Name: "b", ManagerID: &mid.ID}}).Error)
		var e1 Employee
		ok(t, "Preload tree", db.Preload("Reports.Reports", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).Preload("Manager").First(&e1, boss.ID).Error)
		eq(t, "tree", j(e1.Reports[0].Name, len(e1.Reports[0].Reports), e1.Reports[0].Reports[1].Name, e1.Manager == nil), "mid 2 b true")
		var leaf Employee
		ok(t, "Preload Manager.Manager", db.Preload("Manager.Manager").Where("name = ?", "a").First(&leaf).Error)
		eq(t, "chain", leaf.Manager.Manager.Name, "boss")
		ok(t, "friends", db.Model(&boss).Association("Friends").Append(&mid, &Employee{Name: "pal"}))
		var b2 Employee
		ok(t, "Preload Friends", db.Preload("Friends", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).First(&b2, boss.ID).Error)
		eq(t, "friends", j(len(b2.Friends), b2.Friends[0].Name, b2.Friends[1].Name), "2 mid pal")
		var joined []Employee
		et := table(t, db, &Employee{})
		ok(t, "self join", db.Joins("Manager").Where(`"Manager"."name" = ?`, "mid").Order(et+".name").Find(&joined).Error)
		eq(t, "self join", names2(joined), []string{"a", "b"})
	})

	t.Run("fk_constraints_actions", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Parent{}, &Child{}, &Pet{})
		eq(t, "HasConstraint(Children)", db.Migrator().HasConstraint(&Parent{}, "Children"), true)
		eq(t, "HasConstraint(Pets)", db.Migrator().HasConstraint(&Parent{}, "Pets"), true)
		p := Parent{Name: "p", Children: []Child{{Name: "c1"}, {Name: "c2"}}}
		ok(t, "Create", db.Create(&p).Error)
		wantState(t, "orphan child", db.Create(&Child{ParentID: 999, Name: "x"}).Error, "23503")
		ok(t, "update parent key (ON UPDATE CASCADE)", db.Model(&Parent{}).Where("id = ?", p.ID).Update("id", 50).Error)
		var cids []uint
		ok(t, "child parent ids", db.Model(&Child{}).Order("id").Pluck("parent_id", &cids).Error)
		eq(t, "cascaded update", cids, []uint{50, 50})
		pid := uint(50)
		ok(t, "pet", db.Create(&Pet{Name: "cat", ParentID: &pid}).Error)
		wantState(t, "update referenced key (NO ACTION)", db.Model(&Parent{}).Where("id = ?", 50).Update("id", 51).Error, "23503")
		ok(t, "delete parent", db.Delete(&Parent{}, 50).Error)
		var n int64
		ok(t, "children left", db.Model(&Child{}).Count(&n).Error)
		eq(t, "ON DELETE CASCADE", n, 0)
		var pet Pet
		ok(t, "pet", db.First(&pet).Error)
		eq(t, "ON DELETE SET NULL", pet.ParentID, nil)
	})

	t.Run("association_select_create_update", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &Language{}, &User{}, &Order{})
		u := User{Name: "u", Orders: []Order{{Amount: 1}}}
		ok(t, "Create", db.Create(&u).Error)
		u.Orders[0].Amount = 42
		u.Orders = append(u.Orders, Order{Amount: 7})
		ok(t, "Save with associations (upsert children)", db.Session(&gorm.Session{FullSaveAssociations: true}).Save(&u).Error)
		var amounts []float64
		ok(t, "amounts", db.Model(&Order{}).Order("amount").Pluck("amount", &amounts).Error)
		eq(t, "FullSaveAssociations", amounts, []float64{7, 42})
		ok(t, "Omit associations on update", db.Omit(clause.Associations).Model(&u).Update("name", "v").Error)
		var got User
		ok(t, "reload", db.Preload("Orders").First(&got, u.ID).Error)
		eq(t, "reloaded", j(got.Name, len(got.Orders)), "v 2")
	})
}

func names2(es []Employee) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}
