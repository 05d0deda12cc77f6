package rollout

import (
	"errors"
	"fmt"

	"github.com/daemonkit/daemonkit/internal/field"
)

// StrategyType names an update strategy. The daemonset package has its own type with the same
// values and converts.
type StrategyType string

// The two update strategies of apps/v1.
const (
	RollingUpdate StrategyType = "RollingUpdate"
	OnDelete      StrategyType = "OnDelete"
)

// Strategy is spec.updateStrategy as the rolling update reads it. HasRollingUpdate false means
// spec.updateStrategy.rollingUpdate is nil; a nil MaxUnavailable or MaxSurge was not set.
type Strategy struct {
	Type             StrategyType
	MaxUnavailable   *IntOrPercent
	MaxSurge         *IntOrPercent
	HasRollingUpdate bool
}

// Defaulted returns a copy with the API server's defaults applied: an empty type becomes
// RollingUpdate; a RollingUpdate strategy gets a rollingUpdate block, maxUnavailable 1 and
// maxSurge 0 where they are missing. OnDelete gets no rollingUpdate defaults. s is not changed.
func (s Strategy) Defaulted() Strategy {
	if s.Type == "" {
		s.Type = RollingUpdate
	}
	if s.Type != RollingUpdate {
		return s
	}
	s.HasRollingUpdate = true
	if s.MaxUnavailable == nil {
		one := FromInt(1)
		s.MaxUnavailable = &one
	}
	if s.MaxSurge == nil {
		zero := FromInt(0)
		s.MaxSurge = &zero
	}
	return s
}

// rolling reports whether the rollingUpdate block is in effect.
func (s Strategy) rolling() bool { return s.Type == RollingUpdate && s.HasRollingUpdate }

// SurgeCount is how many extra pods the strategy allows out of desired nodes: 0 unless the type
// is RollingUpdate with a rollingUpdate block and a maxSurge; otherwise maxSurge scaled against
// desired (rounded up). An invalid percentage is an error naming maxSurge.
func (s Strategy) SurgeCount(desired int) (int, error) {
	if !s.rolling() || s.MaxSurge == nil {
		return 0, nil
	}
	n, err := s.MaxSurge.Scale(desired)
	if err != nil {
		return 0, fmt.Errorf("maxSurge: %w", err)
	}
	return n, nil
}

// ErrNilMaxUnavailable is returned when a RollingUpdate strategy with a rollingUpdate block has no
// maxUnavailable. The API server's defaulting prevents it; the controller fails the update on it.
var ErrNilMaxUnavailable = errors.New("maxUnavailable: nil value for IntOrString")

// UnavailableCount is how many desired nodes may be without an available pod: 0 unless the type
// is RollingUpdate with a rollingUpdate block; otherwise maxUnavailable scaled against desired
// (rounded up). A nil maxUnavailable is ErrNilMaxUnavailable; an invalid percentage is an error.
func (s Strategy) UnavailableCount(desired int) (int, error) {
	if !s.rolling() {
		return 0, nil
	}
	if s.MaxUnavailable == nil {
		return 0, ErrNilMaxUnavailable
	}
	n, err := s.MaxUnavailable.Scale(desired)
	if err != nil {
		return 0, fmt.Errorf("maxUnavailable: %w", err)
	}
	return n, nil
}

// AllowsSurge reports whether the pod loop runs in surge mode: maxSurge scaled against a single
// node is valid and positive. It does not depend on the cluster size, so any positive int or
// percentage surges.
func (s Strategy) AllowsSurge() bool {
	n, err := s.SurgeCount(1)
	return err == nil && n > 0
}

// Budget is the rolling update's budget for desired nodes: maxSurge and maxUnavailable scaled
// against desired (maxUnavailable first, so its error wins). When desired > 0 and both come out
// as 0, maxUnavailable becomes 1, so that an impossible configuration still makes progress.
func (s Strategy) Budget(desired int) (maxSurge, maxUnavailable int, err error) {
	maxUnavailable, err = s.UnavailableCount(desired)
	if err != nil {
		return 0, 0, err
	}
	maxSurge, err = s.SurgeCount(desired)
	if err != nil {
		return 0, 0, err
	}
	if desired > 0 && maxUnavailable == 0 && maxSurge == 0 {
		maxUnavailable = 1
	}
	return maxSurge, maxUnavailable, nil
}

// Validate applies the API server's rules to the strategy at path (such as
// "spec.updateStrategy"); apply Defaulted first, as the server does. The type must be RollingUpdate
// or OnDelete; OnDelete ignores rollingUpdate. RollingUpdate needs a rollingUpdate block; each of
// maxUnavailable and maxSurge must be an int >= 0 or a percentage of at most 100%, and exactly one
// of them must be non-zero. A missing value counts as 0. All errors are returned, in the server's
// order and words, but for one path: an unknown type is reported at path+".type" with the type as
// the value, where the server names path and prints the whole strategy.
func (s Strategy) Validate(path string) field.List {
	switch s.Type {
	case OnDelete:
		return nil
	case RollingUpdate:
	default:
		return field.List{{Path: field.Child(path, "type"), Type: field.Unsupported, Value: string(s.Type),
			Detail: `supported values: "RollingUpdate", "OnDelete"`}}
	}
	ru := field.Child(path, "rollingUpdate")
	if !s.HasRollingUpdate {
		return field.List{{Path: ru, Type: field.Required}}
	}
	mu, ms := valueOrZero(s.MaxUnavailable), valueOrZero(s.MaxSurge)
	muPath, msPath := field.Child(ru, "maxUnavailable"), field.Child(ru, "maxSurge")
	var errs field.List
	errs = append(errs, mu.validateForm(muPath)...)
	errs = append(errs, ms.validateForm(msPath)...)
	errs = append(errs, mu.validateAtMost100(muPath)...)
	errs = append(errs, ms.validateAtMost100(msPath)...)
	hasUnavailable, hasSurge := !mu.IsZero(), !ms.IsZero()
	switch {
	case hasUnavailable && hasSurge:
		errs = append(errs, &field.Error{Path: msPath, Type: field.Invalid, Value: ms.fieldValue(),
			Detail: "may not be set when maxUnavailable is non-zero"})
	case !hasUnavailable && !hasSurge:
		errs = append(errs, &field.Error{Path: muPath, Type: field.Required, Detail: "cannot be 0 when maxSurge is 0"})
	}
	return errs
}

func valueOrZero(v *IntOrPercent) IntOrPercent {
	if v == nil {
		return IntOrPercent{}
	}
	return *v
}
