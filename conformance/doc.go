// Package conformance holds the differential tests that hold daemonkit to the upstream
// Kubernetes DaemonSet controller (k8s.io/kubernetes v1.37.2) and the libraries it uses, and the
// benchmarks that run both side by side. It is its own Go module so that the root module never
// depends on k8s.io/kubernetes.
//
// Run it with
//
//	cd conformance && go test ./...
//	cd conformance && go test -bench . -benchmem -run XXX
//
// The harness package drives one sync of the real controller; the scenario package reads and
// writes cluster states as YAML folders.
package conformance
