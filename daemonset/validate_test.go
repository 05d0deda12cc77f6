package daemonset

import (
	"testing"

	"github.com/daemonkit/daemonkit/rollout"
	"github.com/daemonkit/daemonkit/selector"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validDS() *DaemonSet {
	ds := newDS("RollingUpdate")
	Default(ds)
	return ds
}

func iop(v rollout.IntOrPercent) *rollout.IntOrPercent { return &v }

func TestValidate(t *testing.T) {
	neg := int32(-1)
	deadline := int64(10)
	cases := []struct {
		name string
		edit func(*DaemonSet)
		want []string
	}{
		{"valid", func(*DaemonSet) {}, nil},
		{"both zero", func(ds *DaemonSet) {
			ds.UpdateStrategy.RollingUpdate = &RollingUpdate{MaxUnavailable: iop(rollout.FromInt(0)), MaxSurge: iop(rollout.FromInt(0))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"}},
		{"both non-zero", func(ds *DaemonSet) {
			ds.UpdateStrategy.RollingUpdate = &RollingUpdate{MaxUnavailable: iop(rollout.FromInt(1)), MaxSurge: iop(rollout.FromInt(1))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"}},
		{"nil selector", func(ds *DaemonSet) { ds.Selector = nil }, []string{
			"spec.template.metadata.labels: Invalid value: {\"name\":\"simple-daemon\",\"type\":\"production\"}: `selector` does not match template `labels`"}},
		{"empty selector", func(ds *DaemonSet) { ds.Selector = &selector.LabelSelector{} }, []string{
			"spec.selector: Invalid value: {}: empty selector is invalid for daemonset"}},
		{"selector does not match", func(ds *DaemonSet) { ds.Selector.MatchLabels["type"] = "test" }, []string{
			"spec.template.metadata.labels: Invalid value: {\"name\":\"simple-daemon\",\"type\":\"production\"}: `selector` does not match template `labels`"}},
		{"restartPolicy", func(ds *DaemonSet) { ds.Template.RestartPolicy = "OnFailure" }, []string{
			"spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""}},
		{"unknown restartPolicy", func(ds *DaemonSet) { ds.Template.RestartPolicy = "Sometimes" }, []string{
			"spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
			"spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\""}},
		{"no restartPolicy", func(ds *DaemonSet) { ds.Template.RestartPolicy = "" }, []string{
			"spec.template.spec.restartPolicy: Required value",
			"spec.template.spec.restartPolicy: Unsupported value: \"\": supported values: \"Always\""}},
		{"activeDeadlineSeconds", func(ds *DaemonSet) { ds.Template.ActiveDeadlineSeconds = &deadline }, []string{
			"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"}},
		{"minReadySeconds", func(ds *DaemonSet) { ds.MinReadySeconds = -1 }, []string{
			"spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"}},
		{"revisionHistoryLimit", func(ds *DaemonSet) { ds.RevisionHistoryLimit = &neg }, []string{
			"spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"}},
		{"name", func(ds *DaemonSet) { ds.Name = "Foo" }, []string{
			"metadata.name: Invalid value: \"Foo\": " + msgDNS1123Sub}},
		{"no name", func(ds *DaemonSet) { ds.Name = "" }, []string{"metadata.name: Required value: name or generateName is required"}},
		{"several at once", func(ds *DaemonSet) {
			ds.MinReadySeconds = -1
			ds.RevisionHistoryLimit = &neg
			ds.UpdateStrategy.RollingUpdate.MaxUnavailable = iop(rollout.FromString("101%"))
		}, []string{
			"spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
			"spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"101%\": must not be greater than 100%",
			"spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
		}},
		{"OnDelete ignores rollingUpdate", func(ds *DaemonSet) {
			ds.UpdateStrategy = UpdateStrategy{Type: OnDeleteStrategy, RollingUpdate: &RollingUpdate{MaxUnavailable: iop(rollout.FromInt(0))}}
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := validDS()
			c.edit(ds)
			var got []string
			for _, e := range Validate(ds) {
				got = append(got, e.Error())
			}
			assert.Equal(t, c.want, got)
		})
	}
}

func TestValidateTemplateRules(t *testing.T) {
	ds := validDS()
	ds.Template.NodeSelector = map[string]string{"bad key!": "v"}
	ds.Template.Tolerations = []selector.Toleration{{Key: "", Operator: selector.TolerationEqual, Value: "x"}}
	ds.Template.RequiredNodeAffinity = &selector.NodeSelector{}
	errs := Validate(ds)
	paths := map[string]bool{}
	for _, e := range errs {
		paths[e.Path] = true
	}
	assert.True(t, paths["spec.template.spec.nodeSelector"], "%v", errs)
	assert.True(t, hasPrefix(paths, "spec.template.spec.tolerations[0]"), "%v", errs)
	assert.True(t, hasPrefix(paths, "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"), "%v", errs)
}

func hasPrefix(paths map[string]bool, prefix string) bool {
	for p := range paths {
		if len(p) >= len(prefix) && p[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}

func TestDefault(t *testing.T) {
	ds := &DaemonSet{}
	Default(ds)
	require.Equal(t, RollingUpdateStrategy, ds.UpdateStrategy.Type)
	require.NotNil(t, ds.UpdateStrategy.RollingUpdate)
	assert.Equal(t, rollout.FromInt(1), *ds.UpdateStrategy.RollingUpdate.MaxUnavailable)
	assert.Equal(t, rollout.FromInt(0), *ds.UpdateStrategy.RollingUpdate.MaxSurge)
	assert.Equal(t, int32(10), *ds.RevisionHistoryLimit)
	assert.Equal(t, "Always", ds.Template.RestartPolicy)

	od := &DaemonSet{UpdateStrategy: UpdateStrategy{Type: OnDeleteStrategy}}
	Default(od)
	assert.Nil(t, od.UpdateStrategy.RollingUpdate, "OnDelete gets no rollingUpdate defaults")

	kept := &DaemonSet{UpdateStrategy: UpdateStrategy{RollingUpdate: &RollingUpdate{MaxUnavailable: iop(rollout.FromString("25%"))}}}
	Default(kept)
	assert.Equal(t, rollout.FromString("25%"), *kept.UpdateStrategy.RollingUpdate.MaxUnavailable)
}

func TestValidateStatus(t *testing.T) {
	two, one := int32(2), int32(1)
	assert.Empty(t, ValidateStatus(&Status{CollisionCount: &two}, &Status{CollisionCount: &one}))
	errs := ValidateStatus(&Status{NumberReady: -1, CollisionCount: &one}, &Status{CollisionCount: &two})
	require.Len(t, errs, 2)
	assert.Equal(t, "status.numberReady: Invalid value: -1: must be greater than or equal to 0", errs[0].Error())
	assert.Equal(t, "status.collisionCount: Invalid value: 1: cannot be decremented", errs[1].Error())

	// Dropping a collisionCount decrements it (to 0); a first write has no old status.
	errs = ValidateStatus(&Status{}, &Status{CollisionCount: &one})
	require.Len(t, errs, 1)
	assert.Equal(t, "status.collisionCount: Invalid value: 0: cannot be decremented", errs[0].Error())
	assert.Empty(t, ValidateStatus(&Status{}, nil))
	assert.Equal(t, "status: Required value: no status", ValidateStatus(nil, &Status{}).ToError().Error())
}

func TestIsPodUpdated(t *testing.T) {
	const g, h = "12345", "55555"
	ds := &DaemonSet{Annotations: map[string]string{TemplateGenerationAnnotation: g}}
	cases := []struct {
		name   string
		labels map[string]string
		hash   string
		want   bool
	}{
		{"both match", map[string]string{TemplateGenerationLabel: g, RevisionHashLabel: h}, h, true},
		{"generation matches, hash differs", map[string]string{TemplateGenerationLabel: g, RevisionHashLabel: "other"}, h, true},
		{"generation matches, no hash label", map[string]string{TemplateGenerationLabel: g}, h, true},
		{"generation matches, no hash label, empty hash", map[string]string{TemplateGenerationLabel: g}, "", true},
		{"generation matches, empty DS hash", map[string]string{TemplateGenerationLabel: g, RevisionHashLabel: h}, "", true},
		{"generation wrong, hash matches", map[string]string{TemplateGenerationLabel: "12350", RevisionHashLabel: h}, h, true},
		{"both wrong", map[string]string{TemplateGenerationLabel: "12350", RevisionHashLabel: "other"}, h, false},
		{"empty labels, empty hash", map[string]string{}, "", false},
		{"empty labels", map[string]string{}, h, false},
		{"nil labels", nil, h, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, IsPodUpdated(&Pod{Labels: c.labels}, c.hash, ds))
		})
	}
	unparsable := &DaemonSet{Annotations: map[string]string{TemplateGenerationAnnotation: "v3"}}
	assert.False(t, IsPodUpdated(&Pod{Labels: map[string]string{TemplateGenerationLabel: "v3"}}, h, unparsable))
}

func TestIsPodAvailable(t *testing.T) {
	p := &Pod{Ready: ConditionTrue, ReadySince: t0}
	assert.True(t, IsPodAvailable(p, 0, t0))
	assert.False(t, IsPodAvailable(p, 10, t0.Add(9_999_999_999)))
	assert.True(t, IsPodAvailable(p, 10, t0.Add(10_000_000_000)), "the boundary is inclusive")
	assert.False(t, IsPodAvailable(&Pod{Ready: ConditionTrue}, 10, t0), "no transition time")
	assert.True(t, IsPodAvailable(&Pod{Ready: ConditionTrue}, 0, t0))
	assert.False(t, IsPodAvailable(&Pod{Ready: ConditionFalse, ReadySince: t0}, 0, t0.Add(1e12)))
}

func TestTargetNode(t *testing.T) {
	field := func(op selector.Operator, vals ...string) *selector.NodeSelector {
		return &selector.NodeSelector{Terms: []selector.NodeSelectorTerm{{MatchFields: []selector.Requirement{{Key: selector.NodeNameField, Operator: op, Values: vals}}}}}
	}
	n, ok := TargetNode(&Pod{NodeName: "node-1"})
	assert.True(t, ok)
	assert.Equal(t, "node-1", n)
	n, ok = TargetNode(&Pod{RequiredNodeAffinity: field(selector.OpIn, "node-1")})
	assert.True(t, ok)
	assert.Equal(t, "node-1", n)
	_, ok = TargetNode(&Pod{RequiredNodeAffinity: field(selector.OpIn, "node-1", "node-2")})
	assert.False(t, ok)
	_, ok = TargetNode(&Pod{})
	assert.False(t, ok)
	_, ok = TargetNode(&Pod{RequiredNodeAffinity: field(selector.OpNotIn, "node-1")})
	assert.False(t, ok)
}
