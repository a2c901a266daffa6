package sql

import (
	"context"
	"fmt"
	"math"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// scrollState is a SCROLL cursor's position over the rows read so far
// (kept, since the executor only runs forward): 0 is before the first row,
// n on row n, len+1 after the last once the end was seen. FETCH and MOVE
// move it as PostgreSQL's DoPortalRunFetch does.
type scrollState struct {
	rows [][]types.Datum
	eof  bool
	pos  int64
}

// scrollRow returns row i (1-based), reading ahead as far as needed.
func (s *Session) scrollRow(ctx context.Context, po *portal, i int64) ([]types.Datum, bool, error) {
	st := po.scr
	for int64(len(st.rows)) < i && !st.eof {
		if po.exec == nil {
			ec, cancel, err := s.openPlan(ctx, po.plan, po.params)
			if err != nil {
				return nil, false, err
			}
			cancel() // a cursor outlives the statement: no statement timeout
			po.exec = ec
		}
		po.exec.Eval.Ctx = ctx
		row, err := po.plan.root.Next(po.exec)
		if err != nil {
			s.finishPlan(po.plan, po)
			return nil, false, err
		}
		if row == nil {
			st.eof = true
			s.finishPlan(po.plan, po)
			break
		}
		st.rows = append(st.rows, append([]types.Datum(nil), row...))
	}
	if i < 1 || i > int64(len(st.rows)) {
		return nil, false, nil
	}
	return st.rows[i-1], true, nil
}

// fetchScroll runs FETCH / MOVE on a SCROLL cursor.
func (s *Session) fetchScroll(ctx context.Context, po *portal, f *pg_query.FetchStmt, w ResultWriter) error {
	if po.plan == nil {
		pl, err := s.planFor(ctx, po.stmt)
		if err != nil {
			return err
		}
		po.plan = pl
	}
	if po.scr == nil {
		po.scr = &scrollState{}
	}
	st := po.scr
	verb := "FETCH"
	if f.Ismove {
		verb = "MOVE"
	}
	var n int64
	emit := func(row []types.Datum) error {
		n++
		if f.Ismove {
			return nil
		}
		return w.Row(row)
	}
	// afterEnd puts the cursor past the last row (reading to the end).
	afterEnd := func() error {
		if _, _, err := s.scrollRow(ctx, po, math.MaxInt64); err != nil {
			return err
		}
		st.pos = int64(len(st.rows)) + 1
		return nil
	}
	// jump moves to row i and fetches it, or past either end.
	jump := func(i int64) error {
		if i < 1 {
			st.pos = 0
			return nil
		}
		row, ok, err := s.scrollRow(ctx, po, i)
		if err != nil {
			return err
		}
		if !ok {
			return afterEnd()
		}
		st.pos = i
		return emit(row)
	}
	count := f.HowMany
	var err error
	switch f.Direction {
	case pg_query.FetchDirection_FETCH_FORWARD, pg_query.FetchDirection_FETCH_BACKWARD:
		back := f.Direction == pg_query.FetchDirection_FETCH_BACKWARD
		if count < 0 {
			back, count = !back, -count
		}
		for k := int64(0); k < count && err == nil; k++ {
			if back {
				if st.pos <= 1 {
					st.pos = 0
					break
				}
				st.pos--
				row, _, e := s.scrollRow(ctx, po, st.pos)
				if err = e; err == nil {
					err = emit(row)
				}
				continue
			}
			row, ok, e := s.scrollRow(ctx, po, st.pos+1)
			if err = e; err != nil {
				break
			}
			if !ok {
				st.pos = int64(len(st.rows)) + 1
				break
			}
			st.pos++
			err = emit(row)
		}
	case pg_query.FetchDirection_FETCH_ABSOLUTE:
		switch {
		case count > 0:
			err = jump(count)
		case count == 0:
			st.pos = 0
		default:
			if err = afterEnd(); err == nil {
				err = jump(int64(len(st.rows)) + 1 + count)
			}
		}
	case pg_query.FetchDirection_FETCH_RELATIVE:
		if count == 0 {
			if row, ok, e := s.scrollRow(ctx, po, st.pos); e != nil {
				err = e
			} else if ok {
				err = emit(row)
			}
			break
		}
		err = jump(st.pos + count)
	}
	if err != nil {
		return err
	}
	return w.Complete(fmt.Sprintf("%s %d", verb, n))
}

// holdCursors materializes the transaction's WITH HOLD cursors before it
// commits: their remaining rows are read now, so they stay readable after
// the transaction's snapshot is gone (as PostgreSQL's PersistHoldablePortal).
func (s *Session) holdCursors() error {
	if s.txn == nil || s.txn.failed {
		return nil
	}
	for _, po := range s.portals {
		if !po.hold || po.held {
			continue
		}
		if po.plan == nil {
			pl, err := s.planFor(context.Background(), po.stmt)
			if err != nil {
				return err
			}
			po.plan = pl
		}
		if po.scr == nil {
			po.scr = &scrollState{}
		}
		if _, _, err := s.scrollRow(context.Background(), po, math.MaxInt64); err != nil {
			return err
		}
		po.held = true
	}
	return nil
}
