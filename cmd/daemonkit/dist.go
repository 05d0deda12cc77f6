package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/daemonkit/daemonkit/simulate"
)

// parseDist reads a latency distribution as written on the command line:
//
//	5s                      always 5 s
//	fixed:5s                the same
//	uniform:2s:10s          uniform between 2 s and 10 s
//	lognormal:3s:0.5        log-normal with median 3 s and sigma 0.5 (of the log)
//	lognormal:3s:0.5:2m     the same, capped at 2 min
//	empirical:1s,2s,8s      one of the values, each equally likely
func parseDist(s string) (simulate.Dist, error) {
	kind, rest, found := strings.Cut(s, ":")
	if !found {
		d, err := time.ParseDuration(s)
		if err != nil {
			return simulate.Dist{}, fmt.Errorf("%q: want a duration such as 5s, or fixed:D, uniform:MIN:MAX, lognormal:MEDIAN:SIGMA[:MAX] or empirical:D1,D2", s)
		}
		return checkDist(simulate.Fixed(d))
	}
	parts := strings.Split(rest, ":")
	// durs parses ss as durations; form, when set, is the syntax of a kind that takes len(ss).
	durs := func(ss []string, form string, n int) ([]time.Duration, error) {
		if form != "" && len(ss) != n {
			return nil, fmt.Errorf("%q: want %s", s, form)
		}
		out := make([]time.Duration, len(ss))
		for i, x := range ss {
			d, err := time.ParseDuration(x)
			if err != nil {
				return nil, fmt.Errorf("%q: %q is not a duration such as 5s", s, x)
			}
			out[i] = d
		}
		return out, nil
	}
	switch kind {
	case "fixed":
		d, err := durs(parts, "fixed:DURATION", 1)
		if err != nil {
			return simulate.Dist{}, err
		}
		return checkDist(simulate.Fixed(d[0]))
	case "uniform":
		d, err := durs(parts, "uniform:MIN:MAX", 2)
		if err != nil {
			return simulate.Dist{}, err
		}
		return checkDist(simulate.Uniform(d[0], d[1]))
	case "lognormal":
		if len(parts) != 2 && len(parts) != 3 {
			return simulate.Dist{}, fmt.Errorf("%q: want lognormal:MEDIAN:SIGMA or lognormal:MEDIAN:SIGMA:MAX", s)
		}
		med, err := durs(parts[:1], "", 0)
		if err != nil {
			return simulate.Dist{}, err
		}
		sigma, err := strconv.ParseFloat(parts[1], 64)
		if err != nil {
			return simulate.Dist{}, fmt.Errorf("%q: sigma %q is not a number", s, parts[1])
		}
		d := simulate.LogNormal(med[0], sigma)
		if len(parts) == 3 {
			mx, err := durs(parts[2:], "", 0)
			if err != nil {
				return simulate.Dist{}, err
			}
			d.Max = mx[0]
		}
		return checkDist(d)
	case "empirical":
		d, err := durs(strings.Split(rest, ","), "", 0)
		if err != nil {
			return simulate.Dist{}, err
		}
		return checkDist(simulate.Empirical(d...))
	}
	return simulate.Dist{}, fmt.Errorf("%q: unknown distribution %q: want fixed, uniform, lognormal or empirical", s, kind)
}

func checkDist(d simulate.Dist) (simulate.Dist, error) {
	if err := d.Validate("distribution"); err != nil {
		return simulate.Dist{}, err
	}
	return d, nil
}

// distFlag is a pflag.Value holding a distribution, so that a bad one is a usage error.
type distFlag struct {
	set  bool
	text string
	dist simulate.Dist
}

func (f *distFlag) String() string { return f.text }
func (f *distFlag) Type() string   { return "dist" }
func (f *distFlag) Set(s string) error {
	d, err := parseDist(s)
	if err != nil {
		return err
	}
	f.set, f.text, f.dist = true, s, d
	return nil
}
