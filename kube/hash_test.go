package kube

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func int32p(v int32) *int32 { return &v }

// TestComputeHashReferenceValues checks the values section 5.3 of the semantics document
// records from upstream's ComputeHash with k8s.io/api v0.37.2.
func TestComputeHashReferenceValues(t *testing.T) {
	tests := []struct {
		name      string
		template  corev1.PodTemplateSpec
		collision *int32
		want      string
	}{
		{name: "empty template", want: "54f4c57dcb"},
		{name: "empty template collisionCount 1", collision: int32p(1), want: "6554565b97"},
		{
			name: "labels and one container",
			template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "x"}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx"}}},
			},
			want: "8479cb96c7",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ComputeHash(&tt.template, tt.collision); got != tt.want {
				t.Errorf("ComputeHash = %q, want %q", got, tt.want)
			}
		})
	}
}
