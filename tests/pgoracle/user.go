package pgoracle

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// runAs says which OS user initdb and postgres run as. The zero value means
// the current user.
type runAs struct {
	uid, gid uint32
	name     string
	switched bool
}

// serverUser picks the OS user for the server: PostgreSQL refuses to run as
// root ("root" execution of the PostgreSQL server is not permitted), so root
// switches to the `postgres` user that Debian's packages create.
func serverUser() (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return runAs{}, fmt.Errorf("%w: running as root and no `postgres` OS user to run the server as: %v", ErrUnavailable, err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return runAs{}, fmt.Errorf("postgres uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return runAs{}, fmt.Errorf("postgres gid %q: %w", u.Gid, err)
	}
	return runAs{uid: uint32(uid), gid: uint32(gid), name: u.Username, switched: true}, nil
}

// chown gives path to the server user (a no-op when not switching).
func (r runAs) chown(path string) error {
	if !r.switched {
		return nil
	}
	return os.Chown(path, int(r.uid), int(r.gid))
}

// apply sets the credentials on cmd and ties the child's life to ours:
// Pdeathsig kills the server if the test binary dies without calling Stop.
func (r runAs) apply(cmd *exec.Cmd) {
	attr := &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if r.switched {
		attr.Credential = &syscall.Credential{Uid: r.uid, Gid: r.gid}
		cmd.Env = append(os.Environ(), "HOME="+os.TempDir(), "USER="+r.name, "LOGNAME="+r.name)
	}
	cmd.SysProcAttr = attr
}
