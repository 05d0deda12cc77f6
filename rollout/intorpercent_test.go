package rollout

import (
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseIntOrPercent(t *testing.T) {
	cases := []struct {
		in      string
		want    IntOrPercent
		wantErr string
	}{
		{in: "3", want: FromInt(3)},
		{in: "0", want: FromInt(0)},
		{in: "-1", want: FromInt(-1)}, // parsed; Validate rejects it
		{in: "+7", want: FromInt(7)},
		{in: "25%", want: FromString("25%")},
		{in: "0%", want: FromString("0%")},
		{in: "150%", want: FromString("150%")}, // kept as written; Validate rejects it
		{in: "2.5%", want: FromString("2.5%")}, // kept as written; Validate rejects it
		{in: "%", want: FromString("%")},       // kept as written; Validate rejects it
		{in: "", wantErr: `invalid int or percent "": empty`},
		{in: "abc", wantErr: `invalid int or percent "abc"`},
		{in: " 3", wantErr: `invalid int or percent " 3"`},
		{in: "3.5", wantErr: `invalid int or percent "3.5"`},
		{in: "2147483648", wantErr: "value out of range"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseIntOrPercent(c.in)
			if c.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestIntOrPercentString(t *testing.T) {
	assert.Equal(t, "3", FromInt(3).String())
	assert.Equal(t, "-2", FromInt(-2).String())
	assert.Equal(t, "25%", FromString("25%").String())
	assert.Equal(t, "", IntOrPercent{IsString: true}.String())
}

// TestScale holds the examples of section 3.1 and the error cases.
func TestScale(t *testing.T) {
	cases := []struct {
		v       IntOrPercent
		total   int
		want    int
		wantErr string
	}{
		{v: FromString("50%"), total: 2, want: 1},
		{v: FromString("50%"), total: 3, want: 2},
		{v: FromString("30%"), total: 10, want: 3},
		{v: FromString("1%"), total: 1, want: 1},
		{v: FromString("100%"), total: 2, want: 2},
		{v: FromString("0%"), total: 7, want: 0},
		{v: FromString("25%"), total: 0, want: 0},
		{v: FromString("25%"), total: 5000, want: 1250},
		{v: FromString("33%"), total: 100001, want: 33001},
		{v: FromString("-50%"), total: 3, want: -1}, // ceil(-1.5) = -1
		{v: FromString("+10%"), total: 10, want: 1},
		{v: FromString("150%"), total: 3, want: 5},
		{v: FromInt(3), total: 0, want: 3},
		{v: FromInt(-4), total: 10, want: -4},
		{v: FromString("3"), total: 10, wantErr: `invalid value "3": string is not a percentage`},
		{v: FromString(""), total: 10, wantErr: `string is not a percentage`},
		{v: FromString("x%"), total: 10, wantErr: `invalid value "x%": strconv.Atoi`},
		{v: FromString("%"), total: 10, wantErr: `invalid value "%"`},
	}
	for _, c := range cases {
		t.Run(c.v.String()+"_of_"+strconv.Itoa(c.total), func(t *testing.T) {
			got, err := c.v.Scale(c.total)
			if c.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

const wantPercentDetail = `a valid percent string must be a numeric string followed by an ending '%' ` +
	`(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`

// TestIntOrPercentValidate holds the per-value rules of section 3.8 with the API server's messages.
func TestIntOrPercentValidate(t *testing.T) {
	const p = "spec.updateStrategy.rollingUpdate.maxUnavailable"
	cases := []struct {
		v    IntOrPercent
		want []string
	}{
		{v: FromInt(0)},
		{v: FromInt(3)},
		{v: FromString("0%")},
		{v: FromString("100%")},
		{v: FromString("007%")},
		{v: FromInt(-1), want: []string{p + ": Invalid value: -1: must be greater than or equal to 0"}},
		{v: FromString("101%"), want: []string{p + `: Invalid value: "101%": must not be greater than 100%`}},
		{v: FromString("5"), want: []string{p + `: Invalid value: "5": ` + wantPercentDetail}},
		{v: FromString("-5%"), want: []string{p + `: Invalid value: "-5%": ` + wantPercentDetail}},
		{v: FromString("+5%"), want: []string{p + `: Invalid value: "+5%": ` + wantPercentDetail}},
		{v: FromString("5.5%"), want: []string{p + `: Invalid value: "5.5%": ` + wantPercentDetail}},
		{v: FromString(" 5%"), want: []string{p + `: Invalid value: " 5%": ` + wantPercentDetail}},
		{v: FromString("5%\n"), want: []string{p + `: Invalid value: "5%\n": ` + wantPercentDetail}},
		{v: FromString("%"), want: []string{p + `: Invalid value: "%": ` + wantPercentDetail}},
		{v: FromString(""), want: []string{p + `: Invalid value: "": ` + wantPercentDetail}},
	}
	for _, c := range cases {
		t.Run(strconv.Quote(c.v.String()), func(t *testing.T) {
			errs := c.v.Validate(p)
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			assert.Equal(t, c.want, got)
		})
	}
}

func TestIsZero(t *testing.T) {
	zero := []IntOrPercent{FromInt(0), FromString("0%"), FromString("000%"), FromString("abc"), FromString(""), FromString("0")}
	for _, v := range zero {
		assert.True(t, v.IsZero(), "%q counts as zero", v.String())
	}
	nonZero := []IntOrPercent{FromInt(1), FromInt(-1), FromString("1%"), FromString("5"), FromString("200%")}
	for _, v := range nonZero {
		assert.False(t, v.IsZero(), "%q counts as non-zero", v.String())
	}
}

// refScale is an exact reference for Scale: integer ceiling division with big.Int, used where
// the float64 computation upstream does is exact (|p*total| well below 2^52).
func refScale(v IntOrPercent, total int) (int, bool) {
	if !v.IsString {
		return int(v.Int), true
	}
	digits, ok := strings.CutSuffix(v.Str, "%")
	if !ok {
		return 0, false
	}
	p, err := strconv.Atoi(digits)
	if err != nil {
		return 0, false
	}
	num := new(big.Int).Mul(big.NewInt(int64(p)), big.NewInt(int64(total)))
	q, m := new(big.Int).DivMod(num, big.NewInt(100), new(big.Int)) // Euclidean: m >= 0
	if m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return int(q.Int64()), true
}

func TestScaleAgreesWithReference(t *testing.T) {
	for p := -300; p <= 300; p++ {
		for total := 0; total <= 250; total++ {
			v := FromString(strconv.Itoa(p) + "%")
			got, err := v.Scale(total)
			require.NoError(t, err)
			want, _ := refScale(v, total)
			if got != want {
				t.Fatalf("%d%% of %d: got %d want %d", p, total, got, want)
			}
		}
	}
}

func FuzzParseIntOrPercent(f *testing.F) {
	for _, s := range []string{"3", "0", "-1", "25%", "0%", "100%", "101%", "", "abc", "2.5%", "+3", "%", "2147483648", " 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseIntOrPercent(s)
		if err != nil {
			return
		}
		// What parses prints back to something that parses to the same value.
		again, err := ParseIntOrPercent(v.String())
		if err != nil {
			t.Fatalf("%q parsed to %#v whose String %q does not parse: %v", s, v, v.String(), err)
		}
		if again != v {
			t.Fatalf("%q: round trip %#v != %#v", s, again, v)
		}
		// Validation and scaling never panic, and a valid value scales without error.
		errs := v.Validate("x")
		for _, total := range []int{0, 1, 3, 100, 5000} {
			if _, err := v.Scale(total); err != nil && len(errs) == 0 {
				t.Fatalf("%q is valid but Scale(%d) fails: %v", s, total, err)
			}
		}
		_ = v.IsZero()
	})
}

func FuzzScale(f *testing.F) {
	f.Add("25%", 5000, false, int32(0))
	f.Add("50%", 3, false, int32(0))
	f.Add("-50%", 3, false, int32(0))
	f.Add("3", 10, false, int32(0))
	f.Add("", 10, true, int32(-4))
	f.Add("99999999999999999999%", 10, false, int32(0))
	f.Fuzz(func(t *testing.T, s string, total int, isInt bool, n int32) {
		v := FromString(s)
		if isInt {
			v = FromInt(n)
		}
		got, err := v.Scale(total)
		want, ok := refScale(v, total)
		if !ok {
			if err == nil {
				t.Fatalf("%#v of %d: want an error, got %d", v, total, got)
			}
			return
		}
		if err != nil {
			t.Fatalf("%#v of %d: unexpected error %v", v, total, err)
		}
		// Compare only where float64 is exact; elsewhere it is enough not to panic.
		if p, _ := strconv.Atoi(strings.TrimSuffix(s, "%")); isInt || (abs(p) < 1<<24 && abs(total) < 1<<24) {
			if got != want {
				t.Fatalf("%#v of %d: got %d want %d", v, total, got, want)
			}
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
