package catalog

import "strings"

// NotifyChangesOption is the table storage option (reloptions entry) that
// makes every committed INSERT/UPDATE/DELETE of the table emit a
// notification on the channel named by the table's schema-qualified name
// (a prkdb extension; see README "Change notifications").
const NotifyChangesOption = "notify_changes"

// NotifyChanges reports whether notify_changes is on for t.
func (t *Table) NotifyChanges() bool {
	v, ok := t.Options[NotifyChangesOption]
	if !ok {
		return false
	}
	b, _ := ParseBoolOption(v)
	return b
}

// ParseBoolOption reads a boolean reloption value as PostgreSQL's
// parse_bool does (true/false, on/off, yes/no, 1/0 and unique prefixes).
func ParseBoolOption(v string) (value, ok bool) {
	s := strings.ToLower(strings.TrimSpace(v))
	switch {
	case s == "":
		return false, false
	case strings.HasPrefix("true", s), strings.HasPrefix("yes", s), s == "on", s == "1":
		return true, true
	case strings.HasPrefix("false", s), strings.HasPrefix("no", s), s == "off", s == "0":
		return false, true
	}
	return false, false
}
