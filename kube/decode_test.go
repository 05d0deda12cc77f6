package kube

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const twoNodes = `apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: v1
kind: Node
metadata: {name: node-3}
spec:
  taintz: []
`

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		load func(data []byte) error
		want string
	}{
		{
			name: "unknown field names file, document, object and field",
			data: twoNodes,
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 2 (Node node-3): unknown field "spec.taintz"`,
		},
		{
			name: "nodeSelecter typo in a DaemonSet",
			data: "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds, namespace: kube-system}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      nodeSelecter: {disktype: ssd}\n      containers: [{name: c, image: i}]\n",
			load: dsLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (DaemonSet kube-system/ds): unknown field "spec.template.spec.nodeSelecter"`,
		},
		{
			name: "field names are case-sensitive",
			data: "apiVersion: v1\nkind: Node\nmetadata: {name: node-x}\nspec: {Unschedulable: true}\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (Node node-x): unknown field "spec.Unschedulable"`,
		},
		{
			name: "duplicate field in YAML",
			data: "apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n  name: b\n",
			load: nodesLoader(DecodeOptions{AllowUnknownFields: true}),
			want: `nodes.yaml: document 1 (Node b): duplicate field: `,
		},
		{
			name: "duplicate field in JSON",
			data: `{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-x"}, "spec": {"unschedulable": true, "unschedulable": false}}`,
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (Node node-x): duplicate field "spec.unschedulable"`,
		},
		{
			name: "unknown field in a list item",
			data: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Node\n  metadata: {name: b, labelz: {}}\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1, item 2 (Node b): unknown field "metadata.labelz"`,
		},
		{
			name: "unknown field of the list itself",
			data: "apiVersion: v1\nkind: List\nitemz: []\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (List): unknown field "itemz"`,
		},
		{
			// Of several unknown fields the first by name, whatever the map order.
			name: "two unknown fields of a list",
			data: "apiVersion: v1\nkind: List\nzeta: 1\nitemz: []\nbeta: 2\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (List): unknown field "beta"`,
		},
		{
			name: "wrong apiVersion",
			data: "apiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata: {name: old}\n",
			load: dsLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (DaemonSet old): apiVersion "extensions/v1beta1" is not supported for DaemonSet: want "apps/v1"`,
		},
		{
			name: "unsupported kind",
			data: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n",
			load: dsLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (Deployment d): unsupported kind "Deployment"`,
		},
		{
			name: "missing kind",
			data: "apiVersion: v1\nmetadata: {name: d}\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (d): missing "kind"`,
		},
		{
			name: "missing apiVersion",
			data: "kind: Node\nmetadata: {name: d}\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (Node d): missing "apiVersion"`,
		},
		{
			name: "a pod in a node file",
			data: "apiVersion: v1\nkind: Node\nmetadata: {name: node-x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 2 (Pod p): expected kind Node, got Pod`,
		},
		{
			name: "two DaemonSets",
			data: "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: b}\n",
			load: dsLoader(DecodeOptions{}),
			want: `nodes.yaml: holds 2 DaemonSets (a, b); a DaemonSet file must hold exactly one`,
		},
		{
			name: "empty DaemonSet list",
			data: "apiVersion: apps/v1\nkind: DaemonSetList\nitems: []\n",
			load: dsLoader(DecodeOptions{}),
			want: `nodes.yaml: no DaemonSet found`,
		},
		{
			name: "empty file",
			data: "",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: empty: no Kubernetes object found`,
		},
		{
			name: "only comments and separators",
			data: "# nothing\n---\n# still nothing\n---\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: empty: no Kubernetes object found`,
		},
		{
			name: "invalid YAML",
			data: "apiVersion: v1\nkind: Node\nmetadata: {name: n\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1: invalid YAML: `,
		},
		{
			name: "a scalar is no object",
			data: "just a string\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1: not a Kubernetes object`,
		},
		{
			name: "a JSON array is no object",
			data: `[{"apiVersion": "v1", "kind": "Node"}]`,
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1: invalid JSON or not an object`,
		},
		{
			name: "wrong type of value",
			data: "apiVersion: v1\nkind: Node\nmetadata: {name: node-x}\nspec: {unschedulable: maybe}\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (Node node-x): `,
		},
		{
			name: "unquoted yes as a string gets a hint",
			data: "apiVersion: v1\nkind: Node\nmetadata: {name: node-x, labels: {ssd: yes}}\n",
			load: nodesLoader(DecodeOptions{}),
			want: `quote it`,
		},
		{
			name: "separator followed by content",
			data: "apiVersion: v1\nkind: Node\nmetadata: {name: node-x}\n--- {apiVersion: v1}\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: line 4: a document separator must stand alone on its line`,
		},
		{
			name: "list of the wrong apiVersion",
			data: "apiVersion: v2\nkind: NodeList\nitems: []\n",
			load: nodesLoader(DecodeOptions{}),
			want: `nodes.yaml: document 1 (NodeList): apiVersion "v2" is not supported for NodeList: want "v1"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.load([]byte(tt.data))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func nodesLoader(opts DecodeOptions) func([]byte) error {
	return func(data []byte) error {
		_, err := DecodeNodes("nodes.yaml", data, opts)
		return err
	}
}

func dsLoader(opts DecodeOptions) func([]byte) error {
	return func(data []byte) error {
		_, err := DecodeDaemonSet("nodes.yaml", data, opts)
		return err
	}
}

func TestDecodeErrorIsLocated(t *testing.T) {
	_, err := DecodeNodes("nodes.yaml", []byte(twoNodes), DecodeOptions{})
	var de *DecodeError
	require.True(t, errors.As(err, &de), "want a *DecodeError, got %T", err)
	assert.Equal(t, DecodeError{File: "nodes.yaml", Document: 2, Kind: "Node", Name: "node-3", Err: de.Err}, *de)
}

func TestDecodeAllowUnknownFields(t *testing.T) {
	nodes, err := DecodeNodes("nodes.yaml", []byte(twoNodes), DecodeOptions{AllowUnknownFields: true})
	require.NoError(t, err)
	require.Len(t, nodes, 2)
	assert.Equal(t, "node-3", nodes[1].Name)

	_, err = DecodeNodes("nodes.yaml", []byte("apiVersion: v1\nkind: List\nitemz: []\n"), DecodeOptions{AllowUnknownFields: true})
	assert.NoError(t, err)
}

func TestDecodeForms(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		names []string
	}{
		{"one object", "apiVersion: v1\nkind: Node\nmetadata: {name: a}\n", []string{"a"}},
		{"multi-document with leading separator and comments", "---\n# first\napiVersion: v1\nkind: Node\nmetadata: {name: a}\n--- # second\napiVersion: v1\nkind: Node\nmetadata: {name: b}\n---\n", []string{"a", "b"}},
		{"kind List", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Node, metadata: {name: a}}\n- {apiVersion: v1, kind: Node, metadata: {name: b}}\n", []string{"a", "b"}},
		{"NodeList items without kind", "apiVersion: v1\nkind: NodeList\nmetadata: {resourceVersion: \"1\"}\nitems:\n- metadata: {name: a}\n- metadata: {name: b}\n", []string{"a", "b"}},
		{"JSON object", `{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "a"}}`, []string{"a"}},
		{"JSON list", `{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "a"}}]}`, []string{"a"}},
		{"list and object mixed", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Node, metadata: {name: a}}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: b}\n", []string{"a", "b"}},
		{"empty list is no node, and no error", "apiVersion: v1\nkind: List\nitems: []\n", nil},
		{"CRLF line ends", "apiVersion: v1\r\nkind: Node\r\nmetadata: {name: a}\r\n---\r\napiVersion: v1\r\nkind: Node\r\nmetadata: {name: b}\r\n", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nodes, err := DecodeNodes("nodes.yaml", []byte(tt.data), DecodeOptions{})
			require.NoError(t, err)
			var names []string
			for _, n := range nodes {
				names = append(names, n.Name)
				assert.Equal(t, "Node", n.Kind, "the type information is kept")
			}
			assert.Equal(t, tt.names, names)
		})
	}
}

func TestDecodeTooLarge(t *testing.T) {
	data := bytes.Repeat([]byte("#"), MaxManifestBytes+1)
	_, err := DecodeNodes("big.yaml", data, DecodeOptions{})
	require.Error(t, err)
	assert.Equal(t, "big.yaml: larger than the 64 MiB limit for manifests", err.Error())
}

// TestDecodeAliasBomb: a billion-laughs document must fail fast, not expand.
func TestDecodeAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: Node\nmetadata: {name: node-x}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	_, err := DecodeNodes("bomb.yaml", []byte(b.String()), DecodeOptions{AllowUnknownFields: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bomb.yaml: document 1: invalid YAML")
}

func TestDecodeDeepNesting(t *testing.T) {
	deep := "apiVersion: v1\nkind: Node\nmetadata: {name: node-x}\nx: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n"
	_, err := DecodeNodes("deep.yaml", []byte(deep), DecodeOptions{AllowUnknownFields: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "deep.yaml: document 1")
}
