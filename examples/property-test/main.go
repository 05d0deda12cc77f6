// Command property-test shows how to property-test your own planner with rapid against
// daemonkit's invariants: plug the planner into the simulator (simulate.PlanFunc), let rapid draw
// clusters and rollouts, and fail on any invariant the simulator reports. main_test.go is the
// test you would write; this program runs the same property outside `go test` on two planners, a
// careful one that passes and a hasty one whose budget bug rapid finds and shrinks.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/daemonkit/daemonkit/simulate"
)

func main() {
	// rapid reads its settings from flags: a fixed seed so that the program prints the same
	// thing every time, and no fail file written into the current directory.
	testing.Init()
	flag.Parse()
	_ = flag.Set("rapid.seed", "1")
	_ = flag.Set("rapid.nofailfile", "true")
	_ = flag.Set("rapid.checks", "50")
	run(os.Stdout)
}

func run(w io.Writer) {
	for _, p := range []struct {
		name string
		plan simulate.PlanFunc
	}{{"careful", carefulPlan}, {"hasty", hastyPlan}} {
		r := &reporter{name: p.name}
		r.check(keepsTheInvariants(p.plan))
		if !r.failed {
			fmt.Fprintf(w, "%s planner: every invariant held on every cluster rapid drew\n", p.name)
			continue
		}
		fmt.Fprintf(w, "%s planner: rapid found a counterexample and shrank it:\n", p.name)
		for _, m := range r.logs {
			for _, line := range strings.Split(strings.TrimSpace(m), "\n") {
				fmt.Fprintf(w, "    %s\n", line)
			}
		}
	}
}

// reporter is the part of *testing.T that rapid.Check needs, for use outside `go test`: it
// records failures and the failing example's log instead of failing a test.
type reporter struct {
	name   string
	failed bool
	logs   []string
}

type stop struct{}

func (r *reporter) check(prop func(*rapid.T)) {
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(stop); !ok {
				panic(v)
			}
		}
	}()
	rapid.Check(r, prop)
}

func (r *reporter) Helper()                           {}
func (r *reporter) Name() string                      { return "property-test/" + r.name }
func (r *reporter) Logf(format string, args ...any)   { r.Log(fmt.Sprintf(format, args...)) }
func (r *reporter) Errorf(format string, args ...any) { r.failed = true }
func (r *reporter) Error(args ...any)                 { r.failed = true }
func (r *reporter) Fatalf(format string, args ...any) { r.failed = true; panic(stop{}) }
func (r *reporter) Fatal(args ...any)                 { r.failed = true; panic(stop{}) }
func (r *reporter) FailNow()                          { r.failed = true; panic(stop{}) }
func (r *reporter) Fail()                             { r.failed = true }
func (r *reporter) Failed() bool                      { return r.failed }
func (r *reporter) Skipf(format string, args ...any)  { panic(stop{}) }
func (r *reporter) Skip(args ...any)                  { panic(stop{}) }
func (r *reporter) SkipNow()                          { panic(stop{}) }

// Log keeps what rapid prints about the failing example (the values it drew and the failure);
// its "[rapid] OK" line on success is dropped.
func (r *reporter) Log(args ...any) {
	if s := fmt.Sprint(args...); r.failed || !strings.HasPrefix(s, "[rapid] OK") {
		r.logs = append(r.logs, s)
	}
}
