package sql

import (
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// What pgwire's authentication needs from the engine, so that pgwire never
// reads the catalog itself. The order of the checks is PostgreSQL's:
// pgwire authenticates (RoleAuth: the password), then NewSession checks
// that the role exists and may log in, its connection limit, and the
// database (InitializeSessionUserId, then the database lookup of
// InitPostgres).

// RoleAuth returns what password authentication needs to know about a
// role: its stored verifier (a SCRAM-SHA-256 secret or an MD5 hash; "" when
// it has no password or its VALID UNTIL has passed, so that any password
// fails, as PostgreSQL's get_role_password), whether it may log in, and
// whether it exists at all.
func (e *Engine) RoleAuth(name string) (verifier string, canLogin, exists bool) {
	r := e.Catalog().RoleByName(name)
	if r == nil {
		return "", false, false
	}
	verifier = r.Password
	if r.ValidUntil != nil && *r.ValidUntil != types.TimestampInfinity &&
		*r.ValidUntil < types.TimeToTimestamp(e.cfg.Now()) {
		verifier = ""
	}
	return verifier, r.Login, true
}

// AnyRoleHasPassword reports whether some role has a password: pgwire's
// default authentication turns from trust to SCRAM-SHA-256 then on
// non-loopback listeners.
func (e *Engine) AnyRoleHasPassword() bool {
	for _, r := range e.Catalog().Roles() {
		if r.Password != "" {
			return true
		}
	}
	return false
}

// checkLogin makes InitializeSessionUserId's checks: the role may log in
// and is under its connection limit.
func (e *Engine) checkLogin(role *catalog.Role) *pgerror.Error {
	if !role.Login {
		return fatalf(pgerror.InvalidAuthorizationSpecification, "role \"%s\" is not permitted to log in", role.Name)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.connLimitLocked(role)
}

// connLimitLocked: a role with CONNECTION LIMIT n may have n sessions at
// once; superusers are exempt. e.mu must be held.
func (e *Engine) connLimitLocked(role *catalog.Role) *pgerror.Error {
	if role.Superuser || role.ConnLimit < 0 {
		return nil
	}
	n := 0
	for _, s := range e.sessions {
		if s.roleOID == role.OID {
			n++
		}
	}
	if n >= int(role.ConnLimit) {
		return fatalf(pgerror.TooManyConnections, "too many connections for role \"%s\"", role.Name)
	}
	return nil
}

// register adds a new session to the engine's, checking the role's
// connection limit again under the same lock so that concurrent logins
// cannot overshoot it.
func (e *Engine) register(s *Session, role *catalog.Role) *pgerror.Error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.connLimitLocked(role); err != nil {
		return err
	}
	e.sessions[s.params.BackendPID] = s
	return nil
}

func fatalf(code pgerror.Code, format string, args ...any) *pgerror.Error {
	err := pgerror.New(code, format, args...)
	err.Severity = pgerror.SeverityFatal
	return err
}
