package daemonset

import (
	"testing"

	"github.com/daemonkit/daemonkit/rollout"
	"github.com/stretchr/testify/require"
)

func TestUpdateStrategyRollout(t *testing.T) {
	require.Equal(t, rollout.Strategy{Type: rollout.OnDelete}, UpdateStrategy{Type: OnDeleteStrategy}.Rollout())
	require.Equal(t, rollout.Strategy{Type: rollout.RollingUpdate}, UpdateStrategy{Type: RollingUpdateStrategy}.Rollout(),
		"no rollingUpdate block")

	mu, ms := rollout.FromString("10%"), rollout.FromInt(0)
	s := UpdateStrategy{Type: RollingUpdateStrategy, RollingUpdate: &RollingUpdate{MaxUnavailable: &mu, MaxSurge: &ms}}.Rollout()
	require.True(t, s.HasRollingUpdate)
	require.Same(t, &mu, s.MaxUnavailable)
	require.Same(t, &ms, s.MaxSurge)
	maxSurge, maxUnav, err := s.Budget(25)
	require.NoError(t, err)
	require.Equal(t, [2]int{0, 3}, [2]int{maxSurge, maxUnav}, "10% of 25 rounds up to 3")
	require.False(t, s.AllowsSurge())
}
