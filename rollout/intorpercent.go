package rollout

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
