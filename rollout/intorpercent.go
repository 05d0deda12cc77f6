package rollout

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/daemonkit/daemonkit/internal/field"
)

// IntOrPercent mirrors intstr.IntOrString as the update strategy uses it: either a whole number of
// nodes or a string that should be a percentage such as "25%". It holds whatever the user wrote,
// valid or not, because the controller's behaviour on invalid values is part of the contract.
type IntOrPercent struct {
	// IsString tells which of the two fields holds the value.
	IsString bool
	Int      int32
	Str      string
}

// FromInt returns an IntOrPercent holding the whole number n.
func FromInt(n int32) IntOrPercent { return IntOrPercent{Int: n} }

// FromString returns an IntOrPercent holding s as written, for example "25%".
func FromString(s string) IntOrPercent { return IntOrPercent{IsString: true, Str: s} }

// ParseIntOrPercent reads a value as a user writes it in YAML or on a command line: a whole number
// such as "3" becomes an int, and anything ending in "%" such as "25%" is kept as a string, exactly
// as written, so that Validate can report what is wrong with it (as the API server would). Any other
// text is an error, because guessing would hide a typo.
func ParseIntOrPercent(s string) (IntOrPercent, error) {
	if s == "" {
		return IntOrPercent{}, fmt.Errorf("invalid int or percent %q: empty", s)
	}
	if strings.HasSuffix(s, "%") {
		return FromString(s), nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return IntOrPercent{}, fmt.Errorf("invalid int or percent %q: want a whole number such as 3 or a percentage such as 25%%: %w", s, err)
	}
	return FromInt(int32(n)), nil
}

// String prints the value as a user would write it: "3" for an int, the string as written for a
// string ("25%"). An invalid string such as "3" (no %) prints like an int; use IsString to tell.
func (v IntOrPercent) String() string {
	if v.IsString {
		return v.Str
	}
	return strconv.Itoa(int(v.Int))
}

// percentDetail is the API server's message for a string that is not a valid percentage.
const percentDetail = "a valid percent string must be a numeric string followed by an ending '%' " +
	"(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"

// isValidPercent reports whether s matches ^[0-9]+%$: digits only, then one '%'.
func isValidPercent(s string) bool {
	if len(s) < 2 || s[len(s)-1] != '%' {
		return false
	}
	for i := 0; i < len(s)-1; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// fieldValue is the value a validation error prints: the string as written, or the number.
func (v IntOrPercent) fieldValue() any {
	if v.IsString {
		return v.Str
	}
	return int64(v.Int)
}

// validateForm checks the shape of the value: an int must be >= 0 and a string must match
// ^[0-9]+%$.
func (v IntOrPercent) validateForm(path string) field.List {
	if v.IsString {
		if !isValidPercent(v.Str) {
			return field.List{{Path: path, Type: field.Invalid, Value: v.Str, Detail: percentDetail}}
		}
		return nil
	}
	if v.Int < 0 {
		return field.List{{Path: path, Type: field.Invalid, Value: int64(v.Int), Detail: "must be greater than or equal to 0"}}
	}
	return nil
}

// validateAtMost100 checks that a valid percentage is not above 100%.
func (v IntOrPercent) validateAtMost100(path string) field.List {
	if p, ok := v.percent(); ok && p > 100 {
		return field.List{{Path: path, Type: field.Invalid, Value: v.Str, Detail: "must not be greater than 100%"}}
	}
	return nil
}

// percent returns the number of a valid percentage string. Like the API server it ignores a
// conversion error, so a percentage too large for an int reads as the largest int.
func (v IntOrPercent) percent() (int, bool) {
	if !v.IsString || !isValidPercent(v.Str) {
		return 0, false
	}
	n, _ := strconv.Atoi(v.Str[:len(v.Str)-1])
	return n, true
}

// number is the value the API server's "exactly one of maxSurge and maxUnavailable" rule reads: a
// valid percentage counts its number, an int counts itself, and any other string counts what Atoi
// makes of it (so "abc" counts as 0 and "5" counts as 5).
func (v IntOrPercent) number() int {
	if p, ok := v.percent(); ok {
		return p
	}
	if v.IsString {
		n, _ := strconv.Atoi(v.Str)
		return n
	}
	return int(v.Int)
}

// Validate applies the API server's rules for one maxUnavailable or maxSurge value and names path
// in every error: an int must be >= 0; a string must match ^[0-9]+%$ (no sign, space or decimals)
// and be at most 100%.
func (v IntOrPercent) Validate(path string) field.List {
	errs := v.validateForm(path)
	return append(errs, v.validateAtMost100(path)...)
}

// IsZero reports whether the API server counts the value as zero when it checks that exactly one
// of maxSurge and maxUnavailable is set: 0, "0%", and also a string that is neither a percentage
// nor a number (such as "abc"), which the server reads as 0.
func (v IntOrPercent) IsZero() bool { return v.number() == 0 }

// Scale turns the value into a number of nodes out of total, the way the controller does: an int
// is used as it is (even a negative one); a string must end in "%" and the rest, read as a signed
// integer p, gives ceil(p*total/100), computed in float64 as upstream does. Any other string is an
// error. Examples: 50% of 3 is 2, 1% of 1 is 1, any percentage of 0 is 0.
func (v IntOrPercent) Scale(total int) (int, error) {
	if !v.IsString {
		return int(v.Int), nil
	}
	digits, ok := strings.CutSuffix(v.Str, "%")
	if !ok {
		return 0, fmt.Errorf("invalid value %q: string is not a percentage", v.Str)
	}
	p, err := strconv.Atoi(digits)
	if err != nil {
		return 0, fmt.Errorf("invalid value %q: %w", v.Str, err)
	}
	return int(math.Ceil(float64(p) * float64(total) / 100)), nil
}
