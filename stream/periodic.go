package stream

import (
	"sync"
	"time"
)

// periodic runs a check in the background at a fixed interval until
// stopped (slot limits, subscription retention).
type periodic struct {
	done chan struct{}
	wg   sync.WaitGroup
}

func (p *periodic) start(every time.Duration, check func()) {
	p.done = make(chan struct{})
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				check()
			}
		}
	}()
}

// stop ends the loop and waits for a check in progress; it may be called
// more than once.
func (p *periodic) stop() {
	if p.done == nil {
		return // never started
	}
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	p.wg.Wait()
}
