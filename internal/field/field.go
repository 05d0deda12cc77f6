// Package field holds the validation error shared by daemonkit's packages: an error that names the
// field it is about, in the words and format the Kubernetes API server uses, so that a message from
// daemonkit reads like the one kubectl would print for the same manifest.
package field

import (
	"fmt"
	"strconv"
	"strings"
)

// ErrorType says which rule a value broke, as the API server words it.
type ErrorType string

// The error types daemonkit reports.
const (
	Invalid     ErrorType = "Invalid value"
	Required    ErrorType = "Required value"
	Forbidden   ErrorType = "Forbidden"
	Unsupported ErrorType = "Unsupported value"
	TooLong     ErrorType = "Too long"
	Duplicate   ErrorType = "Duplicate value"
)

// Error is one broken rule: the field path (such as "spec.selector.matchExpressions[1].values"),
// the kind of error, the offending value where there is one, and a detail in words.
type Error struct {
	Path   string
	Type   ErrorType
	Value  any
	Detail string
}

// Error prints "path: type: value: detail", the API server's layout, leaving out the parts that
// do not apply (Required and Forbidden print no value).
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(string(e.Type))
	if e.Type != Required && e.Type != Forbidden && e.Type != TooLong && e.Value != nil {
		b.WriteString(": ")
		b.WriteString(formatValue(e.Value))
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case fmt.Stringer:
		return strconv.Quote(x.String())
	default:
		return fmt.Sprint(x)
	}
}

// List is every rule broken by one input, in the order the checks found them.
type List []*Error

// Error joins the messages, one per line, so that a user sees all problems at once.
func (l List) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// ToError returns nil for an empty list and the list itself otherwise, so that callers can
// return it as a plain error without the nil-interface trap.
func (l List) ToError() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Child returns the path of a field below path: Child("spec", "selector") is "spec.selector".
func Child(path string, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Index returns the path of element i of the list at path: Index("spec.x", 2) is "spec.x[2]".
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Key returns the path of the map entry k at path: Key("metadata.labels", "app") is "metadata.labels[app]".
func Key(path string, k string) string { return path + "[" + k + "]" }
