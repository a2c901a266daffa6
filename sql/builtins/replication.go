package builtins

import (
	"context"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Logical replication functions (PostgreSQL 15's
// src/backend/replication/logical/logicalfuncs.c and slotfuncs.c): slots
// created, dropped, read and advanced from SQL, for consumers that cannot
// speak the replication protocol. pg_lsn values are text here.

// replicator is what the session implements (sql/replication.go).
type replicator interface {
	CreateSlot(ctx context.Context, name, plugin string, temporary, useSnapshot bool) (string, error)
	DropSlot(ctx context.Context, name string, wait bool) error
	SlotChanges(ctx context.Context, name string, uptoLSN string, uptoN int64, opts [][2]string, consume, binary bool, emit func(lsn string, xid uint32, data []byte) error) error
	AdvanceSlot(name, lsn string) (string, error)
	EmitLogicalMessage(transactional bool, prefix string, content []byte) (string, error)
	CurrentWALLSN() string
}

func replEnv(c *bound.EvalCtx) (replicator, error) {
	r, ok := c.Env.(replicator)
	if !ok {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "replication functions are not available here")
	}
	return r, nil
}

func evalContext(c *bound.EvalCtx) context.Context {
	if c.Ctx != nil {
		return c.Ctx
	}
	return context.Background()
}

func slotChangesSRF(consume bool, binary bool) SRF {
	dataType := types.Text
	if binary {
		dataType = types.Bytea
	}
	return SRF{Args: args(types.Name, types.Text, types.Int4, types.Text), Variadic: true, NullCall: true,
		Cols: []SRFColumn{{Name: "lsn", Type: types.Text}, {Name: "xid", Type: types.Int8}, {Name: "data", Type: dataType}},
		Gen: func(c *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
			r, err := replEnv(c)
			if err != nil {
				return err
			}
			if a[0].IsNull() {
				return pgerror.New(pgerror.NullValueNotAllowed, "slot name must not be null")
			}
			var upto string
			if !a[1].IsNull() {
				upto = a[1].S
			}
			var n int64
			if !a[2].IsNull() {
				n = a[2].I
			}
			rest := a[3:]
			if len(rest)%2 != 0 {
				return pgerror.New(pgerror.InvalidParameterValue, "array must have even number of elements")
			}
			var opts [][2]string
			for i := 0; i < len(rest); i += 2 {
				if rest[i].IsNull() {
					return pgerror.New(pgerror.InvalidParameterValue, "array must not contain nulls")
				}
				v := ""
				if !rest[i+1].IsNull() {
					v = rest[i+1].S
				}
				opts = append(opts, [2]string{rest[i].S, v})
			}
			return r.SlotChanges(evalContext(c), a[0].S, upto, n, opts, consume, binary, func(lsn string, xid uint32, data []byte) error {
				d := types.NewText(string(data))
				if binary {
					d = types.Datum{K: types.KindBytes, S: string(data)}
				}
				return emit([]types.Datum{types.NewText(lsn), types.NewInt(int64(xid)), d})
			})
		}}
}

func init() {
	create := func(c *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
		r, err := replEnv(c)
		if err != nil {
			return err
		}
		temp := len(a) > 2 && !a[2].IsNull() && (a[2].I != 0)
		lsn, err := r.CreateSlot(evalContext(c), a[0].S, a[1].S, temp, false)
		if err != nil {
			return err
		}
		return emit([]types.Datum{types.NewText(a[0].S), types.NewText(lsn)})
	}
	cols := []SRFColumn{{Name: "slot_name", Type: types.Name}, {Name: "lsn", Type: types.Text}}
	srf("pg_create_logical_replication_slot",
		SRF{Args: args(types.Name, types.Name), Cols: cols, Gen: create},
		SRF{Args: args(types.Name, types.Name, types.Bool), Cols: cols, Gen: create},
		SRF{Args: args(types.Name, types.Name, types.Bool, types.Bool), Cols: cols, Gen: create})
	fn("pg_drop_replication_slot", Overload{Args: args(types.Name), Ret: types.Void, Volatile: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			r, err := replEnv(c)
			if err != nil {
				return nullDatum, err
			}
			return types.NewText(""), r.DropSlot(evalContext(c), a[0].S, false)
		}})
	srf("pg_logical_slot_get_changes", slotChangesSRF(true, false))
	srf("pg_logical_slot_peek_changes", slotChangesSRF(false, false))
	srf("pg_logical_slot_get_binary_changes", slotChangesSRF(true, true))
	srf("pg_logical_slot_peek_binary_changes", slotChangesSRF(false, true))
	srf("pg_replication_slot_advance", SRF{Args: args(types.Name, types.Text),
		Cols: []SRFColumn{{Name: "slot_name", Type: types.Name}, {Name: "end_lsn", Type: types.Text}},
		Gen: func(c *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
			r, err := replEnv(c)
			if err != nil {
				return err
			}
			lsn, err := r.AdvanceSlot(a[0].S, a[1].S)
			if err != nil {
				return err
			}
			return emit([]types.Datum{types.NewText(a[0].S), types.NewText(lsn)})
		}})
	emitMsg := func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r, err := replEnv(c)
		if err != nil {
			return nullDatum, err
		}
		lsn, err := r.EmitLogicalMessage((a[0].I != 0), a[1].S, []byte(a[2].S))
		if err != nil {
			return nullDatum, err
		}
		return types.NewText(lsn), nil
	}
	fn("pg_logical_emit_message",
		Overload{Args: args(types.Bool, types.Text, types.Text), Ret: types.Text, Volatile: true, Fn: emitMsg},
		Overload{Args: args(types.Bool, types.Text, types.Bytea), Ret: types.Text, Volatile: true, Fn: emitMsg})
	fnIfAbsent("pg_current_wal_lsn", Overload{Ret: types.Text, Volatile: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			r, err := replEnv(c)
			if err != nil {
				return nullDatum, err
			}
			return types.NewText(r.CurrentWALLSN()), nil
		}})
}

// pg_get_publication_tables(pubname) and pg_get_replica_identity_index,
// which PostgreSQL 15's subscriber (tablesync) asks the publisher.
func init() {
	srf("pg_get_publication_tables", SRF{Args: args(types.Text),
		Cols: []SRFColumn{{Name: "relid", Type: types.OID}, {Name: "attrs", Type: types.Type{OID: types.Int2VectorOID, Typmod: -1}},
			{Name: "qual", Type: types.Text}},
		Gen: func(c *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
			cat := c.Env.Catalog()
			db := c.Env.DatabaseOID()
			p := cat.PublicationByName(db, a[0].S)
			if p == nil {
				return pgerror.New(pgerror.UndefinedObject, "publication \"%s\" does not exist", a[0].S)
			}
			var tables []*catalog.Table
			if p.AllTables {
				for _, sc := range cat.Schemas(db) {
					if sc.Name == "pg_catalog" || sc.Name == "information_schema" || IsTempSchema(cat, sc.OID) {
						continue
					}
					for _, t := range cat.Tables(sc.OID) {
						if t.Kind == catalog.RelTable {
							tables = append(tables, t)
						}
					}
				}
			} else {
				for _, oid := range p.Tables {
					if t := cat.Table(oid); t != nil {
						tables = append(tables, t)
					}
				}
			}
			for _, t := range tables {
				var attnums []int64
				for i, col := range t.Columns {
					if !col.Dropped && !col.Hidden {
						attnums = append(attnums, int64(i+1))
					}
				}
				if err := emit([]types.Datum{types.NewInt(int64(t.OID)), types.NewVector(types.Int2, attnums), nullDatum}); err != nil {
					return err
				}
			}
			return nil
		}})
	fnIfAbsent("pg_get_replica_identity_index", Overload{Args: args(types.Regclass), Ret: types.Regclass,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			t := c.Env.Catalog().Table(uint32(a[0].I))
			if t == nil || t.ReplIdent != 0 && t.ReplIdent != 'd' || !t.HasPrimaryKey() {
				return nullDatum, nil
			}
			return types.Datum{K: types.KindInt, I: int64(t.Primary.OID)}, nil
		}})
}
