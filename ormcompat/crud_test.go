package ormcompat

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// fixture is the data most CRUD subtests read:
//
//	alice 30 Acme   active  balance 100 langs en,fr  orders 10.50 new, 20 paid   card 4111
//	bob   25 Globex !active balance  50 langs en     orders 5 new
//	carol 35 -      active  balance   0 -            -
//	dave  25 Acme   active  balance  10 langs de     orders 100 paid, 1 cancelled
type fixture struct {
	acme, globex Company
	en, fr, de   Language
	users        []User // alice, bob, carol, dave
}

func strp(s string) *string { return &s }

func seed(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	migrate(t, db, &Company{}, &Language{}, &User{}, &CreditCard{}, &Order{})
	f := &fixture{acme: Company{Name: "Acme"}, globex: Company{Name: "Globex"}}
	ok(t, "seed companies", db.Create(&[]*Company{&f.acme, &f.globex}).Error)
	f.en, f.fr, f.de = Language{Code: "en", Name: "English"}, Language{Code: "fr", Name: "French"}, Language{Code: "de", Name: "German"}
	ok(t, "seed languages", db.Create(&[]*Language{&f.en, &f.fr, &f.de}).Error)
	bday := time.Date(1994, 5, 6, 0, 0, 0, 0, time.UTC)
	f.users = []User{
		{Name: "alice", Email: strp("alice@x"), Age: 30, FirstName: "Alice", LastName: "Smith", Active: true, Balance: 100,
			Birthday: &bday, CompanyID: &f.acme.ID, CreditCard: CreditCard{Number: "4111"},
			Languages: []Language{f.en, f.fr}, Orders: []Order{{Amount: 10.5, Status: "new"}, {Amount: 20, Status: "paid"}}},
		{Name: "bob", Email: strp("bob@x"), Age: 25, FirstName: "Bob", LastName: "Jones", Active: false, Balance: 50,
			CompanyID: &f.globex.ID, Languages: []Language{f.en}, Orders: []Order{{Amount: 5, Status: "new"}}},
		{Name: "carol", Age: 35, FirstName: "Carol", LastName: "Smith", Active: true},
		{Name: "dave", Email: strp("dave@x"), Age: 25, FirstName: "Dave", LastName: "Brown", Active: true, Balance: 10,
			CompanyID: &f.acme.ID, Languages: []Language{f.de}, Orders: []Order{{Amount: 100, Status: "paid"}, {Amount: 1, Status: "cancelled"}}},
	}
	ok(t, "seed users", db.Create(&f.users).Error)
	// bob's Active=false is a zero value: GORM leaves it out and the
	// column default (true) applies, as in PostgreSQL; set it explicitly.
	ok(t, "bob inactive", db.Model(&f.users[1]).Update("active", false).Error)
	return f
}

func names(us []User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Name
	}
	return out
}

// AgeAtLeast and Paginate are scopes as applications write them.
func AgeAtLeast(n int) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB { return db.Where("age >= ?", n) }
}

func Paginate(page, size int) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB { return db.Offset((page - 1) * size).Limit(size) }
}

// suiteCRUD covers queries on a shared read-only fixture and writes on
// fixtures of their own.
func suiteCRUD(t *testing.T, e *env) {
	base := e.gdb(t)
	f := seed(t, base)
	s := func(t *testing.T) *gorm.DB { return base.Session(&gorm.Session{Logger: newTrail(t)}) }
	ut, ct, ot := table(t, base, &User{}), table(t, base, &Company{}), table(t, base, &Order{})

	t.Run("first_last_take_find", func(t *testing.T) {
		db := s(t)
		var u User
		ok(t, "First", db.First(&u).Error)
		eq(t, "First", u.Name, "alice")
		u = User{}
		ok(t, "Last", db.Last(&u).Error)
		eq(t, "Last", u.Name, "dave")
		u = User{}
		ok(t, "Take", db.Where("name = ?", "carol").Take(&u).Error)
		eq(t, "Take", u.Name, "carol")
		u = User{}
		ok(t, "First(pk)", db.First(&u, f.users[1].ID).Error)
		eq(t, "First(pk)", u.Name, "bob")
		u = User{}
		ok(t, "First(cond)", db.First(&u, "name = ?", "carol").Error)
		eq(t, "First(cond) email nil", u.Email, nil)
		var us []User
		ok(t, "Find", db.Order("id").Find(&us).Error)
		eq(t, "Find", names(us), []string{"alice", "bob", "carol", "dave"})
		us = nil
		ok(t, "Find(pks)", db.Order("id").Find(&us, []uint{f.users[0].ID, f.users[2].ID}).Error)
		eq(t, "Find(pks)", names(us), []string{"alice", "carol"})
		u = User{}
		err := db.First(&u, "name = ?", "nobody").Error
		eq(t, "First not found", errors.Is(err, gorm.ErrRecordNotFound), true)
		var m map[string]any
		ok(t, "First into map", db.Model(&User{}).Select("name", "age").First(&m).Error)
		eq(t, "map", m, map[string]any{"name": "alice", "age": int64(30)})
		eq(t, "birthday", us[0].Birthday, time.Date(1994, 5, 6, 0, 0, 0, 0, time.UTC))
	})

	t.Run("where_struct_map_string_in", func(t *testing.T) {
		db := s(t)
		var us []User
		ok(t, "struct", db.Where(&User{Name: "alice"}).Find(&us).Error)
		eq(t, "struct", names(us), []string{"alice"})
		us = nil
		ok(t, "map", db.Where(map[string]any{"age": 25}).Order("name").Find(&us).Error)
		eq(t, "map", names(us), []string{"bob", "dave"})
		us = nil
		ok(t, "IN", db.Where("name IN ?", []string{"carol", "bob", "zed"}).Order("name").Find(&us).Error)
		eq(t, "IN", names(us), []string{"bob", "carol"})
		us = nil
		ok(t, "map IN", db.Where(map[string]any{"name": []string{"alice", "dave"}}).Order("name").Find(&us).Error)
		eq(t, "map IN", names(us), []string{"alice", "dave"})
		us = nil
		ok(t, "string", db.Where("age > ? AND name LIKE ?", 24, "%a%").Order("name").Find(&us).Error)
		eq(t, "string", names(us), []string{"alice", "carol", "dave"})
		us = nil
		ok(t, "BETWEEN", db.Where("age BETWEEN ? AND ?", 26, 35).Order("name").Find(&us).Error)
		eq(t, "BETWEEN", names(us), []string{"alice", "carol"})
		us = nil
		ok(t, "IS NULL", db.Where("email IS NULL").Find(&us).Error)
		eq(t, "IS NULL", names(us), []string{"carol"})
		us = nil
		ok(t, "ILIKE", db.Where("first_name ILIKE ?", "a%").Find(&us).Error)
		eq(t, "ILIKE", names(us), []string{"alice"})
		us = nil
		ok(t, "struct with zero fields", db.Where(&User{Age: 25, Active: false}).Order("name").Find(&us).Error)
		eq(t, "struct zero ignored", names(us), []string{"bob", "dave"})
		us = nil
		ok(t, "struct named fields", db.Where(&User{Active: false}, "active").Find(&us).Error)
		eq(t, "struct named fields", names(us), []string{"bob"})
		us = nil
		ok(t, "bool param", db.Where("active = ?", false).Find(&us).Error)
		eq(t, "bool param", names(us), []string{"bob"})
		us = nil
		ok(t, "time param", db.Where("birthday < ?", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).Find(&us).Error)
		eq(t, "time param", names(us), []string{"alice"})
		us = nil
		ok(t, "ANY(array)", db.Raw(fmt.Sprintf(`SELECT * FROM %q WHERE age = ANY(?) AND deleted_at IS NULL ORDER BY name`, ut), pq.Array([]int64{30, 35})).Scan(&us).Error)
		eq(t, "ANY(array)", names(us), []string{"alice", "carol"})
	})

	t.Run("not_or", func(t *testing.T) {
		db := s(t)
		var us []User
		ok(t, "Not", db.Not("name = ?", "alice").Order("name").Find(&us).Error)
		eq(t, "Not", names(us), []string{"bob", "carol", "dave"})
		us = nil
		ok(t, "Not IN", db.Not(map[string]any{"name": []string{"alice", "bob"}}).Order("name").Find(&us).Error)
		eq(t, "Not IN", names(us), []string{"carol", "dave"})
		us = nil
		ok(t, "Not struct", db.Not(User{Name: "carol"}).Order("name").Find(&us).Error)
		eq(t, "Not struct", names(us), []string{"alice", "bob", "dave"})
		us = nil
		ok(t, "Or", db.Where("name = ?", "alice").Or("age = ?", 35).Order("name").Find(&us).Error)
		eq(t, "Or", names(us), []string{"alice", "carol"})
		us = nil
		ok(t, "Or struct", db.Where("name = 'bob'").Or(User{Name: "dave"}).Order("name").Find(&us).Error)
		eq(t, "Or struct", names(us), []string{"bob", "dave"})
		us = nil
		ok(t, "grouped", db.Where(db.Where("age = ?", 25).Or("age = ?", 35)).Where("active = ?", true).Order("name").Find(&us).Error)
		eq(t, "grouped", names(us), []string{"carol", "dave"})
	})

	t.Run("select_omit", func(t *testing.T) {
		db := s(t)
		var us []User
		ok(t, "Select", db.Select("name", "age").Order("id").Find(&us).Error)
		eq(t, "Select", []any{us[0].Name, us[0].Age, us[0].ID, us[0].Email}, []any{"alice", 30, 0, nil})
		us = nil
		ok(t, "Omit", db.Omit("email", "name").Order("id").Find(&us).Error)
		eq(t, "Omit", []any{us[0].Name, us[0].Email, us[0].Age}, []any{"", nil, 30})
		type Small struct {
			Name string
			Age  int
		}
		var sm []Small
		ok(t, "smart select", db.Model(&User{}).Order("id").Limit(2).Find(&sm).Error)
		eq(t, "smart select", fmt.Sprint(sm), "[{alice 30} {bob 25}]")
		var exprs []struct {
			Name  string
			Upper string
			Next  int
		}
		ok(t, "Select exprs", db.Model(&User{}).Select("name, upper(name) AS upper, age + 1 AS next").Order("id").Find(&exprs).Error)
		eq(t, "Select exprs", fmt.Sprint(exprs), "[{alice ALICE 31} {bob BOB 26} {carol CAROL 36} {dave DAVE 26}]")
	})

	t.Run("order_limit_offset", func(t *testing.T) {
		db := s(t)
		var us []User
		ok(t, "order limit offset", db.Order("age desc, name").Limit(2).Offset(1).Find(&us).Error)
		eq(t, "order limit offset", names(us), []string{"alice", "bob"})
		us = nil
		ok(t, "order clause", db.Order(clause.OrderByColumn{Column: clause.Column{Name: "name"}, Desc: true}).Find(&us).Error)
		eq(t, "order clause", names(us), []string{"dave", "carol", "bob", "alice"})
		us = nil
		ok(t, "limit -1 cancels", db.Limit(1).Limit(-1).Order("id").Find(&us).Error)
		eq(t, "limit -1", len(us), 4)
		us = nil
		ok(t, "offset past end", db.Order("id").Offset(10).Find(&us).Error)
		eq(t, "offset past end", len(us), 0)
		us = nil
		ok(t, "order by expr", db.Clauses(clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN name = ? THEN 0 ELSE 1 END, name", Vars: []any{"carol"}, WithoutParentheses: true}}).Find(&us).Error)
		eq(t, "order by expr", names(us), []string{"carol", "alice", "bob", "dave"})
	})

	t.Run("group_having", func(t *testing.T) {
		db := s(t)
		type R struct {
			Age   int
			N     int
			Total float64
		}
		var rs []R
		ok(t, "group having", db.Model(&User{}).Select("age, count(*) AS n, sum(balance) AS total").Group("age").Having("count(*) > ?", 1).Find(&rs).Error)
		eq(t, "group having", fmt.Sprint(rs), "[{25 2 60}]")
		rs = nil
		ok(t, "group order", db.Model(&User{}).Select("age, count(*) AS n").Group("age").Order("age").Scan(&rs).Error)
		eq(t, "group order", fmt.Sprint(rs), "[{25 2 0} {30 1 0} {35 1 0}]")
		var byCo []struct {
			Name  string
			Total float64
		}
		ok(t, "join group", db.Model(&Order{}).Select(ct+".name, sum("+ot+".amount) AS total").
			Joins(fmt.Sprintf("JOIN %q ON %q.id = %q.user_id JOIN %q ON %q.id = %q.company_id", ut, ut, ot, ct, ct, ut)).
			Group(ct+".name").Order(ct+".name").Scan(&byCo).Error)
		eq(t, "join group", fmt.Sprint(byCo), "[{Acme 131.5} {Globex 5}]")
	})

	t.Run("distinct", func(t *testing.T) {
		db := s(t)
		var ages []int
		ok(t, "Distinct pluck", db.Model(&User{}).Distinct().Order("age").Pluck("age", &ages).Error)
		eq(t, "Distinct pluck", ages, []int{25, 30, 35})
		var us []User
		ok(t, "Distinct cols", db.Distinct("age", "active").Order("age, active").Find(&us).Error)
		eq(t, "Distinct cols", len(us), 4)
		var n int64
		ok(t, "Distinct count", db.Model(&User{}).Distinct("age").Count(&n).Error)
		eq(t, "Distinct count", n, 3)
		var lasts []string
		ok(t, "Distinct(last_name)", db.Model(&User{}).Distinct("last_name").Order("last_name").Pluck("last_name", &lasts).Error)
		eq(t, "Distinct(last_name)", lasts, []string{"Brown", "Jones", "Smith"})
	})

	t.Run("joins_string", func(t *testing.T) {
		db := s(t)
		var us []User
		ok(t, "Joins", db.Joins(fmt.Sprintf("JOIN %q ON %q.id = %q.company_id", ct, ct, ut)).Where(ct+".name = ?", "Acme").Order(ut+".name").Find(&us).Error)
		eq(t, "Joins", names(us), []string{"alice", "dave"})
		us = nil
		ok(t, "Joins with args", db.Joins(fmt.Sprintf("JOIN %q ON %q.user_id = %q.id AND %q.amount > ?", ot, ot, ut, ot), 15).Distinct().Order(ut+".name").Find(&us).Error)
		eq(t, "Joins with args", names(us), []string{"alice", "dave"})
		var rows []struct {
			Name    string
			Company *string
		}
		ok(t, "LEFT JOIN scan", db.Model(&User{}).Select(ut+".name, "+ct+".name AS company").
			Joins(fmt.Sprintf("LEFT JOIN %q ON %q.id = %q.company_id", ct, ct, ut)).Order(ut+".name").Scan(&rows).Error)
		var got []string
		for _, r := range rows {
			got = append(got, r.Name+"/"+show(r.Company))
		}
		eq(t, "LEFT JOIN", got, []string{"alice/Acme", "bob/Globex", "carol/<nil>", "dave/Acme"})
	})

	t.Run("joins_association", func(t *testing.T) {
		db := s(t)
		var us []User
		ok(t, "Joins(Company)", db.Joins("Company").Order(ut+".id").Find(&us).Error)
		var got []string
		for _, u := range us {
			got = append(got, u.Name+"/"+u.Company.Name)
		}
		eq(t, "Joins(Company)", got, []string{"alice/Acme", "bob/Globex", "carol/", "dave/Acme"})
		us = nil
		ok(t, "InnerJoins(Company)", db.InnerJoins("Company").Order(ut+".id").Find(&us).Error)
		eq(t, "InnerJoins", names(us), []string{"alice", "bob", "dave"})
		us = nil
		ok(t, "Joins(Company, cond)", db.Joins("Company", db.Where(&Company{Name: "Acme"})).Where(`"Company"."id" IS NOT NULL`).Order(ut+".id").Find(&us).Error)
		eq(t, "Joins(Company, cond)", names(us), []string{"alice", "dave"})
		us = nil
		ok(t, "Joins(CreditCard)", db.Joins("CreditCard").Where(`"CreditCard"."number" = ?`, "4111").Find(&us).Error)
		eq(t, "Joins(CreditCard)", j(names(us), us[0].CreditCard.Number), "[alice] 4111")
		var os []Order
		ok(t, "Joins(User).Joins(User.Company)", db.Joins("User").Joins("User.Company").Order(ot+".amount").Find(&os).Error)
		got = nil
		for _, o := range os {
			got = append(got, fmt.Sprintf("%v/%s/%s", o.Amount, o.User.Name, o.User.Company.Name))
		}
		eq(t, "nested joins", got, []string{"1/dave/Acme", "5/bob/Globex", "10.5/alice/Acme", "20/alice/Acme", "100/dave/Acme"})
	})

	t.Run("preload", func(t *testing.T) {
		db := s(t)
		var us []User
		ok(t, "Preload", db.Preload("Orders", func(db *gorm.DB) *gorm.DB { return db.Order("amount") }).
			Preload("Languages", func(db *gorm.DB) *gorm.DB { return db.Order("code") }).
			Preload("Company").Preload("CreditCard").Order("id").Find(&us).Error)
		var got []string
		for _, u := range us {
			var os, ls []string
			for _, o := range u.Orders {
				os = append(os, fmt.Sprint(o.Amount))
			}
			for _, l := range u.Languages {
				ls = append(ls, l.Code)
			}
			got = append(got, fmt.Sprintf("%s co=%s card=%s orders=%v langs=%v", u.Name, u.Company.Name, u.CreditCard.Number, os, ls))
		}
		eq(t, "Preload", got, []string{
			"alice co=Acme card=4111 orders=[10.5 20] langs=[en fr]",
			"bob co=Globex card= orders=[5] langs=[en]",
			"carol co= card= orders=[] langs=[]",
			"dave co=Acme card= orders=[1 100] langs=[de]",
		})
		us = nil
		ok(t, "conditional Preload", db.Preload("Orders", "status = ?", "paid").Order("id").Find(&us).Error)
		got = nil
		for _, u := range us {
			got = append(got, fmt.Sprintf("%s:%d", u.Name, len(u.Orders)))
		}
		eq(t, "conditional Preload", got, []string{"alice:1", "bob:0", "carol:0", "dave:1"})
		var os []Order
		ok(t, "nested Preload", db.Preload("User.Company").Preload("User.Languages").Where("status = ?", "paid").Order("amount").Find(&os).Error)
		got = nil
		for _, o := range os {
			got = append(got, fmt.Sprintf("%v %s %s %d", o.Amount, o.User.Name, o.User.Company.Name, len(o.User.Languages)))
		}
		eq(t, "nested Preload", got, []string{"20 alice Acme 2", "100 dave Acme 1"})
		us = nil
		ok(t, "Preload(clause.Associations)", db.Preload(clause.Associations).Where("name = ?", "alice").Find(&us).Error)
		eq(t, "Preload all", j(us[0].Company.Name, len(us[0].Orders), len(us[0].Languages), us[0].CreditCard.Number), "Acme 2 2 4111")
		var u User
		ok(t, "Joins+Preload", db.Joins("Company").Preload("Orders", func(db *gorm.DB) *gorm.DB { return db.Order("amount DESC") }).First(&u, f.users[3].ID).Error)
		eq(t, "Joins+Preload", j(u.Company.Name, u.Orders[0].Amount), "Acme 100")
	})

	t.Run("pluck_count", func(t *testing.T) {
		db := s(t)
		var ns []string
		ok(t, "Pluck", db.Model(&User{}).Order("name").Pluck("name", &ns).Error)
		eq(t, "Pluck", ns, []string{"alice", "bob", "carol", "dave"})
		var emails []sql.NullString
		ok(t, "Pluck nullable", db.Model(&User{}).Order("name").Pluck("email", &emails).Error)
		eq(t, "Pluck nullable valid", []bool{emails[0].Valid, emails[2].Valid}, []bool{true, false})
		var n int64
		ok(t, "Count", db.Model(&User{}).Count(&n).Error)
		eq(t, "Count", n, 4)
		ok(t, "Count where", db.Model(&User{}).Where("age > ?", 26).Count(&n).Error)
		eq(t, "Count where", n, 2)
		ok(t, "Count group", db.Model(&User{}).Group("age").Count(&n).Error)
		eq(t, "Count group", n, 3)
		ok(t, "Count joins", db.Model(&User{}).Joins("Company").Where(`"Company"."name" = ?`, "Acme").Count(&n).Error)
		eq(t, "Count joins", n, 2)
		ok(t, "Count table", db.Table(ot).Where("status = ?", "paid").Count(&n).Error)
		eq(t, "Count table", n, 2)
	})

	t.Run("scan_rows_find_in_batches", func(t *testing.T) {
		db := s(t)
		var res []struct {
			Name string
			Age  int
		}
		ok(t, "Scan", db.Table(ut).Select("name", "age").Where("age = ?", 25).Order("name").Scan(&res).Error)
		eq(t, "Scan", fmt.Sprint(res), "[{bob 25} {dave 25}]")
		var one struct{ N int64 }
		ok(t, "Scan one", db.Raw(fmt.Sprintf("SELECT count(*) AS n FROM %q", ut)).Scan(&one).Error)
		eq(t, "Scan one", one.N, 4)
		rows, err := db.Model(&User{}).Where("age >= ?", 30).Order("id").Rows()
		ok(t, "Rows", err)
		var got []string
		for rows.Next() {
			var u User
			if err := db.ScanRows(rows, &u); err != nil {
				t.Fatal(err)
			}
			got = append(got, u.Name)
		}
		okc(t, "rows.Err", rows.Err())
		rows.Close()
		eq(t, "Rows", got, []string{"alice", "carol"})
		rows, err = db.Model(&User{}).Select("name, age").Order("id").Rows()
		ok(t, "Rows(cols)", err)
		got = nil
		for rows.Next() {
			var name string
			var age int
			okc(t, "rows.Scan", rows.Scan(&name, &age))
			got = append(got, fmt.Sprint(name, age))
		}
		rows.Close()
		eq(t, "Rows(cols)", got, []string{"alice30", "bob25", "carol35", "dave25"})
		var batch []User
		var sizes []int
		var seen []string
		res2 := db.Order("id").FindInBatches(&batch, 3, func(tx *gorm.DB, n int) error {
			sizes = append(sizes, len(batch))
			seen = append(seen, names(batch)...)
			return nil
		})
		ok(t, "FindInBatches", res2.Error)
		eq(t, "FindInBatches", j(sizes, seen, res2.RowsAffected), "[3 1] [alice bob carol dave] 4")
	})

	t.Run("raw_exec_named_positional", func(t *testing.T) {
		db := s(t)
		var ns []string
		ok(t, "Raw positional", db.Raw(fmt.Sprintf("SELECT name FROM %q WHERE age = ? AND active = ? ORDER BY name", ut), 25, true).Scan(&ns).Error)
		eq(t, "Raw positional", ns, []string{"dave"})
		ns = nil
		ok(t, "Raw sql.Named", db.Raw(fmt.Sprintf("SELECT name FROM %q WHERE age = @age OR name = @name ORDER BY name", ut), sql.Named("age", 35), sql.Named("name", "bob")).Scan(&ns).Error)
		eq(t, "Raw sql.Named", ns, []string{"bob", "carol"})
		ns = nil
		ok(t, "Raw map", db.Raw(fmt.Sprintf("SELECT name FROM %q WHERE age = @age ORDER BY name", ut), map[string]any{"age": 25}).Scan(&ns).Error)
		eq(t, "Raw map", ns, []string{"bob", "dave"})
		ns = nil
		ok(t, "Raw struct", db.Raw(fmt.Sprintf("SELECT name FROM %q WHERE first_name = @FirstName ORDER BY name", ut), User{FirstName: "Carol"}).Scan(&ns).Error)
		eq(t, "Raw struct", ns, []string{"carol"})
		ns = nil
		ok(t, "Raw $n", db.Raw(fmt.Sprintf("SELECT name FROM %q WHERE age = $1 ORDER BY name", ut), 30).Scan(&ns).Error)
		eq(t, "Raw $n", ns, []string{"alice"})
		ns = nil
		ok(t, "Raw subquery param", db.Raw(fmt.Sprintf("SELECT name FROM %q WHERE id IN (?) ORDER BY name", ut), db.Model(&Order{}).Select("user_id").Where("amount > ?", 50)).Scan(&ns).Error)
		eq(t, "Raw subquery param", ns, []string{"dave"})
		var n int
		ok(t, "Raw scalar", db.Raw("SELECT ?::int + ?::int", 2, 3).Scan(&n).Error)
		eq(t, "Raw scalar", n, 5)
		tx := db.Begin()
		r := tx.Exec(fmt.Sprintf("UPDATE %q SET balance = balance + @amt WHERE age = @age", ut), sql.Named("amt", 1), sql.Named("age", 25))
		ok(t, "Exec named", r.Error)
		eq(t, "Exec RowsAffected", r.RowsAffected, 2)
		r = tx.Exec(fmt.Sprintf("UPDATE %q SET balance = balance - ? WHERE age = ?", ut), 1, 25)
		ok(t, "Exec positional", r.Error)
		eq(t, "Exec positional RowsAffected", r.RowsAffected, 2)
		ok(t, "rollback", tx.Rollback().Error)
		var bal float64
		ok(t, "balance unchanged", db.Model(&User{}).Where("name = ?", "bob").Pluck("balance", &bal).Error)
		eq(t, "balance", bal, 50)
	})

	t.Run("scopes_subqueries", func(t *testing.T) {
		db := s(t)
		var us []User
		ok(t, "Scopes", db.Scopes(AgeAtLeast(26), Paginate(2, 1)).Order("age").Find(&us).Error)
		eq(t, "Scopes", names(us), []string{"carol"})
		us = nil
		ok(t, "IN subquery", db.Where("id IN (?)", db.Model(&Order{}).Select("user_id").Where("status = ?", "new")).Order("name").Find(&us).Error)
		eq(t, "IN subquery", names(us), []string{"alice", "bob"})
		us = nil
		ok(t, "scalar subquery", db.Where("age > (?)", db.Model(&User{}).Select("AVG(age)")).Find(&us).Error)
		eq(t, "scalar subquery", names(us), []string{"alice", "carol"})
		var rs []struct {
			Name string
			Age  int
		}
		ok(t, "FROM subquery", db.Table("(?) AS u", db.Model(&User{}).Select("name", "age")).Where("age = ?", 25).Order("name").Find(&rs).Error)
		eq(t, "FROM subquery", fmt.Sprint(rs), "[{bob 25} {dave 25}]")
		us = nil
		ok(t, "EXISTS", db.Where(fmt.Sprintf("EXISTS (SELECT 1 FROM %q o WHERE o.user_id = %q.id AND o.amount >= ?)", ot, ut), 100).Find(&us).Error)
		eq(t, "EXISTS", names(us), []string{"dave"})
	})

	t.Run("create_single_batch_in_batches", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &User{}, &Product{})
		u := User{Name: "solo"}
		r := db.Create(&u)
		ok(t, "Create", r.Error)
		eq(t, "Create id/rows", j(u.ID, r.RowsAffected), "1 1")
		var back User
		ok(t, "read back", db.First(&back, u.ID).Error)
		eq(t, "defaults", j(back.Age, back.Active, back.Email == nil, back.CreatedAt.IsZero()), "18 true true false")
		us := []User{{Name: "b1"}, {Name: "b2", Age: 3}, {Name: "b3"}}
		r = db.Create(&us)
		ok(t, "Create batch", r.Error)
		eq(t, "batch ids", []uint{us[0].ID, us[1].ID, us[2].ID, uint(r.RowsAffected)}, []uint{2, 3, 4, 3})
		var ps []Product
		for i := 0; i < 7; i++ {
			ps = append(ps, Product{Code: fmt.Sprintf("p%02d", i), Price: int64(i * 10)})
		}
		r = db.CreateInBatches(&ps, 3)
		ok(t, "CreateInBatches", r.Error)
		eq(t, "CreateInBatches rows", r.RowsAffected, 7)
		var n int64
		ok(t, "count", db.Model(&Product{}).Count(&n).Error)
		eq(t, "count", n, 7)
		ok(t, "Create map", db.Model(&User{}).Create(map[string]any{"Name": "mapped", "Age": 44}).Error)
		ok(t, "Create maps", db.Model(&Product{}).Create([]map[string]any{{"code": "m1", "price": 1}, {"code": "m2", "price": 2}}).Error)
		var m User
		ok(t, "read map", db.Where("name = ?", "mapped").First(&m).Error)
		eq(t, "map row", j(m.Age, m.Active), "44 true")
		s := User{Name: "sel", Age: 70, FirstName: "F"}
		ok(t, "Create Select", db.Select("Name", "Age").Create(&s).Error)
		o := User{Name: "omit", Age: 71, FirstName: "F"}
		ok(t, "Create Omit", db.Omit("FirstName", "CreatedAt").Create(&o).Error)
		var rs []struct {
			Name      string
			FirstName string
			CreatedAt *time.Time
		}
		ok(t, "read select/omit", db.Model(&User{}).Where("name IN ?", []string{"sel", "omit"}).Order("name").Find(&rs).Error)
		eq(t, "select/omit", j(rs[0].Name, rs[0].FirstName, rs[0].CreatedAt == nil, rs[1].Name, rs[1].FirstName, rs[1].CreatedAt == nil), "omit  true sel  false") // autoCreateTime fields are written even when not selected
		wantState(t, "duplicate pk", db.Create(&Product{Code: "p01"}).Error, "23505")
		e1 := "dup@x"
		ok(t, "email", db.Create(&User{Name: "d1", Email: &e1}).Error)
		wantState(t, "duplicate unique", db.Create(&User{Name: "d2", Email: &e1}).Error, "23505")
	})

	t.Run("create_with_associations", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &Language{}, &User{}, &CreditCard{}, &Order{})
		u := User{Name: "assoc", Company: Company{Name: "NewCo"}, CreditCard: CreditCard{Number: "5500"},
			Orders:    []Order{{Amount: 1}, {Amount: 2, Status: "paid"}},
			Languages: []Language{{Code: "it", Name: "Italian"}, {Code: "es", Name: "Spanish"}}}
		ok(t, "Create", db.Create(&u).Error)
		eq(t, "ids set", j(u.ID > 0, *u.CompanyID == u.Company.ID, u.CreditCard.UserID == u.ID, u.Orders[1].UserID == u.ID, u.Languages[1].ID > 0), "true true true true true")
		var back User
		ok(t, "reload", db.Preload(clause.Associations).First(&back, u.ID).Error)
		eq(t, "reloaded", j(back.Company.Name, back.CreditCard.Number, len(back.Orders), len(back.Languages), back.Orders[0].Status), "NewCo 5500 2 2 new")
		u2 := User{Name: "skip", Company: Company{Name: "SkipCo"}}
		ok(t, "Omit associations", db.Omit(clause.Associations).Create(&u2).Error)
		var n int64
		ok(t, "no SkipCo", db.Model(&Company{}).Where("name = ?", "SkipCo").Count(&n).Error)
		eq(t, "SkipCo count", n, 0)
		u3 := User{Name: "reuse", Languages: []Language{u.Languages[0]}}
		ok(t, "existing association", db.Create(&u3).Error)
		ok(t, "language count", db.Model(&Language{}).Count(&n).Error)
		eq(t, "language count", n, 2)
	})

	t.Run("update_model_with_loaded_associations", func(t *testing.T) {
		// Update/Updates on a model whose associations are loaded makes
		// GORM upsert them (INSERT ... ON CONFLICT ("id") DO UPDATE) in the
		// same transaction, once per call: the same prepared statement runs
		// again on the same row in a later transaction.
		db := e.gdb(t)
		f := seed(t, db)
		alice := f.users[0]
		ok(t, "Update", db.Model(&alice).Update("name", "alicia").Error)
		okc(t, "Updates struct", db.Model(&alice).Updates(User{Age: 31, FirstName: "Ali"}).Error)
		okc(t, "Updates map", db.Model(&alice).Updates(map[string]any{"last_name": "S"}).Error)
		var got User
		ok(t, "reload", db.Preload("Orders").Preload("CreditCard").First(&got, alice.ID).Error)
		eq(t, "after updates", j(got.Name, got.Age, got.FirstName, got.LastName, len(got.Orders), got.CreditCard.Number), "alicia 31 Ali S 2 4111")
	})

	t.Run("save_update_updates", func(t *testing.T) {
		db := e.gdb(t)
		f := seed(t, db)
		var alice User // without loaded associations
		ok(t, "alice", db.First(&alice, f.users[0].ID).Error)
		before := alice.UpdatedAt
		time.Sleep(2 * time.Millisecond)
		r := db.Model(&alice).Update("name", "alicia")
		ok(t, "Update", r.Error)
		eq(t, "Update rows", r.RowsAffected, 1)
		eq(t, "updated_at advanced", alice.UpdatedAt.After(before), true)
		ok(t, "Updates struct", db.Model(&alice).Updates(User{Age: 31, FirstName: "Ali", Active: false}).Error)
		ok(t, "Updates map", db.Model(&alice).Updates(map[string]any{"active": false, "balance": 0, "last_name": "S"}).Error)
		var got User
		ok(t, "reload", db.First(&got, alice.ID).Error)
		eq(t, "after updates", j(got.Name, got.Age, got.FirstName, got.Active, got.Balance, got.LastName), "alicia 31 Ali false 0 S")
		ok(t, "Expr", db.Model(&User{}).Where("age = ?", 25).Update("balance", gorm.Expr("balance * ? + ?", 2, 1)).Error)
		var bals []float64
		ok(t, "balances", db.Model(&User{}).Where("age = ?", 25).Order("name").Pluck("balance", &bals).Error)
		eq(t, "Expr balances", bals, []float64{101, 21})
		ok(t, "Update subquery", db.Model(&User{}).Where("name = ?", "carol").Update("company_id", db.Model(&Company{}).Select("id").Where("name = ?", "Globex")).Error)
		var co uint
		ok(t, "carol company", db.Model(&User{}).Where("name = ?", "carol").Pluck("company_id", &co).Error)
		eq(t, "carol company", co, f.globex.ID)
		var carol User
		ok(t, "carol", db.Where("name = ?", "carol").First(&carol).Error)
		stamp := carol.UpdatedAt
		time.Sleep(2 * time.Millisecond)
		ok(t, "UpdateColumn", db.Model(&carol).UpdateColumn("age", gorm.Expr("age + 1")).Error)
		ok(t, "UpdateColumns", db.Model(&carol).UpdateColumns(User{LastName: "C"}).Error)
		var c2 User
		ok(t, "reload carol", db.First(&c2, carol.ID).Error)
		eq(t, "UpdateColumn keeps updated_at", j(c2.Age, c2.LastName, c2.UpdatedAt.Equal(stamp)), "36 C true")
		err := db.Model(&User{}).Update("age", 1).Error
		eq(t, "global update refused", errors.Is(err, gorm.ErrMissingWhereClause), true)
		r = db.Session(&gorm.Session{AllowGlobalUpdate: true}).Model(&User{}).Update("balance", 7)
		ok(t, "AllowGlobalUpdate", r.Error)
		eq(t, "AllowGlobalUpdate rows", r.RowsAffected, 4)
		// Save: full update of an existing row, insert of a new one.
		got.Age, got.Email = 40, nil
		ok(t, "Save existing", db.Save(&got).Error)
		var g2 User
		ok(t, "reload saved", db.First(&g2, got.ID).Error)
		eq(t, "Save existing", j(g2.Age, g2.Email == nil, g2.Name), "40 true alicia")
		nu := User{Name: "saved-new"}
		ok(t, "Save new", db.Save(&nu).Error)
		eq(t, "Save new id", nu.ID > 0, true)
		r = db.Model(&User{}).Where("age > ?", 100).Updates(map[string]any{"name": "nobody"})
		ok(t, "update nothing", r.Error)
		eq(t, "update nothing rows", r.RowsAffected, 0)
		var p Product
		migrate(t, db, &Product{})
		ok(t, "product", db.Create(&Product{Code: "x", Price: 1}).Error)
		ok(t, "Save string pk", db.Save(&Product{Code: "x", Price: 9, Stock: 2}).Error)
		ok(t, "Save string pk new", db.Save(&Product{Code: "y", Price: 3}).Error)
		ok(t, "read product", db.First(&p, "code = ?", "x").Error)
		eq(t, "product", j(p.Price, p.Stock), "9 2")
		var n int64
		ok(t, "products", db.Model(&Product{}).Count(&n).Error)
		eq(t, "products", n, 2)
	})

	t.Run("returning", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{}, &Company{}, &User{})
		ok(t, "seed", db.Create(&[]Product{{Code: "a", Price: 50}, {Code: "b", Price: 150}, {Code: "c", Price: 250}}).Error)
		var deleted []Product
		r := db.Clauses(clause.Returning{}).Where("price > ?", 100).Order("code").Delete(&deleted)
		ok(t, "Delete RETURNING", r.Error)
		sort.Slice(deleted, func(i, j int) bool { return deleted[i].Code < deleted[j].Code })
		eq(t, "deleted", fmt.Sprint(deleted), "[{b 150 0} {c 250 0}]")
		var updated []Product
		ok(t, "Update RETURNING", db.Model(&updated).Clauses(clause.Returning{Columns: []clause.Column{{Name: "code"}, {Name: "price"}}}).Where("code = ?", "a").Update("price", gorm.Expr("price + 1")).Error)
		eq(t, "updated", fmt.Sprint(updated), "[{a 51 0}]")
		u := User{Name: "r"}
		ok(t, "Create RETURNING defaults", db.Clauses(clause.Returning{}).Create(&u).Error)
		eq(t, "returned defaults", j(u.ID, u.Age, u.Active), "1 18 true")
	})

	t.Run("delete_soft_and_unscoped", func(t *testing.T) {
		db := e.gdb(t)
		f := seed(t, db)
		r := db.Delete(&f.users[0])
		ok(t, "soft Delete", r.Error)
		eq(t, "soft Delete rows", r.RowsAffected, 1)
		var us []User
		ok(t, "Find after soft delete", db.Order("name").Find(&us).Error)
		eq(t, "Find after soft delete", names(us), []string{"bob", "carol", "dave"})
		us = nil
		ok(t, "Unscoped Find", db.Unscoped().Order("name").Find(&us).Error)
		eq(t, "Unscoped Find", names(us), []string{"alice", "bob", "carol", "dave"})
		eq(t, "deleted_at set", us[0].DeletedAt.Valid, true)
		var n int64
		ok(t, "Unscoped Where deleted", db.Unscoped().Model(&User{}).Where("deleted_at IS NOT NULL").Count(&n).Error)
		eq(t, "deleted count", n, 1)
		err := db.First(&User{}, f.users[0].ID).Error
		eq(t, "First soft-deleted", errors.Is(err, gorm.ErrRecordNotFound), true)
		r = db.Where("age = ?", 25).Delete(&User{})
		ok(t, "Delete where", r.Error)
		eq(t, "Delete where rows", r.RowsAffected, 2)
		r = db.Delete(&User{}, f.users[2].ID)
		ok(t, "Delete pk", r.Error)
		eq(t, "Delete pk rows", r.RowsAffected, 1)
		ok(t, "Count", db.Model(&User{}).Count(&n).Error)
		eq(t, "live users", n, 0)
		ok(t, "restore", db.Unscoped().Model(&User{}).Where("name = ?", "carol").Update("deleted_at", nil).Error)
		ok(t, "Count restored", db.Model(&User{}).Count(&n).Error)
		eq(t, "restored", n, 1)
		// Hard deletes: orders reference users, so remove children first.
		r = db.Unscoped().Where("1 = 1").Delete(&Order{})
		ok(t, "Unscoped delete orders", r.Error)
		eq(t, "orders deleted", r.RowsAffected, 5)
		ok(t, "clear join rows", db.Exec(fmt.Sprintf(`DELETE FROM %q`, pfx(db)+"user_languages")).Error)
		ok(t, "clear cards", db.Where("1 = 1").Delete(&CreditCard{}).Error)
		r = db.Unscoped().Delete(&f.users[0])
		ok(t, "Unscoped Delete", r.Error)
		eq(t, "Unscoped Delete rows", r.RowsAffected, 1)
		ok(t, "Unscoped count", db.Unscoped().Model(&User{}).Count(&n).Error)
		eq(t, "rows left", n, 3)
		err = db.Delete(&User{}).Error
		eq(t, "global delete refused", errors.Is(err, gorm.ErrMissingWhereClause), true)
		ok(t, "delete by slice", db.Unscoped().Delete(&[]User{f.users[1], f.users[3]}).Error)
		ok(t, "count after slice delete", db.Unscoped().Model(&User{}).Count(&n).Error)
		eq(t, "rows left after slice", n, 1)
		wantState(t, "delete referenced company", db.Delete(&f.acme).Error, "")
	})
}
