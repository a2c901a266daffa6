package sql

import (
	"context"
	"fmt"
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/password"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Roles: CREATE ROLE / USER / GROUP, ALTER ROLE (and ALTER ROLE ... RENAME
// TO), DROP ROLE, following PostgreSQL 15's src/backend/commands/user.c:
// the same option handling, privilege rules, messages and SQLSTATEs.
// Passwords are stored hashed (password_encryption: SCRAM-SHA-256 by
// default, or MD5); a password given already hashed is stored as given.
// Role membership (IN ROLE, ROLE, ADMIN, GRANT role) is not implemented.

// roleOptions are the options of CREATE ROLE / ALTER ROLE, each nil when
// not given (PostgreSQL's dpassword, dissuper, ...).
type roleOptions struct {
	password, superuser, inherit, createRole, createDB, login, replication,
	connLimit, validUntil, bypassRLS *pg_query.DefElem
}

// parseRoleOptions reads the options in order, as CreateRole/AlterRole do:
// an option given twice is 42601 "conflicting or redundant options" at
// the second one; membership options are not supported.
func parseRoleOptions(opts []*pg_query.Node, create bool, w ResultWriter) (*roleOptions, error) {
	ro := &roleOptions{}
	// Each option's DefElem name and where it goes.
	slots := map[string]**pg_query.DefElem{
		"password": &ro.password, "superuser": &ro.superuser, "inherit": &ro.inherit,
		"createrole": &ro.createRole, "createdb": &ro.createDB, "canlogin": &ro.login,
		"isreplication": &ro.replication, "connectionlimit": &ro.connLimit,
		"validUntil": &ro.validUntil, "bypassrls": &ro.bypassRLS,
	}
	for _, o := range opts {
		de := o.GetDefElem()
		if de == nil {
			continue
		}
		slot := slots[de.Defname]
		switch de.Defname {
		case "sysid":
			if create {
				w.Notice(pgerror.Notice("SYSID can no longer be specified"))
				continue
			}
		case "addroleto", "rolemembers", "adminmembers":
			return nil, pgerror.New(pgerror.FeatureNotSupported, "role membership is not supported yet").WithPosition(de.Location + 1)
		}
		if slot == nil {
			return nil, pgerror.New(pgerror.SyntaxError, "option \"%s\" not recognized", de.Defname).WithPosition(de.Location + 1)
		}
		if *slot != nil {
			return nil, pgerror.New(pgerror.SyntaxError, "conflicting or redundant options").WithPosition(de.Location + 1)
		}
		*slot = de
	}
	if ro.connLimit != nil {
		if n := defInt(ro.connLimit); n < -1 {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid connection limit: %d", n)
		}
	}
	return ro, nil
}

func defBool(de *pg_query.DefElem) bool {
	if de == nil || de.Arg == nil {
		return false
	}
	if b := de.Arg.GetBoolean(); b != nil {
		return b.Boolval
	}
	if i := de.Arg.GetInteger(); i != nil {
		return i.Ival != 0
	}
	return false
}

func defInt(de *pg_query.DefElem) int32 {
	if de != nil && de.Arg != nil {
		if i := de.Arg.GetInteger(); i != nil {
			return i.Ival
		}
	}
	return 0
}

// defString is the string argument; ok is false for NULL (PASSWORD NULL).
func defString(de *pg_query.DefElem) (string, bool) {
	if de == nil || de.Arg == nil {
		return "", false
	}
	if s := de.Arg.GetString_(); s != nil {
		return s.Sval, true
	}
	return "", false
}

// isReservedRoleName: names starting with "pg_" belong to the system.
func isReservedRoleName(name string) bool { return strings.HasPrefix(name, "pg_") }

func errReservedRoleName(name string) error {
	return pgerror.New(pgerror.ReservedName, "role name \"%s\" is reserved", name).
		WithDetail("Role names starting with \"pg_\" are reserved.")
}

func errRoleMissing(name string) error {
	return pgerror.New(pgerror.UndefinedObject, "role \"%s\" does not exist", name)
}

// roleDDLAllowed refuses role DDL in a read-only transaction.
func (s *Session) roleDDLAllowed(tag string) error {
	if s.txn != nil && s.txn.readOnly {
		return pgerror.New(pgerror.ReadOnlySQLTransaction, "cannot execute %s in a read-only transaction", tag)
	}
	return nil
}

// currentRole is the role the session runs as (nil if it was dropped).
func (s *Session) currentRole(cat *catalog.Catalog) *catalog.Role { return cat.Role(s.roleOID) }

func (s *Session) isSuperuser(cat *catalog.Catalog) bool {
	r := s.currentRole(cat)
	return r != nil && r.Superuser
}

// hasCreateRole is have_createrole_privilege: superuser or CREATEROLE.
func (s *Session) hasCreateRole(cat *catalog.Catalog) bool {
	r := s.currentRole(cat)
	return r != nil && (r.Superuser || r.CreateRole)
}

// passwordEncryption is the session's password_encryption.
func (s *Session) passwordEncryption() password.Kind {
	if s.settings.get(settingsByName["password_encryption"]) == "md5" {
		return password.MD5
	}
	return password.SCRAM
}

func checkPasswordEncryption(_ *Session, v string) (string, error) {
	switch strings.ToLower(v) {
	case "md5", "scram-sha-256":
		return strings.ToLower(v), nil
	}
	return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"password_encryption\": \"%s\"", v).
		WithHint("Available values: md5, scram-sha-256.")
}

// setPassword stores a PASSWORD option's value in r: NULL clears it, an
// empty password (or a hash of one) clears it with a notice, a hash is
// stored as given, anything else is hashed with password_encryption.
func (s *Session) setPassword(r *catalog.Role, de *pg_query.DefElem, w ResultWriter) error {
	given, ok := defString(de)
	if !ok {
		r.Password = ""
		return nil
	}
	if password.IsEmpty(r.Name, given) {
		w.Notice(pgerror.Notice("empty string is not a valid password, clearing password"))
		r.Password = ""
		return nil
	}
	v, err := password.Encrypt(s.passwordEncryption(), r.Name, given)
	if err != nil {
		return pgerror.Wrap(err, pgerror.InternalError, "could not generate a password verifier")
	}
	r.Password = v
	return nil
}

// setValidUntil stores VALID UNTIL (a timestamptz literal, 'infinity' allowed).
func (s *Session) setValidUntil(r *catalog.Role, de *pg_query.DefElem) error {
	v, _ := defString(de)
	d, err := types.ParseText(types.TimestampTZ, v, s.types)
	if err != nil {
		return err
	}
	ts := d.I
	r.ValidUntil = &ts
	return nil
}

// applyRoleOptions sets the attributes given in ro (password and VALID
// UNTIL included).
func (s *Session) applyRoleOptions(r *catalog.Role, ro *roleOptions, w ResultWriter) error {
	if ro.superuser != nil {
		r.Superuser = defBool(ro.superuser)
	}
	if ro.inherit != nil {
		r.NoInherit = !defBool(ro.inherit)
	}
	if ro.createRole != nil {
		r.CreateRole = defBool(ro.createRole)
	}
	if ro.createDB != nil {
		r.CreateDB = defBool(ro.createDB)
	}
	if ro.login != nil {
		r.Login = defBool(ro.login)
	}
	if ro.replication != nil {
		r.Replication = defBool(ro.replication)
	}
	if ro.bypassRLS != nil {
		r.BypassRLS = defBool(ro.bypassRLS)
	}
	if ro.connLimit != nil {
		r.ConnLimit = defInt(ro.connLimit)
	}
	if ro.password != nil {
		if err := s.setPassword(r, ro.password, w); err != nil {
			return err
		}
	}
	if ro.validUntil != nil {
		if err := s.setValidUntil(r, ro.validUntil); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) execCreateRole(ctx context.Context, st *pg_query.CreateRoleStmt, w ResultWriter) error {
	if err := s.roleDDLAllowed("CREATE ROLE"); err != nil {
		return err
	}
	ro, err := parseRoleOptions(st.Options, true, w)
	if err != nil {
		return err
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	switch {
	case defBool(ro.superuser):
		if !s.isSuperuser(cat) {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to create superusers")
		}
	case defBool(ro.replication):
		if !s.isSuperuser(cat) {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to create replication users")
		}
	case defBool(ro.bypassRLS):
		if !s.isSuperuser(cat) {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to create bypassrls users")
		}
	default:
		if !s.hasCreateRole(cat) {
			return pgerror.New(pgerror.InsufficientPrivilege, "permission denied to create role")
		}
	}
	if isReservedRoleName(st.Role) {
		return errReservedRoleName(st.Role)
	}
	if _, exists := builtins.RoleOID(cat, st.Role); exists {
		return pgerror.New(pgerror.DuplicateObject, "role \"%s\" already exists", st.Role)
	}
	r := &catalog.Role{OID: cat.AllocOID(), Name: st.Role, ConnLimit: -1,
		Login: st.StmtType == pg_query.RoleStmtType_ROLESTMT_USER}
	if err := s.applyRoleOptions(r, ro, w); err != nil {
		return err
	}
	cat.PutRole(r)
	return w.Complete("CREATE ROLE")
}

// roleSpec resolves the role named in ALTER ROLE (a name, CURRENT_USER,
// CURRENT_ROLE or SESSION_USER) as get_rolespec_tuple does.
func (s *Session) roleSpec(cat *catalog.Catalog, rs *pg_query.RoleSpec) (*catalog.Role, error) {
	switch rs.Roletype {
	case pg_query.RoleSpecType_ROLESPEC_CSTRING:
		if r := cat.RoleByName(rs.Rolename); r != nil {
			return r, nil
		}
		return nil, errRoleMissing(rs.Rolename)
	case pg_query.RoleSpecType_ROLESPEC_PUBLIC:
		return nil, errRoleMissing("public")
	}
	r := s.currentRole(cat)
	if r == nil {
		return nil, errRoleMissing(s.user)
	}
	return r, nil
}

func (s *Session) execAlterRole(ctx context.Context, st *pg_query.AlterRoleStmt, w ResultWriter) error {
	if err := s.roleDDLAllowed("ALTER ROLE"); err != nil {
		return err
	}
	if st.Role.Roletype == pg_query.RoleSpecType_ROLESPEC_CSTRING && isReservedRoleName(st.Role.Rolename) {
		// check_rolespec_name: before the role is even looked up.
		return pgerror.New(pgerror.ReservedName, "role name \"%s\" is reserved", st.Role.Rolename).
			WithDetail("Cannot alter reserved roles.")
	}
	ro, err := parseRoleOptions(st.Options, false, w)
	if err != nil {
		return err
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	old, err := s.roleSpec(cat, st.Role)
	if err != nil {
		return err
	}
	// As in AlterRole, giving the option at all (even NOSUPERUSER) counts.
	switch {
	case old.Superuser || ro.superuser != nil:
		if !s.isSuperuser(cat) {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to alter superuser roles or change superuser attribute")
		}
	case old.Replication || ro.replication != nil:
		if !s.isSuperuser(cat) {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to alter replication roles or change replication attribute")
		}
	case ro.bypassRLS != nil:
		if !s.isSuperuser(cat) {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to change bypassrls attribute")
		}
	case !s.hasCreateRole(cat):
		// Without CREATEROLE a role may only change its own password.
		if ro.inherit != nil || ro.createRole != nil || ro.createDB != nil || ro.login != nil ||
			ro.connLimit != nil || ro.validUntil != nil || ro.password == nil || old.OID != s.roleOID {
			return pgerror.New(pgerror.InsufficientPrivilege, "permission denied")
		}
	}
	r := *old
	if err := s.applyRoleOptions(&r, ro, w); err != nil {
		return err
	}
	cat.PutRole(&r)
	return w.Complete("ALTER ROLE")
}

// execRenameRole is ALTER ROLE name RENAME TO newname.
func (s *Session) execRenameRole(ctx context.Context, st *pg_query.RenameStmt, w ResultWriter) error {
	if err := s.roleDDLAllowed("ALTER ROLE"); err != nil {
		return err
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	old := cat.RoleByName(st.Subname)
	if old == nil {
		return errRoleMissing(st.Subname)
	}
	if old.OID == s.roleOID {
		// Session and current user are one here (no SET ROLE yet).
		return pgerror.New(pgerror.FeatureNotSupported, "session user cannot be renamed")
	}
	if isReservedRoleName(old.Name) {
		return errReservedRoleName(old.Name)
	}
	if isReservedRoleName(st.Newname) {
		return errReservedRoleName(st.Newname)
	}
	if _, exists := builtins.RoleOID(cat, st.Newname); exists {
		return pgerror.New(pgerror.DuplicateObject, "role \"%s\" already exists", st.Newname)
	}
	if old.Superuser {
		if !s.isSuperuser(cat) {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to rename superusers")
		}
	} else if !s.hasCreateRole(cat) {
		return pgerror.New(pgerror.InsufficientPrivilege, "permission denied to rename role")
	}
	r := *old
	r.Name = st.Newname
	// An MD5 hash is salted with the role name: it no longer matches.
	if password.Type(r.Password) == password.MD5 {
		r.Password = ""
		w.Notice(pgerror.Notice("MD5 password cleared because of role rename"))
	}
	cat.PutRole(&r)
	return w.Complete("ALTER ROLE")
}

func (s *Session) execDropRole(ctx context.Context, st *pg_query.DropRoleStmt, w ResultWriter) error {
	if err := s.roleDDLAllowed("DROP ROLE"); err != nil {
		return err
	}
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	if !s.hasCreateRole(cat) {
		return pgerror.New(pgerror.InsufficientPrivilege, "permission denied to drop role")
	}
	for _, n := range st.Roles {
		rs := n.GetRoleSpec()
		if rs == nil || rs.Roletype != pg_query.RoleSpecType_ROLESPEC_CSTRING {
			return pgerror.New(pgerror.InvalidParameterValue, "cannot use special role specifier in DROP ROLE")
		}
		r := cat.RoleByName(rs.Rolename)
		if r == nil {
			if _, predefined := builtins.RoleOID(cat, rs.Rolename); predefined {
				return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop role %s because it is required by the database system", rs.Rolename)
			}
			if st.MissingOk {
				w.Notice(pgerror.Notice("role \"%s\" does not exist, skipping", rs.Rolename))
				continue
			}
			return errRoleMissing(rs.Rolename)
		}
		if r.OID == s.roleOID {
			return pgerror.New(pgerror.ObjectInUse, "current user cannot be dropped")
		}
		if r.Superuser && !s.isSuperuser(cat) {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to drop superusers")
		}
		if r.OID == catalog.PostgresRoleOID {
			return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop role %s because it is required by the database system", r.Name)
		}
		if detail := s.roleDependencies(cat, r.OID); detail != "" {
			return pgerror.New(pgerror.DependentObjectsStillExist, "role \"%s\" cannot be dropped because some objects depend on it", r.Name).
				WithDetail("%s", detail)
		}
		cat.DropRole(r.OID)
	}
	return w.Complete("DROP ROLE")
}

// roleDependencies lists what a role owns, as checkSharedDependencies
// words it: objects of the current database and databases one per line,
// then a count per other database.
func (s *Session) roleDependencies(cat *catalog.Catalog, role uint32) string {
	type dep struct {
		oid  uint32
		desc string
	}
	var local []dep
	remote := map[string]int{}
	for _, db := range cat.Databases() {
		if db.Owner == role {
			local = append(local, dep{db.OID, "owner of database " + db.Name})
		}
		for _, sc := range cat.Schemas(db.OID) {
			var here []dep
			if sc.Owner == role {
				here = append(here, dep{sc.OID, "owner of schema " + sc.Name})
			}
			qual := ""
			if sc.Name != "public" {
				qual = sc.Name + "."
			}
			for _, t := range cat.Tables(sc.OID) {
				if t.Owner == role {
					kind := "table"
					if t.Kind == catalog.RelView {
						kind = "view"
					}
					here = append(here, dep{t.OID, fmt.Sprintf("owner of %s %s%s", kind, qual, t.Name)})
				}
			}
			for _, q := range cat.Sequences(sc.OID) {
				if q.Owner == role {
					here = append(here, dep{q.OID, fmt.Sprintf("owner of sequence %s%s", qual, q.Name)})
				}
			}
			if db.OID == s.dbOID {
				local = append(local, here...)
			} else if len(here) > 0 {
				remote[db.Name] += len(here)
			}
		}
	}
	sort.Slice(local, func(i, j int) bool { return local[i].oid < local[j].oid })
	var lines []string
	for _, d := range local {
		lines = append(lines, d.desc)
	}
	dbs := make([]string, 0, len(remote))
	for name := range remote {
		dbs = append(dbs, name)
	}
	sort.Strings(dbs)
	for _, name := range dbs {
		if n := remote[name]; n == 1 {
			lines = append(lines, fmt.Sprintf("1 object in database %s", name))
		} else {
			lines = append(lines, fmt.Sprintf("%d objects in database %s", n, name))
		}
	}
	return strings.Join(lines, "\n")
}
