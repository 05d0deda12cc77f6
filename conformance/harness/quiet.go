package harness

import (
	"flag"
	"io"

	"k8s.io/klog/v2"
)

// SilenceKlog stops klog, which the controller reports unhandled errors through (for example a
// create rejected by the quota), from writing to stderr. The harness reports those errors in the
// Outcome instead; tests call this once, from TestMain, to keep their output readable.
func SilenceKlog() {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	_ = fs.Set("logtostderr", "false")
	_ = fs.Set("alsologtostderr", "false")
	_ = fs.Set("stderrthreshold", "FATAL")
	klog.SetOutput(io.Discard)
}
