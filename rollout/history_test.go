package rollout

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func rev(name string, n int64, hash, data string) Revision {
	return Revision{Name: name, Revision: n, Hash: hash, Data: []byte(data)}
}

func names(revs []Revision) []string {
	out := []string{}
	for _, r := range revs {
		out = append(out, r.Name)
	}
	return out
}

func TestCurrentRevision(t *testing.T) {
	revs := []Revision{rev("ds-a", 1, "a", "A"), rev("ds-b", 2, "b", "B"), rev("ds-c", 3, "c", "C")}
	cur, old, dups := CurrentRevision(revs, []byte("B"))
	require.NotNil(t, cur)
	assert.Equal(t, "ds-b", cur.Name)
	assert.Equal(t, []string{"ds-a", "ds-c"}, names(old))
	assert.Empty(t, dups)
	assert.Equal(t, int64(4), NextRevisionNumber(old), "the controller raises ds-b to 4")

	cur, old, _ = CurrentRevision(revs, []byte("D"))
	assert.Nil(t, cur)
	assert.Len(t, old, 3)
	assert.Equal(t, int64(4), NextRevisionNumber(old))

	// Data must be byte-equal: a trailing newline is another template.
	cur, _, _ = CurrentRevision(revs, []byte("B\n"))
	assert.Nil(t, cur)

	// Duplicates: the highest number wins, on a tie the later in the list.
	revs = []Revision{rev("x1", 2, "h1", "T"), rev("o", 7, "o", "O"), rev("x2", 5, "h2", "T"), rev("x3", 5, "h3", "T")}
	cur, old, dups = CurrentRevision(revs, []byte("T"))
	require.NotNil(t, cur)
	assert.Equal(t, "x3", cur.Name)
	assert.Equal(t, []string{"o"}, names(old))
	assert.Equal(t, []string{"x1", "x2"}, names(dups))

	// cur is a copy: changing it leaves the input alone.
	cur.Revision = 99
	assert.Equal(t, int64(5), revs[3].Revision)
}

func TestNextRevisionNumber(t *testing.T) {
	assert.Equal(t, int64(1), NextRevisionNumber(nil))
	assert.Equal(t, int64(1), NextRevisionNumber([]Revision{rev("a", -3, "", "")}))
	assert.Equal(t, int64(10), NextRevisionNumber([]Revision{rev("a", 9, "", ""), rev("b", 2, "", "")}))
}

func TestLabelHash(t *testing.T) {
	assert.Equal(t, "abc", rev("ds-abc", 1, "abc", "").LabelHash())
	assert.Equal(t, "ds-old", rev("ds-old", 1, "", "").LabelHash())
}

// TestRevisionsToDelete holds section 5.4: oldest first, live hashes kept even beyond the limit.
func TestRevisionsToDelete(t *testing.T) {
	old := []Revision{rev("r5", 5, "h5", ""), rev("r1", 1, "h1", ""), rev("r3", 3, "h3", ""), rev("r2", 2, "h2", ""), rev("r4", 4, "", "")}
	cases := []struct {
		name  string
		limit int32
		live  map[string]bool
		want  []string
	}{
		{"within the limit", 5, nil, []string{}},
		{"limit 10", 10, nil, []string{}},
		{"two over", 3, nil, []string{"r1", "r2"}},
		{"live hashes are skipped", 3, map[string]bool{"h1": true}, []string{"r2", "r3"}},
		{"all kept by live pods: fewer deleted", 3, map[string]bool{"h1": true, "h2": true, "h3": true, "h5": true}, []string{"r4"}},
		{"an empty hash is never live", 4, map[string]bool{"": true, "h1": true, "h2": true, "h3": true}, []string{"r4"}},
		{"limit 0 deletes every old one not live", 0, map[string]bool{"h3": true}, []string{"r1", "r2", "r4", "r5"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, names(RevisionsToDelete(old, c.limit, c.live)))
		})
	}
	assert.Equal(t, "r5", old[0].Name, "the input is not reordered")
}

func TestRollback(t *testing.T) {
	revs := []Revision{rev("r3", 3, "h3", "C"), rev("r1", 1, "h1", "A"), rev("r2", 2, "h2", "B")}
	r, err := Rollback(revs, 0)
	require.NoError(t, err)
	assert.Equal(t, "r2", r.Name, "default: the previous revision")

	r, err = Rollback(revs, 1)
	require.NoError(t, err)
	assert.Equal(t, "r1", r.Name)

	_, err = Rollback(revs, 7)
	assert.EqualError(t, err, "unable to find specified revision 7 in history")
	_, err = Rollback(revs, -1)
	assert.EqualError(t, err, "invalid revision -1: must be 0 (the previous one) or positive")
	_, err = Rollback(revs[:1], 0)
	assert.ErrorIs(t, err, ErrNoPreviousRevision)
	_, err = Rollback(nil, 0)
	assert.ErrorIs(t, err, ErrNoPreviousRevision)
	assert.Equal(t, "r3", revs[0].Name, "the input is not reordered")
}

// TestPropRevisionsToDelete: the cleanup never deletes a live revision, deletes at most
// len(old)-limit, and every kept non-live revision is newer than every deleted one.
func TestPropRevisionsToDelete(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 15).Draw(t, "n")
		var old []Revision
		live := map[string]bool{}
		for i := range n {
			h := "h" + string(rune('a'+i))
			old = append(old, Revision{Name: "r-" + h, Revision: int64(rapid.IntRange(1, 20).Draw(t, "rev")), Hash: h})
			if rapid.IntRange(0, 3).Draw(t, "live") == 0 {
				live[h] = true
			}
		}
		limit := int32(rapid.IntRange(0, 12).Draw(t, "limit"))
		del := RevisionsToDelete(old, limit, live)
		if len(del) > max(0, n-int(limit)) {
			t.Fatalf("deleted %d of %d with limit %d", len(del), n, limit)
		}
		gone := map[string]bool{}
		var newestDeleted int64
		for _, r := range del {
			if live[r.Hash] {
				t.Fatalf("deleted live %v", r)
			}
			gone[r.Name] = true
			newestDeleted = max(newestDeleted, r.Revision)
		}
		notLive := 0
		for _, r := range old {
			if !live[r.Hash] {
				notLive++
			}
		}
		if want := min(max(0, n-int(limit)), notLive); len(del) != want {
			t.Fatalf("deleted %d, want %d", len(del), want)
		}
		for _, r := range old {
			if !gone[r.Name] && !live[r.Hash] && len(del) > 0 && r.Revision < newestDeleted {
				t.Fatalf("kept %v but deleted a newer one", r)
			}
		}
	})
}
