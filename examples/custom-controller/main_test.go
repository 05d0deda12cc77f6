package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestCustomControllerConvergesAndRollsOut(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := runFake(ctx, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"create node-exporter-5ff6bf7657-node-1",
		"create node-exporter-5ff6bf7657-node-2",
		"delete node-exporter-5ff6bf7657-node-1 (rolling update",
		"pod node-exporter-664fc67c54-node-1 on node-1, ready",
		"pod node-exporter-664fc67c54-node-2 on node-2, ready",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	// The tainted node never gets a pod, and the rollout deletes one old pod at a time: each
	// delete is followed by the create of its replacement before the next delete.
	if strings.Contains(got, "node-3") && !strings.Contains(got, "node-3 is tainted") {
		t.Errorf("node-3 got a pod:\n%s", got)
	}
	lines := strings.Split(got, "\n")
	deletesInFlight := 0
	for _, l := range lines {
		switch {
		case strings.Contains(l, ": delete "):
			deletesInFlight++
			if deletesInFlight > 1 {
				t.Errorf("two old pods down at once (maxUnavailable 1):\n%s", got)
			}
		case strings.Contains(l, ": create node-exporter-664fc67c54"):
			deletesInFlight--
		}
	}
}

func TestRealClusterNeedsADaemonSetName(t *testing.T) {
	err := planRealCluster(context.Background(), &bytes.Buffer{}, "/nonexistent/kubeconfig", "default", "")
	if err == nil || !strings.Contains(err.Error(), "-daemonset is required") {
		t.Fatalf("err = %v", err)
	}
}
