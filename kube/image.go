package kube

import (
	"regexp"
	"strings"
)

// The image reference grammar of the container registries (the distribution project's), which
// the API server parses to choose a default imagePullPolicy. Only the outcome matters here: the
// tag, and whether the reference parses at all.
var (
	imageReferenceRE = regexp.MustCompile(`^(` + imageNamePat + `)(?::(` + imageTagPat + `))?(?:@(` + imageDigestPat + `))?$`)
	imageNameRE      = regexp.MustCompile(`^(?:(` + imageDomainPat + `)/)?(` + imageRemotePat + `)$`)
	hex64RE          = regexp.MustCompile(`^[a-f0-9]{64}$`)
)

const (
	imagePathComponentPat = `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
	imageRemotePat        = imagePathComponentPat + `(?:/` + imagePathComponentPat + `)*`
	imageDomainLabelPat   = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
	imageDomainPat        = `(?:` + imageDomainLabelPat + `(?:\.` + imageDomainLabelPat + `)*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?`
	imageNamePat          = `(?:` + imageDomainPat + `/)?` + imageRemotePat
	imageTagPat           = `[\w][\w.-]{0,127}`
	imageDigestPat        = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`
	maxRepositoryPathLen  = 255
)

// imageTag returns the tag of an image reference as the kubelet and the API server read it:
// "latest" when the reference names neither a tag nor a digest, "" when it names only a digest.
// ok is false when the reference does not parse (the API server then treats the tag as unknown).
func imageTag(image string) (tag string, ok bool) {
	// A bare 64-hex-digit string is an image ID, not a name.
	if hex64RE.MatchString(image) {
		return "", false
	}
	domain, rest := splitImageDomain(image)
	remote := rest
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		remote = rest[:i]
	}
	if strings.ToLower(remote) != remote {
		return "", false
	}
	m := imageReferenceRE.FindStringSubmatch(domain + "/" + rest)
	if m == nil {
		return "", false
	}
	if nm := imageNameRE.FindStringSubmatch(m[1]); nm != nil && len(nm[2]) > maxRepositoryPathLen {
		return "", false
	}
	tag, digest := m[2], m[3]
	if digest != "" && !validDigest(digest) {
		return "", false
	}
	if tag == "" && digest == "" {
		tag = "latest"
	}
	return tag, true
}

// splitImageDomain separates the registry from the repository the way Docker names are
// normalised: a first path element is a registry when it contains '.' or ':', is "localhost", or
// has upper-case letters; otherwise the registry is Docker Hub and single names live in "library/".
func splitImageDomain(name string) (domain, rest string) {
	first, after, found := strings.Cut(name, "/")
	switch {
	case !found:
		return "docker.io", "library/" + name
	case first == "localhost":
		domain, rest = first, after
	case first == "index.docker.io":
		domain, rest = "docker.io", after
	case strings.ContainsAny(first, ".:"), strings.ToLower(first) != first:
		domain, rest = first, after
	default:
		domain, rest = "docker.io", name
	}
	if domain == "docker.io" && !strings.Contains(rest, "/") {
		rest = "library/" + rest
	}
	return domain, rest
}

// validDigest reports whether "algorithm:hex" names one of the digests the API server can check
// (sha256, sha384, sha512) with the right number of lower-case hex digits.
func validDigest(d string) bool {
	alg, enc, ok := strings.Cut(d, ":")
	if !ok {
		return false
	}
	var size int
	switch alg {
	case "sha256":
		size = 64
	case "sha384":
		size = 96
	case "sha512":
		size = 128
	default:
		return false
	}
	if len(enc) != size {
		return false
	}
	for i := 0; i < len(enc); i++ {
		c := enc[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
