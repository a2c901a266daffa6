package types

// CoercionContext is the most permissive context in which a cast is
// allowed, as PostgreSQL's pg_cast.castcontext: an implicit cast is also
// allowed in assignment and explicit contexts, and so on.
type CoercionContext uint8

const (
	CoerceNone       CoercionContext = iota // no cast exists
	CoerceExplicit                          // CAST(x AS t) / x::t only
	CoerceAssignment                        // also INSERT/UPDATE targets
	CoerceImplicit                          // also in expressions
)

func (c CoercionContext) String() string {
	return [...]string{"none", "explicit", "assignment", "implicit"}[c&3]
}

// Allows reports whether a cast available in context c may be applied in ctx.
func (c CoercionContext) Allows(ctx CoercionContext) bool { return c != CoerceNone && c >= ctx }

var castContexts = func() map[[2]uint32]CoercionContext {
	m := make(map[[2]uint32]CoercionContext, len(pgCastTable))
	for _, e := range pgCastTable {
		c := CoerceExplicit
		switch e.ctx {
		case 'i':
			c = CoerceImplicit
		case 'a':
			c = CoerceAssignment
		}
		m[[2]uint32{e.from, e.to}] = c
	}
	return m
}()

// CastContext reports in which context a value of type from may be cast to
// type to, following find_coercion_pathway (parse_coerce.c):
//
//   - the same type (a typmod change only) and unknown (an untyped literal):
//     implicit;
//   - pg_cast entries, for the types this package implements;
//   - arrays: the element types' context, when both are arrays;
//   - otherwise the automatic I/O conversion casts: to a string type
//     (text, varchar, bpchar, name) in assignment context, from a string type
//     explicitly;
//   - everything else: CoerceNone (the binder reports 42846 cannot cast).
//
// PostgreSQL also has casts this package does not model (domains, records,
// enums, bit strings, geometric types).
func CastContext(from, to uint32) CoercionContext {
	if from == to || from == UnknownOID {
		return CoerceImplicit
	}
	if c, ok := castContexts[[2]uint32{from, to}]; ok {
		return c
	}
	ft, tt := Type{from, -1}, Type{to, -1}
	if fe, ok := ft.Elem(); ok {
		if te, ok := tt.Elem(); ok {
			c := CastContext(fe.OID, te.OID)
			if fe.OID == UnknownOID {
				return CoerceNone
			}
			return c
		}
	}
	if !ft.Known() || !tt.Known() {
		return CoerceNone
	}
	if isIOStringTarget(to) {
		return CoerceAssignment
	}
	if isIOStringTarget(from) {
		return CoerceExplicit
	}
	return CoerceNone
}

// isIOStringTarget: the string-category types (typcategory 'S').
func isIOStringTarget(oid uint32) bool {
	switch oid {
	case TextOID, VarcharOID, BPCharOID, NameOID:
		return true
	}
	return false
}
