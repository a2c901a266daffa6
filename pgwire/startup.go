package pgwire

import (
	"bytes"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// Startup-phase request codes (src/include/libpq/pqcomm.h).
const (
	protocolVersion30 = 3 << 16
	protocolLatest    = protocolVersion30 // what this server speaks
	cancelRequestCode = 1234<<16 | 5678
	sslRequestCode    = 1234<<16 | 5679
	gssEncRequestCode = 1234<<16 | 5680
)

// startupParams is a decoded StartupMessage.
type startupParams struct {
	version  uint32
	user     string
	database string
	// options are the -c/-- settings of the "options" parameter followed
	// by the other parameters (which win, as in PostgreSQL's
	// process_startup_options: command-line switches first, then the
	// startup packet's own GUCs).
	options map[string]string
	// unrecognized lists _pq_.* protocol options, reported back in
	// NegotiateProtocolVersion.
	unrecognized []string
	// rawOptions is the "options" parameter, split after authentication
	// (PostgreSQL reports its errors after AuthenticationOk).
	rawOptions string
	// replication: replication=database (replication.go).
	replication bool
}

// parseStartupMessage decodes the body of a StartupMessage whose major
// version is 3, following ProcessStartupPacket in PostgreSQL 15's
// src/backend/postmaster/postmaster.c: pairs of NUL-terminated names and
// values, then a final NUL.
func parseStartupMessage(body []byte) (*startupParams, *pgerror.Error) {
	p := &startupParams{version: be32(body), options: map[string]string{}}
	rest := body[4:]
	var gucs [][2]string
	for {
		name, r, ok := cstring(rest)
		if !ok {
			return nil, errLayout()
		}
		if name == "" {
			if len(r) != 0 {
				return nil, errLayout()
			}
			break
		}
		value, r, ok := cstring(r)
		if !ok {
			return nil, errLayout()
		}
		rest = r
		switch {
		case name == "database":
			p.database = value
		case name == "user":
			p.user = value
		case name == "options":
			p.rawOptions = value
		case name == "replication":
			// replication=database: a logical replication connection
			// (walsender commands, replication.go). PostgreSQL accepts
			// "database" and the boolean spellings.
			isTrue, ok := parseBool(value)
			if ok && !isTrue {
				continue
			}
			if !ok && !strings.EqualFold(value, "database") {
				return nil, fatal(pgerror.InvalidParameterValue, `invalid value for parameter "%s": "%s"`, "replication", value).
					WithHint(`Valid values are: "false", 0, "true", 1, "database".`)
			}
			if !strings.EqualFold(value, "database") {
				// Physical replication (replication=true) is not
				// implemented: there is no byte-level WAL to ship.
				return nil, fatal(pgerror.FeatureNotSupported, "physical replication connections are not supported").
					WithHint(`Use replication=database for logical replication.`)
			}
			p.replication = true
		case strings.HasPrefix(name, "_pq_."):
			p.unrecognized = append(p.unrecognized, name)
		default:
			gucs = append(gucs, [2]string{name, value})
		}
	}
	if p.user == "" {
		return nil, fatal(pgerror.InvalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet")
	}
	if p.database == "" {
		p.database = p.user
	}
	for _, g := range gucs {
		p.options[g[0]] = g[1]
	}
	return p, nil
}

func errLayout() *pgerror.Error {
	return fatal(pgerror.ProtocolViolation, "invalid startup packet layout: expected terminator as last byte")
}

// applyCommandLineOptions splits the "options" startup parameter and
// adds its settings to opts, without overriding a setting the startup
// packet gave directly. Only the switches that set a parameter are
// accepted: "-c name=value", "-cname=value" and "--name=value"; in
// parameter names '-' means '_' (PostgreSQL's ParseLongOption).
func applyCommandLineOptions(raw string, opts map[string]string) *pgerror.Error {
	args := splitOptions(raw)
	set := func(flag, arg string) *pgerror.Error {
		name, value, ok := strings.Cut(arg, "=")
		if !ok {
			if flag == "-" {
				return fatal(pgerror.SyntaxError, "--%s requires a value", name)
			}
			return fatal(pgerror.SyntaxError, "-c %s requires a value", name)
		}
		name = strings.ReplaceAll(name, "-", "_")
		if _, given := opts[name]; !given {
			opts[name] = value
		}
		return nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case strings.HasPrefix(a, "--") && len(a) > 2:
			if err := set("-", a[2:]); err != nil {
				return err
			}
		case a == "-c":
			if i+1 >= len(args) {
				return errBadSwitch(a)
			}
			i++
			if err := set("c", args[i]); err != nil {
				return err
			}
		case strings.HasPrefix(a, "-c"):
			if err := set("c", a[2:]); err != nil {
				return err
			}
		default:
			return errBadSwitch(a)
		}
	}
	return nil
}

func errBadSwitch(a string) *pgerror.Error {
	return fatal(pgerror.SyntaxError, "invalid command-line argument for server process: %s", a).
		WithHint(`Try "postgres --help" for more information.`)
}

// splitOptions splits the "options" parameter as pg_split_opts
// (src/backend/utils/init/postinit.c) does: on whitespace, with a
// backslash taking the next character literally.
func splitOptions(s string) []string {
	var out []string
	var cur strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		case c == '\\':
			in = true
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			}
		default:
			in = true
			cur.WriteByte(c)
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

// parseBool accepts PostgreSQL's boolean spellings (parse_bool).
func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "t", "tr", "tru", "true", "y", "ye", "yes", "on", "1":
		return true, true
	case "f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0":
		return false, true
	}
	return false, false
}

func cstring(b []byte) (s string, rest []byte, ok bool) {
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return "", nil, false
	}
	return string(b[:i]), b[i+1:], true
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func errUnsupportedProtocol(code uint32) *pgerror.Error {
	return fatal(pgerror.FeatureNotSupported, "unsupported frontend protocol %d.%d: server supports %d.0 to %d.%d",
		code>>16, code&0xffff, protocolVersion30>>16, protocolLatest>>16, protocolLatest&0xffff)
}
