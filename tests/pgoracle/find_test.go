package pgoracle

import (
	"errors"
	"strings"
	"testing"
)

// TestFirstBinDirUnavailable guards the skip path: missing binaries are
// ErrUnavailable with a reason naming what was tried, not a failure.
func TestFirstBinDirUnavailable(t *testing.T) {
	_, err := firstBinDir([]string{t.TempDir()})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "no initdb") {
		t.Errorf("err = %v, want ErrUnavailable naming the missing initdb", err)
	}
}
