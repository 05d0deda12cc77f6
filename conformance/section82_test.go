package conformance_test

import (
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/daemonkit/daemonkit/conformance/harness"
	"github.com/daemonkit/daemonkit/daemonset"
)

// sequence drives one upstream controller through a scenario of upstream's update_test.go in its
// unit-test mode (ObserveImmediate), and at every sync checks upstream's counts against the ones
// its test expects and daemonset.Plan against upstream on the same state.
type sequence struct {
	t       *testing.T
	session *harness.Session
	now     time.Time
	step    int
}

func newSequence(t *testing.T, c harness.Cluster) *sequence {
	return &sequence{t: t, session: harness.NewSession(c, harness.ObserveImmediate, planNow), now: planNow}
}

// sync runs one sync and expects (creates, deletes). The clock then moves on one second, so
// that pods created by different syncs have different creation times, as in a real cluster
// (upstream's order of pods breaks ties by name, and names here are not random).
func (s *sequence) sync(creates, deletes int) {
	s.t.Helper()
	defer func() { s.now = s.now.Add(time.Second) }()
	s.step++
	c := s.session.Cluster
	hash := currentHash(c.DaemonSet)
	in := planInput(s.t, c, hash)
	in.Now = s.now
	res, err := daemonset.Plan(in, daemonset.Options{Observe: daemonset.ObserveImmediate})
	dk := fromDaemonkit(res, err, in.DaemonSet.Status)
	opt := harness.Options{Now: s.now, Observe: harness.ObserveImmediate}
	if v, runs, _ := judge(s.t, c, opt, dk); v == disagree {
		s.t.Errorf("sync %d: daemonkit disagrees with upstream: %s", s.step, dk.diff(runs[0]))
	}
	up, err := s.session.Sync(s.now)
	if err != nil {
		s.t.Fatal(err)
	}
	if up.Err != nil {
		s.t.Errorf("sync %d: upstream failed: %v", s.step, up.Err)
	}
	if up.Hash != hash {
		s.t.Errorf("sync %d: hash daemonkit %s, upstream %s", s.step, hash, up.Hash)
	}
	if len(up.Creates) != creates || len(up.Deletes) != deletes {
		s.t.Errorf("sync %d: upstream (%d, %d), its test expects (%d, %d)", s.step, len(up.Creates), len(up.Deletes), creates, deletes)
	}
}

// ready marks every pod Ready since now.
func (s *sequence) ready() { s.markReady(func(*corev1.Pod) bool { return true }) }

func (s *sequence) markReady(which func(*corev1.Pod) bool) {
	for _, p := range s.session.Cluster.Pods {
		if which(p) {
			setReady(p, corev1.ConditionTrue, s.now)
		}
	}
}

func setReady(p *corev1.Pod, status corev1.ConditionStatus, at time.Time) {
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: status, LastTransitionTime: metav1.Time{Time: at}}}
}

// update changes the template's image and the strategy, as the tests do between phases.
func (s *sequence) update(image string, strategy appsv1.DaemonSetUpdateStrategy) {
	ds := s.session.Cluster.DaemonSet
	ds.Spec.Template.Spec.Containers[0].Image = image
	ds.Spec.UpdateStrategy = strategy
}

func rollingUpdate(maxUnavailable, maxSurge int) appsv1.DaemonSetUpdateStrategy {
	ru := &appsv1.RollingUpdateDaemonSet{MaxUnavailable: ptr(intstr.FromInt32(int32(maxUnavailable)))}
	if maxSurge > 0 {
		ru.MaxSurge = ptr(intstr.FromInt32(int32(maxSurge)))
	}
	return appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType, RollingUpdate: ru}
}

// startOnDelete is the common opening: n nodes, an OnDelete DaemonSet, a first sync creating
// every pod, and (when ready) every pod marked ready.
func startOnDelete(t *testing.T, n int, ready bool) *sequence {
	s := newSequence(t, harness.Cluster{DaemonSet: fooDS(strategies[0].strategy), Nodes: nodes(0, n, nil)})
	s.sync(n, 0)
	if ready {
		s.ready()
	}
	return s
}

// cd is one expected (creates, deletes) pair; a zero-width marker "ready" marks all pods ready.
type cd struct{ c, d int }

var markReady = cd{-1, -1}

func (s *sequence) run(steps ...cd) {
	s.t.Helper()
	for _, st := range steps {
		if st == markReady {
			s.ready()
			continue
		}
		s.sync(st.c, st.d)
	}
}

// TestSection82UpstreamSequences reproduces the rolling-update sequences of upstream's
// update_test.go (section 8.2 of the semantics) through the harness.
func TestSection82UpstreamSequences(t *testing.T) {
	t.Run("TestDaemonSetUpdatesPods", func(t *testing.T) {
		s := startOnDelete(t, 5, true)
		s.update("foo2/bar2", rollingUpdate(2, 0))
		s.run(cd{0, 2}, cd{2, 0}, markReady, cd{0, 2}, cd{2, 0}, markReady, cd{0, 1}, cd{1, 0}, markReady, cd{0, 0})
	})
	t.Run("TestDaemonSetUpdatesPodsWithMaxSurge", func(t *testing.T) {
		s := startOnDelete(t, 5, true)
		s.update("foo2/bar2", rollingUpdate(0, 2))
		s.run(cd{2, 0}, cd{0, 0}, markReady, cd{2, 2}, cd{0, 0}, markReady, cd{1, 2}, cd{0, 0}, markReady, cd{0, 1}, cd{0, 0})
	})
	t.Run("TestDaemonSetUpdatesPodsNotMatchTainstWithMaxSurge", func(t *testing.T) {
		ds := fooDS(strategies[0].strategy)
		ds.Spec.Template.Spec.Tolerations = []corev1.Toleration{{Key: "node-role.kubernetes.io/control-plane", Operator: corev1.TolerationOpExists}}
		ns := nodes(0, 5, nil)
		ns[0].Spec.Taints = []corev1.Taint{{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule}}
		s := newSequence(t, harness.Cluster{DaemonSet: ds, Nodes: ns})
		s.sync(5, 0)
		s.ready()
		s.session.Cluster.DaemonSet.Spec.Template.Spec.Tolerations = nil
		s.update("foo2/bar2", rollingUpdate(0, 1))
		s.run(cd{1, 1}, cd{0, 0}, markReady, cd{1, 1}, cd{0, 0}, markReady, cd{1, 1}, cd{0, 0}, markReady,
			cd{1, 1}, cd{0, 0}, markReady, cd{0, 1}, cd{0, 0})
	})
	t.Run("TestDaemonSetUpdatesWhenNewPodIsNotReady", func(t *testing.T) {
		s := startOnDelete(t, 5, true)
		s.update("foo2/bar2", rollingUpdate(3, 0))
		s.run(cd{0, 3}, cd{3, 0}, cd{0, 0})
	})
	t.Run("TestDaemonSetUpdatesSomeOldPodsNotReady", func(t *testing.T) {
		s := startOnDelete(t, 5, true)
		s.update("foo2/bar2", rollingUpdate(2, 0))
		s.run(cd{0, 2}, cd{2, 0}, cd{0, 0})
		s.update("foo2/bar3", rollingUpdate(2, 0))
		s.run(cd{0, 2}, cd{2, 0}, cd{0, 0})
		ready := 0
		for _, p := range s.session.Cluster.Pods {
			if c := p.Status.Conditions; len(c) > 0 && c[0].Status == corev1.ConditionTrue {
				ready++
			}
		}
		if ready != 3 {
			t.Errorf("%d ready pods remain, upstream's test expects 3", ready)
		}
	})
	t.Run("TestDaemonSetUpdatesAllOldPodsNotReady", func(t *testing.T) {
		s := startOnDelete(t, 5, false)
		s.update("foo2/bar2", rollingUpdate(3, 0))
		s.run(cd{0, 5}, cd{5, 0}, cd{0, 0})
	})
	t.Run("TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge", func(t *testing.T) {
		s := startOnDelete(t, 5, false)
		s.update("foo2/bar2", rollingUpdate(0, 3))
		s.now = planNow.Add(100 * time.Second)
		s.sync(5, 0)
		s.now = planNow.Add(200 * time.Second)
		s.sync(0, 5)
		s.ready()
		s.session.Cluster.DaemonSet.Spec.MinReadySeconds = 15
		s.update("foo2/bar3", rollingUpdate(0, 3))
		s.now = planNow.Add(300 * time.Second)
		s.sync(3, 0)
		// Two of the new pods become ready at 300; one old pod on a node without a new pod turns
		// unready.
		newHash := currentHash(s.session.Cluster.DaemonSet)
		newReady, withNew := 0, map[string]bool{}
		for _, p := range s.session.Cluster.Pods {
			if p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] == newHash {
				withNew[harness.TargetNode(p)] = true
				if newReady < 2 {
					setReady(p, corev1.ConditionTrue, s.now)
					newReady++
				}
			}
		}
		for _, p := range s.session.Cluster.Pods {
			if !withNew[harness.TargetNode(p)] {
				setReady(p, corev1.ConditionFalse, s.now)
				break
			}
		}
		s.now = planNow.Add(310 * time.Second)
		s.sync(1, 0)
		s.now = planNow.Add(320 * time.Second)
		s.sync(1, 3)
		s.markReady(func(p *corev1.Pod) bool {
			c := p.Status.Conditions
			return p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] == newHash && (len(c) == 0 || c[0].Status != corev1.ConditionTrue)
		})
		s.now = planNow.Add(340 * time.Second)
		s.sync(0, 2)
		s.now = planNow.Add(350 * time.Second)
		s.sync(0, 0)
	})
	t.Run("TestDaemonSetUpdatesNoTemplateChanged", func(t *testing.T) {
		s := startOnDelete(t, 5, true)
		s.session.Cluster.DaemonSet.Spec.UpdateStrategy = rollingUpdate(3, 0)
		s.run(cd{0, 0})
	})
	t.Run("TestDaemonSetUpdatesSaveOldHealthyPods", func(t *testing.T) {
		s := startOnDelete(t, 20, true)
		s.update("foo2/bar2", rollingUpdate(10, 0))
		s.run(cd{0, 10}, cd{10, 0}, cd{0, 0})
		for round := range 10 {
			s.update(fmt.Sprintf("foo2/bar3-%d", round), rollingUpdate(1+round%9, 0))
			s.run(cd{0, 10}, cd{10, 0}, cd{0, 0})
		}
		s.update("foo2/bar4", rollingUpdate(11, 0))
		s.run(cd{0, 11}, cd{11, 0}, cd{0, 0})
	})
}
