package simulate

import (
	"container/heap"
	"time"
)

// eventKind names what an internal event does when it fires.
type eventKind uint8

const (
	evScript        eventKind = iota + 1 // a scripted scenario event (index in script)
	evRate                               // a rate-drawn event (index in rates)
	evSync                               // a controller sync
	evCallDone                           // an API call completes (create or delete)
	evBatchDone                          // a slow-start batch of creates is over
	evPodScheduled                       // the scheduler binds a pod
	evPodPulled                          // the image is pulled, the container starts
	evPodReady                           // the readiness probe passes
	evPodCrash                           // the container crashes (crash-looping)
	evPodFlapDown                        // readiness flaps to false
	evPodFlapUp                          // readiness comes back
	evPodGone                            // graceful termination is over: the pod is removed
	evNodeJoinReady                      // a joined node loses its not-ready taint
	evPodGC                              // pod GC removes pods bound to a vanished node
	evObserve                            // the informer delivers a change to the controller
	evAvailable                          // a pod becomes available (minReadySeconds passed)
	evEnd                                // the scenario's time limit
	evUndo                               // a fault's For has passed: undo it
)

// event is one entry of the queue. Only the fields its kind needs are set.
type event struct {
	at   time.Time
	seq  uint64
	kind eventKind
	pod  *simPod
	// gen is the pod's generation when the event was scheduled; an event whose pod has moved
	// on (deleted, restarted) is stale and ignored.
	gen  uint32
	node *simNode
	idx  int
	call *apiCall
	// ev is the event to undo (evUndo) or to deliver (evObserve).
	ev   *Event
	snap *snapshot
}

// eventQueue is a min-heap by (time, sequence number): two events at the same virtual time fire
// in the order they were scheduled, so a run never depends on heap internals.
type eventQueue []*event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(*event)) }
func (q *eventQueue) Pop() any {
	old := *q
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	*q = old[:n-1]
	return e
}

// schedule adds e to the queue at time at, stamping it with the next sequence number.
func (s *sim) schedule(at time.Time, e *event) {
	if at.Before(s.now) {
		at = s.now
	}
	e.at = at
	s.seq++
	e.seq = s.seq
	heap.Push(&s.queue, e)
}

// next removes and returns the earliest event, or nil when the queue is empty.
func (s *sim) next() *event {
	if len(s.queue) == 0 {
		return nil
	}
	return heap.Pop(&s.queue).(*event)
}
