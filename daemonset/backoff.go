package daemonset

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// The failed-pod backoff of kube-controller-manager: the first failed pod on a node is deleted at
// once, and each further one waits twice as long as the last, up to BackoffMax. An entry that has
// not grown for twice BackoffMax is forgotten, which resets the delay.
const (
	BackoffInitial = time.Second
	BackoffMax     = 15 * time.Minute
)

// BackoffKey is the memory key of the failed-pod backoff of one node for the DaemonSet: it holds
// status.observedGeneration, so a spec change starts a fresh backoff.
func BackoffKey(ds *DaemonSet, node string) string { return backoffPrefix(ds) + node }

// backoffPrefix is the part of BackoffKey shared by every node, "<dsUID>/<observedGeneration>/",
// which Plan builds once per call.
func backoffPrefix(ds *DaemonSet) string {
	return ds.UID + "/" + strconv.FormatInt(ds.Status.ObservedGeneration, 10) + "/"
}

func backoffExpired(e *BackoffEntry, now time.Time) bool {
	return now.Sub(e.LastUpdate) > 2*BackoffMax
}

// backoff is the Planner's working copy of the memory: the input entries and the ones created
// during this sync, each sorted by key. manage creates entries in ascending node name, and so in
// ascending key, which keeps added sorted by appending; a lookup is a binary search in both, so a
// crash wave over many nodes costs O(n log n), not O(n²).
type backoff struct {
	entries []BackoffEntry
	added   []BackoffEntry
}

func (b *backoff) reset(in []BackoffEntry) {
	b.entries = append(b.entries[:0], in...)
	b.added = b.added[:0]
	if !slices.IsSortedFunc(b.entries, cmpEntry) {
		slices.SortStableFunc(b.entries, cmpEntry)
	}
	// Duplicate keys (not something a caller should hand in): keep the first of each.
	b.entries = slices.CompactFunc(b.entries, func(x, y BackoffEntry) bool { return x.Key == y.Key })
}

func cmpEntry(a, b BackoffEntry) int { return strings.Compare(a.Key, b.Key) }

func cmpEntryKey(e BackoffEntry, key string) int { return strings.Compare(e.Key, key) }

func (b *backoff) find(key string) *BackoffEntry {
	if i, ok := slices.BinarySearchFunc(b.entries, key, cmpEntryKey); ok {
		return &b.entries[i]
	}
	if i, ok := slices.BinarySearchFunc(b.added, key, cmpEntryKey); ok {
		return &b.added[i]
	}
	return nil
}

// inBackoff reports whether a failed pod under key must wait, and the current delay.
func (b *backoff) inBackoff(key string, now time.Time) (time.Duration, bool) {
	e := b.find(key)
	if e == nil || backoffExpired(e, now) {
		return 0, false
	}
	return e.Delay, now.Sub(e.LastUpdate) < e.Delay
}

// next grows the delay under key (or starts it) and stamps now.
func (b *backoff) next(key string, now time.Time) {
	e := b.find(key)
	if e == nil {
		i, _ := slices.BinarySearchFunc(b.added, key, cmpEntryKey)
		b.added = slices.Insert(b.added, i, BackoffEntry{Key: key, Delay: BackoffInitial, LastUpdate: now})
		return
	}
	if backoffExpired(e, now) {
		e.Delay = BackoffInitial
	} else {
		e.Delay = min(2*e.Delay, BackoffMax)
	}
	e.LastUpdate = now
}

// memory returns the entries to carry on: the live ones, sorted by key, in a new slice (nil when
// there is none), so that the result never aliases the Planner's buffers or the input.
func (b *backoff) memory(now time.Time) Memory {
	n := 0
	for i := range b.entries {
		if !backoffExpired(&b.entries[i], now) {
			n++
		}
	}
	n += len(b.added)
	if n == 0 {
		return Memory{}
	}
	out := make([]BackoffEntry, 0, n)
	for i := range b.entries {
		if !backoffExpired(&b.entries[i], now) {
			out = append(out, b.entries[i])
		}
	}
	out = append(out, b.added...)
	slices.SortFunc(out, cmpEntry)
	return Memory{Backoff: out}
}
