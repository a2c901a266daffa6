package sql

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// ServerVersion is what clients see: a 15.x version so that drivers take
// their PostgreSQL 15 paths.
const (
	ServerVersion    = "15.8"
	ServerVersionNum = "150008"
)

// setting describes one configuration parameter (GUC).
type setting struct {
	name   string // canonical spelling, as SHOW ALL prints it
	def    string
	report bool // sent as ParameterStatus when it changes (GUC_REPORT)
	static bool // cannot be changed by SET
	check  func(s *Session, v string) (string, error)
	apply  func(s *Session, v string)
	unit   string
	short  string
	custom bool // a placeholder (name.with.dot); SHOW fails until it is set
}

var settingsList = []*setting{
	{name: "application_name", def: "", report: true},
	{name: "client_encoding", def: "UTF8", report: true, check: checkEncoding},
	{name: "server_encoding", def: "UTF8", report: true, static: true},
	{name: "server_version", def: ServerVersion, report: true, static: true},
	{name: "server_version_num", def: ServerVersionNum, static: true},
	{name: "DateStyle", def: "ISO, MDY", report: true, check: checkDateStyle, apply: applyDateStyle},
	{name: "IntervalStyle", def: "postgres", report: true, check: checkIntervalStyle, apply: applyIntervalStyle},
	{name: "TimeZone", def: "UTC", report: true, check: checkTimeZone, apply: applyTimeZone},
	{name: "integer_datetimes", def: "on", report: true, static: true},
	{name: "standard_conforming_strings", def: "on", report: true, check: checkBool},
	{name: "is_superuser", def: "on", report: true, static: true},
	{name: "session_authorization", def: "postgres", report: true, static: true},
	{name: "default_transaction_read_only", def: "off", report: true, check: checkBool},
	{name: "in_hot_standby", def: "off", report: true, static: true},
	{name: "search_path", def: `"$user", public`},
	{name: "default_text_search_config", def: "pg_catalog.english", check: checkTSConfig, apply: applyTSConfig},
	{name: "statement_timeout", def: "0", check: checkDurationMS, unit: "ms"},
	{name: "lock_timeout", def: "0", check: checkDurationMS, unit: "ms"},
	{name: "idle_in_transaction_session_timeout", def: "0", check: checkDurationMS, unit: "ms"},
	{name: "transaction_isolation", def: "read committed", check: checkIsolation},
	{name: "default_transaction_isolation", def: "read committed", check: checkIsolation},
	{name: "transaction_read_only", def: "off", check: checkBool},
	{name: "extra_float_digits", def: "1", check: checkInt, apply: func(s *Session, v string) {
		if n, err := strconv.Atoi(v); err == nil {
			s.types.ExtraFloatDigits = int8(max(-15, min(3, n)))
		}
	}},
	{name: "client_min_messages", def: "notice"},
	{name: "bytea_output", def: "hex", check: checkByteaOutput, apply: func(s *Session, v string) { s.types.ByteaEscape = v == "escape" }},
	{name: "max_identifier_length", def: "63", static: true},
	{name: "work_mem", def: "4MB", check: checkMemory},
	// prkdb.query_mem_limit bounds the rows one query's sorts, hash
	// tables and materializations hold at once; past it the query fails
	// with 53200 instead of exhausting the machine. PostgreSQL spills to
	// disk past work_mem instead; we have no spilling, so the limit is a
	// safety net, generous by default. The name is a custom (dotted) one,
	// which PostgreSQL also accepts in SET.
	{name: "prkdb.query_mem_limit", def: "512MB", check: checkMemory},
	{name: "synchronous_commit", def: "on"},
	{name: "row_security", def: "on", check: checkBool},
	{name: "lc_messages", def: "C"},
	{name: "lc_monetary", def: "C"},
	{name: "lc_numeric", def: "C"},
	{name: "lc_time", def: "C"},
	{name: "lc_collate", def: "C", static: true},
	{name: "lc_ctype", def: "C", static: true},
	{name: "escape_string_warning", def: "on", check: checkBool},
	{name: "timezone_abbreviations", def: "Default"},
	{name: "enable_seqscan", def: "on", check: checkBool},
	{name: "enable_indexscan", def: "on", check: checkBool},
	{name: "jit", def: "off", check: checkBool},
	{name: "max_connections", def: "100", static: true},
	{name: "block_size", def: "8192", static: true},
	{name: "wal_level", def: "logical", static: true},
	{name: "default_tablespace", def: ""},
	{name: "check_function_bodies", def: "on", check: checkBool},
	{name: "synchronize_seqscans", def: "on", check: checkBool},
	{name: "quote_all_identifiers", def: "off", check: checkBool},
	{name: "idle_session_timeout", def: "0", check: checkDurationMS, unit: "ms"},
	{name: "default_with_oids", def: "off", check: checkBool},
	{name: "enable_partitionwise_aggregate", def: "off", check: checkBool},
	{name: "enable_hashjoin", def: "on", check: checkBool},
	{name: "enable_nestloop", def: "on", check: checkBool},
	{name: "enable_sort", def: "on", check: checkBool},
	{name: "enable_bitmapscan", def: "on", check: checkBool},
	{name: "random_page_cost", def: "4"},
	{name: "effective_cache_size", def: "4GB"},
	{name: "maintenance_work_mem", def: "64MB"},
	{name: "temp_buffers", def: "8MB"},
	{name: "session_replication_role", def: "origin"},
	{name: "default_table_access_method", def: "heap"},
	{name: "default_toast_compression", def: "pglz"},
	{name: "log_statement", def: "none"},
	{name: "log_min_duration_statement", def: "-1"},
	{name: "TimeZone_abbreviations", def: "Default"},
	{name: "array_nulls", def: "on", check: checkBool},
	{name: "backslash_quote", def: "safe_encoding"},
	{name: "lo_compat_privileges", def: "off", check: checkBool},
	{name: "trace_sort", def: "off", check: checkBool},
	{name: "shared_buffers", def: "128MB", static: true},
	{name: "port", def: "5432", static: true},
	{name: "listen_addresses", def: "localhost", static: true},
	{name: "data_directory_mode", def: "0700", static: true},
	{name: "password_encryption", def: "scram-sha-256", check: checkPasswordEncryption},
	{name: "xmloption", def: "content"},
	{name: "search_path_cache", def: "on", static: true},
}

var settingsByName = func() map[string]*setting {
	m := map[string]*setting{}
	for _, s := range settingsList {
		m[strings.ToLower(s.name)] = s
	}
	return m
}()

func lookupSetting(name string) (*setting, error) {
	s, ok := settingsByName[strings.ToLower(name)]
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedObject, "unrecognized configuration parameter \"%s\"", name)
	}
	return s, nil
}

// customSetting is a placeholder parameter such as myapp.tenant: any name
// with a dot may be SET, as PostgreSQL allows for extensions and apps.
func customSetting(name string) (*setting, bool) {
	if !strings.Contains(name, ".") {
		return nil, false
	}
	return &setting{name: strings.ToLower(name), custom: true}, true
}

func checkBool(_ *Session, v string) (string, error) {
	switch strings.ToLower(v) {
	case "on", "true", "yes", "1", "t", "y":
		return "on", nil
	case "off", "false", "no", "0", "f", "n":
		return "off", nil
	}
	return "", pgerror.New(pgerror.InvalidParameterValue, "parameter requires a Boolean value")
}

func checkByteaOutput(_ *Session, v string) (string, error) {
	switch strings.ToLower(v) {
	case "hex", "escape":
		return strings.ToLower(v), nil
	}
	return "", errBadValue
}

func checkInt(_ *Session, v string) (string, error) {
	if _, err := strconv.Atoi(v); err != nil {
		return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter: \"%s\"", v)
	}
	return v, nil
}

func checkEncoding(_ *Session, v string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(v, "-", "")) {
	case "UTF8", "UNICODE":
		return "UTF8", nil
	case "SQL_ASCII":
		return "SQL_ASCII", nil
	}
	return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"client_encoding\": \"%s\"", v)
}

func checkIsolation(_ *Session, v string) (string, error) {
	switch strings.ToLower(v) {
	case "read committed":
		return "read committed", nil
	case "read uncommitted":
		return "read uncommitted", nil // behaves as read committed, as in PostgreSQL
	case "repeatable read":
		return "repeatable read", nil
	case "serializable":
		return "serializable", nil
	}
	return "", errBadValue
}

// checkDurationMS accepts a number of milliseconds or a value with a unit.
func checkDurationMS(_ *Session, v string) (string, error) {
	ms, err := parseDurationMS(v)
	if err != nil {
		return "", err
	}
	return formatDurationMS(ms), nil
}

// formatDurationMS prints a millisecond setting as SHOW does: in the
// largest unit that divides it exactly.
func formatDurationMS(ms int64) string {
	if ms == 0 {
		return "0"
	}
	for _, u := range []struct {
		suffix string
		ms     int64
	}{{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}} {
		if ms%u.ms == 0 {
			return strconv.FormatInt(ms/u.ms, 10) + u.suffix
		}
	}
	return strconv.FormatInt(ms, 10) + "ms"
}

// errBadValue is returned by checks; setValue words the message with the
// parameter's name.
var errBadValue = errors.New("invalid value")

func parseDurationMS(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, nil
	}
	units := []struct {
		suffix string
		ms     float64
	}{{"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}, {"d", 86400000}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(v, u.suffix); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err == nil {
				return int64(f * u.ms), nil
			}
		}
	}
	return 0, errBadValue
}

func checkMemory(_ *Session, v string) (string, error) {
	if _, err := parseMemoryBytes(v); err != nil {
		return "", err
	}
	return v, nil
}

func parseMemoryBytes(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n * 1024, nil
	}
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"kB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"TB", 1 << 40}} {
		if num, ok := strings.CutSuffix(v, u.suffix); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64); err == nil {
				return n * u.mult, nil
			}
		}
	}
	return 0, pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"work_mem\": \"%s\"", v)
}

func checkDateStyle(s *Session, v string) (string, error) {
	style, order, err := types.ParseDateStyle(v, s.types.DateStyle, s.types.DateOrder)
	if err != nil {
		return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"DateStyle\": \"%s\"", v)
	}
	return types.FormatDateStyle(style, order), nil
}

func applyDateStyle(s *Session, v string) {
	style, order, err := types.ParseDateStyle(v, s.types.DateStyle, s.types.DateOrder)
	if err == nil {
		s.types.DateStyle, s.types.DateOrder = style, order
	}
}

func checkIntervalStyle(_ *Session, v string) (string, error) {
	st, err := types.ParseIntervalStyle(v)
	if err != nil {
		return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"IntervalStyle\": \"%s\"", v)
	}
	return types.FormatIntervalStyle(st), nil
}

func applyIntervalStyle(s *Session, v string) {
	if st, err := types.ParseIntervalStyle(v); err == nil {
		s.types.IntervalStyle = st
	}
}

func checkTimeZone(_ *Session, v string) (string, error) {
	loc, err := types.LoadTimeZone(v)
	if err != nil {
		return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"TimeZone\": \"%s\"", v)
	}
	if strings.EqualFold(v, "utc") || strings.EqualFold(v, "gmt") || strings.EqualFold(v, "z") {
		return "UTC", nil
	}
	_ = loc
	return v, nil
}

func applyTimeZone(s *Session, v string) {
	if loc, err := types.LoadTimeZone(v); err == nil {
		s.types.TimeZone = loc
	}
}

// sessionSettings holds a session's values; nil entries mean the default.
type sessionSettings struct {
	vals map[string]string // lower-case name -> value
	// txnVals are SET LOCAL values, dropped at transaction end.
	txnVals map[string]string
	// saved are the session values to restore when a transaction that did
	// SET (not LOCAL) rolls back.
	saved map[string]*string
}

func (ss *sessionSettings) get(s *setting) string {
	key := strings.ToLower(s.name)
	if v, ok := ss.txnVals[key]; ok {
		return v
	}
	if v, ok := ss.vals[key]; ok {
		return v
	}
	return s.def
}

var _ = time.Second
