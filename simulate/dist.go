package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// DistKind names the shape of a latency distribution.
type DistKind string

// The latency distributions a scenario can use.
const (
	// DistFixed always gives Value.
	DistFixed DistKind = "fixed"
	// DistUniform gives a value in [Min, Max], uniformly.
	DistUniform DistKind = "uniform"
	// DistLogNormal gives exp(N(ln Median, Sigma)): a long right tail around Median, the usual
	// shape of image pulls and container start-up. Max, when set, caps it.
	DistLogNormal DistKind = "lognormal"
	// DistEmpirical picks one of Values with equal probability (measured latencies).
	DistEmpirical DistKind = "empirical"
)

// Dist is a latency distribution. The zero Dist is "always 0".
type Dist struct {
	Kind   DistKind
	Value  time.Duration   // fixed
	Min    time.Duration   // uniform
	Max    time.Duration   // uniform; lognormal cap (0: no cap)
	Median time.Duration   // lognormal
	Sigma  float64         // lognormal
	Values []time.Duration // empirical
}

// Fixed returns a distribution that always gives d.
func Fixed(d time.Duration) Dist { return Dist{Kind: DistFixed, Value: d} }

// Uniform returns a distribution uniform over [lo, hi].
func Uniform(lo, hi time.Duration) Dist { return Dist{Kind: DistUniform, Min: lo, Max: hi} }

// LogNormal returns a log-normal distribution with the given median and sigma (of the log).
func LogNormal(median time.Duration, sigma float64) Dist {
	return Dist{Kind: DistLogNormal, Median: median, Sigma: sigma}
}

// Empirical returns a distribution that picks one of values at random.
func Empirical(values ...time.Duration) Dist { return Dist{Kind: DistEmpirical, Values: values} }

// Validate reports a distribution that cannot be sampled, naming path.
func (d Dist) Validate(path string) error {
	switch d.Kind {
	case "":
		return nil
	case DistFixed:
		if d.Value < 0 {
			return fmt.Errorf("%s.value: must not be negative, got %s", path, d.Value)
		}
	case DistUniform:
		if d.Min < 0 || d.Max < d.Min {
			return fmt.Errorf("%s: want 0 <= min <= max, got min %s max %s", path, d.Min, d.Max)
		}
	case DistLogNormal:
		if d.Median <= 0 || d.Sigma < 0 || math.IsNaN(d.Sigma) || math.IsInf(d.Sigma, 0) {
			return fmt.Errorf("%s: want median > 0 and a finite sigma >= 0, got median %s sigma %v", path, d.Median, d.Sigma)
		}
	case DistEmpirical:
		if len(d.Values) == 0 {
			return fmt.Errorf("%s.values: must not be empty", path)
		}
		for i, v := range d.Values {
			if v < 0 {
				return fmt.Errorf("%s.values[%d]: must not be negative, got %s", path, i, v)
			}
		}
	default:
		return fmt.Errorf("%s.kind: unsupported value %q: want fixed, uniform, lognormal or empirical", path, d.Kind)
	}
	return nil
}

// Sample draws one latency from r. A fixed or zero distribution draws nothing from r, so adding
// a random latency elsewhere does not shift the stream of a fixed one.
func (d Dist) Sample(r *rand.Rand) time.Duration {
	switch d.Kind {
	case DistFixed:
		return d.Value
	case DistUniform:
		if d.Max == d.Min {
			return d.Min
		}
		return d.Min + time.Duration(r.Int64N(int64(d.Max-d.Min)+1))
	case DistLogNormal:
		v := float64(d.Median) * math.Exp(r.NormFloat64()*d.Sigma)
		if d.Max > 0 && v > float64(d.Max) {
			return d.Max
		}
		if v > float64(math.MaxInt64/2) {
			return time.Duration(math.MaxInt64 / 2)
		}
		return time.Duration(v)
	case DistEmpirical:
		return d.Values[r.IntN(len(d.Values))]
	}
	return 0
}

// Random streams, one per concern: each is its own PCG seeded from the run's seed and a constant,
// so drawing more from one (say, a fault turned on) never shifts the draws of another.
const (
	streamLatency uint64 = 0x6c6174656e637921 // pod and API latencies
	streamFaults  uint64 = 0x6661756c74732121 // crashes, flapping, API errors
	streamChurn   uint64 = 0x636875726e212121 // rate-drawn cluster events
)

func newStream(seed, concern uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, concern))
}

// expDelay draws the wait until the next event of a Poisson process with the given rate per
// second.
func expDelay(r *rand.Rand, perSecond float64) time.Duration {
	return time.Duration(r.ExpFloat64() / perSecond * float64(time.Second))
}
