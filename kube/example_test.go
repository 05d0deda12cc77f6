package kube_test

import (
	"fmt"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/kube"
)

// The seed's node-exporter DaemonSet, as a user writes it: the API server's defaults are added
// on load, so its hash is the one a cluster gives it.
const nodeExporter = `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
spec:
  selector:
    matchLabels:
      app: node-exporter
  template:
    metadata:
      labels:
        app: node-exporter
    spec:
      containers:
      - name: node-exporter
        image: prom/node-exporter:latest
        ports:
        - containerPort: 9100
`

const threeNodes = `
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Node, metadata: {name: node-a}}
- {apiVersion: v1, kind: Node, metadata: {name: node-b}}
- apiVersion: v1
  kind: Node
  metadata: {name: node-c}
  spec:
    taints: [{key: dedicated, value: db, effect: NoSchedule}]
`

// Read a DaemonSet and nodes from YAML, compute the revision hash, and ask daemonset.Plan what
// the controller does on a fresh cluster.
func Example() {
	ds, err := kube.DecodeDaemonSet("ds.yaml", []byte(nodeExporter), kube.DecodeOptions{})
	if err != nil {
		panic(err)
	}
	nodes, err := kube.DecodeNodes("nodes.yaml", []byte(threeNodes), kube.DecodeOptions{})
	if err != nil {
		panic(err)
	}
	hash := kube.ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount)

	model, err := kube.DaemonSetFromKube(ds)
	if err != nil {
		panic(err)
	}
	modelNodes, err := kube.NodesFromKube(nodes)
	if err != nil {
		panic(err)
	}
	res, err := daemonset.Plan(daemonset.Input{
		DaemonSet: model,
		Nodes:     modelNodes,
		Hash:      hash,
		Now:       time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}, daemonset.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println("hash:", hash)
	for _, c := range res.Creates {
		fmt.Println("create on", c.Node)
	}
	fmt.Println("desired:", res.Status.DesiredNumberScheduled)
	// Output:
	// hash: 8c5dc95f
	// create on node-a
	// create on node-b
	// desired: 2
}

// NewDaemonPod builds the pod the upstream controller would send to the API server for a node.
func ExampleNewDaemonPod() {
	ds, err := kube.DecodeDaemonSet("ds.yaml", []byte(nodeExporter), kube.DecodeOptions{})
	if err != nil {
		panic(err)
	}
	pod, err := kube.NewDaemonPod(ds, "node-a", kube.ComputeHash(&ds.Spec.Template, nil))
	if err != nil {
		panic(err)
	}
	fmt.Println(pod.GenerateName, pod.Labels["controller-revision-hash"])
	term := pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0]
	fmt.Println(term.MatchFields[0].Key, term.MatchFields[0].Operator, term.MatchFields[0].Values)
	fmt.Println(len(pod.Spec.Tolerations), "default tolerations")
	// Output:
	// node-exporter- 8c5dc95f
	// metadata.name In [node-a]
	// 6 default tolerations
}

// A typo is an error that names the file, the document, the object and the field.
func ExampleDecodeNodes_strict() {
	_, err := kube.DecodeNodes("nodes.yaml", []byte(`
apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: v1
kind: Node
metadata: {name: node-3}
spec:
  taintz: [{key: dedicated, effect: NoSchedule}]
`), kube.DecodeOptions{})
	fmt.Println(err)
	// Output:
	// nodes.yaml: document 2 (Node node-3): unknown field "spec.taintz"
}

// ComputeHash of an empty template with and without a collision count.
func ExampleComputeHash() {
	ds, _ := kube.DecodeDaemonSet("ds.yaml", []byte(nodeExporter), kube.DecodeOptions{})
	one := int32(1)
	fmt.Println(kube.ComputeHash(&ds.Spec.Template, nil))
	fmt.Println(kube.ComputeHash(&ds.Spec.Template, &one) != kube.ComputeHash(&ds.Spec.Template, nil))
	// Output:
	// 8c5dc95f
	// true
}
