package kube

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"sigs.k8s.io/yaml"
)

// MaxManifestBytes is the largest manifest the decoders accept: 64 MiB. A cluster of 5,000 nodes
// printed by `kubectl get nodes -o yaml` takes about 50 MiB; anything larger is refused before it
// is parsed, so that a wrong file cannot exhaust memory.
const MaxManifestBytes = 64 << 20

// DecodeOptions tunes the manifest decoders. The zero value is strict.
type DecodeOptions struct {
	// AllowUnknownFields accepts fields this version of k8s.io/api does not know, for manifests
	// written by newer clusters. Without it an unknown field is an error, so that a typo such as
	// `nodeSelecter` cannot silently drop a selector. Duplicated fields are errors either way.
	AllowUnknownFields bool
	// AsWritten skips the storage round trip: objects are returned as the file has them, with
	// defaults, instead of as a controller reads them back from the API server (protobuf, where
	// an empty list becomes nil and "0.5" becomes "500m"). The two differ in their revision hash
	// when the template holds such values. Use it to compare with tools that default objects in
	// process without storing them, such as the upstream controller's unit tests.
	AsWritten bool
}

// DecodeError is a manifest problem, located: the file, the 1-based document within it, the
// 1-based item within a List (0 outside one), and the object's kind and name when they could be read.
type DecodeError struct {
	File     string
	Document int
	Item     int
	Kind     string
	Name     string
	Err      error
}

// Error prints `file: document 2 (Node node-3): detail`, leaving out the parts that are unknown.
func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Document > 0 {
		fmt.Fprintf(&b, ": document %d", e.Document)
	}
	if e.Item > 0 {
		fmt.Fprintf(&b, ", item %d", e.Item)
	}
	if e.Kind != "" || e.Name != "" {
		b.WriteString(" (")
		b.WriteString(strings.TrimSpace(e.Kind + " " + e.Name))
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Object is one Kubernetes object read from a manifest, with where it was found.
type Object struct {
	// Obj is a *corev1.Node, *corev1.Pod, *appsv1.DaemonSet or *appsv1.ControllerRevision,
	// with the API server's defaults applied.
	Obj runtime.Object
	// Document is the 1-based index of the YAML document; Item the 1-based index in a List (or 0).
	Document, Item int
}

// supported lists the kinds daemonkit reads and the one apiVersion it reads each in.
var supported = map[string]string{
	"Node":               "v1",
	"Pod":                "v1",
	"DaemonSet":          "apps/v1",
	"ControllerRevision": "apps/v1",
}

var (
	scheme  = newScheme()
	decoder = kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme, kjson.SerializerOptions{Strict: true})
)

func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	s.AddKnownTypes(corev1.SchemeGroupVersion, &corev1.Node{}, &corev1.Pod{})
	s.AddKnownTypes(appsv1.SchemeGroupVersion, &appsv1.DaemonSet{}, &appsv1.ControllerRevision{})
	return s
}

// ReadManifest reads a manifest file, refusing one larger than MaxManifestBytes.
func ReadManifest(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxManifestBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxManifestBytes {
		return nil, fmt.Errorf("%s: larger than the %d MiB limit for manifests", path, MaxManifestBytes>>20)
	}
	return data, nil
}

// DecodeObjects reads every object of a manifest held in memory: YAML or JSON, one object,
// several YAML documents separated by `---`, or lists (`kind: List` as kubectl prints them, and
// NodeList, PodList, DaemonSetList, ControllerRevisionList). name labels errors (usually the
// file name). Each object gets the API server's defaults. Objects are returned in file order.
//
// An input with no object at all, invalid YAML or JSON, a kind other than Node, Pod, DaemonSet
// and ControllerRevision, an apiVersion other than the one daemonkit reads for the kind, and
// (unless opts allows them) unknown fields are errors; duplicated fields always are.
func DecodeObjects(name string, data []byte, opts DecodeOptions) ([]Object, error) {
	if len(data) > MaxManifestBytes {
		return nil, fmt.Errorf("%s: larger than the %d MiB limit for manifests", name, MaxManifestBytes>>20)
	}
	docs, err := splitDocuments(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []Object
	for i, doc := range docs {
		objs, err := decodeDocument(name, i+1, doc, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	if len(out) == 0 {
		if len(docs) == 0 {
			return nil, fmt.Errorf("%s: empty: no Kubernetes object found", name)
		}
		// Only empty lists: a legitimate "nothing here", such as a cluster with no pods.
		return nil, nil
	}
	return out, nil
}

// splitDocuments cuts YAML at `---` lines and drops documents with nothing but comments and
// blanks. JSON input (starting with '{' or '[') is one document.
func splitDocuments(data []byte) ([][]byte, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, nil
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		return [][]byte{trimmed}, nil
	}
	var docs [][]byte
	var cur bytes.Buffer
	flush := func() {
		if hasContent(cur.Bytes()) {
			docs = append(docs, bytes.Clone(cur.Bytes()))
		}
		cur.Reset()
	}
	line := 0
	for rest := data; len(rest) > 0; {
		line++
		var l []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i+1], rest[i+1:]
		} else {
			l, rest = rest, nil
		}
		if bytes.HasPrefix(l, []byte("---")) {
			after := strings.TrimSpace(string(l[3:]))
			if after == "" || strings.HasPrefix(after, "#") {
				flush()
				continue
			}
			if len(l) > 3 && (l[3] == ' ' || l[3] == '\t') {
				return nil, fmt.Errorf("line %d: a document separator must stand alone on its line, found %q", line, strings.TrimSpace(string(l)))
			}
		}
		cur.Write(l)
	}
	flush()
	return docs, nil
}

func hasContent(doc []byte) bool {
	for _, l := range bytes.Split(doc, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if len(l) > 0 && l[0] != '#' {
			return true
		}
	}
	return false
}

// peek holds what is read from an object before it is decoded for good, to name it in errors.
type peek struct {
	apiVersion, kind, name string
}

func peekObject(raw map[string]json.RawMessage) peek {
	var p peek
	_ = json.Unmarshal(raw["apiVersion"], &p.apiVersion)
	_ = json.Unmarshal(raw["kind"], &p.kind)
	var meta struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	}
	if m, ok := raw["metadata"]; ok && json.Unmarshal(m, &meta) == nil {
		p.name = meta.Name
		if meta.Namespace != "" && meta.Name != "" {
			p.name = meta.Namespace + "/" + meta.Name
		}
	}
	return p
}

func decodeDocument(file string, index int, doc []byte, opts DecodeOptions) ([]Object, error) {
	fail := func(p peek, item int, err error) error {
		return &DecodeError{File: file, Document: index, Item: item, Kind: p.kind, Name: p.name, Err: err}
	}
	isJSON := doc[0] == '{' || doc[0] == '['
	data := doc
	var duplicate error
	if !isJSON {
		var err error
		if data, err = yaml.YAMLToJSONStrict(doc); err != nil {
			// Either invalid YAML or a duplicated field: the lenient conversion tells which, and
			// reads the object's name for the error. (Parsing twice only on failure keeps the
			// common path at one parse.)
			strictErr := err
			if data, err = yaml.YAMLToJSON(doc); err != nil {
				return nil, fail(peek{}, 0, fmt.Errorf("invalid YAML: %w", err))
			}
			duplicate = strictErr
		}
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		if isJSON {
			return nil, fail(peek{}, 0, fmt.Errorf("invalid JSON or not an object: %w", err))
		}
		return nil, fail(peek{}, 0, errors.New("not a Kubernetes object: want a mapping with apiVersion and kind"))
	}
	if raw == nil {
		return nil, fail(peek{}, 0, errors.New("not a Kubernetes object: want a mapping with apiVersion and kind"))
	}
	p := peekObject(raw)
	if duplicate != nil {
		return nil, fail(p, 0, fmt.Errorf("duplicate field: %w", duplicate))
	}
	if p.kind == "List" || strings.HasSuffix(p.kind, "List") {
		return decodeList(file, index, p, raw, opts, fail)
	}
	obj, err := decodeObject(data, p, "", opts)
	if err != nil {
		return nil, fail(p, 0, err)
	}
	return []Object{{Obj: obj, Document: index}}, nil
}

func decodeList(file string, index int, p peek, raw map[string]json.RawMessage, opts DecodeOptions, fail func(peek, int, error) error) ([]Object, error) {
	// A typed list (NodeList) may leave kind and apiVersion out of its items.
	itemKind := ""
	if p.kind != "List" {
		itemKind = strings.TrimSuffix(p.kind, "List")
		if want, ok := supported[itemKind]; !ok {
			return nil, fail(p, 0, fmt.Errorf("unsupported kind %q: daemonkit reads Node, Pod, DaemonSet and ControllerRevision objects and lists of them", p.kind))
		} else if p.apiVersion != want {
			return nil, fail(p, 0, fmt.Errorf("apiVersion %q is not supported for %s: want %q", p.apiVersion, p.kind, want))
		}
	} else if p.apiVersion != "v1" {
		return nil, fail(p, 0, fmt.Errorf("apiVersion %q is not supported for List: want \"v1\"", p.apiVersion))
	}
	if !opts.AllowUnknownFields {
		// In name order, so that of two unknown fields the same one is reported every time.
		for _, k := range slices.Sorted(maps.Keys(raw)) {
			switch k {
			case "apiVersion", "kind", "metadata", "items":
			default:
				return nil, fail(p, 0, fmt.Errorf("unknown field %q", k))
			}
		}
	}
	var items []json.RawMessage
	if r, ok := raw["items"]; ok {
		if err := json.Unmarshal(r, &items); err != nil {
			return nil, fail(p, 0, errors.New(`field "items" must be a list of objects`))
		}
	}
	out := make([]Object, 0, len(items))
	for i, item := range items {
		var itemRaw map[string]json.RawMessage
		if err := json.Unmarshal(item, &itemRaw); err != nil || itemRaw == nil {
			return nil, fail(peek{}, i+1, errors.New("list item is not an object"))
		}
		ip := peekObject(itemRaw)
		if ip.kind == "" && itemKind != "" {
			ip.kind, ip.apiVersion = itemKind, p.apiVersion
		}
		obj, err := decodeObject(item, ip, itemKind, opts)
		if err != nil {
			return nil, fail(ip, i+1, err)
		}
		out = append(out, Object{Obj: obj, Document: index, Item: i + 1})
	}
	return out, nil
}

// decodeObject decodes one object strictly and applies the API server's defaults. defaultKind
// is the kind a typed list implies for items that leave it out.
func decodeObject(data []byte, p peek, defaultKind string, opts DecodeOptions) (runtime.Object, error) {
	if p.kind == "" {
		return nil, errors.New(`missing "kind"`)
	}
	want, ok := supported[p.kind]
	if !ok {
		return nil, fmt.Errorf("unsupported kind %q: daemonkit reads Node, Pod, DaemonSet and ControllerRevision", p.kind)
	}
	if p.apiVersion == "" {
		return nil, errors.New(`missing "apiVersion"`)
	}
	if p.apiVersion != want {
		return nil, fmt.Errorf("apiVersion %q is not supported for %s: want %q", p.apiVersion, p.kind, want)
	}
	var gvk *schema.GroupVersionKind
	if defaultKind != "" {
		gv, _ := schema.ParseGroupVersion(want)
		k := gv.WithKind(defaultKind)
		gvk = &k
	}
	obj, _, err := decoder.Decode(data, gvk, nil)
	if err != nil {
		strict, isStrict := runtime.AsStrictDecodingError(err)
		if !isStrict || obj == nil {
			if strings.Contains(err.Error(), "cannot unmarshal bool into") {
				return nil, fmt.Errorf("%w (YAML reads an unquoted yes, no, on, off, y or n as a boolean: quote it)", err)
			}
			return nil, err
		}
		var problems []string
		for _, e := range strict.Errors() {
			if opts.AllowUnknownFields && strings.HasPrefix(e.Error(), "unknown field") {
				continue
			}
			problems = append(problems, e.Error())
		}
		if len(problems) > 0 {
			return nil, errors.New(strings.Join(problems, "; "))
		}
	}
	kind := schema.FromAPIVersionAndKind(p.apiVersion, p.kind)
	switch o := obj.(type) {
	case *corev1.Node:
		DefaultNode(o)
		err = roundTripUnless(opts.AsWritten, o)
	case *corev1.Pod:
		DefaultPod(o)
		err = roundTripUnless(opts.AsWritten, o)
	case *appsv1.DaemonSet:
		DefaultDaemonSet(o)
		err = roundTripUnless(opts.AsWritten, o)
	case *appsv1.ControllerRevision:
		err = roundTripUnless(opts.AsWritten, o)
	}
	if err != nil {
		return nil, err
	}
	// Protobuf does not carry the type; keep it, as kubectl does.
	obj.GetObjectKind().SetGroupVersionKind(kind)
	return obj, nil
}

func roundTripUnless[T any, PT interface {
	*T
	protoMessage
}](skip bool, obj PT) error {
	if skip {
		return nil
	}
	return storageRoundTrip(obj)
}
