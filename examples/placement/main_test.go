package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestPlacement(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"gpu-a1  runs the pod", // its taint is tolerated
		"gpu-b1  runs the pod",
		"gpu-b2  runs the pod", // not-ready is tolerated by every daemon pod
		"gpu-c1  no pod",       // zone c is not in the affinity
		"cpu-a1  no pod",       // no accelerator label
		"taint maintenance:NoExecute is not tolerated",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
