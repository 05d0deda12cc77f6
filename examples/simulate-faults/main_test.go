package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestBadImageStallsWithinTheBudget(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"rollout finished: false",
		"nodes the controller took down at once: 2 (budget 2)",
		"available 8", // eight nodes keep their working pods
		"new pod not available, crash-looping",
		"old pod waits for the budget",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "crash-looping"); n != 2 {
		t.Errorf("%d crash-looping nodes, want 2 (the budget):\n%s", n, got)
	}
}

func TestSameSeedSameRun(t *testing.T) {
	var a, b bytes.Buffer
	if err := run(&a); err != nil {
		t.Fatal(err)
	}
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatalf("two runs of seed 42 differ:\n%s\n---\n%s", a.String(), b.String())
	}
}
