package harness

import (
	"context"
	"fmt"
	"reflect"
	"unsafe"

	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/kubernetes/pkg/controller"
	"k8s.io/kubernetes/pkg/controller/daemon"
)

// internals are the unexported parts of the upstream controller the harness needs: the sync entry
// point for one key, the expectations a sync records, and the event plumbing. Upstream offers no
// exported way to run exactly one sync, so they are reached through reflection; accessField
// panics with a clear message when upstream renames a field or changes its type, rather than
// letting the harness drive something else.
type internals struct {
	sync         func(ctx context.Context, key string) error
	expectations controller.ControllerExpectationsInterface
	recorder     *record.EventRecorder
	broadcaster  record.EventBroadcaster
	queues       []workqueue.TypedRateLimitingInterface[string]
}

// close stops the goroutines a controller starts on construction (its work queues and event
// broadcaster), so that thousands of one-sync controllers do not pile up.
func (in internals) close() {
	for _, q := range in.queues {
		q.ShutDown()
	}
	in.broadcaster.Shutdown()
}

func reach(dsc *daemon.DaemonSetsController) internals {
	return internals{
		sync:         *accessField[func(context.Context, string) error](dsc, "syncHandler"),
		expectations: *accessField[controller.ControllerExpectationsInterface](dsc, "expectations"),
		recorder:     accessField[record.EventRecorder](dsc, "eventRecorder"),
		broadcaster:  *accessField[record.EventBroadcaster](dsc, "eventBroadcaster"),
		queues: []workqueue.TypedRateLimitingInterface[string]{
			*accessField[workqueue.TypedRateLimitingInterface[string]](dsc, "queue"),
			*accessField[workqueue.TypedRateLimitingInterface[string]](dsc, "nodeUpdateQueue"),
		},
	}
}

// accessField returns a pointer to the unexported field name of dsc, checked to have type T.
func accessField[T any](dsc *daemon.DaemonSetsController, name string) *T {
	v := reflect.ValueOf(dsc).Elem().FieldByName(name)
	if !v.IsValid() {
		panic(fmt.Sprintf("harness: upstream DaemonSetsController has no field %q any more; update conformance/harness/access.go", name))
	}
	if want := reflect.TypeFor[T](); v.Type() != want {
		panic(fmt.Sprintf("harness: upstream DaemonSetsController.%s has type %v, the harness expects %v; update conformance/harness/access.go", name, v.Type(), want))
	}
	return (*T)(unsafe.Pointer(v.UnsafeAddr()))
}
