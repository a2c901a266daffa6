package sql

import (
	"context"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// deferredFKs is a transaction's SET CONSTRAINTS state and its queued
// foreign key checks (sql-set-constraints.html): a DEFERRABLE constraint
// is checked at commit when it is INITIALLY DEFERRED or SET DEFERRED, and
// SET ... IMMEDIATE runs the checks queued so far for the constraints it
// names.
type deferredFKs struct {
	all     int8            // SET CONSTRAINTS ALL: 1 deferred, -1 immediate, 0 not set
	byOID   map[uint32]int8 // SET CONSTRAINTS name: as all, overriding it
	pending []executor.DeferredFK
}

func (d *deferredFKs) IsDeferred(oid uint32, initially bool) bool {
	if m, ok := d.byOID[oid]; ok {
		return m > 0
	}
	if d.all != 0 {
		return d.all > 0
	}
	return initially
}

func (d *deferredFKs) Defer(p executor.DeferredFK) { d.pending = append(d.pending, p) }

// txnDeferred is the executor's view of the session's current transaction
// state: the state is allocated only when a check is deferred or SET
// CONSTRAINTS runs, not per transaction.
type txnDeferred Session

func (t *txnDeferred) IsDeferred(oid uint32, initially bool) bool {
	if t.txn == nil || t.txn.deferred == nil {
		return initially
	}
	return t.txn.deferred.IsDeferred(oid, initially)
}

func (t *txnDeferred) Defer(p executor.DeferredFK) { (*Session)(t).deferred().Defer(p) }

// deferred returns the transaction's deferred-constraint state.
func (s *Session) deferred() *deferredFKs {
	if s.txn.deferred == nil {
		s.txn.deferred = &deferredFKs{}
	}
	return s.txn.deferred
}

// runDeferred runs the queued checks that keep (nil: all), removing them
// from the queue; the first failure is the error.
func (s *Session) runDeferred(ctx context.Context, keep func(oid uint32) bool) error {
	d := s.txn.deferred
	if d == nil || len(d.pending) == 0 {
		return nil
	}
	ec := s.execCtx(ctx)
	ec.Deferred = nil
	rest := d.pending[:0]
	var first error
	for _, p := range d.pending {
		if keep != nil && !keep(p.OID()) {
			rest = append(rest, p)
			continue
		}
		if first == nil {
			first = p.Run(ec)
		}
	}
	d.pending = rest
	return first
}

// execSetConstraints runs SET CONSTRAINTS {ALL | name, ...} {DEFERRED |
// IMMEDIATE}.
func (s *Session) execSetConstraints(ctx context.Context, st *pg_query.ConstraintsSetStmt, w ResultWriter) error {
	if s.txn == nil || !s.txn.explicit {
		// PostgreSQL warns and does nothing outside a transaction block.
		n := pgerror.New(pgerror.NoActiveSQLTransaction, "SET CONSTRAINTS can only be used in transaction blocks")
		n.Severity = pgerror.SeverityWarning
		w.Notice(n)
		return w.Complete("SET CONSTRAINTS")
	}
	mode := int8(-1)
	if st.Deferred {
		mode = 1
	}
	d := s.deferred()
	var named map[uint32]bool
	if len(st.Constraints) == 0 {
		d.all, d.byOID = mode, nil
	} else {
		named = map[uint32]bool{}
		for _, n := range st.Constraints {
			fks, err := s.constraintsNamed(n.GetRangeVar())
			if err != nil {
				return err
			}
			for _, fk := range fks {
				if !fk.Deferrable {
					return pgerror.New(pgerror.WrongObjectType, "constraint \"%s\" is not deferrable", fk.Name)
				}
				if d.byOID == nil {
					d.byOID = map[uint32]int8{}
				}
				d.byOID[fk.OID] = mode
				named[fk.OID] = true
			}
		}
	}
	if mode < 0 {
		// Checks deferred so far run now for the constraints made immediate.
		if err := s.runDeferred(ctx, func(oid uint32) bool { return named == nil || named[oid] }); err != nil {
			return err
		}
	}
	return w.Complete("SET CONSTRAINTS")
}

// constraintsNamed finds the foreign keys called rv.Relname in the
// schemas of the search path (or rv's schema). Only foreign keys can be
// deferrable here, so other constraints of that name are "not deferrable".
func (s *Session) constraintsNamed(rv *pg_query.RangeVar) ([]*catalog.ForeignKey, error) {
	cat := s.catalog()
	schemas := map[uint32]bool{}
	names := s.searchPath()
	if rv.Schemaname != "" {
		names = []string{rv.Schemaname}
	}
	for _, n := range names {
		if sc := cat.SchemaByName(s.dbOID, n); sc != nil {
			schemas[sc.OID] = true
		}
	}
	var out []*catalog.ForeignKey
	found := false
	for _, t := range cat.Tables(0) {
		if !schemas[t.Schema] {
			continue
		}
		for i := range t.ForeignKeys {
			if t.ForeignKeys[i].Name == rv.Relname {
				out = append(out, &t.ForeignKeys[i])
			}
		}
		for _, c := range builtins.TableConstraints(t) {
			found = found || c.Name == rv.Relname
		}
	}
	if len(out) == 0 {
		if found {
			return nil, pgerror.New(pgerror.WrongObjectType, "constraint \"%s\" is not deferrable", rv.Relname)
		}
		return nil, pgerror.New(pgerror.UndefinedObject, "constraint \"%s\" does not exist", rv.Relname)
	}
	return out, nil
}
