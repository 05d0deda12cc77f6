package kube

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func BenchmarkComputeHashNodeExporter(b *testing.B) {
	ds, err := LoadDaemonSet("testdata/node-exporter.yaml", DecodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ComputeHash(&ds.Spec.Template, nil)
	}
}

// BenchmarkDecodeNodes1000 decodes a kubectl-style List of 1,000 nodes.
func BenchmarkDecodeNodes1000(b *testing.B) {
	raw, err := os.ReadFile("testdata/nodes.yaml")
	if err != nil {
		b.Fatal(err)
	}
	// Repeat worker-1 (the second item) under new names.
	text := string(raw)
	start := strings.Index(text, "- apiVersion: v1\n  kind: Node\n  metadata:\n    creationTimestamp: \"2025-11-02T09:14:40Z\"")
	end := strings.Index(text, "- apiVersion: v1\n  kind: Node\n  metadata:\n    creationTimestamp: \"2025-11-02T09:14:41Z\"")
	item := text[start:end]
	var sb strings.Builder
	sb.WriteString("apiVersion: v1\nkind: List\nitems:\n")
	for i := range 1000 {
		sb.WriteString(strings.ReplaceAll(item, "worker-1", fmt.Sprintf("worker-%04d", i)))
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		nodes, err := DecodeNodes("nodes.yaml", data, DecodeOptions{})
		if err != nil || len(nodes) != 1000 {
			b.Fatal(len(nodes), err)
		}
	}
}
