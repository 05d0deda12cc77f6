// Package simulate is daemonkit's deterministic discrete-event simulator of a DaemonSet on a
// cluster: it answers "how long will this rollout over 5,000 nodes take, and what will stall it?"
// before the fact, and replays any run exactly from its seed.
//
// A run has a virtual clock (no wall clock, no sleeping), an event queue ordered by time and then
// by the order events were scheduled, and random streams seeded from one seed, one stream per
// concern (latencies, faults, churn), so that turning a fault on does not reshuffle the latencies.
// The same Scenario and seed give the same Result, trace included, byte for byte, on any machine.
//
// The cluster holds nodes, daemon pods and the DaemonSet. The controller is daemonset.Plan,
// called at every sync on the controller's informer view (which may lag), with its memory (the
// failed-pod backoff) and expectations kept between syncs. Its decisions go through a modelled API
// client: a token bucket (20 qps, burst 30 in a real cluster), call latency, injectable errors,
// the 250-per-sync cap and slow-start batches (1, 2, 4, ...; a failed batch stops the sync's
// creates). Pods live through scheduling, image pull, start and readiness with latency
// distributions (fixed, uniform, log-normal, empirical), may crash-loop (a bad image), flap, and
// terminate gracefully. Nodes join not-ready, go NotReady or unreachable, get labels and taints,
// are cordoned and removed; a removed node's pods go after the modelled pod GC.
//
// Two model presets: RealCluster (event-driven syncs, the API rate limit, realistic pod start)
// and UpstreamRollouts (a sync every second, pods ready exactly N seconds after creation, no rate
// limit), the model under testdata/upstream-rollouts, which the simulator reproduces exactly.
//
// # Invariants
//
// After every event the simulator checks, as pure functions of the state kept as incremental
// counters: at most one live pod per node except surge nodes, and no more surge nodes than
// maxSurge; no more nodes taken down by the controller than maxUnavailable (nodes down because of
// faults are counted apart, in Metrics.MaxUnavailable); no pod on a removed node for longer than
// pod GC (bound) or UnboundGrace (unbound, the controller's job); and at quiescence, an hour after
// the last scripted event (or the start, in a run without any) with no fault left to explain it,
// exactly one current, available pod per eligible node. A broken invariant stops the run: Result.Violation has the seed, the virtual time, the
// event index, the invariant and the last events. Plug a different Planner into
// Scenario.Planner to test a controller of your own against the same invariants.
//
// # Pause
//
// EventPause and EventResume are a daemonkit opt-in that upstream does not have: while paused,
// the controller still creates missing pods and removes pods that may not stay, but the rolling
// update deletes nothing and surges nowhere.
//
// # A run
//
//	sc := simulate.NewScenario("node-exporter", ds, simulate.Revision{Name: "v1.8.1"},
//		simulate.Nodes("node", 1000, nil)...).RealCluster()
//	sc = sc.At(time.Minute, simulate.UpdateTo("v1.8.2"))
//	res, err := simulate.Run(sc, 42)
//	if err != nil {
//		return err // the scenario is invalid
//	}
//	if res.Violation != nil {
//		return res.Violation // replay with seed 42
//	}
//	fmt.Println(res.Outcome, res.Metrics.UpdatedDuration, res.Metrics.Duration, res.Metrics.Waves)
//
// A run's Outcome says how its rollout ended: Completed (every node updated and available),
// UpdatedUnavailable (every old pod replaced, but some nodes, say those whose new pod
// crash-loops, stay without an available pod), Stalled (the budget is used up by pods that never
// become available, nodes are left on the old revision) or Unfinished (still under way when the
// scenario's Duration ran out), with the nodes left unavailable counted by cause.
//
// A forecast runs one scenario over many seeds (in parallel, aggregated in seed order): the
// probability of each outcome and the spread of each figure.
//
//	f, err := simulate.RunForecast(sc, simulate.ForecastOptions{Runs: 200, Parallel: 4})
//	fmt.Println(f.Outcomes, f.TimeToUpdate.P50, f.TimeToComplete.P90, f.Unavailable.P99)
//
// Scenario files (apiVersion daemonkit.io/v1alpha1, kind Scenario) that point at Kubernetes
// manifests are read at the edge, by kube.LoadScenario; this package reads no files.
package simulate
