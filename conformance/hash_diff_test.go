package conformance_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/kubernetes/pkg/controller"
	"sigs.k8s.io/randfill"

	"github.com/daemonkit/daemonkit/conformance/harness"
	"github.com/daemonkit/daemonkit/kube"
)

const (
	hashCases     = 400
	defaultsCases = 400
	newPodCases   = 60
)

// filler returns a randfill filler for Kubernetes objects: small collections, many nil pointers,
// so that a template touches many different fields without growing huge.
func filler(seed int64) *randfill.Filler {
	return randfill.NewWithSeed(seed).NilChance(0.4).NumElements(0, 2).MaxDepth(12)
}

// randomTemplate fills a whole PodTemplateSpec at random: every field of the struct can take part
// in the hash, so every field should be exercised.
func randomTemplate(f *randfill.Filler) corev1.PodTemplateSpec {
	var t corev1.PodTemplateSpec
	f.Fill(&t)
	return t
}

// TestComputeHashAgainstUpstream: kube.ComputeHash equals upstream's controller.ComputeHash on
// random templates, raw and defaulted, with and without a collision count.
func TestComputeHashAgainstUpstream(t *testing.T) {
	f := filler(11)
	r := rand.New(rand.NewPCG(11, 12))
	agree, total := 0, 0
	for i := range hashCases {
		tmpl := randomTemplate(f)
		if i%2 == 1 {
			ds := &appsv1.DaemonSet{Spec: appsv1.DaemonSetSpec{Template: tmpl}}
			harness.Default(ds)
			tmpl = ds.Spec.Template
		}
		var cc *int32
		if r.IntN(2) == 0 {
			v := r.Int32N(5)
			if r.IntN(4) == 0 {
				v = r.Int32()
			}
			cc = &v
		}
		want := controller.ComputeHash(&tmpl, cc)
		got := kube.ComputeHash(&tmpl, cc)
		total++
		if got == want {
			agree++
		} else if total-agree <= 3 {
			t.Errorf("case %d: kube.ComputeHash %q, upstream %q (collisionCount %v)", i, got, want, cc)
		}
	}
	t.Logf("hash %d/%d agree", agree, total)
}

// TestDefaultDaemonSetAgainstUpstream: kube.DefaultDaemonSet gives a DaemonSet exactly the
// defaults the API server's defaulters (legacyscheme, apps/v1 and core/v1) give it.
func TestDefaultDaemonSetAgainstUpstream(t *testing.T) {
	f := filler(13)
	agree := 0
	for i := range defaultsCases {
		ds := &appsv1.DaemonSet{}
		f.Fill(&ds.Spec)
		if i%3 == 0 { // the common shapes, so that the strategy defaults are exercised too
			ds.Spec.UpdateStrategy = appsv1.DaemonSetUpdateStrategy{}
			ds.Spec.RevisionHistoryLimit = nil
		}
		if i%3 == 1 {
			ds.Spec.UpdateStrategy.Type = appsv1.RollingUpdateDaemonSetStrategyType
		}
		want := ds.DeepCopy()
		harness.Default(want)
		got := ds.DeepCopy()
		kube.DefaultDaemonSet(got)
		if reflect.DeepEqual(want, got) {
			agree++
			continue
		}
		if i-agree < 3 {
			t.Errorf("case %d: kube.DefaultDaemonSet differs from upstream (-upstream +kube):\n%s", i, cmp.Diff(want, got))
		}
	}
	t.Logf("defaults %d/%d agree", agree, defaultsCases)
	if agree != defaultsCases {
		t.Errorf("defaults: %d of %d random DaemonSets differ", defaultsCases-agree, defaultsCases)
	}
}

// TestNewDaemonPodAgainstUpstream: the pods the real controller sends to the API in one sync
// equal, field by field (nil and empty collections aside), kube.NewDaemonPod for the same
// DaemonSet, node and hash.
func TestNewDaemonPodAgainstUpstream(t *testing.T) {
	f := filler(17)
	r := rand.New(rand.NewPCG(17, 18))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	nodes := []*corev1.Node{
		{ObjectMeta: metav1.ObjectMeta{Name: "node-a", Labels: map[string]string{"zone": "a"}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "node-b", Labels: map[string]string{"zone": "b"}}},
	}
	agree, total := 0, 0
	for i := range newPodCases {
		tmpl := randomTemplate(f)
		// Keep the template placeable on both nodes, so that the controller creates pods.
		tmpl.Labels = map[string]string{"app": "agent"}
		if r.IntN(2) == 0 {
			tmpl.Labels["tier"] = "node"
		}
		tmpl.Spec.NodeName = ""
		tmpl.Spec.NodeSelector = nil
		if a := tmpl.Spec.Affinity; a != nil && a.NodeAffinity != nil && r.IntN(3) != 0 {
			a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = nil
		}
		ds := &appsv1.DaemonSet{
			ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "default"},
			Spec: appsv1.DaemonSetSpec{
				Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
				Template: tmpl,
			},
		}
		if r.IntN(2) == 0 {
			ds.Annotations = map[string]string{"deprecated.daemonset.template.generation": pick(r, []string{"1", "7", "v3", "-2"})}
		}
		c := harness.Normalize(harness.Cluster{Nodes: nodes, DaemonSet: ds})
		out, err := harness.Sync(c, harness.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		for _, sent := range out.SentPods {
			total++
			node := harness.TargetNode(sent)
			got, err := kube.NewDaemonPod(c.DaemonSet, node, out.Hash)
			if err != nil {
				t.Errorf("case %d: kube.NewDaemonPod: %v", i, err)
				continue
			}
			want := sent.DeepCopy()
			want.Namespace = c.DaemonSet.Namespace // upstream passes it to the create call instead
			// Semantic equality: nil and empty collections are the same pod on the wire (upstream
			// keeps a template's empty finalizers list, NewDaemonPod may leave it nil).
			if apiequality.Semantic.DeepEqual(want, got) {
				agree++
			} else if total-agree <= 3 {
				t.Errorf("case %d node %s: kube.NewDaemonPod differs from the pod upstream created (-upstream +kube):\n%s", i, node, cmp.Diff(want, got))
			}
		}
	}
	t.Logf("new daemon pod %d/%d agree", agree, total)
	if total < newPodCases {
		t.Errorf("only %d pods created over %d DaemonSets: the generator keeps templates off the nodes", total, newPodCases)
	}
	if agree != total {
		t.Errorf("new daemon pod: %d of %d differ", total-agree, total)
	}
}
