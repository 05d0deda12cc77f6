package selector

import "slices"

// The well-known taint keys the DaemonSet controller tolerates on every daemon pod.
const (
	TaintNodeNotReady           = "node.kubernetes.io/not-ready"
	TaintNodeUnreachable        = "node.kubernetes.io/unreachable"
	TaintNodeDiskPressure       = "node.kubernetes.io/disk-pressure"
	TaintNodeMemoryPressure     = "node.kubernetes.io/memory-pressure"
	TaintNodePIDPressure        = "node.kubernetes.io/pid-pressure"
	TaintNodeUnschedulable      = "node.kubernetes.io/unschedulable"
	TaintNodeNetworkUnavailable = "node.kubernetes.io/network-unavailable"
)

// DefaultDaemonTolerations returns the tolerations the DaemonSet controller gives every daemon pod,
// in its order: not-ready and unreachable (Exists, NoExecute, no tolerationSeconds, so such pods
// are never evicted for them), then disk-pressure, memory-pressure, pid-pressure and unschedulable
// (Exists, NoSchedule), and network-unavailable (Exists, NoSchedule) only for a hostNetwork pod.
func DefaultDaemonTolerations(hostNetwork bool) []Toleration {
	out := []Toleration{
		{Key: TaintNodeNotReady, Operator: TolerationExists, Effect: NoExecute},
		{Key: TaintNodeUnreachable, Operator: TolerationExists, Effect: NoExecute},
		{Key: TaintNodeDiskPressure, Operator: TolerationExists, Effect: NoSchedule},
		{Key: TaintNodeMemoryPressure, Operator: TolerationExists, Effect: NoSchedule},
		{Key: TaintNodePIDPressure, Operator: TolerationExists, Effect: NoSchedule},
		{Key: TaintNodeUnschedulable, Operator: TolerationExists, Effect: NoSchedule},
	}
	if hostNetwork {
		out = append(out, Toleration{Key: TaintNodeNetworkUnavailable, Operator: TolerationExists, Effect: NoSchedule})
	}
	return out
}

// DaemonTolerations returns the tolerations a daemon pod created from a template with these
// tolerations carries: each default of DefaultDaemonTolerations, in order, is merged the way
// upstream's add-or-update helper does. Every template toleration with the same key, effect,
// operator and value (operators compared as written, so "" is not "Equal") is replaced in place by
// the default — which drops its tolerationSeconds, and happens even when it was identical; when
// none matches, the default is appended. The input is not modified; the result is a new slice.
func DaemonTolerations(template []Toleration, hostNetwork bool) []Toleration {
	out := make([]Toleration, 0, len(template)+7)
	for _, t := range template {
		t.TolerationSeconds = cloneSeconds(t.TolerationSeconds)
		out = append(out, t)
	}
	for _, d := range DefaultDaemonTolerations(hostNetwork) {
		replaced := false
		for i := range out {
			o := &out[i]
			if o.Key == d.Key && o.Effect == d.Effect && o.Operator == d.Operator && o.Value == d.Value {
				*o = d
				replaced = true
			}
		}
		if !replaced {
			out = append(out, d)
		}
	}
	return slices.Clip(out)
}

func cloneSeconds(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
