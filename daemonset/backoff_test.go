package daemonset

import (
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestPropBackoffFindsEveryEntry: whatever order keys start their backoff in, and whatever
// entries came in, every key is found afterwards (so a second failed pod on a node waits), an
// entry that came in grows rather than being added again, and the memory carried on holds each
// key once, sorted.
func TestPropBackoffFindsEveryEntry(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		key := rapid.SampledFrom([]string{"u/1/a", "u/1/b", "u/1/c", "u/1/d", "u/1/e", "u/1/f"})
		var in []BackoffEntry
		for _, k := range rapid.SliceOfDistinct(key, func(k string) string { return k }).Draw(t, "memory") {
			in = append(in, BackoffEntry{Key: k, Delay: 4 * time.Second, LastUpdate: now.Add(-time.Minute)})
		}
		var b backoff
		b.reset(in)
		started := rapid.SliceOfDistinct(key, func(k string) string { return k }).Draw(t, "failed nodes")
		for _, k := range started {
			if _, wait := b.inBackoff(k, now); wait {
				t.Fatalf("%s waits before its delay was stamped now", k)
			}
			b.next(k, now)
			if _, wait := b.inBackoff(k, now); !wait {
				t.Fatalf("%s does not wait right after a failed pod went", k)
			}
		}
		for _, k := range started {
			if e := b.find(k); e == nil || !e.LastUpdate.Equal(now) {
				t.Fatalf("%s: entry %+v, want one stamped now", k, e)
			}
		}
		m := b.memory(now)
		var keys []string
		for _, e := range m.Backoff {
			keys = append(keys, e.Key)
			if slices.ContainsFunc(in, func(x BackoffEntry) bool { return x.Key == e.Key }) &&
				slices.Contains(started, e.Key) && e.Delay != 8*time.Second {
				t.Fatalf("%s came in at 4s and grew to %v, want 8s", e.Key, e.Delay)
			}
		}
		want := slices.Clone(started)
		for _, e := range in {
			want = append(want, e.Key)
		}
		slices.Sort(want)
		want = slices.Compact(want)
		if !slices.Equal(keys, want) {
			t.Fatalf("memory keys %v, want %v (sorted, each once)", keys, want)
		}
	})
}
