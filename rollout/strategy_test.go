package rollout

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ptr(v IntOrPercent) *IntOrPercent { return &v }

func rolling(maxUnavailable, maxSurge *IntOrPercent) Strategy {
	return Strategy{Type: RollingUpdate, HasRollingUpdate: true, MaxUnavailable: maxUnavailable, MaxSurge: maxSurge}
}

// TestGetUnavailableNumbers holds the cases of upstream's test of the same name (section 8.2,
// case 11). desired counts the wanted nodes; which of them have pods does not change the budget.
func TestGetUnavailableNumbers(t *testing.T) {
	cases := []struct {
		name                string
		s                   Strategy
		desired             int
		wantSurge, wantUnav int
	}{
		{"no nodes", rolling(ptr(FromInt(0)), nil), 0, 0, 0},
		{"two nodes with ready pods", rolling(ptr(FromInt(1)), nil), 2, 0, 1},
		{"two nodes, one without pods, maxUnavailable 0, maxSurge nil: fallback", rolling(ptr(FromInt(0)), nil), 2, 0, 1},
		{"two nodes, maxSurge 0 and maxUnavailable 0: fallback", rolling(ptr(FromInt(0)), ptr(FromInt(0))), 2, 0, 1},
		{"two nodes, maxUnavailable 50%", rolling(ptr(FromString("50%")), nil), 2, 0, 1},
		{"two nodes, maxSurge 50%", rolling(ptr(FromInt(0)), ptr(FromString("50%"))), 2, 1, 0},
		{"two nodes, maxSurge 100%", rolling(ptr(FromInt(0)), ptr(FromString("100%"))), 2, 2, 0},
		{"three nodes, maxUnavailable 50%, one terminating, one empty", rolling(ptr(FromString("50%")), nil), 3, 0, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			surge, unav, err := c.s.Budget(c.desired)
			require.NoError(t, err)
			assert.Equal(t, c.wantSurge, surge, "maxSurge")
			assert.Equal(t, c.wantUnav, unav, "maxUnavailable")
		})
	}
}

func TestBudgetErrorsAndOnDelete(t *testing.T) {
	_, _, err := rolling(nil, nil).Budget(3)
	require.ErrorIs(t, err, ErrNilMaxUnavailable)
	assert.EqualError(t, err, "maxUnavailable: nil value for IntOrString")

	_, _, err = rolling(ptr(FromString("3")), nil).Budget(3)
	assert.EqualError(t, err, `maxUnavailable: invalid value "3": string is not a percentage`)

	_, _, err = rolling(ptr(FromInt(0)), ptr(FromString("2"))).Budget(3)
	assert.EqualError(t, err, `maxSurge: invalid value "2": string is not a percentage`)

	// maxUnavailable is scaled first, so its error wins.
	_, _, err = rolling(nil, ptr(FromString("2"))).Budget(3)
	require.ErrorIs(t, err, ErrNilMaxUnavailable)

	// OnDelete, or RollingUpdate without a rollingUpdate block, scales nothing, and the fallback
	// then gives maxUnavailable 1 (Decide never runs a pass for OnDelete).
	surge, unav, err := Strategy{Type: OnDelete, MaxUnavailable: ptr(FromInt(5))}.Budget(3)
	require.NoError(t, err)
	assert.Equal(t, [2]int{0, 1}, [2]int{surge, unav})
	surge, unav, err = Strategy{Type: RollingUpdate}.Budget(3)
	require.NoError(t, err)
	assert.Equal(t, [2]int{0, 1}, [2]int{surge, unav})

	// Negative ints pass through, as upstream.
	surge, unav, err = rolling(ptr(FromInt(-2)), nil).Budget(3)
	require.NoError(t, err)
	assert.Equal(t, [2]int{0, -2}, [2]int{surge, unav})
}

func TestAllowsSurge(t *testing.T) {
	assert.True(t, rolling(ptr(FromInt(0)), ptr(FromInt(1))).AllowsSurge())
	assert.True(t, rolling(ptr(FromInt(0)), ptr(FromString("1%"))).AllowsSurge(), "1% of one node rounds up to 1")
	assert.False(t, rolling(ptr(FromInt(1)), ptr(FromInt(0))).AllowsSurge())
	assert.False(t, rolling(ptr(FromInt(1)), ptr(FromString("0%"))).AllowsSurge())
	assert.False(t, rolling(ptr(FromInt(1)), ptr(FromString("5"))).AllowsSurge(), "an invalid value is not surge")
	assert.False(t, rolling(ptr(FromInt(1)), nil).AllowsSurge())
	assert.False(t, Strategy{Type: OnDelete, MaxSurge: ptr(FromInt(3))}.AllowsSurge())
	assert.False(t, Strategy{Type: RollingUpdate, MaxSurge: ptr(FromInt(3))}.AllowsSurge(), "no rollingUpdate block")
}

func TestDefaulted(t *testing.T) {
	d := Strategy{}.Defaulted()
	assert.Equal(t, rolling(ptr(FromInt(1)), ptr(FromInt(0))), d)

	mu := FromString("25%")
	in := Strategy{Type: RollingUpdate, MaxUnavailable: &mu}
	d = in.Defaulted()
	assert.Equal(t, rolling(ptr(FromString("25%")), ptr(FromInt(0))), d)
	assert.False(t, in.HasRollingUpdate, "the receiver is not changed")

	assert.Equal(t, Strategy{Type: OnDelete}, Strategy{Type: OnDelete}.Defaulted())
}

// TestStrategyValidate holds the rules of section 3.8 with the API server's paths and messages.
func TestStrategyValidate(t *testing.T) {
	const ru = "spec.updateStrategy.rollingUpdate"
	cases := []struct {
		name string
		s    Strategy
		want []string
	}{
		{"defaults are valid", Strategy{}.Defaulted(), nil},
		{"surge with maxUnavailable 0", rolling(ptr(FromInt(0)), ptr(FromString("25%"))), nil},
		{"OnDelete ignores rollingUpdate", Strategy{Type: OnDelete, HasRollingUpdate: true, MaxUnavailable: ptr(FromInt(-1))}, nil},
		{"unknown type", Strategy{Type: "Recreate"}, []string{
			`spec.updateStrategy.type: Unsupported value: "Recreate": supported values: "RollingUpdate", "OnDelete"`}},
		{"missing rollingUpdate", Strategy{Type: RollingUpdate}, []string{ru + ": Required value"}},
		{"both non-zero", rolling(ptr(FromInt(1)), ptr(FromInt(1))), []string{
			ru + ".maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"}},
		{"both zero", rolling(ptr(FromInt(0)), ptr(FromString("0%"))), []string{
			ru + ".maxUnavailable: Required value: cannot be 0 when maxSurge is 0"}},
		{"both nil count as zero", rolling(nil, nil), []string{
			ru + ".maxUnavailable: Required value: cannot be 0 when maxSurge is 0"}},
		{"all rules at once, in the server's order", rolling(ptr(FromString("150%")), ptr(FromInt(-1))), []string{
			ru + ".maxSurge: Invalid value: -1: must be greater than or equal to 0",
			ru + `.maxUnavailable: Invalid value: "150%": must not be greater than 100%`,
			ru + ".maxSurge: Invalid value: -1: may not be set when maxUnavailable is non-zero"}},
		{"a bad string counts as zero", rolling(ptr(FromString("abc")), ptr(FromInt(0))), []string{
			ru + `.maxUnavailable: Invalid value: "abc": ` + wantPercentDetail,
			ru + ".maxUnavailable: Required value: cannot be 0 when maxSurge is 0"}},
		{"a number string counts as its number", rolling(ptr(FromString("2")), ptr(FromString("10%"))), []string{
			ru + `.maxUnavailable: Invalid value: "2": ` + wantPercentDetail,
			ru + `.maxSurge: Invalid value: "10%": may not be set when maxUnavailable is non-zero`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, e := range c.s.Validate("spec.updateStrategy") {
				got = append(got, e.Error())
			}
			assert.Equal(t, c.want, got)
		})
	}
}

func TestUnavailableCountOnlyForRollingUpdate(t *testing.T) {
	n, err := Strategy{Type: OnDelete}.UnavailableCount(10)
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	n, err = rolling(ptr(FromString("25%")), nil).UnavailableCount(10)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	_, err = rolling(nil, nil).UnavailableCount(10)
	assert.True(t, errors.Is(err, ErrNilMaxUnavailable))
}
