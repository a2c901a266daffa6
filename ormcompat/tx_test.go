package ormcompat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

var errRollback = errors.New("roll back please")

func productCodes(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var cs []string
	ok(t, "codes", db.Model(&Product{}).Order("code").Pluck("code", &cs).Error)
	return cs
}

// suiteTx covers transactions, savepoints, isolation levels and row locks.
func suiteTx(t *testing.T, e *env) {
	t.Run("commit_and_rollback_on_error", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		ok(t, "commit", db.Transaction(func(tx *gorm.DB) error {
			return tx.Create(&Product{Code: "a"}).Error
		}))
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Create(&Product{Code: "b"}).Error; err != nil {
				return err
			}
			return errRollback
		})
		eq(t, "returned error", errors.Is(err, errRollback), true)
		err = db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Create(&Product{Code: "c"}).Error; err != nil {
				return err
			}
			return tx.Create(&Product{Code: "a"}).Error // duplicate
		})
		wantState(t, "duplicate inside transaction", err, "23505")
		eq(t, "rows", productCodes(t, db), []string{"a"})
	})

	t.Run("rollback_on_panic", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		func() {
			defer func() { eq(t, "panic propagated", recover() != nil, true) }()
			db.Transaction(func(tx *gorm.DB) error {
				tx.Create(&Product{Code: "p"})
				panic("boom")
			})
		}()
		eq(t, "rows", productCodes(t, db), []string{})
		ok(t, "pool still usable", db.Create(&Product{Code: "q"}).Error)
	})

	t.Run("nested_savepoints", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		ok(t, "outer", db.Transaction(func(tx *gorm.DB) error {
			tx.Create(&Product{Code: "a"})
			err := tx.Transaction(func(tx2 *gorm.DB) error {
				tx2.Create(&Product{Code: "b"})
				return errRollback
			})
			eq(t, "inner error", errors.Is(err, errRollback), true)
			okc(t, "inner ok", tx.Transaction(func(tx2 *gorm.DB) error {
				if err := tx2.Create(&Product{Code: "c"}).Error; err != nil {
					return err
				}
				err := tx2.Transaction(func(tx3 *gorm.DB) error {
					return tx3.Create(&Product{Code: "a"}).Error // duplicate: rolls back to the savepoint
				})
				wantState(t, "innermost duplicate", err, "23505")
				return tx2.Create(&Product{Code: "d"}).Error
			}))
			return nil
		}))
		eq(t, "rows", productCodes(t, db), []string{"a", "c", "d"})
	})

	t.Run("manual_begin_savepoint_rollbackto_commit", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		tx := db.Begin()
		ok(t, "Begin", tx.Error)
		ok(t, "a", tx.Create(&Product{Code: "a"}).Error)
		ok(t, "SavePoint", tx.SavePoint("sp1").Error)
		ok(t, "b", tx.Create(&Product{Code: "b"}).Error)
		ok(t, "RollbackTo", tx.RollbackTo("sp1").Error)
		ok(t, "c", tx.Create(&Product{Code: "c"}).Error)
		ok(t, "SavePoint 2", tx.SavePoint("sp2").Error)
		wantState(t, "failing statement", tx.Create(&Product{Code: "a"}).Error, "23505")
		wantState(t, "aborted transaction", tx.Create(&Product{Code: "x"}).Error, "25P02")
		ok(t, "RollbackTo after error", tx.RollbackTo("sp2").Error)
		ok(t, "d", tx.Create(&Product{Code: "d"}).Error)
		eq(t, "inside", productCodes(t, tx), []string{"a", "c", "d"})
		eq(t, "outside before commit", productCodes(t, db), []string{})
		ok(t, "Commit", tx.Commit().Error)
		eq(t, "after commit", productCodes(t, db), []string{"a", "c", "d"})
		tx = db.Begin()
		ok(t, "e", tx.Create(&Product{Code: "e"}).Error)
		ok(t, "Rollback", tx.Rollback().Error)
		eq(t, "after rollback", productCodes(t, db), []string{"a", "c", "d"})
		tx = db.Begin()
		wantState(t, "error then commit", tx.Create(&Product{Code: "a"}).Error, "23505")
		err := tx.Commit().Error
		observe(t, "commit of aborted transaction", err)
		eq(t, "nothing committed", productCodes(t, db), []string{"a", "c", "d"})
	})

	t.Run("isolation_levels_and_read_only", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		for _, c := range []struct {
			lvl  sql.IsolationLevel
			want string
		}{
			{sql.LevelDefault, "read committed"},
			{sql.LevelReadUncommitted, "read uncommitted"},
			{sql.LevelReadCommitted, "read committed"},
			{sql.LevelRepeatableRead, "repeatable read"},
			{sql.LevelSerializable, "serializable"},
		} {
			var got string
			okc(t, "tx "+c.want, db.Transaction(func(tx *gorm.DB) error {
				return tx.Raw("SHOW transaction_isolation").Scan(&got).Error
			}, &sql.TxOptions{Isolation: c.lvl}))
			eq(t, fmt.Sprint("isolation ", c.lvl), got, c.want)
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			var ro string
			if err := tx.Raw("SHOW transaction_read_only").Scan(&ro).Error; err != nil {
				return err
			}
			eq(t, "transaction_read_only", ro, "on")
			return tx.Create(&Product{Code: "ro"}).Error
		}, &sql.TxOptions{ReadOnly: true})
		wantState(t, "write in read-only tx", err, "25006")
		err = db.Transaction(func(tx *gorm.DB) error {
			return tx.Exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE").Error
		}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
		okc(t, "SET TRANSACTION before any query", err)
		err = db.Transaction(func(tx *gorm.DB) error {
			tx.Model(&Product{}).Count(new(int64))
			return tx.Exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE").Error
		})
		wantState(t, "SET TRANSACTION after a query", err, "25001")
	})

	t.Run("snapshots_rc_vs_rr", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		ok(t, "seed", db.Create(&Product{Code: "a"}).Error)
		count := func(tx *gorm.DB) int64 {
			var n int64
			okc(t, "count", tx.Model(&Product{}).Count(&n).Error)
			return n
		}
		rr := db.Begin(&sql.TxOptions{Isolation: sql.LevelRepeatableRead})
		rc := db.Begin(&sql.TxOptions{Isolation: sql.LevelReadCommitted})
		eq(t, "rr before", count(rr), 1)
		eq(t, "rc before", count(rc), 1)
		ok(t, "concurrent insert", db.Create(&Product{Code: "b"}).Error)
		eq(t, "rr after (snapshot)", count(rr), 1)
		eq(t, "rc after (new snapshot)", count(rc), 2)
		ok(t, "rr commit", rr.Commit().Error)
		ok(t, "rc commit", rc.Commit().Error)
	})

	t.Run("serializable_conflicts", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		ok(t, "seed", db.Create(&[]Product{{Code: "a", Stock: 1}, {Code: "b", Stock: 1}}).Error)
		opts := &sql.TxOptions{Isolation: sql.LevelSerializable}
		// Write skew: each reads both rows and updates a different one.
		t1, t2 := db.Begin(opts), db.Begin(opts)
		var s1, s2 int64
		ok(t, "t1 read", t1.Model(&Product{}).Select("sum(stock)").Scan(&s1).Error)
		ok(t, "t2 read", t2.Model(&Product{}).Select("sum(stock)").Scan(&s2).Error)
		ok(t, "t1 write", t1.Model(&Product{}).Where("code = ?", "a").Update("stock", 0).Error)
		e2 := t2.Model(&Product{}).Where("code = ?", "b").Update("stock", 0).Error
		ok(t, "t1 commit", t1.Commit().Error)
		var c2 error
		if e2 == nil {
			c2 = t2.Commit().Error
		} else {
			t2.Rollback()
		}
		eq(t, "write skew: loser gets 40001", errState(errors.Join(e2, c2)), "40001")
		var sum int64
		ok(t, "sum", db.Model(&Product{}).Select("sum(stock)").Scan(&sum).Error)
		eq(t, "one update survived", sum, 1)

		// Lost update under REPEATABLE READ: the second writer of a row fails.
		rr := &sql.TxOptions{Isolation: sql.LevelRepeatableRead}
		t1, t2 = db.Begin(rr), db.Begin(rr)
		ok(t, "t1 snapshot", t1.Model(&Product{}).Count(new(int64)).Error)
		ok(t, "t2 snapshot", t2.Model(&Product{}).Count(new(int64)).Error)
		ok(t, "t1 update", t1.Model(&Product{}).Where("code = ?", "b").Update("stock", gorm.Expr("stock + 10")).Error)
		done := make(chan error, 1)
		go func() {
			done <- t2.Model(&Product{}).Where("code = ?", "b").Update("stock", gorm.Expr("stock + 100")).Error
		}()
		time.Sleep(100 * time.Millisecond)
		ok(t, "t1 commit", t1.Commit().Error)
		var err2 error
		select {
		case err2 = <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("second writer still blocked 10s after the first committed")
		}
		if err2 == nil {
			err2 = t2.Commit().Error
		} else {
			t2.Rollback()
		}
		eq(t, "lost update prevented", errState(err2), "40001")
		var b Product
		ok(t, "b", db.First(&b, "code = ?", "b").Error)
		eq(t, "b stock", b.Stock, 11) // 1 left by the write-skew test, +10
	})

	t.Run("locking", func(t *testing.T) {
		db := e.gdb(t)
		migrate(t, db, &Product{})
		ok(t, "seed", db.Create(&[]Product{{Code: "a", Stock: 1}, {Code: "b", Stock: 2}, {Code: "c", Stock: 3}}).Error)
		lock := func(strength, opts string) clause.Locking {
			return clause.Locking{Strength: strength, Options: opts}
		}
		t1 := db.Begin()
		var p Product
		ok(t, "FOR UPDATE", t1.Clauses(lock(clause.LockingStrengthUpdate, "")).First(&p, "code = ?", "a").Error)
		t2 := db.Begin()
		wantState(t, "FOR UPDATE NOWAIT on locked row", t2.Clauses(lock(clause.LockingStrengthUpdate, clause.LockingOptionsNoWait)).First(&Product{}, "code = ?", "a").Error, "55P03")
		t2.Rollback()
		t2 = db.Begin()
		var free []Product
		ok(t, "SKIP LOCKED", t2.Clauses(lock(clause.LockingStrengthUpdate, clause.LockingOptionsSkipLocked)).Order("code").Find(&free).Error)
		eq(t, "SKIP LOCKED rows", fmt.Sprint(free), "[{b 0 2} {c 0 3}]")
		wantState(t, "FOR SHARE NOWAIT on row locked FOR UPDATE", t2.Clauses(lock(clause.LockingStrengthShare, clause.LockingOptionsNoWait)).First(&Product{}, "code = ?", "a").Error, "55P03")
		t2.Rollback()
		var plain Product
		ok(t, "plain read not blocked", db.First(&plain, "code = ?", "a").Error)
		ok(t, "t1 update", t1.Model(&p).Update("stock", 10).Error)
		// A waiting FOR UPDATE sees the committed new version (READ COMMITTED).
		got := make(chan Product, 1)
		errc := make(chan error, 1)
		t3 := db.Begin()
		go func() {
			var q Product
			errc <- t3.Clauses(lock(clause.LockingStrengthUpdate, "")).First(&q, "code = ?", "a").Error
			got <- q
		}()
		select {
		case err := <-errc:
			t.Errorf("FOR UPDATE did not wait for the lock holder (err %v)", err)
			results.record(t, "waited", "false")
		case <-time.After(200 * time.Millisecond):
			results.record(t, "waited", "true")
		}
		ok(t, "t1 commit", t1.Commit().Error)
		select {
		case err := <-errc:
			okc(t, "waiting FOR UPDATE", err)
			q := <-got
			eq(t, "sees committed stock", q.Stock, 10)
		case <-time.After(10 * time.Second):
			t.Fatal("FOR UPDATE still waiting 10s after the holder committed")
		}
		t3.Rollback()
		// FOR SHARE is shared, FOR UPDATE conflicts with it.
		t1, t2 = db.Begin(), db.Begin()
		ok(t, "t1 FOR SHARE", t1.Clauses(lock(clause.LockingStrengthShare, "")).First(&Product{}, "code = ?", "b").Error)
		okc(t, "t2 FOR SHARE NOWAIT", t2.Clauses(lock(clause.LockingStrengthShare, clause.LockingOptionsNoWait)).First(&Product{}, "code = ?", "b").Error)
		t2.Rollback()
		t2 = db.Begin()
		wantState(t, "FOR UPDATE NOWAIT on shared row", t2.Clauses(lock(clause.LockingStrengthUpdate, clause.LockingOptionsNoWait)).First(&Product{}, "code = ?", "b").Error, "55P03")
		t2.Rollback()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		t2 = db.WithContext(ctx).Begin()
		wantState(t, "UPDATE under statement lock_timeout", func() error {
			if err := t2.Exec("SET LOCAL lock_timeout = '100ms'").Error; err != nil {
				return err
			}
			return t2.Model(&Product{}).Where("code = ?", "b").Update("stock", 0).Error
		}(), "55P03")
		t2.Rollback()
		t1.Rollback()
	})

	t.Run("context_cancel_and_timeouts", func(t *testing.T) {
		db := e.gdb(t)
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := db.WithContext(ctx).Exec("SELECT pg_sleep(3)").Error
		eq(t, "deadline", errors.Is(err, context.DeadlineExceeded) || errState(err) == "57014", true)
		eq(t, "returned early", time.Since(start) < 2*time.Second, true)
		var one int
		ok(t, "pool usable afterwards", db.Raw("SELECT 1").Scan(&one).Error)
		err = db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SET LOCAL statement_timeout = 100").Error; err != nil {
				return err
			}
			return tx.Exec("SELECT pg_sleep(3)").Error
		})
		wantState(t, "statement_timeout", err, "57014")
		ctx2, cancel2 := context.WithCancel(context.Background())
		tx := db.WithContext(ctx2).Begin()
		ok(t, "begin with ctx", tx.Error)
		cancel2()
		err = tx.Exec("SELECT 1").Error
		eq(t, "canceled ctx", errors.Is(err, context.Canceled) || err != nil, true)
		tx.Rollback()
	})
}
