package executor

import (
	"reflect"
	"time"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// Instrumented counts the rows, loops and time of the node it wraps, for
// EXPLAIN ANALYZE. Plans are only wrapped when they are analyzed, so
// ordinary execution pays nothing for it.
type Instrumented struct {
	Inner Node
	Stats NodeStats
	// Timing: measure time (EXPLAIN's TIMING option); counting rows alone
	// avoids two clock reads per row.
	Timing bool

	started time.Time
	gotRow  bool
}

func (n *Instrumented) Open(c *Ctx) error {
	n.Stats.Loops++
	n.gotRow = false
	if n.Timing {
		n.started = time.Now()
		defer func() { n.Stats.Elapsed += time.Since(n.started) }()
	}
	return n.Inner.Open(c)
}

func (n *Instrumented) Next(c *Ctx) ([]types.Datum, error) {
	var t0 time.Time
	if n.Timing {
		t0 = time.Now()
	}
	row, err := n.Inner.Next(c)
	if n.Timing {
		now := time.Now()
		n.Stats.Elapsed += now.Sub(t0)
		if !n.gotRow {
			// PostgreSQL's startup time: from the start of the loop to
			// the first row (or the end, for an empty result).
			n.Stats.First += now.Sub(n.started)
		}
	}
	n.gotRow = true
	if row != nil {
		n.Stats.Rows++
	}
	return row, err
}

func (n *Instrumented) Close()            { n.Inner.Close() }
func (n *Instrumented) Explain() *Explain { return n.Inner.Explain() }

// Est is the wrapped node's estimate.
func (n *Instrumented) Est() *Estimate {
	if e, ok := n.Inner.(Estimator); ok {
		return e.Est()
	}
	return &Estimate{}
}

var nodeType = reflect.TypeFor[Node]()

// Instrument wraps n and, recursively, every child operator held in a
// field of type Node or []Node, and returns the wrapped root. Operators
// hold their children in differently named fields; reflection finds them
// all without each operator having to expose its children for rewriting.
// It runs once per EXPLAIN ANALYZE, never per row. Children held in
// fields of a concrete type (LockRows.Scan) stay unwrapped and show no
// actual figures.
func Instrument(n Node, timing bool) *Instrumented {
	if w, ok := n.(*Instrumented); ok {
		return w
	}
	v := reflect.ValueOf(n)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		s := v.Elem()
		for i := 0; i < s.NumField(); i++ {
			f := s.Field(i)
			if !f.CanSet() {
				continue
			}
			switch {
			case f.Type() == nodeType && !f.IsNil():
				f.Set(reflect.ValueOf(Node(Instrument(f.Interface().(Node), timing))))
			case f.Kind() == reflect.Slice && f.Type().Elem() == nodeType:
				for j := 0; j < f.Len(); j++ {
					if e := f.Index(j); !e.IsNil() {
						e.Set(reflect.ValueOf(Node(Instrument(e.Interface().(Node), timing))))
					}
				}
			}
		}
	}
	return &Instrumented{Inner: n, Timing: timing}
}
