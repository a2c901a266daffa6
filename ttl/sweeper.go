package ttl

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"
)

// Table is one table with expiry, as the engine describes it to the
// sweeper. Zero settings mean the sweeper's defaults.
type Table struct {
	OID         uint32
	Name        string // schema-qualified, for the status view and logs
	JobInterval time.Duration
	BatchSize   int
	RateLimit   float64 // rows per second; 0: Options.RateLimit
}

// Batch is what one sweeper transaction did.
type Batch struct {
	// Next is the key the next batch starts from; nil at the table's end.
	Next []byte
	// Deleted rows; Expired rows found expired (including ones skipped
	// because a user transaction held their lock); Scanned rows read.
	Deleted, Expired, Scanned int
	// Oldest is the expiry of the oldest expired row this batch left in
	// place (zero when it left none); OldestFound of the oldest expired
	// row it found (zero when none).
	Oldest, OldestFound time.Time
}

// Target is the engine side: it lists tables with expiry and runs one
// bounded delete transaction.
type Target interface {
	// TTLTables lists every table whose rows can expire.
	TTLTables() []Table
	// SweepBatch deletes, in one committed transaction marked with
	// AttachExpiry, up to limit expired rows of t read from start (nil: the
	// first key). An error means the batch committed nothing (a conflict
	// with a user's write is such an error: the sweeper moves on).
	SweepBatch(ctx context.Context, t Table, start []byte, limit int) (Batch, error)
}

// Options configures a Sweeper. Zero values take the defaults below.
type Options struct {
	// Tick is how often the loop looks for tables due (default 1s).
	Tick time.Duration
	// JobInterval: default time between sweeps of one table
	// (ttl_job_interval; default 1 minute).
	JobInterval time.Duration
	// BatchSize: default rows deleted per transaction
	// (ttl_delete_batch_size; default 500).
	BatchSize int
	// RateLimit: default rows deleted per second (ttl_delete_rate_limit;
	// 0 = unlimited).
	RateLimit float64
	// Now is the clock for schedules and the status view (default
	// time.Now); the engine's clock decides expiry itself.
	Now func() time.Time
	// Sleep waits for the rate limit (default: a timer, ended by ctx).
	Sleep  func(ctx context.Context, d time.Duration) error
	Logger *slog.Logger
}

// Defaults.
const (
	DefaultTick        = time.Second
	DefaultJobInterval = time.Minute
	DefaultBatchSize   = 500
	// maxConflictRetries: a batch that conflicts with users' writes is
	// retried this many times before the table is left for the next round.
	maxConflictRetries = 3
)

// Status is one table's sweeper counters (since the engine started).
type Status struct {
	OID  uint32
	Name string
	// RowsSwept: rows deleted by the sweeper.
	RowsSwept int64
	// RowsExpired: expired rows the sweeper found (a row skipped because
	// it was locked is counted again when it is found again).
	RowsExpired int64
	// Pending: expired rows the last complete sweep left in place.
	Pending int64
	// OldestUnswept: expiry of the oldest row the last sweep left (zero:
	// none). Lag is now minus it: the age of the oldest expired-but-unswept
	// row as of the last sweep.
	OldestUnswept time.Time
	Lag           time.Duration
	// LastSweepLag: how late the last sweep came, the age (at its start)
	// of the oldest expired row it found; zero when it found none.
	LastSweepLag time.Duration
	Sweeps       int64
	Batches      int64
	LastStart    time.Time
	LastEnd      time.Time
	LastError    string
}

// Sweeper runs sweeps in the background (Start) or on demand (SweepOnce).
type Sweeper struct {
	target Target
	opts   Options
	lg     *slog.Logger

	mu     sync.Mutex // guards status and serializes sweeps
	runMu  sync.Mutex
	status map[uint32]*Status

	cancel context.CancelFunc
	done   chan struct{}
}

// New returns a sweeper that does nothing until Start or SweepOnce.
func New(target Target, opts Options) *Sweeper {
	if opts.Tick <= 0 {
		opts.Tick = DefaultTick
	}
	if opts.JobInterval <= 0 {
		opts.JobInterval = DefaultJobInterval
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	lg := opts.Logger
	if lg == nil {
		lg = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Sweeper{target: target, opts: opts, lg: lg, status: map[uint32]*Status{}}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Start runs the background loop until Close.
func (s *Sweeper) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		tk := time.NewTicker(s.opts.Tick)
		defer tk.Stop()
		for {
			s.sweepDue(ctx)
			select {
			case <-ctx.Done():
				return
			case <-tk.C:
			}
		}
	}()
}

// Close stops the loop and waits for the running batch to end.
func (s *Sweeper) Close() {
	if s.cancel != nil {
		s.cancel()
		<-s.done
		s.cancel = nil
	}
}

// sweepDue sweeps the tables whose job interval has passed.
func (s *Sweeper) sweepDue(ctx context.Context) {
	now := s.opts.Now()
	for _, t := range s.target.TTLTables() {
		if ctx.Err() != nil {
			return
		}
		every := t.JobInterval
		if every <= 0 {
			every = s.opts.JobInterval
		}
		s.mu.Lock()
		st := s.status[t.OID]
		due := st == nil || st.LastStart.IsZero() || now.Sub(st.LastStart) >= every
		s.mu.Unlock()
		if due {
			_ = s.sweepTable(ctx, t)
		}
	}
}

// SweepOnce sweeps every table with expiry now, whatever its schedule, and
// returns the first error (tests drive the sweeper with it).
func (s *Sweeper) SweepOnce(ctx context.Context) error {
	var first error
	for _, t := range s.target.TTLTables() {
		if err := s.sweepTable(ctx, t); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// sweepTable runs batches over t from its first key to its end.
func (s *Sweeper) sweepTable(ctx context.Context, t Table) error {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	batch := t.BatchSize
	if batch <= 0 {
		batch = s.opts.BatchSize
	}
	rate := t.RateLimit
	if rate <= 0 {
		rate = s.opts.RateLimit
	}
	s.mu.Lock()
	st := s.statusLocked(t)
	st.LastStart = s.opts.Now()
	s.mu.Unlock()

	var start []byte
	var pending int64
	var oldest, found time.Time
	var err error
	for retries := 0; ; {
		if err = ctx.Err(); err != nil {
			break
		}
		var b Batch
		b, err = s.target.SweepBatch(ctx, t, start, batch)
		if err != nil {
			if retries < maxConflictRetries && ctx.Err() == nil {
				retries++
				continue // a conflict with a user's write: read again
			}
			break
		}
		retries = 0
		s.mu.Lock()
		st.Batches++
		st.RowsSwept += int64(b.Deleted)
		st.RowsExpired += int64(b.Expired)
		s.mu.Unlock()
		if !b.OldestFound.IsZero() && (found.IsZero() || b.OldestFound.Before(found)) {
			found = b.OldestFound
		}
		if left := int64(b.Expired - b.Deleted); left > 0 {
			pending += left
			if oldest.IsZero() || (!b.Oldest.IsZero() && b.Oldest.Before(oldest)) {
				oldest = b.Oldest
			}
		}
		if b.Next == nil {
			break
		}
		start = b.Next
		if rate > 0 && b.Deleted > 0 {
			// The rate limit is kept between transactions, never inside
			// one: no lock is held while waiting.
			if err = s.opts.Sleep(ctx, time.Duration(float64(b.Deleted)/rate*float64(time.Second))); err != nil {
				break
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st.LastEnd = s.opts.Now()
	if err != nil {
		st.LastError = err.Error()
		if !errors.Is(err, context.Canceled) {
			s.lg.Warn("ttl sweep failed", "table", t.Name, "err", err)
		}
		return err
	}
	st.LastError = ""
	st.Sweeps++
	st.Pending, st.OldestUnswept = pending, oldest
	st.LastSweepLag = 0
	if !found.IsZero() && st.LastStart.After(found) {
		st.LastSweepLag = st.LastStart.Sub(found)
	}
	return nil
}

func (s *Sweeper) statusLocked(t Table) *Status {
	st := s.status[t.OID]
	if st == nil {
		st = &Status{OID: t.OID}
		s.status[t.OID] = st
	}
	st.Name = t.Name
	return st
}

// Status returns the counters of every table with expiry (tables never
// swept yet have zero counters), ordered by OID.
func (s *Sweeper) Status() []Status {
	tables := s.target.TTLTables()
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, 0, len(tables))
	for _, t := range tables {
		st := Status{OID: t.OID, Name: t.Name}
		if p := s.status[t.OID]; p != nil {
			st = *p
			st.Name = t.Name
		}
		if !st.OldestUnswept.IsZero() {
			st.Lag = now.Sub(st.OldestUnswept)
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out
}
