package main

import (
	"encoding/json"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
)

// revisionPatch returns the bytes a ControllerRevision of ds stores as its data, the bytes the
// controller compares to find the current revision (section 5.2 of the semantics): the JSON of
// {"spec":{"template":T}}, where T is the template with an added "$patch":"replace" key. The
// DaemonSet goes through its JSON form and a generic map, so keys come out sorted, as upstream's do.
func revisionPatch(ds *appsv1.DaemonSet) ([]byte, error) {
	whole, err := json.Marshal(ds)
	if err != nil {
		return nil, fmt.Errorf("encode DaemonSet %s: %w", ds.Name, err)
	}
	var generic struct {
		Spec struct {
			Template map[string]any `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(whole, &generic); err != nil {
		return nil, fmt.Errorf("decode DaemonSet %s: %w", ds.Name, err)
	}
	tmpl := generic.Spec.Template
	if tmpl == nil {
		tmpl = map[string]any{}
	}
	tmpl["$patch"] = "replace"
	return json.Marshal(map[string]any{"spec": map[string]any{"template": tmpl}})
}
