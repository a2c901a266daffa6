package syscat

import (
	"strconv"
	"strings"
	"time"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// pg_settings and pg_stat_activity: session state.

// SettingValue is one configuration parameter's current value (as SHOW
// prints it) and its source ("default", "session", "client", "override").
type SettingValue struct {
	Name, Setting, Source string
}

// SettingsLister is implemented by a session that can list its settings
// (SHOW ALL); without it pg_settings shows the parameters of settingDefs.
type SettingsLister interface {
	SettingValues() []SettingValue
}

// Activity is one backend as pg_stat_activity shows it.
type Activity struct {
	DatID                                            uint32
	DatName                                          string
	PID                                              int32
	UserOID                                          uint32
	UserName, ApplicationName, ClientAddr            string
	ClientPort                                       int32
	BackendStart, XactStart, QueryStart, StateChange time.Time
	State, Query, BackendType                        string
}

// ActivityLister is implemented by a session that can list the server's
// backends; without it pg_stat_activity shows the current session only.
type ActivityLister interface {
	Activity() []Activity
}

// settingDef is pg_settings' static description of a parameter
// (PostgreSQL 15's): name, unit, category, short_desc, context, vartype,
// min_val, max_val, enumvals ("|"-separated), boot_val.
type settingDef struct {
	name, unit, category, short, context, vartype, min, max, enumvals, boot string
}

var settingDefs = []settingDef{
	{"DateStyle", "", "Client Connection Defaults / Locale and Formatting", "Sets the display format for date and time values.", "user", "string", "", "", "", "ISO, MDY"},
	{"IntervalStyle", "", "Client Connection Defaults / Locale and Formatting", "Sets the display format for interval values.", "user", "enum", "", "", "postgres|postgres_verbose|sql_standard|iso_8601", "postgres"},
	{"TimeZone", "", "Client Connection Defaults / Locale and Formatting", "Sets the time zone for displaying and interpreting time stamps.", "user", "string", "", "", "", "GMT"},
	{"application_name", "", "Reporting and Logging / What to Log", "Sets the application name to be reported in statistics and logs.", "user", "string", "", "", "", ""},
	{"block_size", "", "Preset Options", "Shows the size of a disk block.", "internal", "integer", "8192", "8192", "", "8192"},
	{"bytea_output", "", "Client Connection Defaults / Statement Behavior", "Sets the output format for bytea.", "user", "enum", "", "", "escape|hex", "hex"},
	{"check_function_bodies", "", "Client Connection Defaults / Statement Behavior", "Check routine bodies during CREATE FUNCTION and CREATE PROCEDURE.", "user", "bool", "", "", "", "on"},
	{"client_encoding", "", "Client Connection Defaults / Locale and Formatting", "Sets the client's character set encoding.", "user", "string", "", "", "", "SQL_ASCII"},
	{"client_min_messages", "", "Client Connection Defaults / Statement Behavior", "Sets the message levels that are sent to the client.", "user", "enum", "", "", "debug5|debug4|debug3|debug2|debug1|log|notice|warning|error", "notice"},
	{"default_tablespace", "", "Client Connection Defaults / Statement Behavior", "Sets the default tablespace to create tables and indexes in.", "user", "string", "", "", "", ""},
	{"default_transaction_isolation", "", "Client Connection Defaults / Statement Behavior", "Sets the transaction isolation level of each new transaction.", "user", "enum", "", "", "serializable|repeatable read|read committed|read uncommitted", "read committed"},
	{"default_transaction_read_only", "", "Client Connection Defaults / Statement Behavior", "Sets the default read-only status of new transactions.", "user", "bool", "", "", "", "off"},
	{"enable_indexscan", "", "Query Tuning / Planner Method Configuration", "Enables the planner's use of index-scan plans.", "user", "bool", "", "", "", "on"},
	{"enable_seqscan", "", "Query Tuning / Planner Method Configuration", "Enables the planner's use of sequential-scan plans.", "user", "bool", "", "", "", "on"},
	{"escape_string_warning", "", "Version and Platform Compatibility / Previous PostgreSQL Versions", "Warn about backslash escapes in ordinary string literals.", "user", "bool", "", "", "", "on"},
	{"extra_float_digits", "", "Client Connection Defaults / Locale and Formatting", "Sets the number of digits displayed for floating-point values.", "user", "integer", "-15", "3", "", "1"},
	{"idle_in_transaction_session_timeout", "ms", "Client Connection Defaults / Statement Behavior", "Sets the maximum allowed idle time between queries, when in a transaction.", "user", "integer", "0", "2147483647", "", "0"},
	{"in_hot_standby", "", "Preset Options", "Shows whether hot standby is currently active.", "internal", "bool", "", "", "", "off"},
	{"integer_datetimes", "", "Preset Options", "Shows whether datetimes are integer based.", "internal", "bool", "", "", "", "on"},
	{"jit", "", "Query Tuning / Other Planner Options", "Allow JIT compilation.", "user", "bool", "", "", "", "on"},
	{"lc_collate", "", "Preset Options", "Shows the collation order locale.", "internal", "string", "", "", "", "C"},
	{"lc_ctype", "", "Preset Options", "Shows the character classification and case conversion locale.", "internal", "string", "", "", "", "C"},
	{"lc_messages", "", "Client Connection Defaults / Locale and Formatting", "Sets the language in which messages are displayed.", "superuser", "string", "", "", "", ""},
	{"lc_monetary", "", "Client Connection Defaults / Locale and Formatting", "Sets the locale for formatting monetary amounts.", "user", "string", "", "", "", "C"},
	{"lc_numeric", "", "Client Connection Defaults / Locale and Formatting", "Sets the locale for formatting numbers.", "user", "string", "", "", "", "C"},
	{"lc_time", "", "Client Connection Defaults / Locale and Formatting", "Sets the locale for formatting date and time values.", "user", "string", "", "", "", "C"},
	{"lock_timeout", "ms", "Client Connection Defaults / Statement Behavior", "Sets the maximum allowed duration of any wait for a lock.", "user", "integer", "0", "2147483647", "", "0"},
	{"max_connections", "", "Connections and Authentication / Connection Settings", "Sets the maximum number of concurrent connections.", "postmaster", "integer", "1", "262143", "", "100"},
	{"max_identifier_length", "", "Preset Options", "Shows the maximum identifier length.", "internal", "integer", "63", "63", "", "63"},
	{"row_security", "", "Client Connection Defaults / Statement Behavior", "Enable row security.", "user", "bool", "", "", "", "on"},
	{"search_path", "", "Client Connection Defaults / Statement Behavior", "Sets the schema search order for names that are not schema-qualified.", "user", "string", "", "", "", `"$user", public`},
	{"server_encoding", "", "Preset Options", "Shows the server (database) character set encoding.", "internal", "string", "", "", "", "SQL_ASCII"},
	{"server_version", "", "Preset Options", "Shows the server version.", "internal", "string", "", "", "", "15.18 (Debian 15.18-0+deb12u1)"},
	{"server_version_num", "", "Preset Options", "Shows the server version as an integer.", "internal", "integer", "150018", "150018", "", "150018"},
	{"standard_conforming_strings", "", "Version and Platform Compatibility / Previous PostgreSQL Versions", `Causes '...' strings to treat backslashes literally.`, "user", "bool", "", "", "", "on"},
	{"statement_timeout", "ms", "Client Connection Defaults / Statement Behavior", "Sets the maximum allowed duration of any statement.", "user", "integer", "0", "2147483647", "", "0"},
	{"synchronous_commit", "", "Write-Ahead Log / Settings", "Sets the current transaction's synchronization level.", "user", "enum", "", "", "local|remote_write|remote_apply|on|off", "on"},
	{"timezone_abbreviations", "", "Client Connection Defaults / Locale and Formatting", "Selects a file of time zone abbreviations.", "user", "string", "", "", "", ""},
	{"transaction_isolation", "", "Client Connection Defaults / Statement Behavior", "Sets the current transaction's isolation level.", "user", "enum", "", "", "serializable|repeatable read|read committed|read uncommitted", "read committed"},
	{"transaction_read_only", "", "Client Connection Defaults / Statement Behavior", "Sets the current transaction's read-only status.", "user", "bool", "", "", "", "off"},
	{"wal_level", "", "Write-Ahead Log / Settings", "Sets the level of information written to the WAL.", "postmaster", "enum", "", "", "minimal|replica|logical", "replica"},
	{"work_mem", "kB", "Resource Usage / Memory", "Sets the maximum memory to be used for query workspaces.", "user", "integer", "64", "2147483647", "", "4096"},
	{"xmloption", "", "Client Connection Defaults / Statement Behavior", "Sets whether XML data in implicit parsing and serialization operations is to be considered as documents or content fragments.", "user", "enum", "", "", "content|document", "content"},
}

func init() {
	settings := &View{Schema: "pg_catalog", Name: "pg_settings", OID: 12104,
		Cols: cols(`name text, setting text, unit text, category text, short_desc text, extra_desc text,
			context text, vartype text, source text, min_val text, max_val text, enumvals text[], boot_val text,
			reset_val text, sourcefile text, sourceline integer, pending_restart boolean`)}
	settings.Rows = func(env bound.Env) ([][]types.Datum, error) {
		var vals []SettingValue
		if sl, ok := env.(SettingsLister); ok {
			vals = sl.SettingValues()
		} else {
			for _, d := range settingDefs {
				v, err := env.CurrentSetting(d.name, true)
				if err != nil || v.IsNull() {
					continue
				}
				vals = append(vals, SettingValue{Name: d.name, Setting: v.S})
			}
		}
		defs := map[string]*settingDef{}
		for i := range settingDefs {
			defs[strings.ToLower(settingDefs[i].name)] = &settingDefs[i]
		}
		var rows [][]types.Datum
		for _, sv := range vals {
			d := defs[strings.ToLower(sv.Name)]
			if d == nil {
				d = &settingDef{name: sv.Name, category: "Customized Options", context: "user", vartype: "string", boot: sv.Setting}
			}
			setting := rawSetting(sv.Setting, d.unit)
			boot := d.boot
			if d.context == "internal" {
				boot = setting // fixed by this server, not by PostgreSQL's build
			}
			source := sv.Source
			if source == "" {
				source = "default"
				if setting != boot {
					source = "session"
				}
			}
			var enum types.Datum
			if d.enumvals != "" {
				enum = textArray(strings.Split(d.enumvals, "|"))
			}
			rows = append(rows, []types.Datum{text(d.name), text(setting), textOrNull(d.unit), text(d.category), text(d.short),
				null, text(d.context), text(d.vartype), text(source), textOrNull(d.min), textOrNull(d.max), enum,
				text(boot), text(setting), null, null, boolean(false)})
		}
		return rows, nil
	}
	register(settings)

	activity := &View{Schema: "pg_catalog", Name: "pg_stat_activity", OID: 12222,
		Cols: cols(`datid oid, datname name, pid integer, leader_pid integer, usesysid oid, usename name,
			application_name text, client_addr inet, client_hostname text, client_port integer,
			backend_start timestamp with time zone, xact_start timestamp with time zone,
			query_start timestamp with time zone, state_change timestamp with time zone, wait_event_type text,
			wait_event text, state text, backend_xid xid, backend_xmin xid, query_id bigint, query text,
			backend_type text`)}
	activity.Rows = func(env bound.Env) ([][]types.Datum, error) {
		var acts []Activity
		if al, ok := env.(ActivityLister); ok {
			acts = al.Activity()
		} else {
			a := Activity{DatID: env.DatabaseOID(), DatName: env.CurrentDatabase(), PID: env.BackendPID(),
				UserName: env.CurrentUser(), State: "active", BackendType: "client backend"}
			if r := env.Catalog().RoleByName(a.UserName); r != nil {
				a.UserOID = r.OID
			}
			if v, err := env.CurrentSetting("application_name", true); err == nil && !v.IsNull() {
				a.ApplicationName = v.S
			}
			acts = append(acts, a)
		}
		ts := func(t time.Time) types.Datum {
			if t.IsZero() {
				return null
			}
			return types.NewTimestampTZ(types.TimeToTimestamp(t))
		}
		var rows [][]types.Datum
		for _, a := range acts {
			port := null
			if a.ClientAddr != "" {
				port = i64(int64(a.ClientPort))
			}
			rows = append(rows, []types.Datum{oid(a.DatID), text(a.DatName), i64(int64(a.PID)), null, oid(a.UserOID),
				text(a.UserName), text(a.ApplicationName), textOrNull(a.ClientAddr), null, port, ts(a.BackendStart),
				ts(a.XactStart), ts(a.QueryStart), ts(a.StateChange), null, null, textOrNull(a.State), null, null, null,
				text(a.Query), text(a.BackendType)})
		}
		return rows, nil
	}
	register(activity)
}

// rawSetting is pg_settings.setting: the value in the parameter's base
// unit without the unit ("4MB" of a kB parameter is "4096").
func rawSetting(v, unit string) string {
	if unit == "" {
		return v
	}
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '-' || v[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(v[:i], 64)
	if err != nil {
		return v
	}
	suffix := strings.TrimSpace(v[i:])
	if suffix == "" {
		return v[:i]
	}
	factor := map[string]float64{"B": 1.0 / 1024, "kB": 1, "MB": 1024, "GB": 1024 * 1024, "TB": 1024 * 1024 * 1024,
		"us": 0.001, "ms": 1, "s": 1000, "min": 60000, "h": 3600000, "d": 86400000}
	base := map[string]float64{"kB": 1, "8kB": 8, "MB": 1024, "ms": 1, "s": 1000, "min": 60000}
	f, ok1 := factor[suffix]
	b, ok2 := base[unit]
	if !ok1 || !ok2 {
		return v
	}
	return strconv.FormatInt(int64(n*f/b), 10)
}
