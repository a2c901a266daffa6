package types

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// PostgreSQL matches time zone names case-insensitively
// ('america/new_york' works); Go's LoadLocation does not. We index the
// system zoneinfo tree once, on first need.
var (
	zoneIndexOnce sync.Once
	zoneIndex     map[string]string // lower-case name -> canonical name
)

func findZoneCaseInsensitive(name string) (string, bool) {
	zoneIndexOnce.Do(func() {
		zoneIndex = make(map[string]string)
		root := os.Getenv("ZONEINFO")
		if root == "" {
			root = "/usr/share/zoneinfo"
		}
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(root, p)
			if err != nil || strings.HasPrefix(rel, "posix") || strings.HasPrefix(rel, "right") {
				return nil
			}
			zoneIndex[strings.ToLower(rel)] = rel
			return nil
		})
	})
	n, ok := zoneIndex[strings.ToLower(name)]
	return n, ok
}

// zoneForInput resolves a zone written inside a datetime literal: an
// abbreviation from the default set (fixed offset) or a full zone name.
// It returns either a fixed offset (seconds east) or a location.
func zoneForInput(name string) (offset int, loc *time.Location, ok bool) {
	if a, found := zoneAbbrevs[lowerASCII(name)]; found {
		return int(a.offset), nil, true
	}
	if strings.IndexByte(name, '/') < 0 && !strings.EqualFold(name, "utc") {
		// Full names without a slash (e.g. "EST5EDT", "Japan") are zone files too.
		if l, err := LoadTimeZone(name); err == nil {
			return 0, l, true
		}
		return 0, nil, false
	}
	l, err := LoadTimeZone(name)
	if err != nil {
		return 0, nil, false
	}
	return 0, l, true
}
