package sqllogic

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// DefaultConn is the name of the connection records run on until a
// `connection NAME` line says otherwise.
const DefaultConn = "default"

// Engines that skipif/onlyif may name. A typo must not silently skip.
var engines = map[string]bool{"postgres": true, "prkdb": true}

var (
	sqlstateRE = regexp.MustCompile(`^[0-9A-Z]{5}$`)
	connNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
)

// ParseFile reads and parses an .slt file.
func ParseFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, string(b))
}

// Parse parses the text of an .slt file; path is used in error messages.
// Errors name path:line.
func Parse(path, text string) (*File, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1] // the newline ending the last line
	}
	f := &File{Path: path, Lines: lines}
	p := parser{f: f, conn: DefaultConn}
	if err := p.run(); err != nil {
		return nil, err
	}
	return f, nil
}

type parser struct {
	f       *File
	i       int // index of the next line
	conn    string
	pending []Condition
}

func (p *parser) errf(idx int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.f.Path, idx+1, fmt.Sprintf(format, args...))
}

func (p *parser) run() error {
	lines := p.f.Lines
	for p.i < len(lines) {
		idx := p.i
		line := strings.TrimSpace(lines[idx])
		p.i++
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		var err error
		switch fields[0] {
		case "statement", "query":
			err = p.record(idx, line, fields)
		case "connection":
			if len(fields) != 2 || !connNameRE.MatchString(fields[1]) {
				err = p.errf(idx, "want `connection NAME` (lower-case identifier)")
			}
			if len(p.pending) > 0 {
				err = p.errf(idx, "skipif/onlyif must be followed by a record, not `connection`")
			}
			if err == nil {
				p.conn = fields[1]
			}
		case "skipif", "onlyif":
			if len(fields) < 3 {
				err = p.errf(idx, "want `%s ENGINE REASON...`: the reason is mandatory", fields[0])
			} else if !engines[fields[1]] {
				err = p.errf(idx, "unknown engine %q (want postgres or prkdb)", fields[1])
			} else {
				reason := strings.TrimSpace(strings.SplitN(line, fields[1], 2)[1])
				p.pending = append(p.pending, Condition{Skip: fields[0] == "skipif", Engine: fields[1], Reason: reason})
			}
		default:
			err = p.errf(idx, "unknown directive %q (want statement, query, connection, skipif, onlyif or #)", fields[0])
		}
		if err != nil {
			return err
		}
	}
	if len(p.pending) > 0 {
		return p.errf(len(lines)-1, "skipif/onlyif at end of file applies to nothing")
	}
	return nil
}

// record parses a header and the SQL and expected results that follow it.
func (p *parser) record(idx int, line string, fields []string) error {
	r := &Record{Line: idx + 1, Conn: p.conn, Conditions: p.pending, headerIdx: idx}
	p.pending = nil
	if err := p.header(r, line, fields); err != nil {
		return err
	}
	lines := p.f.Lines
	var sql []string
	for p.i < len(lines) && strings.TrimSpace(lines[p.i]) != "" && strings.TrimSpace(lines[p.i]) != "----" {
		sql = append(sql, lines[p.i])
		p.i++
	}
	r.SQL = strings.Join(sql, "\n")
	if strings.TrimSpace(r.SQL) == "" {
		return p.errf(idx, "record has no SQL")
	}
	sep := p.i < len(lines) && strings.TrimSpace(lines[p.i]) == "----"
	switch {
	case r.Kind == KindQuery && !sep:
		return p.errf(idx, "query needs a `----` line after the SQL (then the expected rows, if any)")
	case r.Kind != KindQuery && sep:
		return p.errf(p.i, "`----` after a statement: statements have no result rows (use query)")
	}
	if sep {
		p.i++
		r.resultLo = p.i
		for p.i < len(lines) && strings.TrimSpace(lines[p.i]) != "" {
			p.i++
		}
		r.resultHi = p.i
		r.Expected = append([]string(nil), lines[r.resultLo:r.resultHi]...)
		if r.ColNames && len(r.Expected) == 0 {
			return p.errf(idx, "colnames: the first line after ---- must hold the column names")
		}
	}
	p.f.Records = append(p.f.Records, r)
	return nil
}

func (p *parser) header(r *Record, line string, fields []string) error {
	if fields[0] == "query" {
		r.Kind = KindQuery
		if len(fields) < 2 {
			return p.errf(r.headerIdx, "want `query TYPES [nosort|rowsort|valuesort] [colnames]`")
		}
		types, err := parseTypeSpec(fields[1])
		if err != nil {
			return p.errf(r.headerIdx, "%v", err)
		}
		r.Types, r.TypeSpec = types, fields[1]
		for _, opt := range fields[2:] {
			if m, ok := sortModeNames[opt]; ok {
				r.Sort = m
			} else if opt == "colnames" {
				r.ColNames = true
			} else {
				return p.errf(r.headerIdx, "unknown query option %q", opt)
			}
		}
		return nil
	}
	if len(fields) < 2 {
		return p.errf(r.headerIdx, "want `statement ok [TAG]` or `statement error SQLSTATE [REGEX]`")
	}
	switch fields[1] {
	case "ok":
		r.Kind = KindStatementOK
		r.Tag = strings.Join(fields[2:], " ")
	case "error":
		r.Kind = KindStatementError
		if len(fields) < 3 || !sqlstateRE.MatchString(fields[2]) {
			return p.errf(r.headerIdx, "statement error needs a five-character SQLSTATE (STYLE.md 6)")
		}
		r.Code = fields[2]
		rest := strings.TrimSpace(line[strings.Index(line, fields[2])+len(fields[2]):])
		if rest != "" {
			re, err := regexp.Compile(rest)
			if err != nil {
				return p.errf(r.headerIdx, "message regex: %v", err)
			}
			r.MessageRE = re
		}
	default:
		return p.errf(r.headerIdx, "want `statement ok` or `statement error`, got %q", fields[1])
	}
	return nil
}
