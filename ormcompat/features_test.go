package ormcompat

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/datatypes"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// suiteFeatures covers hooks, timestamps, serializers, JSON, uuid and
// composite keys, soft delete with unique indexes, PrepareStmt, DryRun and
// error translation.
func suiteFeatures(t *testing.T, e *env) {
	t.Run("hooks", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Hooked{})
		h := Hooked{Name: "h"}
		ok(t, "Create", db.Create(&h).Error)
		eq(t, "create hooks ran", h.Log, "bs;bc;")
		var got Hooked
		ok(t, "First", db.First(&got, h.ID).Error)
		eq(t, "stored log", got.Log, "bs;bc;")
		eq(t, "AfterFind", got.Loaded, "found:h")
		var all []Hooked
		ok(t, "Find", db.Find(&all).Error)
		eq(t, "AfterFind on Find", all[0].Loaded, "found:h")
		ok(t, "Save", db.Save(&got).Error)
		eq(t, "save hooks", got.Log, "bs;bc;bs;bu;")
		err := db.Create(&Hooked{Name: "refuse-create"}).Error
		eq(t, "BeforeCreate error returned", errors.Is(err, errHookRefused), true)
		err = db.Create(&Hooked{Name: "fail-after-create"}).Error
		eq(t, "AfterCreate error returned", errors.Is(err, errHookRefused), true)
		var n int64
		ok(t, "count", db.Model(&Hooked{}).Count(&n).Error)
		eq(t, "refused rows not stored (AfterCreate rolls back)", n, 1)
		k := Hooked{Name: "keep"}
		ok(t, "Create keep", db.Create(&k).Error)
		err = db.Delete(&k).Error
		eq(t, "BeforeDelete refuses", errors.Is(err, errHookRefused), true)
		ok(t, "count", db.Model(&Hooked{}).Count(&n).Error)
		eq(t, "still 2", n, 2)
		s := Hooked{Name: "skip"}
		ok(t, "SkipHooks", db.Session(&gorm.Session{SkipHooks: true}).Create(&s).Error)
		eq(t, "no hooks ran", s.Log, "")
		ok(t, "Update via Model hooks", db.Model(&s).Update("name", "skip2").Error)
		var s2 Hooked
		ok(t, "reload", db.First(&s2, s.ID).Error)
		eq(t, "update hook saw", s2.Log, "")
	})

	t.Run("timestamps_auto_create_update", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Article{})
		before := time.Now().Add(-time.Second)
		a := Article{Title: "t", Day: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
		ok(t, "Create", db.Create(&a).Error)
		var got Article
		ok(t, "First", db.First(&got, a.ID).Error)
		eq(t, "created_at stored", got.CreatedAt.Equal(a.CreatedAt.Truncate(time.Microsecond)) && got.CreatedAt.After(before), true)
		eq(t, "updated_at == created_at", got.UpdatedAt.Equal(got.CreatedAt), true)
		eq(t, "autoCreateTime:milli", got.CreatedMs/1000 >= before.Unix() && got.CreatedMs < time.Now().Add(time.Second).UnixMilli(), true)
		eq(t, "autoUpdateTime (unix seconds)", got.UpdatedSec >= before.Unix() && got.UpdatedSec <= time.Now().Unix()+1, true)
		time.Sleep(5 * time.Millisecond)
		prevUpdated, prevSec := got.UpdatedAt, got.UpdatedSec
		ok(t, "Update", db.Model(&got).Update("title", "t2").Error)
		var up Article
		ok(t, "reload", db.First(&up, a.ID).Error)
		eq(t, "updated_at advanced, created_at kept", up.UpdatedAt.After(prevUpdated) && up.CreatedAt.Equal(got.CreatedAt) && up.UpdatedSec >= prevSec, true)
		var raw struct {
			CreatedAt time.Time
			Tz        string
		}
		ok(t, "timestamptz column", db.Raw(fmt.Sprintf("SELECT created_at, pg_typeof(created_at)::text AS tz FROM %q", table(t, db, &Article{}))).Scan(&raw).Error)
		eq(t, "column type", raw.Tz, "timestamp with time zone")
		local := time.Date(2024, 6, 1, 12, 0, 0, 0, time.FixedZone("X", 5*3600))
		ok(t, "explicit time with zone", db.Model(&up).Update("publish_at", local).Error)
		var pa Article
		ok(t, "reload publish_at", db.First(&pa, a.ID).Error)
		eq(t, "instant kept", pa.PublishAt.Equal(local), true)
	})

	t.Run("serializer_json_and_datatypes_json", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Article{})
		day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		as := []Article{
			{Title: "a", Day: day, Tags: []string{"x", "y"}, Meta: map[string]string{"lang": "go"}, Attrs: datatypes.JSON(`{"color":"red","size":{"w":2}}`)},
			{Title: "b", Day: day, Tags: []string{}, Attrs: datatypes.JSON(`{"color":"blue"}`)},
			{Title: "c", Day: day},
		}
		ok(t, "Create", db.Create(&as).Error)
		var raw []string
		ok(t, "stored serializer text", db.Model(&Article{}).Order("id").Pluck("COALESCE(tags, 'NULL')", &raw).Error)
		eq(t, "tags stored", raw, []string{`["x","y"]`, `[]`, `NULL`})
		var got []Article
		okc(t, "HasKey", db.Where(datatypes.JSONQuery("attrs").HasKey("size", "w")).Find(&got).Error)
		eq(t, "HasKey", len(got), 1)
		got = nil
		ok(t, "Equals", db.Where(datatypes.JSONQuery("attrs").Equals("blue", "color")).Find(&got).Error)
		eq(t, "Equals", len(got) == 1 && got[0].Title == "b", true)
		got = nil
		ok(t, "jsonb operators", db.Where("attrs->>'color' = ?", "red").Where("attrs @> ?", `{"size":{"w":2}}`).Find(&got).Error)
		eq(t, "jsonb operators", len(got), 1)
		var color []string
		ok(t, "extract", db.Model(&Article{}).Where("attrs IS NOT NULL").Order("id").Pluck("attrs->>'color'", &color).Error)
		eq(t, "extract", color, []string{"red", "blue"})
		ok(t, "JSONSet", db.Model(&Article{}).Where("title = ?", "b").UpdateColumn("attrs", datatypes.JSONSet("attrs").Set("{color}", "green")).Error)
		var b Article
		ok(t, "reload", db.Where("title = ?", "b").First(&b).Error)
		eq(t, "JSONSet", string(b.Attrs), `{"color": "green"}`)
		var m Article
		ok(t, "serializer round trip", db.Where("title = ?", "a").First(&m).Error)
		eq(t, "serializer", j(m.Tags, m.Meta), "[x y] map[lang:go]")
	})

	t.Run("uuid_keys", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Doc{}, &Ticket{})
		d := Doc{Title: "d"}
		ok(t, "Create (server uuid)", db.Create(&d).Error)
		eq(t, "uuid returned", d.ID != uuid.Nil && d.ID.Version() == 4, true)
		var back Doc
		ok(t, "First by uuid", db.First(&back, "id = ?", d.ID).Error)
		eq(t, "title", back.Title, "d")
		id := uuid.New()
		ok(t, "Create (client uuid)", db.Create(&Ticket{ID: id, Title: "t"}).Error)
		var tk Ticket
		ok(t, "First by uuid string", db.First(&tk, "id = ?", id.String()).Error)
		eq(t, "client uuid kept", tk.ID == id, true)
		wantState(t, "bad uuid text", db.First(&Ticket{}, "id = ?", "not-a-uuid").Error, "22P02")
	})

	t.Run("composite_keys", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Membership{})
		ok(t, "memberships", db.Create(&[]Membership{{OrgID: 1, UserID: 1}, {OrgID: 1, UserID: 2, Role: "admin"}, {OrgID: 2, UserID: 1}}).Error)
		var m Membership
		ok(t, "First by composite", db.First(&m, "org_id = ? AND user_id = ?", 1, 2).Error)
		eq(t, "role", m.Role, "admin")
		m.Role = "owner"
		ok(t, "Save composite", db.Save(&m).Error)
		var ms []Membership
		ok(t, "Find", db.Order("org_id, user_id").Find(&ms).Error)
		eq(t, "memberships", fmt.Sprint(ms), "[{1 1 member} {1 2 owner} {2 1 member}]")
		wantState(t, "composite duplicate", db.Create(&Membership{OrgID: 2, UserID: 1}).Error, "23505")
		okc(t, "Delete composite", db.Delete(&Membership{OrgID: 1, UserID: 1}).Error)
		var n int64
		ok(t, "count", db.Model(&Membership{}).Count(&n).Error)
		eq(t, "after delete", n, 2)
		var tuples []Membership
		okc(t, "IN tuples", db.Where("(org_id, user_id) IN ?", [][]any{{1, 2}, {2, 1}}).Order("org_id").Find(&tuples).Error)
		eq(t, "IN tuples", len(tuples), 2)
	})

	t.Run("soft_delete_with_unique_index", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Account{})
		a := Account{Login: "x"}
		ok(t, "Create", db.Create(&a).Error)
		ok(t, "soft Delete", db.Delete(&a).Error)
		ok(t, "re-create same login after soft delete", db.Create(&Account{Login: "x"}).Error)
		// (login, NULL) twice: NULLs are distinct in a unique index.
		ok(t, "second live row (NULLs distinct)", db.Create(&Account{Login: "x"}).Error)
		var n int64
		ok(t, "live", db.Model(&Account{}).Where("login = ?", "x").Count(&n).Error)
		eq(t, "live rows", n, 2)
		ok(t, "all", db.Unscoped().Model(&Account{}).Where("login = ?", "x").Count(&n).Error)
		eq(t, "all rows", n, 3)
		var del Account
		ok(t, "deleted one", db.Unscoped().Where("deleted_at IS NOT NULL").First(&del).Error)
		wantState(t, "same (login, deleted_at)", db.Create(&Account{Login: "x", DeletedAt: del.DeletedAt}).Error, "23505")
	})

	t.Run("soft_delete_with_partial_unique_index", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Member{})
		migrate(t, db, &Member{}) // again: the indexes exist, nothing to do
		m := db.Migrator()
		eq(t, "HasIndex(idx_member_login_live)", m.HasIndex(&Member{}, "idx_member_login_live"), true)
		eq(t, "HasIndex(idx_member_email_lower)", m.HasIndex(&Member{}, "idx_member_email_lower"), true)
		a := Member{Login: "x", Email: "X@Example.org"}
		ok(t, "Create", db.Create(&a).Error)
		wantState(t, "second live row with the login", db.Create(&Member{Login: "x"}).Error, "23505")
		ok(t, "soft Delete", db.Delete(&a).Error)
		b := Member{Login: "x"}
		ok(t, "re-create the login after soft delete", db.Create(&b).Error)
		wantState(t, "restore collides with the live row", db.Unscoped().Model(&Member{}).Where("id = ?", a.ID).Update("deleted_at", nil).Error, "23505")
		ok(t, "soft Delete the new one", db.Delete(&b).Error)
		ok(t, "restore", db.Unscoped().Model(&Member{}).Where("id = ?", a.ID).Update("deleted_at", nil).Error)
		var got Member
		ok(t, "find by login", db.Where("login = ?", "x").First(&got).Error)
		eq(t, "restored row", got.ID, a.ID)
		ok(t, "find by lower(email)", db.Where("lower(email) = ?", "x@example.org").First(&got).Error)
		eq(t, "by email", got.ID, a.ID)
	})

	t.Run("prepare_stmt_mode", func(t *testing.T) {
		db := e.gdb(t, func(c *gorm.Config) { c.PrepareStmt = true })
		migrate(t, db, &Company{}, &User{})
		for i := 0; i < 3; i++ {
			ok(t, "Create", db.Create(&User{Name: fmt.Sprint("u", i), Age: 20 + i}).Error)
		}
		for i := 0; i < 3; i++ {
			var u User
			ok(t, "First", db.Where("age = ?", 20+i).First(&u).Error)
			eq(t, fmt.Sprint("row ", i), u.Name, fmt.Sprint("u", i))
		}
		ok(t, "Transaction", db.Transaction(func(tx *gorm.DB) error {
			for i := 0; i < 2; i++ {
				if err := tx.Model(&User{}).Where("age = ?", 20+i).Update("balance", gorm.Expr("balance + ?", 1.5)).Error; err != nil {
					return err
				}
			}
			return nil
		}))
		var sum float64
		ok(t, "sum", db.Model(&User{}).Select("sum(balance)").Scan(&sum).Error)
		eq(t, "sum", sum, 3)
		var u User
		ok(t, "First again", db.Where("age = ?", 21).First(&u).Error)
		eq(t, "First again", u.Name, "u1")
	})

	t.Run("dry_run", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		dry := db.Session(&gorm.Session{DryRun: true})
		stmt := dry.Create(&Product{Code: "dry"}).Statement
		eq(t, "vars", fmt.Sprint(stmt.Vars), "[dry 0 0]")
		stmt = dry.Where("price > ?", 5).Find(&[]Product{}).Statement
		eq(t, "query vars", fmt.Sprint(stmt.Vars), "[5]")
		var n int64
		ok(t, "count", db.Model(&Product{}).Count(&n).Error)
		eq(t, "nothing written", n, 0)
		sqlText := db.ToSQL(func(tx *gorm.DB) *gorm.DB {
			return tx.Model(&Product{}).Where("code = ?", "x").Limit(1).Find(&[]Product{})
		})
		ok(t, "ToSQL output runs", db.Exec(sqlText).Error)
	})

	t.Run("translate_error", func(t *testing.T) {
		db := e.gdb(t, func(c *gorm.Config) { c.TranslateError = true })
		migrate(t, db, &Company{}, &User{}, &Order{}, &Checked{})
		e1 := "t@x"
		ok(t, "user", db.Create(&User{Name: "a", Email: &e1}).Error)
		err := db.Create(&User{Name: "b", Email: &e1}).Error
		eq(t, "ErrDuplicatedKey", errors.Is(err, gorm.ErrDuplicatedKey), true)
		err = db.Create(&Order{UserID: 77}).Error
		eq(t, "ErrForeignKeyViolated", errors.Is(err, gorm.ErrForeignKeyViolated), true)
		err = db.Create(&Checked{Name: "bad", Price: 1}).Error
		eq(t, "ErrCheckConstraintViolated", errors.Is(err, gorm.ErrCheckConstraintViolated), true)
		err = db.Model(&User{}).Where("nope = 1").Find(&[]User{}).Error
		wantState(t, "undefined column", err, "42703") // GORM translates 42703 on some paths only
	})

	t.Run("error_sqlstates", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		wantState(t, "undefined table", db.Raw("SELECT * FROM no_such_table").Scan(&[]Product{}).Error, "42P01")
		wantState(t, "undefined column", db.Model(&Product{}).Where("nope = 1").Find(&[]Product{}).Error, "42703")
		wantState(t, "syntax error", db.Exec("SELEC 1").Error, "42601")
		wantState(t, "division by zero", db.Raw("SELECT 1/0").Scan(new(int)).Error, "22012")
		wantState(t, "bad integer text", db.Model(&Product{}).Where("price = ?", "abc").Find(&[]Product{}).Error, "22P02")
		wantState(t, "numeric overflow", db.Raw("SELECT 2147483647::int + 1").Scan(new(int)).Error, "22003")
		var one int
		ok(t, "connection fine after errors", db.Raw("SELECT 1").Scan(&one).Error)
		ok(t, "Clauses(clause.Returning{}) on Create", db.Clauses(clause.Returning{}).Create(&Product{Code: "r", Price: 1}).Error)
	})
}
