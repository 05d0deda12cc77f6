package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRollingUpdateFinishesInWaves(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "every node runs an available v2 pod") {
		t.Fatalf("no end:\n%s", got)
	}
	// maxUnavailable 2 on six nodes: the rolling update deletes two old pods per wave, and their
	// replacements are created in the next sync: three delete waves and three create waves.
	if n := strings.Count(got, "delete node-exporter-old-"); n != 6 {
		t.Errorf("%d deletes, want 6:\n%s", n, got)
	}
	if n := strings.Count(got, "create on "); n != 6 {
		t.Errorf("%d creates, want 6:\n%s", n, got)
	}
	for _, l := range strings.Split(got, "\n") {
		if strings.Count(l, "delete ") > 2 {
			t.Errorf("more than maxUnavailable deletes in one wave: %s", l)
		}
	}
	if !strings.Contains(got, ": 6 waves,") {
		t.Errorf("want 6 waves:\n%s", got)
	}
}
