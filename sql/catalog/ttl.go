package catalog

import (
	"strconv"
	"strings"
	"time"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// Row expiry (TTL) storage options. They live in Table.Options like any
// reloption, so pg_class.reloptions and psql's \d+ show them as written;
// sql/ttl.go validates them, executor/ttl.go applies them to reads, and
// package ttl sweeps expired rows. See ARCHITECTURE.md "Row expiry (ttl/)".
const (
	// TTLExpireAfterOption: an interval; a row expires that long after it
	// was last written (inserted or updated).
	TTLExpireAfterOption = "ttl_expire_after"
	// TTLExpirationExpressionOption names a timestamptz column whose value
	// is the row's expiry (NULL: never).
	TTLExpirationExpressionOption = "ttl_expiration_expression"
	// TTLJobIntervalOption: how often the sweeper visits the table (an
	// interval; default sql.Config's).
	TTLJobIntervalOption = "ttl_job_interval"
	// TTLDeleteBatchSizeOption: rows deleted per sweeper transaction.
	TTLDeleteBatchSizeOption = "ttl_delete_batch_size"
	// TTLDeleteRateLimitOption: rows deleted per second at most (0: no limit).
	TTLDeleteRateLimitOption = "ttl_delete_rate_limit"
	// TTLDisableChangefeedOption: the sweeper's deletes are marked so that
	// change streams (logical replication, notify_changes) skip them.
	TTLDisableChangefeedOption = "ttl_disable_changefeed_replication"
)

// TTL is a table's parsed expiry settings.
type TTL struct {
	// ExpireAfter is set when HasExpireAfter: rows expire this long after
	// their last write (the write time is stored with the row:
	// Table.RowWriteTime).
	ExpireAfter    types.IntervalValue
	HasExpireAfter bool
	// ExpirationColumn is the storage position of the
	// ttl_expiration_expression column, -1 when there is none (or it no
	// longer exists).
	ExpirationColumn int
	// Sweeper settings; zero values mean "the engine's default".
	JobInterval       time.Duration
	DeleteBatchSize   int
	DeleteRateLimit   float64
	DisableChangefeed bool
}

// TTL returns the table's expiry settings, nil when rows of t never
// expire. Option values were validated when they were set.
func (t *Table) TTL() *TTL {
	if len(t.Options) == 0 || t.Kind != RelTable {
		return nil
	}
	out := &TTL{ExpirationColumn: -1}
	if v, ok := t.Options[TTLExpireAfterOption]; ok {
		if iv, err := ParseTTLInterval(v); err == nil {
			out.ExpireAfter, out.HasExpireAfter = iv, true
		}
	}
	if v, ok := t.Options[TTLExpirationExpressionOption]; ok {
		if i, c := t.ColumnByName(TTLColumnName(v)); c != nil && c.Type.OID == types.TimestamptzOID {
			out.ExpirationColumn = i
		}
	}
	if !out.HasExpireAfter && out.ExpirationColumn < 0 {
		return nil
	}
	if v, ok := t.Options[TTLJobIntervalOption]; ok {
		if iv, err := ParseTTLInterval(v); err == nil {
			out.JobInterval = IntervalDuration(iv)
		}
	}
	if v, ok := t.Options[TTLDeleteBatchSizeOption]; ok {
		out.DeleteBatchSize, _ = strconv.Atoi(strings.TrimSpace(v))
	}
	if v, ok := t.Options[TTLDeleteRateLimitOption]; ok {
		out.DeleteRateLimit, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
	}
	if v, ok := t.Options[TTLDisableChangefeedOption]; ok {
		out.DisableChangefeed, _ = ParseBoolOption(v)
	}
	return out
}

// TTLColumnName is the column a ttl_expiration_expression value names:
// a bare identifier, optionally double-quoted (the expression is limited
// to a column reference).
func TTLColumnName(v string) string {
	s := strings.TrimSpace(v)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return strings.ToLower(s)
}

// ParseTTLInterval parses an interval option value ('1 hour', '30m',
// 'PT1H'): PostgreSQL's interval input.
func ParseTTLInterval(v string) (types.IntervalValue, error) {
	d, err := types.ParseText(types.Interval, v, types.DefaultSettings())
	if err != nil {
		return types.IntervalValue{}, err
	}
	return d.Interval(), nil
}

// IntervalDuration converts an interval to a duration with days of 24
// hours and months of 30 days (PostgreSQL's interval comparison rule).
func IntervalDuration(iv types.IntervalValue) time.Duration {
	us := iv.Micros + int64(iv.Days)*86_400_000_000 + int64(iv.Months)*30*86_400_000_000
	return time.Duration(us) * time.Microsecond
}
