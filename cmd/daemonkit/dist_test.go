package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/daemonkit/daemonkit/simulate"
)

func TestParseDist(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want simulate.Dist
	}{
		{"5s", simulate.Fixed(5 * time.Second)},
		{"fixed:250ms", simulate.Fixed(250 * time.Millisecond)},
		{"uniform:2s:10s", simulate.Uniform(2*time.Second, 10*time.Second)},
		{"lognormal:3s:0.5", simulate.LogNormal(3*time.Second, 0.5)},
		{"lognormal:3s:0.5:2m", simulate.Dist{Kind: simulate.DistLogNormal, Median: 3 * time.Second, Sigma: 0.5, Max: 2 * time.Minute}},
		{"empirical:1s,2s,8s", simulate.Empirical(time.Second, 2*time.Second, 8*time.Second)},
	} {
		got, err := parseDist(tc.in)
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
}

func TestParseDistErrors(t *testing.T) {
	for _, in := range []string{"", "5", "fast", "fixed:", "uniform:2s", "uniform:10s:2s", "lognormal:3s", "lognormal:3s:x",
		"lognormal:0s:0.5", "empirical:", "empirical:1s,-2s", "gauss:1s:2s", "fixed:-1s"} {
		_, err := parseDist(in)
		require.Error(t, err, "%q should not parse", in)
	}
}

func FuzzParseDist(f *testing.F) {
	for _, s := range []string{"5s", "uniform:1s:2s", "lognormal:3s:0.5:1m", "empirical:1s,2s", "x:y:z", ":::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDist(s)
		if err != nil {
			return
		}
		// Anything accepted can be sampled without error.
		require.NoError(t, d.Validate("d"))
	})
}
