package syscat

import (
	"time"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
	"github.com/prkdb/prkdb-sql/stream"
)

// Logical replication's catalogs and views: pg_publication,
// pg_publication_rel, pg_publication_tables (from the catalog),
// pg_replication_slots and pg_stat_replication (from the node's slots,
// through ReplicationLister).

// ReplicationLister is implemented by a session that can list the node's
// replication slots; without it the slot views are empty.
type ReplicationLister interface {
	ReplicationSlots() []stream.SlotStatus
}

func lsnText(p uint64) types.Datum { return text(stream.FormatLSN(p)) }

func init() {
	register(&View{Schema: "pg_catalog", Name: "pg_publication", OID: 6104, Kind: 'r',
		Cols: cols(`oid oid, pubname name, pubowner oid, puballtables boolean, pubinsert boolean,
			pubupdate boolean, pubdelete boolean, pubtruncate boolean, pubviaroot boolean`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			var rows [][]types.Datum
			for _, p := range env.Catalog().Publications(env.DatabaseOID()) {
				rows = append(rows, []types.Datum{oid(p.OID), text(p.Name), oid(p.Owner), boolean(p.AllTables),
					boolean(p.Insert), boolean(p.Update), boolean(p.Delete), boolean(p.Truncate), boolean(p.ViaRoot)})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_publication_rel", OID: 6106, Kind: 'r',
		Cols: cols(`oid oid, prpubid oid, prrelid oid, prqual pg_node_tree, prattrs int2vector`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			cat := env.Catalog()
			var rows [][]types.Datum
			for _, p := range cat.Publications(env.DatabaseOID()) {
				for i, t := range p.Tables {
					if cat.Table(t) == nil {
						continue
					}
					// pg_publication_rel rows have OIDs of their own; the
					// publication's OID plus the position is stable enough.
					rows = append(rows, []types.Datum{oid(p.OID + uint32(i) + 1), oid(p.OID), oid(t), null, null})
				}
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_publication_tables", OID: 12068,
		Cols: cols(`pubname name, schemaname name, tablename name, attnames name[], rowfilter text`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			cat := env.Catalog()
			db := env.DatabaseOID()
			var rows [][]types.Datum
			add := func(p *catalog.Publication, t *catalog.Table) {
				sc := cat.Schema(t.Schema)
				if sc == nil || sc.Name == "pg_catalog" || sc.Name == "information_schema" {
					return
				}
				var names []string
				for _, c := range t.Columns {
					if !c.Dropped && !c.Hidden {
						names = append(names, c.Name)
					}
				}
				rows = append(rows, []types.Datum{text(p.Name), text(sc.Name), text(t.Name), textArray(names), null})
			}
			for _, p := range cat.Publications(db) {
				if p.AllTables {
					for _, sc := range cat.Schemas(db) {
						if builtins.IsTempSchema(cat, sc.OID) {
							continue // never published (PostgreSQL's is_publishable_class)
						}
						for _, t := range cat.Tables(sc.OID) {
							if t.Kind == catalog.RelTable {
								add(p, t)
							}
						}
					}
					continue
				}
				for _, oid := range p.Tables {
					if t := cat.Table(oid); t != nil {
						add(p, t)
					}
				}
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_replication_slots", OID: 12257,
		Cols: cols(`slot_name name, plugin name, slot_type text, datoid oid, database name, temporary boolean,
			active boolean, active_pid integer, xmin xid, catalog_xmin xid, restart_lsn pg_lsn,
			confirmed_flush_lsn pg_lsn, wal_status text, safe_wal_size bigint, two_phase boolean`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			rl, ok := env.(ReplicationLister)
			if !ok {
				return nil, nil
			}
			cat := env.Catalog()
			var rows [][]types.Datum
			for _, s := range rl.ReplicationSlots() {
				dbName := null
				if d := cat.Database(s.Database); d != nil {
					dbName = text(d.Name)
				}
				pid := null
				if s.ActivePID != 0 {
					pid = i64(int64(s.ActivePID))
				}
				restart := lsnText(s.RestartLSN)
				safe := null
				if s.SafeWALSize >= 0 && !s.Lost {
					safe = i64(s.SafeWALSize)
				}
				if s.Lost {
					restart = null
				}
				rows = append(rows, []types.Datum{text(s.Name), text(s.Plugin), text("logical"), oid(s.Database), dbName,
					boolean(s.Temporary), boolean(s.ActivePID != 0), pid, null, null, restart, lsnText(s.Confirmed),
					text(s.WALStatus), safe, boolean(false)})
			}
			return rows, nil
		}})
	register(&View{Schema: "pg_catalog", Name: "pg_stat_replication", OID: 12227,
		Cols: cols(`pid integer, usesysid oid, usename name, application_name text, client_addr inet,
			client_hostname text, client_port integer, backend_start timestamp with time zone, backend_xmin xid,
			state text, sent_lsn pg_lsn, write_lsn pg_lsn, flush_lsn pg_lsn, replay_lsn pg_lsn,
			write_lag interval, flush_lag interval, replay_lag interval, sync_priority integer, sync_state text,
			reply_time timestamp with time zone`),
		Rows: func(env bound.Env) ([][]types.Datum, error) {
			rl, ok := env.(ReplicationLister)
			if !ok {
				return nil, nil
			}
			var rows [][]types.Datum
			for _, s := range rl.ReplicationSlots() {
				st := s.Sender
				if st == nil {
					continue
				}
				reply := null
				if us := st.ReplyTime.Load(); us != 0 {
					reply = types.NewTimestampTZ(types.TimeToTimestamp(time.UnixMicro(us)))
				}
				user := env.Catalog().Role(catalog.PostgresRoleOID)
				rows = append(rows, []types.Datum{i64(int64(st.PID)), oid(user.OID), text(user.Name), text(st.ApplicationName),
					textOrNull(hostOf(st.ClientAddr)), null, null, types.NewTimestampTZ(types.TimeToTimestamp(st.Start)), null,
					text("streaming"), lsnText(st.Sent.Load()), lsnText(st.Write.Load()), lsnText(st.Flush.Load()),
					lsnText(st.Apply.Load()), null, null, null, i64(0), text("async"), reply})
			}
			return rows, nil
		}})
}

func hostOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			h := addr[:i]
			if len(h) > 1 && h[0] == '[' {
				h = h[1 : len(h)-1]
			}
			return h
		}
	}
	return addr
}
