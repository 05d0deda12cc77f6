package harness

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/kubernetes/pkg/api/legacyscheme"

	// The install packages register the apps/v1 and core/v1 defaulting functions with the
	// legacy scheme, the same ones the API server runs.
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
)

// Default applies the API server's defaulting to obj in place (a *corev1.Pod, *corev1.Node,
// *appsv1.DaemonSet, ...). Without it the controller panics on a nil revisionHistoryLimit, never
// rolls (empty strategy type) and hashes a template the API server would never store.
func Default(obj runtime.Object) {
	legacyscheme.Scheme.Default(obj)
}
