package rollout

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Revision is what the history logic reads from one ControllerRevision owned by a DaemonSet.
type Revision struct {
	// Name is metadata.name, normally "<daemonset>-<hash>".
	Name string
	// Revision is the revision number.
	Revision int64
	// Hash is the controller-revision-hash label, "" when the label is missing.
	Hash string
	// Data is the stored patch that replaces spec.template.
	Data []byte
}

// LabelHash is the hash pods of this revision carry: the hash label, or, when the revision has
// none, its name (the controller labels such a revision with its name before using it).
func (r Revision) LabelHash() string {
	if r.Hash == "" {
		return r.Name
	}
	return r.Hash
}

// CurrentRevision splits revs by their data: those whose Data equals patch byte for byte are
// current, the others are old (input order kept). When several are current, cur is the one with
// the highest revision number (on a tie, the later in revs) and dups are the others, in input
// order, which the controller deletes after relabelling their pods. cur is nil when none matches:
// the controller then creates one numbered NextRevisionNumber(old). When cur.Revision is below
// NextRevisionNumber(old), the controller raises it to that number. revs is not modified.
func CurrentRevision(revs []Revision, patch []byte) (cur *Revision, old []Revision, dups []Revision) {
	keep := -1
	for i := range revs {
		if !bytes.Equal(revs[i].Data, patch) {
			old = append(old, revs[i])
			continue
		}
		if keep < 0 || revs[i].Revision >= revs[keep].Revision {
			keep = i
		}
	}
	if keep < 0 {
		return nil, old, nil
	}
	for i := range revs {
		if i != keep && bytes.Equal(revs[i].Data, patch) {
			dups = append(dups, revs[i])
		}
	}
	c := revs[keep]
	return &c, old, dups
}

// NextRevisionNumber is the number the current revision should carry: one more than the highest
// old revision number, or 1 when there is no old revision (numbers below 1 count as 0).
func NextRevisionNumber(old []Revision) int64 {
	var highest int64
	for _, r := range old {
		highest = max(highest, r.Revision)
	}
	return highest + 1
}

// RevisionsToDelete is the history cleanup: when there are more old revisions than limit
// (revisionHistoryLimit), it returns len(old)-limit of them to delete, oldest first (ascending
// revision number, ties in input order), skipping every revision whose hash label is in live (the
// hash labels of the DaemonSet's pods, deleting and terminal ones included). Revisions still used
// by pods are kept even beyond the limit, so fewer may be returned. old is not modified.
func RevisionsToDelete(old []Revision, limit int32, live map[string]bool) []Revision {
	toKill := len(old) - int(limit)
	if toKill <= 0 {
		return nil
	}
	sorted := slices.Clone(old)
	slices.SortStableFunc(sorted, func(a, b Revision) int { return cmp.Compare(a.Revision, b.Revision) })
	var out []Revision
	for _, r := range sorted {
		if len(out) == toKill {
			break
		}
		if r.Hash != "" && live[r.Hash] {
			continue
		}
		out = append(out, r)
	}
	return out
}

// ErrNoPreviousRevision is returned by Rollback when there is no revision to go back to.
var ErrNoPreviousRevision = errors.New("no last revision to roll back to")

// Rollback picks the revision that "kubectl rollout undo" applies: the one numbered toRevision
// (the first in revs with that number), or, when toRevision is 0, the previous one: the second
// from the top when revs are sorted by revision number, ties kept in input order. A negative
// toRevision, a number not in revs, or fewer than two revisions for toRevision 0
// (ErrNoPreviousRevision) is an error. Applying its Data replaces spec.template; the controller
// then finds that revision current again and reuses its hash, so pods still carrying it count as
// updated.
func Rollback(revs []Revision, toRevision int64) (Revision, error) {
	switch {
	case toRevision < 0:
		return Revision{}, fmt.Errorf("invalid revision %d: must be 0 (the previous one) or positive", toRevision)
	case toRevision > 0:
		for _, r := range revs {
			if r.Revision == toRevision {
				return r, nil
			}
		}
		return Revision{}, fmt.Errorf("unable to find specified revision %d in history", toRevision)
	}
	if len(revs) < 2 {
		return Revision{}, ErrNoPreviousRevision
	}
	sorted := slices.Clone(revs)
	slices.SortStableFunc(sorted, func(a, b Revision) int { return cmp.Compare(a.Revision, b.Revision) })
	return sorted[len(sorted)-2], nil
}
