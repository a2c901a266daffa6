// Package namedflag is the repeatable NAME=VALUE command-line flag the
// benchmark commands share (-dsn prkdb=postgres://..., -pid prkdb=123):
// servers are named so that results from one run can be told apart.
package namedflag

import (
	"fmt"
	"strings"
)

// Pair is one NAME=VALUE.
type Pair struct{ Name, Value string }

// List collects a repeated flag's pairs in the order given.
type List []Pair

func (l *List) String() string {
	var parts []string
	for _, p := range *l {
		parts = append(parts, p.Name+"="+p.Value)
	}
	return strings.Join(parts, ",")
}

// Set implements flag.Value.
func (l *List) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q is not NAME=VALUE", v)
	}
	*l = append(*l, Pair{name, value})
	return nil
}
