package ormcompat

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// allModels is every model of the suite, in an order AutoMigrate accepts
// (it reorders by dependency anyway).
func allModels() []any {
	return []any{
		&Company{}, &Language{}, &User{}, &CreditCard{}, &Order{}, &Product{},
		&Doc{}, &Ticket{}, &Membership{}, &Article{}, &Checked{}, &Account{},
		&Dog{}, &Cat{}, &Toy{}, &Employee{}, &Person{}, &Address{},
		&Parent{}, &Child{}, &Pet{}, &Hooked{}, &Item{}, &Uniq{},
	}
}

var ddlRE = regexp.MustCompile(`(?i)^\s*(CREATE|ALTER|DROP|COMMENT)\b`)

// ddlOf returns the DDL statements among trail lines.
func ddlOf(lines []string) []string {
	var out []string
	for _, l := range lines {
		s := strings.TrimSpace(l)
		if i := strings.Index(s, "  -- rows="); i >= 0 {
			s = s[:i]
		}
		if ddlRE.MatchString(s) {
			out = append(out, s)
		}
	}
	return out
}

// columnSummary renders GORM's view of one column.
func columnSummary(c gorm.ColumnType) string {
	ct, _ := c.ColumnType()
	pk, _ := c.PrimaryKey()
	ai, _ := c.AutoIncrement()
	n, nok := c.Nullable()
	u, _ := c.Unique()
	l, lok := c.Length()
	p, s, dok := c.DecimalSize()
	d, defok := c.DefaultValue()
	out := fmt.Sprintf("%s %s/%s", c.Name(), c.DatabaseTypeName(), ct)
	if pk {
		out += " pk"
	}
	if ai {
		out += " autoinc"
	}
	if nok && !n {
		out += " notnull"
	}
	if u {
		out += " unique"
	}
	// Length and DecimalSize are meaningful for typmod'ed types only
	// (varchar(n), numeric(p,s)); for others GORM reports type widths.
	if lok && l > 0 && strings.Contains(ct, "(") && !strings.Contains(ct, ",") {
		out += fmt.Sprintf(" len=%d", l)
	}
	if dok && (p > 0 || s > 0) && strings.Contains(ct, ",") {
		out += fmt.Sprintf(" dec=%d,%d", p, s)
	}
	if defok && d != "" {
		out += " default=" + d
	}
	if cm, ok := c.Comment(); ok && cm != "" {
		out += fmt.Sprintf(" comment=%q", cm)
	}
	return out
}

func columnSummaries(t *testing.T, db *gorm.DB, model any) []string {
	t.Helper()
	cts, err := db.Migrator().ColumnTypes(model)
	ok(t, fmt.Sprintf("ColumnTypes(%T)", model), err)
	out := make([]string, len(cts))
	for i, c := range cts {
		out[i] = columnSummary(c)
	}
	return out
}

// suiteMigrator covers GORM's migrator: AutoMigrate of every kind of model,
// idempotence, and each introspection and DDL method.
func suiteMigrator(t *testing.T, e *env) {
	t.Run("automigrate_all_models", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, allModels()...)
		ok(t, "SetupJoinTable", db.SetupJoinTable(&Person{}, "Addresses", &PersonAddress{}))
		migrate(t, db, &Person{})
		for _, m := range allModels() {
			eq(t, fmt.Sprintf("HasTable(%T)", m), db.Migrator().HasTable(m), true)
		}
		for _, jt := range []string{"user_languages", "employee_friends", "person_addresses"} {
			eq(t, "HasTable("+jt+")", db.Migrator().HasTable(pfx(db)+jt), true)
		}
		eq(t, "HasTable(missing)", db.Migrator().HasTable("no_such_table"), false)
	})

	t.Run("automigrate_rerun_is_noop", func(t *testing.T) {
		tr := newTrail(t)
		db := e.gdb(t, func(c *gorm.Config) { c.Logger = tr })
		migrate(t, db, allModels()...)
		before := len(tr.statements())
		migrate(t, db, allModels()...)
		ddl := ddlOf(tr.statements()[before:])
		eq(t, "DDL on second AutoMigrate", ddl, []string{})
	})

	t.Run("automigrate_adds_and_widens", func(t *testing.T) {
		type V1 struct {
			ID   uint
			Name string `gorm:"size:20"`
		}
		type V2 struct {
			ID    uint
			Name  string `gorm:"size:80"`
			Note  string `gorm:"default:none"`
			Score int    `gorm:"not null;default:0"`
		}
		db := e.gdb(t)
		tb := table(t, db, &V1{})
		migrate(t, db.Table(tb), &V1{})
		ok(t, "insert v1", db.Table(tb).Create(&V1{Name: "old"}).Error)
		migrate(t, db.Table(tb), &V2{})
		eq(t, "columns", columnSummaries(t, db.Table(tb), &V2{}), []string{
			"id int8/bigint pk autoinc notnull",
			"name varchar/character varying(80) len=80",
			"note text/text default=none",
			"score int8/bigint notnull default=0",
		})
		var got V2
		ok(t, "read old row", db.Table(tb).First(&got).Error)
		eq(t, "old row", []any{got.Name, got.Note, got.Score}, []any{"old", "none", 0})
	})

	t.Run("column_types", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &User{}, &Membership{}, &Product{}, &Doc{}, &Uniq{})
		eq(t, "users", columnSummaries(t, db, &User{}), []string{
			"id int8/bigint pk autoinc notnull",
			"created_at timestamptz/timestamp with time zone",
			"updated_at timestamptz/timestamp with time zone",
			"deleted_at timestamptz/timestamp with time zone",
			"name varchar/character varying(100) notnull len=100 default=anon",
			"email text/text",
			"age int8/bigint default=18",
			"first_name text/text",
			"last_name text/text",
			"active bool/boolean default=true",
			"balance numeric/numeric",
			"birthday timestamptz/timestamp with time zone",
			"company_id int8/bigint",
		})
		eq(t, "memberships", columnSummaries(t, db, &Membership{}), []string{
			"org_id int8/bigint pk notnull",
			"user_id int8/bigint pk notnull",
			"role varchar/character varying(20) notnull len=20 default=member",
		})
		eq(t, "products", columnSummaries(t, db, &Product{}), []string{
			"code text/text pk notnull",
			"price int8/bigint",
			"stock int8/bigint",
		})
		eq(t, "docs", columnSummaries(t, db, &Doc{}), []string{
			"id uuid/uuid pk notnull default=gen_random_uuid()",
			"title text/text",
		})
		eq(t, "uniqs", columnSummaries(t, db, &Uniq{}), []string{
			"id int8/bigint pk autoinc notnull",
			"code varchar/character varying(32) notnull unique len=32",
			"ref int8/bigint unique",
			`note text/text comment="free text, set by hand"`,
		})
		wantState(t, "unique constraint", db.Create(&[]Uniq{{Code: "a"}, {Code: "a"}}).Error, "23505")
		eq(t, "HasConstraint(uni_code)", db.Migrator().HasConstraint(&Uniq{}, "uni_"+table(t, db, &Uniq{})+"_code"), true)
		eq(t, "HasColumn(Name)", db.Migrator().HasColumn(&User{}, "Name"), true)
		eq(t, "HasColumn(first_name)", db.Migrator().HasColumn(&User{}, "first_name"), true)
		eq(t, "HasColumn(nope)", db.Migrator().HasColumn(&User{}, "nope"), false)
	})

	t.Run("article_column_types", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Article{})
		eq(t, "articles", columnSummaries(t, db, &Article{}), []string{
			"id int8/bigint pk autoinc notnull",
			"title varchar/character varying(200) notnull len=200",
			"author_name text/text",
			"author_email text/text",
			"body text/text",
			"views int8/bigint",
			"rating numeric/numeric",
			"published bool/boolean",
			"publish_at timestamptz/timestamp with time zone",
			"day date/date",
			"blob bytea/bytea",
			"attrs jsonb/jsonb",
			"tags text/text",
			"meta text/text",
			"created_at timestamptz/timestamp with time zone",
			"updated_at timestamptz/timestamp with time zone",
			"created_ms int8/bigint",
			"updated_sec int8/bigint",
		})
	})

	t.Run("columns_add_drop_alter_rename", func(t *testing.T) {
		type Col struct {
			ID    uint
			Name  string `gorm:"size:20"`
			Extra string
		}
		type ColWide struct {
			ID    uint
			Name  string `gorm:"size:120"`
			Extra string
		}
		db := e.gdb(t)
		tb := table(t, db, &Col{})
		ok(t, "create table", db.Table(tb).Migrator().CreateTable(&ColWide{}))
		ok(t, "DropColumn", db.Migrator().DropColumn(&Col{}, "Extra"))
		eq(t, "HasColumn after drop", db.Migrator().HasColumn(&Col{}, "Extra"), false)
		ok(t, "AddColumn", db.Migrator().AddColumn(&Col{}, "Extra"))
		eq(t, "HasColumn after add", db.Migrator().HasColumn(&Col{}, "Extra"), true)
		ok(t, "insert", db.Create(&Col{Name: "abc", Extra: "x"}).Error)
		ok(t, "RenameColumn", db.Migrator().RenameColumn(&Col{}, "extra", "extra2"))
		eq(t, "HasColumn(extra2)", db.Migrator().HasColumn(&Col{}, "extra2"), true)
		eq(t, "HasColumn(extra)", db.Migrator().HasColumn(&Col{}, "extra"), false)
		var v string
		ok(t, "read renamed", db.Table(tb).Select("extra2").Scan(&v).Error)
		eq(t, "renamed value", v, "x")
		ok(t, "RenameColumn back", db.Migrator().RenameColumn(&Col{}, "extra2", "extra"))
		// ColWide.Name is size:120, the table says 120; AlterColumn to 20.
		ok(t, "AlterColumn", db.Table(tb).Migrator().AlterColumn(&Col{}, "Name"))
		cols := columnSummaries(t, db, &Col{})
		eq(t, "after alter", cols[1], "name varchar/character varying(20) len=20")
		err := db.Create(&Col{Name: strings.Repeat("x", 21)}).Error
		wantState(t, "too long after alter", err, "22001")
	})

	t.Run("indexes", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &User{})
		m := db.Migrator()
		u := table(t, db, &User{})
		eq(t, "HasIndex(idx_user_name)", m.HasIndex(&User{}, "idx_user_name"), true)
		eq(t, "HasIndex(Email)", m.HasIndex(&User{}, "Email"), true)
		eq(t, "HasIndex(idx_..._deleted_at)", m.HasIndex(&User{}, "idx_"+u+"_deleted_at"), true)
		eq(t, "HasIndex(missing)", m.HasIndex(&User{}, "idx_missing"), false)
		idx, err := m.GetIndexes(&User{})
		ok(t, "GetIndexes", err)
		var got []string
		for _, i := range idx {
			uq, _ := i.Unique()
			pk, _ := i.PrimaryKey()
			got = append(got, fmt.Sprintf("%s%v unique=%v pk=%v", strings.TrimPrefix(i.Name(), "idx_"+u), i.Columns(), uq, pk))
		}
		sort.Strings(got)
		eq(t, "indexes", got, []string{
			"_deleted_at[deleted_at] unique=false pk=false",
			"_email[email] unique=true pk=false",
			"idx_user_name[first_name last_name] unique=false pk=false",
		})
		ok(t, "DropIndex", m.DropIndex(&User{}, "idx_user_name"))
		eq(t, "HasIndex after drop", m.HasIndex(&User{}, "idx_user_name"), false)
		ok(t, "CreateIndex", m.CreateIndex(&User{}, "idx_user_name"))
		eq(t, "HasIndex after create", m.HasIndex(&User{}, "idx_user_name"), true)
		ok(t, "RenameIndex", m.RenameIndex(&User{}, "idx_user_name", "idx_user_name2"))
		eq(t, "HasIndex(old)", m.HasIndex(&User{}, "idx_user_name"), false)
		eq(t, "HasIndex(new)", m.HasIndex(&User{}, "idx_user_name2"), true)
		ok(t, "DropIndex(Email)", m.DropIndex(&User{}, "Email"))
		eq(t, "HasIndex(Email) after drop", m.HasIndex(&User{}, "Email"), false)
		ok(t, "CreateIndex(Email)", m.CreateIndex(&User{}, "Email"))
		e1, e2 := "a@x", "a@x"
		ok(t, "insert", db.Create(&User{Name: "a", Email: &e1}).Error)
		wantState(t, "duplicate email", db.Create(&User{Name: "b", Email: &e2}).Error, "23505")
	})

	t.Run("constraints", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &User{}, &Order{}, &Checked{})
		m := db.Migrator()
		u, o, c := table(t, db, &User{}), table(t, db, &Order{}), table(t, db, &Checked{})
		eq(t, "HasConstraint(Company)", m.HasConstraint(&User{}, "Company"), true)
		eq(t, "HasConstraint(fk_users_company)", m.HasConstraint(&User{}, "fk_"+u+"_company"), true)
		eq(t, "HasConstraint(Orders)", m.HasConstraint(&User{}, "Orders"), true)
		eq(t, "HasConstraint(chk_age)", m.HasConstraint(&User{}, "chk_"+u+"_age"), true)
		eq(t, "HasConstraint(name_checker)", m.HasConstraint(&Checked{}, "name_checker"), true)
		eq(t, "HasConstraint(chk price)", m.HasConstraint(&Checked{}, "chk_"+c+"_price"), true)
		eq(t, "HasConstraint(missing)", m.HasConstraint(&User{}, "nope"), false)

		wantState(t, "fk violation", db.Create(&Order{UserID: 999}).Error, "23503")
		wantState(t, "check violation", db.Create(&Checked{Name: "bad", Price: 1}).Error, "23514")
		wantState(t, "check violation 2", db.Create(&Checked{Name: "ok", Price: 0}).Error, "23514")
		wantState(t, "user age check", db.Create(&User{Name: "x", Age: -1}).Error, "23514")
		wantState(t, "not null", db.Exec(fmt.Sprintf(`INSERT INTO %q (name) VALUES (NULL)`, u)).Error, "23502")

		ok(t, "DropConstraint(name_checker)", m.DropConstraint(&Checked{}, "name_checker"))
		eq(t, "HasConstraint after drop", m.HasConstraint(&Checked{}, "name_checker"), false)
		ok(t, "insert after drop", db.Create(&Checked{Name: "bad", Price: 1}).Error)
		ok(t, "delete bad", db.Where("name = ?", "bad").Delete(&Checked{}).Error)
		ok(t, "CreateConstraint(name_checker)", m.CreateConstraint(&Checked{}, "name_checker"))
		eq(t, "HasConstraint after create", m.HasConstraint(&Checked{}, "name_checker"), true)
		wantState(t, "check again", db.Create(&Checked{Name: "bad", Price: 1}).Error, "23514")

		ok(t, "DropConstraint(Orders)", m.DropConstraint(&User{}, "Orders"))
		eq(t, "HasConstraint(Orders) after drop", m.HasConstraint(&User{}, "Orders"), false)
		ok(t, "orphan order allowed", db.Create(&Order{UserID: 999}).Error)
		ok(t, "remove orphan", db.Unscoped().Where("user_id = ?", 999).Delete(&Order{}).Error)
		ok(t, "CreateConstraint(Orders)", m.CreateConstraint(&User{}, "Orders"))
		eq(t, "HasConstraint(Orders) again", m.HasConstraint(&User{}, "fk_"+u+"_orders"), true)
		wantState(t, "fk again", db.Create(&Order{UserID: 998}).Error, "23503")
		_ = o
	})

	t.Run("views", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Company{}, &User{})
		ok(t, "seed", db.Create(&[]User{{Name: "a", Age: 30}, {Name: "b", Age: 40}}).Error)
		ok(t, "soft delete b", db.Where("name = ?", "b").Delete(&User{}).Error)
		view := table(t, db, &User{}) + "_view"
		ok(t, "CreateView", db.Migrator().CreateView(view, gorm.ViewOption{
			Query: db.Model(&User{}).Select("id", "name", "age"),
		}))
		var names []string
		ok(t, "query view", db.Table(view).Order("name").Pluck("name", &names).Error)
		eq(t, "view rows", names, []string{"a"})
		ok(t, "CreateView replace", db.Migrator().CreateView(view, gorm.ViewOption{
			Replace: true, Query: db.Unscoped().Model(&User{}).Select("id", "name", "age"),
		}))
		names = nil
		ok(t, "query replaced view", db.Table(view).Order("name").Pluck("name", &names).Error)
		eq(t, "replaced view rows", names, []string{"a", "b"})
		ok(t, "DropView", db.Migrator().DropView(view))
		err := db.Table(view).Pluck("name", &names).Error
		wantState(t, "view gone", err, "42P01")
	})

	t.Run("tables_rename_drop_current_database", func(t *testing.T) {
		db := e.gdb(t)
		type Temp struct {
			ID uint
			V  string
		}
		migrate(t, db, &Temp{}, &Product{})
		tb := table(t, db, &Temp{})
		tables, err := db.Migrator().GetTables()
		ok(t, "GetTables", err)
		var mine []string
		for _, n := range tables {
			if strings.HasPrefix(n, pfx(db)) {
				mine = append(mine, strings.TrimPrefix(n, pfx(db)))
			}
		}
		sort.Strings(mine)
		eq(t, "GetTables", mine, []string{"products", "temps"})
		ok(t, "RenameTable", db.Migrator().RenameTable(&Temp{}, tb+"2"))
		eq(t, "HasTable(old)", db.Migrator().HasTable(&Temp{}), false)
		eq(t, "HasTable(new)", db.Migrator().HasTable(tb+"2"), true)
		ok(t, "insert renamed (serial still works)", db.Table(tb+"2").Create(&Temp{V: "x"}).Error)
		ok(t, "DropTable", db.Migrator().DropTable(tb+"2", &Product{}))
		eq(t, "HasTable after drop", db.Migrator().HasTable(tb+"2"), false)
		eq(t, "HasTable(products) after drop", db.Migrator().HasTable(&Product{}), false)
		cur := db.Migrator().CurrentDatabase()
		if !eq(t, "CurrentDatabase is the run's database", cur == e.dbName, true) {
			t.Logf("CurrentDatabase() = %q, want %q", cur, e.dbName)
		}
	})
}
