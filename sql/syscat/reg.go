package syscat

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// RegName names an OID as the output of a reg* type does, for the objects
// the catalog itself does not hold: system views (regclass), the built-in
// schemas (regnamespace), predefined roles (regrole), built-in functions
// (regproc, regprocedure). The session's regName falls back to it.
func RegName(env bound.Env, regType, oid uint32) (string, bool) {
	switch regType {
	case types.RegclassOID:
		return RelationName(env, oid)
	case types.RegnamespaceOID:
		if s := SchemaByOID(env, oid); s != nil {
			return builtins.QuoteIdent(s.Name), true
		}
	case types.RegroleOID:
		if n, ok := builtins.RoleName(env.Catalog(), oid); ok {
			return builtins.QuoteIdent(n), true
		}
	case types.RegprocOID, types.RegprocedureOID:
		if oid == 0 {
			return "-", true
		}
		if n, ok := internalProcName[oid]; ok && regType == types.RegprocOID {
			return n, true
		}
		if p, ok := builtins.ProcByOID(oid); ok {
			if regType == types.RegprocOID {
				return p.Name, true
			}
			args := make([]string, len(p.Args))
			for i, a := range p.Args {
				args[i] = builtins.FormatTypeOID(a.OID, -1, false)
			}
			return p.Name + "(" + strings.Join(args, ",") + ")", true
		}
	}
	return "", false
}

// ResolveReg reads a name as input of a reg* type for the objects the
// catalog itself does not hold (see RegName): 'pg_class'::regclass,
// 'pg_catalog'::regnamespace, 'pg_monitor'::regrole, 'now'::regproc
// (unique names only), 'int4'::regtype. name is as written (quoted parts
// keep their case).
func ResolveReg(env bound.Env, regType uint32, name string) (uint32, bool) {
	switch regType {
	case types.RegclassOID:
		schema, rel := splitName(name)
		return RegclassOID(env, schema, rel)
	case types.RegnamespaceOID:
		n := unquote(name)
		for _, s := range Schemas(env) {
			if s.Name == n {
				return s.OID, true
			}
		}
	case types.RegroleOID:
		return builtins.RoleOID(env.Catalog(), unquote(name))
	case types.RegprocOID:
		if strings.TrimSpace(name) == "-" {
			return 0, true
		}
		_, n := splitName(name)
		if o, ok := internalProcOIDs[n]; ok {
			return o, true
		}
		var found []uint32
		for _, p := range builtins.Procs() {
			if p.Name == n {
				found = append(found, p.OID)
			}
		}
		if len(found) == 1 {
			return found[0], true
		}
	case types.RegtypeOID:
		if t, ok := types.TypeByName(name, nil); ok {
			return t.OID, true
		}
		if t, err := types.TypeByTypname(strings.TrimPrefix(name, "pg_catalog."), nil); err == nil {
			return t.OID, true
		}
	}
	return 0, false
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return strings.ToLower(s)
}

// splitName splits schema.name (either part may be quoted).
func splitName(s string) (schema, name string) {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case '.':
			if !inQuote {
				return unquote(s[:i]), unquote(s[i+1:])
			}
		}
	}
	return "", unquote(s)
}
