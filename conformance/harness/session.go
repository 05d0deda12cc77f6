package harness

import (
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Session runs a sequence of syncs on an evolving cluster, the way upstream's unit tests drive
// one controller through several syncs: after each sync the informers are taken to have caught
// up, so the pods it created are in the cluster, the pods it deleted are gone, the status it
// wrote is the DaemonSet's and the revisions it made are stored. The failed-pod backoff carries
// over from sync to sync. Tests change the cluster between syncs through Cluster (mark pods
// ready, change the template, ...).
type Session struct {
	Cluster Cluster
	Observe Observe
	Backoff *Backoff
}

// NewSession starts a session on c (normalized) with an empty backoff.
func NewSession(c Cluster, observe Observe, now time.Time) *Session {
	return &Session{Cluster: Normalize(c), Observe: observe, Backoff: NewBackoff(now)}
}

// Sync runs one sync at now and applies its outcome to the cluster.
func (s *Session) Sync(now time.Time) (Outcome, error) {
	out, err := Sync(s.Cluster, Options{Now: now, Observe: s.Observe, Backoff: s.Backoff})
	if err != nil {
		return out, err
	}
	c := Normalize(s.Cluster)
	c.Pods = slices.DeleteFunc(c.Pods, func(p *corev1.Pod) bool { return slices.Contains(out.Deletes, p.Name) })
	for _, p := range out.CreatedPods {
		c.Pods = append(c.Pods, p.DeepCopy())
	}
	if out.StatusWritten {
		c.DaemonSet.Status = *out.Status.DeepCopy()
	}
	for _, r := range out.CreatedRevisions {
		c.Revisions = append(c.Revisions, r.DeepCopy())
	}
	s.Cluster = c
	return out, nil
}
