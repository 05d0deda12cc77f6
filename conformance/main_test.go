package conformance_test

import (
	"os"
	"testing"

	"github.com/daemonkit/daemonkit/conformance/harness"
)

func TestMain(m *testing.M) {
	harness.SilenceKlog()
	os.Exit(m.Run())
}
