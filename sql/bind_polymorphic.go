package sql

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// anyelementFuncs are the aggregate and window functions whose first
// argument is polymorphic (anyelement or anycompatible) with nothing else
// to fix its type: an untyped literal there cannot be resolved
// (parse_coerce.c enforce_generic_type_consistency). lag and lead are
// here for their one- and two-argument forms.
var anyelementFuncs = map[string]bool{
	"json_agg": true, "jsonb_agg": true, "first_value": true, "last_value": true,
	"nth_value": true, "lag": true, "lead": true,
}

// polymorphicUnknown is PostgreSQL's error for an untyped literal (or
// NULL) as the polymorphic argument of array_agg, json_agg, jsonb_agg and
// the value window functions; nil when the call can be resolved.
// array_agg has two candidates (anynonarray and anyarray), so its error is
// 42725 rather than 42804.
func polymorphicUnknown(name string, args []bound.Expr, loc int32) error {
	if len(args) == 0 || args[0].Type().OID != types.UnknownOID {
		return nil
	}
	if name == "array_agg" && len(args) == 1 {
		return pgerror.New(pgerror.AmbiguousFunction, "function %s is not unique", sigText(name, args)).
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.").
			WithPosition(loc + 1)
	}
	if !anyelementFuncs[name] || (name == "lag" || name == "lead") && len(args) == 3 {
		return nil
	}
	return pgerror.New(pgerror.DatatypeMismatch, "could not determine polymorphic type because input has type unknown").
		WithPosition(loc + 1)
}

// lagLeadDefault types lag/lead(value, offset, default): value and
// default are anycompatible (PostgreSQL 15's pg_proc), so both take their
// common type (text when both are untyped), and types without one mean
// no such function. args[0] and args[2] are replaced by their coercions.
func (b *binder) lagLeadDefault(name string, args []bound.Expr, loc int32) error {
	pair := []bound.Expr{args[0], args[2]}
	t, err := b.commonType(pair, "")
	if err != nil {
		return b.noFunction(name, args, loc)
	}
	for _, i := range []int{0, 2} {
		c, err := b.coerce(args[i], t, castImplicit)
		if err != nil {
			if args[i].Type().OID != types.UnknownOID {
				return b.noFunction(name, args, loc)
			}
			return err // an untyped literal that is not a t: 22P02
		}
		args[i] = c
	}
	return nil
}
