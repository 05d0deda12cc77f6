package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// These tests build the daemonkit binary once and run it as a user would: arguments in, stdout,
// stderr and the exit code out. Golden files live in testdata/golden; run
//
//	go test ./cmd/daemonkit -update
//
// to rewrite them, and review the diff like code.

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary returns the path of a freshly built daemonkit, built once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "daemonkit-cli-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "daemonkit")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	require.NoError(t, buildErr, "go build")
	return binPath
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if binPath != "" {
		_ = os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs the binary with args in the package directory.
func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// golden compares got with testdata/golden/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./cmd/daemonkit -update")
	require.Equal(t, string(want), got, "output differs from %s (go test ./cmd/daemonkit -update rewrites it)", path)
}

func TestDefaultRunTellsTheStory(t *testing.T) {
	r := runCLI(t)
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr)
	golden(t, "story.txt", r.stdout)
	// The facts of the story, checked apart from the golden file so a careless -update cannot
	// hide a wrong ending.
	require.Contains(t, r.stdout, "8c5dc95f", "the seed's manifest hashes to 8c5dc95f")
	last := r.stdout[strings.LastIndex(strings.TrimSpace(r.stdout), "\n")+1:]
	require.Contains(t, last, "on 4 nodes")
	require.Contains(t, last, "at most 1 node(s) without an available pod (maxUnavailable 1)")
	require.Contains(t, last, "ssd-monitor runs on node-1 and node-2 only")
}

func TestDefaultRunIsDeterministic(t *testing.T) {
	a, b := runCLI(t), runCLI(t)
	require.Equal(t, a.stdout, b.stdout)
}

func TestUsageErrorsExitTwo(t *testing.T) {
	usage := "--help' for usage"
	requireFailures(t, []failure{
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`, usage}},
		{"unknown flag", []string{"--frobnicate"}, 2, []string{"unknown flag: --frobnicate", usage}},
		{"unknown subcommand flag", []string{"plan", "--nope"}, 2, []string{"unknown flag: --nope", usage}},
		{"bad output format", []string{"explain", "--nodes", "x", "--daemonset", "y", "-o", "xml"}, 2, []string{`unknown output format "xml"`, usage}},
		{"version takes no args", []string{"version", "extra"}, 2, []string{`unknown command "extra"`, usage}},
	})
}

// failure is a command line that must exit with code, print every string of want on stderr,
// nothing on stdout, and not panic.
type failure struct {
	name string
	args []string
	code int
	want []string
}

func requireFailures(t *testing.T, cases []failure) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.args...)
			require.Equal(t, tc.code, r.code, "stdout=%s stderr=%s", r.stdout, r.stderr)
			require.Empty(t, r.stdout, "a failure prints nothing on stdout")
			for _, w := range tc.want {
				require.Contains(t, r.stderr, w)
			}
			require.NotContains(t, r.stderr, "panic")
		})
	}
}

func TestHelpExitsZero(t *testing.T) {
	r := runCLI(t, "--help")
	require.Equal(t, 0, r.code)
	for _, cmd := range []string{"plan", "explain", "simulate", "forecast", "version"} {
		require.Contains(t, r.stdout, cmd)
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, "version")
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "Kubernetes v1.37.2")
}
