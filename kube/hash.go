package kube

import (
	"encoding/binary"
	"hash/fnv"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/utils/dump"
)

// ComputeHash returns the controller-revision-hash the upstream DaemonSet controller (Kubernetes
// v1.37.2, k8s.io/api v0.37.2) gives template with the given collisionCount (nil when the
// DaemonSet has never seen a hash collision).
//
// The hash is FNV-32a over a deep textual dump of the Go value, so it depends on every field of
// the struct, set or not, and on the struct layout of k8s.io/api: pass the template as the API
// server stores it, that is after DefaultDaemonSet (the loaders do this). The result has 1 to 10
// characters from "456789bcdf".
func ComputeHash(template *corev1.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	// The dump is of the value, not the pointer, so that no address reaches the hash.
	_, _ = h.Write([]byte(dump.ForHash(*template)))
	if collisionCount != nil {
		// Eight bytes: the count as a little-endian uint32 and four zero bytes, as upstream writes it.
		var buf [8]byte
		binary.LittleEndian.PutUint32(buf[:4], uint32(*collisionCount))
		_, _ = h.Write(buf[:])
	}
	return rand.SafeEncodeString(strconv.FormatUint(uint64(h.Sum32()), 10))
}
