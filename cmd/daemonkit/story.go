package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/daemonkit/daemonkit/daemonset"
)

// storyStart is the virtual moment the built-in story begins.
var storyStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// storyCast is what the built-in story is made of, decoded from the embedded manifests.
type storyCast struct {
	nodes        []daemonset.Node // node-1, node-2, node-3
	joiner       daemonset.Node   // node-4
	exporter     daemonset.DaemonSet
	exporterHash string
	exporterNew  daemonset.DaemonSet // the new image, maxUnavailable 1
	exporterNewH string
	// The images of the two node-exporter templates, for the narration (the model keeps none).
	exporterImage, exporterNewImage string
	ssd                             daemonset.DaemonSet
	ssdHash                         string
}

// runStory plays the built-in scenario and prints it: the seed's story told in virtual time.
func runStory(out io.Writer) error {
	cast, err := loadStoryCast()
	if err != nil {
		return err
	}
	return playStory(out, cast)
}

func playStory(out io.Writer, c storyCast) error {
	w := newStoryWorld(out, storyStart, c.nodes)
	const settle = 10 * time.Minute
	step := func(title string) {
		fmt.Fprintf(out, "\n== %s  %s\n", w.clock(), title)
	}
	names := func(ns []daemonset.Node) string {
		s := make([]string, len(ns))
		for i, n := range ns {
			s[i] = n.Name
		}
		return strings.Join(s, ", ")
	}
	fmt.Fprintln(out, "daemonkit: the built-in story, in virtual time (a controller sync every second;")
	fmt.Fprintf(out, "a pod is Ready %s after it is created and terminates in %s).\n", w.readyAfter, w.terminateAfter)

	step(fmt.Sprintf("kubectl apply -f node-exporter.yaml   (%s; cluster: %s)", c.exporterImage, names(c.nodes)))
	exporter := w.addSet(c.exporter, c.exporterHash)
	if err := w.settle(settle); err != nil {
		return err
	}
	if err := printAll(w); err != nil {
		return err
	}

	step(fmt.Sprintf("%s joins the cluster", c.joiner.Name))
	w.addNode(c.joiner)
	if err := w.settle(settle); err != nil {
		return err
	}
	if err := printAll(w); err != nil {
		return err
	}

	step(fmt.Sprintf("kubectl apply -f ssd-monitor.yaml   (nodeSelector %s)", labelString(c.ssd.Template.NodeSelector)))
	ssd := w.addSet(c.ssd, c.ssdHash)
	if err := w.settle(settle); err != nil {
		return err
	}
	if err := w.printDaemonSets(); err != nil {
		return err
	}

	step("kubectl label nodes node-1 node-2 disktype=ssd")
	for _, n := range []string{"node-1", "node-2"} {
		if err := w.labelNode(n, map[string]string{"disktype": "ssd"}); err != nil {
			return err
		}
	}
	if err := w.settle(settle); err != nil {
		return err
	}
	if err := printAll(w); err != nil {
		return err
	}

	budget := "?"
	if ru := c.exporterNew.UpdateStrategy.RollingUpdate; ru != nil && ru.MaxUnavailable != nil {
		budget = ru.MaxUnavailable.String()
	}
	step(fmt.Sprintf("kubectl apply -f node-exporter-v2.yaml   (%s, maxUnavailable %s)", c.exporterNewImage, budget))
	oldHash := exporter.hash
	w.updateTemplate(exporter, c.exporterNew, c.exporterNewH)
	exporter.unavailablePeak = 0
	began := w.now
	// Mid-rollout: stop when the first replacement pod is starting, to show both revisions.
	if err := w.tickUntil(settle, func() bool { return exporter.hasPending(c.exporterNewH) }); err != nil {
		return err
	}
	if err := w.printPods(); err != nil {
		return err
	}
	if err := w.settle(settle); err != nil {
		return err
	}
	took := w.now.Sub(began)
	if err := printAll(w); err != nil {
		return err
	}

	st := exporter.ds.Status
	fmt.Fprintf(out, "\nnode-exporter rolled out %s -> %s on %d nodes in %s of virtual time, at most %d node(s) without an available pod (maxUnavailable %s); ssd-monitor runs on %s only.\n",
		oldHash, exporter.hash, st.UpdatedNumberScheduled, took, exporter.unavailablePeak, budget, strings.Join(ssd.nodesWithPods(), " and "))
	return nil
}

func printAll(w *storyWorld) error {
	if err := w.printDaemonSets(); err != nil {
		return err
	}
	return w.printPods()
}
