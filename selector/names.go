package selector

import (
	"strconv"

	"github.com/daemonkit/daemonkit/internal/field"
)

// The length limits Kubernetes puts on label keys and values.
const (
	maxNameLen   = 63  // the name part of a key, and a value
	maxPrefixLen = 253 // the DNS subdomain prefix of a key
)

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// nameShapeOK reports whether s has the shape of a label name or a non-empty label value:
// alphanumeric at both ends, and alphanumerics, '-', '_' or '.' in between. Length is checked apart.
func nameShapeOK(s string) bool {
	if s == "" || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		c := s[i]
		if !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// isDNSSubdomainShape reports whether s is a lowercase RFC 1123 subdomain, ignoring length:
// dot-separated labels of lowercase alphanumerics and '-', each starting and ending alphanumeric.
func isDNSSubdomainShape(s string) bool {
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			c := s[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
			continue
		}
		part := s[start:i]
		if part == "" || part[0] == '-' || part[len(part)-1] == '-' {
			return false
		}
		start = i + 1
	}
	return true
}

const (
	msgNameShape   = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
	msgValueShape  = "a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
	msgPrefixShape = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
)

// labelKeyProblems lists what is wrong with k as a label key (a Kubernetes qualified name),
// in the order upstream checks it; nil means the key is valid.
func labelKeyProblems(k string) []string {
	var msgs []string
	name := k
	slashes := 0
	for i := 0; i < len(k); i++ {
		if k[i] == '/' {
			slashes++
		}
	}
	switch slashes {
	case 0:
	case 1:
		var prefix string
		for i := 0; i < len(k); i++ {
			if k[i] == '/' {
				prefix, name = k[:i], k[i+1:]
				break
			}
		}
		switch {
		case prefix == "":
			msgs = append(msgs, "prefix part must be non-empty")
		default:
			if len(prefix) > maxPrefixLen {
				msgs = append(msgs, "prefix part must be no more than "+strconv.Itoa(maxPrefixLen)+" characters")
			}
			if !isDNSSubdomainShape(prefix) {
				msgs = append(msgs, "prefix part "+msgPrefixShape)
			}
		}
	default:
		return []string{"a valid label key " + msgNameShape + ", with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"}
	}
	if name == "" {
		msgs = append(msgs, "name part must be non-empty")
	} else if len(name) > maxNameLen {
		msgs = append(msgs, "name part must be no more than "+strconv.Itoa(maxNameLen)+" characters")
	}
	if !nameShapeOK(name) {
		msgs = append(msgs, "name part "+msgNameShape)
	}
	return msgs
}

// labelValueProblems lists what is wrong with v as a label value; nil means it is valid.
func labelValueProblems(v string) []string {
	var msgs []string
	if len(v) > maxNameLen {
		msgs = append(msgs, "must be no more than "+strconv.Itoa(maxNameLen)+" characters")
	}
	if v != "" && !nameShapeOK(v) {
		msgs = append(msgs, msgValueShape)
	}
	return msgs
}

// ValidateLabelKey checks key against Kubernetes' rules for a label key (a qualified name): an
// optional lowercase DNS subdomain prefix of at most 253 characters and a '/', then a name of at most
// 63 characters, alphanumeric at both ends with '-', '_' or '.' inside. Every problem is reported,
// each as an Invalid error at path.
func ValidateLabelKey(key, path string) field.List {
	var errs field.List
	for _, m := range labelKeyProblems(key) {
		errs = append(errs, &field.Error{Path: path, Type: field.Invalid, Value: key, Detail: m})
	}
	return errs
}

// ValidateLabelValue checks v against Kubernetes' rules for a label value: empty, or at most 63
// characters, alphanumeric at both ends with '-', '_' or '.' inside. Every problem is reported, each
// as an Invalid error at path.
func ValidateLabelValue(v, path string) field.List {
	var errs field.List
	for _, m := range labelValueProblems(v) {
		errs = append(errs, &field.Error{Path: path, Type: field.Invalid, Value: v, Detail: m})
	}
	return errs
}
