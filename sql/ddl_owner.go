package sql

import (
	"context"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Ownership changes, LOCK TABLE and ALTER SEQUENCE ... OWNED BY: the
// statements pg_dump's output and pg_restore send that change no data.

// newOwner resolves the role of OWNER TO and checks that the session may
// give the object away: superusers may; others must own it and be the new
// owner themselves (there is no role membership yet).
func (s *Session) newOwner(cat *catalog.Catalog, rs *pg_query.RoleSpec, owner uint32, kind, name string) (uint32, error) {
	r, err := s.roleSpec(cat, rs)
	if err != nil {
		return 0, err
	}
	if !s.isSuperuser(cat) && (owner != s.roleOID || r.OID != s.roleOID) {
		return 0, pgerror.New(pgerror.InsufficientPrivilege, "must be owner of %s %s", kind, name)
	}
	return r.OID, nil
}

// execAlterRelationOwner is ALTER TABLE / SEQUENCE / VIEW name OWNER TO
// role; like PostgreSQL, ALTER TABLE accepts any relation kind here.
func (s *Session) execAlterRelationOwner(ctx context.Context, st *pg_query.AlterTableStmt, rs *pg_query.RoleSpec, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	tag := "ALTER " + strings.TrimPrefix(st.Objtype.String(), "OBJECT_")
	oid, kind, ok := s.lookupRelation(cat, st.Relation.Schemaname, st.Relation.Relname)
	if !ok {
		if st.MissingOk {
			w.Notice(pgerror.Notice("relation \"%s\" does not exist, skipping", st.Relation.Relname))
			return w.Complete(tag)
		}
		return pgerror.New(pgerror.UndefinedTable, "relation \"%s\" does not exist", st.Relation.Relname)
	}
	if kind == catalog.RelSequence {
		seq := *cat.Sequence(oid)
		if seq.Owner, err = s.newOwner(cat, rs, seq.Owner, "sequence", seq.Name); err != nil {
			return err
		}
		cat.PutSequence(&seq)
		return w.Complete(tag)
	}
	t := cat.Table(oid)
	if t == nil {
		return pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a table, view or sequence", st.Relation.Relname)
	}
	t = t.Clone()
	what := "table"
	if t.Kind == catalog.RelView {
		what = "view"
	}
	if t.Owner, err = s.newOwner(cat, rs, t.Owner, what, t.Name); err != nil {
		return err
	}
	cat.PutTable(t)
	// Sequences owned by the table's columns follow it, as in PostgreSQL.
	for _, seq := range cat.Sequences(t.Schema) {
		if seq.OwnedByTable == t.OID && seq.Owner != t.Owner {
			c := *seq
			c.Owner = t.Owner
			cat.PutSequence(&c)
		}
	}
	return w.Complete(tag)
}

// execAlterOwner is ALTER SCHEMA / DATABASE name OWNER TO role.
func (s *Session) execAlterOwner(ctx context.Context, st *pg_query.AlterOwnerStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	name := st.Object.GetString_().GetSval()
	switch st.ObjectType {
	case pg_query.ObjectType_OBJECT_SCHEMA:
		sc := cat.SchemaByName(s.dbOID, name)
		if sc == nil {
			return pgerror.New(pgerror.InvalidSchemaName, "schema \"%s\" does not exist", name)
		}
		c := *sc
		if c.Owner, err = s.newOwner(cat, st.Newowner, c.Owner, "schema", name); err != nil {
			return err
		}
		cat.PutSchema(&c)
		return w.Complete("ALTER SCHEMA")
	case pg_query.ObjectType_OBJECT_DATABASE:
		db := cat.DatabaseByName(name)
		if db == nil {
			return pgerror.New(pgerror.InvalidCatalogName, "database \"%s\" does not exist", name)
		}
		c := *db
		if c.Owner, err = s.newOwner(cat, st.Newowner, c.Owner, "database", name); err != nil {
			return err
		}
		cat.PutDatabase(&c)
		return w.Complete("ALTER DATABASE")
	}
	return pgerror.New(pgerror.FeatureNotSupported, "ALTER %s ... OWNER TO is not supported yet", strings.TrimPrefix(st.ObjectType.String(), "OBJECT_"))
}

// lockModes are LOCK TABLE's modes by the parser's number. Tables have no
// table-level locks here; the modes up to ROW EXCLUSIVE conflict only with
// what DDL takes (the node-wide DDL lock), so accepting them without a lock
// keeps their guarantee for reads and writes. Stronger modes, which
// applications use to serialize writers, are refused rather than faked.
var lockModes = []string{1: "ACCESS SHARE", 2: "ROW SHARE", 3: "ROW EXCLUSIVE", 4: "SHARE UPDATE EXCLUSIVE",
	5: "SHARE", 6: "SHARE ROW EXCLUSIVE", 7: "EXCLUSIVE", 8: "ACCESS EXCLUSIVE"}

func (s *Session) execLockTable(st *pg_query.LockStmt, w ResultWriter) error {
	if s.txn == nil || !s.txn.explicit {
		return pgerror.New(pgerror.NoActiveSQLTransaction, "LOCK TABLE can only be used in transaction blocks")
	}
	cat := s.catalog()
	if s.txn.cat != nil {
		cat = s.txn.cat
	}
	for _, r := range st.Relations {
		if _, err := s.resolveTable(cat, r.GetRangeVar()); err != nil {
			return err
		}
	}
	if st.Mode > 3 {
		mode := "this"
		if int(st.Mode) < len(lockModes) {
			mode = lockModes[st.Mode]
		}
		return pgerror.New(pgerror.FeatureNotSupported, "LOCK TABLE IN %s MODE is not supported yet", mode)
	}
	return w.Complete("LOCK TABLE")
}

// execAlterSequence handles ALTER SEQUENCE ... OWNED BY {table.column |
// NONE}: the link that drops a sequence with its column and that pg_dump
// prints for serial columns.
func (s *Session) execAlterSequence(ctx context.Context, st *pg_query.AlterSeqStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	oid, kind, ok := s.lookupRelation(cat, st.Sequence.Schemaname, st.Sequence.Relname)
	if !ok || kind != catalog.RelSequence {
		if !ok && st.MissingOk {
			w.Notice(pgerror.Notice("relation \"%s\" does not exist, skipping", st.Sequence.Relname))
			return w.Complete("ALTER SEQUENCE")
		}
		if ok {
			return pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a sequence", st.Sequence.Relname)
		}
		return pgerror.New(pgerror.UndefinedTable, "relation \"%s\" does not exist", st.Sequence.Relname)
	}
	seq := *cat.Sequence(oid)
	restart, err := s.alterSequenceOptions(cat, &seq, st.Options)
	if err != nil {
		return err
	}
	cat.PutSequence(&seq)
	if restart != nil {
		// As setval(seq, v, false): the next nextval returns v.
		if err := s.e.seqs.set(&seq, *restart, false); err != nil {
			return err
		}
	}
	return w.Complete("ALTER SEQUENCE")
}

// sequenceOwner resolves OWNED BY's [schema.]table.column (or NONE).
func (s *Session) sequenceOwner(cat *catalog.Catalog, items []*pg_query.Node) (uint32, int16, error) {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.GetString_().GetSval()
	}
	if len(parts) == 1 && strings.EqualFold(parts[0], "none") {
		return 0, 0, nil
	}
	if len(parts) < 2 {
		return 0, 0, pgerror.New(pgerror.InvalidParameterValue, "invalid OWNED BY option").
			WithHint("Specify OWNED BY table.column or OWNED BY NONE.")
	}
	rv := &pg_query.RangeVar{Relname: parts[len(parts)-2]}
	if len(parts) > 2 {
		rv.Schemaname = parts[len(parts)-3]
	}
	t, err := s.resolveTable(cat, rv)
	if err != nil {
		return 0, 0, err
	}
	col := parts[len(parts)-1]
	_, c := t.ColumnByName(col)
	if c == nil {
		return 0, 0, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", col, t.Name)
	}
	return t.OID, c.Attnum, nil
}
