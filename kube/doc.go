// Package kube is daemonkit's door to Kubernetes: it reads Nodes, Pods, DaemonSets and
// ControllerRevisions from ordinary manifests or k8s.io/api values, converts them to the pure
// model of package daemonset, and turns the model's decisions back into API objects.
//
// # Manifests
//
// The decoders accept YAML or JSON: one object, several YAML documents, and lists (`kind: List`
// as `kubectl get -o yaml` prints it, NodeList, PodList, DaemonSetList,
// ControllerRevisionList). They are strict: an unknown or duplicated field, a kind or apiVersion
// daemonkit does not read, an empty file, invalid YAML, an input over MaxManifestBytes (64 MiB)
// and YAML alias bombs are errors that name the file, the document, the object and the field.
// DecodeOptions.AllowUnknownFields accepts fields of newer API versions.
//
// Every object gets the defaults the API server (Kubernetes v1.37.2) gives it, and then goes
// through the storage round trip a controller sees (protobuf: an empty list becomes nil,
// "0.5" becomes "500m"), because the revision hash is computed over every field of the stored
// template.
//
// # The revision hash
//
// ComputeHash is upstream's controller-revision-hash, bit for bit, so that pods created by a
// real cluster are recognised as current or old without their ControllerRevisions.
// DaemonSetPatch, NewControllerRevision and CurrentRevision reproduce how the controller finds
// and creates revisions.
//
// # A reconcile from files
//
//	ds, err := kube.LoadDaemonSet("ds.yaml", kube.DecodeOptions{})
//	if err != nil { … }
//	nodes, err := kube.LoadNodes("nodes.yaml", kube.DecodeOptions{})
//	if err != nil { … }
//	pods, err := kube.LoadPods("pods.yaml", kube.DecodeOptions{})
//	if err != nil { … }
//	model, err := kube.DaemonSetFromKube(ds)
//	if err != nil { … }
//	in := daemonset.Input{DaemonSet: model, Hash: kube.ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount), Now: time.Now()}
//	if in.Nodes, err = kube.NodesFromKube(nodes); err != nil { … }
//	if in.Pods, err = kube.PodsFromKube(pods); err != nil { … }
//	res, err := daemonset.Plan(in, daemonset.Options{})
//	for _, c := range res.Creates {
//		pod, err := kube.NewDaemonPod(ds, c.Node, in.Hash) // what to send to the API server
//		…
//	}
//	ds.Status = kube.StatusToKube(res.Status)
//
// Only this package and the command line import k8s.io modules; the pure packages never do.
package kube
