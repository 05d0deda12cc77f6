package harness

import (
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/kubernetes/pkg/controller/daemon"
)

// TestAccessFieldFailsLoudly: asking for a field upstream does not have, or with the wrong type,
// panics with a message that says what to update, instead of reading something else.
func TestAccessFieldFailsLoudly(t *testing.T) {
	client := fake.NewSimpleClientset()
	f := informers.NewSharedInformerFactory(client, 0)
	dsc, err := daemon.NewDaemonSetsController(t.Context(), f.Apps().V1().DaemonSets(), f.Apps().V1().ControllerRevisions(),
		f.Core().V1().Pods(), f.Core().V1().Nodes(), client, NewBackoff(time.Now()).Backoff)
	if err != nil {
		t.Fatal(err)
	}
	in := reach(dsc) // the real fields resolve
	defer in.close()
	if in.sync == nil || in.expectations == nil {
		t.Fatal("reach returned nil internals")
	}
	for name, access := range map[string]func(){
		"noSuchField":   func() { accessField[int](dsc, "noSuchField") },
		"burstReplicas": func() { accessField[string](dsc, "burstReplicas") },
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, name) || !strings.Contains(msg, "access.go") {
					t.Errorf("%s: panic %q should name the field and the file to update", name, msg)
				}
			}()
			access()
		}()
	}
}
