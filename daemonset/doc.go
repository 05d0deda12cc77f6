// Package daemonset is the DaemonSet contract as pure functions: the model (DaemonSet, Node, Pod),
// the API server's defaults and validation, node eligibility with reasons, and Plan, one reconcile
// of the upstream controller from desired and actual state to creates, deletes and status.
//
// Plan reads everything as values and returns a value: no clock (now comes in), no I/O, no
// goroutines. The controller's memory between syncs (the failed-pod backoff) is explicit: it comes
// in as Input.Memory and goes out as Result.Memory. The same input in any order gives the same
// Result; every list in it is sorted.
//
// # The loop a custom controller writes around Plan
//
//	planner := new(daemonset.Planner) // reuses its buffers between syncs
//	var mem daemonset.Memory
//	for range wakeups { // informer events, or RequeueAfter elapsing
//		in := daemonset.Input{
//			DaemonSet: ds, Nodes: nodes, Pods: podsInNamespace,
//			Hash: currentRevisionHash, Now: clock.Now(), Memory: mem,
//		}
//		res, err := planner.Plan(in, daemonset.Options{})
//		if err != nil {
//			log.Print(err) // res still holds what may be carried out (see Plan)
//		}
//		for _, name := range res.Adopted { /* patch in a controller ownerReference */ }
//		for _, name := range res.Released { /* patch it out */ }
//		for _, c := range res.Creates { /* create a pod from the template for c.Node */ }
//		for _, d := range res.Deletes { /* delete pod d.Pod */ }
//		if res.StatusWrite { /* UpdateStatus with res.Status */ }
//		mem = res.Memory
//		if res.RequeueAfter > 0 { /* wake up again after res.RequeueAfter */ }
//	}
//
// In tests and simulations, Apply plays the API server: Apply(in, res, ApplyOptions{}) is the
// cluster after res, so iterating Plan and Apply reaches the fixed point where every eligible node
// runs one pod of the current revision.
//
// # Where the pod goes
//
// To ask only which nodes get the pod, compile the DaemonSet's node rules once and ask node by
// node: ShouldRun allocates nothing, Check adds the reasons for a node that gets no pod.
//
//	checker, err := daemonset.NewEligibilityChecker(ds)
//	if err != nil {
//		return err
//	}
//	for _, n := range nodes {
//		if run, _ := checker.ShouldRun(n); !run {
//			fmt.Println(n.Name, checker.Check(n).Reasons)
//		}
//	}
//
// # Observe modes
//
// Upstream records "expectations" for the pods it creates and deletes and runs the rolling update
// only once they are observed. ObserveNone (the default) is production: when manage creates or
// deletes anything, the rolling update waits for the next sync, and status counts the input pods
// (but for an orphan adopted and deleted in the sync that the API server removes at once: upstream's
// status claim no longer finds it).
// ObserveImmediate is upstream's unit-test mode: manage's actions are applied to the view, then the
// rolling update runs on it, and status counts the result.
//
// The behaviour reference is k8s-daemonset-semantics.md (sections 0–2, 4, 6 and 9).
package daemonset
