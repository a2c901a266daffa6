package sql

import (
	"context"
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

func (s *Session) execCreateSchema(ctx context.Context, st *pg_query.CreateSchemaStmt, w ResultWriter) error {
	if len(st.SchemaElts) > 0 {
		return pgerror.New(pgerror.FeatureNotSupported, "CREATE SCHEMA with elements is not supported yet")
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	name := st.Schemaname
	owner := catalog.PostgresRoleOID
	if st.Authrole != nil {
		r := cat.RoleByName(st.Authrole.Rolename)
		if r == nil {
			return pgerror.New(pgerror.UndefinedObject, "role \"%s\" does not exist", st.Authrole.Rolename)
		}
		owner = int(r.OID)
		if name == "" {
			name = r.Name
		}
	}
	if strings.HasPrefix(name, "pg_") {
		return pgerror.New(pgerror.ReservedName, "unacceptable schema name \"%s\"", name).WithDetail("The prefix \"pg_\" is reserved for system schemas.")
	}
	if cat.SchemaByName(s.dbOID, name) != nil {
		if st.IfNotExists {
			w.Notice(pgerror.Notice("schema \"%s\" already exists, skipping", name))
			return w.Complete("CREATE SCHEMA")
		}
		return pgerror.New(pgerror.DuplicateSchema, "schema \"%s\" already exists", name)
	}
	cat.PutSchema(&catalog.Schema{OID: cat.AllocOID(), Database: s.dbOID, Name: name, Owner: uint32(owner)})
	s.kvTxn()
	return w.Complete("CREATE SCHEMA")
}

// dropSchema removes a schema; CASCADE drops what it contains, RESTRICT
// (the default) refuses when it is not empty.
func (s *Session) dropSchema(cat *catalog.Catalog, sc *catalog.Schema, cascade bool, w ResultWriter) error {
	tables := cat.Tables(sc.OID)
	seqs := cat.Sequences(sc.OID)
	if !cascade && (len(tables) > 0 || len(seqs) > 0) {
		what := ""
		if len(tables) > 0 {
			what = fmt.Sprintf("table %s.%s depends on schema %s", sc.Name, tables[0].Name, sc.Name)
		} else {
			what = fmt.Sprintf("sequence %s.%s depends on schema %s", sc.Name, seqs[0].Name, sc.Name)
		}
		return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", sc.Name).
			WithDetail("%s", what).WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	var dropped []string
	for _, t := range tables {
		kind := "table"
		if t.Kind == catalog.RelView {
			kind = "view"
		}
		dropped = append(dropped, fmt.Sprintf("drop cascades to %s %s.%s", kind, sc.Name, t.Name))
		if err := s.dropTable(cat, t); err != nil {
			return err
		}
	}
	if w != nil {
		cascadeNotice(w, dropped)
	}
	for _, seq := range cat.Sequences(sc.OID) {
		cat.DropSequence(seq.OID)
		s.kvTxn().Delete(catalog.SequenceKey(seq.OID))
		s.e.seqs.drop(seq.OID)
	}
	cat.DropSchema(sc.OID)
	return nil
}

func (s *Session) execDropSchemas(ctx context.Context, st *pg_query.DropStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	for _, obj := range st.Objects {
		name := strVal(obj)
		sc := cat.SchemaByName(s.dbOID, name)
		if sc == nil {
			if st.MissingOk {
				w.Notice(pgerror.Notice("schema \"%s\" does not exist, skipping", name))
				continue
			}
			return pgerror.New(pgerror.InvalidSchemaName, "schema \"%s\" does not exist", name)
		}
		if err := s.dropSchema(cat, sc, st.Behavior == pg_query.DropBehavior_DROP_CASCADE, w); err != nil {
			return err
		}
	}
	return w.Complete("DROP SCHEMA")
}

func (s *Session) execCreateDatabase(ctx context.Context, st *pg_query.CreatedbStmt, w ResultWriter) error {
	if s.txn != nil && s.txn.explicit {
		return pgerror.New(pgerror.ActiveSQLTransaction, "CREATE DATABASE cannot run inside a transaction block")
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	if cat.DatabaseByName(st.Dbname) != nil {
		return pgerror.New(pgerror.DuplicateDatabase, "database \"%s\" already exists", st.Dbname)
	}
	db := &catalog.Database{OID: cat.AllocOID(), Name: st.Dbname, Owner: catalog.PostgresRoleOID}
	cat.PutDatabase(db)
	cat.PutSchema(&catalog.Schema{OID: cat.AllocOID(), Database: db.OID, Name: "public", Owner: catalog.PostgresRoleOID})
	s.kvTxn()
	return w.Complete("CREATE DATABASE")
}

func (s *Session) execDropDatabase(ctx context.Context, st *pg_query.DropdbStmt, w ResultWriter) error {
	if s.txn != nil && s.txn.explicit {
		return pgerror.New(pgerror.ActiveSQLTransaction, "DROP DATABASE cannot run inside a transaction block")
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	db := cat.DatabaseByName(st.Dbname)
	if db == nil {
		if st.MissingOk {
			w.Notice(pgerror.Notice("database \"%s\" does not exist, skipping", st.Dbname))
			return w.Complete("DROP DATABASE")
		}
		return pgerror.New(pgerror.InvalidCatalogName, "database \"%s\" does not exist", st.Dbname)
	}
	if db.Template {
		return pgerror.New(pgerror.WrongObjectType, "cannot drop a template database")
	}
	if db.OID == s.dbOID {
		return pgerror.New(pgerror.ObjectInUse, "cannot drop the currently open database")
	}
	if n := s.e.sessionsIn(db.OID); n > 0 {
		force := false
		for _, o := range st.Options {
			if de := o.GetDefElem(); de != nil && de.Defname == "force" {
				force = true
			}
		}
		if !force {
			return pgerror.New(pgerror.ObjectInUse, "database \"%s\" is being accessed by other users", st.Dbname).
				WithDetail("There %s %d other session%s using the database.", map[bool]string{true: "is", false: "are"}[n == 1], n, map[bool]string{true: "", false: "s"}[n == 1])
		}
	}
	for _, sc := range cat.Schemas(db.OID) {
		if err := s.dropSchema(cat, sc, true, nil); err != nil {
			return err
		}
	}
	cat.DropDatabase(db.OID)
	return w.Complete("DROP DATABASE")
}

// sessionsIn counts sessions connected to a database.
func (e *Engine) sessionsIn(db uint32) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, s := range e.sessions {
		if s.dbOID == db {
			n++
		}
	}
	return n
}

// cascadeNotice reports what a CASCADE dropped, as PostgreSQL words it: one
// object in the message, several counted with the list in DETAIL.
func cascadeNotice(w ResultWriter, dropped []string) {
	switch len(dropped) {
	case 0:
	case 1:
		w.Notice(pgerror.Notice("%s", dropped[0]))
	default:
		w.Notice(pgerror.Notice("drop cascades to %d other objects", len(dropped)).WithDetail("%s", strings.Join(dropped, "\n")))
	}
}
