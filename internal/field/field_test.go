package field

import "testing"

func TestErrorLayout(t *testing.T) {
	cases := []struct {
		err  Error
		want string
	}{
		{Error{Path: "spec.updateStrategy.rollingUpdate.maxUnavailable", Type: Invalid, Value: 0, Detail: "cannot be 0 when maxSurge is 0"},
			"spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0 when maxSurge is 0"},
		{Error{Path: "spec.selector", Type: Required, Detail: "selector is required"}, "spec.selector: Required value: selector is required"},
		{Error{Path: "spec.x", Type: Invalid, Value: "25", Detail: "must be a percentage"}, `spec.x: Invalid value: "25": must be a percentage`},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestListToError(t *testing.T) {
	var l List
	if l.ToError() != nil {
		t.Fatal("empty list must be a nil error")
	}
	l = append(l, &Error{Path: "a", Type: Required}, &Error{Path: "b", Type: Forbidden, Detail: "no"})
	if got, want := l.ToError().Error(), "a: Required value\nb: Forbidden: no"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if Index(Child("spec", "x"), 2) != "spec.x[2]" || Key("m", "k") != "m[k]" {
		t.Fatal("path helpers")
	}
}
