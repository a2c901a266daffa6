package ormcompat

import (
	"net/url"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq" // registers driver "postgres"
	"gorm.io/datatypes"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// suiteConnect opens GORM the ways applications do and round-trips values of
// every common type through each connection.
func suiteConnect(t *testing.T, e *env) {
	t.Run("default_pgx", func(t *testing.T) {
		db := e.open(t, postgres.Open(e.dsn))
		var v string
		ok(t, "SHOW server_version", db.Raw("SHOW server_version").Scan(&v).Error)
		eq(t, "server major", strings.SplitN(v, ".", 2)[0], "15")
		roundTrip(t, db)
	})
	t.Run("simple_protocol", func(t *testing.T) {
		db := e.open(t, postgres.New(postgres.Config{DSN: e.dsn, PreferSimpleProtocol: true}))
		roundTrip(t, db)
	})
	t.Run("timezone_url_dsn", func(t *testing.T) {
		db := e.open(t, postgres.Open(e.dsn+"&TimeZone=Asia/Tokyo"))
		checkTimeZone(t, db, "Asia/Tokyo", "2024-01-02 12:04:05+09")
	})
	t.Run("timezone_keyvalue_dsn", func(t *testing.T) {
		u, _ := url.Parse(e.dsn)
		kv := "host=" + u.Hostname() + " port=" + u.Port() + " user=postgres dbname=" +
			strings.TrimPrefix(u.Path, "/") + " sslmode=disable TimeZone=America/New_York"
		db := e.open(t, postgres.Open(kv))
		checkTimeZone(t, db, "America/New_York", "2024-01-01 22:04:05-05")
		roundTrip(t, db)
	})
	t.Run("stdlib_driver_pgx", func(t *testing.T) {
		db := e.open(t, postgres.New(postgres.Config{DriverName: "pgx", DSN: e.dsn}))
		roundTrip(t, db)
	})
	t.Run("lib_pq_driver", func(t *testing.T) {
		db := e.open(t, postgres.New(postgres.Config{DriverName: "postgres", DSN: e.dsn}))
		roundTrip(t, db)
	})
}

// checkTimeZone checks the TimeZone session setting that the DSN set, and
// that the server renders timestamptz in it.
func checkTimeZone(t *testing.T, db *gorm.DB, zone, rendered string) {
	t.Helper()
	var got string
	ok(t, "SHOW TimeZone", db.Raw("SHOW TimeZone").Scan(&got).Error)
	eq(t, "TimeZone", got, zone)
	var txt string
	ok(t, "timestamptz text", db.Raw("SELECT CAST('2024-01-02 03:04:05+00' AS timestamptz)::text").Scan(&txt).Error)
	eq(t, "timestamptz rendered", txt, rendered)
	var ts time.Time
	ok(t, "timestamptz scan", db.Raw("SELECT CAST('2024-01-02 03:04:05+00' AS timestamptz)").Scan(&ts).Error)
	eq(t, "timestamptz instant", ts, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	var local time.Time
	ok(t, "timestamp scan", db.Raw("SELECT CAST('2024-01-02 03:04:05+00' AS timestamptz)::timestamp").Scan(&local).Error)
	eq(t, "timestamp wall clock", local.Format("2006-01-02 15:04:05"), rendered[:19])
}

// roundTrip migrates Article (every common column type) and writes and reads
// back one full row and one row of NULLs.
func roundTrip(t *testing.T, db *gorm.DB) {
	t.Helper()
	migrate(t, db, &Article{})
	body, views, rating, pub := "héllo 'world' \\ \"q\"", int64(1)<<40, 2.5, true
	at := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	a := Article{
		Title: "full", Author: Author{Name: "Ann", Email: "ann@example.com"},
		Body: &body, Views: &views, Rating: &rating, Published: &pub, PublishAt: &at,
		Day:   time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		Blob:  []byte{0, 1, 2, 0xfe, 0xff, '\\', '\''},
		Attrs: datatypes.JSON(`{"a": 1, "b": [true, null, "x"]}`),
		Tags:  []string{"go", "sql"}, Meta: map[string]string{"k": "v"},
	}
	ok(t, "create full", db.Create(&a).Error)
	eq(t, "id", a.ID, 1)
	null := Article{Title: "nulls", Day: time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)}
	ok(t, "create nulls", db.Create(&null).Error)

	var got Article
	ok(t, "first full", db.First(&got, a.ID).Error)
	eq(t, "author", got.Author, a.Author)
	eq(t, "body", got.Body, body)
	eq(t, "views", got.Views, views)
	eq(t, "rating", got.Rating, rating)
	eq(t, "published", got.Published, true)
	eq(t, "publish_at", got.PublishAt, at)
	eq(t, "day", got.Day.Format("2006-01-02"), "2024-03-01")
	eq(t, "blob", got.Blob, a.Blob)
	eq(t, "attrs", string(got.Attrs), `{"a": 1, "b": [true, null, "x"]}`)
	eq(t, "tags", got.Tags, []string{"go", "sql"})
	eq(t, "meta", got.Meta, map[string]string{"k": "v"})
	eq(t, "created_at set", !got.CreatedAt.IsZero(), true)
	eq(t, "created_ms set", got.CreatedMs > 0, true)

	var n Article
	ok(t, "first nulls", db.Where("title = ?", "nulls").First(&n).Error)
	eq(t, "null body", n.Body, nil)
	eq(t, "null views", n.Views, nil)
	eq(t, "null publish_at", n.PublishAt, nil)
	eq(t, "null blob", n.Blob == nil, true)
	eq(t, "null tags", len(n.Tags), 0)

	var count int64
	ok(t, "count by param types", db.Model(&Article{}).
		Where("published = ? AND views > ? AND rating < ? AND publish_at <= ? AND blob = ?", true, 1, 3.0, at, a.Blob).
		Count(&count).Error)
	eq(t, "count", count, 1)
}
