package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

func isConstraintAttr(c *pg_query.Constraint) bool {
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE, pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE,
		pg_query.ConstrType_CONSTR_ATTR_DEFERRED, pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE:
		return true
	}
	return false
}

// constraintAttr applies a column constraint's [NOT] DEFERRABLE /
// INITIALLY {DEFERRED|IMMEDIATE}, which the grammar lists as separate
// items after the constraint they modify (parse_utilcmd.c
// transformConstraintAttrs). Only foreign keys may be deferrable here.
func constraintAttr(c, last *pg_query.Constraint) error {
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE, pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE,
		pg_query.ConstrType_CONSTR_ATTR_DEFERRED, pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE:
	case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE:
		if c.Deferrable || c.Initdeferred {
			return pgerror.New(pgerror.FeatureNotSupported, "deferrable unique constraints are not supported yet")
		}
		return nil
	default:
		return nil
	}
	if last == nil {
		return pgerror.New(pgerror.FeatureNotSupported, "DEFERRABLE is supported for foreign keys only")
	}
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE:
		last.Deferrable = true
	case pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE:
		if last.Initdeferred {
			return pgerror.New(pgerror.SyntaxError, "constraint declared INITIALLY DEFERRED must be DEFERRABLE").WithPosition(c.Location + 1)
		}
		last.Deferrable = false
	case pg_query.ConstrType_CONSTR_ATTR_DEFERRED:
		last.Initdeferred, last.Deferrable = true, true
	case pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE:
		last.Initdeferred = false
	}
	return nil
}
