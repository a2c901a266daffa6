package pgoracle

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// wantMajor is the PostgreSQL major version whose behaviour is the reference
// (SHAPE.md: "The reference for behaviour is PostgreSQL 15 itself").
const wantMajor = "15"

// findBinDir returns the directory holding initdb and postgres of
// PostgreSQL 15. A non-nil error wraps ErrUnavailable and says why.
func findBinDir() (string, error) {
	var candidates []string
	if d := os.Getenv("PRKDB_PG_BINDIR"); d != "" {
		candidates = append(candidates, d)
	}
	candidates = append(candidates, "/usr/lib/postgresql/"+wantMajor+"/bin")
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	return firstBinDir(candidates)
}

// firstBinDir returns the first candidate holding PostgreSQL 15's initdb and
// postgres.
func firstBinDir(candidates []string) (string, error) {
	var tried []string
	for _, dir := range candidates {
		major, err := majorVersion(dir)
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %v", dir, err))
			continue
		}
		if major != wantMajor {
			tried = append(tried, fmt.Sprintf("%s: PostgreSQL %s, need %s", dir, major, wantMajor))
			continue
		}
		return dir, nil
	}
	return "", fmt.Errorf("%w: PostgreSQL %s binaries not found (tried %s); install postgresql-%s or set PRKDB_PG_ORACLE_DSN",
		ErrUnavailable, wantMajor, strings.Join(tried, "; "), wantMajor)
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

// majorVersion runs `<dir>/postgres --version` and returns the major version.
func majorVersion(dir string) (string, error) {
	for _, name := range []string{"initdb", "postgres"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return "", fmt.Errorf("no %s", name)
		}
	}
	out, err := exec.Command(filepath.Join(dir, "postgres"), "--version").Output()
	if err != nil {
		return "", fmt.Errorf("postgres --version: %v", err)
	}
	m := versionRE.FindSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("unrecognised version %q", bytes.TrimSpace(out))
	}
	return string(m[1]), nil
}
