package main

import (
	"embed"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/daemonkit/daemonkit/daemonset"
	"github.com/daemonkit/daemonkit/kube"
)

// The story's manifests are ordinary Kubernetes YAML, embedded in the binary and read through the
// same decoder as a user's files. node-exporter.yaml is the seed's manifest
// (testdata/upstream-scenarios/01-fresh-one-tainted/ds.yaml), whose template hashes to 8c5dc95f;
// node-exporter-v2.yaml is the same DaemonSet with a new image and maxUnavailable 1
// (testdata/upstream-rollouts/05-seed-node-exporter-3-nodes/new.yaml).
//
//go:embed story/*.yaml
var storyFS embed.FS

// loadStoryCast decodes the embedded manifests.
func loadStoryCast() (storyCast, error) {
	var c storyCast
	read := func(name string) ([]byte, error) {
		b, err := storyFS.ReadFile("story/" + name)
		if err != nil {
			return nil, fmt.Errorf("story: %w", err)
		}
		return b, nil
	}
	nodes := func(name string) ([]daemonset.Node, error) {
		b, err := read(name)
		if err != nil {
			return nil, err
		}
		kn, err := kube.DecodeNodes(name, b, kube.DecodeOptions{})
		if err != nil {
			return nil, err
		}
		return kube.NodesFromKube(kn)
	}
	ds := func(name string) (daemonset.DaemonSet, string, string, error) {
		b, err := read(name)
		if err != nil {
			return daemonset.DaemonSet{}, "", "", err
		}
		kds, err := kube.DecodeDaemonSet(name, b, kube.DecodeOptions{})
		if err != nil {
			return daemonset.DaemonSet{}, "", "", err
		}
		return storyDaemonSet(name, kds)
	}
	var err error
	if c.nodes, err = nodes("nodes.yaml"); err != nil {
		return c, err
	}
	joiners, err := nodes("node-4.yaml")
	if err != nil {
		return c, err
	}
	if len(joiners) != 1 {
		return c, fmt.Errorf("story: node-4.yaml: want one node, got %d", len(joiners))
	}
	c.joiner = joiners[0]
	if c.exporter, c.exporterHash, c.exporterImage, err = ds("node-exporter.yaml"); err != nil {
		return c, err
	}
	if c.exporterNew, c.exporterNewH, c.exporterNewImage, err = ds("node-exporter-v2.yaml"); err != nil {
		return c, err
	}
	if c.ssd, c.ssdHash, _, err = ds("ssd-monitor.yaml"); err != nil {
		return c, err
	}
	return c, nil
}

// storyDaemonSet converts a decoded (and defaulted) DaemonSet as the API server would store it on
// creation: generation 1 and a UID. It returns the model, the revision hash and the first image.
func storyDaemonSet(name string, kds *appsv1.DaemonSet) (daemonset.DaemonSet, string, string, error) {
	kds.Generation = 1
	kds.UID = types.UID("uid-" + kds.Name)
	ds, err := kube.DaemonSetFromKube(kds)
	if err != nil {
		return daemonset.DaemonSet{}, "", "", fmt.Errorf("story: %s: %w", name, err)
	}
	if errs := daemonset.Validate(ds); len(errs) > 0 {
		return daemonset.DaemonSet{}, "", "", fmt.Errorf("story: %s: %w", name, errs.ToError())
	}
	image := ""
	if cs := kds.Spec.Template.Spec.Containers; len(cs) > 0 {
		image = cs[0].Image
	}
	return *ds, kube.ComputeHash(&kds.Spec.Template, kds.Status.CollisionCount), image, nil
}
