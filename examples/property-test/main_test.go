package main

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/simulate"
)

// This is the test a user writes for their own planner: rapid draws clusters and rollouts, the
// simulator checks daemonkit's invariants after every event. Run more cases with
// go test ./examples/property-test -rapid.checks=1000.
func TestCarefulPlannerKeepsTheInvariants(t *testing.T) {
	rapid.Check(t, keepsTheInvariants(simulate.PlanFunc(carefulPlan)))
}

// daemonkit's own planner passes the same property, which is what makes it a fair yardstick.
func TestDaemonkitPlannerKeepsTheInvariants(t *testing.T) {
	rapid.Check(t, keepsTheInvariants(simulate.PlanFunc(daemonset.Plan)))
}

// The property has teeth: the hasty planner's missing budget is found.
func TestHastyPlannerIsCaught(t *testing.T) {
	// The failure is expected: rapid must not leave a fail file behind for it.
	if err := flag.Set("rapid.nofailfile", "true"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = flag.Set("rapid.nofailfile", "false") })
	r := &reporter{name: "hasty"}
	r.check(keepsTheInvariants(simulate.PlanFunc(hastyPlan)))
	if !r.failed {
		t.Fatal("the property did not catch a planner that ignores maxUnavailable")
	}
	if !strings.Contains(strings.Join(r.logs, "\n"), "invariant "+simulate.InvUnavailable) {
		t.Fatalf("caught, but not by %s:\n%s", simulate.InvUnavailable, strings.Join(r.logs, "\n"))
	}
}

func TestProgramOutput(t *testing.T) {
	if err := flag.Set("rapid.nofailfile", "true"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = flag.Set("rapid.nofailfile", "false") })
	var out bytes.Buffer
	run(&out)
	got := out.String()
	for _, want := range []string{
		"careful planner: every invariant held",
		"hasty planner: rapid found a counterexample",
		"invariant max-unavailable violated",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
